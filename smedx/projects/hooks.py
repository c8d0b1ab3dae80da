"""Workbench to-dos of stage 4 registration and implementation, and the case file's stage 4."""

from datetime import timedelta
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.accounts import people
from smedx.assessments.levels import level_label
from smedx.core.frame import DailyJob, Hooks, NavEntry, Shortcut
from smedx.core.todos import Todo
from smedx.enterprises.models import follow_region
from smedx.projects import auditlog, metrics
from smedx.projects.models import Milestone, Project
from smedx.projects.services import acceptance, filing, supervision
from smedx.proposals.models import TransformationPlan

PS = Project.Status

DUE_SOON_DAYS = 14


def _list(**query) -> str:
    return reverse("projects:project_list") + ("?" + urlencode(query) if query else "")


def district_todos(user):
    if not user.has_right("projects.project:review"):
        return []
    org = people.district_authority_of(user)
    if org is None:
        return []
    return [
        Todo(_("Projects to review"), _list(status="submitted"), metrics.projects_to_review(org.region_id)),
        Todo(_("Project change requests to decide"), _list(), metrics.changes_to_decide(org.region_id)),
    ]


def provider_todos(user):
    """Milestones due within two weeks or overdue, not yet reported."""
    if not user.has_right("projects.progress:report"):
        return []
    today = timezone.localdate()
    milestones = Milestone.objects.filter(
        project__provider=user.organisation,
        project__status__in=Project.UNDERWAY,
        status=Milestone.Status.PLANNED,
        due_date__lte=today + timedelta(days=DUE_SOON_DAYS),
    ).select_related("project")
    return [
        Todo(
            (
                _("Overdue: report %(milestone)s")
                if m.due_date < today
                else _("Due soon: report %(milestone)s")
            )
            % {"milestone": f"{m.project} · {m.name}"},
            reverse("projects:milestone_report", args=[m.pk]),
        )
        for m in milestones.order_by("due_date")[:5]
    ]


def enterprise_todos(user):
    """In journey order: file the project of a chosen plan, correct a returned one, confirm milestones."""
    if not user.has_right("projects.project:edit"):
        return []
    org = user.organisation
    plans = TransformationPlan.objects.filter(enterprise__organisation=org, project__isnull=True)
    out = [
        Todo(
            _("File the project of the plan %(plan)s") % {"plan": plan},
            reverse("projects:project_create", args=[plan.pk]),
        )
        for plan in plans.select_related("proposal")[:5]
    ]
    returned = Project.objects.filter(enterprise__organisation=org, status=Project.Status.RETURNED)
    out += [
        Todo(
            _("Returned project to correct: %(project)s") % {"project": p},
            reverse("projects:project_edit", args=[p.pk]),
        )
        for p in returned[:5]
    ]
    if user.has_right("projects.milestone:confirm"):
        reported = Milestone.objects.filter(
            project__enterprise__organisation=org,
            project__status__in=Project.UNDERWAY,
            status=Milestone.Status.REPORTED,
        ).select_related("project")
        out += [
            Todo(
                _("Confirm the milestone %(milestone)s") % {"milestone": f"{m.project} · {m.name}"},
                reverse("projects:project_detail", args=[m.project_id]),
            )
            for m in reported[:5]
        ]
    return out


def next_step(enterprise):
    """Stage 4 moves forward by filing, correcting, confirming milestones and applying for acceptance;
    after the acceptance the next stage is policy support, which the platform does not run yet."""
    projects = Project.objects.filter(enterprise=enterprise)
    plan = TransformationPlan.objects.filter(enterprise=enterprise, project__isnull=True).first()
    if plan is not None:
        url = reverse("projects:project_create", args=[plan.pk])
        return Todo(_("File the project of the plan %(plan)s") % {"plan": plan}, url, stage=4)
    if returned := projects.filter(status=PS.RETURNED).first():
        url = reverse("projects:project_edit", args=[returned.pk])
        return Todo(_("Returned project to correct: %(project)s") % {"project": returned}, url, stage=4)
    reported = Milestone.objects.filter(
        project__in=projects.filter(status__in=Project.UNDERWAY), status=Milestone.Status.REPORTED
    )
    if milestone := reported.select_related("project").order_by("due_date").first():
        url = reverse("projects:project_detail", args=[milestone.project_id])
        title = _("Confirm the milestone %(milestone)s") % {
            "milestone": f"{milestone.project} · {milestone.name}"
        }
        return Todo(title, url, stage=4)
    if waiting := projects.filter(status__in=(PS.COMPLETED, PS.RECTIFY)).order_by("completed_at").first():
        url = reverse("projects:acceptance_apply", args=[waiting.pk])
        return Todo(_("Apply for the acceptance of %(project)s") % {"project": waiting}, url, stage=4)
    if accepted := projects.filter(status=PS.ACCEPTED).order_by("-id").first():
        title = _(
            "%(project)s is accepted. Next come the policies you may apply for: they will be shown here "
            "once stage 5, policy support, is on the platform."
        ) % {"project": accepted}
        return Todo(title, reverse("projects:project_detail", args=[accepted.pk]), stage=5)
    return None


_TODOS = (district_todos, provider_todos, enterprise_todos)


