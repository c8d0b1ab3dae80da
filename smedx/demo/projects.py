"""Stage 4 demo data: projects in every state, overdue milestones, supervision and an accepted project.

`seed_projects(stdout)` is called by `seed_demo` after the stage 3 demo. The demo `enterprise` login
walks its plan through the same services as the pages: it files the project, the district returns it
once and then registers it, the provider reports the milestones and the enterprise confirms them, an
expert supervises (a visit, a rectification fixed and closed), invoices and acceptance documents are
added, the enterprise fills in its T1 and applies for acceptance rating the provider, an expert
verifies the T1 on site and the committee accepts: the case file shows the levels before and after.

Enterprises without logins get projects written the way the services would leave them, one per state,
with the `provider` login's organisation and the `expert` login as supervisor where it shows work:
an open rectification, overdue milestones, an application to decide.

Idempotent: nothing is created when a project exists already.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from smedx.accounts import people
from smedx.accounts.models import Organisation, User
from smedx.assessments.models import Assessment, Instrument, LevelRule
from smedx.assessments.services import diagnosis
from smedx.assessments.services import self_assessment as assessment_services
from smedx.core.creditcode import make_credit_code
from smedx.demo.assessments import CODE, SEED, answers_for_level
from smedx.enterprises.models import Enterprise, Stage
from smedx.enterprises.services.casefile import advance_stage
from smedx.projects.models import (
    AcceptanceApplication,
    AcceptanceDecision,
    Invoice,
    Milestone,
    Project,
    ProjectFile,
    ProjectItem,
    ProviderRating,
    Rectification,
    ReviewStep,
    SupervisionAssignment,
    SupervisionVisit,
)
from smedx.projects.services import acceptance as acceptance
from smedx.projects.services import filing as delivery
from smedx.projects.services import supervision as supervision
from smedx.proposals.models import Invitation, Need, Proposal, TransformationPlan

PS = Project.Status
PDF = b"%PDF-1.4\n% smedx demo document\n"
GOALS = {
    "goal_production_line": "关键工序设备联网，生产报工电子化。",
    "goal_management": "计划排程与质量追溯上线，管理数据按日出具。",
    "goal_data_flow": "ERP 与 MES 打通，订单到交付数据贯通。",
}


def _pdf(name):
    return ContentFile(PDF, name=name)


def _user(username):
    return User.objects.filter(username=username).first()


def _staff(org):
    return people.users_where(organisation=org).order_by("id").first()


# --- the demo enterprise, through the services ----------------------------------------------------------


def _file(project, user):
    """Fill in the filing form from the plan, with the contract, and submit it."""
    rows = list(project.items.values("kind", "description", "quantity", "unit_price"))
    total = sum((r["quantity"] * r["unit_price"]).quantize(Decimal("0.01")) for r in rows)
    today = timezone.localdate()
    milestones = [
        {"name": "方案确认", "due_date": today - timedelta(days=80), "deliverable": "详细设计"},
        {"name": "系统上线", "due_date": today - timedelta(days=40), "deliverable": "上线报告"},
        {"name": "试运行", "due_date": today - timedelta(days=10), "deliverable": "试运行报告"},
    ]
    kpis = [
        {"direction": "production_line", "name": "设备联网率", "baseline": 15, "target": 80, "unit": "%"},
        {"direction": "management", "name": "计划达成率", "baseline": 70, "target": 90, "unit": "%"},
        {"direction": "data_flow", "name": "订单数据贯通率", "baseline": 20, "target": 85, "unit": "%"},
    ]
    data = {
        **GOALS,
        "contract_number": f"YB-2026-{project.pk:04d}",
        "contract_signed_on": today - timedelta(days=100),
        "contract_amount": total,
        "enterprise_signatory": "赵建国",
        "provider_signatory": "马俊",
    }
    project = delivery.update_project(
        project=project,
        actor=user,
        data=data,
        items=rows,
        milestones=milestones,
        kpis=kpis,
        version=project.version,
        contract_file=_pdf("合同.pdf"),
    )
    return delivery.submit_project(project=project, actor=user, declared=True)


def _register(project, user, officer):
    project = delivery.review_project(
        project=project, actor=officer, register=False, comment="请补充数据贯通方向的指标口径。"
    )
    project.refresh_from_db()
    project = delivery.update_project(
        project=project,
        actor=user,
        data={"goal_data_flow": GOALS["goal_data_flow"] + "指标口径：已贯通订单数 / 订单总数。"},
        items=list(project.items.values("kind", "description", "quantity", "unit_price")),
        milestones=list(project.milestones.values("name", "due_date", "deliverable")),
        kpis=list(project.kpis.values("direction", "name", "baseline", "target", "unit")),
        version=project.version,
    )
    delivery.submit_project(project=project, actor=user, declared=True)
    return delivery.review_project(
        project=project, actor=officer, register=True, comment="材料齐全，予以备案。"
    )


def _supervise(project, provider_staff, expert, chair):
    supervision.assign_supervisor(project=project, actor=chair, expert=expert)
    supervision.record_supervision_visit(
        project=project,
        actor=expert,
        visited_on=timezone.localdate() - timedelta(days=30),
        findings="设备联网已完成 32 台，报工终端到位；质量追溯模块进度滞后一周。",
    )
    if provider_staff is None:
        return  # nobody could fix a rectification, and the acceptance needs every one closed
    rectification = supervision.issue_rectification(
        project=project,
        actor=expert,
        description="质量追溯模块补齐来料批次字段，并完成一次追溯演练。",
        deadline=timezone.localdate() + timedelta(days=7),
    )
    supervision.mark_rectification_fixed(
        rectification=rectification, actor=provider_staff, note="已补齐批次字段，演练记录见附件。"
    )
    supervision.close_rectification(rectification=rectification, actor=expert)


def _deliver(project, user, provider_staff):
    for milestone in project.milestones.order_by("order"):
        if provider_staff is not None:
            delivery.report_progress(
                milestone=milestone,
                actor=provider_staff,
                text=f"{milestone.name}已完成，交付物：{milestone.deliverable}",
            )
        else:  # a provider without a login: the report as the service would leave it
            Milestone.objects.filter(pk=milestone.pk).update(
                status=Milestone.Status.REPORTED, reported_at=timezone.now()
            )
            Project.objects.filter(pk=project.pk, status=PS.REGISTERED).update(status=PS.IN_PROGRESS)
        milestone.refresh_from_db()
        delivery.confirm_milestone(milestone=milestone, actor=user)


def _t1(enterprise, user, before):
    """The enterprise's T1 self-assessment, one level above its T0."""
    instrument = Instrument.objects.current(CODE)
    rule = LevelRule.objects.active_for(CODE)
    level = min((before.level or 1) + 1, 4)
    answers, _state = answers_for_level(instrument.spec, rule.spec, level, random.Random(f"{SEED}-t1"))
    assessment = assessment_services.start_assessment(enterprise=enterprise, actor=user, period="T1")
    for code, value in answers.items():
        assessment_services.save_answer(assessment=assessment, actor=user, item_code=code, value=value)
    assessment.refresh_from_db(fields=["version"])
    return assessment_services.submit_assessment(
        assessment=assessment, actor=user, declared=True, version=assessment.version
    )


