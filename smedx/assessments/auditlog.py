"""How the audit codes of assessments read in the history and the audit log (installed through its hooks)."""

from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from smedx.core.frame import AuditSentence

SENTENCES = {
    "assessments.assessment.created": _("%(actor)s started the assessment %(object)s"),
    "assessments.answer.saved": AuditSentence(
        _("%(actor)s saved the answer to %(item)s"),
        folded=_("%(actor)s saved %(count)s questions of %(object)s"),
        fold_by="item",
    ),
    "assessments.evidence.uploaded": _("%(actor)s uploaded the evidence %(name)s for %(item)s"),
    "assessments.evidence.deleted": _("%(actor)s deleted the evidence %(name)s of %(item)s"),
    "assessments.assessment.submitted": _(
        "%(actor)s submitted the assessment %(object)s: %(total)s points, level %(level)s"
    ),
    "assessments.diagnosisrequest.requested": _("%(actor)s requested an on-site diagnosis: %(object)s"),
    "assessments.diagnosisrequest.recommended": _(
        "%(actor)s recommended %(recommended)s for the diagnosis %(object)s"
    ),
    "assessments.diagnosisrequest.assigned": _("%(actor)s assigned the diagnosis %(object)s to %(verifier)s"),
    "assessments.diagnosisrequest.visit_recorded": _(
        "%(actor)s recorded the on-site visit of %(visited_on)s"
    ),
    "assessments.diagnosisrequest.answers_accepted": _(
        "%(actor)s accepted the remaining self-assessed answers of %(object)s"
    ),
    "assessments.diagnosisrequest.verification_started": _(
        "%(actor)s started verifying the assessment of %(object)s"
    ),
    "assessments.diagnosisrequest.answer_accepted": AuditSentence(
        _("%(actor)s accepted the answer to %(item)s"),
        folded=_("%(actor)s accepted the answers to %(count)s questions"),
        fold_by="item",
    ),
    "assessments.diagnosisrequest.answer_adjusted": _(
        "%(actor)s adjusted the answer to %(item)s from %(from)s to %(to)s"
    ),
    "assessments.diagnosisrequest.verified": _(
        "%(actor)s finished the verification: %(verified_total)s points, level %(level)s"
    ),
    "assessments.conflictdeclaration.declared": _("%(actor)s declared an interest: %(object)s"),
    "assessments.conflictdeclaration.approved": _("%(actor)s approved the declared interest %(object)s"),
    "assessments.conflictdeclaration.refused": _("%(actor)s refused the declared interest %(object)s"),
}

FIELDS = {
    "period": _("period"),
    "instrument": _("instrument"),
    "item": _("question"),
    "items": _("questions"),
    "value": _("answer"),
    "name": _("file"),
    "size": (_("size"), filesizeformat),
    "total": _("points"),
    "level": _("level"),
    "route": _("route"),
    "recommended": _("recommended"),
    "note": _("note"),
    "verifier": _("verifier"),
    "visited_on": _("visited on"),
    "from": _("from"),
    "to": _("to"),
    "reason": _("reason"),
    "self_total": _("self-assessed points"),
    "verified_total": _("verified points"),
}
