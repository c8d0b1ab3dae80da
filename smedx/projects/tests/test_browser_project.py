"""Browser journey of issue 5, stage 4.

From a selected plan the enterprise files its project; the district returns it, the enterprise fixes
it and it is registered. The provider reports a milestone and the enterprise confirms it. An expert of
the committee assigns a colleague to supervise, who records a visit and a rectification; the provider
marks it fixed and the supervisor closes it. The enterprise adds its acceptance documents, applies for
acceptance with its T1 and rates the provider; an expert verifies the T1 on site and the committee
accepts; the acceptance page shows the levels before and after, the case file the decision.

Written with builders or services, and said so where they are: the plan (stage 3's journey), the later
milestones (the same two clicks again), the invoice, the T1 self-assessment (stage 1's wizard) and the
answer-by-answer verification (stage 1's verification journey).
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from smedx.accounts.models import Organisation, Region
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment
from smedx.core.creditcode import make_credit_code
from smedx.projects.models import Milestone, Project, Rectification
from smedx.projects.services import acceptance as acceptance
from smedx.projects.services import filing as delivery
from smedx.proposals.models import (
    Invitation,
    Need,
    Proposal,
    ProposalItem,
    ProposalMilestone,
    TransformationPlan,
)
from smedx.testing import make_enterprise, make_org, make_user
from smedx.testing.acceptance import verify_all
from smedx.testing.answer_sets import middling, scenes
from smedx.testing.assessments import make_assessment
from smedx.testing.browser import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
K = Organisation.Kind


def people():
    home = Region.objects.get(code="500112")
    make_user("yubei_op", make_org(K.AUTHORITY, "渝北区经济和信息化委员会", home, "district"), "admin")
    committee = make_org(K.COMMITTEE, "联盟专家委员会")
    chair = make_user("expert_chair", committee)
    supervisor = make_user("expert_liu", committee)
    provider = make_org(K.PROVIDER, "重庆新链数字科技有限公司")
    provider.credit_code = make_credit_code("500112", 20001)
    provider.save(update_fields=["credit_code"])
    make_user("xinlian", provider, "admin")
    ent_org = make_org(K.ENTERPRISE, "重庆渝北精工机械有限公司", home)
    enterprise = make_enterprise(home, "重庆渝北精工机械有限公司", ent_org)
    owner = make_user("jinggong", ent_org, "admin")
    load_bundled()
    before = make_assessment(enterprise, middling(**scenes(1)), period="T0")
    return enterprise, owner, provider, chair, supervisor, before


def selected_plan(enterprise, provider, owner):
    """Stage 3's outcome, as its journey leaves it: a selected proposal with items and milestones."""
    need = Need.objects.create(
        enterprise=enterprise, title="设备联网", status=Need.Status.FULFILLED, target_level=2, budget=200000
    )
    invitation = Invitation.objects.create(need=need, provider=provider, status=Invitation.Status.PROPOSED)
    proposal = Proposal.objects.create(
        need=need,
        invitation=invitation,
        provider=provider,
        title="设备联网与报工",
        scope="设备联网、MES 报工",
        expected_level=2,
        total=Decimal("150000"),
        status=Proposal.Status.SELECTED,
    )
    ProposalItem.objects.create(
        proposal=proposal,
        kind="software",
        description="MES 订阅",
        quantity=1,
        unit_price=Decimal("150000"),
        amount=Decimal("150000"),
    )
    today = timezone.localdate()
    for n, name in enumerate(("系统上线", "试运行"), start=1):
        ProposalMilestone.objects.create(
            proposal=proposal, name=name, due_date=today + timedelta(days=30 * n), deliverable="报告"
        )
    return TransformationPlan.objects.create(
        need=need, proposal=proposal, enterprise=enterprise, selected_by=owner
    )