def _accept(project, user, before, expert, chair):
    amount = project.contract_amount
    delivery.record_invoice(
        project=project,
        actor=user,
        number=f"5000{project.pk:08d}",
        date=timezone.localdate() - timedelta(days=5),
        amount=amount,
        seller_code=project.provider.credit_code or make_credit_code("500112", 10001),
        payment_proof=_pdf("付款凭证.pdf"),
        paid_on=timezone.localdate() - timedelta(days=3),
    )
    for kind in acceptance.FILE_KINDS:
        acceptance.upload_acceptance_file(project=project, actor=user, kind=kind, file=_pdf(f"{kind}.pdf"))
    after = _t1(project.enterprise, user, before)
    rating = {
        "quality": 5,
        "timeliness": 4,
        "service": 5,
        "value": 4,
        "comment": "实施团队响应及时，培训到位。",
    }
    acceptance.apply_for_acceptance(
        project=project, actor=user, before=before, after=after, rating=rating, declared=True
    )
    verification = acceptance.start_acceptance_verification(project=project, actor=expert)
    for answer in verification.answers.all():
        diagnosis.verify_answer(
            verification=verification, actor=expert, item_code=answer.item_code, accept=True
        )
    verification.refresh_from_db(fields=["version"])
    diagnosis.complete_verification(verification=verification, actor=expert, version=verification.version)
    acceptance.decide_acceptance(
        project=project, actor=chair, decision="accepted", reasons="目标指标达成，资料齐全，现场核验通过。"
    )


def _demo_enterprise_story(stdout) -> bool:
    user, officer = _user("enterprise"), _user("district_officer")
    expert, chair = _user("expert"), _user("expert_chen") or _user("expert")
    plan = (
        TransformationPlan.objects.filter(enterprise__organisation=user.organisation)
        .select_related("proposal__provider", "enterprise")
        .first()
    )
    if plan is None or officer is None or expert is None:
        stdout.write("Delivery: the demo enterprise has no plan; its project is skipped.")
        return False
    before = acceptance.before_choices(plan.enterprise).first()
    provider_staff = _staff(plan.proposal.provider)
    project = delivery.create_project_from_plan(plan=plan, actor=user)
    project = _file(project, user)
    project = _register(project, user, officer)
    _supervise(project, provider_staff, expert, chair)
    _deliver(project, user, provider_staff)
    project.refresh_from_db()
    if before is not None and project.status == PS.COMPLETED:
        _accept(project, user, before, expert, chair)
    return True


