"""Browser journey: an enterprise signs up, its district approves it, it sees its case file."""

import pytest

from smedx.accounts.models import Organisation, Region
from smedx.core.creditcode import make_credit_code
from smedx.enterprises.models import Enterprise
from smedx.testing import make_org, make_user
from smedx.testing.browser import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def fill_signup(page, code):
    page.fill("#id_name", "重庆渝北精工机械有限公司")
    page.fill("#id_credit_code", code)
    page.select_option("#id_region", label="渝北区")
    page.select_option("#id_industry_division", value="34")
    page.fill("#id_employees", "85")
    page.fill("#id_revenue", "3200")
    page.fill("#id_address", "重庆市渝北区双凤桥街道")
    page.fill("#id_contact_name", "王明")
    page.fill("#id_contact_phone", "13912345678")
    page.fill("#id_username", "jinggong")
    page.fill("#id_display_name", "王明")
    page.fill("#id_email", "wang@jinggong.example")
    page.fill("#id_password", "Digital-Factory-88")
    page.fill("#id_password2", "Digital-Factory-88")


def test_it_signs_up_an_enterprise_that_the_district_approves(page):
    district = Region.objects.get(code="500112")
    authority = make_org(Organisation.Kind.AUTHORITY, "渝北区经济和信息化委员会", district, "district")
    make_user("yubei_officer", authority, "admin")
    good = make_credit_code("500112", 4242)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")

    page.goto(page.base_url + "/login/")
    assert "登录" in page.content()
    page.goto(page.base_url + "/enterprises/signup/")
    fill_signup(page, bad)
    page.click("main form button[type=submit]")
    # Refused with the reason, and everything typed is still there.
    assert page.locator(".invalid-feedback, .errorlist").filter(has_text=good[-1]).count() >= 1
    assert page.input_value("#id_name") == "重庆渝北精工机械有限公司"
    assert page.input_value("#id_employees") == "85"
    assert page.input_value("#id_credit_code") == bad
    assert not Enterprise.objects.filter(name="重庆渝北精工机械有限公司").exists()

    page.fill("#id_credit_code", good)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/login/**")
    enterprise = Enterprise.objects.get(credit_code=good)
    assert enterprise.status == Enterprise.Status.PENDING

    log_in(page, "jinggong", "Digital-Factory-88")
    assert page.get_by_text("审核").count() >= 1  # the workbench says the registration awaits review
    log_out(page)

    log_in(page, "yubei_officer")
    page.goto(page.base_url + f"/enterprises/{enterprise.pk}/")
    page.click("[data-testid=review-form] button[value=approve]")
    page.wait_for_url(f"**/enterprises/{enterprise.pk}/")
    enterprise.refresh_from_db()
    assert enterprise.status == Enterprise.Status.ACTIVE
    log_out(page)

    log_in(page, "jinggong", "Digital-Factory-88")
    page.goto(page.base_url + f"/enterprises/{enterprise.pk}/")
    assert "重庆渝北精工机械有限公司" in page.content()
    assert good in page.content()
    assert "诊断评估" in page.content()  # the 8-stage journey
