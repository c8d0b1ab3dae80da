"""On-site diagnosis (现场诊断) and verification (评定) of a submitted self-assessment.

request_diagnosis → (recommend) → assign → record_visit → start_verification → verify_answer … →
complete_verification. The verification is a second Assessment (kind verified) holding a copy of
every answer, each accepted or adjusted with a reason; `compare` derives the difference.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.accounts.models import Organisation
from smedx.assessments import conflicts, history, scoring, standing
from smedx.assessments.levels import level_label
from smedx.assessments.models import (
    Answer,
    AnswerReview,
    Assessment,
    ConflictDeclaration,
    DiagnosisRequest,
    Recommendation,
)
from smedx.assessments.services.self_assessment import store_evidence
from smedx.core import audit
from smedx.core.errors import ConflictError, DomainError
from smedx.core.formatting import joined
from smedx.core.notifications import notify

Status = DiagnosisRequest.Status
OPEN = (Status.REQUESTED, Status.ASSIGNED, Status.VISITED)
VISITOR_KEYS = ("name", "organisation", "role", "contact")


# --- who --------------------------------------------------------------------------------------------


def listed_institutions():
    """Diagnosis institutions an enterprise may choose and an officer may assign: listed, active providers."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.PROVIDER, status=Organisation.Status.ACTIVE, is_diagnosis_institution=True
    )


def may_assign(actor, request) -> bool:
    """The district of the enterprise or the expert committee arranges the visit."""
    if not actor.is_authenticated or not actor.has_right("assessments.diagnosis:assign"):
        return False
    return people.is_committee_expert(actor) or people.is_district_of(actor, request.enterprise)


def may_decide_conflicts(actor, request) -> bool:
    return (
        actor.is_authenticated
        and actor.has_right("assessments.conflict:decide")
        and people.is_district_of(actor, request.enterprise)
    )


def is_verifier(actor, request) -> bool:
    """The assigned expert, or a member of the assigned institution, who still holds the right to verify."""
    if not actor.is_authenticated or not actor.has_right("assessments.assessment:verify"):
        return False
    if request.expert_id is not None:
        return request.expert_id == actor.pk
    return people.acts_for(actor, request.institution_id)


def verifier_name(request) -> str:
    return str(request.expert or request.institution or "")


def _verifiers(request):
    if request.institution_id is not None:
        return people.members(request.institution)
    return [request.expert]


def _url(request) -> str:
    return reverse("assessments:diagnosis_detail", args=[request.pk])


def _record(verb, *, actor, request, ip=None, data=None):
    audit.record(f"assessments.diagnosisrequest.{verb}", actor=actor, obj=request, ip=ip, data=data)


def _lock(request) -> DiagnosisRequest:
    return DiagnosisRequest.objects.select_for_update().get(pk=request.pk)


def _one_of(expert, institution):
    """Exactly one of an expert (a committee member) and a listed diagnosis institution."""
    if (expert is None) == (institution is None):
        raise DomainError(_("Choose either an expert or a diagnosis institution."))
    if expert is not None and not people.committee_experts().filter(pk=expert.pk).exists():
        raise DomainError(_("%(name)s is not an expert of the committee.") % {"name": expert})
    if institution is not None and not listed_institutions().filter(pk=institution.pk).exists():
        raise DomainError(_("%(name)s is not a listed diagnosis institution.") % {"name": institution})


# --- request, recommend, assign -----------------------------------------------------------------------


