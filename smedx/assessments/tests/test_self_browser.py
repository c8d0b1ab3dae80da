"""Browser journey: an enterprise fills the self-assessment over two sessions, submits, sees result and gap."""

import re

import pytest

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Answer, Assessment
from smedx.assessments.services import self_assessment as services
from smedx.testing import HOME_REGION, PASSWORD, make_enterprise, make_org, make_user
from smedx.testing.answer_sets import middling

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def log_in(page, username):
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(page.base_url + "/")


def settle(page):
    """Wait until no autosave is under way (htmx marks the posting form with `htmx-request`)."""
    page.wait_for_function("!document.querySelector('.htmx-request')")


def saved(page, code):
    settle(page)
    page.locator(f"[data-testid=saved-{code}]").wait_for()


def test_it_fills_the_wizard_over_two_sessions_and_submits(page):
    from smedx.accounts.models import Region

    load_bundled()
    region = Region.objects.get(code=HOME_REGION)
    org = make_org("enterprise", "重庆渝北精工机械有限公司", region)
    enterprise = make_enterprise(region, "重庆渝北精工机械有限公司", org)
    user = make_user("jinggong", org, "admin")

    # Session 1: start from the workbench to-do, answer three items.
    log_in(page, "jinggong")
    page.click("[data-testid=todos] a")
    page.click("[data-testid=start] button[type=submit]")
    page.click("[data-testid=resume]")
    page.check("#B1-B")
    saved(page, "B1")
    page.check("#B1-C")
    page.wait_for_function("document.querySelector('#B1-C').checked")
    page.check("#B1-A")  # 无 clears the others in the browser at once
    assert [page.is_checked(f"#B1-{c}") for c in "ABC"] == [True, False, False]
    saved(page, "B1")
    page.check("#B1-D")
    page.wait_for_function("!document.querySelector('#B1-A').checked")
    saved(page, "B1")
    page.fill("#B2-f-total", "200")
    page.fill("#B2-f-digital", "130")
    page.press("#B2-f-digital", "Tab")
    page.locator("[data-testid=band-B2]").filter(has_text="65.00").wait_for()
    assert "(60%,100%]" in page.locator("[data-testid=band-B2]").inner_text()
    page.fill("#B3-f-networked", "250")
    page.press("#B3-f-networked", "Tab")
    page.locator("[data-testid=error-B3]").wait_for()
    assert page.input_value("#B3-f-networked") == "250"  # refused, kept as typed
    page.context.clear_cookies()
    page.goto(page.base_url + "/")
    assert page.url.startswith(page.base_url + "/login/")

    # Session 2: everything from session 1 is there.
    log_in(page, "jinggong")
    assessment = Assessment.objects.get(enterprise=enterprise)
    page.goto(page.base_url + f"/assessments/{assessment.pk}/section/B/")
    assert page.is_checked("#B1-D") and not page.is_checked("#B1-A")
    assert page.input_value("#B2-f-digital") == "130"
    assert page.locator("[data-testid=answered-B2]").inner_text().count("jinggong") == 1
    assert page.input_value("#B3-f-networked") == ""
    page.check("#B5-C")
    saved(page, "B5")
    assert page.locator("[data-testid=running-total]").inner_text().startswith("13.00")  # 2 + 6 + 5

    # The connection drops: the change is kept in the page, said so, and sent once it is back.
    page.context.set_offline(True)
    page.check("#B6-B")
    page.locator("[data-testid=wizard-alert]").wait_for()
    assert not Answer.objects.filter(assessment=assessment, item_code="B6").exists()
    page.context.set_offline(False)
    saved(page, "B6")
    assert page.locator("[data-testid=wizard-alert]").is_hidden()
    assert Answer.objects.get(assessment=assessment, item_code="B6").value == ["B"]

    # The rest is filled in by colleagues; the scenes page shows a level text to choose.
    rest = {k: v for k, v in middling().items() if k not in ("B1", "B2", "B5", "B6", "S16")}
    for code, value in rest.items():
        services.save_answer(assessment=assessment, actor=user, item_code=code, value=value)
    page.goto(page.base_url + f"/assessments/{assessment.pk}/submit/")
    assert "S16" in page.locator("[data-testid=missing]").inner_text()
    page.click("[data-testid=missing] a")
    page.check("#S16-level-2")
    saved(page, "S16")
    page.click("[data-testid=next]")
    page.check("#id_declared")
    page.click("[data-testid=declaration] button[type=submit]")
    page.wait_for_url(re.compile(r".*/result/$"))
    assert Answer.objects.filter(assessment=assessment).count() == 31
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED
    assert page.locator("[data-testid=total]").inner_text() == f"{assessment.total:.2f}"
    assert page.locator("[data-testid=gap]").is_visible()
    page.locator("#result-radar canvas").wait_for()
