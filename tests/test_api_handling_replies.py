"""POST /api/v1/messages/{id}/replies/: progress notes, the final reply and
corrections, with images."""

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import (
    MessageAttachment,
    MessageEvent,
    Notification,
    NotificationKind,
    Reply,
    ReplyStatus,
)
from tests.factories import ReplyFactory, RoutedMessageFactory, png_upload

pytestmark = pytest.mark.django_db


def reply(api_client, user, message, data, format="json"):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/messages/{message.pk}/replies/", data, format=format
    )


@pytest.fixture
def published(official):
    return RoutedMessageFactory(addressee_official=official, region=official.region)


@pytest.fixture
def accepted(official):
    return RoutedMessageFactory(
        addressee_official=official,
        region=official.region,
        status=MessageStatus.ACCEPTED,
    )


def test_interim_reply(api_client, official_user, published):
    response = reply(
        api_client,
        official_user,
        published,
        {"body": "已派人现场查看。", "final": False},
    )

    assert response.status_code == 201, response.content
    data = response.json()
    row = Reply.objects.get(message=published)
    assert data["id"] == row.pk
    assert data["status"] == "published"
    assert data["is_final"] is False
    assert data["office"] == official_user.official.title
    assert data["body_html"].strip() == "<p>已派人现场查看。</p>"
    assert data["published"] is not None
    assert data["corrects"] is None
    assert data["attachments"] == []
    assert row.status == ReplyStatus.PUBLISHED
    published.refresh_from_db()
    assert published.status == MessageStatus.PUBLISHED
    assert published.last_reply_at is None
    assert MessageEvent.objects.filter(
        message=published, verb=MessageEvent.Verb.INTERIM_REPLY
    ).exists()
    assert Notification.objects.filter(
        recipient=published.author, kind=NotificationKind.MESSAGE_INTERIM_REPLY
    ).exists()


def test_final_defaults_to_false(api_client, official_user, accepted):
    response = reply(api_client, official_user, accepted, {"body": "处理中。"})

    assert response.status_code == 201
    assert response.json()["is_final"] is False


def test_final_reply_ends_the_handling(api_client, official_user, accepted):
    response = reply(
        api_client, official_user, accepted, {"body": "路灯已修复。", "final": True}
    )

    assert response.status_code == 201, response.content
    assert response.json()["is_final"] is True
    assert response.json()["status"] == "published"
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.REPLIED
    assert accepted.last_reply_at is not None
    event = MessageEvent.objects.get(message=accepted, verb=MessageEvent.Verb.REPLIED)
    assert (event.from_status, event.to_status) == ("accepted", "replied")
    assert Notification.objects.filter(
        recipient=accepted.author, kind=NotificationKind.MESSAGE_REPLIED
    ).exists()


def test_final_reply_before_accepting_is_409(api_client, official_user, published):
    response = reply(
        api_client, official_user, published, {"body": "已修复。", "final": True}
    )

    assert response.status_code == 409
    assert response.json()["code"] == "invalid_transition"
    assert not Reply.objects.filter(message=published).exists()
    published.refresh_from_db()
    assert published.status == MessageStatus.PUBLISHED


def test_second_final_reply_is_409(api_client, official_user, accepted):
    reply(api_client, official_user, accepted, {"body": "已修复。", "final": True})

    response = reply(
        api_client, official_user, accepted, {"body": "再次回复。", "final": True}
    )

    assert response.status_code == 409
    assert Reply.objects.filter(message=accepted).count() == 1


def test_interim_reply_after_the_final_is_409(api_client, official_user, accepted):
    reply(api_client, official_user, accepted, {"body": "已修复。", "final": True})

    response = reply(api_client, official_user, accepted, {"body": "补充。"})

    assert response.status_code == 409


def test_handler_replies_without_sign_off(
    api_client, handler_user, handling_department
):
    message = RoutedMessageFactory(
        addressee_official=None,
        addressee_department=handling_department,
        region=handling_department.region,
        status=MessageStatus.ACCEPTED,
    )

    response = reply(
        api_client, handler_user, message, {"body": "已修复。", "final": True}
    )

    assert response.status_code == 201, response.content
    assert response.json()["status"] == "published"
    assert response.json()["office"] == str(handling_department)
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_the_body_is_sanitized(api_client, official_user, published):
    response = reply(
        api_client,
        official_user,
        published,
        {"body": "**已处理**<script>alert(1)</script>"},
    )

    assert response.status_code == 201
    body_html = response.json()["body_html"]
    assert "<strong>已处理</strong>" in body_html
    assert "<script" not in body_html


