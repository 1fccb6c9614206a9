"""GET /api/v1/messages/{id}/: who may read a message, and what they see."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from board.actions import timeline_record
from board.lifecycle import MessageStatus
from board.models import MessageAttachment, MessageEvent
from tests.factories import MessageFactory, UserFactory, png_upload

pytestmark = pytest.mark.django_db

PHONE = "138 0000 0000"


def detail(api_client, message, user=None):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.get(f"/api/v1/messages/{message.pk}/")


@pytest.fixture
def private_message(citizen, official):
    return MessageFactory(
        author=citizen,
        addressee_official=official,
        region=official.region,
        is_public=False,
        contact_phone=PHONE,
    )


@pytest.fixture
def pending_message(citizen, official):
    return MessageFactory(
        author=citizen,
        addressee_official=official,
        region=official.region,
        status=MessageStatus.PENDING,
        contact_phone=PHONE,
    )


# --- Who may read ------------------------------------------------------------


def test_public_message_for_anyone(api_client):
    message = MessageFactory()

    response = detail(api_client, message)

    assert response.status_code == 200
    assert response.json()["id"] == message.pk


@pytest.mark.parametrize("fixture", ["private_message", "pending_message"])
def test_hidden_from_anonymous(api_client, request, fixture):
    message = request.getfixturevalue(fixture)

    assert detail(api_client, message).status_code == 404


@pytest.mark.parametrize("fixture", ["private_message", "pending_message"])
def test_hidden_from_other_citizen(api_client, other_citizen, request, fixture):
    message = request.getfixturevalue(fixture)

    assert detail(api_client, message, other_citizen).status_code == 404


@pytest.mark.parametrize("fixture", ["private_message", "pending_message"])
def test_author_and_moderator_see_it(api_client, citizen, moderator, request, fixture):
    message = request.getfixturevalue(fixture)

    assert detail(api_client, message, citizen).status_code == 200
    assert detail(api_client, message, moderator).status_code == 200


def test_addressee_sees_private_routed_message(
    api_client, private_message, official_user
):
    assert detail(api_client, private_message, official_user).status_code == 200


def test_addressee_does_not_see_pending_message(
    api_client, pending_message, official_user
):
    assert detail(api_client, pending_message, official_user).status_code == 404


def test_other_official_does_not_see_private_message(api_client, private_message):
    stranger = UserFactory(official=True)

    assert detail(api_client, private_message, stranger).status_code == 404


@pytest.mark.parametrize("status", [MessageStatus.REJECTED, MessageStatus.WITHDRAWN])
def test_refused_public_message_hidden_from_public(
    api_client, citizen, other_citizen, status
):
    message = MessageFactory(author=citizen, status=status)

    assert detail(api_client, message).status_code == 404
    assert detail(api_client, message, other_citizen).status_code == 404
    assert detail(api_client, message, citizen).status_code == 200


@pytest.mark.parametrize("path", ["999999", "99999999999999999999999"])
def test_unknown_id_is_404(api_client, path):
    assert api_client.get(f"/api/v1/messages/{path}/").status_code == 404


def test_not_found_is_json(api_client):
    response = api_client.get("/api/v1/messages/999999/")

    assert "detail" in response.json()


# --- The contact phone -------------------------------------------------------


def test_contact_phone_hidden_from_public(api_client, other_citizen):
    message = MessageFactory(contact_phone=PHONE)

    anonymous = detail(api_client, message)
    other = detail(api_client, message, other_citizen)

    for response in (anonymous, other):
        assert response.status_code == 200
        assert "contact_phone" not in response.json()
        assert PHONE not in response.content.decode()


def test_contact_phone_hidden_from_officials_not_addressed(api_client):
    message = MessageFactory(contact_phone=PHONE)

    response = detail(api_client, message, UserFactory(official=True))

    assert "contact_phone" not in response.json()


@pytest.mark.parametrize("reader", ["citizen", "moderator", "official_user"])
def test_contact_phone_for_author_moderator_addressee(
    api_client, private_message, request, reader
):
    user = request.getfixturevalue(reader)

    response = detail(api_client, private_message, user)

    assert response.json()["contact_phone"] == PHONE


def test_contact_phone_for_author_of_public_message(api_client, citizen):
    message = MessageFactory(author=citizen, contact_phone=PHONE)

    assert detail(api_client, message, citizen).json()["contact_phone"] == PHONE


# --- Timeline and attachments ------------------------------------------------


def test_timeline_shows_roles_never_names(api_client, citizen, moderator):
    message = MessageFactory(author=citizen, status=MessageStatus.PENDING)
    timeline_record(message=message, verb=MessageEvent.Verb.SUBMITTED, actor=citizen)
    message.status = MessageStatus.PUBLISHED
    timeline_record(
        message=message,
        verb=MessageEvent.Verb.PUBLISHED,
        actor=moderator,
        from_status=MessageStatus.PENDING,
        note="已转交",
        note_is_public=True,
    )
    message.save()

    response = detail(api_client, message)

    timeline = response.json()["timeline"]
    assert [event["verb"] for event in timeline] == ["submitted", "published"]
    assert [event["actor_role"] for event in timeline] == ["author", "moderator"]
    assert timeline[0]["from_status"] == ""
    assert timeline[0]["to_status"] == "pending"
    assert timeline[1]["from_status"] == "pending"
    assert timeline[1]["to_status"] == "published"
    assert timeline[1]["note"] == "已转交"
    assert set(timeline[1]) == {
        "verb",
        "verb_label",
        "actor_role",
        "from_status",
        "to_status",
        "note",
        "created",
    }
    body = response.content.decode()
    assert citizen.username not in body
    assert moderator.username not in body


def test_timeline_event_without_actor(api_client):
    message = MessageFactory()
    timeline_record(message=message, verb=MessageEvent.Verb.CLOSED, actor=None)

    [event] = detail(api_client, message).json()["timeline"]

    assert event["actor_role"] is None


def test_attachments_point_to_the_permission_checked_view(api_client):
    message = MessageFactory()
    upload = png_upload(size=(40, 30))
    attachment = MessageAttachment.objects.create(
        message=message,
        image=ContentFile(upload.read(), name="photo.png"),
        content_type="image/png",
        width=40,
        height=30,
        size=upload.size,
    )

    response = detail(api_client, message)

    assert response.json()["attachments"] == [
        {
            "id": attachment.pk,
            "url": reverse("board:attachment", args=[attachment.pk]),
            "width": 40,
            "height": 30,
            "content_type": "image/png",
            "hidden_from_public": False,
        }
    ]


def test_detail_carries_the_message_fields(api_client):
    message = MessageFactory(title="路灯", body="**坏了**", body_html="<p>坏了</p>")

    data = detail(api_client, message).json()

    assert data["url"] == message.get_absolute_url()
    assert data["reference"] == message.reference
    assert data["title"] == "路灯"
    assert data["body"] == "**坏了**"
    assert data["body_html"] == "<p>坏了</p>"
    assert data["status"] == "published"
    assert data["kind"] == "complaint"


def test_staff_notes_reach_only_those_involved(api_client, citizen, moderator):
    message = MessageFactory(author=citizen)
    timeline_record(
        message=message,
        verb=MessageEvent.Verb.REDACTED,
        actor=moderator,
        note="遮盖了手机号 13912345678",
    )

    public = detail(api_client, message).json()["timeline"]
    api_client.force_authenticate(citizen)
    own = detail(api_client, message).json()["timeline"]

    assert public[-1]["note"] == ""
    assert own[-1]["note"] == "遮盖了手机号 13912345678"
