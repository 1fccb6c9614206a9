"""A moderator approves with the keyboard alone: Tab (and Shift+Tab) to move,
Enter and Space to act. Every stop on the way shows where the focus is."""

import re
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from board.lifecycle import MessageStatus
from tests.browser.keyboard import tab_to
from tests.browser.test_moderator_reviews import ensure_reasons, log_in
from tests.factories import (
    CategoryFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(tempfile.gettempdir()) / "shots_live_queue"


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def setting():
    ensure_reasons()
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    mayor = OfficialFactory(name="李明", title="江州市市长", region=city)
    citizen = UserFactory(citizen=True, username="wangfang")
    UserFactory(moderator=True, username="zhaomin")

    def pending(title, minutes_waiting):
        return MessageFactory(
            author=citizen,
            region=city,
            addressee_official=mayor,
            category=CategoryFactory(slug="transport", name="交通出行"),
            status=MessageStatus.PENDING,
            title=title,
            submitted_for_review_at=timezone.now()
            - timezone.timedelta(minutes=minutes_waiting),
        )

    return {"pending": pending}


def test_a_moderator_opens_and_approves_an_item_by_keyboard(
    live_server, new_page, setting
):
    message = setting["pending"]("江州大道公交站台何时修复", 90)
    page = new_page()
    log_in(page, live_server, "zhaomin")
    page.goto(f"{live_server.url}/moderation/")

    tab_to(page, f"#queue-item-{message.pk} .queue-title a")
    shoot(page, "10-keyboard-queue-focus")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/moderation/messages/{message.pk}/$"))
    # Opening the item claimed it.
    expect(page.locator("form[action$='/release/']")).to_be_visible()

    tab_to(page, "form[data-action=approve] button[type=submit]")
    shoot(page, "11-keyboard-approve-focus")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/moderation/\?queue=pending$"))
    expect(page.locator(".flash-success", has_text=message.reference)).to_be_visible()
    expect(page.locator(f"#queue-item-{message.pk}")).to_have_count(0)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_a_moderator_approves_a_selection_by_keyboard(live_server, new_page, setting):
    first = setting["pending"]("幸福小区路灯不亮", 60)
    second = setting["pending"]("新港路口红绿灯故障", 30)
    kept = setting["pending"]("学校门口缺少斑马线", 10)
    page = new_page()
    log_in(page, live_server, "zhaomin")
    page.goto(f"{live_server.url}/moderation/")

    tab_to(page, f"#select-{first.pk}")
    page.keyboard.press("Space")
    tab_to(page, f"#select-{second.pk}")
    page.keyboard.press("Space")
    expect(page.locator(f"#select-{first.pk}")).to_be_checked()
    expect(page.locator(f"#select-{second.pk}")).to_be_checked()
    expect(page.locator(f"#select-{kept.pk}")).not_to_be_checked()
    tab_to(page, "#bulk-form button[value=approve]", backwards=True)
    shoot(page, "12-keyboard-bulk-focus")
    page.keyboard.press("Space")

    page.wait_for_url(re.compile(r"/moderation/"))
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.locator(".queue-item")).to_have_count(1)
    for message, status in (
        (first, MessageStatus.PUBLISHED),
        (second, MessageStatus.PUBLISHED),
        (kept, MessageStatus.PENDING),
    ):
        message.refresh_from_db()
        assert message.status == status
