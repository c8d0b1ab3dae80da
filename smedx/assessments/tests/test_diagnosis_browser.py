"""Browser journey: the district assigns an expert, who records the visit, verifies with one adjusted
answer and completes; both scores and the reason show side by side."""

import pytest

from smedx.accounts.models import ExpertProfile, Organisation, Region, User
from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment
from smedx.assessments.services import diagnosis as services
from smedx.testing import PASSWORD, make_enterprise, make_org, make_user
from smedx.testing.answer_sets import middling
from smedx.testing.assessments import make_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, username):
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def log_out(page):
    page.click("nav form[action='/logout/'] button")
    page.wait_for_url("**/login/**")


def test_it_verifies_a_self_assessment_on_site(page):
    load_bundled()
    region = Region.objects.get(code="500112")
    make_user(
        "yubei_officer", make_org(Organisation.Kind.AUTHORITY, "渝北区经信委", region, "district"), "admin"
    )
    expert = make_user("wang_expert", make_org(Organisation.Kind.COMMITTEE, "联盟专家委员会"))
    User.objects.filter(pk=expert.pk).update(display_name="王专家")
    ExpertProfile.objects.create(user=expert, fields_of_expertise="智能制造", employer="重庆大学")
    ent_org = make_org(Organisation.Kind.ENTERPRISE, "渝北精工", region)
    enterprise = make_enterprise(region, "渝北精工", ent_org)
    owner = make_user("jinggong", ent_org, "admin")
    source = make_assessment(enterprise, middling())  # 65.25, 三级
    request = services.request_diagnosis(assessment=source, actor=owner, route="district", note="请核实设备")

    log_in(page, "yubei_officer")
    page.goto(page.base_url + "/assessments/diagnosis/?status=requested")
    page.click(f"[data-testid=request-{request.pk}] a[href$='/assign/']")
    page.check(f"#expert-{expert.pk}")
    page.click("[data-testid=experts] button[type=submit]")
    page.wait_for_url(f"**/assessments/diagnosis/{request.pk}/")
    assert "王专家" in page.inner_text("[data-testid=verifier]")
    log_out(page)

    log_in(page, "wang_expert")
    page.goto(page.base_url + f"/assessments/diagnosis/{request.pk}/visit/")
    page.fill("#id_visited_on", "2025-03-01")
    page.fill("#id_visitor_0_name", "王专家")
    page.fill("#id_visitor_0_organisation", "联盟专家委员会")
    page.fill("#id_visitor_1_name", "李厂长")
    page.fill("#id_visitor_1_role", "厂长")
    page.fill("#id_main_products", "齿轮、减速机")
    page.fill("#id_process_flow", "下料—机加工—热处理—装配")
    page.click("[data-testid=visit-form] button[type=submit]")
    page.wait_for_url(f"**/assessments/diagnosis/{request.pk}/")
    assert "李厂长" in page.inner_text("[data-testid=visit]")
    page.click("[data-testid=start-verification]")
    page.wait_for_url(f"**/assessments/diagnosis/{request.pk}/verification/")

    # Most answers are accepted behind the scenes; one is accepted and one adjusted on the page.
    verification = Assessment.objects.get(verified_from=source)
    for code in verification.answer_dict():
        if code not in ("B1", "M1"):
            services.verify_answer(verification=verification, actor=expert, item_code=code, accept=True)
    page.reload()
    page.click("[data-testid=accept-B1]")
    page.wait_for_url("**/verification/#item-B1")
    page.click("[data-bs-target='#adjust-M1']")
    page.check("#id_M1-options_0")
    page.fill("#id_M1-reason", "未见数字化转型规划文件")
    page.click("[data-testid=adjust-M1] button[type=submit]")
    page.wait_for_url("**/verification/#item-M1")
    assert page.is_enabled("[data-testid=complete] button[type=submit]")  # every answer is checked
    page.click("[data-testid=complete] button[type=submit]")
    page.wait_for_url(f"**/assessments/diagnosis/{request.pk}/compare/")

    total = page.inner_text("[data-testid=total-change]")
    assert "65.25" in total and "62.25" in total and "-3.00" in total
    assert "未见数字化转型规划文件" in page.inner_text("[data-testid=row-M1]")
    log_out(page)

    log_in(page, "jinggong")
    page.goto(page.base_url + f"/assessments/diagnosis/{request.pk}/compare/")
    assert "62.25" in page.inner_text("[data-testid=total-change]")
