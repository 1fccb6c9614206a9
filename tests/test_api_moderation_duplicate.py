"""POST /api/v1/moderation/messages/{id}/duplicate/: link to the original."""

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def original():
    return MessageFactory(status=MessageStatus.PUBLISHED)


def mark_duplicate(api_client, user, message, data):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/duplicate/", data, format="json"
    )


def test_pending_duplicate_is_rejected(api_client, moderator, original):
    message = MessageFactory(
        status=MessageStatus.PENDING, submitted_for_review_at=timezone.now()
    )

    response = mark_duplicate(
        api_client, moderator, message, {"of": original.pk, "note": "同一问题"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert response.json()["duplicate_of"] == original.pk
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert message.duplicate_of == original
    assert message.moderation_reason == "duplicate"
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.MARKED_DUPLICATE
    assert event.actor == moderator
    assert event.reason == "同一问题"
    assert event.extra["old"]["status"] == "pending"
    assert event.extra["new"]["status"] == "rejected"
    assert event.extra["new"]["duplicate_of"] == original.pk


def test_published_duplicate_is_hidden(api_client, moderator, original):
    message = MessageFactory(status=MessageStatus.PUBLISHED)

    response = mark_duplicate(api_client, moderator, message, {"of": original.pk})

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    assert message.status_before_hidden == MessageStatus.PUBLISHED
    event = AuditEvent.objects.get(message=message)
    assert event.extra["new"]["status"] == "hidden"


@pytest.mark.parametrize("of", [999999, 10**30, "abc", None, True, [1], {"id": 1}])
def test_bad_of_is_400_of(api_client, moderator, original, of):
    message = MessageFactory(status=MessageStatus.PENDING)

    response = mark_duplicate(api_client, moderator, message, {"of": of})

    assert response.status_code == 400, response.content
    assert "of" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.count() == 0


def test_missing_of_is_400_of(api_client, moderator):
    message = MessageFactory(status=MessageStatus.PENDING)

    response = mark_duplicate(api_client, moderator, message, {})

    assert response.status_code == 400
    assert "of" in response.json()


def test_duplicate_of_itself_is_400_of(api_client, moderator):
    message = MessageFactory(status=MessageStatus.PENDING)

    response = mark_duplicate(api_client, moderator, message, {"of": message.pk})

    assert response.status_code == 400
    assert "of" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


@pytest.mark.parametrize("status", [MessageStatus.REJECTED, MessageStatus.HIDDEN])
def test_already_off_the_board_is_409(api_client, moderator, original, status):
    message = MessageFactory(status=status)

    response = mark_duplicate(api_client, moderator, message, {"of": original.pk})

    assert response.status_code == 409
    message.refresh_from_db()
    assert message.status == status
    assert message.duplicate_of is None