def journey_stage(enterprise, view):
    """Stage 4 of the case file: projects, their milestones, and the acceptance when decided."""
    projects = list(
        Project.objects.filter(enterprise=enterprise)
        .select_related(
            "provider",
            "acceptance_decision__verified_assessment",
            "acceptance_application__before_assessment",
            "acceptance_application__after_assessment",
        )
        .order_by("created_at", "id")
    )
    progress = metrics.milestone_progress([project.pk for project in projects])
    for plan in TransformationPlan.objects.filter(enterprise=enterprise, project__isnull=True):
        view.items.append(
            (
                _("Plan %(plan)s: the project is not filed yet") % {"plan": plan},
                reverse("projects:project_create", args=[plan.pk]),
            )
        )
    if projects:
        view.started_at = projects[0].registered_at or projects[0].created_at
    for project in projects:
        url = reverse("projects:project_detail", args=[project.pk])
        text = _("Project: %(project)s by %(provider)s · %(status)s") % {
            "project": project,
            "provider": project.provider,
            "status": project.get_status_display(),
        }
        view.items.append((text, url))
        if project.pk in progress:
            done, total = progress[project.pk]
            view.items.append(
                (_("Milestones confirmed: %(done)s of %(total)s") % {"done": done, "total": total}, url)
            )
        _acceptance_items(project, view, url)


def _one(project, name):
    """The reverse one-to-one row, or None (acceptance rows exist only once applied/decided)."""
    try:
        return getattr(project, name)
    except Project._meta.get_field(name).related_model.DoesNotExist:
        return None


def _acceptance_items(project, view, url):
    decision = _one(project, "acceptance_decision")
    if decision is None:
        return
    view.items.append((_("Acceptance: %(decision)s") % {"decision": decision.get_decision_display()}, url))
    application = _one(project, "acceptance_application")
    before = application.before_assessment if application else None
    after = decision.verified_assessment or (application.after_assessment if application else None)
    if before is not None and after is not None:
        levels = _("Level before: %(before)s, after: %(after)s") % {
            "before": level_label(before.level),
            "after": level_label(after.level),
        }
        view.items.append((levels, url))


# --- supervision and acceptance to-dos ---------------------------------------------------------------


def _follow_up_list(todo) -> str:
    return reverse("projects:acceptance_list") + "?" + urlencode({"todo": todo})


def acceptance_todos(user) -> list[Todo]:
    if not user.is_authenticated:
        return []
    todos = []
    if user.has_right(supervision.ASSIGN):
        todos.append(
            Todo(
                _("Projects awaiting a supervising expert"),
                _follow_up_list("assign"),
                metrics.follow_up_count(user, "assign"),
            )
        )
    if user.has_right(acceptance.DECIDE):
        todos.append(
            Todo(
                _("Acceptance applications to decide"),
                _follow_up_list("decide"),
                metrics.follow_up_count(user, "decide"),
            )
        )
    if user.has_right(supervision.ACT):
        todos.append(
            Todo(
                _("Fixed rectifications to close"),
                _follow_up_list("close"),
                metrics.follow_up_count(user, "close"),
            )
        )
    if user.has_right(supervision.FIX):
        todos.append(
            Todo(
                _("Open rectifications to fix"), _follow_up_list("fix"), metrics.follow_up_count(user, "fix")
            )
        )
    if user.has_right(acceptance.APPLY):
        todos.extend(_apply_todos(user))
    return todos


def _apply_todos(user) -> list[Todo]:
    waiting = metrics.FOLLOW_UPS["apply"](Project.objects.visible_to(user), user)
    projects = waiting.order_by("completed_at")[:5]
    out = []
    for project in projects:
        deadline = acceptance.deadline_of(project)
        title = _("Apply for the acceptance of %(project)s") % {"project": project}
        if deadline is not None and project.status == PS.COMPLETED:
            title = _("Apply for the acceptance of %(project)s by %(date)s") % {
                "project": project,
                "date": deadline.isoformat(),
            }
        out.append(Todo(title, reverse("projects:acceptance_apply", args=[project.pk])))
    return out


HOOKS = Hooks(
    # An enterprise moved to another district takes its projects' district with it.
    extensions={"enterprises.region_moved": [follow_region(Project)]},
    audit_sentences=auditlog.SENTENCES,
    audit_fields=auditlog.FIELDS,
    rights={
        # The enterprise registers its project, confirms milestones, records invoices, asks for changes,
        # applies for acceptance and rates its provider.
        "enterprise": {
            "projects.project:edit",
            "projects.milestone:confirm",
            "projects.invoice:record",
            "projects.acceptance:apply",
        },
        # The provider reports progress and fixes rectifications.
        "provider": {"projects.progress:report", "projects.rectification:fix"},
        # Authorities follow projects; the enterprise's district reviews them (checked by the services).
        "authority": {"projects.project:review", "projects.project:list"},
        # The committee assigns supervisors, supervises and decides acceptances.
        "committee": {
            "projects.supervision:assign",
            "projects.supervision:act",
            "projects.acceptance:decide",
        },
    },
    todos=(*_TODOS, acceptance_todos),
    journey={4: journey_stage},
    next_steps=(next_step,),
    shortcuts=(
        Shortcut(
            gettext_lazy("Projects"),
            gettext_lazy("Filing, milestones and acceptance"),
            "bi-kanban",
            "projects:project_list",
            right="projects.project:edit",
            order=4,
        ),
        Shortcut(
            gettext_lazy("Projects"),
            gettext_lazy("Milestones to report, rectifications to fix"),
            "bi-kanban",
            "projects:project_list",
            right="projects.progress:report",
            order=4,
        ),
        Shortcut(
            gettext_lazy("Projects"),
            gettext_lazy("Filing, review and follow-up"),
            "bi-kanban",
            "projects:project_list",
            right="projects.project:list",
            order=4,
        ),
    ),
    daily_jobs=(DailyJob("flag_overdue_milestones", filing.flag_overdue_milestones, "milestones past due"),),
    nav=(
        NavEntry(
            gettext_lazy("Projects"),
            "projects:project_list",
            stage=4,
            rights=(
                "projects.project:list",
                "projects.project:edit",
                "projects.progress:report",
                "projects.supervision:act",
                "projects.supervision:assign",
            ),
        ),
    ),
)
