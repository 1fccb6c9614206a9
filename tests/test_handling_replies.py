"""reply_create: interim progress notes (阶段性回复) and the final reply (回复)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from board.actions import message_accept, reply_create
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    MessageAttachment,
    MessageEvent,
    Notification,
    NotificationKind,
    Reply,
    ReplyStatus,
)
from tests.factories import (
    OfficialFactory,
    RoutedMessageFactory,
    UserFactory,
    png_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(official):
    return RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED
    )


@pytest.mark.parametrize("status", [MessageStatus.PUBLISHED, MessageStatus.ACCEPTED])
def test_an_interim_reply_keeps_the_status(
    official, status, pushes, django_capture_on_commit_callbacks
):
    message = RoutedMessageFactory(addressee_official=official, status=status)
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_create(
            message=message,
            actor=official.user,
            body="  已联系供电公司，预计下周维修。  ",
            final=False,
        )
    message.refresh_from_db()
    assert message.status == status
    assert message.last_reply_at is None
    reply.refresh_from_db()
    assert (reply.is_final, reply.status, reply.author, reply.body) == (
        False,
        ReplyStatus.PUBLISHED,
        official.user,
        "已联系供电公司，预计下周维修。",
    )
    assert reply.published_at is not None
    assert reply.office == official.title

    event = MessageEvent.objects.get(message=message)
    assert (event.verb, event.actor, event.from_status, event.to_status) == (
        MessageEvent.Verb.INTERIM_REPLY,
        official.user,
        "",
        status,
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        message.author,
        NotificationKind.MESSAGE_INTERIM_REPLY,
        {"reply_id": reply.pk},
    )
    [pushed] = pushes.payloads(f"message.{message.pk}", "message.updated")
    assert (pushed["op"], pushed["reply_id"], pushed["status"]) == (
        "reply",
        reply.pk,
        status,
    )


def test_a_final_reply_answers_an_accepted_message(
    official, accepted, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_create(
            message=accepted,
            actor=official.user,
            body="路灯已于3月5日修复。\n\n感谢您的监督。",
            final=True,
        )
    accepted.refresh_from_db()
    reply.refresh_from_db()
    assert accepted.status == MessageStatus.REPLIED
    assert accepted.last_reply_at == reply.published_at
    assert (reply.is_final, reply.status, reply.follow_up) == (
        True,
        ReplyStatus.PUBLISHED,
        None,
    )
    assert reply.body_html == "<p>路灯已于3月5日修复。</p>\n<p>感谢您的监督。</p>\n"

    event = MessageEvent.objects.get(message=accepted)
    assert (event.verb, event.actor, event.from_status, event.to_status) == (
        MessageEvent.Verb.REPLIED,
        official.user,
        "accepted",
        "replied",
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        accepted.author,
        NotificationKind.MESSAGE_REPLIED,
        {"reply_id": reply.pk},
    )
    page = pushes.payloads(f"message.{accepted.pk}", "message.updated")
    assert [(p["op"], p["status"]) for p in page] == [
        ("status", "replied"),
        ("reply", "replied"),
    ]
    [pushed] = pushes.payloads(f"user.{accepted.author_id}", "notification.created")
    assert pushed["kind"] == "message.replied"


def test_the_reply_is_sanitized(official, accepted):
    reply = reply_create(
        message=accepted,
        actor=official.user,
        body="<script>alert(1)</script>\n\n[链接](javascript:alert(1))",
        final=True,
    )
    assert "<script" not in reply.body_html
    assert 'href="javascript' not in reply.body_html


def test_a_final_reply_needs_the_message_accepted_first(official):
    message = RoutedMessageFactory(addressee_official=official)
    with pytest.raises(InvalidTransition):
        reply_create(message=message, actor=official.user, body="已处理", final=True)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert Reply.objects.exists() is False
    assert Notification.objects.exists() is False


@pytest.mark.parametrize("final", [True, False])
@pytest.mark.parametrize(
    "status", [MessageStatus.REPLIED, MessageStatus.CLOSED, MessageStatus.HIDDEN]
)
def test_no_reply_after_the_handling_ended(official, status, final):
    message = RoutedMessageFactory(addressee_official=official, status=status)
    with pytest.raises(InvalidTransition):
        reply_create(message=message, actor=official.user, body="补充", final=final)
    assert Reply.objects.exists() is False


@pytest.mark.parametrize("body", ["", "   \n  ", "字" * (Reply.BODY_MAX_LENGTH + 1)])
def test_the_body_is_required_and_limited(official, accepted, body):
    with pytest.raises(ValidationFailed) as caught:
        reply_create(message=accepted, actor=official.user, body=body, final=True)
    assert caught.value.field == "body"
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.ACCEPTED
    assert Reply.objects.exists() is False


def test_a_body_of_the_maximum_length_is_accepted(official, accepted):
    body = "字" * Reply.BODY_MAX_LENGTH
    reply = reply_create(message=accepted, actor=official.user, body=body, final=True)
    assert len(reply.body) == Reply.BODY_MAX_LENGTH


def test_only_the_addressee_may_reply(official, accepted, moderator):
    other = OfficialFactory(user=UserFactory(official=True))
    for actor in (other.user, moderator, accepted.author):
        with pytest.raises(NotAllowed):
            reply_create(message=accepted, actor=actor, body="答复", final=True)
    assert Reply.objects.exists() is False


def test_department_staff_reply_under_the_departments_name(
    handling_department, department_official, handler_user
):
    message = RoutedMessageFactory(
        addressee_official=department_official, status=MessageStatus.ACCEPTED
    )
    reply = reply_create(message=message, actor=handler_user, body="已处理", final=True)
    assert reply.status == ReplyStatus.PUBLISHED
    assert reply.office == str(handling_department)
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_reply_images_are_attached_to_the_reply(official, accepted):
    reply = reply_create(
        message=accepted,
        actor=official.user,
        body="修复后的照片见附件。",
        final=True,
        images=[png_upload("after.png"), png_upload("detail.png", size=(20, 10))],
    )
    attachments = list(MessageAttachment.objects.all())
    assert [(a.message, a.reply, a.width, a.height) for a in attachments] == [
        (accepted, reply, 40, 30),
        (accepted, reply, 20, 10),
    ]
    assert list(reply.attachments.all()) == attachments


def test_a_bad_image_leaves_nothing_half_saved(official, accepted):
    fake = SimpleUploadedFile("x.png", b"not an image", content_type="image/png")
    with pytest.raises(ValidationFailed) as caught:
        reply_create(
            message=accepted,
            actor=official.user,
            body="见附件",
            final=True,
            images=[png_upload(), fake],
        )
    assert caught.value.field == "attachments"
    accepted.refresh_from_db()
    assert accepted.status == MessageStatus.ACCEPTED
    assert Reply.objects.exists() is False
    assert MessageAttachment.objects.exists() is False
    assert MessageEvent.objects.exists() is False


def test_progress_then_final_reply_on_the_timeline(official):
    message = RoutedMessageFactory(addressee_official=official)
    reply_create(message=message, actor=official.user, body="已收到", final=False)
    message_accept(message=message, actor=official.user)
    reply_create(message=message, actor=official.user, body="正在协调", final=False)
    reply_create(message=message, actor=official.user, body="已解决", final=True)
    assert list(
        MessageEvent.objects.filter(message=message).values_list("verb", flat=True)
    ) == ["interim_reply", "accepted", "interim_reply", "replied"]
    assert list(Reply.objects.values_list("is_final", flat=True)) == [
        False,
        False,
        True,
    ]