def pdf(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_bytes(b"%PDF-1.4\n% test\n")
    return str(path)


def save_edit_form(page):
    page.click("main form[enctype='multipart/form-data'] button[type=submit]")


def file_and_register(page, plan, tmp_path) -> Project:
    log_in(page, "jinggong")
    page.goto(f"{page.base_url}/projects/plans/{plan.pk}/project/")
    page.click("[data-testid=start-project]")
    page.wait_for_url("**/edit/")
    project = Project.objects.get(plan=plan)
    page.fill("#id_contract_number", "YB-2026-001")
    page.fill("#id_contract_signed_on", (timezone.localdate() - timedelta(days=5)).isoformat())
    page.fill("#id_contract_amount", "150000")
    page.fill("#id_enterprise_signatory", "王明")
    page.fill("#id_provider_signatory", "马俊")
    page.fill("#id_goal_production_line", "关键设备联网")
    page.set_input_files("#id_contract_upload", pdf(tmp_path, "合同.pdf"))
    save_edit_form(page)
    page.wait_for_url(f"**/projects/{project.pk}/")
    page.goto(f"{page.base_url}/projects/{project.pk}/submit/")
    page.check("#id_declared")
    page.click("[data-testid=submit-project]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    log_out(page)

    review(page, project, "return", "请补充数据贯通方向的目标。")
    assert Project.objects.get(pk=project.pk).status == Project.Status.RETURNED

    log_in(page, "jinggong")
    page.goto(f"{page.base_url}/projects/{project.pk}/edit/")
    assert page.input_value("#id_contract_number") == "YB-2026-001"  # nothing typed is lost
    page.fill("#id_goal_data_flow", "订单到交付数据贯通")
    save_edit_form(page)
    page.wait_for_url(f"**/projects/{project.pk}/")
    page.goto(f"{page.base_url}/projects/{project.pk}/submit/")
    page.check("#id_declared")
    page.click("[data-testid=submit-project]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    log_out(page)

    review(page, project, "register", "")
    project.refresh_from_db()
    assert project.status == Project.Status.REGISTERED
    return project


def review(page, project, decision, comment):
    log_in(page, "yubei_op")
    page.goto(f"{page.base_url}/projects/{project.pk}/review/")
    page.check(f"input[name=decision][value={decision}]")
    if comment:
        page.fill("#id_comment", comment)
    page.click("[data-testid=review-project]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    log_out(page)


def first_milestone(page, project):
    milestone = project.milestones.order_by("order").first()
    log_in(page, "xinlian")
    page.goto(f"{page.base_url}/projects/milestones/{milestone.pk}/report/")
    page.fill("#id_text", "系统已上线，32 台设备联网")
    page.click("[data-testid=send-report]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    log_out(page)
    log_in(page, "jinggong")
    page.goto(f"{page.base_url}/projects/{project.pk}/")
    page.click(f"[data-testid=confirm-{milestone.pk}]")
    page.wait_for_url(f"**/projects/{project.pk}/")
    log_out(page)
    assert Milestone.objects.get(pk=milestone.pk).status == Milestone.Status.CONFIRMED


def supervise(page, project, supervisor):
    url = f"{page.base_url}/projects/delivery/{project.pk}/supervision/"
    log_in(page, "expert_chair")
    page.goto(url)
    page.select_option("#id_expert", value=str(supervisor.pk))
    page.click("form[action$='/supervision/assign/'] button[type=submit]")
    page.wait_for_url(url)
    log_out(page)

    log_in(page, "expert_liu")
    page.goto(url)
    page.fill("#id_visited_on", timezone.localdate().isoformat())
    page.fill("#id_findings", "设备联网完成，追溯模块滞后")
    page.click("form[action$='/supervision/visit/'] button[type=submit]")
    page.wait_for_url(url)
    page.fill("#id_description", "补齐来料批次字段")
    page.fill("#id_deadline", (timezone.localdate() + timedelta(days=7)).isoformat())
    page.click("form[action$='/rectifications/new/'] button[type=submit]")
    page.wait_for_url(url)
    log_out(page)

    log_in(page, "xinlian")
    page.goto(url)
    page.fill("[data-testid=rectification] input[name=note]", "已补齐")
    page.click("form[action$='/fix/'] button[type=submit]")
    page.wait_for_url(url)
    log_out(page)

    log_in(page, "expert_liu")
    page.goto(url)
    page.click("form[action$='/close/'] button[type=submit]")
    page.wait_for_url(url)
    log_out(page)
    assert Rectification.objects.get(project=project).status == Rectification.Status.CLOSED


def finish_delivery(project, owner, provider_user):
    """The second milestone (the same two clicks as the first) and the invoice, through the services."""
    for milestone in project.milestones.filter(status=Milestone.Status.PLANNED):
        delivery.report_progress(milestone=milestone, actor=provider_user, text="试运行完成")
        delivery.confirm_milestone(milestone=milestone, actor=owner)
    project.refresh_from_db()
    assert project.status == Project.Status.COMPLETED
    proof = SimpleUploadedFile("付款凭证.pdf", b"%PDF-1.4\n% proof\n", content_type="application/pdf")
    delivery.record_invoice(
        project=project,
        actor=owner,
        number="50001234",
        date=date.today(),
        amount=Decimal("150000"),
        seller_code=project.provider.credit_code,
        payment_proof=proof,
        paid_on=date.today(),
    )


def apply(page, project, before, after, tmp_path):
    url = f"{page.base_url}/projects/delivery/{project.pk}/acceptance/apply/"
    log_in(page, "jinggong")
    page.goto(url)
    for kind in acceptance.FILE_KINDS:
        page.select_option("#id_kind", value=kind)
        page.set_input_files("#id_file", pdf(tmp_path, f"{kind}.pdf"))
        page.click("form[action$='/acceptance/upload/'] button[type=submit]")
        page.wait_for_url(url)
    page.select_option("#id_before", value=str(before.pk))
    page.select_option("#id_after", value=str(after.pk))
    for name, value in (("quality", "5"), ("timeliness", "4"), ("service", "5"), ("value", "4")):
        page.select_option(f"#id_{name}", value=value)
    page.fill("#id_comment", "响应及时")
    page.check("#id_declared")
    page.click("[data-testid=apply-form] button[type=submit]")
    page.wait_for_url(f"**/projects/delivery/{project.pk}/acceptance/")
    log_out(page)


def accept(page, project, chair):
    url = f"{page.base_url}/projects/delivery/{project.pk}/acceptance/"
    log_in(page, "expert_chair")
    page.goto(url)
    page.click("form[action$='/acceptance/verify/'] button[type=submit]")
    page.wait_for_url("**/assessments/**")
    application = Project.objects.get(pk=project.pk).acceptance_application
    verify_all(acceptance.verification_request(application).verified_assessment, chair)  # stage 1's journey
    page.goto(url)
    page.check("input[name=decision][value=accepted]")
    page.fill("#id_reasons", "目标达成，资料齐全")
    page.click("[data-testid=decision-form] button[type=submit]")
    page.wait_for_url(url)
    log_out(page)


def test_it_registers_supervises_and_accepts_a_project(page, tmp_path):
    enterprise, owner, provider, chair, supervisor, before = people()
    plan = selected_plan(enterprise, provider, owner)
    project = file_and_register(page, plan, tmp_path)
    first_milestone(page, project)
    supervise(page, project, supervisor)
    finish_delivery(project, owner, provider.memberships.first().user)
    after = make_assessment(enterprise, middling(**scenes(2)), period="T1")  # stage 1's wizard
    apply(page, project, before, after, tmp_path)
    accept(page, project, chair)

    project.refresh_from_db()
    assert project.status == Project.Status.ACCEPTED
    log_in(page, "jinggong")
    page.goto(f"{page.base_url}/projects/delivery/{project.pk}/acceptance/")
    verified = Assessment.objects.get(kind=Assessment.Kind.VERIFIED, verified_from=after)
    assert page.locator("[data-testid=decision]").is_visible()
    level_before = page.locator("[data-testid=level-before]").inner_text()
    level_after = page.locator("[data-testid=level-after]").inner_text()
    assert level_before != level_after
    assert before.level < verified.level
    page.goto(f"{page.base_url}/enterprises/{enterprise.pk}/")
    assert page.get_by_text(project.title).first.is_visible()