# --- Corrections -------------------------------------------------------------


def test_a_correction_links_to_the_published_reply(api_client, official_user, accepted):
    original = reply(
        api_client, official_user, accepted, {"body": "周三修复。", "final": True}
    ).json()

    response = reply(
        api_client,
        official_user,
        accepted,
        {"body": "更正：周四修复。", "corrects": original["id"], "final": True},
    )

    assert response.status_code == 201, response.content
    assert response.json()["corrects"] == original["id"]
    assert response.json()["is_final"] is False
    first = Reply.objects.get(pk=original["id"])
    assert first.body == "周三修复。"
    assert first.status == ReplyStatus.PUBLISHED
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.REPLIED


def test_a_reply_to_another_message_cannot_be_corrected(
    api_client, official_user, accepted
):
    foreign = ReplyFactory()

    response = reply(
        api_client,
        official_user,
        accepted,
        {"body": "更正。", "corrects": foreign.pk},
    )

    assert response.status_code == 400
    assert "corrects" in response.json()


def test_a_draft_cannot_be_corrected(api_client, official_user, accepted):
    draft = ReplyFactory(message=accepted, status=ReplyStatus.DRAFT)

    response = reply(
        api_client, official_user, accepted, {"body": "更正。", "corrects": draft.pk}
    )

    assert response.status_code == 400
    assert "corrects" in response.json()


# --- Attachments -------------------------------------------------------------


def test_images_attach_to_the_reply(api_client, official_user, published):
    response = reply(
        api_client,
        official_user,
        published,
        {
            "body": "现场照片。",
            "final": "false",
            "attachments": [png_upload("a.png"), png_upload("b.png", size=(20, 10))],
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["is_final"] is False
    assert [item["width"] for item in data["attachments"]] == [40, 20]
    rows = MessageAttachment.objects.filter(message=published)
    assert rows.count() == 2
    assert set(rows.values_list("reply_id", flat=True)) == {data["id"]}

    api_client.force_authenticate(None)
    detail = api_client.get(f"/api/v1/messages/{published.pk}/").json()
    assert detail["attachments"] == []
    assert len(detail["replies"][0]["attachments"]) == 2


def test_multipart_final_true(api_client, official_user, accepted):
    response = reply(
        api_client,
        official_user,
        accepted,
        {"body": "已修复。", "final": "true"},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["is_final"] is True


def test_four_images_are_too_many(api_client, official_user, published):
    response = reply(
        api_client,
        official_user,
        published,
        {"body": "照片。", "attachments": [png_upload(f"{n}.png") for n in range(4)]},
        format="multipart",
    )

    assert response.status_code == 400
    assert "attachments" in response.json()
    assert not Reply.objects.exists()


def test_a_file_that_is_no_image_is_400(api_client, official_user, published):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")

    response = reply(
        api_client,
        official_user,
        published,
        {"body": "照片。", "attachments": [fake]},
        format="multipart",
    )

    assert response.status_code == 400
    assert "attachments" in response.json()
    assert not Reply.objects.exists()


# --- Bad input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({}, "body"),
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "好", "final": "true"}, "final"),
        ({"body": "好", "final": "yes"}, "final"),
        ({"body": "好", "final": 1}, "final"),
        ({"body": "好", "final": None}, "final"),
        ({"body": "好", "corrects": 999999}, "corrects"),
        ({"body": "好", "corrects": "abc"}, "corrects"),
        ({"body": ["a", "b"]}, "body"),
    ],
)
def test_bad_input_is_400_naming_the_field(
    api_client, official_user, accepted, data, field
):
    response = reply(api_client, official_user, accepted, data)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Reply.objects.exists()


def test_multipart_final_nonsense_is_400(api_client, official_user, accepted):
    response = reply(
        api_client,
        official_user,
        accepted,
        {"body": "好", "final": "maybe"},
        format="multipart",
    )

    assert response.status_code == 400
    assert "final" in response.json()


def test_reply_time_is_now(api_client, official_user, published):
    before = timezone.now()

    data = reply(api_client, official_user, published, {"body": "好"}).json()

    assert Reply.objects.get(pk=data["id"]).published_at >= before
