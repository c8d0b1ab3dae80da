"""What planning contributes to the shared frame: rights, the case file's stage 2, workbench to-dos,
the tier filter of the enterprise list and export, and navigation."""

from django import forms
from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from smedx.accounts import people
from smedx.accounts.models import Organisation
from smedx.assessments.levels import level_label
from smedx.core.frame import Hooks, NavEntry, Shortcut
from smedx.core.todos import Todo
from smedx.planning import auditlog
from smedx.planning.metrics import transformed_q
from smedx.planning.models import Application, Document, EnterpriseTier, PlanningRequest, ReadMark, Tier


def journey_stage(enterprise, view):
    """Stage 2 of the case file: planning requests and the guides the enterprise has read."""
    requests = list(PlanningRequest.objects.filter(enterprise=enterprise).order_by("requested_at", "id"))
    marks = (
        ReadMark.objects.filter(organisation_id=enterprise.organisation_id)
        if enterprise.organisation_id
        else None
    )
    first_read = (
        marks.order_by("read_at").values_list("read_at", flat=True).first() if marks is not None else None
    )
    starts = [when for when in (requests[0].requested_at if requests else None, first_read) if when]
    view.started_at = min(starts) if starts else None
    for request in requests:
        who = request.provider.name if request.provider_id else _("District")
        text = f"{_('Planning request')} · {who} · {request.get_status_display()}"
        view.items.append((text, reverse("planning:request_detail", args=[request.pk])))
    if marks is not None:
        read = marks.count()
        if read:
            view.items.append(
                (_("%(n)s guides and policies read") % {"n": read}, reverse("planning:library") + "?read=1")
            )


def next_step(enterprise):
    """Stage 2 moves forward by reading the guides and policies that help plan the transformation."""
    from smedx.enterprises.models import Stage

    if enterprise.stage > Stage.STRATEGY or not enterprise.organisation_id:
        return None
    if ReadMark.objects.filter(organisation_id=enterprise.organisation_id).exists():
        return None
    return Todo(
        _("Read the guides and policies to plan your transformation"), reverse("planning:library"), stage=2
    )


def unread_guides_todo(user):
    if not user.has_right("planning.document:read"):
        return []
    org = user.organisation
    unread = Document.objects.visible_to(user).current().exclude(read_marks__organisation_id=org.pk).count()
    return [Todo(_("Guides and policies for you to read"), reverse("planning:library") + "?read=0", unread)]


def open_requests_todo(user):
    if not user.has_right("planning.request:answer"):
        return []
    qs = PlanningRequest.objects.visible_to(user).filter(status=PlanningRequest.Status.REQUESTED)
    if user.organisation.kind == Organisation.Kind.AUTHORITY:
        if people.district_authority_of(user) is None:
            return []  # the city follows; the district answers
        qs = qs.filter(route=PlanningRequest.Route.DISTRICT)
    url = reverse("planning:request_list") + "?status=requested"
    return [Todo(_("Planning requests to answer"), url, qs.count())]


# --- the tier filter of the enterprise list ----------------------------------------------------------


def done_applications():
    """Applications whose tiers are written: one waiting, running or failed classifies nobody."""
    return Application.objects.filter(status=Application.Status.DONE)


def latest_applications():
    """The current application of each region: its latest done one."""
    latest = done_applications().filter(region=OuterRef("region")).order_by("-applied_at", "-id").values("pk")
    return Application.objects.filter(pk=Subquery(latest[:1]))


class TierChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, tier):
        return f"{tier.standard.region.name} · {tier.name}"


def current_tiers(user):
    """The tiers of the standards currently applied in the user's area (a district also sees the city's)."""
    applied = latest_applications()
    if (district := people.district_authority_of(user)) is not None:
        applied = applied.filter(Q(region_id=district.region_id) | Q(region__parent__isnull=True))
    return Tier.objects.filter(standard__in=applied.values("standard")).select_related("standard__region")


def tier_field(user):
    if not user.is_authenticated or not user.has_right("planning.standard:manage"):
        return None
    return TierChoiceField(
        label=_("Tier"), queryset=current_tiers(user), required=False, empty_label=_("All tiers")
    )


def filter_by_tier(qs, tier):
    current = done_applications().filter(region_id=tier.standard.region_id).order_by("-applied_at", "-id")
    rows = EnterpriseTier.objects.filter(
        enterprise=OuterRef("pk"), tier=tier, application=Subquery(current.values("pk")[:1])
    )
    return qs.filter(Exists(rows))


# --- the enterprise list behind a plan target's figures -------------------------------------------


def plan_level_field(user):
    if not user.is_authenticated or not user.has_right("planning.plan:view"):
        return None
    return forms.TypedChoiceField(
        label=_("Current level or above"),
        choices=[("", _("Any level")), *((n, level_label(n)) for n in range(0, 5))],
        coerce=int,
        empty_value=None,
        required=False,
    )


def filter_by_plan_level(qs, level):
    return qs.filter(current_level__gte=level)


def transformed_field(user):
    if not user.is_authenticated or not user.has_right("planning.plan:view"):
        return None
    return forms.ChoiceField(
        label=_("Transformed"), choices=[("", _("All")), ("1", _("Transformed"))], required=False
    )


def filter_transformed(qs, value):
    return qs.filter(transformed_q()) if value == "1" else qs


HOOKS = Hooks(
    audit_sentences=auditlog.SENTENCES,
    audit_fields=auditlog.FIELDS,
    rights={
        # Everyone with an active organisation reads the guide library (an enterprise only what fits it).
        "everyone": {"planning.document:view"},
        # Authorities issue documents, standards and plans and answer planning requests of their area.
        "authority": {
            "planning.document:manage",
            "planning.standard:manage",
            "planning.plan:view",
            "planning.plan:manage",
            "planning.request:list",
            "planning.request:answer",
        },
        "enterprise": {"planning.document:read", "planning.request:create", "planning.request:list"},
        # The provider an enterprise engaged for its plan answers that request.
        "provider": {"planning.request:list", "planning.request:answer"},
    },
    todos=(unread_guides_todo, open_requests_todo),
    journey={2: journey_stage},
    next_steps=(next_step,),
    shortcuts=(
        Shortcut(
            _("Guides and policies"),
            _("Plan your transformation"),
            "bi-journal-text",
            "planning:library",
            right="planning.document:view",
            order=2,
        ),
    ),
    list_filters=(
        ("tier", tier_field, filter_by_tier),
        ("plan_level", plan_level_field, filter_by_plan_level),
        ("transformed", transformed_field, filter_transformed),
    ),
    nav=(NavEntry(_("Planning"), "planning:library", stage=2, rights=("planning.document:view",)),),
)
