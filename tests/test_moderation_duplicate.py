"""message_mark_duplicate: pending ones are rejected, public ones hidden."""

import pytest

from board.errors import InvalidTransition, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.actions import message_mark_duplicate, message_restore
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db


def test_a_pending_duplicate_is_rejected_and_linked(
    moderator, pushes, django_capture_on_commit_callbacks
):
    original = MessageFactory()
    message = PendingMessageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message_mark_duplicate(
            message=message, actor=moderator, of=original, note="同一路灯"
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert message.duplicate_of == original
    assert list(original.duplicates.all()) == [message]
    assert (message.moderation_reason, message.moderation_note) == (
        "duplicate",
        "同一路灯",
    )
    assert message.reviewed_at is not None

    assert list(
        MessageEvent.objects.filter(message=message).values_list(
            "verb", "actor", "from_status", "to_status", "note"
        )
    ) == [
        (MessageEvent.Verb.REJECTED, moderator.pk, "pending", "rejected", ""),
        (MessageEvent.Verb.DUPLICATE, moderator.pk, "", "rejected", original.reference),
    ]
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.MARKED_DUPLICATE,
        moderator,
        message,
        "同一路灯",
    )
    assert audit.extra["old"]["status"] == "pending"
    assert audit.extra["new"]["status"] == "rejected"
    assert audit.extra["new"]["duplicate_of"] == original.pk
    assert audit.extra["new"]["reason"] == "duplicate"

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        message.author,
        NotificationKind.MESSAGE_REJECTED,
        {"reason": "duplicate"},
    )
    assert (f"user.{message.author_id}", "notification.created") in pushes.types()
    assert ("moderation.queue", "queue.changed") in pushes.types()


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.ACCEPTED,
        MessageStatus.REPLIED,
        MessageStatus.CLOSED,
    ],
)
def test_a_public_duplicate_is_hidden_and_can_be_restored(status, moderator):
    original = MessageFactory()
    message = MessageFactory(status=status)
    message_mark_duplicate(message=message, actor=moderator, of=original)
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    assert message.status_before_hidden == status
    assert message.duplicate_of == original
    assert message.is_on_public_board is False
    audit = AuditEvent.objects.get()
    assert (audit.extra["old"]["status"], audit.extra["new"]["status"]) == (
        status,
        "hidden",
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (
        message.author,
        NotificationKind.MESSAGE_HIDDEN,
    )

    message_restore(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == status


def test_a_message_cannot_duplicate_itself_or_its_own_duplicate(moderator):
    message = MessageFactory()
    with pytest.raises(ValidationFailed) as caught:
        message_mark_duplicate(message=message, actor=moderator, of=message)
    assert caught.value.field == "of"
    copy = MessageFactory(duplicate_of=message)
    with pytest.raises(ValidationFailed):
        message_mark_duplicate(message=message, actor=moderator, of=copy)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.duplicate_of is None
    assert AuditEvent.objects.exists() is False


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.HIDDEN,
    ],
)
def test_a_message_out_of_review_and_off_the_board_cannot_be_marked(status, moderator):
    message = MessageFactory(status=status)
    with pytest.raises(InvalidTransition):
        message_mark_duplicate(message=message, actor=moderator, of=MessageFactory())
    message.refresh_from_db()
    assert message.status == status
    assert message.duplicate_of is None
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False
