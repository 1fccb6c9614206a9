"""bulk_decide: each item passes the same rules; one refusal undoes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.errors import ValidationFailed
from board.lifecycle import MessageStatus
from board.models import Message, Notification, NotificationKind
from moderation.actions import bulk_decide
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db


def claimed_by(user, **kwargs):
    return PendingMessageFactory(
        claimed_by=user,
        claim_expires_at=timezone.now() + timedelta(minutes=10),
        **kwargs,
    )


def test_bulk_approve_with_mixed_outcomes(moderator, moderator2):
    fine = PendingMessageFactory()
    also_fine = claimed_by(moderator)
    published = MessageFactory(status=MessageStatus.PUBLISHED)
    held_by_other = claimed_by(moderator2)
    outcome = bulk_decide(
        messages=[fine, published, held_by_other, also_fine],
        actor=moderator,
        decision="approve",
    )
    assert outcome[fine.pk] == "ok"
    assert outcome[also_fine.pk] == "ok"
    assert "待审核" in outcome[published.pk]
    assert str(moderator2) in outcome[held_by_other.pk]

    statuses = dict(Message.objects.values_list("pk", "status"))
    assert statuses == {
        fine.pk: "published",
        also_fine.pk: "published",
        published.pk: "published",
        held_by_other.pk: "pending",
    }
    approved = AuditEvent.objects.filter(verb=AuditVerb.APPROVED)
    assert sorted(approved.values_list("message_id", flat=True)) == sorted(
        [fine.pk, also_fine.pk]
    )
    assert (
        Notification.objects.filter(kind=NotificationKind.MESSAGE_APPROVED).count() == 2
    )


def test_bulk_reject_with_a_reason(moderator):
    first, second = PendingMessageFactory(), PendingMessageFactory()
    withdrawn = MessageFactory(status=MessageStatus.WITHDRAWN)
    outcome = bulk_decide(
        messages=[first, second, withdrawn],
        actor=moderator,
        decision="reject",
        reason="advertising",
        note="批量广告",
    )
    assert (outcome[first.pk], outcome[second.pk]) == ("ok", "ok")
    assert outcome[withdrawn.pk] != "ok"
    for message in (first, second):
        message.refresh_from_db()
        assert (message.status, message.moderation_reason) == (
            "rejected",
            "advertising",
        )
    withdrawn.refresh_from_db()
    assert withdrawn.status == MessageStatus.WITHDRAWN
    audits = AuditEvent.objects.filter(verb=AuditVerb.REJECTED)
    assert set(audits.values_list("reason", flat=True)) == {"批量广告"}
    assert audits.count() == 2
    assert (
        Notification.objects.filter(kind=NotificationKind.MESSAGE_REJECTED).count() == 2
    )


@pytest.mark.parametrize(
    ("decision", "reason", "note", "field"),
    [
        ("publish", "", "", "decision"),
        ("reject", "", "", "reason"),
        ("reject", "nonsense", "", "reason"),
        ("reject", "other", " ", "note"),
    ],
)
def test_a_bad_selection_request_changes_nothing(
    decision, reason, note, field, moderator
):
    messages = [PendingMessageFactory(), PendingMessageFactory()]
    with pytest.raises(ValidationFailed) as caught:
        bulk_decide(
            messages=messages,
            actor=moderator,
            decision=decision,
            reason=reason,
            note=note,
        )
    assert caught.value.field == field
    assert set(Message.objects.values_list("status", flat=True)) == {"pending"}
    assert AuditEvent.objects.exists() is False


def test_bulk_approval_of_an_item_needing_two_gives_only_the_first(moderator):
    message = PendingMessageFactory(needs_second_approval=True)
    outcome = bulk_decide(messages=[message], actor=moderator, decision="approve")
    assert outcome == {message.pk: "ok"}
    message.refresh_from_db()
    assert (message.status, message.first_approved_by) == ("pending", moderator)
    outcome = bulk_decide(messages=[message], actor=moderator, decision="approve")
    assert outcome[message.pk] != "ok"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
