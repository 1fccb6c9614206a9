"""Follow-ups (追问): the author asks again after a reply; moderators review it;
approved, it goes back to the same addressee with a new deadline."""

from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from board.actions import (
    follow_up_allowed,
    follow_up_submit,
    messages_auto_close,
    rating_submit,
    reply_create,
)
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    FollowUp,
    FollowUpStatus,
    Message,
    MessageEvent,
    MessageKind,
    Notification,
    NotificationKind,
)
from moderation.actions import follow_up_approve, follow_up_reject
from moderation.models import AuditEvent, AuditVerb
from moderation.selectors import queue_items
from tests.factories import FollowUpFactory, RoutedMessageFactory

pytestmark = pytest.mark.django_db

BEIJING = ZoneInfo("Asia/Shanghai")


def answer(message, official, body="已修复"):
    return reply_create(message=message, actor=official.user, body=body, final=True)


@pytest.fixture
def replied(official):
    message = RoutedMessageFactory(
        addressee_official=official,
        status=MessageStatus.ACCEPTED,
        kind=MessageKind.INQUIRY,
    )
    answer(message, official)
    message.refresh_from_db()
    MessageEvent.objects.all().delete()
    Notification.objects.all().delete()
    return message


def replied_days_ago(message, days):
    Message.objects.filter(pk=message.pk).update(
        last_reply_at=timezone.now() - timedelta(days=days)
    )
    message.refresh_from_db()


def ask(message, body="修好后又坏了，请再看看。"):
    return follow_up_submit(message=message, actor=message.author, body=body)


# --- Asking ---


