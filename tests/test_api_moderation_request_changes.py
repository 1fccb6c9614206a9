"""POST /api/v1/moderation/messages/{id}/request-changes/: back to the author."""

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message():
    return MessageFactory(
        status=MessageStatus.PENDING, submitted_for_review_at=timezone.now()
    )


def request_changes(api_client, user, message, data):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/request-changes/",
        data,
        format="json",
    )


def test_request_changes(api_client, moderator, message):
    response = request_changes(
        api_client, moderator, message, {"note": "请删除手机号码。"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "changes_requested"
    message.refresh_from_db()
    assert message.status == MessageStatus.CHANGES_REQUESTED
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.CHANGES_REQUESTED
    assert event.actor == moderator
    assert event.reason == "请删除手机号码。"
    assert event.extra == {
        "old": {"status": "pending"},
        "new": {"status": "changes_requested"},
    }
    timeline = message.events.get(verb=MessageEvent.Verb.CHANGES_REQUESTED)
    assert timeline.note == "请删除手机号码。"
    assert Notification.objects.filter(
        recipient=message.author, kind=NotificationKind.MESSAGE_CHANGES_REQUESTED
    ).exists()


@pytest.mark.parametrize("data", [{}, {"note": ""}, {"note": "  "}, {"note": None}])
def test_without_a_note_is_400_note(api_client, moderator, message, data):
    response = request_changes(api_client, moderator, message, data)

    assert response.status_code == 400
    assert "note" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize(
    "status", [MessageStatus.PUBLISHED, MessageStatus.CHANGES_REQUESTED]
)
def test_not_pending_is_409(api_client, moderator, status):
    message = MessageFactory(status=status)

    response = request_changes(api_client, moderator, message, {"note": "改一下"})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    message.refresh_from_db()
    assert message.status == status
