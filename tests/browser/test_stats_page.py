"""A visitor opens the statistics page, switches to departments, opens one
department's figures, sees the charts drawn beside their tables, and
downloads its figures as CSV (Chinese, from the ASGI server)."""

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from board.statistics import statistics_rebuild
from tests.factories import DepartmentFactory, RegionFactory, RoutedMessageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_reads_a_department_s_figures_and_downloads_them(
    asgi_live_server, new_page, screenshot
):
    city = RegionFactory(name="江州市", name_en="Jiangzhou", level=2, code="360100")
    roads = DepartmentFactory(
        name="交通运输局", name_en="Transport Bureau", region=city
    )
    water = DepartmentFactory(name="水务局", name_en="Water Bureau", region=city)
    now = timezone.now() - timedelta(days=1)
    for number in range(12):
        RoutedMessageFactory(
            addressee_official=None,
            addressee_department=roads,
            region=city,
            status="replied",
            final_reply_at=now,
            first_reply_at=now,
            first_reply_working_days=number % 4,
            final_reply_working_days=number % 4 + 1,
            final_reply_on_time=number % 3 != 0,
        )
    RoutedMessageFactory(
        addressee_official=None, addressee_department=water, region=city
    )
    # Factory rows skip the actions: count them as a bulk load would.
    statistics_rebuild()

    page = new_page()
    page.goto(f"{asgi_live_server.url}/stats/")
    assert page.locator("h1").inner_text() == "统计与排行"
    page.get_by_role("link", name="部门", exact=True).click()
    ranking = page.locator("table.ranking")
    first_row = ranking.locator("tbody tr").first
    assert "交通运输局" in first_row.inner_text()
    assert first_row.locator("td").first.inner_text() == "1"
    first_row.get_by_role("link").click()

    assert "交通运输局" in page.locator("h1").inner_text()
    for chart in ("chart-trend", "chart-response-days", "chart-satisfaction"):
        page.locator(f"#{chart}[data-drawn='true']").wait_for()
    figures = page.locator("section[aria-labelledby='group-figures'] table")
    assert figures.get_by_role("row", name="答复率 100.0%", exact=True).is_visible()
    assert figures.get_by_role("row", name="按期答复率 66.7%", exact=True).is_visible()
    screenshot(page, "stats_department")

    with page.expect_download() as download_info:
        page.locator("section[aria-labelledby='group-figures'] a.csv-link").click()
    text = Path(download_info.value.path()).read_text(encoding="utf-8")
    header, row = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    record = dict(zip(header, row, strict=True))
    assert record["id"] == str(roads.pk)
    assert (record["收到"], record["答复率"], record["按期答复率"]) == (
        "12",
        "1.0",
        "0.6667",
    )