def test_the_author_asks_and_the_moderators_see_it(
    replied, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        follow_up = follow_up_submit(
            message=replied, actor=replied.author, body="  **还是**不亮  "
        )
    follow_up.refresh_from_db()
    assert (follow_up.author, follow_up.status, follow_up.body) == (
        replied.author,
        FollowUpStatus.PENDING,
        "**还是**不亮",
    )
    assert follow_up.body_html == "<p><strong>还是</strong>不亮</p>\n"
    replied.refresh_from_db()
    assert replied.status == MessageStatus.REPLIED
    assert list(queue_items("followups")) == [replied]
    [queue] = pushes.payloads("moderation.queue", "queue.changed")
    assert (queue["op"], queue["message_id"]) == ("arrived", replied.pk)
    # Nothing reaches the addressee before the review.
    assert Notification.objects.exists() is False
    assert MessageEvent.objects.exists() is False


def test_only_the_author_asks(replied, other_citizen, official, moderator):
    for actor in (other_citizen, official.user, moderator):
        with pytest.raises(NotAllowed):
            follow_up_submit(message=replied, actor=actor, body="为什么？")
    assert FollowUp.objects.exists() is False


@pytest.mark.parametrize("body", ["", "  ", "字" * 3001])
def test_the_question_is_required_and_limited(replied, body):
    with pytest.raises(ValidationFailed) as caught:
        ask(replied, body=body)
    assert caught.value.field == "body"


@pytest.mark.parametrize("status", [MessageStatus.PUBLISHED, MessageStatus.ACCEPTED])
def test_no_follow_up_before_a_final_reply(official, status):
    message = RoutedMessageFactory(addressee_official=official, status=status)
    with pytest.raises(InvalidTransition) as caught:
        ask(message)
    assert caught.value.code == "follow_up_not_allowed"


def test_within_thirty_days_of_the_reply(replied):
    replied_days_ago(replied, 29)
    assert follow_up_allowed(replied) == (True, "")
    replied_days_ago(replied, 31)
    allowed, why = follow_up_allowed(replied)
    assert allowed is False
    assert why
    with pytest.raises(InvalidTransition):
        ask(replied)
    assert FollowUp.objects.exists() is False


def test_a_pending_follow_up_blocks_another(replied):
    ask(replied)
    with pytest.raises(InvalidTransition):
        ask(replied)
    assert FollowUp.objects.count() == 1


def test_at_most_two_follow_ups_not_counting_rejected_ones(replied, official):
    FollowUpFactory(message=replied, status=FollowUpStatus.REJECTED)
    FollowUpFactory(message=replied, status=FollowUpStatus.REJECTED)
    FollowUpFactory(message=replied, status=FollowUpStatus.ANSWERED)
    ask(replied)  # the second that counts
    FollowUp.objects.filter(status=FollowUpStatus.PENDING).update(
        status=FollowUpStatus.ANSWERED
    )
    with pytest.raises(InvalidTransition):
        ask(replied)
    assert FollowUp.objects.count() == 4


def test_the_limit_is_a_setting(settings, replied):
    settings.ZHITONG_MAX_FOLLOW_UPS = 1
    FollowUpFactory(message=replied, status=FollowUpStatus.ANSWERED)
    with pytest.raises(InvalidTransition):
        ask(replied)


def test_no_follow_up_after_a_satisfied_rating(replied):
    rating_submit(
        message=replied, actor=replied.author, attitude=5, speed=5, resolved=5
    )
    replied.refresh_from_db()
    assert replied.status == MessageStatus.CLOSED
    with pytest.raises(InvalidTransition):
        ask(replied)


def test_a_dissatisfied_author_may_ask_again(replied):
    rating_submit(
        message=replied, actor=replied.author, attitude=4, speed=4, resolved=1
    )
    assert ask(replied).status == FollowUpStatus.PENDING


# --- Review ---


def test_approval_sends_it_back_with_a_new_deadline(
    replied, official, moderator, pushes, django_capture_on_commit_callbacks
):
    follow_up = ask(replied, body="路灯又坏了。")
    now = datetime(2026, 3, 6, 11, 0, tzinfo=BEIJING)  # a Friday
    with (
        mock.patch("django.utils.timezone.now", return_value=now),
        django_capture_on_commit_callbacks(execute=True),
    ):
        follow_up_approve(follow_up=follow_up, actor=moderator)
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.reviewed_by, follow_up.reviewed_at) == (
        FollowUpStatus.APPROVED,
        moderator,
        now,
    )
    replied.refresh_from_db()
    assert replied.status == MessageStatus.ACCEPTED
    assert replied.addressee_official == official
    # An inquiry: five working days from Friday.
    assert (replied.routed_at, replied.due_date) == (now, date(2026, 3, 13))
    assert replied.escalated_at is None

    event = MessageEvent.objects.get(message=replied)
    assert (event.verb, event.actor, event.from_status, event.to_status) == (
        MessageEvent.Verb.FOLLOW_UP,
        moderator,
        "replied",
        "accepted",
    )
    assert (event.note, event.note_is_public) == ("路灯又坏了。", True)

    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message) == (
        AuditVerb.FOLLOW_UP_APPROVED,
        moderator,
        replied,
    )
    assert audit.extra["new"] == {"follow_up": follow_up.pk, "due_date": "2026-03-13"}

    to_author = Notification.objects.get(recipient=replied.author)
    assert (to_author.kind, to_author.payload) == (
        NotificationKind.FOLLOW_UP_APPROVED,
        {"due_date": "2026-03-13"},
    )
    to_official = Notification.objects.get(recipient=official.user)
    assert (to_official.kind, to_official.payload) == (
        NotificationKind.INBOX_FOLLOW_UP,
        {"due_date": "2026-03-13"},
    )
    assert [
        p["kind"]
        for p in pushes.payloads(f"user.{official.user_id}", "notification.created")
    ] == ["inbox.follow_up"]
    assert list(queue_items("followups")) == []


def test_only_moderators_review(replied, official):
    follow_up = ask(replied)
    for actor in (official.user, replied.author):
        with pytest.raises(NotAllowed):
            follow_up_approve(follow_up=follow_up, actor=actor)
        with pytest.raises(NotAllowed):
            follow_up_reject(follow_up=follow_up, actor=actor, reason="abusive")
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.PENDING
    replied.refresh_from_db()
    assert replied.status == MessageStatus.REPLIED


def test_a_follow_up_is_reviewed_once(replied, moderator):
    follow_up = ask(replied)
    follow_up_approve(follow_up=follow_up, actor=moderator)
    for review in (
        lambda: follow_up_approve(follow_up=follow_up, actor=moderator),
        lambda: follow_up_reject(follow_up=follow_up, actor=moderator, reason="other"),
    ):
        with pytest.raises(InvalidTransition) as caught:
            review()
        assert caught.value.code == "already_reviewed"
    assert AuditEvent.objects.count() == 1


