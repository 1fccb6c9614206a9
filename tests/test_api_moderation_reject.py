"""POST /api/v1/moderation/messages/{id}/reject/: a reason code, a note for other."""

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Notification, NotificationKind
from moderation.models import AuditEvent, AuditVerb, ModerationReason
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message():
    return MessageFactory(
        status=MessageStatus.PENDING, submitted_for_review_at=timezone.now()
    )


def reject(api_client, user, message, data):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/reject/", data, format="json"
    )


def test_reject_with_a_reason(api_client, moderator, message):
    response = reject(
        api_client, moderator, message, {"reason": "advertising", "note": "广告"}
    )

    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "rejected"
    assert data["moderation_reason"] == "advertising"
    assert data["moderation_note"] == "广告"
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert message.moderation_reason == "advertising"
    assert message.reviewed_at is not None
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.REJECTED
    assert event.actor == moderator
    assert event.reason == "广告"
    assert event.extra["old"]["status"] == "pending"
    assert event.extra["new"] == {
        **event.extra["old"],
        "status": "rejected",
        "reason": "advertising",
    }
    notification = Notification.objects.get(recipient=message.author)
    assert notification.kind == NotificationKind.MESSAGE_REJECTED


@pytest.mark.parametrize(
    "code",
    [
        "duplicate",
        "out_of_scope",
        "abusive",
        "advertising",
        "personal_data",
        "illegal",
    ],
)
def test_every_reason_code_without_a_note(api_client, moderator, message, code):
    response = reject(api_client, moderator, message, {"reason": code})

    assert response.status_code == 200, response.content
    message.refresh_from_db()
    assert message.moderation_reason == code


def test_other_with_a_note(api_client, moderator, message):
    response = reject(
        api_client, moderator, message, {"reason": "other", "note": "与本平台无关"}
    )

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.moderation_reason == "other"
    assert message.moderation_note == "与本平台无关"


@pytest.mark.parametrize("note", [None, "", "   "])
def test_other_without_a_note_is_400_note(api_client, moderator, message, note):
    data = {"reason": "other"}
    if note is not None:
        data["note"] = note

    response = reject(api_client, moderator, message, data)

    assert response.status_code == 400
    assert "note" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"note": "no reason"}])
def test_without_a_reason_is_400_reason(api_client, moderator, message, data):
    response = reject(api_client, moderator, message, data)

    assert response.status_code == 400
    assert "reason" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


@pytest.mark.parametrize("reason", ["rude", "x" * 40, ["abusive"], {"a": 1}, None])
def test_unknown_reason_is_400_reason(api_client, moderator, message, reason):
    response = reject(api_client, moderator, message, {"reason": reason})

    assert response.status_code == 400, response.content
    assert "reason" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_inactive_reason_is_400(api_client, moderator, message):
    ModerationReason.objects.filter(code="illegal").update(is_active=False)

    response = reject(api_client, moderator, message, {"reason": "illegal"})

    assert response.status_code == 400
    assert "reason" in response.json()


def test_rejecting_twice_is_409(api_client, moderator, message):
    reject(api_client, moderator, message, {"reason": "abusive"})

    response = reject(api_client, moderator, message, {"reason": "abusive"})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert "status" in response.json()
    assert AuditEvent.objects.filter(verb=AuditVerb.REJECTED).count() == 1


def test_rejecting_a_published_message_is_409(api_client, moderator):
    message = MessageFactory(status=MessageStatus.PUBLISHED)

    response = reject(api_client, moderator, message, {"reason": "abusive"})

    assert response.status_code == 409
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
