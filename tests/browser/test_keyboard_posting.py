"""A citizen posts a message with the keyboard alone: Tab (and Shift+Tab) to
move, the arrow keys inside a list or a group of choices, Space to tick,
Enter to press, and typing. Every stop on the way shows where the focus is;
the 留言须知 checkbox, the preview and the submit are all reached so."""

import importlib
import re
import tempfile
from pathlib import Path

import pytest

from board.models import AuthorShownAs, Message, PostingGuidelines
from tests.browser.keyboard import MAX_STOPS, tab_to
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


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def arrow_to(page, selector, value):
    """With a select or a radio group focused, ArrowDown until it holds
    ``value``."""
    for _ in range(MAX_STOPS):
        if page.evaluate("s => document.querySelector(s).value", selector) == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{selector} never became {value}")


def test_a_citizen_posts_a_message_with_the_keyboard_alone(live_server, new_page):
    PostingGuidelines.objects.create(
        text=DEFAULT_GUIDELINES.TEXT, text_en=DEFAULT_GUIDELINES.TEXT_EN
    )
    province = RegionFactory(name="江南省", name_en="Jiangnan")
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=province)
    official = OfficialFactory(name="李明", title="江州市市长", region=city)
    transport = CategoryFactory(slug="transport")
    citizen = UserFactory(username="wangfang", citizen=True, display_name="王芳")

    page = new_page()
    # Signing in is another page's test; the keyboard starts on the form.
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(citizen.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))

    page.goto(f"{live_server.url}/messages/new/")
    page.wait_for_load_state("networkidle")

    # The guidelines open and close from the keyboard.
    tab_to(page, "#guidelines-inline > summary")
    page.keyboard.press("Enter")
    assert page.locator("#guidelines-inline").get_attribute("open") is not None
    assert page.locator("#guidelines-inline").get_by_text("请不要写").is_visible()
    page.keyboard.press("Enter")

    tab_to(page, "#id_region")
    arrow_to(page, "#id_region", str(city.pk))
    tab_to(page, "#addressee-search")
    page.keyboard.type("李明")
    tab_to(page, "#id_addressee")
    arrow_to(page, "#id_addressee", f"o:{official.pk}")
    tab_to(page, "#id_category")
    arrow_to(page, "#id_category", str(transport.pk))
    tab_to(page, "input[name=kind]")
    arrow_to(page, "input[name=kind]:focus", "inquiry")
    page.keyboard.press("Space")

    tab_to(page, "#id_title")
    page.keyboard.type("江州大道公交站台何时修复")
    assert page.locator("#id_title-count").inner_text() == "12/60"
    tab_to(page, "#id_body")
    page.keyboard.type("江州大道公交站台顶棚损坏，雨天无法候车。")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("请问何时修复？")

    # 匿名: into the group, then the arrow to the second choice.
    tab_to(page, "input[name=author_shown_as]")
    page.keyboard.press("ArrowDown")
    assert page.locator("input[name=author_shown_as][value=anonymous]").is_checked()

    tab_to(page, "#id_accepts_guidelines")
    page.keyboard.press("Space")
    assert page.locator("#id_accepts_guidelines").is_checked()
    shoot(page, "keyboard-01-filled")

    # The preview: a page of its own, focused where it starts.
    tab_to(page, "button[name=preview]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Message.objects.count() == 0
    preview = page.locator("[data-compose-preview]")
    assert page.evaluate("document.activeElement.matches('[data-compose-preview]')")
    assert "江州大道公交站台何时修复" in preview.inner_text()
    assert "李明" in preview.inner_text()
    assert "王芳" not in preview.inner_text()
    assert page.locator("#id_accepts_guidelines").is_checked()
    shoot(page, "keyboard-02-preview")

    # One Tab stop to the box, one to the submit: it is sent as shown.
    tab_to(page, "[data-compose-preview] button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/messages/\d+/$"))
    shoot(page, "keyboard-03-sent")

    message = Message.objects.get()
    assert message.status == "pending"
    assert message.title == "江州大道公交站台何时修复"
    assert message.body == "江州大道公交站台顶棚损坏，雨天无法候车。\n\n请问何时修复？"
    assert message.kind == "inquiry"
    assert message.addressee_official == official
    assert message.author_shown_as == AuthorShownAs.ANONYMOUS


def test_a_missing_tick_is_said_and_the_focus_goes_to_it(live_server, new_page):
    PostingGuidelines.objects.create(
        text=DEFAULT_GUIDELINES.TEXT, text_en=DEFAULT_GUIDELINES.TEXT_EN
    )
    official = OfficialFactory(region=RegionFactory(name="江州市"))
    category = CategoryFactory(slug="transport")
    citizen = UserFactory(citizen=True)
    page = new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(citizen.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))

    page.goto(f"{live_server.url}/messages/new/")
    page.locator("#id_region").select_option(str(official.region_id))
    page.locator("#id_addressee").select_option(f"o:{official.pk}")
    page.locator("#id_category").select_option(str(category.pk))
    page.locator("input[name=kind][value=complaint]").check()
    page.locator("#id_title").fill("站台损坏")
    page.locator("#id_body").fill("站台顶棚损坏。")
    tab_to(page, "#compose-form button[type=submit]:not([name])")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert Message.objects.count() == 0
    assert page.evaluate("document.activeElement.id") == "id_accepts_guidelines"
    assert page.locator("#field-accepts_guidelines [role=alert]").is_visible()
    shoot(page, "keyboard-04-missing-tick")
    page.keyboard.press("Space")
    tab_to(page, "#compose-form button[type=submit]:not([name])")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/messages/\d+/$"))
    assert Message.objects.count() == 1
