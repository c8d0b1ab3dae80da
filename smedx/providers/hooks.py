"""What the provider pool contributes to the shared frame: rights, to-dos (derived from the current
state), the provider panel, the report's catalogue links, the daily listing job and navigation."""

from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from smedx.core.frame import DailyJob, Hooks, NavEntry
from smedx.core.todos import Panel, Todo
from smedx.providers import auditlog
from smedx.providers.models import (
    DECIDE,
    EDIT_PROFILE,
    REVIEW,
    ExpertReview,
    Objection,
    ProviderProfile,
    ProviderReference,
)
from smedx.providers.search import report_links
from smedx.providers.services import management

S = ProviderProfile.Status
NOTICE_ENDING_DAYS = 2


def provider_todos(user):
    if not user.has_right(EDIT_PROFILE):
        return []
    profile = ProviderProfile.objects.filter(organisation_id=user.organisation.pk).first()
    pool = reverse("providers:pool")
    if profile is None:
        return [Todo(_("Apply to the provider pool"), pool)]
    todos = []
    if profile.status == S.DRAFT:
        todos.append(Todo(_("Complete your provider pool application"), pool))
        chase = profile.references.filter(
            confirmation__in=[ProviderReference.Confirmation.ASKED, ProviderReference.Confirmation.DENIED]
        ).count()
        todos.append(Todo(_("Reference customers to chase"), pool + "#references", chase))
    if profile.status == S.WARNED and profile.warning_deadline:
        todos.append(Todo(_("Rectify the warning by %(date)s") % {"date": profile.warning_deadline}, pool))
    return todos


def committee_todos(user):
    if not user.has_right(REVIEW):
        return []
    mine = ExpertReview.objects.filter(profile=OuterRef("pk"), round=OuterRef("round"), expert=user)
    count = ProviderProfile.objects.filter(status=S.UNDER_REVIEW).exclude(Exists(mine)).count()
    return [Todo(_("Provider pool applications to review"), reverse("providers:review_list"), count)]


def manager_todos(user):
    if not user.has_right(DECIDE):
        return []
    manage = reverse("providers:manage_list")
    soon = timezone.localdate() + timedelta(days=NOTICE_ENDING_DAYS)
    reviewed = ExpertReview.objects.filter(profile=OuterRef("pk"), round=OuterRef("round"))
    counts = {
        "applied": ProviderProfile.objects.filter(status=S.APPLIED).count(),
        "reviewed": ProviderProfile.objects.filter(status=S.UNDER_REVIEW).filter(Exists(reviewed)).count(),
        "ending": ProviderProfile.objects.filter(status=S.IN_PUBLIC_NOTICE, notice_end__lte=soon).count(),
        "objections": Objection.objects.open().count(),
    }
    return [
        Todo(_("Pool applications to send to review"), f"{manage}?status=applied", counts["applied"]),
        Todo(_("Reviewed pool applications to decide"), f"{manage}?status=under_review", counts["reviewed"]),
        Todo(_("Public notices ending"), f"{manage}?status=in_public_notice", counts["ending"]),
        Todo(
            _("Open objections to public notices"), f"{manage}?status=in_public_notice", counts["objections"]
        ),
    ]


def enterprise_todos(user):
    asked = ProviderReference.objects.confirmations_for(user).filter(
        confirmation=ProviderReference.Confirmation.ASKED
    )
    first = asked.order_by("asked_at").values_list("pk", flat=True).first()
    if first is None:
        return []
    url = reverse("providers:reference_confirm", args=[first])
    return [Todo(_("Confirm that you use a provider's solution"), url, asked.count())]


def provider_panel(user):
    """The provider workbench: where its pool application stands."""
    if not user.has_right(EDIT_PROFILE):
        return None
    profile = ProviderProfile.objects.filter(organisation_id=user.organisation.pk).first()
    solutions = profile.solutions.count() if profile else 0
    return Panel("providers/_pool_panel.html", {"pool_profile": profile, "solution_count": solutions})


POOL_MANAGER = {"providers.application:decide", "providers.provider:manage"}


def list_due() -> int:
    """List every provider whose public notice ended without an open objection; returns how many."""
    return len(management.list_due_providers())


HOOKS = Hooks(
    audit_sentences=auditlog.SENTENCES,
    audit_fields=auditlog.FIELDS,
    rights={
        "provider": {"providers.profile:edit", "providers.solution:edit"},
        "committee": {"providers.application:review"},
        "platform": POOL_MANAGER | {"providers.institution:flag"},
        "city": POOL_MANAGER,
    },
    todos=(provider_todos, committee_todos, manager_todos, enterprise_todos),
    panels=(provider_panel,),
    extensions={"assessments.report_catalogue": [report_links]},
    daily_jobs=(DailyJob("list_due_providers", list_due, "providers whose public notice ended"),),
    nav=(
        NavEntry(_("Solutions"), "providers:catalogue", stage=3, public=True),
        NavEntry(
            _("Provider pool"),
            "providers:entry",
            stage=3,
            rights=("providers.application:decide", "providers.application:review", "providers.profile:edit"),
        ),
    ),
)
