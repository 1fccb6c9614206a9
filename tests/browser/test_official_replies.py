"""An official accepts a routed message and replies; the citizen rates the reply;
an anonymous visitor sees reply and rating on the public page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from board.actions import start_handling_clock
from board.lifecycle import MessageStatus
from board.models import Message, Rating
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = "您反映的江州大道公交站台顶棚已于本周修复，感谢您的监督。"


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))


def routed_message(official, **kwargs) -> Message:
    """A published message routed to ``official`` with the clock running."""
    fields = {
        "kind": "inquiry",
        "title": "江州大道公交站台何时修复",
        "status": MessageStatus.PUBLISHED,
        **kwargs,
    }
    if "author" not in fields:
        fields["author"] = UserFactory(username="wangfang", citizen=True)
    message = MessageFactory(
        addressee_official=official,
        region=official.region,
        category=CategoryFactory(slug="transport", name="交通出行"),
        body="江州大道公交站台顶棚损坏，雨天无法候车。",
        body_html="<p>江州大道公交站台顶棚损坏，雨天无法候车。</p>",
        contact_phone="13800001111",
        published_at=timezone.now(),
        **fields,
    )
    start_handling_clock(message)
    message.save()
    return message


def overdue_message(official) -> Message:
    """An older message, accepted, escalated, and past its extended deadline."""
    message = routed_message(
        official,
        title="老旧小区加装电梯进展",
        author=UserFactory(citizen=True),
        kind="suggestion",
        status=MessageStatus.ACCEPTED,
    )
    Message.objects.filter(pk=message.pk).update(
        due_date=timezone.localdate() - timedelta(days=6),
        extended_by_days=5,
        extension_reason="需协调多个部门",
        escalated_at=timezone.now(),
    )
    return message


def test_official_replies_citizen_rates_public_sees_both(
    live_server, new_page, screenshot
):
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    official = OfficialFactory(
        name="李明",
        title="江州市交通运输局局长",
        region=city,
        user=UserFactory(username="liming", official=True),
    )
    message = routed_message(official)
    overdue = overdue_message(official)

    # The official: inbox → handle page → accept → final reply.
    desk = new_page()
    log_in(desk, live_server.url, official.user)
    nav = desk.locator(".site-nav")
    nav.get_by_role("link", name=re.compile("收件箱|Inbox")).click()
    desk.wait_for_url(re.compile("/inbox/$"))
    rows = desk.locator(".inbox-row")
    assert rows.count() == 2
    # Overdue first, marked so.
    assert overdue.title in rows.first.inner_text()
    assert rows.first.locator("[data-deadline=overdue]").count() == 1
    row = desk.locator(".inbox-row", has_text=message.title)
    assert message.reference in row.inner_text()
    assert row.locator("[data-deadline]").count() == 1
    screenshot(desk, "11-official-inbox")
    desk.set_viewport_size({"width": 390, "height": 844})
    screenshot(desk, "11b-official-inbox-mobile")
    desk.set_viewport_size({"width": 1280, "height": 900})

    row.get_by_role("link", name=message.title).click()
    desk.wait_for_url(re.compile(rf"/inbox/messages/{message.pk}/$"))
    assert desk.get_by_text("13800001111").is_visible()
    screenshot(desk, "12-official-handle-page")

    desk.locator("form[data-action=accept] button[type=submit]").click()
    desk.wait_for_url(re.compile(rf"/inbox/messages/{message.pk}/$"))
    assert desk.locator(".flash").count() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED

    reply_form = desk.locator("form[data-action=reply]")
    reply_form.locator("input[name=kind][value=final]").check()
    reply_form.locator("textarea[name=body]").fill(REPLY)
    screenshot(desk, "13-official-writes-reply")
    reply_form.locator("button[type=submit]").click()
    desk.wait_for_url(re.compile(rf"/inbox/messages/{message.pk}/$"))
    assert desk.locator(".thread .reply-final", has_text=REPLY).count() == 1
    screenshot(desk, "14-official-after-reply")
    desk.goto(f"{live_server.url}/inbox/messages/{overdue.pk}/")
    assert desk.locator("[data-deadline=overdue]").count() == 1
    assert desk.locator("form[data-action=extend]").count() == 0  # extended once
    desk.set_viewport_size({"width": 390, "height": 844})
    screenshot(desk, "14b-official-overdue-mobile")
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED

    # The citizen, in another browser context, sees the reply and rates it.
    citizen = new_page()
    log_in(citizen, live_server.url, message.author)
    citizen.goto(f"{live_server.url}{message.get_absolute_url()}")
    reply = citizen.locator(".thread .reply-final")
    assert REPLY in reply.inner_text()
    # Under the office's name (the official heads no department), never
    # the person's.
    assert "江州市交通运输局局长" in reply.inner_text()
    assert "李明" not in reply.inner_text()
    rating_form = citizen.locator("form.rating-form")
    for score in ("attitude", "speed", "resolved"):
        rating_form.locator(f"input[name={score}][value='5']").check(force=True)
    rating_form.locator("textarea[name=comment]").fill("处理及时，态度很好。")
    screenshot(citizen, "15-citizen-rates")
    rating_form.locator("button[type=submit]").click()
    citizen.wait_for_url(re.compile(rf"/messages/{message.pk}/#rating$"))
    assert citizen.locator(".rating[data-overall=satisfied]").count() == 1
    assert citizen.locator("form.rating-form").count() == 0
    screenshot(citizen, "16-citizen-after-rating")

    rating = Rating.objects.get(message=message)
    assert rating.overall == "satisfied"
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED

    # An anonymous visitor sees the reply and the rating on the public page.
    visitor = new_page()
    visitor.goto(f"{live_server.url}{message.get_absolute_url()}")
    assert REPLY in visitor.locator(".thread").inner_text()
    assert visitor.locator(".rating[data-overall=satisfied]").count() == 1
    assert "处理及时，态度很好。" in visitor.locator(".rating").inner_text()
    assert visitor.locator(".badge.status-closed").count() == 1
    assert visitor.get_by_text("13800001111").count() == 0
    assert visitor.locator("form.rating-form").count() == 0
    screenshot(visitor, "17-public-reply-and-rating")

    # And the English page for visitors who chose it.
    english = new_page(locale="en-GB")
    english.goto(f"{live_server.url}{message.get_absolute_url()}")
    assert english.locator(".rating .overall").inner_text() == "Satisfied"
    english.set_viewport_size({"width": 390, "height": 844})
    screenshot(english, "18-public-mobile-english")
