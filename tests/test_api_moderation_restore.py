"""POST /api/v1/moderation/messages/{id}/restore/: back where it was hidden from."""

import pytest

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


def restore(api_client, user, message, data=None):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/restore/", data or {}, format="json"
    )


@pytest.mark.parametrize("before", [MessageStatus.PUBLISHED, MessageStatus.REPLIED])
def test_restore(api_client, moderator, before):
    message = MessageFactory(
        status=MessageStatus.HIDDEN,
        status_before_hidden=before,
        moderation_reason="abusive",
    )

    response = restore(api_client, moderator, message, {"note": "误判"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == before
    message.refresh_from_db()
    assert message.status == before
    assert message.status_before_hidden == ""
    assert message.moderation_reason == ""
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.RESTORED
    assert event.actor == moderator
    assert event.reason == "误判"
    assert event.extra["old"]["status"] == "hidden"
    assert event.extra["new"]["status"] == before


def test_hide_then_restore_round_trip(api_client, moderator):
    message = MessageFactory(status=MessageStatus.ACCEPTED)
    api_client.force_authenticate(moderator)
    api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/hide/",
        {"reason": "abusive"},
        format="json",
    )

    response = restore(api_client, moderator, message)

    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        # The lifecycle allows PENDING -> PUBLISHED, but only through review.
        MessageStatus.PENDING,
        MessageStatus.REJECTED,
        MessageStatus.CHANGES_REQUESTED,
    ],
)
def test_restoring_a_message_not_hidden_is_409(api_client, moderator, status):
    message = MessageFactory(status=status)

    response = restore(api_client, moderator, message)

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    message.refresh_from_db()
    assert message.status == status
    assert AuditEvent.objects.count() == 0
