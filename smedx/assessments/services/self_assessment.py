"""Every state change of an enterprise's self-assessment. The wizard and the API call these.

A draft is filled item by item: each change is validated and saved at once (so a lost connection or
an expired session loses nothing) and the running, provisional score is kept on the assessment.
Submitting scores it completely under the instrument and level rule chosen when it was started, and
locks it.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from smedx.accounts import people
from smedx.assessments import standing
from smedx.assessments.models import Answer, Assessment, Evidence, Instrument, LevelRule
from smedx.assessments.scoring import Result, ScoringError, score
from smedx.assessments.spec import MULTIPLE, NUMERIC, SINGLE, TEXT, InstrumentSpec, plain
from smedx.core import audit, uploads
from smedx.core.errors import ConflictError, DomainError
from smedx.core.formatting import joined
from smedx.core.notifications import notify
from smedx.enterprises.models import Enterprise
from smedx.enterprises.services import casefile as enterprise_services

INSTRUMENT_CODE = "miit-2024-mfg"
FILL = "assessments.assessment:fill"
PERIOD = re.compile(r"^T[0-9]{1,3}$")
EVIDENCE_PER_ITEM = 20
EVIDENCE_KINDS = uploads.EVIDENCE


def evidence_max_bytes() -> int:
    """The largest evidence file accepted: `settings.EVIDENCE_MAX_BYTES` (10 MB by default)."""
    return settings.EVIDENCE_MAX_BYTES


class IncompleteError(DomainError):
    """Submitting refused: `missing` lists `(code, name)` of every unanswered item and scene."""

    def __init__(self, message: str, missing: list[tuple[str, str]]):
        self.missing = missing
        super().__init__(message)


# --- reading helpers shared with the views -------------------------------------------------------


def item_name(spec: InstrumentSpec, code: str) -> str:
    """`设备数字化` for B2, `计划排程` for S05: the short name people know an item by."""
    if code in spec.items:
        item = spec.items[code]
        return item.indicator or item.title
    if code in spec.scenes:
        return spec.scenes[code].name
    return code


def running_result(spec: InstrumentSpec, rule, values: dict) -> tuple[Result, dict]:
    """The provisional score of a draft, and `{code: message}` for answers that no longer score.

    An answer can become invalid without being changed (B3's count of networked machines above a
    total lowered later in B2); it is left out of the provisional score and shown with its problem.
    """
    values, problems = dict(values), {}
    while True:
        try:
            return score(spec, values, rule, partial=True), problems
        except ScoringError as exc:
            if exc.item not in values:
                raise
            problems[exc.item] = str(exc)
            del values[exc.item]


def _store_result(assessment: Assessment, values: dict):
    result, problems = running_result(assessment.instrument.spec, assessment.level_rule.spec, values)
    assessment.result = {**result.as_dict(), "problems": problems}
    assessment.total = result.total


def missing_items(spec: InstrumentSpec, rule, values: dict) -> list[tuple[str, str]]:
    """`(code, name)` of every item and scene still to answer, in the instrument's order."""
    result, problems = running_result(spec, rule, values)
    return [(code, item_name(spec, code)) for code in result.missing if code not in problems]


# --- starting ------------------------------------------------------------------------------------


def _check_fill(actor):
    if not actor.has_right(FILL):
        raise DomainError(_("You may not fill in self-assessments."))


