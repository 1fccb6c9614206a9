"""A published reply is never edited: a correction is a new, linked reply."""

import pytest

from board.actions import reply_create
from board.errors import NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind, Reply
from tests.factories import (
    OfficialFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(official):
    """A replied message and its final reply."""
    message = RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED
    )
    reply = reply_create(
        message=message, actor=official.user, body="路灯已于3月5日修复。", final=True
    )
    message.refresh_from_db()
    Notification.objects.all().delete()
    return message, reply


def test_a_correction_is_a_new_reply_linked_to_the_original(official, answered):
    message, original = answered
    before = Reply.objects.filter(pk=original.pk).values().get()
    correction = reply_create(
        message=message,
        actor=official.user,
        body="更正：修复日期为3月6日。",
        final=True,
        corrects=original,
    )
    correction.refresh_from_db()
    assert correction.pk != original.pk
    assert correction.corrects == original
    assert list(original.corrections.all()) == [correction]
    # A correction never ends (or re-ends) the handling.
    assert correction.is_final is False
    assert correction.status == "published"
    assert correction.body == "更正：修复日期为3月6日。"

    assert Reply.objects.filter(pk=original.pk).values().get() == before
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED
    assert message.last_reply_at == original.published_at
    # Only the original's "replied" entry: a correction adds no timeline step.
    assert list(
        MessageEvent.objects.filter(message=message).values_list("verb", flat=True)
    ) == ["replied"]
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        message.author,
        NotificationKind.MESSAGE_INTERIM_REPLY,
        {"reply_id": correction.pk},
    )


def test_a_closed_message_can_still_be_corrected(official, answered):
    message, original = answered
    message.status = MessageStatus.CLOSED
    message.save()
    correction = reply_create(
        message=message,
        actor=official.user,
        body="更正",
        final=False,
        corrects=original,
    )
    assert correction.corrects == original
    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED


def test_a_draft_cannot_be_corrected(official, answered):
    message, _original = answered
    draft = ReplyFactory(message=message, author=official.user, status="draft")
    with pytest.raises(ValidationFailed) as caught:
        reply_create(
            message=message,
            actor=official.user,
            body="更正",
            final=False,
            corrects=draft,
        )
    assert caught.value.field == "corrects"
    assert Reply.objects.filter(corrects__isnull=False).exists() is False


def test_a_reply_to_another_message_cannot_be_corrected(official, answered):
    message, _original = answered
    elsewhere = ReplyFactory(
        message=RoutedMessageFactory(
            addressee_official=official, status=MessageStatus.REPLIED
        ),
        author=official.user,
    )
    with pytest.raises(ValidationFailed) as caught:
        reply_create(
            message=message,
            actor=official.user,
            body="更正",
            final=False,
            corrects=elsewhere,
        )
    assert caught.value.field == "corrects"
    assert elsewhere.corrections.exists() is False


def test_only_the_addressee_may_correct(answered, moderator):
    message, original = answered
    other = OfficialFactory(user=UserFactory(official=True))
    for actor in (other.user, moderator, message.author):
        with pytest.raises(NotAllowed):
            reply_create(
                message=message,
                actor=actor,
                body="更正",
                final=False,
                corrects=original,
            )
    assert original.corrections.exists() is False
