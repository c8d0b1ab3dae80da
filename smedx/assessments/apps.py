from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _url(name, **kwargs) -> str:
    """A link to a page of another part of stage 1, or "" while that page does not exist."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


def journey_stage(enterprise, view):
    """Stage 1 of the case file: the assessments, their reports and the on-site diagnoses, with links."""
    from smedx.assessments.levels import level_label
    from smedx.assessments.models import Assessment, DiagnosisRequest

    rows = list(Assessment.objects.filter(enterprise=enterprise).order_by("created_at", "id"))
    if rows:
        view.started_at = rows[0].created_at
    for a in rows:
        text = f"{a.period} {a.get_kind_display()} · {a.get_status_display()}"
        if a.status == Assessment.Status.DRAFT:
            view.items.append((text, _url("assessments:self_overview", pk=a.pk)))
            continue
        view.items.append((f"{text} · {level_label(a.level)}", _url("assessments:result", pk=a.pk)))
        if report := _url("assessments:report", pk=a.pk):
            view.items.append((_("%(period)s diagnosis report") % {"period": a.period}, report))
    for request in DiagnosisRequest.objects.filter(enterprise=enterprise).order_by("requested_at", "id"):
        text = _("On-site diagnosis · %(status)s") % {"status": request.get_status_display()}
        view.items.append((text, _url("assessments:diagnosis_detail", pk=request.pk)))


def self_assessment_todo(user):
    """An enterprise without a self-assessment, or with a draft open, has one to fill in."""
    from django.db.models import Exists, OuterRef, Subquery
    from django.urls import reverse

    from smedx.assessments.models import Assessment
    from smedx.core.todos import Todo
    from smedx.enterprises.models import Enterprise

    if not user.has_right("assessments.assessment:fill"):
        return []
    own = Assessment.objects.filter(enterprise=OuterRef("pk"), kind=Assessment.Kind.SELF)
    draft = own.filter(status=Assessment.Status.DRAFT).order_by("-created_at").values("pk")[:1]
    row = (
        Enterprise.objects.visible_to(user)
        .annotate(has_any=Exists(own), draft=Subquery(draft))
        .values("has_any", "draft")
        .first()
    )
    if row is None:
        return []
    if row["draft"]:
        url = reverse("assessments:self_overview", kwargs={"pk": row["draft"]})
        return [Todo(_("Continue the self-assessment"), url)]
    if not row["has_any"]:
        return [Todo(_("Fill in the self-assessment"), reverse("assessments:self_start"))]
    return []


def self_assessment_panel(user):
    """The enterprise workbench: its latest assessments and the way into the self-assessment."""
    from smedx.assessments.levels import level_label
    from smedx.assessments.models import Assessment
    from smedx.core.todos import Panel

    if not user.has_right("assessments.assessment:fill"):
        return None
    rows = list(Assessment.objects.visible_to(user).order_by("-created_at", "-id")[:4])
    return Panel("assessments/_self_panel.html", {"rows": [(a, level_label(a.level)) for a in rows]})


class AssessmentsConfig(AppConfig):
    name = "smedx.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def ready(self):
        from smedx.assessments import services_diagnosis  # noqa: F401  (registers the diagnosis to-dos)
        from smedx.core import todos
        from smedx.enterprises import journey

        journey.register(1, journey_stage)
        todos.register(self_assessment_todo)
        todos.register_panel(self_assessment_panel)