def request_diagnosis(*, assessment, actor, route, institution=None, note="", ip=None) -> DiagnosisRequest:
    """The enterprise asks for an on-site diagnosis of its submitted self-assessment."""
    enterprise = assessment.enterprise
    if not people.acts_for(actor, enterprise.organisation_id, "assessments.diagnosis:request"):
        raise DomainError(_("Only the enterprise itself may ask for an on-site diagnosis."))
    if route not in DiagnosisRequest.Route.values:
        raise DomainError(_("Choose how the diagnosis is arranged."))
    if route == DiagnosisRequest.Route.INSTITUTION:
        if institution is None or not listed_institutions().filter(pk=institution.pk).exists():
            raise DomainError(_("Choose one of the listed diagnosis institutions."))
    else:
        institution = None
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.kind != Assessment.Kind.SELF or locked.status != Assessment.Status.SUBMITTED:
            raise DomainError(_("Only a submitted self-assessment can be verified on site."))
        current = locked.diagnosis_requests.filter(status__in=OPEN).first()
        if current is not None:
            raise DomainError(
                _("An on-site diagnosis of this assessment has already been requested: %(status)s.")
                % {"status": current.get_status_display()}
            )
        request = DiagnosisRequest.objects.create(
            enterprise=enterprise,
            assessment=locked,
            route=route,
            preferred_institution=institution,
            note=note,
            requested_by=actor,
        )
        _record("requested", actor=actor, request=request, ip=ip, data={"route": route})
        recipients = list(people.district_officers(enterprise.region))
        if institution is not None:
            recipients += people.members(institution) + list(people.committee_experts())
        notify(
            recipients,
            verb="diagnosis.requested",
            title=_("%(enterprise)s asks for an on-site diagnosis") % {"enterprise": enterprise},
            body=note,
            url=_url(request),
        )
    return request


