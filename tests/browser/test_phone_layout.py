"""The site on a phone (360 and 390 px wide): no page scrolls sideways, the
header is one short row with its menu collapsed, the menu opens with its
button (mouse or keyboard) and every link in it is at least 44 px tall."""

import re
import tempfile
from pathlib import Path

import pytest

from board.actions import start_handling_clock
from board.lifecycle import MessageStatus
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots_shell"
# One row of 44 px targets and its padding.
COLLAPSED_HEADER_MAX_PX = 72
TARGET_MIN_PX = 44
BODY = "江州大道与人民路交叉口的公交站台顶棚损坏已有三个月。" * 6


@pytest.fixture
def board(db):
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    official = OfficialFactory(
        name="李明",
        title="江州市市长",
        region=city,
        user=UserFactory(username="liming", official=True),
    )
    category = CategoryFactory(slug="transport", name="交通出行", name_en="Transport")
    citizen = UserFactory(username="wangfang", citizen=True)
    message = MessageFactory(
        author=citizen,
        region=city,
        addressee_official=official,
        category=category,
        title="江州大道公交站台顶棚损坏，雨天无法候车，请问何时修复？",
        body=BODY,
        body_html=f"<p>{BODY}</p>",
    )
    start_handling_clock(message)
    message.save()
    MessageFactory(
        author=citizen,
        region=city,
        addressee_official=official,
        category=category,
        status=MessageStatus.PENDING,
        title="人民公园厕所夜间不开放",
    )
    return {
        "message": message,
        "citizen": citizen,
        "official": official.user,
        "moderator": UserFactory(username="zhaomin", moderator=True),
    }


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))


def phone_page(new_page, width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 780})
    return page


def check_layout(page, name):
    """The page fits the screen; the header is short until its menu opens."""
    SHOTS.mkdir(exist_ok=True)
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{name} scrolls sideways at {width} px"
    )
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] <= COLLAPSED_HEADER_MAX_PX, name
    menu = page.locator("#site-menu")
    button = page.locator("[data-menu-button]")
    assert menu.is_hidden()
    assert button.get_attribute("aria-expanded") == "false"
    page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)

    button.click()
    assert button.get_attribute("aria-expanded") == "true"
    assert menu.is_visible()
    links = page.locator(".site-nav a, .site-nav .link-button")
    assert links.count() >= 2
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box["height"] >= TARGET_MIN_PX, (name, links.nth(index).inner_text())
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, name
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(SHOTS / f"{name}-{width}-menu.png"))

    # The keyboard: Escape closes and gives focus back; Enter reopens.
    page.keyboard.press("Escape")
    assert menu.is_hidden()
    assert page.evaluate("document.activeElement.hasAttribute('data-menu-button')")
    page.keyboard.press("Enter")
    assert menu.is_visible()
    page.keyboard.press("Tab")
    assert page.evaluate(
        "document.getElementById('site-menu').contains(document.activeElement)"
    ), "the open menu is next in tab order"
    page.keyboard.press("Escape")


@pytest.mark.parametrize("width", [360, 390])
def test_public_pages_fit_a_phone(live_server, new_page, board, width):
    page = phone_page(new_page, width)
    for name, path in [
        ("board", "/"),
        ("message", board["message"].get_absolute_url()),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
        ("password-reset", "/accounts/password/reset/"),
    ]:
        page.goto(live_server.url + path)
        check_layout(page, name)


@pytest.mark.parametrize("width", [360, 390])
def test_signed_in_pages_fit_a_phone(live_server, new_page, board, width):
    for name, user, path in [
        ("compose", board["citizen"], "/messages/new/"),
        ("email", board["citizen"], "/accounts/email/"),
        ("inbox", board["official"], "/inbox/"),
        ("moderation", board["moderator"], "/moderation/"),
    ]:
        page = phone_page(new_page, width)
        log_in(page, live_server.url, user)
        page.goto(live_server.url + path)
        check_layout(page, name)


def test_the_english_header_fits_a_phone_too(live_server, new_page, board):
    page = new_page(locale="en-US")
    page.set_viewport_size({"width": 360, "height": 780})
    log_in(page, live_server.url, board["moderator"])
    page.goto(live_server.url + "/moderation/")
    check_layout(page, "moderation-en")


def test_a_wide_screen_shows_the_whole_header(live_server, new_page, board):
    page = new_page()
    page.goto(live_server.url + "/")
    assert page.locator("[data-menu-button]").is_hidden()
    assert page.locator("#header-search").is_visible()
    assert page.locator(".site-nav").get_by_role("link", name="登录").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
