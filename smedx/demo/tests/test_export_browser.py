"""Browser journey: the city officer exports a long list of the demo's enterprises; the task worker writes
it while the export's page shows its progress, and the officer downloads the file it made.

The demo's authorities and case files are seeded (not its stages: the export reads only the case
files). Tasks go to the database backend, as in production, and `manage.py db_worker --batch` runs
them here once the page has shown the waiting export, so the page is seen before and after the worker.
"""

import signal
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from smedx.accounts.models import Region
from smedx.demo.management.commands.seed_demo import DEMO_PASSWORD
from smedx.demo.management.commands.seed_demo import Command as SeedDemo
from smedx.enterprises.models import Enterprise
from smedx.testing.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def seed_case_files():
    seed = SeedDemo()
    seed.regions = {region.code: region for region in Region.objects.all()}
    seed.created = {"users": 0, "organisations": 0, "enterprises": 0}
    seed.password_hash = None
    seed.seed_authorities()
    seed.seed_enterprises()


def run_worker():
    """The task worker, as `make run` starts it, until the queue is empty."""
    handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)


def test_the_city_officer_exports_a_long_list_in_the_background_and_downloads_it(page, settings):
    seed_case_files()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EXPORT_INLINE_ROWS = 20  # the demo's list is longer: it goes to the worker
    settings.EXPORT_PROGRESS_ROWS = 25
    expected = list(
        Enterprise.objects.filter(size_class="small")
        .order_by("-created_at", "-id")
        .values_list("name", flat=True)
    )
    assert len(expected) > settings.EXPORT_INLINE_ROWS
    log_in(page, "city_officer", DEMO_PASSWORD)

    page.goto(page.base_url + "/enterprises/?size=small")
    page.click("[data-testid=export]")
    page.wait_for_url("**/exports/*/")
    progress = page.locator("[data-testid=export-progress]")
    assert progress.get_attribute("data-status") == "queued"
    assert "正在等待后台任务处理" in progress.inner_text()
    assert page.locator("[data-testid=export-download]").count() == 0

    run_worker()
    # The page polls the job and reloads itself once it is written.
    page.wait_for_selector("[data-testid=export-download]")
    assert f"已写入 {len(expected)} / {len(expected)} 行（100%）" in progress.inner_text()
    with page.expect_download() as download_info:
        page.click("[data-testid=export-download]")
    download = download_info.value
    assert download.suggested_filename.startswith("企业名单-")
    sheet = load_workbook(BytesIO(Path(download.path()).read_bytes()), read_only=True).worksheets[0]
    header, *rows = sheet.iter_rows(values_only=True)
    assert header[:2] == ("企业名称", "统一社会信用代码")
    assert [row[0] for row in rows] == expected
    phone = header.index("联系电话")
    assert all("****" in (row[phone] or "****") for row in rows)  # phones masked

    page.goto(page.base_url + "/")
    assert "导出已完成，可下载" not in page.locator("main").inner_text()  # downloaded: no longer a to-do
