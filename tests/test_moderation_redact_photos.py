"""Redaction hides chosen photos from the public; those involved still see them."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from board.errors import ValidationFailed
from board.models import MessageAttachment
from moderation.actions import message_redact
from moderation.models import AuditEvent
from tests.factories import MessageFactory, UserFactory, png_upload

pytestmark = pytest.mark.django_db


def photo(message, reply=None):
    upload = png_upload(size=(40, 30))
    return MessageAttachment.objects.create(
        message=message,
        reply=reply,
        image=ContentFile(upload.read(), name="photo.png"),
        content_type="image/png",
        width=40,
        height=30,
        size=upload.size,
    )


@pytest.fixture
def message(official):
    return MessageFactory(
        title="路灯坏了", body="门口的路灯坏了。", addressee_official=official
    )


@pytest.fixture
def photos(message):
    return photo(message), photo(message)


def attachment_status(client, user, attachment) -> int:
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("board:attachment", args=[attachment.pk])).status_code


def test_a_hidden_photo_is_404_for_the_public_and_kept_for_those_involved(
    client, moderator, official, message, photos
):
    hidden, shown = photos
    message_redact(message=message, actor=moderator, hidden_attachment_ids=[hidden.pk])

    hidden.refresh_from_db()
    assert hidden.is_hidden_from_public is True
    assert hidden.image.storage.exists(hidden.image.name)
    assert attachment_status(client, None, hidden) == 404
    assert attachment_status(client, UserFactory(citizen=True), hidden) == 404
    assert attachment_status(client, None, shown) == 200
    assert attachment_status(client, message.author, hidden) == 200
    assert attachment_status(client, moderator, hidden) == 200
    assert attachment_status(client, official.user, hidden) == 200


def test_the_message_page_lists_a_hidden_photo_only_for_those_involved(
    client, moderator, message, photos
):
    hidden, shown = photos
    message_redact(message=message, actor=moderator, hidden_attachment_ids=[hidden.pk])

    public = client.get(message.get_absolute_url())
    assert list(public.context["attachments"]) == [shown]
    assert reverse("board:attachment", args=[hidden.pk]) not in public.text
    client.force_login(message.author)
    own = client.get(message.get_absolute_url())
    assert list(own.context["attachments"]) == [hidden, shown]


def test_the_api_detail_omits_a_hidden_photo_for_the_public(
    api_client, moderator, message, photos
):
    hidden, shown = photos
    api_client.force_authenticate(moderator)
    response = api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/redact/",
        {"hidden_attachments": [hidden.pk]},
        format="json",
    )
    assert response.status_code == 200, response.content

    api_client.force_authenticate(None)
    public = api_client.get(f"/api/v1/messages/{message.pk}/").json()
    assert [item["id"] for item in public["attachments"]] == [shown.pk]
    api_client.force_authenticate(message.author)
    own = api_client.get(f"/api/v1/messages/{message.pk}/").json()
    assert [
        (item["id"], item["hidden_from_public"]) for item in own["attachments"]
    ] == [
        (hidden.pk, True),
        (shown.pk, False),
    ]


def test_the_audit_event_records_the_hidden_photos(moderator, message, photos):
    hidden, _shown = photos
    message_redact(message=message, actor=moderator, hidden_attachment_ids=[hidden.pk])
    message_redact(message=message, actor=moderator, hidden_attachment_ids=[])

    first, second = AuditEvent.objects.order_by("pk")
    assert first.extra["hidden_attachments"] == {"old": [], "new": [hidden.pk]}
    assert second.extra["hidden_attachments"] == {"old": [hidden.pk], "new": []}
    hidden.refresh_from_db()
    assert hidden.is_hidden_from_public is False


def test_without_the_list_the_photos_stay_as_they_are(moderator, message, photos):
    hidden, _shown = photos
    message_redact(message=message, actor=moderator, hidden_attachment_ids=[hidden.pk])
    message_redact(message=message, actor=moderator)

    hidden.refresh_from_db()
    assert hidden.is_hidden_from_public is True
    last = AuditEvent.objects.order_by("pk").last()
    assert last.extra["hidden_attachments"] == {"old": [hidden.pk], "new": [hidden.pk]}


def test_another_messages_photo_is_refused(moderator, message, photos):
    other = photo(MessageFactory())

    with pytest.raises(ValidationFailed) as refused:
        message_redact(
            message=message, actor=moderator, hidden_attachment_ids=[other.pk]
        )

    assert refused.value.field == "hidden_attachments"
    message.refresh_from_db()
    assert message.is_redacted is False


@pytest.mark.parametrize("unknown", ["other", 999999])
def test_the_api_answers_400_for_a_photo_not_of_the_message(
    api_client, moderator, message, photos, unknown
):
    attachment_id = photo(MessageFactory()).pk if unknown == "other" else unknown
    api_client.force_authenticate(moderator)

    response = api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/redact/",
        {"hidden_attachments": [attachment_id]},
        format="json",
    )

    assert response.status_code == 400, response.content
    assert "hidden_attachments" in response.content.decode()
    assert str(attachment_id) in response.content.decode()
    message.refresh_from_db()
    assert message.is_redacted is False


def test_the_item_page_form_hides_the_chosen_photos(client, moderator, message, photos):
    hidden, shown = photos
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[message.pk]))
    form = page.context["forms"]["redact"]
    assert "hidden_attachments" in form.fields

    response = client.post(
        reverse("moderation:item_action", args=[message.pk, "redact"]),
        {
            "title": "路灯坏了",
            "body": "门口的路灯坏了。",
            "hidden_attachments": [hidden.pk],
            "seen_updated_at": page.context["seen_updated_at"],
        },
    )

    assert response.status_code == 302, (
        response.context and response.context.get("forms")["redact"].errors
    )
    hidden.refresh_from_db()
    shown.refresh_from_db()
    assert (hidden.is_hidden_from_public, shown.is_hidden_from_public) == (True, False)


def test_a_message_without_photos_has_no_photo_field(client, moderator, message):
    client.force_login(moderator)
    page = client.get(reverse("moderation:item", args=[message.pk]))
    assert "hidden_attachments" not in page.context["forms"]["redact"].fields
