"""message_request_changes: back to the author; their edit re-enters the queue."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.actions import message_edit, message_withdraw
from board.errors import InvalidTransition, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.actions import message_approve, message_request_changes
from moderation.models import AuditEvent, AuditVerb
from moderation.selectors import queue_items
from tests.factories import MessageDraftFactory, MessageFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db


def test_request_changes_returns_the_message_to_its_author(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory()
    with django_capture_on_commit_callbacks(execute=True):
        message_request_changes(
            message=message, actor=moderator, note="请写明具体小区名称"
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.CHANGES_REQUESTED
    assert message not in queue_items("pending")

    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.CHANGES_REQUESTED,
        moderator,
        message,
        "请写明具体小区名称",
    )
    assert audit.extra == {
        "old": {"status": "pending"},
        "new": {"status": "changes_requested"},
    }
    event = MessageEvent.objects.get(message=message)
    assert (
        event.verb,
        event.actor,
        event.from_status,
        event.to_status,
        event.note,
    ) == (
        MessageEvent.Verb.CHANGES_REQUESTED,
        moderator,
        "pending",
        "changes_requested",
        "请写明具体小区名称",
    )
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (
        message.author,
        NotificationKind.MESSAGE_CHANGES_REQUESTED,
    )
    assert pushes.payloads(f"user.{message.author_id}", "notification.created")[0][
        "kind"
    ] == ("message.changes_requested")
    assert [p["op"] for p in pushes.payloads("moderation.queue", "queue.changed")] == [
        "resolved"
    ]


def test_the_authors_edit_puts_it_back_in_the_queue(
    moderator, pushes, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - timedelta(days=2)
    message = PendingMessageFactory(submitted_for_review_at=long_ago)
    message_request_changes(message=message, actor=moderator, note="请写明小区名称")
    with django_capture_on_commit_callbacks(execute=True):
        message_edit(
            message=message,
            actor=message.author,
            draft=MessageDraftFactory(
                addressee_official=message.addressee_official,
                body="幸福小区3号楼门口的路灯坏了两周。",
            ),
        )
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.body == "幸福小区3号楼门口的路灯坏了两周。"
    assert message.submitted_for_review_at > long_ago + timedelta(days=1)
    assert message in queue_items("pending")
    resubmitted = MessageEvent.objects.filter(message=message).last()
    assert (
        resubmitted.verb,
        resubmitted.actor,
        resubmitted.from_status,
        resubmitted.to_status,
    ) == (MessageEvent.Verb.RESUBMITTED, message.author, "changes_requested", "pending")
    assert [p["op"] for p in pushes.payloads("moderation.queue", "queue.changed")] == [
        "arrived"
    ]

    # And it can then be reviewed like any other pending message.
    message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_the_author_may_withdraw_instead(moderator):
    message = PendingMessageFactory()
    message_request_changes(message=message, actor=moderator, note="请补充地址")
    message_withdraw(message=message, actor=message.author)
    message.refresh_from_db()
    assert message.status == MessageStatus.WITHDRAWN


@pytest.mark.parametrize("note", ["", "   "])
def test_a_note_is_required(note, moderator):
    message = PendingMessageFactory()
    with pytest.raises(ValidationFailed) as caught:
        message_request_changes(message=message, actor=moderator, note=note)
    assert (caught.value.field, caught.value.code) == ("note", "required")
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.PUBLISHED,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
        MessageStatus.HIDDEN,
    ],
)
def test_only_a_pending_message_can_be_returned(status, moderator):
    message = MessageFactory(status=status)
    with pytest.raises(InvalidTransition):
        message_request_changes(message=message, actor=moderator, note="请补充地址")
    message.refresh_from_db()
    assert message.status == status
    assert AuditEvent.objects.exists() is False
    assert Notification.objects.exists() is False