def test_rejection_gives_the_author_the_reason(
    replied, moderator, pushes, django_capture_on_commit_callbacks
):
    follow_up = ask(replied)
    with django_capture_on_commit_callbacks(execute=True):
        follow_up_reject(
            follow_up=follow_up, actor=moderator, reason="abusive", note=" 辱骂 "
        )
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.reviewed_by) == (
        FollowUpStatus.REJECTED,
        moderator,
    )
    assert (follow_up.moderation_reason, follow_up.moderation_note) == (
        "abusive",
        "辱骂",
    )
    replied.refresh_from_db()
    assert replied.status == MessageStatus.REPLIED
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        replied.author,
        NotificationKind.FOLLOW_UP_REJECTED,
        {"reason": "abusive"},
    )
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.reason) == (AuditVerb.FOLLOW_UP_REJECTED, "辱骂")
    assert MessageEvent.objects.exists() is False
    # A rejected follow-up does not block the next one.
    assert ask(replied).status == FollowUpStatus.PENDING


def test_rejection_needs_a_known_reason_and_a_note_for_other(replied, moderator):
    follow_up = ask(replied)
    for reason, note in (("no-such-reason", "x"), ("other", "  ")):
        with pytest.raises(ValidationFailed):
            follow_up_reject(
                follow_up=follow_up, actor=moderator, reason=reason, note=note
            )
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.PENDING


def test_a_hidden_message_is_not_reopened_by_approving_its_follow_up(
    replied, moderator
):
    follow_up = ask(replied)
    Message.objects.filter(pk=replied.pk).update(
        status=MessageStatus.HIDDEN, status_before_hidden=MessageStatus.REPLIED
    )
    with pytest.raises(InvalidTransition):
        follow_up_approve(follow_up=follow_up, actor=moderator)
    replied.refresh_from_db()
    assert replied.status == MessageStatus.HIDDEN
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.PENDING


# --- The answer ---


def test_the_next_final_reply_answers_the_follow_up(
    replied, official, moderator, pushes, django_capture_on_commit_callbacks
):
    follow_up = ask(replied)
    follow_up_approve(follow_up=follow_up, actor=moderator)
    # A progress note does not answer it.
    reply_create(message=replied, actor=official.user, body="已派人", final=False)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.APPROVED
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        reply = answer(replied, official, body="已更换灯具。")
    reply.refresh_from_db()
    assert reply.follow_up == follow_up
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ANSWERED
    replied.refresh_from_db()
    assert replied.status == MessageStatus.REPLIED
    assert replied.last_reply_at == reply.published_at
    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind, notification.payload) == (
        replied.author,
        NotificationKind.FOLLOW_UP_ANSWERED,
        {"reply_id": reply.pk},
    )
    [pushed] = pushes.payloads(f"user.{replied.author_id}", "notification.created")
    assert pushed["kind"] == "follow_up.answered"
    # The thread continues: both final replies on the one message.
    assert replied.replies.filter(is_final=True).count() == 2


def test_the_new_answer_can_be_rated_again(replied, official, moderator):
    rating_submit(
        message=replied, actor=replied.author, attitude=2, speed=2, resolved=1
    )
    follow_up_approve(follow_up=ask(replied), actor=moderator)
    second = answer(replied, official, body="已彻底解决")
    rating = rating_submit(
        message=replied, actor=replied.author, attitude=5, speed=5, resolved=5
    )
    assert rating.reply == second
    replied.refresh_from_db()
    assert replied.status == MessageStatus.CLOSED


def test_an_auto_closed_message_is_reopened_by_a_follow_up(
    replied, official, moderator
):
    replied_days_ago(replied, 15)
    assert messages_auto_close() == 1
    replied.refresh_from_db()
    assert replied.status == MessageStatus.CLOSED

    follow_up = ask(replied)
    follow_up_approve(follow_up=follow_up, actor=moderator)
    replied.refresh_from_db()
    assert replied.status == MessageStatus.ACCEPTED
    assert replied.due_date >= timezone.localdate()
    assert MessageEvent.objects.filter(message=replied).last().from_status == "closed"
    answer(replied, official)
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.ANSWERED


def test_an_auto_closed_message_is_not_reopened_after_the_window(replied):
    replied_days_ago(replied, 31)
    messages_auto_close()
    with pytest.raises(InvalidTransition):
        ask(replied)