def start_assessment(*, enterprise, actor, period="T0", ip=None) -> Assessment:
    """Open a self-assessment of `enterprise` for `period` under the current instrument and level rule."""
    _check_fill(actor)
    if not PERIOD.match(period or ""):
        raise DomainError(_("The period must be T0, T1, T2 and so on."))
    instrument = Instrument.objects.current(INSTRUMENT_CODE)
    rule = LevelRule.objects.active_for(INSTRUMENT_CODE) if instrument else None
    if instrument is None or rule is None:
        raise DomainError(_("The assessment instrument is not available yet. Ask the platform operator."))
    with transaction.atomic():
        try:
            locked = Enterprise.objects.visible_to(actor).select_for_update().get(pk=enterprise.pk)
        except Enterprise.DoesNotExist as exc:
            raise DomainError(_("You can only assess your own enterprise.")) from exc
        existing = Assessment.objects.filter(
            enterprise=locked, period=period, kind=Assessment.Kind.SELF
        ).first()
        if existing is not None and existing.status == Assessment.Status.DRAFT:
            raise DomainError(
                _("A self-assessment for %(period)s is already open. Continue it instead.")
                % {"period": period}
            )
        if existing is not None:
            raise DomainError(
                _("The self-assessment for %(period)s has already been submitted.") % {"period": period}
            )
        assessment = Assessment(
            enterprise=locked, instrument=instrument, level_rule=rule, period=period, created_by=actor
        )
        _store_result(assessment, {})
        assessment.save()
        audit.record(
            "assessments.assessment.created",
            actor=actor,
            obj=assessment,
            ip=ip,
            data={"period": period, "instrument": instrument.spec.label},
        )
        enterprise_services.advance_stage(enterprise=locked, stage=1, actor=actor)
    return assessment


def _lock(assessment, actor) -> Assessment:
    try:
        return (
            Assessment.objects.visible_to(actor)
            .select_for_update(of=("self",))
            .select_related("instrument", "level_rule", "enterprise")
            .get(pk=assessment.pk)
        )
    except Assessment.DoesNotExist as exc:
        raise DomainError(_("This assessment is not yours to fill in.")) from exc


def _check_draft(assessment):
    if assessment.status != Assessment.Status.DRAFT:
        raise DomainError(_("This assessment has been submitted and can no longer be changed."))


# --- answers -------------------------------------------------------------------------------------


def _figures(value: dict) -> dict:
    """The data fields given, as exact strings; empty fields left out."""
    out = {}
    for key, raw in value.items():
        if key == "options" or raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        out[key] = raw.strip() if isinstance(raw, str) else raw
    return out


def _check_one(spec, code: str, value, sources: dict):
    """Score `value` alone (with the answers it borrows figures from); None when it gives no answer yet.

    A refused value raises ScoringError naming the item.
    """
    scored = score(spec, {**sources, code: value}, partial=True).items.get(code)
    return scored if scored is not None and scored.answered else None


def _sources(spec, code: str, values: dict) -> dict:
    item = spec.items.get(code)
    if item is None or item.compute is None:
        return {}
    return {source: values[source] for source in item.compute.borrow.values() if source in values}


def computed_by_figures(spec: InstrumentSpec, code: str, value, values: dict):
    """The option (an `ItemScore`) a numeric item's figures give by themselves; None when they do not."""
    item = spec.items.get(code)
    figures = _figures(value) if isinstance(value, dict) else {}
    if item is None or item.kind != NUMERIC or not figures:
        return None
    try:
        return _check_one(spec, code, figures, _sources(spec, code, values))
    except ScoringError:
        return None


def normalise(spec: InstrumentSpec, code: str, value, values: dict):
    """Validate one item's answer and give the form it is stored in; None when it is empty.

    Numeric items keep the figures given; when the figures decide the option, the computed option is
    stored with them (the option sent with the figures is ignored: the figures decide).
    """
    if code in spec.scenes:
        if value in (None, ""):
            return None
        if isinstance(value, str) and value.strip().isdigit():
            value = int(value)
        score(spec, {code: value}, partial=True)
        return value
    item = spec.items.get(code)
    if item is None:
        raise ScoringError(code, _("%(item)s: there is no such item") % {"item": code})
    if item.kind == TEXT:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        _check_one(spec, code, value, {})
        return value.strip()
    if item.kind not in (SINGLE, MULTIPLE, NUMERIC):  # expert-scored: {"points", "comment"}
        return value if _check_one(spec, code, value, {}) is not None else None
    if not isinstance(value, dict):
        value = {"options": value}
    options = value.get("options") or []
    # Anything but a list is left for the scoring to refuse by name (a bare -1 is not iterable).
    letters = list(options) if isinstance(options, list | tuple) else options
    figures = _figures(value)
    if item.kind == NUMERIC and figures:
        sources = _sources(spec, code, values)
        computed = _check_one(spec, code, figures, sources)
        if computed is not None:
            return {"options": list(computed.options), **_exact(figures)}
        _check_one(spec, code, {"options": letters, **figures}, sources)
        return {"options": letters, **_exact(figures)}
    if figures:
        _check_one(spec, code, {"options": letters, **figures}, {})
        return {"options": letters, **_exact(figures)}
    if not letters:
        return None
    _check_one(spec, code, letters, {})
    return letters


