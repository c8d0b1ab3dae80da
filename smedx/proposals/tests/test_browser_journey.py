"""Browser journey of issue 4, stage 3.

A provider applies to the pool, an expert reviews it, the city publishes the notice, the notice
period passes (its dates are moved into the past in the database, as the demo does), the platform
lists it and it adds a solution. An enterprise with a diagnosis publishes a need, sees the shortlist
with reasons, invites two providers, both research and propose, an expert comments, the enterprise
selects one and sees it on its case file.

The applicant's five reference customers are written with the pool's test builder (five identical
forms add nothing to the journey); everything else goes through the pages.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from smedx.accounts.models import Organisation, Region
from smedx.assessments.loader import load_bundled
from smedx.proposals.models import Proposal, TransformationPlan
from smedx.providers.models import ProviderProfile
from smedx.testing import make_enterprise, make_org, make_user
from smedx.testing.answer_sets import middling, scenes
from smedx.testing.assessments import make_assessment
from smedx.testing.browser import log_in, log_out
from smedx.testing.proposals import listed, solution
from smedx.testing.providers import add_references

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
K = Organisation.Kind


def people():
    home = Region.objects.get(code="500112")
    make_user("platform_op", make_org(K.PLATFORM, "平台运营"), "admin")
    make_user(
        "city_op",
        make_org(K.AUTHORITY, "重庆市经济和信息化委员会", Region.objects.get(code="500000"), "city"),
        "admin",
    )
    make_user("yubei_op", make_org(K.AUTHORITY, "渝北区经济和信息化委员会", home, "district"), "admin")
    make_user("expert_liu", make_org(K.COMMITTEE, "联盟专家委员会"))
    applicant = make_org(K.PROVIDER, "重庆新链数字科技有限公司")
    make_user("xinlian", applicant, "admin")
    other = make_org(K.PROVIDER, "重庆老牌工业软件有限公司")
    make_user("laopai", other, "admin")
    profile = listed(other, regions=[Region.objects.get(code="500000")], rating=Decimal("4.2"))
    solution(profile, {"S01": 2, "S03": 2, "S06": 2}, industries=["34"], price_min=150000, name="老牌MES")
    ent_org = make_org(K.ENTERPRISE, "重庆渝北精工机械有限公司", home)
    enterprise = make_enterprise(home, "重庆渝北精工机械有限公司", ent_org)
    make_user("jinggong", ent_org, "admin")
    load_bundled()
    make_assessment(enterprise, middling(**scenes(1)), period="T0")
    return applicant, enterprise


def apply_to_the_pool(page, applicant):
    log_in(page, "xinlian")
    page.goto(page.base_url + "/providers/pool/profile/")
    page.fill("#id_introduction", "专注离散制造业的轻量化 MES")
    page.fill("#id_founded_year", "2016")
    page.fill("#id_registered_capital", "1000")
    page.fill("#id_staff_count", "60")
    page.fill("#id_rnd_staff", "25")
    page.select_option("#id_industries", ["34"])
    page.check("main input[name=scenes][value=S01]")
    page.select_option("#id_regions", label="渝北区")
    page.fill("#id_last_year_revenue", "2800")
    page.fill("#id_net_profit", "210")
    page.fill("#id_debt_ratio", "40")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/providers/pool/")
    add_references(ProviderProfile.objects.get(organisation=applicant), 5)
    page.goto(page.base_url + "/providers/pool/submit/")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/providers/pool/")
    log_out(page)


def review_notice_and_list(page, profile):
    manage = f"{page.base_url}/providers/manage/{profile.pk}/"
    log_in(page, "platform_op")
    page.goto(manage)
    page.click(f"main form[action$='/{profile.pk}/start_review/'] button[type=submit]")
    page.wait_for_url(manage)
    log_out(page)

    log_in(page, "expert_liu")
    page.goto(f"{page.base_url}/providers/reviews/{profile.pk}/")
    for name, score in (
        ("capability", "85"),
        ("references", "80"),
        ("finances", "78"),
        ("solution_fit", "88"),
    ):
        page.fill(f"#id_{name}", score)
    page.fill("#id_opinion", "技术可靠，参考客户真实，同意入库。")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/providers/reviews/")
    log_out(page)

    log_in(page, "city_op")
    page.goto(manage)
    decide = f"main form[action$='/{profile.pk}/decide/']"
    page.check(f"{decide} input[name=decision][value=approve]")
    page.click(f"{decide} button[type=submit]")
    page.wait_for_url(manage)
    log_out(page)
    assert ProviderProfile.objects.get(pk=profile.pk).status == ProviderProfile.Status.IN_PUBLIC_NOTICE

    # The notice period passes: its dates move into the past, as if it had run last month.
    today = timezone.localdate()
    ProviderProfile.objects.filter(pk=profile.pk).update(
        notice_start=today - timedelta(days=40), notice_end=today - timedelta(days=33)
    )
    log_in(page, "platform_op")
    page.goto(manage)
    page.click(f"main form[action$='/{profile.pk}/list/'] button[type=submit]")
    page.wait_for_url(manage)
    log_out(page)
    assert ProviderProfile.objects.get(pk=profile.pk).status == ProviderProfile.Status.LISTED


def add_a_solution(page):
    log_in(page, "xinlian")
    page.goto(page.base_url + "/providers/pool/solutions/new/")
    page.fill("#id_name", "新链轻量 MES")
    page.fill("#id_summary", "三个月上线的设备联网与报工")
    page.select_option("#id_industries", ["34"])
    page.select_option("#id_deployment", "saas")
    page.fill("#id_price_min", "80000")
    page.fill("#id_price_max", "160000")
    page.select_option("#id_price_unit", "per_year")
    page.fill("#id_delivery_days", "90")
    for code in ("S01", "S03", "S06", "S07"):
        page.select_option(f"#id_scene_{code}_from", "0")
        page.select_option(f"#id_scene_{code}_to", "2")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/providers/solutions/*/")
    page.click("main form[action$='/publish/'] button[type=submit]")
    page.wait_for_load_state()
    log_out(page)


def publish_a_need(page):
    log_in(page, "jinggong")
    page.goto(page.base_url + "/proposals/needs/new/")
    page.click("[data-testid=create-need]")
    page.wait_for_url("**/edit/")
    page.fill("#id_budget", "300000")
    page.fill("#id_start_month", "2026-04")
    page.fill("#id_end_month", "2026-12")
    page.click("[data-testid=save-need]")
    page.wait_for_url("**/proposals/needs/*/")
    page.click("[data-testid=publish]")
    page.wait_for_selector("main [data-testid=matches]")
    page.click("main [data-testid=matches]")
    page.wait_for_url("**/matches/")
    rows = page.locator("[data-testid=shortlist] tbody tr")
    assert rows.count() == 2
    assert "新链轻量 MES" in rows.nth(0).inner_text()  # covers all four scenes, serves 渝北, in budget
    assert page.locator("[data-testid=reason]").count() == 2
    for _ in range(2):
        page.locator("main form button[data-testid^=invite-]").first.click()
        page.wait_for_url("**/matches/")
    assert page.locator("main form button[data-testid^=invite-]").count() == 0
    log_out(page)


def research_and_propose(page, username, price):
    log_in(page, username)
    page.goto(page.base_url + "/proposals/invitations/")
    page.click("main [data-testid=research]")
    page.fill("#id_researched_on", "2026-02-01")
    page.fill("#id_people_met", "总经理 王明")
    page.fill("#id_strategy", "三年建成数字化车间")
    page.fill("#id_production", "多品种小批量")
    page.fill("#id_management_model", "ERP + 纸质工单")
    page.fill("#id_organisation", "信息部 3 人")
    page.click("[data-testid=save-research]")
    page.wait_for_url("**/proposal/")
    page.fill("#id_title", f"{username} 方案")
    page.fill("#id_scope", "设备联网与报工")
    page.select_option("#id_items-0-kind", "software")
    page.fill("#id_items-0-description", "MES 订阅")
    page.fill("#id_items-0-quantity", "1")
    page.fill("#id_items-0-unit_price", price)
    page.fill("#id_milestones-0-name", "上线")
    page.fill("#id_milestones-0-due_date", "2026-08-31")
    page.click("[data-testid=save-proposal]")
    page.wait_for_url("**/proposals/proposals/*/")
    page.click("main [data-testid=submit]")
    page.wait_for_url("**/proposals/proposals/*/")
    log_out(page)


def test_it_goes_from_the_provider_pool_to_the_chosen_plan(page):
    applicant, enterprise = people()
    apply_to_the_pool(page, applicant)
    review_notice_and_list(page, ProviderProfile.objects.get(organisation=applicant))
    add_a_solution(page)
    publish_a_need(page)
    research_and_propose(page, "xinlian", "120000")
    research_and_propose(page, "laopai", "150000")
    assert Proposal.objects.filter(status=Proposal.Status.SUBMITTED).count() == 2

    chosen = Proposal.objects.get(provider=applicant)
    log_in(page, "expert_liu")
    page.goto(f"{page.base_url}/proposals/proposals/{chosen.pk}/")
    page.fill("#id_body", "方案务实，建议分两期实施。")
    page.click("main [data-testid=comment]")
    page.wait_for_selector("text=方案务实")
    log_out(page)

    log_in(page, "jinggong")
    page.goto(f"{page.base_url}/proposals/needs/{chosen.need_id}/compare/")
    assert "¥120,000.00" in page.inner_text("[data-testid=comparison]")
    page.click(f"[data-testid=select-{chosen.pk}]")
    page.wait_for_url("**/proposals/plans/*/")
    plan = TransformationPlan.objects.get()
    assert plan.proposal == chosen
    page.goto(f"{page.base_url}/enterprises/{enterprise.pk}/")
    assert page.locator(f"main a[href='/proposals/plans/{plan.pk}/']").count() == 1
