"""POST /api/v1/moderation/messages/{id}/hide/: off the board, with a reason."""

import pytest

from board.lifecycle import MessageStatus
from board.models import Notification, NotificationKind
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


def hide(api_client, user, message, data):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/hide/", data, format="json"
    )


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.ACCEPTED,
        MessageStatus.REPLIED,
        MessageStatus.CLOSED,
    ],
)
def test_hide_a_public_message(api_client, moderator, status):
    message = MessageFactory(status=status)

    response = hide(
        api_client, moderator, message, {"reason": "abusive", "note": "辱骂"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "hidden"
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    assert message.status_before_hidden == status
    assert message.moderation_reason == "abusive"
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.HIDDEN
    assert event.actor == moderator
    assert event.reason == "辱骂"
    assert event.extra["old"]["status"] == status
    assert event.extra["new"]["status"] == "hidden"
    assert event.extra["new"]["reason"] == "abusive"
    assert Notification.objects.filter(
        recipient=message.author, kind=NotificationKind.MESSAGE_HIDDEN
    ).exists()


def test_hidden_message_leaves_the_public_board(api_client, moderator):
    message = MessageFactory(status=MessageStatus.PUBLISHED)
    hide(api_client, moderator, message, {"reason": "abusive"})
    api_client.force_authenticate(None)

    assert api_client.get(f"/api/v1/messages/{message.pk}/").status_code == 404


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PENDING,
        MessageStatus.REJECTED,
        MessageStatus.HIDDEN,
        MessageStatus.CHANGES_REQUESTED,
    ],
)
def test_hiding_a_message_not_public_is_409(api_client, moderator, status):
    message = MessageFactory(status=status)

    response = hide(api_client, moderator, message, {"reason": "abusive"})

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    message.refresh_from_db()
    assert message.status == status
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "rude"}])
def test_without_a_known_reason_is_400_reason(api_client, moderator, data):
    message = MessageFactory(status=MessageStatus.PUBLISHED)

    response = hide(api_client, moderator, message, data)

    assert response.status_code == 400
    assert "reason" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_other_without_a_note_is_400_note(api_client, moderator):
    message = MessageFactory(status=MessageStatus.PUBLISHED)

    response = hide(api_client, moderator, message, {"reason": "other"})

    assert response.status_code == 400
    assert "note" in response.json()
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
