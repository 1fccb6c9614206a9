"""GET /api/v1/messages/{id}/ on the officials' side: replies, rating,
follow-ups and where the deadline stands, each shown to whom it may be."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from board.deadlines import add_working_days, working_days_left
from board.lifecycle import MessageStatus
from board.models import MessageAttachment, Overall, Rating, ReplyStatus
from tests.factories import (
    OfficialFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def detail(api_client, message, user=None):
    api_client.force_authenticate(user)
    response = api_client.get(f"/api/v1/messages/{message.pk}/")
    assert response.status_code == 200, response.content
    return response.json()


def test_deadline_fields_while_handled(api_client):
    due = add_working_days(timezone.localdate(), 4)
    message = RoutedMessageFactory(
        status=MessageStatus.ACCEPTED,
        due_date=due,
        extended_by_days=3,
        extension_reason="需现场勘查",
        transfer_count=1,
        escalated_at=timezone.now(),
    )

    data = detail(api_client, message)

    assert data["due_date"] == due.isoformat()
    assert data["working_days_left"] == 4 == working_days_left(message)
    assert data["extended_by_days"] == 3
    assert data["extension_reason"] == "需现场勘查"
    assert data["transfer_count"] == 1
    assert data["escalated"] is True


def test_overdue_is_negative(api_client):
    message = RoutedMessageFactory(due_date=timezone.localdate() - timedelta(days=8))

    assert detail(api_client, message)["working_days_left"] < 0


def test_no_countdown_once_answered(api_client):
    message = RoutedMessageFactory(status=MessageStatus.REPLIED)

    data = detail(api_client, message)

    assert data["working_days_left"] is None
    assert data["due_date"] == message.due_date.isoformat()
    assert data["escalated"] is False


def test_published_replies_in_order_with_their_fields(api_client):
    message = RoutedMessageFactory(status=MessageStatus.REPLIED)
    interim = ReplyFactory(message=message, is_final=False, office="市交通局")
    final = ReplyFactory(message=message, is_final=True, office="市交通局")
    correction = ReplyFactory(message=message, is_final=False, corrects=final)

    replies = detail(api_client, message)["replies"]

    assert [item["id"] for item in replies] == [interim.pk, final.pk, correction.pk]
    assert replies[1] == {
        "id": final.pk,
        "status": "published",
        "is_final": True,
        "office": "市交通局",
        "body_html": final.body_html,
        "created": replies[1]["created"],
        "published": replies[1]["published"],
        "corrects": None,
        "follow_up": None,
        "attachments": [],
    }
    assert replies[2]["corrects"] == final.pk
    body = str(replies)
    assert final.author.username not in body


def test_hidden_replies_only_for_moderators(api_client, moderator, official):
    message = RoutedMessageFactory(addressee_official=official)
    hidden = ReplyFactory(message=message, status=ReplyStatus.HIDDEN, is_final=False)

    assert detail(api_client, message)["replies"] == []
    assert detail(api_client, message, official.user)["replies"] == []
    assert [
        item["id"] for item in detail(api_client, message, moderator)["replies"]
    ] == [hidden.pk]


def test_a_redacted_reply_shows_its_public_version(api_client, official):
    message = RoutedMessageFactory(addressee_official=official)
    ReplyFactory(
        message=message,
        body_html="<p>联系人 13912345678</p>",
        is_redacted=True,
        public_body_html="<p>联系人 ***</p>",
    )

    public = detail(api_client, message)["replies"][0]["body_html"]
    addressee = detail(api_client, message, official.user)["replies"][0]["body_html"]

    assert public == "<p>联系人 ***</p>"
    assert addressee == "<p>联系人 13912345678</p>"


def test_rating_is_public_on_a_public_message(api_client):
    message = RoutedMessageFactory(status=MessageStatus.CLOSED)
    reply = ReplyFactory(message=message)
    rating = Rating.objects.create(
        message=message,
        reply=reply,
        attitude=5,
        speed=4,
        resolved=4,
        comment="谢谢",
        overall=Overall.SATISFIED,
    )

    data = detail(api_client, message)["rating"]

    assert data == {
        "id": rating.pk,
        "reply": reply.pk,
        "attitude": 5,
        "speed": 4,
        "resolved": 4,
        "comment": "谢谢",
        "overall": "satisfied",
        "created": data["created"],
    }


def test_no_rating_yet(api_client):
    message = RoutedMessageFactory()

    data = detail(api_client, message)

    assert data["rating"] is None
    assert data["replies"] == []
    assert data["follow_ups"] == []


def test_a_private_message_shows_nothing_to_outsiders(api_client):
    message = RoutedMessageFactory(is_public=False, status=MessageStatus.REPLIED)
    ReplyFactory(message=message)
    outsider = OfficialFactory(user=UserFactory(official=True)).user

    for user in (None, UserFactory(citizen=True), outsider):
        api_client.force_authenticate(user)
        assert api_client.get(f"/api/v1/messages/{message.pk}/").status_code == 404


def test_reply_images_are_not_the_message_images(api_client):
    message = RoutedMessageFactory()
    reply = ReplyFactory(message=message)
    for owner in (None, reply):
        MessageAttachment.objects.create(
            message=message,
            reply=owner,
            image=ContentFile(b"x", name="x.png"),
            content_type="image/png",
            width=1,
            height=1,
            size=1,
        )
    own, of_reply = MessageAttachment.objects.order_by("pk")

    data = detail(api_client, message)

    assert [item["id"] for item in data["attachments"]] == [own.pk]
    assert [item["id"] for item in data["replies"][0]["attachments"]] == [of_reply.pk]


def test_draft_images_stay_with_the_draft(api_client, official):
    message = RoutedMessageFactory(addressee_official=official)
    draft = ReplyFactory(message=message, status=ReplyStatus.DRAFT)
    MessageAttachment.objects.create(
        message=message,
        reply=draft,
        image=ContentFile(b"x", name="x.png"),
        content_type="image/png",
        width=1,
        height=1,
        size=1,
    )

    data = detail(api_client, message)

    assert data["attachments"] == []
    assert data["replies"] == []