# --- other enterprises, written as the services leave them --------------------------------------------------

# status, days since completion (None: not completed), overdue milestones
STATES = [
    (PS.DRAFT, None, 0),
    (PS.SUBMITTED, None, 0),
    (PS.RETURNED, None, 0),
    (PS.REGISTERED, None, 0),
    (PS.IN_PROGRESS, None, 2),
    (PS.IN_PROGRESS, None, 1),
    (PS.COMPLETED, 20, 0),
    (PS.COMPLETED, 85, 0),
    (PS.ACCEPTANCE_APPLIED, 30, 0),
    (PS.RECTIFY, 40, 0),
    (PS.FAILED, 60, 0),
    (PS.ACCEPTED, 70, 0),
]


def _write_project(enterprise, provider, status, completed_days, overdue, by):
    need = Need.objects.create(
        enterprise=enterprise,
        title=f"{enterprise.name}数字化改造",
        status=Need.Status.FULFILLED,
        target_level=2,
    )
    invitation = Invitation.objects.create(need=need, provider=provider, status=Invitation.Status.PROPOSED)
    proposal = Proposal.objects.create(
        need=need,
        invitation=invitation,
        provider=provider,
        title="设备联网与生产管控",
        scope="设备联网、MES 报工、质量追溯",
        expected_level=2,
        total=Decimal("160000"),
        status=Proposal.Status.SELECTED,
    )
    plan = TransformationPlan.objects.create(
        need=need, proposal=proposal, enterprise=enterprise, selected_by=by
    )
    now, today = timezone.now(), timezone.localdate()
    registered = status not in (PS.DRAFT, PS.SUBMITTED, PS.RETURNED)
    submitted = now - timedelta(days=130) if status != PS.DRAFT else None
    project = Project.objects.create(
        plan=plan,
        enterprise=enterprise,
        provider=provider,
        title=f"{enterprise.name[:10]}设备联网与生产管控项目",
        contract_number=f"DEMO-{enterprise.pk:05d}",
        contract_signed_on=today - timedelta(days=150),
        contract_amount=Decimal("160000"),
        target_level=2,
        declared=status != PS.DRAFT,
        declared_at=submitted,
        declared_by=by if submitted else None,
        submitted_at=submitted,
        status=status,
        review_comment="请补充合同附件。" if status == PS.RETURNED else "",
        registered_at=now - timedelta(days=120) if registered else None,
        completed_at=now - timedelta(days=completed_days) if completed_days is not None else None,
        created_by=by,
        **GOALS,
    )
    project.contract_file.save("contract.pdf", ContentFile(PDF), save=True)
    ProjectItem.objects.bulk_create(
        [
            ProjectItem(project=project, kind="software", description="MES 订阅", quantity=1,
                        unit_price=Decimal("100000"), amount=Decimal("100000")),
            ProjectItem(project=project, kind="hardware", description="数采网关", quantity=20,
                        unit_price=Decimal("3000"), amount=Decimal("60000")),
        ]
    )  # fmt: skip
    done = completed_days is not None
    rows = []
    for n in range(1, 4):
        due = today - timedelta(days=10 * (4 - n)) if n <= overdue else today + timedelta(days=30 * n)
        if done:
            due = today - timedelta(days=completed_days + 30 * (4 - n))
        rows.append(
            Milestone(
                project=project,
                order=n,
                name=("方案确认", "系统上线", "试运行")[n - 1],
                due_date=due,
                deliverable="交付报告",
                status=Milestone.Status.CONFIRMED if done else Milestone.Status.PLANNED,
                confirmed_at=now if done else None,
            )
        )
    Milestone.objects.bulk_create(rows)
    _write_review_steps(project, by)
    advance_stage(enterprise=enterprise, stage=Stage.IMPLEMENTATION if registered else Stage.DESIGN)
    return project


def _write_review_steps(project, by):
    """The review history the filing services leave: submitted, then returned or registered."""
    if project.submitted_at is None:
        return
    steps = [(ReviewStep.Action.SUBMITTED, "", project.submitted_at)]
    if project.status == PS.RETURNED:
        steps.append(
            (ReviewStep.Action.RETURNED, project.review_comment, project.submitted_at + timedelta(days=3))
        )
    elif project.registered_at is not None:
        steps.append((ReviewStep.Action.REGISTERED, "材料齐全，予以备案。", project.registered_at))
    for action, comment, when in steps:
        step = ReviewStep.objects.create(project=project, actor=by, action=action, comment=comment)
        ReviewStep.objects.filter(pk=step.pk).update(created_at=when)


