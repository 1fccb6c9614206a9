"""A visitor searches the board in Chinese, narrows by category and opens a
result; a citizen writing about the same thing sees the answered message
appear beside the draft and presses 同问 on it instead of posting."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from board.lifecycle import MessageStatus
from board.models import Message, MessageFollow
from board.selectors.search import TERM_SAMPLE_CACHE_KEY
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    MessageFactory,
    PendingMessageFactory,
    RegionFactory,
    ReplyFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERED_TITLE = "小区停车难问题"
OTHER_PARKING_TITLE = "老城区停车难何时缓解"
PENDING_PARKING_TITLE = "锦绣小区停车难没人管"


@pytest.fixture(autouse=True)
def fresh_term_sample():
    # The sample of term counts is cached (on Redis, across test runs): it
    # must be counted from this test's messages.
    cache.delete(TERM_SAMPLE_CACHE_KEY)
    yield
    cache.delete(TERM_SAMPLE_CACHE_KEY)


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))


def seed_board():
    """Parking messages in two categories (one answered, one pending review)
    and two on other subjects, all in one city."""
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    transport = CategoryFactory(slug="transport")
    construction = CategoryFactory(slug="urban-construction")
    answered = MessageFactory(
        region=city,
        category=transport,
        kind="inquiry",
        title=ANSWERED_TITLE,
        body="锦绣小区车位严重不足，晚上回家找不到停车位，车只能停在消防通道上。",
        status=MessageStatus.REPLIED,
    )
    ReplyFactory(
        message=answered,
        body="已在小区东侧空地建设临时停车场，新增车位一百二十个，下月投入使用。",
    )
    other_parking = MessageFactory(
        region=city,
        category=construction,
        title=OTHER_PARKING_TITLE,
        body="老城区道路狭窄，停车难的问题多年没有解决。",
    )
    MessageFactory(
        region=city,
        category=CategoryFactory(slug="agriculture"),
        title="财政补贴标准何时公布",
        body="今年的农机购置财政补贴标准什么时候公布？",
    )
    MessageFactory(
        region=city,
        category=transport,
        title="江州大道路灯不亮",
        body="江州大道东段路灯已经坏了两周，夜间行车很危险。",
    )
    # Never reviewed: found by no search and offered as similar to no one.
    PendingMessageFactory(
        region=city,
        category=transport,
        title=PENDING_PARKING_TITLE,
        body="小区停车难，物业不管。",
    )
    return transport, answered, other_parking


def test_visitor_searches_and_citizen_follows_a_similar_answered_message(
    live_server, new_page, screenshot
):
    transport, answered, other_parking = seed_board()

    # --- A visitor searches from the header, in Chinese -------------------
    visitor = new_page()
    visitor.goto(f"{live_server.url}/")
    visitor.locator("#header-search").fill("停车难")
    visitor.locator("form.header-search button[type=submit]").click()
    visitor.wait_for_url(re.compile(r"/\?q="))
    assert parse_qs(urlsplit(visitor.url).query)["q"] == ["停车难"]

    cards = visitor.locator(".board-list .message-card")
    titles = cards.locator(".message-card-title")
    assert sorted(titles.all_inner_texts()) == sorted(
        [ANSWERED_TITLE, OTHER_PARKING_TITLE]
    )
    answered_card = cards.filter(has_text=ANSWERED_TITLE)
    assert answered_card.locator("h3 mark").all_inner_texts() == ["停车难"]
    assert answered_card.locator("p.search-snippet").count() == 1
    assert visitor.get_by_text(PENDING_PARKING_TITLE).count() == 0
    assert visitor.locator("div.empty[role=status]").count() == 0
    screenshot(visitor, "search-results")

    # --- Narrows the results with the board's category filter -------------
    filters = visitor.locator("form.filters")
    assert filters.locator("[name=q]").input_value() == "停车难"
    filters.locator("select[name=category]").select_option(str(transport.pk))
    filters.locator("button[type=submit]").click()
    visitor.wait_for_url(re.compile(rf"category={transport.pk}"))
    query = parse_qs(urlsplit(visitor.url).query)
    assert query["q"] == ["停车难"]
    assert query["category"] == [str(transport.pk)]
    assert titles.all_inner_texts() == [ANSWERED_TITLE]
    assert answered_card.locator("h3 mark").all_inner_texts() == ["停车难"]
    assert visitor.get_by_text(OTHER_PARKING_TITLE).count() == 0

    # --- Opens the result --------------------------------------------------
    answered_card.locator("h3 a").click()
    visitor.wait_for_url(f"{live_server.url}{answered.get_absolute_url()}")
    assert visitor.locator("h1").inner_text() == ANSWERED_TITLE

    # --- A citizen writing the same question is offered that answer -------
    citizen = UserFactory(username="zhaolei", citizen=True)
    messages_before = Message.objects.count()
    page = new_page()
    log_in(page, live_server.url, citizen)
    page.goto(f"{live_server.url}/messages/new/")
    compose_url = page.url
    similar_items = page.locator("#similar-panel li.similar-item")
    assert similar_items.count() == 0
    # Gone if the page is reloaded or left: the list must come without one.
    page.evaluate("window.sameDocument = true")

    page.locator("#compose-form [name=title]").fill("我们小区停车太难了")
    page.locator("#compose-form [name=body]").fill(
        "每天晚上下班回家，小区里根本找不到停车位，停车难的问题谁来解决？"
    )
    offered = similar_items.filter(has_text=ANSWERED_TITLE)
    offered.wait_for(state="visible")
    assert page.evaluate("window.sameDocument") is True
    assert page.url == compose_url
    # Answered messages come first; unreviewed ones are never offered.
    assert similar_items.first.locator("a").inner_text() == ANSWERED_TITLE
    assert offered.locator(f".badge.status-{MessageStatus.REPLIED}").count() == 1
    assert similar_items.filter(has_text=PENDING_PARKING_TITLE).count() == 0
    assert Message.objects.count() == messages_before
    screenshot(page, "compose-similar-panel")

    offered.locator("button.small-action").click()
    page.wait_for_url(f"{live_server.url}{answered.get_absolute_url()}")
    assert page.locator("h1").inner_text() == ANSWERED_TITLE
    assert MessageFollow.objects.filter(user=citizen, message=answered).exists()
    assert not MessageFollow.objects.filter(
        user=citizen, message=other_parking
    ).exists()
    assert Message.objects.count() == messages_before
    assert not Message.objects.filter(author=citizen).exists()
