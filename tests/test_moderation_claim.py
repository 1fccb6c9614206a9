"""Claims: one moderator per item, taken over only explicitly, always audited."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.actions import message_edit
from board.lifecycle import MessageStatus
from board.models import Message
from moderation.actions import (
    ClaimConflict,
    message_approve,
    message_hide,
    message_mark_duplicate,
    message_redact,
    message_reject,
    message_request_changes,
    message_restore,
    queue_item_claim,
    queue_item_release,
    reports_resolve,
)
from moderation.models import AuditEvent, AuditVerb
from tests.factories import MessageDraftFactory, MessageFactory, PendingMessageFactory

pytestmark = pytest.mark.django_db


def claim_for(message, user, minutes=10):
    """Give ``user`` the claim directly, as if they had claimed it earlier."""
    Message.objects.filter(pk=message.pk).update(
        claimed_by=user, claim_expires_at=timezone.now() + timedelta(minutes=minutes)
    )
    message.refresh_from_db()


def test_claim_gives_the_item_to_the_moderator_for_the_configured_time(
    moderator, settings, pushes, django_capture_on_commit_callbacks
):
    settings.ZHITONG_CLAIM_MINUTES = 15
    message = PendingMessageFactory()
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_item_claim(message=message, actor=moderator) is True
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert (
        before + timedelta(minutes=15)
        <= message.claim_expires_at
        <= timezone.now() + timedelta(minutes=15)
    )
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message) == (
        AuditVerb.CLAIMED,
        moderator,
        message,
    )
    assert (audit.target_type, audit.target_id) == ("message", str(message.pk))
    assert audit.extra == {"new": {"claimed_by": moderator.pk}}
    assert pushes.payloads("moderation.queue", "queue.changed") == [
        {
            "type": "queue",
            "op": "claimed",
            "message_id": message.pk,
            "status": "pending",
            "claimed_by": str(moderator),
        }
    ]


def test_claiming_again_by_the_holder_returns_false_and_is_not_audited_twice(
    moderator,
):
    message = PendingMessageFactory()
    assert queue_item_claim(message=message, actor=moderator) is True
    assert queue_item_claim(message=message, actor=moderator) is False
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert AuditEvent.objects.filter(verb=AuditVerb.CLAIMED).count() == 1


def test_another_moderator_cannot_claim_a_held_item(moderator, moderator2):
    message = PendingMessageFactory()
    queue_item_claim(message=message, actor=moderator)
    with pytest.raises(ClaimConflict) as caught:
        queue_item_claim(message=message, actor=moderator2)
    assert caught.value.code == "claimed"
    assert caught.value.status_code == 409
    assert str(moderator) in caught.value.message
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert AuditEvent.objects.filter(actor=moderator2).exists() is False


def test_an_expired_claim_can_be_taken_without_taking_over(moderator, moderator2):
    message = PendingMessageFactory()
    claim_for(message, moderator, minutes=-1)
    assert queue_item_claim(message=message, actor=moderator2) is True
    message.refresh_from_db()
    assert message.claimed_by == moderator2
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor) == (AuditVerb.CLAIMED, moderator2)


def test_taking_over_a_live_claim_is_explicit_and_audited(moderator, moderator2):
    message = PendingMessageFactory()
    queue_item_claim(message=message, actor=moderator)
    assert queue_item_claim(message=message, actor=moderator2, take_over=True) is True
    message.refresh_from_db()
    assert message.claimed_by == moderator2
    audit = AuditEvent.objects.get(verb=AuditVerb.TAKEN_OVER)
    assert audit.actor == moderator2
    assert audit.message == message
    assert audit.extra == {
        "old": {"claimed_by": moderator.pk},
        "new": {"claimed_by": moderator2.pk},
    }


def test_release_only_by_the_holder(
    moderator, moderator2, pushes, django_capture_on_commit_callbacks
):
    message = PendingMessageFactory()
    queue_item_claim(message=message, actor=moderator)
    assert queue_item_release(message=message, actor=moderator2) is False
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert AuditEvent.objects.filter(verb=AuditVerb.RELEASED).exists() is False

    with django_capture_on_commit_callbacks(execute=True):
        assert queue_item_release(message=message, actor=moderator) is True
    message.refresh_from_db()
    assert (message.claimed_by, message.claim_expires_at) == (None, None)
    audit = AuditEvent.objects.get(verb=AuditVerb.RELEASED)
    assert (audit.actor, audit.message) == (moderator, message)
    assert [p["op"] for p in pushes.payloads("moderation.queue", "queue.changed")] == [
        "released"
    ]


def test_releasing_an_unclaimed_item_returns_false(moderator):
    message = PendingMessageFactory()
    assert queue_item_release(message=message, actor=moderator) is False
    assert AuditEvent.objects.exists() is False


# Each decision, with the status it starts from.
ACTIONS = {
    "approve": (
        MessageStatus.PENDING,
        lambda m, a: message_approve(message=m, actor=a),
    ),
    "reject": (
        MessageStatus.PENDING,
        lambda m, a: message_reject(message=m, actor=a, reason="abusive"),
    ),
    "request_changes": (
        MessageStatus.PENDING,
        lambda m, a: message_request_changes(message=m, actor=a, note="请补充地址"),
    ),
    "duplicate": (
        MessageStatus.PENDING,
        lambda m, a: message_mark_duplicate(message=m, actor=a, of=MessageFactory()),
    ),
    "hide": (
        MessageStatus.PUBLISHED,
        lambda m, a: message_hide(message=m, actor=a, reason="abusive"),
    ),
    "restore": (MessageStatus.HIDDEN, lambda m, a: message_restore(message=m, actor=a)),
    "redact": (
        MessageStatus.PUBLISHED,
        lambda m, a: message_redact(message=m, actor=a),
    ),
    "resolve_reports": (
        MessageStatus.PUBLISHED,
        lambda m, a: reports_resolve(message=m, actor=a, resolution="keep"),
    ),
}


def message_in(status):
    return MessageFactory(
        status=status,
        submitted_for_review_at=timezone.now(),
        status_before_hidden=(
            MessageStatus.PUBLISHED if status == MessageStatus.HIDDEN else ""
        ),
    )


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_acting_on_an_item_claimed_by_another_is_a_conflict(
    name, moderator, moderator2
):
    status, act = ACTIONS[name]
    message = message_in(status)
    claim_for(message, moderator)
    with pytest.raises(ClaimConflict) as caught:
        act(message, moderator2)
    assert caught.value.code == "claimed"
    message.refresh_from_db()
    assert message.status == status
    assert message.claimed_by == moderator
    assert message.is_redacted is False
    assert AuditEvent.objects.exists() is False


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_acting_on_an_item_whose_claim_expired_is_allowed(name, moderator, moderator2):
    status, act = ACTIONS[name]
    message = message_in(status)
    claim_for(message, moderator, minutes=-1)
    act(message, moderator2)
    assert AuditEvent.objects.filter(actor=moderator2).exists() is True


@pytest.mark.parametrize(
    "name", ["approve", "reject", "request_changes", "duplicate", "hide", "restore"]
)
def test_deciding_releases_the_claim(name, moderator):
    status, act = ACTIONS[name]
    message = message_in(status)
    queue_item_claim(message=message, actor=moderator)
    act(message, moderator)
    message.refresh_from_db()
    assert message.status != status
    assert (message.claimed_by, message.claim_expires_at) == (None, None)


@pytest.mark.parametrize(
    "act",
    [
        lambda m, a, seen: message_approve(message=m, actor=a, seen_updated_at=seen),
        lambda m, a, seen: message_reject(
            message=m, actor=a, reason="abusive", seen_updated_at=seen
        ),
        lambda m, a, seen: message_request_changes(
            message=m, actor=a, note="请补充地址", seen_updated_at=seen
        ),
    ],
    ids=["approve", "reject", "request_changes"],
)
def test_a_form_loaded_before_the_author_edited_is_refused_as_stale(act, moderator):
    message = PendingMessageFactory()
    seen = message.updated_at
    message_edit(
        message=message,
        actor=message.author,
        draft=MessageDraftFactory(
            addressee_official=message.addressee_official,
            body="补充：路灯在3号楼旁边。",
        ),
    )
    with pytest.raises(ClaimConflict) as caught:
        act(message, moderator, seen)
    assert caught.value.code == "stale"
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert AuditEvent.objects.exists() is False


def test_an_up_to_date_form_is_accepted(moderator):
    message = PendingMessageFactory()
    queue_item_claim(message=message, actor=moderator)
    message.refresh_from_db()
    message_approve(
        message=message, actor=moderator, seen_updated_at=message.updated_at
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
