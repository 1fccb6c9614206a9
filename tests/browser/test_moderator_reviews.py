"""Moderators review the queue in a real browser: claims, approve and route,
reject with a reason; the citizen and the public see the outcome."""

import importlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Message
from moderation.models import ModerationReason
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def ensure_reasons():
    """Transactional tests flush the tables the data migration filled."""
    migration = importlib.import_module("moderation.migrations.0002_reasons")
    for order, (code, title, title_en, explanation, explanation_en) in enumerate(
        migration.REASONS
    ):
        ModerationReason.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "title_en": title_en,
                "explanation": explanation,
                "explanation_en": explanation_en,
                "requires_note": code == "other",
                "sort_order": order,
            },
        )


def log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))


@pytest.fixture
def setting():
    """A city with two officials, a citizen and two moderators."""
    ensure_reasons()
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    return {
        "city": city,
        "mayor": OfficialFactory(name="李明", title="江州市市长", region=city),
        "transport": OfficialFactory(name="王强", title="交通局局长", region=city),
        "category": CategoryFactory(slug="transport", name="交通出行"),
        "citizen": UserFactory(citizen=True, username="wangfang"),
        "moderator": UserFactory(moderator=True, username="zhaomin"),
        "moderator2": UserFactory(moderator=True, username="moderator2"),
    }


def pending(setting, title, body, hours_waiting=3):
    return MessageFactory(
        author=setting["citizen"],
        region=setting["city"],
        addressee_official=setting["mayor"],
        category=setting["category"],
        status=MessageStatus.PENDING,
        title=title,
        body=body,
        body_html=f"<p>{body}</p>",
        submitted_for_review_at=timezone.now() - timedelta(hours=hours_waiting),
        prescreen_flags=[
            {"code": "new_account", "detail": "", "needs_second_approval": False}
        ],
        prescreen_score=1,
    )


def test_moderator_claims_and_approves_with_rerouting(
    live_server, new_page, screenshot, setting
):
    message = pending(
        setting,
        "江州大道公交站台何时修复",
        "江州大道公交站台顶棚损坏，雨天无法候车。请问何时修复？",
    )
    pending(setting, "小区路灯不亮", "幸福小区路灯已坏一周。", hours_waiting=30)

    first = new_page()
    log_in(first, live_server, "zhaomin")
    first.goto(f"{live_server.url}/moderation/")
    screenshot(first, "20-moderation-queue")
    card = first.locator(".queue-item", has_text="江州大道公交站台何时修复")
    assert card.count() == 1
    assert first.locator(".queue-item.is-overdue", has_text="小区路灯不亮").count() == 1
    card.get_by_role("link", name="江州大道公交站台何时修复").click()
    first.wait_for_url(re.compile(rf"/moderation/messages/{message.pk}/$"))
    assert first.locator("form[action$='/release/']").is_visible()
    screenshot(first, "21-moderation-item-claimed")
    message.refresh_from_db()
    assert message.claimed_by == setting["moderator"]

    second = new_page()
    log_in(second, live_server, "moderator2")
    second.goto(f"{live_server.url}/moderation/")
    claimed_card = second.locator(".queue-item", has_text="江州大道公交站台何时修复")
    assert "zhaomin" in claimed_card.locator(".badge.claim").inner_text()
    second.goto(f"{live_server.url}/moderation/messages/{message.pk}/")
    assert "zhaomin" in second.locator("[data-claim]").inner_text()
    assert second.locator("[data-take-over]").is_visible()
    assert second.locator("form[data-action=approve]").count() == 0
    screenshot(second, "22-moderation-item-held-by-other")

    approve = first.locator("form[data-action=approve]")
    approve.locator("select[name=addressee]").select_option(
        f"o:{setting['transport'].pk}"
    )
    screenshot(first, "23-moderation-approve-form")
    approve.locator("button[type=submit]").click()
    first.wait_for_url(re.compile(r"/moderation/\?queue=pending$"))
    assert first.locator(".flash-success", has_text="王强").is_visible()
    assert (
        first.locator(".queue-item", has_text="江州大道公交站台何时修复").count() == 0
    )
    screenshot(first, "24-moderation-queue-after-approval")

    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.addressee_official == setting["transport"]

    citizen = new_page()
    log_in(citizen, live_server, "wangfang")
    citizen.goto(f"{live_server.url}{message.get_absolute_url()}")
    assert "已公开" in citizen.locator(".message-detail .meta").inner_text()
    assert "王强" in citizen.locator(".facts").inner_text()
    screenshot(citizen, "25-citizen-sees-published")

    anonymous = new_page()
    anonymous.goto(f"{live_server.url}/")
    assert anonymous.get_by_role("link", name="江州大道公交站台何时修复").is_visible()
    screenshot(anonymous, "26-board-shows-approved")


def test_moderator_rejects_with_a_reason_the_author_then_reads(
    live_server, new_page, screenshot, setting
):
    message = pending(setting, "投诉邻居", "邻居是个大笨蛋，天天吵闹。")

    moderator = new_page()
    log_in(moderator, live_server, "zhaomin")
    moderator.goto(f"{live_server.url}/moderation/messages/{message.pk}/")
    moderator.locator("details.action-reject summary").click()
    reject = moderator.locator("form[data-action=reject]")
    reject.locator("select[name=reason]").select_option("other")
    reject.locator("button[type=submit]").click()
    # "Other" needs a note: the form says so and nothing changes.
    assert reject.locator(".errors").is_visible()
    screenshot(moderator, "27-moderation-reject-needs-note")
    assert Message.objects.get(pk=message.pk).status == MessageStatus.PENDING

    reject = moderator.locator("form[data-action=reject]")
    reject.locator("select[name=reason]").select_option("abusive")
    reject.locator("textarea[name=note]").fill("请删去“大笨蛋”后重新提交。")
    reject.locator("button[type=submit]").click()
    moderator.wait_for_url(re.compile(r"/moderation/\?queue=pending$"))
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert message.moderation_reason == "abusive"

    citizen = new_page()
    log_in(citizen, live_server, "wangfang")
    citizen.goto(f"{live_server.url}{message.get_absolute_url()}")
    outcome = citizen.locator(".moderation-outcome")
    text = outcome.inner_text()
    assert "含有辱骂或人身攻击" in text
    assert "欢迎您修改后重新提交" in text
    assert "请删去“大笨蛋”后重新提交。" in text
    screenshot(citizen, "28-citizen-sees-rejection-reason")
