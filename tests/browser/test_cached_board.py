"""An anonymous reader on a page served from the page cache: the page works
(the language switch has no CSRF token to go stale) and shows a change at
once."""

import pytest
from django.core.cache import cache

from tests.factories import MessageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_anonymous_reader_switches_language_on_a_cached_board(
    live_server, settings, new_page, screenshot
):
    settings.ZHITONG_PAGE_CACHE_SECONDS = 300
    cache.clear()
    MessageFactory(title="江州大道路灯不亮")
    page = new_page()

    first = page.goto(f"{live_server.url}/")
    assert first.headers["x-page-cache"] == "miss"
    # The browser revalidates its copy with the ETag (304); another reader
    # without a copy gets the stored page.
    page.goto(f"{live_server.url}/")
    other_reader = page.context.request.get(f"{live_server.url}/")
    assert other_reader.headers["x-page-cache"] == "hit"
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.locator("#language-select").select_option("en")
    page.locator(".language-switch button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_text("江州大道路灯不亮").first.is_visible()
    screenshot(page, "cached-board-english")
    cache.clear()