def _exact(figures: dict) -> dict:
    return {key: plain(Decimal(str(raw))) for key, raw in figures.items()}


def version_token(answer) -> str:
    """What a page shows of an answer, to notice that somebody else changed it meanwhile."""
    return answer.answered_at.isoformat() if answer is not None else ""


def _changed_by_other(current, actor, version) -> bool:
    if version is None or current is None or version == version_token(current):
        return False
    return current.answered_by_id != actor.pk


@dataclass(frozen=True)
class Saved:
    answer: Answer | None  # None: the answer was emptied
    changed: bool


def save_answer(*, assessment, actor, item_code, value, version=None, ip=None) -> Saved:
    """Save one item's (or scene's) answer of a draft and refresh the provisional score.

    `version` is the answer's `version_token` the page showed: if somebody else changed the item since,
    nothing is saved (ConflictError). None skips the check. An unchanged value writes nothing.
    """
    _check_fill(actor)
    with transaction.atomic():
        locked = _lock(assessment, actor)
        _check_draft(locked)
        spec = locked.instrument.spec
        rows = {row.item_code: row for row in locked.answers.select_related("answered_by")}
        current = rows.get(item_code)
        if _changed_by_other(current, actor, version):
            raise ConflictError(
                _("%(name)s changed this item at %(time)s. Their answer is shown; apply yours again.")
                % {
                    "name": current.answered_by or _("Somebody"),
                    "time": timezone.localtime(current.answered_at).strftime("%H:%M"),
                }
            )
        values = {code: row.value for code, row in rows.items()}
        stored = normalise(spec, item_code, value, values)
        if (current.value if current else None) == stored:
            return Saved(current, False)
        if stored is None:
            current.delete()
            values.pop(item_code)
            answer = None
        else:
            answer, _created = Answer.objects.update_or_create(
                assessment=locked, item_code=item_code, defaults={"value": stored, "answered_by": actor}
            )
            values[item_code] = stored
        _refresh_dependents(spec, locked, item_code, rows, values)
        _store_result(locked, values)
        locked.version += 1
        locked.save(update_fields=["result", "total", "version", "updated_at"])
        audit.record(
            "assessments.answer.saved",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"item": item_code, "value": stored},
        )
    return Saved(answer, True)


def _refresh_dependents(spec, assessment, source: str, rows: dict, values: dict):
    """Recompute the option of items whose figures borrow from `source` (B3 takes B2's total)."""
    for code, item in spec.items.items():
        if item.compute is None or source not in item.compute.borrow.values() or code not in rows:
            continue
        figures = _figures(values[code]) if isinstance(values[code], dict) else {}
        if not figures:
            continue
        try:
            computed = _check_one(spec, code, figures, _sources(spec, code, values))
            options = list(computed.options) if computed is not None else []
        except ScoringError:
            options = []  # shown as a problem of that item until its figures are corrected
        new = {"options": options, **figures}
        if new != values[code]:
            # `update` leaves `answered_by`/`answered_at` alone: nobody answered this item anew.
            Answer.objects.filter(pk=rows[code].pk).update(value=new)
            values[code] = new


# --- evidence ------------------------------------------------------------------------------------


def store_evidence(*, assessment, actor, item_code, file, kind=None) -> Evidence:
    """Write one checked evidence file under a generated name (the uploader's name never reaches the disk).

    The caller holds the assessment's lock and has checked who may attach; also used by verification.
    """
    kind = kind or uploads.check(file, kinds=EVIDENCE_KINDS, max_bytes=evidence_max_bytes())
    evidence = Evidence(
        assessment=assessment,
        item_code=item_code,
        original_name=uploads.original_name(file),
        content_type=uploads.TYPES[kind].content_type,
        size=file.size,
        uploaded_by=actor,
    )
    uploads.store(evidence.file, file, kind=kind)
    evidence.save()
    return evidence


