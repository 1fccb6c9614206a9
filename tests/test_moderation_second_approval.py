"""Items a pre-screen rule marked need two different moderators to publish."""

import pytest

from board.errors import NotAllowed
from board.lifecycle import MessageStatus
from board.models import MessageEvent, Notification, NotificationKind
from moderation.actions import message_approve, queue_item_claim
from moderation.models import AuditEvent, AuditVerb
from tests.factories import DepartmentFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db


def test_first_approval_records_the_moderator_and_keeps_it_pending(
    moderator, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory(needs_second_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        queue_item_claim(message=message, actor=moderator)
        message_approve(message=message, actor=moderator)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.first_approved_by == moderator
    assert message.published_at is None
    # Released, so a second moderator can pick it up.
    assert message.claimed_by is None
    audit = AuditEvent.objects.get(verb=AuditVerb.FIRST_APPROVAL)
    assert (audit.actor, audit.message) == (moderator, message)
    assert audit.extra["old"]["status"] == audit.extra["new"]["status"] == "pending"
    assert AuditEvent.objects.filter(verb=AuditVerb.APPROVED).exists() is False
    assert MessageEvent.objects.filter(message=message).exists() is False
    assert Notification.objects.exists() is False
    assert [p["op"] for p in pushes.payloads("moderation.queue", "queue.changed")] == [
        "claimed",
        "released",
    ]


def test_the_same_moderator_cannot_give_the_second_approval(moderator):
    message = PendingMessageFactory(needs_second_approval=True)
    message_approve(message=message, actor=moderator)
    with pytest.raises(NotAllowed) as caught:
        message_approve(message=message, actor=moderator)
    assert caught.value.code == "second_approval_required"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.filter(verb=AuditVerb.APPROVED).exists() is False


def test_a_second_moderator_publishes_it(moderator, moderator2):
    message = PendingMessageFactory(needs_second_approval=True)
    department = DepartmentFactory(region=message.region)
    message_approve(message=message, actor=moderator, addressee_department=department)
    message_approve(message=message, actor=moderator2)
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    # The first moderator's routing is kept by the second approval.
    assert message.addressee_department == department
    assert message.first_approved_by == moderator
    approved = AuditEvent.objects.get(verb=AuditVerb.APPROVED)
    assert approved.actor == moderator2
    event = MessageEvent.objects.get(message=message, verb=MessageEvent.Verb.PUBLISHED)
    assert event.actor == moderator2
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (
        message.author,
        NotificationKind.MESSAGE_APPROVED,
    )
