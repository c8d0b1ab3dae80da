"""Stage 3 demo data: needs, invitations, research, proposals in every state, a plan, a conflict of interest.

`seed_proposals(stdout)` is called by `seed_demo` after the provider pool. The demo `enterprise` login
goes through the same services as the pages: it publishes a need from its diagnosis, invites the
three best-matched providers (one declines), two research and propose, experts comment, and the
enterprise selects one — its transformation plan. A second need stays a draft.

Enterprises without logins get rows written the way the services would leave them: needs in every
status, proposals drafted, submitted and withdrawn, and — for an enterprise in 渝北区 diagnosed by a
listed institution — that institution's flagged proposal, acknowledged by the district officer.

Idempotent: nothing is created when the demo enterprise already has a need.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from smedx.accounts import people
from smedx.accounts.models import User
from smedx.assessments.models import Assessment, DiagnosisRequest
from smedx.enterprises.models import Enterprise, Stage
from smedx.proposals import conflicts, matching, pool, services
from smedx.proposals.models import (
    Invitation,
    Need,
    NeedScene,
    Proposal,
    ProposalItem,
    ProposalMilestone,
    Research,
)

HOME = "500112"
RESEARCH = {
    "researched_on": date(2026, 1, 15),
    "people_met": "总经理、生产副总、信息部负责人",
    "strategy": "三年内建成数字化车间，主攻新能源汽车零部件",
    "production": "多品种小批量，数控机床 40 台，纸质工单流转",
    "management_model": "ERP 管财务与采购，生产靠班组长经验排产",
    "organisation": "信息部 3 人，无专职数据人员",
}
OFFERS = [
    ("云MES 轻量化实施方案", [("software", "云MES 订阅（一年）", 1, 98000), ("service", "实施与培训", 15, 2800)]),
    ("设备联网与生产管控方案", [("hardware", "数采网关", 20, 1800), ("software", "生产管控平台", 1, 120000),
                        ("integration", "与 ERP 集成", 1, 30000)]),
    ("数字化车间一期方案", [("software", "MES 授权", 1, 150000), ("service", "驻场实施", 30, 3000)]),
]  # fmt: skip


def _need_data(need, budget="400000"):
    return {
        "title": need.title,
        "target_level": need.target_level or 2,
        "budget": Decimal(budget),
        "start_month": date(2026, 4, 1),
        "end_month": date(2026, 12, 1),
        "description": "希望以较低成本提升生产过程透明度，先做设备联网与报工。",
    }


def _propose(invitation, actor, offer):
    title, items = offer
    services.record_research(invitation=invitation, actor=actor, data=RESEARCH)
    scenes = dict(invitation.need.scenes.values_list("scene", "target_level")[:3])
    return services.save_proposal(
        invitation=invitation,
        actor=actor,
        data={
            "title": title,
            "scope": "围绕诊断短板场景，分两期实施。",
            "expected_level": invitation.need.target_level,
        },
        items=[
            {"kind": k, "description": d, "quantity": Decimal(q), "unit_price": Decimal(p)}
            for k, d, q, p in items
        ],
        milestones=[
            {"name": "方案确认", "due_date": date(2026, 4, 30), "deliverable": "详细设计"},
            {"name": "系统上线", "due_date": date(2026, 8, 31), "deliverable": "上线报告"},
            {"name": "项目验收", "due_date": date(2026, 11, 30), "deliverable": "验收报告"},
        ],
        kpis=[{"name": "设备联网率", "baseline": Decimal(15), "target": Decimal(80), "unit": "%"}],
        scenes=scenes,
    )


def _staff(org):
    return people.users_where(organisation=org).order_by("id").first()


def _demo_enterprise_story(user, stdout) -> bool:
    enterprise = Enterprise.objects.filter(organisation_id=user.organisation.pk).first()
    if enterprise is None or services.latest_diagnosis(enterprise) is None:
        stdout.write("Projects: the demo enterprise has no diagnosis; its story is skipped.")
        return False
    need = services.draft_need_from_diagnosis(enterprise=enterprise, actor=user)
    services.update_need(
        need=need,
        actor=user,
        data=_need_data(need),
        scenes=dict(need.scenes.values_list("scene", "target_level")),
    )
    need = services.publish_need(need=need, actor=user)
    providers, seen = [], set()
    for match in matching.shortlist(need, limit=20):
        if match.provider.pk not in seen:
            seen.add(match.provider.pk)
            providers.append((match.provider, match.solution))
    experts = list(User.objects.filter(username__in=["expert", "expert_chen"]).order_by("username"))
    if len(providers) >= 3 and experts:
        services.recommend_provider(
            need=need, actor=experts[0], provider=providers[0][0], note="该服务商在本行业有多个成功案例。"
        )
    invitations = [
        services.invite_provider(need=need, actor=user, provider=org, solution=sol)
        for org, sol in providers[:3]
    ]
    proposals = []
    for invitation, offer in zip(invitations[:2], OFFERS, strict=False):
        staff = _staff(invitation.provider)
        if staff is None:  # a provider without a login: its rows as the services would leave them
            proposals.append(
                _write_proposal(
                    invitation.need, invitation.provider, Proposal.Status.SUBMITTED, offer, invitation
                )
            )
        else:
            proposals.append(
                services.submit_proposal(proposal=_propose(invitation, staff, offer), actor=staff)
            )
    if len(invitations) == 3:
        Invitation.objects.filter(pk=invitations[2].pk).update(
            status=Invitation.Status.DECLINED, answered_at=timezone.now(), decline_reason="近期档期已满"
        )
    for expert, proposal in zip(experts, proposals, strict=False):
        services.comment_proposal(
            proposal=proposal, actor=expert, body="方案务实，建议先做设备联网再上 MES，注意数据口径统一。"
        )
    if proposals:
        services.select_proposal(need=need, proposal=proposals[0], actor=user)
    draft = services.draft_need_from_diagnosis(enterprise=enterprise, actor=user)
    services.update_need(
        need=draft,
        actor=user,
        data={**_need_data(draft, "20"), "title": "供应链协同二期（草稿）"},
        scenes=dict(draft.scenes.values_list("scene", "target_level")[:2]),
    )
    return True


def _write_need(enterprise, status, title, assessment):
    gap = (assessment.result or {}).get("gap") or {}
    need = Need.objects.create(
        enterprise=enterprise,
        title=title,
        source_assessment=assessment,
        current_level=assessment.level,
        target_level=gap.get("level", min((assessment.level or 0) + 1, 4)),
        budget=Decimal(300000),
        start_month=date(2026, 5, 1),
        end_month=date(2026, 12, 1),
        status=status,
        published_at=None if status == Need.Status.DRAFT else timezone.now() - timedelta(days=10),
    )
    rows = [s for s in gap.get("scenes", []) if s["to"] > s["from"]] or [
        {"scene": "S06", "name": "生产作业", "from": 0, "to": 1}
    ]
    NeedScene.objects.bulk_create(
        NeedScene(need=need, scene=s["scene"], name=s["name"], current_level=s["from"], target_level=s["to"])
        for s in rows[:4]
    )
    if status != Need.Status.DRAFT and enterprise.stage < Stage.DESIGN:
        Enterprise.objects.filter(pk=enterprise.pk).update(
            stage=Stage.DESIGN, stage_changed_at=timezone.now()
        )
    return need


def _write_proposal(need, provider, status, offer, invitation=None, conflict=""):
    invited = Invitation.Status.INVITED if status == Proposal.Status.DRAFT else Invitation.Status.PROPOSED
    if invitation is None:
        invitation = Invitation.objects.create(need=need, provider=provider, status=invited)
    else:
        Invitation.objects.filter(pk=invitation.pk).update(status=invited)
    Research.objects.create(invitation=invitation, **RESEARCH)
    title, items = offer
    proposal = Proposal.objects.create(
        need=need,
        invitation=invitation,
        provider=provider,
        title=title,
        scope="围绕诊断短板场景实施。",
        expected_level=need.target_level,
        status=status,
        conflict=conflict,
        submitted_at=None if status == Proposal.Status.DRAFT else timezone.now() - timedelta(days=3),
    )
    rows = [
        ProposalItem(
            proposal=proposal, kind=k, description=d, quantity=q, unit_price=p, amount=Decimal(q * p)
        )
        for k, d, q, p in items
    ]
    ProposalItem.objects.bulk_create(rows)
    ProposalMilestone.objects.create(
        proposal=proposal, name="上线", due_date=date(2026, 9, 30), deliverable="上线报告"
    )
    Proposal.objects.filter(pk=proposal.pk).update(total=sum(r.amount for r in rows))
    return proposal


def _other_needs(district_officer) -> int:
    """Needs of enterprises without logins, in every status, and an acknowledged conflict of interest."""
    listed = list(pool.listed_providers().order_by("name")[:4])
    rated = (
        Assessment.objects.filter(status__in=(Assessment.Status.SUBMITTED, Assessment.Status.VERIFIED))
        .filter(enterprise__organisation__isnull=True, enterprise__region__code=HOME)
        .exclude(enterprise__needs__isnull=False)
        .select_related("enterprise")
        .order_by("enterprise_id", "-id")
    )
    by_enterprise = {}
    for a in rated:
        by_enterprise.setdefault(a.enterprise_id, a)
    assessments = list(by_enterprise.values())[:5]
    if len(listed) < 2 or len(assessments) < 5:
        return 0
    S, P = Need.Status, Proposal.Status
    _write_need(assessments[0].enterprise, S.DRAFT, "设备联网改造（草稿）", assessments[0])
    open_need = _write_need(assessments[1].enterprise, S.PUBLISHED, "生产管控数字化", assessments[1])
    Invitation.objects.create(need=open_need, provider=listed[0])
    _write_proposal(open_need, listed[1], P.DRAFT, OFFERS[1])
    busy = _write_need(assessments[2].enterprise, S.PUBLISHED, "质量追溯系统", assessments[2])
    _write_proposal(busy, listed[0], P.SUBMITTED, OFFERS[0])
    _write_proposal(busy, listed[1], P.WITHDRAWN, OFFERS[2])
    Invitation.objects.create(
        need=busy, provider=listed[2], status=Invitation.Status.DECLINED, decline_reason="不擅长"
    )
    _write_need(assessments[3].enterprise, S.CLOSED, "仓储管理升级", assessments[3])
    # A conflict of interest: the institution that diagnosed an enterprise of 渝北区 proposes to it.
    diagnosed = (
        DiagnosisRequest.objects.filter(institution__in=listed, enterprise__region__code=HOME)
        .exclude(status=DiagnosisRequest.Status.CANCELLED)
        .exclude(enterprise__needs__isnull=False)
        .select_related("enterprise", "institution")
        .first()
    )
    if diagnosed is not None:
        assessment = services.latest_diagnosis(diagnosed.enterprise) or assessments[4]
        need = _write_need(diagnosed.enterprise, S.PUBLISHED, "诊断后整体提升方案", assessment)
        reasons = " ".join(conflicts.diagnosis_reasons(diagnosed.institution, diagnosed.enterprise))
        flagged = _write_proposal(need, diagnosed.institution, P.SUBMITTED, OFFERS[2], conflict=reasons)
        services.acknowledge_conflict(
            proposal=flagged, actor=district_officer, note="诊断与实施团队分离，企业自主选择，已知悉并同意。"
        )
    return 5 + (diagnosed is not None)


def seed_proposals(stdout) -> None:
    users = {u.username: u for u in User.objects.filter(username__in=["enterprise", "district_officer"])}
    if len(users) < 2 or users["enterprise"].organisation is None:
        stdout.write("Projects: skipped (run seed_demo for the demo logins first).")
        return
    enterprise_org = users["enterprise"].organisation
    if Need.objects.filter(enterprise__organisation=enterprise_org).exists():
        stdout.write("Projects: already seeded.")
        return
    story = _demo_enterprise_story(users["enterprise"], stdout)
    with transaction.atomic():
        others = _other_needs(users["district_officer"])
    stdout.write(
        f"Projects: the demo enterprise's need and plan {'created' if story else 'skipped'}; "
        f"{others} needs of other enterprises; {Proposal.objects.count()} proposals in all."
    )
