"""/api/v1/moderation/messages/{id}/notes/: moderators' notes on an item."""

import pytest

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb, ModeratorNote
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message():
    return MessageFactory(status=MessageStatus.PENDING)


def url(message):
    return f"/api/v1/moderation/messages/{message.pk}/notes/"


def test_add_a_note(api_client, moderator, message):
    api_client.force_authenticate(moderator)

    response = api_client.post(url(message), {"body": "疑似广告"}, format="json")

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["body"] == "疑似广告"
    assert data["author"] == moderator.username
    note = ModeratorNote.objects.get()
    assert data["id"] == note.pk
    assert note.message == message
    assert note.author == moderator
    event = AuditEvent.objects.get(message=message)
    assert event.verb == AuditVerb.NOTE_ADDED
    assert event.actor == moderator
    assert event.reason == "疑似广告"


def test_list_notes_oldest_first(api_client, moderator, message):
    other = UserFactory(moderator=True)
    ModeratorNote.objects.create(message=message, author=moderator, body="first")
    ModeratorNote.objects.create(message=message, author=other, body="second")
    ModeratorNote.objects.create(
        message=MessageFactory(), author=moderator, body="elsewhere"
    )
    api_client.force_authenticate(moderator)

    response = api_client.get(url(message))

    assert response.status_code == 200
    assert [note["body"] for note in response.json()] == ["first", "second"]
    assert response.json()[1]["author"] == other.username


@pytest.mark.parametrize("body", [None, "", "   ", "字" * 2001, ["a"]])
def test_bad_body_is_400_body(api_client, moderator, message, body):
    api_client.force_authenticate(moderator)

    response = api_client.post(url(message), {"body": body}, format="json")

    assert response.status_code == 400, response.content
    assert "body" in response.json()
    assert ModeratorNote.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_notes_never_reach_the_public_message(api_client, moderator, message):
    ModeratorNote.objects.create(message=message, author=moderator, body="secret")
    api_client.force_authenticate(message.author)

    response = api_client.get(f"/api/v1/messages/{message.pk}/")

    assert response.status_code == 200
    assert "secret" not in response.content.decode()
