"""Acceptance (验收) of a completed project: the enterprise applies with the checklist complete and rates the
provider; committee experts verify the after-assessment (T1) on site with stage 1's verification, then
decide accepted / rectify / failed. `acceptance_summary` gives the before/after levels for the case file.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.accounts import people
from smedx.assessments import history
from smedx.assessments.models import Assessment, DiagnosisRequest
from smedx.assessments.services import diagnosis
from smedx.core import audit
from smedx.core.errors import ConflictError, DomainError
from smedx.core.notifications import notify
from smedx.enterprises.models import Stage
from smedx.enterprises.services.casefile import advance_stage
from smedx.projects.models import (
    AcceptanceApplication,
    AcceptanceDecision,
    Invoice,
    Project,
    ProjectFile,
    ProviderRating,
    Rectification,
)
from smedx.projects.services.filing import store_project_file

APPLY, DECIDE = "projects.acceptance:apply", "projects.acceptance:decide"
PS = Project.Status
DEFAULT_WINDOW_DAYS = 90
RATING_FIELDS = ("quality", "timeliness", "service", "value")
RATED = (Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED)
# The documents of the checklist that are project files, in the order the checklist shows them.
FILE_KINDS = (
    ProjectFile.Kind.ACCEPTANCE_FORM,
    ProjectFile.Kind.FINANCIAL_CHECK,
    ProjectFile.Kind.SUMMARY_REPORT,
    ProjectFile.Kind.OUTCOME_EVIDENCE,
)


def window_days() -> int:
    return getattr(settings, "PROJECT_ACCEPTANCE_WINDOW_DAYS", DEFAULT_WINDOW_DAYS)


def deadline_of(project):
    """The last day to apply for acceptance: the window counted from completion; None before completion."""
    if project.completed_at is None:
        return None
    return timezone.localdate(project.completed_at) + timedelta(days=window_days())


def acceptance_url(project) -> str:
    return reverse("projects:acceptance_detail", args=[project.pk])


# --- the checklist ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    code: str
    label: str
    ok: bool
    file_kind: str = ""  # a project file of this kind ticks it; the page offers an upload


CHECK_LABELS = {
    "contract": gettext_lazy("Contract"),
    "invoices": gettext_lazy("Invoices with payment proof"),
    "before": gettext_lazy("Assessment before the project (T0)"),
    "after": gettext_lazy("Assessment after the project (T1)"),
    "rectifications": gettext_lazy("Every supervision rectification closed"),
}


def before_choices(enterprise):
    """A submitted or verified T0 assessment (self-assessed or verified on site)."""
    return Assessment.objects.filter(enterprise=enterprise, period="T0", status__in=RATED).order_by("-id")


def after_choices(enterprise):
    """A submitted self-assessment of a later period (T1, T2 …)."""
    return (
        Assessment.objects.filter(enterprise=enterprise, kind=Assessment.Kind.SELF, status__in=RATED)
        .exclude(period="T0")
        .order_by("-id")
    )


def unclosed_rectifications(project):
    """The supervisor's rectifications not yet closed: the acceptance waits for every one of them."""
    return Rectification.objects.filter(project=project).exclude(status=Rectification.Status.CLOSED)


def _rectifications_check(project) -> Check:
    unclosed = list(unclosed_rectifications(project).order_by("deadline", "id"))
    label = CHECK_LABELS["rectifications"]
    if unclosed:
        label = _("%(label)s (not closed: %(items)s)") % {"label": label, "items": _named(unclosed)}
    return Check("rectifications", label, not unclosed)


def _named(rectifications) -> str:
    return "；".join(
        _("%(what)s, due %(date)s, %(status)s")
        % {"what": r.description, "date": r.deadline.isoformat(), "status": r.get_status_display()}
        for r in rectifications
    )


