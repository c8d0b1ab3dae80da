"""Workbench to-dos of stage 3 (derived from state, never stored) and the case file's stage 3."""

from urllib.parse import urlencode

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from smedx.accounts import people
from smedx.core.frame import Hooks, NavEntry, Shortcut
from smedx.core.todos import Todo
from smedx.proposals import auditlog, metrics
from smedx.proposals.conflicts import proposal_rule
from smedx.proposals.models import Need, Proposal, TransformationPlan


def _list(**query) -> str:
    return reverse("proposals:need_list") + ("?" + urlencode(query) if query else "")


def enterprise_todos(user):
    """Needs with submitted proposals waiting to be compared and one selected."""
    if not user.has_right("proposals.proposal:select"):
        return []
    submitted = Proposal.objects.filter(need=OuterRef("pk"), status=Proposal.Status.SUBMITTED)
    needs = Need.objects.visible_to(user).filter(status=Need.Status.PUBLISHED).filter(Exists(submitted))
    return [
        Todo(
            _("Compare the proposals for %(need)s") % {"need": need},
            reverse("proposals:need_compare", args=[need.pk]),
        )
        for need in needs[:5]
    ]


def provider_todos(user):
    if not user.has_right("proposals.proposal:edit"):
        return []
    to_research, to_answer = metrics.open_invitations(user)
    url = reverse("proposals:invitation_list")
    return [
        Todo(_("Record your research for invitations to propose"), url, to_research),
        Todo(_("Answer invitations to propose"), url, to_answer),
    ]


def expert_todos(user):
    out = []
    if user.has_right("proposals.need:recommend"):
        count = metrics.needs_awaiting_recommendation()
        out.append(Todo(_("Needs awaiting expert recommendations"), _list(status="published"), count))
    if user.has_right("proposals.proposal:comment"):
        count = metrics.proposals_awaiting_comment(user)
        out.append(Todo(_("Proposals awaiting your comment"), _list(status="published"), count))
    return out


def district_todos(user):
    """Flagged proposals in the district whose conflict of interest awaits acknowledgement."""
    if not user.has_right("proposals.conflict:acknowledge"):
        return []
    org = people.district_authority_of(user)
    if org is None:
        return []
    count = metrics.conflicts_to_acknowledge(org.region_id)
    return [Todo(_("Conflicts of interest to acknowledge"), _list(conflicts="pending"), count)]


def next_step(enterprise):
    """Stage 3 moves forward by a published need, then the proposal chosen from those submitted."""
    from smedx.enterprises.models import Stage

    submitted = Proposal.objects.filter(need=OuterRef("pk"), status=Proposal.Status.SUBMITTED)
    needs = Need.objects.filter(enterprise=enterprise)
    to_compare = (
        needs.filter(status=Need.Status.PUBLISHED).filter(Exists(submitted)).order_by("created_at").first()
    )
    if to_compare is not None:
        url = reverse("proposals:need_compare", args=[to_compare.pk])
        return Todo(_("Choose a proposal for %(need)s") % {"need": to_compare}, url, stage=3)
    if enterprise.stage <= Stage.DESIGN and not needs.exclude(status=Need.Status.CLOSED).exists():
        return Todo(_("Publish a need for providers to propose"), reverse("proposals:need_create"), stage=3)
    return None


_TODOS = (enterprise_todos, provider_todos, expert_todos, district_todos)


def journey_stage(enterprise, view):
    """Stage 3 of the case file: needs, invitations, proposals and the chosen plan, with links."""
    needs = list(Need.objects.filter(enterprise=enterprise).order_by("created_at", "id"))
    if needs:
        view.started_at = needs[0].published_at or needs[0].created_at
    proposals = Proposal.objects.filter(need__enterprise=enterprise).exclude(status=Proposal.Status.DRAFT)
    by_need = {}
    for p in proposals.select_related("provider").order_by("submitted_at", "id"):
        by_need.setdefault(p.need_id, []).append(p)
    invited = metrics.invitations_per_need(enterprise)
    plans = {
        p.need_id: p
        for p in TransformationPlan.objects.filter(enterprise=enterprise).select_related("proposal__provider")
    }
    for need in needs:
        url = reverse("proposals:need_detail", args=[need.pk])
        text = _("Need: %(need)s · %(status)s · %(n)s providers invited") % {
            "need": need,
            "status": need.get_status_display(),
            "n": invited.get(need.pk, 0),
        }
        view.items.append((text, url))
        for p in by_need.get(need.pk, []):
            text = _("Proposal by %(provider)s · %(status)s") % {
                "provider": p.provider,
                "status": p.get_status_display(),
            }
            view.items.append((text, reverse("proposals:proposal_detail", args=[p.pk])))
        if need.pk in plans:
            plan = plans[need.pk]
            text = _("Transformation plan: %(proposal)s by %(provider)s") % {
                "proposal": plan.proposal,
                "provider": plan.proposal.provider,
            }
            view.items.append((text, reverse("proposals:plan_detail", args=[plan.pk])))


HOOKS = Hooks(
    audit_sentences=auditlog.SENTENCES,
    audit_fields=auditlog.FIELDS,
    rights={
        "enterprise": {"proposals.need:edit", "proposals.proposal:select"},
        "provider": {"proposals.proposal:edit"},
        "committee": {"proposals.need:recommend", "proposals.proposal:comment"},
        # The services let only the enterprise's own district acknowledge a conflict of interest.
        "authority": {"proposals.need:list", "proposals.conflict:acknowledge"},
    },
    todos=_TODOS,
    journey={3: journey_stage},
    next_steps=(next_step,),
    shortcuts=(
        Shortcut(
            gettext_lazy("Needs"),
            gettext_lazy("Needs and proposals"),
            "bi-megaphone",
            "proposals:need_list",
            right="proposals.need:edit",
            order=3,
        ),
        Shortcut(
            gettext_lazy("Invitations to propose"),
            gettext_lazy("Needs you are invited to"),
            "bi-envelope-open",
            "proposals:invitation_list",
            right="proposals.proposal:edit",
            order=3,
        ),
    ),
    extensions={"assessments.conflict_rules": [proposal_rule]},
    nav=(
        NavEntry(
            gettext_lazy("Needs"),
            "proposals:need_list",
            stage=3,
            rights=(
                "proposals.need:list",
                "proposals.need:edit",
                "proposals.proposal:edit",
                "proposals.need:recommend",
            ),
        ),
    ),
)
