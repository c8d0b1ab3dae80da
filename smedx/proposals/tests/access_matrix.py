"""Stage 3 (needs, proposals, plan) URLs in the access matrix (see smedx/core/tests/test_url_access.py).

`setup` gives the persona enterprise: a published need with the persona provider invited, its research
recorded and a submitted proposal flagged as a conflict of interest (`pj_need`, `pj_proposal`); a
second published need where the provider has researched but not yet proposed (`pj_open_invitation`);
a draft need (`pj_draft`); and a need whose plan is chosen (`pj_plan`). Rows are written directly so
the matrix does not depend on other apps' setups.
"""

from datetime import date

from smedx.proposals.models import (
    Invitation,
    Need,
    NeedScene,
    Proposal,
    ProposalComment,
    Research,
    TransformationPlan,
)
from smedx.providers.models import ProviderProfile

L = "login"
API = "REST API, covered by smedx/api/tests"
RESEARCH = {
    "researched_on": date(2026, 2, 1),
    "people_met": "王明",
    "strategy": "s",
    "production": "p",
    "management_model": "m",
    "organisation": "o",
}


def _need(cls, status, title):
    need = Need.objects.create(
        enterprise=cls.enterprise, title=title, status=status, target_level=2, budget=300000, current_level=1
    )
    NeedScene.objects.create(need=need, scene="S01", name="场景", current_level=1, target_level=2)
    return need


def _proposal(need, invitation, status):
    return Proposal.objects.create(
        need=need,
        invitation=invitation,
        provider=invitation.provider,
        title="方案",
        scope="范围",
        status=status,
    )


def setup(cls):
    provider = cls.provider.organisation
    profile, _created = ProviderProfile.objects.get_or_create(organisation=provider)
    if profile.status not in ProviderProfile.PUBLIC:
        ProviderProfile.objects.filter(pk=profile.pk).update(status=ProviderProfile.Status.LISTED)
    cls.pj_need = _need(cls, Need.Status.PUBLISHED, "已发布需求")
    invitation = Invitation.objects.create(
        need=cls.pj_need, provider=provider, status=Invitation.Status.PROPOSED
    )
    Research.objects.create(invitation=invitation, **RESEARCH)
    cls.pj_proposal = _proposal(cls.pj_need, invitation, Proposal.Status.SUBMITTED)
    Proposal.objects.filter(pk=cls.pj_proposal.pk).update(conflict="诊断机构")
    ProposalComment.objects.create(proposal=cls.pj_proposal, author=cls.expert, body="好")
    open_need = _need(cls, Need.Status.PUBLISHED, "待方案需求")
    cls.pj_open_invitation = Invitation.objects.create(need=open_need, provider=provider)
    Research.objects.create(invitation=cls.pj_open_invitation, **RESEARCH)
    cls.pj_draft = _need(cls, Need.Status.DRAFT, "草稿需求")
    done = _need(cls, Need.Status.FULFILLED, "已选定需求")
    chosen = Invitation.objects.create(need=done, provider=provider, status=Invitation.Status.PROPOSED)
    proposal = _proposal(done, chosen, Proposal.Status.SELECTED)
    cls.pj_plan = TransformationPlan.objects.create(
        need=done, proposal=proposal, enterprise=cls.enterprise, selected_by=cls.enterprise_user
    )


def need(test, persona):
    return {"pk": test.pj_need.pk}


def draft(test, persona):
    return {"pk": test.pj_draft.pk}


def open_invitation(test, persona):
    return {"pk": test.pj_open_invitation.pk}


def proposal(test, persona):
    return {"pk": test.pj_proposal.pk}


def plan(test, persona):
    return {"pk": test.pj_plan.pk}


def no_args(test, persona):
    return {}


POST_ONLY = (L, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
# The enterprise, its officers, the committee and the invited provider see a published need.
NEED_SEEN = (L, 404, 200, 200, 404, 200, 200, 404, 200, 200, 404)
# They see it; only the enterprise, its officers and the committee follow the shortlist and comparison.
FOLLOWERS = (L, 404, 200, 200, 404, 200, 403, 404, 200, 200, 404)
# The invited provider's own pages; others who see the need get 403.
PROVIDER_OWN = (L, 404, 403, 403, 404, 403, 200, 404, 403, 403, 404)

# fmt: off
MATRIX = {
    #                                                         anon outs city dist odis expe prov plat ent  coll oent
    "proposals:need_list":           (no_args,         (L,   403, 200, 200, 200, 200, 200, 403, 200, 200, 200)),
    # Any enterprise prepares needs for itself.
    "proposals:need_create":         (no_args,         (L,   403, 403, 403, 403, 403, 403, 403, 200, 200, 200)),
    "proposals:need_detail":         (need,            NEED_SEEN),
    # A draft is the enterprise's own: officers see it (403 to change), the committee and providers do not.
    "proposals:need_edit":           (draft,           (L,   404, 403, 403, 404, 404, 404, 404, 200, 200, 404)),
    "proposals:need_publish":        (draft,           POST_ONLY),
    "proposals:need_close":          (need,            POST_ONLY),
    "proposals:need_matches":        (need,            FOLLOWERS),
    "proposals:need_invite":         (need,            POST_ONLY),
    "proposals:need_recommend":      (need,            (L,   404, 403, 403, 404, 200, 403, 404, 403, 403, 404)),
    "proposals:need_compare":        (need,            FOLLOWERS),
    "proposals:need_select":         (need,            POST_ONLY),
    "proposals:invitation_list":     (no_args,         (L,   403, 403, 403, 403, 403, 200, 403, 403, 403, 403)),
    "proposals:invitation_decline":  (open_invitation, POST_ONLY),
    "proposals:research_edit":       (open_invitation, PROVIDER_OWN),
    "proposals:proposal_edit":       (open_invitation, PROVIDER_OWN),
    "proposals:proposal_detail":     (proposal,        NEED_SEEN),
    "proposals:proposal_submit":     (proposal,        POST_ONLY),
    "proposals:proposal_withdraw":   (proposal,        POST_ONLY),
    "proposals:proposal_comment":    (proposal,        POST_ONLY),
    # Only the enterprise's own district acknowledges a conflict of interest.
    "proposals:conflict_acknowledge": (proposal,       (L,   404, 403, 200, 404, 403, 403, 404, 403, 403, 404)),
    "proposals:plan_detail":         (plan,            NEED_SEEN),
}
# fmt: on

EXEMPT = {
    f"api-1.0.0:{name}": API
    for name in (
        "list_needs",
        "create_need",
        "get_need",
        "update_need",
        "publish_need",
        "need_matches",
        "list_proposals",
        "create_proposal",
        "get_proposal",
        "submit_proposal",
        "select_proposal",
    )
}
