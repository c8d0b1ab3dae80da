"""Browser journey: an officer imports an Excel file with a bad row, fixes it, imports it, exports."""

from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from smedx.accounts.models import Organisation, Region
from smedx.core.creditcode import make_credit_code
from smedx.enterprises.models import Enterprise
from smedx.testing import make_org, make_user
from smedx.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROWS = 12


def filled_template(template: bytes, bad_row: int | None) -> bytes:
    """The downloaded template with ROWS enterprises; `bad_row` (1-based) gets a wrong check character."""
    book = load_workbook(BytesIO(template))
    sheet = book.worksheets[0]
    for n in range(1, ROWS + 1):
        code = make_credit_code("500107", 7000 + n)
        if n == bad_row:
            code = code[:-1] + ("A" if code[-1] != "A" else "B")
        sheet.append(
            [
                f"重庆九龙坡导入测试{n}号机械有限公司",
                code,
                "九龙坡区",
                "34",
                "",
                50 + n,
                800 + n,
                "否",
                "潜力",
                "李华",
                f"1390000{n:04d}",
                "重庆市九龙坡区",
            ]
        )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def upload(page, tmp_path: Path, content: bytes, name: str):
    path = tmp_path / name
    path.write_bytes(content)
    page.goto(page.base_url + "/enterprises/import/")
    page.set_input_files("input[type=file]", str(path))
    page.click("form[enctype] button[type=submit]")
    page.wait_for_url("**/enterprises/import/*/")


def test_it_imports_a_fixed_file_after_showing_the_bad_row_and_exports_the_list(page, tmp_path):
    region = Region.objects.get(code="500107")
    authority = make_org(Organisation.Kind.AUTHORITY, "九龙坡区经济和信息化委员会", region, "district")
    make_user("jlp_officer", authority, "admin")
    log_in(page, "jlp_officer")

    page.goto(page.base_url + "/enterprises/import/")
    with page.expect_download() as download_info:
        page.click("[data-testid=download-template]")
    template = Path(download_info.value.path()).read_bytes()

    upload(page, tmp_path, filled_template(template, bad_row=5), "bad.xlsx")
    page.wait_for_selector("[data-testid=import-invalid]")
    errors = page.locator("[data-testid=import-errors]")
    first = errors.locator("tbody tr").first.inner_text()
    assert first.startswith("7")  # sheet row 7: header, example, then data rows 1-5
    assert make_credit_code("500107", 7005)[-1] in first  # the reason names the right check character
    assert Enterprise.objects.filter(region=region).count() == 0

    upload(page, tmp_path, filled_template(template, bad_row=None), "fixed.xlsx")
    page.wait_for_selector("[data-testid=import-ready]")
    assert Enterprise.objects.filter(region=region).count() == 0  # checked, not yet written
    page.click("[data-testid=import-commit]")
    page.wait_for_selector("[data-testid=import-done]")
    assert Enterprise.objects.filter(region=region).count() == ROWS
    assert Enterprise.objects.filter(region=region, tags__name="潜力").count() == ROWS

    page.goto(page.base_url + "/enterprises/?q=导入测试")
    assert page.locator("tbody tr").count() == ROWS
    with page.expect_download() as download_info:
        page.click("[data-testid=export]")
    exported = load_workbook(
        BytesIO(Path(download_info.value.path()).read_bytes()), read_only=True
    ).worksheets[0]
    rows = list(exported.iter_rows(values_only=True))
    assert len(rows) == ROWS + 1
    assert all("****" in str(row) for row in rows[1:])  # phones masked
