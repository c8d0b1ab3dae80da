"""Browser journey: the district officer reads how many enterprises stand at each level, and checks the figures
against the enterprise list filtered by that level."""

import re

import pytest

from smedx.assessments.loader import load_bundled
from smedx.assessments.models import Assessment
from smedx.assessments.services import self_assessment as services
from smedx.testing import HOME_REGION, OTHER_REGION, make_enterprise, make_org, make_user
from smedx.testing.answer_sets import best, middling, scenes, worst
from smedx.testing.assessments import make_assessment
from smedx.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def number(text) -> int:
    return int(re.search(r"\d+", text).group())


def counts(page) -> list[int]:
    cells = page.locator("[data-testid=level-counts] td")
    return [number(cells.nth(n).inner_text()) for n in range(cells.count())]


def seed():
    from smedx.accounts.models import Region

    load_bundled()
    home, other = Region.objects.get(code=HOME_REGION), Region.objects.get(code=OTHER_REGION)
    district = make_org("authority", "渝北区经济和信息化委员会", home, "district")
    make_user("yubei_officer", district, "admin")
    # T0 三级 then T1 四级: stands at 四级, counted once.
    twice = make_enterprise(home, "重庆渝北精工机械有限公司")
    make_assessment(twice, middling(), period="T0")
    make_assessment(twice, best(), period="T1")
    # Self-assessed 三级, verified on site at 二级: the verified level counts.
    verified = make_enterprise(home, "重庆渝北齿轮有限公司")
    source = make_assessment(verified, middling(), period="T0", status=Assessment.Status.VERIFIED)
    make_assessment(
        verified,
        middling(**scenes(2)),
        kind=Assessment.Kind.VERIFIED,
        status=Assessment.Status.VERIFIED,
        verified_from=source,
    )
    make_assessment(make_enterprise(home, "重庆渝北铸造厂"), worst(), period="T0")  # 未达一级
    # A draft written through the services by the enterprise's own staff: its history is on the case file.
    own = make_org("enterprise", "重庆渝北草稿企业", home)
    staff = make_user("draft_staff", own, "admin", display_name="赵建国")
    draft = services.start_assessment(
        enterprise=make_enterprise(home, "重庆渝北草稿企业", org=own), actor=staff
    )
    for code, value in {"B1": ["B"], "B2": ["A"], "B3": ["A"]}.items():
        services.save_answer(assessment=draft, actor=staff, item_code=code, value=value)
    make_assessment(make_enterprise(other, "重庆江北机械厂"), best(), period="T0")  # another district


def test_it_shows_enterprises_by_current_level_matching_the_enterprise_list(page):
    seed()
    log_in(page, "yubei_officer")
    page.goto(page.base_url + "/assessments/officer/")
    rule = page.locator("[data-testid=chart-rule]")
    assert "每家企业只计一次" in rule.inner_text()
    assert counts(page) == [1, 0, 1, 0, 1]

    # Every rated assessment, the second view, counts the enterprise assessed twice twice.
    page.click("[data-testid=count-assessments]")
    page.wait_for_url("**count=assessments**")
    assert counts(page) == [1, 0, 1, 2, 1]
    page.click("[data-testid=count-enterprises]")
    page.wait_for_function("!location.search.includes('count=assessments')")

    # Each figure leads to the enterprise list at that level, which lists exactly as many.
    figures = counts(page)
    for level, expected in enumerate(figures):
        page.locator(f"[data-testid=level-counts] td[data-level='{level}'] a").click()
        page.wait_for_url(f"**current_level={level}**")
        assert number(page.locator("[data-testid=result-count]").inner_text()) == expected
        assert page.locator("[data-testid=current-level]").count() == expected
        page.go_back()
        page.locator("[data-testid=level-counts]").wait_for()
    listed = page.locator("[data-testid=level-counts] td[data-level='4'] a").get_attribute("href")
    page.goto(page.base_url + listed)
    assert "重庆渝北精工机械有限公司" in page.locator("main").inner_text()
    assert "重庆江北机械厂" not in page.locator("main").inner_text()


def test_the_case_file_history_reads_as_sentences(page):
    seed()
    log_in(page, "yubei_officer")
    page.goto(page.base_url + "/enterprises/?q=草稿企业")
    page.get_by_role("link", name="重庆渝北草稿企业").first.click()
    trail = page.locator("[data-testid=trail]").inner_text()
    assert "赵建国 开始了评估" in trail
    assert re.search(r"赵建国 保存了 .+ 的 3 道题", trail), trail  # three autosaves fold into one line
    for raw in ("assessments.", "item:", "B1; ", "None", "True", "False"):
        assert raw not in trail, raw
