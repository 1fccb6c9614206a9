"""POST /api/v1/messages/{id}/withdraw/: the author takes a message back."""

import pytest

from board.lifecycle import MessageStatus
from board.models import MessageEvent
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(citizen):
    return MessageFactory(author=citizen, status=MessageStatus.PENDING)


def withdraw(api_client, user, message, data=None):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/messages/{message.pk}/withdraw/", data or {}, format="json"
    )


def test_author_withdraws_pending_message(api_client, citizen, pending):
    response = withdraw(api_client, citizen, pending, {"note": "已经修好了"})

    assert response.status_code == 200, response.content
    assert response.json()["status"] == "withdrawn"
    pending.refresh_from_db()
    assert pending.status == MessageStatus.WITHDRAWN
    event = MessageEvent.objects.get(message=pending)
    assert event.verb == MessageEvent.Verb.WITHDRAWN
    assert event.from_status == "pending"
    assert event.to_status == "withdrawn"
    assert event.note == "已经修好了"


def test_withdraw_without_a_note(api_client, citizen, pending):
    assert withdraw(api_client, citizen, pending).status_code == 200


def test_withdrawing_twice_is_409(api_client, citizen, pending):
    withdraw(api_client, citizen, pending)

    response = withdraw(api_client, citizen, pending)

    assert response.status_code == 409
    assert "status" in response.json()
    assert response.json()["code"] == "invalid_transition"
    assert MessageEvent.objects.filter(message=pending).count() == 1


def test_published_message_cannot_be_withdrawn(api_client, citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PUBLISHED)

    response = withdraw(api_client, citizen, message)

    assert response.status_code == 409
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_anonymous_is_401(api_client, pending):
    assert withdraw(api_client, None, pending).status_code == 401


def test_other_citizen_is_404(api_client, other_citizen, pending):
    assert withdraw(api_client, other_citizen, pending).status_code == 404
    pending.refresh_from_db()
    assert pending.status == MessageStatus.PENDING


def test_other_citizen_of_public_message_is_403(api_client, other_citizen):
    message = MessageFactory(status=MessageStatus.PUBLISHED)

    response = withdraw(api_client, other_citizen, message)

    assert response.status_code == 403
    assert response.json()["detail"]


def test_moderator_is_403(api_client, moderator, pending):
    assert withdraw(api_client, moderator, pending).status_code == 403
    pending.refresh_from_db()
    assert pending.status == MessageStatus.PENDING


def test_note_of_wrong_type_is_400(api_client, citizen, pending):
    response = withdraw(api_client, citizen, pending, {"note": {"a": 1}})

    assert response.status_code == 400
    assert "note" in response.json()


def test_author_withdraws_after_a_change_request(api_client, citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.CHANGES_REQUESTED)

    response = withdraw(api_client, citizen, message)

    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