def checklist(project, before=None, after=None) -> list[Check]:
    """Every item the acceptance needs, ticked or not."""
    kinds = set(
        ProjectFile.objects.filter(project=project, kind__in=FILE_KINDS).values_list("kind", flat=True)
    )
    paid = Invoice.objects.filter(project=project, payment_proof__isnull=False).exists()
    checks = [Check(kind, ProjectFile.Kind(kind).label, kind in kinds, kind) for kind in FILE_KINDS]
    before_ok = before is not None and before_choices(project.enterprise_id).filter(pk=before.pk).exists()
    after_ok = after is not None and after_choices(project.enterprise_id).filter(pk=after.pk).exists()
    checks += [
        Check("contract", CHECK_LABELS["contract"], bool(project.contract_file)),
        Check("invoices", CHECK_LABELS["invoices"], paid),
        Check("before", CHECK_LABELS["before"], before_ok),
        Check("after", CHECK_LABELS["after"], after_ok),
        _rectifications_check(project),
    ]
    return checks


def _check_window(project):
    deadline = deadline_of(project)
    if deadline is not None and timezone.localdate() > deadline:
        raise DomainError(
            _("The acceptance had to be applied for by %(date)s (%(days)s days after completion).")
            % {"date": deadline.isoformat(), "days": window_days()}
        )


def _clean_rating(rating: dict) -> dict:
    cleaned = {}
    for name in RATING_FIELDS:
        try:
            value = int(rating.get(name))
        except (TypeError, ValueError):
            value = 0
        if not 1 <= value <= 5:
            raise DomainError(_("Rate the provider from 1 to 5 on every point."))
        cleaned[name] = value
    cleaned["comment"] = str(rating.get("comment") or "").strip()
    return cleaned


def _first_file(project, kind):
    return ProjectFile.objects.filter(project=project, kind=kind).order_by("-id").first()


