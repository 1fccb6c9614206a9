"""Writing a message in Chromium (#14): the live character counters (and
what a screen reader is told near the limit), the preview, the 留言须知
page, at phone and desk widths in Chinese and English."""

import importlib
import re
import tempfile
from pathlib import Path

import pytest

from board.models import Message, PostingGuidelines
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots_compose"
DEFAULT_GUIDELINES = importlib.import_module("board.migrations.0021_default_guidelines")
WIDTHS = {"phone": 390, "desk": 1280}
LOCALES = {"zh": "zh-CN", "en": "en-US"}


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def world(db):
    PostingGuidelines.objects.create(
        text=DEFAULT_GUIDELINES.TEXT, text_en=DEFAULT_GUIDELINES.TEXT_EN
    )
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    return {
        "official": OfficialFactory(name="李明", title="江州市市长", region=city),
        "category": CategoryFactory(
            slug="transport", name="交通出行", name_en="Transport"
        ),
        "citizen": UserFactory(citizen=True, display_name="王芳"),
    }


def signed_in_page(new_page, live_server, user, locale="zh-CN"):
    page = new_page(locale=locale)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))
    return page


def fill_draft(page, world, *, body):
    official = world["official"]
    page.locator("#id_region").select_option(str(official.region_id))
    page.locator("#id_addressee").select_option(f"o:{official.pk}")
    page.locator("#id_category").select_option(str(world["category"].pk))
    page.locator("input[name=kind][value=complaint]").check()
    page.locator("#id_title").fill("江州大道公交站台顶棚损坏")
    page.locator("#id_body").fill(body)


def test_counters_count_as_the_citizen_types(live_server, new_page, world):
    page = signed_in_page(new_page, live_server, world["citizen"])
    page.goto(f"{live_server.url}/messages/new/")
    title = page.locator("#id_title")
    title_count = page.locator("#id_title-count")
    announcer = page.locator("[data-counter-announcer]")
    assert title_count.inner_text() == "0/60"
    assert page.locator("#id_body-count").inner_text() == "0/3000"
    # The count is read with the field.
    assert "id_title-count" in title.get_attribute("aria-describedby")

    title.press_sequentially("公交站台")
    assert title_count.inner_text() == "4/60"
    assert "is-near" not in title_count.get_attribute("class")
    # Quiet far from the limit: nothing said at every key.
    assert announcer.inner_text() == ""

    title.fill("站" * 49)
    title.press_sequentially("台")
    assert title_count.inner_text() == "50/60"
    assert "is-near" in title_count.get_attribute("class")
    assert "10" in announcer.inner_text()

    title.press_sequentially("台" * 15)
    # The browser stops at the server's limit; the counter says so.
    assert title.input_value() == "站" * 49 + "台" * 11
    assert title_count.inner_text() == "60/60"
    assert "is-full" in title_count.get_attribute("class")
    assert "60" in announcer.inner_text()

    # Line breaks count once, as the server counts them.
    body = page.locator("#id_body")
    body.press_sequentially("一\n二")
    assert page.locator("#id_body-count").inner_text() == "3/3000"


@pytest.mark.parametrize("language", LOCALES)
@pytest.mark.parametrize("width", WIDTHS)
def test_compose_preview_and_guidelines_at_each_width(
    live_server, new_page, world, language, width
):
    page = signed_in_page(new_page, live_server, world["citizen"], LOCALES[language])
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"{live_server.url}/messages/new/")
    page.locator("#guidelines-inline > summary").click()
    assert page.locator("#guidelines-inline .guidelines-text h2").count() == 4
    shoot(page, f"compose-{language}-{width}")
    # Nothing sticks out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]

    fill_draft(
        page,
        world,
        body="顶棚*损坏*，雨天无法候车。\n\n<script>alert(1)</script>\n\n- 请尽快修复",
    )
    page.locator("input[name=author_shown_as][value=anonymous]").check()
    with page.expect_navigation():
        page.locator("button[name=preview]").click()
    preview = page.locator("[data-compose-preview]")
    assert preview.is_visible()
    assert preview.locator(".preview-body em").inner_text() == "损坏"
    assert preview.locator(".preview-body li").inner_text() == "请尽快修复"
    assert preview.locator("script").count() == 0
    assert "王芳" not in preview.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    assert Message.objects.count() == 0
    shoot(page, f"preview-{language}-{width}")

    page.goto(f"{live_server.url}/guidelines/")
    heading = "留言须知" if language == "zh" else "Posting guidelines"
    if language == "zh":
        assert page.locator(".guidelines-text h2").first.inner_text() == "请这样写"
    else:
        assert page.locator(".guidelines-text h2").first.inner_text() == "What to write"
        assert page.locator("h1").inner_text() == heading
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width]
    shoot(page, f"guidelines-{language}-{width}")