def _write_invoice(project, by):
    """Completed projects are invoiced in full and paid, as the acceptance checklist requires."""
    if project.completed_at is None:
        return
    paid = timezone.localdate(project.completed_at) - timedelta(days=5)
    proof = ProjectFile(project=project, kind=ProjectFile.Kind.PAYMENT_PROOF, original_name="付款凭证.pdf",
                        content_type="application/pdf", size=len(PDF), uploaded_by=by)  # fmt: skip
    proof.file.save("payment.pdf", ContentFile(PDF), save=False)
    proof.save()
    Invoice.objects.create(
        project=project,
        number=f"6000{project.pk:08d}",
        date=paid - timedelta(days=2),
        amount=project.contract_amount,
        seller_code=project.provider.credit_code or make_credit_code("500112", 10001),
        payment_proof=proof,
        paid_on=paid,
        created_by=by,
    )


DECIDED = {
    PS.ACCEPTED: "目标达成，资料齐全。",
    PS.RECTIFY: "财务核查表与发票金额不一致，请更正后重新申请。",
    PS.FAILED: "主要指标未达成，现场核验不通过。",
}


def _write_acceptance(project, expert, by):
    """An application (and, once decided, the decision) as the services leave them; no T1 is written."""
    if project.status not in (PS.ACCEPTANCE_APPLIED, *DECIDED):
        return
    before = acceptance.before_choices(project.enterprise).first()
    checks = acceptance.checklist(project, before)
    application = AcceptanceApplication.objects.create(
        project=project,
        applied_by=by,
        before_assessment=before,
        checklist={check.code: check.ok for check in checks},
        declared=True,
    )
    applied = project.completed_at + timedelta(days=10)
    AcceptanceApplication.objects.filter(pk=application.pk).update(applied_at=applied)
    ProviderRating.objects.create(project=project, rated_by=by, quality=4, timeliness=3, service=4, value=4)
    if project.status in DECIDED:
        decision = AcceptanceDecision.objects.create(
            project=project, decision=project.status, reasons=DECIDED[project.status], decided_by=expert
        )
        decision.experts.add(expert)
        AcceptanceDecision.objects.filter(pk=decision.pk).update(decided_at=applied + timedelta(days=7))
        if project.status == PS.ACCEPTED:
            advance_stage(enterprise=project.enterprise, stage=Stage.POLICY)


def _other_projects(provider, expert, by) -> int:
    taken = Project.objects.values("enterprise_id")
    enterprises = list(
        Enterprise.objects.filter(status=Enterprise.Status.ACTIVE, organisation__isnull=True)
        .exclude(pk__in=taken)
        .order_by("credit_code")[: len(STATES)]
    )
    for enterprise, (status, completed_days, overdue) in zip(enterprises, STATES, strict=False):
        project = _write_project(enterprise, provider, status, completed_days, overdue, by)
        if status in (PS.DRAFT, PS.SUBMITTED, PS.RETURNED, PS.REGISTERED):
            continue
        if overdue == 1:
            continue  # one project in progress still awaits a supervising expert
        SupervisionAssignment.objects.create(project=project, expert=expert, assigned_by=expert)
        _write_invoice(project, by)
        _write_acceptance(project, expert, by)
        if status == PS.IN_PROGRESS:
            SupervisionVisit.objects.create(
                project=project, expert=expert, visited_on=timezone.localdate() - timedelta(days=7),
                findings="两个里程碑逾期，服务商人手不足。",
            )  # fmt: skip
            Rectification.objects.create(
                project=project,
                issued_by=expert,
                description="补充实施人员并提交赶工计划。",
                deadline=timezone.localdate() + timedelta(days=10),
            )
    return len(enterprises)


def seed_projects(stdout) -> None:
    user, expert = _user("enterprise"), _user("expert")
    if user is None or user.organisation is None or expert is None:
        stdout.write("Delivery: skipped (run seed_demo for the demo logins first).")
        return
    if Project.objects.exists():
        stdout.write("Delivery: already seeded.")
        return
    with transaction.atomic():  # all of the story or none of it
        story = _demo_enterprise_story(stdout)
    provider = (
        Organisation.objects.filter(pk=_user("provider").organisation.pk).first()
        if _user("provider")
        else None
    )
    others = 0
    if provider is not None:
        with transaction.atomic():
            others = _other_projects(provider, expert, _user("district_officer") or expert)
    accepted = Project.objects.filter(status=PS.ACCEPTED, enterprise__organisation=user.organisation).exists()
    stdout.write(
        f"Delivery: the demo enterprise's project {'accepted' if accepted else ('filed' if story else 'skipped')}; "
        f"{others} projects of other enterprises in every state; "
        f"{Assessment.objects.filter(kind=Assessment.Kind.VERIFIED, period='T1').count()} verified T1 assessments."
    )
