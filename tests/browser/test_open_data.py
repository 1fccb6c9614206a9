"""A visitor reads the open data page, picks a period and a region, and
downloads messages.csv from the ASGI server: the file has Excel's byte order
mark, the header and exactly the messages asked for."""

import csv
import io
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.factories import MessageFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_visitor_downloads_messages_csv_for_a_period_and_region(
    asgi_live_server, new_page, screenshot
):
    city = RegionFactory(name="江州市", name_en="Jiangzhou", level=2, code="360100")
    county = RegionFactory(
        name="江东区", name_en="Jiangdong", level=3, code="360101", parent=city
    )
    elsewhere = RegionFactory(name="河西市", name_en="Hexi", level=2, code="370100")
    in_march = MessageFactory(
        region=county,
        title="江东区路灯不亮",
        published_at=datetime(2026, 3, 1, 0, 30, tzinfo=SHANGHAI),
    )
    MessageFactory(
        region=county,
        title="二月的留言",
        published_at=datetime(2026, 2, 28, 23, 0, tzinfo=SHANGHAI),
    )
    MessageFactory(
        region=elsewhere,
        title="河西市的留言",
        published_at=datetime(2026, 3, 5, 9, 0, tzinfo=SHANGHAI),
    )

    page = new_page()
    page.goto(f"{asgi_live_server.url}/open-data/")
    # Chinese first (the page's language); its words come with the catalogue.
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    # The datasets and their columns are described.
    for dataset in ("messages", "replies", "ratings"):
        assert page.locator(f"#dataset-{dataset}").is_visible()
    messages = page.locator("section").filter(has=page.locator("#dataset-messages"))
    assert messages.locator("code").get_by_text("final_reply", exact=True).count() == 1
    assert "CC BY 4.0" in page.locator("#licence-heading + p").inner_text()

    page.locator("#id_from").fill("2026-03-01")
    page.locator("#id_to").fill("2026-03-31")
    page.locator("#id_region").select_option(str(city.pk))
    screenshot(page, "open_data_form")
    with page.expect_download() as download_info:
        page.locator("button[data-file='messages.csv']").click()
    download = download_info.value
    assert download.suggested_filename == ("zhitong-messages-2026-03-01_2026-03-31.csv")
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    header, *records = rows
    assert header[:4] == ["reference", "published_at", "region_code", "region_name"]
    assert "title" in header and "contact_phone" not in header
    assert len(records) == 1
    record = dict(zip(header, records[0], strict=True))
    assert record["reference"] == in_march.reference
    assert record["title"] == "江东区路灯不亮"
    assert record["region_name"] == "江东区"
    assert record["published_at"] == "2026-03-01T00:30:00+08:00"
