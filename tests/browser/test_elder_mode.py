"""长辈模式 (elder mode) in a real browser: one switch in the header makes
the text at least 1.5 times larger; the choice survives a reload and other
pages, follows a signed-in user to a fresh browser, and fits a phone."""

import re
import tempfile
from pathlib import Path

import pytest

from board.models import User
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
BODY_FONT_PX = "parseFloat(getComputedStyle(document.body).fontSize)"
TEXT_FONT_PX = "parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
IS_ELDER = "document.documentElement.classList.contains('elder')"


@pytest.fixture
def message(db):
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    return MessageFactory(
        region=city,
        addressee_official=OfficialFactory(
            name="李明", title="江州市市长", region=city
        ),
        category=CategoryFactory(
            slug="transport", name="交通出行", name_en="Transport"
        ),
        title="江州大道公交站台顶棚损坏，雨天无法候车",
        body="江州大道与人民路交叉口的公交站台顶棚损坏已有三个月。",
        body_html="<p>江州大道与人民路交叉口的公交站台顶棚损坏已有三个月。</p>",
    )


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))


def switch(page):
    with page.expect_navigation():
        page.locator(".elder-switch-button").click()


def test_the_switch_enlarges_the_text_and_is_remembered(live_server, new_page, message):
    page = new_page()
    page.goto(live_server.url + "/")
    body_before = page.evaluate(BODY_FONT_PX)
    text_before = page.evaluate(TEXT_FONT_PX)
    assert page.evaluate(IS_ELDER) is False

    # By keyboard, with a visible focus: skip link, brand, then the switch.
    for _ in range(3):
        page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "elder-switch-button"
    assert page.evaluate(
        "getComputedStyle(document.activeElement).outlineStyle"
    ) not in ("none", "")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.evaluate(IS_ELDER) is True
    assert page.evaluate(BODY_FONT_PX) >= 1.5 * body_before
    assert page.evaluate(TEXT_FONT_PX) >= 1.5 * text_before
    # The switch says what it does next in words, not in a colour.
    assert page.locator(".elder-switch-button .when-elder").is_visible()
    assert page.locator(".elder-switch-button .when-standard").is_hidden()

    page.reload()
    assert page.evaluate(IS_ELDER) is True
    assert page.evaluate(BODY_FONT_PX) >= 1.5 * body_before
    page.goto(live_server.url + message.get_absolute_url())
    assert page.evaluate(IS_ELDER) is True
    assert page.evaluate(BODY_FONT_PX) >= 1.5 * body_before

    switch(page)
    assert page.evaluate(IS_ELDER) is False
    assert page.evaluate(BODY_FONT_PX) == body_before
    assert page.url.endswith(message.get_absolute_url())


def test_the_mode_follows_a_user_to_a_fresh_browser(live_server, new_page, message):
    user = UserFactory(username="laoli", citizen=True)
    home = new_page()
    log_in(home, live_server.url, user)
    body_before = home.evaluate(BODY_FONT_PX)
    switch(home)
    assert home.evaluate(IS_ELDER) is True
    assert User.objects.get(pk=user.pk).elder_mode is True

    # Another browser, no cookie of its own: the account brings the mode.
    phone = new_page()
    phone.goto(live_server.url + "/")
    assert phone.evaluate(IS_ELDER) is False
    log_in(phone, live_server.url, user)
    assert phone.evaluate(IS_ELDER) is True
    assert phone.evaluate(BODY_FONT_PX) >= 1.5 * body_before
    cookies = {cookie["name"]: cookie["value"] for cookie in phone.context.cookies()}
    assert cookies["zhitong_elder"] == "1"

    # Signed out, this browser keeps it.
    phone.locator("[data-menu-button]").click()
    with phone.expect_navigation():
        phone.locator(".site-nav .link-button").click()
    phone.goto(live_server.url + message.get_absolute_url())
    assert phone.evaluate(IS_ELDER) is True


@pytest.mark.parametrize("width", [360, 390])
def test_elder_mode_fits_a_phone(live_server, new_page, message, width):
    page = new_page()
    page.set_viewport_size({"width": width, "height": 780})
    page.goto(live_server.url + "/")
    switch(page)
    paths = ["/", message.get_absolute_url(), "/accounts/login/", "/accounts/signup/"]
    for path in paths:
        page.goto(live_server.url + path)
        assert page.evaluate(IS_ELDER) is True
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        ), f"{path} scrolls sideways at {width} px in elder mode"
        page.locator("[data-menu-button]").click()
        links = page.locator(".site-nav a")
        for index in range(links.count()):
            assert links.nth(index).bounding_box()["height"] >= 44


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_screenshots_of_the_shell(live_server, new_page, message, locale):
    """Normal and elder mode at 390 and 1280 px, for a person to look at."""
    SHOTS.mkdir(exist_ok=True)
    language = locale[:2]
    for elder in (False, True):
        page = new_page(locale=locale)
        page.goto(live_server.url + "/")
        if elder:
            switch(page)
        mode = "elder" if elder else "normal"
        for width in (390, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            for name, path in [
                ("board", "/"),
                ("message", message.get_absolute_url()),
                ("login", "/accounts/login/"),
            ]:
                page.goto(live_server.url + path)
                assert page.evaluate(
                    "document.documentElement.scrollWidth <= window.innerWidth"
                )
                page.screenshot(
                    path=str(SHOTS / f"{name}-{language}-{mode}-{width}.png"),
                    full_page=False,
                )