def apply_for_acceptance(*, project, actor, before, after, rating: dict, declared: bool, ip=None):
    """The enterprise applies within the window with the checklist complete, and rates the provider."""
    if not people.acts_for(actor, project.enterprise.organisation_id, APPLY):
        raise DomainError(_("Only the enterprise itself applies for acceptance."))
    scores = _clean_rating(rating)
    if not declared:
        raise DomainError(_("Declare that the application is truthful."))
    with transaction.atomic():
        locked = (
            Project.objects.select_for_update().select_related("enterprise", "provider").get(pk=project.pk)
        )
        if locked.status not in (PS.COMPLETED, PS.RECTIFY):
            raise DomainError(
                _("Acceptance can be applied for once the project is completed: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        if locked.status == PS.COMPLETED:  # after "rectify" the experts wait for the re-application
            _check_window(locked)
        checks = checklist(locked, before, after)
        missing = [str(check.label) for check in checks if not check.ok]
        if missing:
            raise DomainError(_("The application is missing: %(items)s.") % {"items": "; ".join(missing)})
        values = {
            "applied_by": actor,
            "application_form": _first_file(locked, ProjectFile.Kind.ACCEPTANCE_FORM),
            "financial_check": _first_file(locked, ProjectFile.Kind.FINANCIAL_CHECK),
            "summary_report": _first_file(locked, ProjectFile.Kind.SUMMARY_REPORT),
            "before_assessment": before,
            "after_assessment": after,
            "checklist": {check.code: check.ok for check in checks},
            "declared": True,
        }
        application, created = AcceptanceApplication.objects.update_or_create(project=locked, defaults=values)
        if not created:
            application.applied_at = timezone.now()
            application.save(update_fields=["applied_at"])
        ProviderRating.objects.update_or_create(project=locked, defaults={**scores, "rated_by": actor})
        locked.status = PS.ACCEPTANCE_APPLIED
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        audit.record(
            "projects.acceptanceapplication.applied",
            actor=actor,
            obj=application,
            ip=ip,
            data={"before": before.pk, "after": after.pk, "rating": scores, "again": not created},
        )
        notify(
            list(people.committee_experts())
            + list(people.district_officers(locked.enterprise.region))
            + people.members(locked.provider),
            verb="projects.acceptance.applied",
            title=_("%(enterprise)s applies for acceptance of %(project)s")
            % {"enterprise": locked.enterprise, "project": locked},
            url=acceptance_url(locked),
        )
    return application


# --- on-site verification of the after-assessment ------------------------------------------------------


def may_decide(actor) -> bool:
    return people.is_committee_expert(actor, DECIDE)


def _require_decider(actor):
    if not may_decide(actor):
        raise DomainError(_("Only experts of the committee carry out the acceptance."))


def verification_request(application):
    """The on-site request for the after-assessment, the latest one not cancelled."""
    if application is None or application.after_assessment_id is None:
        return None
    return (
        DiagnosisRequest.objects.filter(assessment_id=application.after_assessment_id)
        .exclude(status=DiagnosisRequest.Status.CANCELLED)
        .select_related("expert", "verified_assessment")
        .order_by("-id")
        .first()
    )


def verified_after(application):
    """The completed on-site verification of the application's after-assessment, or None."""
    if application is None or application.after_assessment_id is None:
        return None
    return (
        Assessment.objects.filter(
            kind=Assessment.Kind.VERIFIED,
            verified_from_id=application.after_assessment_id,
            status=Assessment.Status.VERIFIED,
        )
        .order_by("-id")
        .first()
    )


def start_acceptance_verification(*, project, actor, ip=None) -> Assessment:
    """The acting expert opens the on-site verification of the T1: request, assignment to themself, the
    visit of today, the verification draft — through stage 1's services. Then they check every answer."""
    _require_decider(actor)
    with transaction.atomic():
        locked = Project.objects.select_for_update().select_related("enterprise").get(pk=project.pk)
        if locked.status != PS.ACCEPTANCE_APPLIED:
            raise DomainError(_("Nobody has applied for the acceptance of this project."))
        application = locked.acceptance_application
        if verified_after(application) is not None:
            raise DomainError(_("The after-assessment is already verified."))
        request = verification_request(application)
        if request is not None and request.status != DiagnosisRequest.Status.REQUESTED:
            if request.verified_assessment_id is not None:
                raise DomainError(_("The verification has already been started."))
            if request.expert_id != actor.pk:
                raise ConflictError(
                    _("The after-assessment is being verified by %(who)s.")
                    % {"who": diagnosis.verifier_name(request)}
                )
        if request is None:
            request = DiagnosisRequest.objects.create(
                enterprise=locked.enterprise,
                assessment=application.after_assessment,
                route=DiagnosisRequest.Route.DISTRICT,
                note=_("Acceptance of %(project)s") % {"project": locked},
                requested_by=actor,
            )
        if request.status == DiagnosisRequest.Status.REQUESTED:
            request = diagnosis.assign(request=request, actor=actor, expert=actor, ip=ip)
        if request.status == DiagnosisRequest.Status.ASSIGNED:
            visitor = {"name": actor.display_name or actor.username, "organisation": str(actor.organisation)}
            request = diagnosis.record_visit(
                request=request,
                actor=actor,
                visited_on=timezone.localdate(),
                visitors=[{**visitor, "role": _("Acceptance expert")}],
                main_products="",
                process_flow="",
                intelligent_equipment="",
                industrial_software="",
                ip=ip,
            )
        verification = diagnosis.start_verification(request=request, actor=actor, ip=ip)
        audit.record(
            "projects.acceptanceapplication.verification_started",
            actor=actor,
            obj=application,
            ip=ip,
            data={"request": request.pk, "verification": verification.pk},
        )
    return verification


# --- the decision ------------------------------------------------------------------------------------


def decide_acceptance(*, project, actor, decision, reasons, verified_after=None, ip=None):
    """Accepted, rectify (the enterprise applies again) or failed, with reasons; needs the verified T1."""
    _require_decider(actor)
    reasons = (reasons or "").strip()
    if decision not in AcceptanceDecision.Decision.values:
        raise DomainError(_("Choose accepted, rectify or failed."))
    if not reasons:
        raise DomainError(_("Give the reasons for the decision."))
    with transaction.atomic():
        locked = (
            Project.objects.select_for_update().select_related("enterprise", "provider").get(pk=project.pk)
        )
        if locked.status != PS.ACCEPTANCE_APPLIED:
            raise ConflictError(
                _("This project is not awaiting an acceptance decision: %(status)s.")
                % {"status": locked.get_status_display()}
            )
        application = locked.acceptance_application
        found = _verified(application, verified_after)
        if decision == AcceptanceDecision.Decision.ACCEPTED:
            _check_rectifications_closed(locked)
        values = {
            "verified_assessment": found,
            "decision": decision,
            "reasons": reasons,
            "decided_by": actor,
            "decided_at": timezone.now(),
        }
        result, _created = AcceptanceDecision.objects.update_or_create(project=locked, defaults=values)
        verifier = getattr(getattr(found, "diagnosis_request", None), "expert", None)
        result.experts.add(*{actor, verifier} - {None})
        locked.status = decision
        locked.version += 1
        locked.save(update_fields=["status", "version"])
        audit.record(
            f"projects.acceptancedecision.{decision}",
            actor=actor,
            obj=result,
            ip=ip,
            data={"verified": found.pk, "level": found.level, "reasons": reasons},
        )
        notify(
            people.members(locked.enterprise.organisation)
            + people.members(locked.provider)
            + list(people.district_officers(locked.enterprise.region)),
            verb=f"projects.acceptance.{decision}",
            title=_("Acceptance of %(project)s: %(decision)s")
            % {"project": locked, "decision": result.get_decision_display()},
            body=reasons[:200],
            url=acceptance_url(locked),
        )
        if decision == AcceptanceDecision.Decision.ACCEPTED:
            # Stage 4 is done once a project is accepted: the journey moves on to policy support.
            advance_stage(enterprise=locked.enterprise, stage=Stage.POLICY, actor=actor)
    return result


def _check_rectifications_closed(project):
    """A rectification may be issued after the application; the project is accepted only once all are closed."""
    unclosed = list(unclosed_rectifications(project).order_by("deadline", "id"))
    if unclosed:
        raise DomainError(
            _("The project cannot be accepted while rectifications are not closed: %(items)s.")
            % {"items": _named(unclosed)}
        )


def _verified(application, given):
    found = verified_after(application)
    if found is None:
        raise DomainError(_("Verify the after-assessment on site before deciding."))
    if given is not None and given.pk != found.pk:
        raise DomainError(_("That is not the verification of the after-assessment."))
    return found


# --- before and after, for the case file -----------------------------------------------------------------


@dataclass(frozen=True)
class AcceptanceSummary:
    before: Assessment | None
    after: Assessment | None  # the verified after-assessment once there is one, else the self-assessed T1
    comparison: history.Comparison | None

    @property
    def before_level(self):
        return self.before.level if self.before else None

    @property
    def after_level(self):
        return self.after.level if self.after else None

    @property
    def is_verified(self) -> bool:
        return self.after is not None and self.after.kind == Assessment.Kind.VERIFIED

    @property
    def dimensions(self) -> list[history.Change]:
        return [dim.change for dim in self.comparison.dimensions] if self.comparison else []


def acceptance_summary(project) -> AcceptanceSummary:
    """T0 level, the T1 (verified once done) level and the change per dimension (`history.compare_periods`)."""
    application = AcceptanceApplication.objects.filter(project=project).first()
    if application is None or application.before_assessment_id is None:
        return AcceptanceSummary(None, None, None)
    before = application.before_assessment
    after = verified_after(application) or application.after_assessment
    if after is None:
        return AcceptanceSummary(before, None, None)
    comparison = history.compare_periods(
        history.side_of(before), history.side_of(after), instrument=after.instrument.spec
    )
    return AcceptanceSummary(before, after, comparison)


# --- documents of the application ---------------------------------------------------------------------


def upload_acceptance_file(*, project, actor, kind, file, ip=None) -> ProjectFile:
    """The enterprise adds one document of the checklist; its type is checked by content, its size by limit."""
    if not people.acts_for(actor, project.enterprise.organisation_id, APPLY):
        raise DomainError(_("Only the enterprise itself adds acceptance documents."))
    if kind not in FILE_KINDS:
        raise DomainError(_("Choose which document this is."))
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.status not in (PS.COMPLETED, PS.RECTIFY, PS.IN_PROGRESS):
            raise DomainError(
                _("Documents cannot be added now: %(status)s.") % {"status": locked.get_status_display()}
            )
        row = store_project_file(project=locked, actor=actor, file=file, kind=kind)
        audit.record(
            "projects.projectfile.uploaded",
            actor=actor,
            obj=row,
            enterprise_id=locked.enterprise_id,
            ip=ip,
            data={"kind": kind, "name": row.original_name, "size": row.size},
        )
    return row
