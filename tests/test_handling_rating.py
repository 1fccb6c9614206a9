"""rating_submit and derive_overall: the author rates the final reply (评价)."""

import pytest

from board.actions import derive_overall, rating_submit, reply_create
from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import (
    MessageEvent,
    Notification,
    NotificationKind,
    Overall,
    Rating,
)
from tests.factories import RoutedMessageFactory

pytestmark = pytest.mark.django_db

SCORES = {"attitude": 5, "speed": 4, "resolved": 4}


@pytest.fixture
def replied(official):
    message = RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED
    )
    reply_create(message=message, actor=official.user, body="已修复", final=True)
    message.refresh_from_db()
    MessageEvent.objects.all().delete()
    Notification.objects.all().delete()
    return message


@pytest.mark.parametrize(
    ("attitude", "speed", "resolved", "overall"),
    [
        (5, 5, 5, Overall.SATISFIED),
        (4, 4, 4, Overall.SATISFIED),
        (3, 5, 4, Overall.SATISFIED),  # average exactly 4
        (5, 5, 3, Overall.BASICALLY_SATISFIED),  # resolution weighs most
        (2, 3, 5, Overall.BASICALLY_SATISFIED),
        (3, 3, 3, Overall.BASICALLY_SATISFIED),
        (2, 4, 3, Overall.BASICALLY_SATISFIED),  # average exactly 3
        (5, 5, 2, Overall.DISSATISFIED),
        (1, 2, 5, Overall.DISSATISFIED),  # average below 3
        (2, 2, 4, Overall.DISSATISFIED),
        (1, 1, 1, Overall.DISSATISFIED),
    ],
)
def test_derive_overall(attitude, speed, resolved, overall):
    assert derive_overall(attitude, speed, resolved) == overall


def test_rated_satisfied_the_message_closes(
    replied, pushes, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rating = rating_submit(
            message=replied, actor=replied.author, comment="  很及时  ", **SCORES
        )
    rating.refresh_from_db()
    assert (rating.attitude, rating.speed, rating.resolved) == (5, 4, 4)
    assert (rating.overall, rating.comment) == (Overall.SATISFIED, "很及时")
    assert rating.reply == replied.replies.get()
    assert rating.message == replied

    replied.refresh_from_db()
    assert replied.status == MessageStatus.CLOSED
    events = list(MessageEvent.objects.filter(message=replied))
    assert [(e.verb, e.actor, e.note_is_public) for e in events] == [
        (MessageEvent.Verb.RATED, replied.author, True),
        (MessageEvent.Verb.CLOSED, replied.author, False),
    ]
    # Stored as the code, shown in each reader's language.
    assert events[0].note == Overall.SATISFIED
    assert events[0].shown_note == str(Overall.SATISFIED.label)
    assert (events[1].from_status, events[1].to_status) == ("replied", "closed")

    notification = Notification.objects.get()
    assert (notification.recipient, notification.kind) == (
        replied.author,
        NotificationKind.MESSAGE_CLOSED,
    )
    [pushed] = pushes.payloads(f"user.{replied.author_id}", "notification.created")
    assert pushed["kind"] == "message.closed"
    statuses = pushes.payloads(f"message.{replied.pk}", "message.updated")
    assert {p["status"] for p in statuses} == {"closed"}


@pytest.mark.parametrize(
    "scores",
    [
        {"attitude": 5, "speed": 5, "resolved": 3},
        {"attitude": 1, "speed": 1, "resolved": 1},
    ],
)
def test_otherwise_the_message_stays_replied(replied, scores):
    rating = rating_submit(message=replied, actor=replied.author, **scores)
    assert rating.overall != Overall.SATISFIED
    replied.refresh_from_db()
    assert replied.status == MessageStatus.REPLIED
    assert list(
        MessageEvent.objects.filter(message=replied).values_list("verb", flat=True)
    ) == ["rated"]
    assert Notification.objects.exists() is False


@pytest.mark.parametrize("field", ["attitude", "speed", "resolved"])
@pytest.mark.parametrize("value", [0, 6, -1, True, False, "5", 4.0, None])
def test_scores_are_whole_numbers_from_1_to_5(replied, field, value):
    with pytest.raises(ValidationFailed) as caught:
        rating_submit(message=replied, actor=replied.author, **{**SCORES, field: value})
    assert caught.value.field == field
    assert Rating.objects.exists() is False
    replied.refresh_from_db()
    assert replied.status == MessageStatus.REPLIED


def test_a_comment_is_limited(replied):
    with pytest.raises(ValidationFailed) as caught:
        rating_submit(
            message=replied, actor=replied.author, comment="好" * 1001, **SCORES
        )
    assert caught.value.field == "comment"
    rating = rating_submit(
        message=replied, actor=replied.author, comment="好" * 1000, **SCORES
    )
    assert len(rating.comment) == 1000


def test_only_the_author_rates(replied, other_citizen, official, moderator):
    for actor in (other_citizen, official.user, moderator):
        with pytest.raises(NotAllowed):
            rating_submit(message=replied, actor=actor, **SCORES)
    assert Rating.objects.exists() is False


def test_a_reply_is_rated_once(replied):
    rating_submit(message=replied, actor=replied.author, **SCORES)
    with pytest.raises(InvalidTransition) as caught:
        rating_submit(message=replied, actor=replied.author, **SCORES)
    assert caught.value.code == "already_rated"
    assert Rating.objects.count() == 1


def test_a_basically_satisfied_rating_is_not_repeated_either(replied):
    rating_submit(
        message=replied, actor=replied.author, attitude=3, speed=3, resolved=3
    )
    with pytest.raises(InvalidTransition):
        rating_submit(message=replied, actor=replied.author, **SCORES)
    replied.refresh_from_db()
    assert replied.status == MessageStatus.REPLIED


@pytest.mark.parametrize("status", [MessageStatus.PUBLISHED, MessageStatus.ACCEPTED])
def test_nothing_to_rate_before_the_final_reply(official, status):
    message = RoutedMessageFactory(addressee_official=official, status=status)
    reply_create(message=message, actor=official.user, body="进展", final=False)
    with pytest.raises(InvalidTransition):
        rating_submit(message=message, actor=message.author, **SCORES)
    assert Rating.objects.exists() is False


def test_a_message_closed_without_a_rating_can_still_be_rated(replied):
    replied.status = MessageStatus.CLOSED
    replied.save()
    rating = rating_submit(message=replied, actor=replied.author, **SCORES)
    assert rating.overall == Overall.SATISFIED
    replied.refresh_from_db()
    assert replied.status == MessageStatus.CLOSED
    # Already closed: no second "closed" entry, no second notice.
    assert list(
        MessageEvent.objects.filter(message=replied).values_list("verb", flat=True)
    ) == ["rated"]
    assert Notification.objects.exists() is False