def upload_evidence(*, assessment, actor, item_code, file, ip=None) -> Evidence:
    """Attach a file proving one answer. Its type is checked by content, its size against the limit."""
    _check_fill(actor)
    kind = uploads.check(file, kinds=EVIDENCE_KINDS, max_bytes=evidence_max_bytes())
    written = None
    try:
        with transaction.atomic():
            locked = _lock(assessment, actor)
            _check_draft(locked)
            spec = locked.instrument.spec
            if item_code not in spec.items and item_code not in spec.scenes:
                raise DomainError(_("There is no item %(code)s.") % {"code": item_code})
            if locked.evidence.filter(item_code=item_code).count() >= EVIDENCE_PER_ITEM:
                raise DomainError(_("An item takes at most %(n)s files.") % {"n": EVIDENCE_PER_ITEM})
            evidence = store_evidence(
                assessment=locked, actor=actor, item_code=item_code, file=file, kind=kind
            )
            written = evidence.file
            audit.record(
                "assessments.evidence.uploaded",
                actor=actor,
                obj=evidence,
                ip=ip,
                data={"item": item_code, "name": evidence.original_name, "size": evidence.size},
            )
    except Exception:
        if written is not None:  # the row was rolled back: do not keep its file
            written.storage.delete(written.name)
        raise
    return evidence


def delete_evidence(*, evidence, actor, ip=None):
    _check_fill(actor)
    with transaction.atomic():
        locked = _lock(evidence.assessment, actor)
        _check_draft(locked)
        evidence = Evidence.objects.get(pk=evidence.pk, assessment=locked)
        storage, name = evidence.file.storage, evidence.file.name
        audit.record(
            "assessments.evidence.deleted",
            actor=actor,
            obj=evidence,
            ip=ip,
            data={"item": evidence.item_code, "name": evidence.original_name},
        )
        evidence.delete()
        transaction.on_commit(lambda: storage.delete(name))


# --- submitting ----------------------------------------------------------------------------------


def submit_assessment(*, assessment, actor, declared: bool, version: int, ip=None) -> Assessment:
    """Score the draft completely and lock it. Needs the truthfulness declaration and every answer."""
    _check_fill(actor)
    if not declared:
        raise DomainError(_("Confirm the truthfulness declaration to submit."))
    with transaction.atomic():
        locked = _lock(assessment, actor)
        if locked.status != Assessment.Status.DRAFT:
            raise DomainError(_("This assessment has already been submitted."))
        if locked.version != version:
            raise ConflictError(
                _("The answers changed since you opened this page. Check them and submit again.")
            )
        spec, rule = locked.instrument.spec, locked.level_rule.spec
        values = locked.answer_dict()
        partial, problems = running_result(spec, rule, values)
        if problems:  # answers made invalid by a later change elsewhere (B3 against B2's total)
            raise DomainError(" ".join(problems.values()))
        if partial.missing:
            missing = [(code, item_name(spec, code)) for code in partial.missing]
            raise IncompleteError(
                _("Not yet answered: %(items)s.") % {"items": joined(f"{c} {n}" for c, n in missing)},
                missing,
            )
        result = score(spec, values, rule)
        locked.status = Assessment.Status.SUBMITTED
        locked.result = result.as_dict()
        locked.total = result.total
        locked.level = result.level
        locked.declared = True
        locked.submitted_at = timezone.now()
        locked.submitted_by = actor
        locked.version += 1
        locked.save(
            update_fields=[
                "status",
                "result",
                "total",
                "level",
                "declared",
                "submitted_at",
                "submitted_by",
                "version",
                "updated_at",
            ]
        )
        standing.refresh_current_level(locked.enterprise_id)
        audit.record(
            "assessments.assessment.submitted",
            actor=actor,
            obj=locked,
            ip=ip,
            data={"total": plain(result.total), "level": result.level},
        )
        notify(
            people.district_officers(locked.enterprise.region),
            verb="assessment.submitted",
            title=_("%(name)s submitted its self-assessment (%(period)s)")
            % {"name": locked.enterprise.name, "period": locked.period},
            url=reverse("assessments:result", kwargs={"pk": locked.pk}),
        )
    return locked
