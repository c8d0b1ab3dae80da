"""What stage 1 contributes to the shared frame: rights, to-dos, the self-assessment panel, the case
file's stage 1 and navigation."""

from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.accounts import people
from smedx.assessments import auditlog, exports
from smedx.assessments.models import Assessment, ConflictDeclaration, DiagnosisRequest
from smedx.assessments.services.diagnosis import assigned_to
from smedx.core.frame import Hooks, NavEntry, Shortcut
from smedx.core.todos import Todo
from smedx.enterprises.models import follow_region

Status = DiagnosisRequest.Status


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


def next_step(enterprise):
    """Stage 1 moves forward by a submitted self-assessment, then an on-site diagnosis asked for."""
    from smedx.assessments.models import Assessment
    from smedx.enterprises.models import Stage

    if enterprise.stage > Stage.DIAGNOSIS:
        return None
    own = Assessment.objects.filter(enterprise=enterprise, kind=Assessment.Kind.SELF).order_by("-created_at")
    latest = own.first()
    if latest is None:
        return Todo(_("Fill in the self-assessment"), reverse("assessments:self_start"), stage=1)
    if latest.status == Assessment.Status.DRAFT:
        url = reverse("assessments:self_overview", kwargs={"pk": latest.pk})
        return Todo(_("Continue the self-assessment"), url, stage=1)
    if not DiagnosisRequest.objects.filter(enterprise=enterprise).exists():
        url = reverse("assessments:diagnosis_request", kwargs={"assessment_pk": latest.pk})
        return Todo(_("Ask for an on-site diagnosis of your self-assessment"), url, stage=1)
    return None


def self_assessment_panel(user):
    """The enterprise workbench: its latest assessments and the way into the self-assessment."""
    from smedx.assessments.levels import level_label
    from smedx.assessments.models import Assessment
    from smedx.core.todos import Panel

    if not user.has_right("assessments.assessment:fill"):
        return None
    rows = list(Assessment.objects.visible_to(user).order_by("-created_at", "-id")[:4])
    return Panel("assessments/_self_panel.html", {"rows": [(a, level_label(a.level)) for a in rows]})


def _list_url(**query) -> str:
    return reverse("assessments:diagnosis_list") + "?" + urlencode(query)


def diagnosis_todos(user) -> list[Todo]:
    if not user.is_authenticated or user.organisation is None:
        return []
    visible = DiagnosisRequest.objects.visible_to(user)
    todos = []
    if people.district_authority_of(user) is not None:
        if user.has_right("assessments.diagnosis:assign"):
            count = visible.filter(status=Status.REQUESTED).count()
            todos.append(
                Todo(_("On-site diagnosis requests to assign"), _list_url(status="requested"), count)
            )
        if user.has_right("assessments.conflict:decide"):
            count = ConflictDeclaration.objects.filter(
                request__in=visible, status=ConflictDeclaration.Status.PENDING
            ).count()
            todos.append(Todo(_("Declared interests to decide"), _list_url(conflicts="pending"), count))
    if people.is_committee_expert(user, "assessments.diagnosis:recommend"):
        count = visible.filter(status=Status.REQUESTED).count()
        todos.append(
            Todo(_("On-site diagnosis requests to recommend or assign"), _list_url(status="requested"), count)
        )
    if user.has_right("assessments.assessment:verify"):
        count = assigned_to(user).filter(status__in=(Status.ASSIGNED, Status.VISITED)).count()
        todos.append(Todo(_("On-site diagnoses to visit and verify"), _list_url(mine="1"), count))
    return todos


HOOKS = Hooks(
    # An enterprise moved to another district takes its assessments' and requests' district with it.
    extensions={"enterprises.region_moved": [follow_region(Assessment, DiagnosisRequest)]},
    exports=(exports.KIND,),
    audit_sentences=auditlog.SENTENCES,
    audit_fields=auditlog.FIELDS,
    rights={
        # Officers follow assessments, arrange on-site diagnoses and decide on declared interests.
        "authority": {
            "assessments.assessment:list",
            "assessments.assessment:export",
            "assessments.diagnosis:assign",
            "assessments.conflict:decide",
        },
        "committee": {
            "assessments.diagnosis:recommend",
            "assessments.diagnosis:assign",
            "assessments.assessment:verify",
        },
        "enterprise": {"assessments.assessment:fill", "assessments.diagnosis:request"},
        # A provider listed as a diagnosis institution (诊断机构) verifies the assessments it is assigned.
        "institution": {"assessments.assessment:verify"},
        "platform": {"assessments.level_rule:change"},
    },
    todos=(self_assessment_todo, diagnosis_todos),
    panels=(self_assessment_panel,),
    next_steps=(next_step,),
    shortcuts=(
        Shortcut(
            gettext_lazy("Self-assessment"),
            gettext_lazy("Where your digital level stands"),
            "bi-clipboard-check",
            "assessments:self_start",
            right="assessments.assessment:fill",
            order=1,
        ),
        Shortcut(
            gettext_lazy("Assessments"),
            gettext_lazy("Levels of the enterprises"),
            "bi-bar-chart",
            "assessments:list",
            right="assessments.assessment:list",
            order=1,
        ),
        Shortcut(
            gettext_lazy("On-site diagnosis"),
            gettext_lazy("Requests, visits and verifications"),
            "bi-clipboard2-pulse",
            "assessments:diagnosis_list",
            right="assessments.assessment:verify",
            order=1,
        ),
    ),
    journey={1: journey_stage},
    nav=(
        NavEntry(
            gettext_lazy("Self-assessment"),
            "assessments:self_start",
            stage=1,
            rights=("assessments.assessment:fill",),
        ),
        NavEntry(
            gettext_lazy("Assessments"), "assessments:list", stage=1, rights=("assessments.assessment:list",)
        ),
        NavEntry(
            gettext_lazy("On-site diagnosis"),
            "assessments:diagnosis_list",
            stage=1,
            rights=("assessments.diagnosis:assign", "assessments.assessment:verify"),
        ),
    ),
)
