"""An old link to a message that is no longer public opens the styled 404
page in the reader's language, and its link leads back to the board (#14).
Screenshots at 390 and 1280 px of the error pages, in Chinese and English."""

import re
import tempfile
from pathlib import Path

import pytest

from board.api.common import server_error
from board.lifecycle import MessageStatus
from tests.factories import TEST_PASSWORD, MessageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots_error_pages"
WIDTHS = [390, 1280]


@pytest.fixture
def messages(db):
    return {
        "public": MessageFactory(title="人民路路灯不亮，夜间出行不便"),
        "hidden": MessageFactory(
            title="这条留言已被隐藏，标题不应出现", status=MessageStatus.HIDDEN
        ),
    }


def shoot(page, name: str):
    SHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name} scrolls sideways at {width} px"
    )
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))


@pytest.mark.parametrize("width", WIDTHS)
def test_an_old_link_to_a_hidden_message_leads_back_to_the_board(
    live_server, new_page, messages, width
):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 800})

    response = page.goto(live_server.url + messages["hidden"].get_absolute_url())

    assert response.status == 404
    assert page.locator("h1").inner_text() == "无法查看这条留言"
    assert page.get_by_text("这条留言不存在或未公开。").is_visible()
    assert messages["hidden"].title not in page.content()
    assert page.locator(".site-header").is_visible()
    assert page.locator(".site-footer").is_visible()
    shoot(page, "hidden-message-zh")

    page.locator("main").get_by_role("link", name="返回留言板").click()
    page.wait_for_url(live_server.url + "/")
    assert page.get_by_text(messages["public"].title).first.is_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_error_pages_in_english_for_a_citizen(
    live_server, new_page, messages, width
):
    page = new_page(locale="en-US")
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, live_server.url, UserFactory(citizen=True))

    response = page.goto(live_server.url + messages["hidden"].get_absolute_url())
    assert response.status == 404
    not_public = "This message does not exist or is not public."
    assert page.get_by_text(not_public).is_visible()
    assert page.locator("main").get_by_role("link", name="My messages").is_visible()
    shoot(page, "hidden-message-en-citizen")

    response = page.goto(live_server.url + "/inbox/")
    assert response.status == 403
    assert page.locator("h1").inner_text() == "Not allowed"
    shoot(page, "403-en-citizen")

    response = page.goto(live_server.url + "/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    shoot(page, "404-en-citizen")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_static_500_page_looks_like_the_site(
    live_server, new_page, width, language, rf
):
    # The 500 page as handler500 renders it, served at an address of the live
    # server so that its stylesheet and links resolve there.
    request = rf.get("/", headers={"accept-language": language})
    html = server_error(request).content.decode()
    page = new_page(locale="en-US" if language == "en" else "zh-CN")
    page.set_viewport_size({"width": width, "height": 800})
    page.route(
        "**/fault/",
        lambda route: route.fulfill(
            status=500, content_type="text/html; charset=utf-8", body=html
        ),
    )

    page.goto(live_server.url + "/fault/")

    heading = {"zh-hans": "出错了", "en": "Something went wrong"}[language]
    assert page.locator("h1").inner_text() == heading
    assert page.locator(".site-header .brand").is_visible()
    # The stylesheet applied: the button has the brand's background.
    background = page.locator("main a.button").first.evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    shoot(page, f"500-{language}")

    page.locator("main a.button").first.click()
    page.wait_for_url(live_server.url + "/")