def recommend(*, request, actor, expert=None, institution=None, note="", ip=None) -> Recommendation:
    """The committee recommends an expert or a diagnosis institution to whoever assigns."""
    if not actor.has_right("assessments.diagnosis:recommend"):
        raise DomainError(_("Only the expert committee recommends experts and institutions."))
    _one_of(expert, institution)
    with transaction.atomic():
        locked = _lock(request)
        if locked.status != Status.REQUESTED:
            raise DomainError(
                _("This request is no longer awaiting assignment: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        recommendation = Recommendation.objects.create(
            request=locked, recommended_by=actor, expert=expert, institution=institution, note=note
        )
        who = str(expert or institution)
        _record("recommended", actor=actor, request=locked, ip=ip, data={"recommended": who, "note": note})
        notify(
            people.district_officers(locked.enterprise.region),
            verb="diagnosis.recommended",
            title=_("The committee recommends %(who)s for %(enterprise)s")
            % {"who": who, "enterprise": locked.enterprise},
            body=note,
            url=_url(locked),
        )
    return recommendation


def assign(*, request, actor, expert=None, institution=None, ip=None) -> DiagnosisRequest:
    """The district or the committee assigns the verifier; two at once: the first one wins."""
    if not may_assign(actor, request):
        raise DomainError(
            _("Only the district of the enterprise or the expert committee assigns the diagnosis.")
        )
    _one_of(expert, institution)
    with transaction.atomic():
        locked = _lock(request)
        if locked.status == Status.ASSIGNED:
            raise ConflictError(
                _("This diagnosis is already assigned to %(who)s.") % {"who": verifier_name(locked)}
            )
        if locked.status != Status.REQUESTED:
            raise DomainError(
                _("This request is no longer awaiting assignment: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        conflicts.ensure_none(locked, user=expert, institution=institution)
        locked.expert, locked.institution = expert, institution
        locked.assigned_by, locked.assigned_at = actor, timezone.now()
        locked.status = Status.ASSIGNED
        locked.version += 1
        locked.save(
            update_fields=["expert", "institution", "assigned_by", "assigned_at", "status", "version"]
        )
        _record("assigned", actor=actor, request=locked, ip=ip, data={"verifier": verifier_name(locked)})
        notify(
            _verifiers(locked),
            verb="diagnosis.assigned",
            title=_("On-site diagnosis of %(enterprise)s assigned to you")
            % {"enterprise": locked.enterprise},
            url=_url(locked),
        )
        notify(
            people.members(locked.enterprise.organisation),
            verb="diagnosis.assigned",
            title=_("Your on-site diagnosis is assigned to %(who)s") % {"who": verifier_name(locked)},
            url=_url(locked),
        )
    return locked


# --- the visit and the verification --------------------------------------------------------------------


def clean_visitors(visitors) -> list[dict]:
    """Rows with something in them; each needs a name. At least one visitor."""
    rows = []
    for row in visitors or []:
        cleaned = {key: str(row.get(key) or "").strip() for key in VISITOR_KEYS}
        if not any(cleaned.values()):
            continue
        if not cleaned["name"]:
            raise DomainError(_("Give the name of every visitor."))
        rows.append(cleaned)
    if not rows:
        raise DomainError(_("Name at least one visitor."))
    return rows


def _check_verifier(actor, request):
    if not is_verifier(actor, request):
        raise DomainError(_("Only the assigned expert or institution may do this."))


def record_visit(
    *,
    request,
    actor,
    visited_on,
    visitors,
    main_products,
    process_flow,
    intelligent_equipment,
    industrial_software,
    ip=None,
) -> DiagnosisRequest:
    """The verifier records the visit (现场诊断记录); it may be corrected until the verification is complete."""
    _check_verifier(actor, request)
    rows = clean_visitors(visitors)
    if visited_on is None or visited_on > timezone.localdate():
        raise DomainError(_("Give the date of the visit; it cannot be in the future."))
    with transaction.atomic():
        locked = _lock(request)
        if locked.status not in (Status.ASSIGNED, Status.VISITED):
            raise DomainError(
                _("The visit cannot be recorded now: %(status)s.") % {"status": locked.get_status_display()}
            )
        locked.visited_on, locked.visitors = visited_on, rows
        locked.main_products, locked.process_flow = main_products, process_flow
        locked.intelligent_equipment, locked.industrial_software = intelligent_equipment, industrial_software
        locked.status = Status.VISITED
        locked.version += 1
        locked.save(
            update_fields=[
                "visited_on",
                "visitors",
                "main_products",
                "process_flow",
                "intelligent_equipment",
                "industrial_software",
                "status",
                "version",
            ]
        )
        _record("visit_recorded", actor=actor, request=locked, ip=ip, data={"visited_on": str(visited_on)})
    return locked


def _screen(request, actor):
    """The conflict check again, for whoever acts now."""
    if request.institution_id is not None:
        conflicts.ensure_none(request, user=actor, institution=request.institution)
    else:
        conflicts.ensure_none(request, user=actor)


def start_verification(*, request, actor, ip=None) -> Assessment:
    """Open the verified assessment: a draft copy of every self-assessed answer, none checked yet."""
    _check_verifier(actor, request)
    with transaction.atomic():
        locked = _lock(request)
        if locked.verified_assessment_id is not None:
            raise DomainError(_("The verification has already been started."))
        if locked.status != Status.VISITED:
            raise DomainError(_("Record the visit before verifying the answers."))
        _screen(locked, actor)
        source = locked.assessment
        verification = Assessment.objects.create(
            enterprise=source.enterprise,
            instrument=source.instrument,
            level_rule=source.level_rule,
            kind=Assessment.Kind.VERIFIED,
            period=source.period,
            verified_from=source,
            created_by=actor,
        )
        Answer.objects.bulk_create(
            Answer(assessment=verification, item_code=a.item_code, value=a.value, answered_by=a.answered_by)
            for a in source.answers.all()
        )
        locked.verified_assessment = verification
        locked.version += 1
        locked.save(update_fields=["verified_assessment", "version"])
        _record("verification_started", actor=actor, request=locked, ip=ip)
    return verification


def _request_of(verification) -> DiagnosisRequest:
    try:
        return verification.diagnosis_request
    except DiagnosisRequest.DoesNotExist as exc:
        raise DomainError(_("This is not an on-site verification.")) from exc


def _validated(verification, item_code, value):
    """The scoring module decides whether a value is a valid answer, as for the self-assessment."""
    spec = verification.instrument.spec
    answers = verification.answer_dict()
    answers[item_code] = value
    result = scoring.score(spec, answers, partial=True)
    if item_code in result.missing or (item_code in spec.items and not result.items[item_code].answered):
        raise DomainError(_("%(item)s: give the verified answer.") % {"item": item_code})
    return value


def _lock_draft(verification, actor) -> tuple[Assessment, DiagnosisRequest]:
    request = _request_of(verification)
    _check_verifier(actor, request)
    locked = Assessment.objects.select_for_update().get(pk=verification.pk)
    if locked.status != Assessment.Status.DRAFT:
        raise DomainError(_("This verification is complete and can no longer be changed."))
    return locked, request


def verify_answer(
    *, verification, actor, item_code, accept: bool, value=None, reason="", evidence=None, ip=None
) -> Answer:
    """Accept the self-assessed answer, or adjust it: a valid new value and a reason; evidence optional."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked, request = _lock_draft(verification, actor)
        answer = locked.answers.select_for_update().filter(item_code=item_code).first()
        if answer is None:
            raise DomainError(_("%(item)s is not an answer of this assessment.") % {"item": item_code})
        original = locked.verified_from.answers.get(item_code=item_code).value
        if accept:
            answer.value, answer.review, answer.reason = original, AnswerReview.ACCEPTED, ""
        else:
            if not reason:
                raise DomainError(_("%(item)s: say why the answer is adjusted.") % {"item": item_code})
            if value == original:
                raise DomainError(
                    _("%(item)s: the value is the self-assessed one; accept it instead.")
                    % {"item": item_code}
                )
            answer.value = _validated(locked, item_code, value)
            answer.review, answer.reason = AnswerReview.ADJUSTED, reason
        answer.answered_by = actor
        answer.save(update_fields=["value", "review", "reason", "answered_by", "answered_at"])
        if evidence is not None:
            store_evidence(assessment=locked, actor=actor, item_code=item_code, file=evidence)
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        verb = "answer_accepted" if accept else "answer_adjusted"
        data = {"item": item_code, "from": original, "to": answer.value, "reason": reason}
        _record(verb, actor=actor, request=request, ip=ip, data=data)
    return answer


def accept_remaining(*, verification, actor, ip=None) -> int:
    """Accept the self-assessed answer of every item not checked yet, all or none; returns how many."""
    with transaction.atomic():
        locked, request = _lock_draft(verification, actor)
        pending = list(locked.answers.select_for_update().filter(review=AnswerReview.PENDING))
        if not pending:
            raise DomainError(_("Every answer is already checked."))
        originals = dict(
            locked.verified_from.answers.filter(item_code__in=[a.item_code for a in pending]).values_list(
                "item_code", "value"
            )
        )
        for answer in pending:
            answer.value, answer.review, answer.reason = (
                originals[answer.item_code],
                AnswerReview.ACCEPTED,
                "",
            )
            answer.answered_by = actor
            answer.save(update_fields=["value", "review", "reason", "answered_by", "answered_at"])
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        items = sorted(a.item_code for a in pending)
        _record("answers_accepted", actor=actor, request=request, ip=ip, data={"items": items})
    return len(pending)


def complete_verification(*, verification, actor, version: int, ip=None) -> Assessment:
    """Every answer checked → the verified result; the self-assessment and the request become verified."""
    with transaction.atomic():
        locked, request = _lock_draft(verification, actor)
        if locked.version != version:
            raise ConflictError(
                _("The verification changed since you loaded the page. Check it again, then complete it.")
            )
        answers = list(locked.answers.all())
        unchecked = [a.item_code for a in answers if a.review == AnswerReview.PENDING]
        if unchecked:
            raise DomainError(
                _("These answers are not checked yet: %(items)s.") % {"items": joined(unchecked)}
            )
        result = scoring.score(
            locked.instrument.spec, {a.item_code: a.value for a in answers}, locked.level_rule.spec
        )
        now = timezone.now()
        locked.total, locked.level, locked.result = result.total, result.level, result.as_dict()
        locked.status, locked.submitted_at, locked.submitted_by = Assessment.Status.VERIFIED, now, actor
        locked.version += 1
        locked.save(
            update_fields=[
                "total",
                "level",
                "result",
                "status",
                "submitted_at",
                "submitted_by",
                "version",
                "updated_at",
            ]
        )
        source = Assessment.objects.select_for_update().get(pk=locked.verified_from_id)
        source.status = Assessment.Status.VERIFIED
        source.version += 1
        source.save(update_fields=["status", "version", "updated_at"])
        standing.refresh_current_level(locked.enterprise_id)
        held = _lock(request)
        held.status = Status.VERIFIED
        held.version += 1
        held.save(update_fields=["status", "version"])
        data = {"self_total": str(source.total), "verified_total": str(result.total), "level": result.level}
        _record("verified", actor=actor, request=held, ip=ip, data=data)
        notify(
            people.members(held.enterprise.organisation)
            + list(people.district_officers(held.enterprise.region)),
            verb="diagnosis.verified",
            title=_("The on-site verification of %(enterprise)s is complete: %(level)s")
            % {"enterprise": held.enterprise, "level": level_label(result.level)},
            url=reverse("assessments:diagnosis_compare", args=[held.pk]),
        )
    return locked


# --- conflicts of interest -------------------------------------------------------------------------------


def declare_conflict(*, request, actor, description, ip=None) -> ConflictDeclaration:
    """A would-be verifier declares an interest in the enterprise; the district decides."""
    if not actor.has_right("assessments.assessment:verify"):
        raise DomainError(_("Only experts and diagnosis institutions declare interests."))
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe the interest."))
    with transaction.atomic():
        locked = _lock(request)
        if locked.status not in OPEN:
            raise DomainError(
                _("This diagnosis is closed: %(status)s.") % {"status": locked.get_status_display()}
            )
        declaration = ConflictDeclaration.objects.create(
            request=locked, declared_by=actor, description=description
        )
        audit.record("assessments.conflictdeclaration.declared", actor=actor, obj=declaration, ip=ip)
        notify(
            people.district_officers(locked.enterprise.region),
            verb="diagnosis.conflict_declared",
            title=_("%(who)s declared an interest in %(enterprise)s")
            % {"who": actor, "enterprise": locked.enterprise},
            body=description,
            url=_url(locked),
        )
    return declaration


def decide_conflict(*, declaration, actor, approve: bool, comment="", ip=None) -> ConflictDeclaration:
    """The district of the enterprise approves (the interest does not stand in the way) or refuses."""
    if not may_decide_conflicts(actor, declaration.request):
        raise DomainError(_("Only the district of the enterprise decides on declared interests."))
    with transaction.atomic():
        locked = ConflictDeclaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.status != ConflictDeclaration.Status.PENDING:
            raise DomainError(
                _("This declaration has already been decided: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        Decision = ConflictDeclaration.Status
        locked.status = Decision.APPROVED if approve else Decision.REFUSED
        locked.decided_by, locked.decided_at, locked.comment = actor, timezone.now(), comment
        locked.save(update_fields=["status", "decided_by", "decided_at", "comment"])
        audit.record(
            f"assessments.conflictdeclaration.{locked.status}",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"comment": comment},
        )
        notify(
            [locked.declared_by],
            verb=f"diagnosis.conflict_{locked.status}",
            title=_("Your declared interest in %(enterprise)s: %(status)s")
            % {"enterprise": locked.request.enterprise, "status": locked.get_status_display()},
            body=comment,
            url=_url(locked.request),
        )
    return locked


# --- self against verified -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckedItem:
    """One item or scene: the self-assessed and the verified answer, their points (scene: level), the reason."""

    change: history.Change
    is_scene: bool
    self_value: object
    verified_value: object
    review: str
    reason: str

    code = property(lambda self: self.change.code)
    name = property(lambda self: self.change.name)
    self_points = property(lambda self: self.change.before)
    verified_points = property(lambda self: self.change.after)
    delta = property(lambda self: self.change.delta)

    @property
    def adjusted(self) -> bool:
        return self.review == AnswerReview.ADJUSTED

    @property
    def self_text(self) -> str:
        return str(level_label(self.self_value)) if self.is_scene else self.change.before_answer

    @property
    def verified_text(self) -> str:
        return str(level_label(self.verified_value)) if self.is_scene else self.change.after_answer


@dataclass(frozen=True)
class Verification:
    comparison: history.Comparison
    items: tuple[CheckedItem, ...]  # scored items in instrument order, then the scenes

    @property
    def self_total(self):
        return self.comparison.total.before

    @property
    def verified_total(self):
        return self.comparison.total.after

    @property
    def total_delta(self):
        return self.comparison.total.delta

    @property
    def adjusted(self) -> list[CheckedItem]:
        return [item for item in self.items if item.adjusted]

    @property
    def checked(self) -> int:
        return sum(1 for item in self.items if item.review)


def compare(self_assessment, verified) -> Verification:
    """Per item and in total, the self-assessed against the verified rating (the verified may be a draft).

    Both answer sets are scored with the verified assessment's instrument version and level rule (the
    same as the self-assessment's); reads the answers (prefetch `answers` to keep it to no query).
    """
    instrument, rule = verified.instrument.spec, verified.level_rule.spec
    mine = {a.item_code: a for a in self_assessment.answers.all()}
    checked = {a.item_code: a for a in verified.answers.all()}

    def scored(answers):
        return scoring.score(instrument, {code: a.value for code, a in answers.items()}, rule, partial=True)

    comparison = history.diff(
        scored(mine), scored(checked), instrument, _("Self-assessment"), _("Verified"), rule=rule
    )
    items = []
    for change in [*comparison.items, *comparison.scenes]:
        own, other = mine.get(change.code), checked.get(change.code)
        items.append(
            CheckedItem(
                change=change,
                is_scene=change.code in instrument.scenes,
                self_value=own.value if own else None,
                verified_value=other.value if other else None,
                review=other.review if other else "",
                reason=other.reason if other else "",
            )
        )
    return Verification(comparison, tuple(items))


# --- case file and workbench -------------------------------------------------------------------------------


def journey_items(enterprise) -> list[tuple[str, str]]:
    """Stage 1 of the case file: each on-site diagnosis and, once verified, its result against the self-rating."""
    items = []
    requests = DiagnosisRequest.objects.filter(enterprise=enterprise).select_related(
        "assessment", "verified_assessment"
    )
    for request in requests.order_by("requested_at", "id"):
        period = request.assessment.period
        items.append(
            (
                _("On-site diagnosis %(period)s: %(status)s")
                % {"period": period, "status": request.get_status_display()},
                _url(request),
            )
        )
        verified = request.verified_assessment
        if request.status == Status.VERIFIED and verified is not None:
            items.append(
                (
                    _("Verified %(period)s: %(total)s points, %(level)s (self-assessed %(self)s)")
                    % {
                        "period": period,
                        "total": points(verified.total),
                        "level": level_label(verified.level),
                        "self": points(request.assessment.total),
                    },
                    reverse("assessments:diagnosis_compare", args=[request.pk]),
                )
            )
    return items


def points(value) -> str:
    """Points to 2 places, as everywhere: `65.25`; "—" when not scored."""
    return "—" if value is None else str(value.quantize(scoring.DISPLAY, rounding=ROUND_HALF_UP))


def assigned_to(user):
    """The requests `user` verifies: as the assigned expert or as a member of the assigned institution."""
    org = user.organisation
    if org is not None and org.kind == Organisation.Kind.PROVIDER:
        return DiagnosisRequest.objects.filter(institution=org)
    return DiagnosisRequest.objects.filter(expert=user)
