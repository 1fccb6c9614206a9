"""The moderation queue's page of rows kept in the cache
(moderation/views/queue.py, ``_shown_page``): a second look reads no row,
and whatever a row shows that changes shows at once, because the change
moves the queue rows' version when it commits."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.actions import (
    message_approve,
    message_report,
    queue_item_claim,
    queue_item_release,
    reports_resolve,
)
from moderation.models import ModerationReason
from tests.factories import MessageFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def pending_message(**kwargs):
    return MessageFactory(
        status=MessageStatus.PENDING,
        submitted_for_review_at=timezone.now() - timedelta(hours=3),
        **kwargs,
    )


def rows(client, **params) -> dict[int, dict]:
    response = client.get(reverse("moderation:queue"), params)
    assert response.status_code == 200
    return {row["pk"]: row for row in response.context["rows"]}


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def test_a_second_look_reads_no_row(moderator_client):
    pending_message(title="路灯不亮")
    first = rows(moderator_client)

    with CaptureQueriesContext(connection) as second_look:
        second = rows(moderator_client)

    assert second == first
    assert not [
        query
        for query in second_look.captured_queries
        if "prescreen_flags" in query["sql"]
    ]


def test_a_claim_and_its_release_show_at_once(moderator_client, moderator2, commit):
    message = pending_message()
    assert rows(moderator_client)[message.pk]["holder"] == ""

    with commit():
        queue_item_claim(message=message, actor=moderator2)
    assert rows(moderator_client)[message.pk]["holder"] == str(moderator2)

    with commit():
        queue_item_release(message=message, actor=moderator2)
    assert rows(moderator_client)[message.pk]["holder"] == ""


def test_an_approved_item_leaves_the_page_at_once(moderator_client, moderator, commit):
    message = pending_message()
    assert message.pk in rows(moderator_client)

    with commit():
        message_approve(message=message, actor=moderator)

    assert message.pk not in rows(moderator_client)
    page = moderator_client.get(reverse("moderation:queue"))
    assert page.context["page"].paginator.count == 0


def test_reports_and_their_resolution_show_at_once(
    moderator_client, moderator, commit, settings
):
    settings.ZHITONG_REPORTS_TO_FLAG = 1
    message = MessageFactory(flagged_at=timezone.now())
    message_report(message=message, reporter=UserFactory(), reason="广告")
    assert rows(moderator_client, queue="flagged")[message.pk]["open_reports"] == 1

    with commit():
        message_report(message=message, reporter=UserFactory(), reason="重复")
    assert rows(moderator_client, queue="flagged")[message.pk]["open_reports"] == 2

    with commit():
        reports_resolve(message=message, actor=moderator, resolution="keep")
    assert rows(moderator_client, queue="flagged") == {}


def test_the_wait_moves_with_the_minute(moderator_client, monkeypatch):
    message = pending_message()
    assert "3" in rows(moderator_client)[message.pk]["waiting"]

    later = timezone.now() + timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "5" in rows(moderator_client)[message.pk]["waiting"]


def test_a_new_reason_is_offered_at_once(moderator_client, commit, settings):
    settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 300
    pending_message()
    assert (
        "重复投诉的新理由" not in moderator_client.get("/moderation/").content.decode()
    )

    with commit():
        ModerationReason.objects.create(
            code="new-reason", title="重复投诉的新理由", title_en="A new reason"
        )

    page = moderator_client.get("/moderation/").content.decode()
    assert '<option value="new-reason">重复投诉的新理由</option>' in page
