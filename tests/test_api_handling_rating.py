"""POST /api/v1/messages/{id}/rating/: the author rates the final reply (评价)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import (
    FollowUpStatus,
    MessageEvent,
    Notification,
    NotificationKind,
    Rating,
)
from tests.factories import FollowUpFactory, ReplyFactory, RoutedMessageFactory

pytestmark = pytest.mark.django_db

SCORES = {"attitude": 5, "speed": 5, "resolved": 5}


def rate(api_client, user, message, data):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/messages/{message.pk}/rating/", data, format="json"
    )


def replied_message(**kwargs):
    message = RoutedMessageFactory(
        status=MessageStatus.REPLIED, last_reply_at=timezone.now(), **kwargs
    )
    ReplyFactory(message=message, is_final=True)
    return message


@pytest.fixture
def message(citizen):
    return replied_message(author=citizen)


@pytest.mark.parametrize(
    ("scores", "overall"),
    [
        ((5, 5, 5), "satisfied"),
        ((4, 4, 4), "satisfied"),
        ((3, 5, 4), "satisfied"),
        ((2, 3, 4), "basically_satisfied"),
        ((3, 3, 3), "basically_satisfied"),
        ((5, 5, 3), "basically_satisfied"),
        ((1, 1, 5), "dissatisfied"),
        ((5, 5, 2), "dissatisfied"),
        ((2, 2, 3), "dissatisfied"),
        ((1, 1, 1), "dissatisfied"),
    ],
)
def test_overall_is_derived(api_client, citizen, message, scores, overall):
    attitude, speed, resolved = scores

    response = rate(
        api_client,
        citizen,
        message,
        {"attitude": attitude, "speed": speed, "resolved": resolved},
    )

    assert response.status_code == 201, response.content
    assert response.json()["overall"] == overall
    assert Rating.objects.get(message=message).overall == overall


def test_the_rating_is_stored_and_shown(api_client, citizen, message):
    response = rate(
        api_client,
        citizen,
        message,
        {"attitude": 4, "speed": 3, "resolved": 4, "comment": "  谢谢  "},
    )

    rating = Rating.objects.get(message=message)
    assert (rating.attitude, rating.speed, rating.resolved) == (4, 3, 4)
    assert rating.comment == "谢谢"
    assert rating.reply == message.replies.get()
    data = response.json()
    assert data["id"] == rating.pk
    assert data["reply"] == rating.reply_id
    assert data["comment"] == "谢谢"
    assert data["offer_follow_up"] is False
    event = MessageEvent.objects.get(message=message, verb=MessageEvent.Verb.RATED)
    assert event.note_is_public is True


def test_satisfied_closes_the_message(api_client, citizen, message):
    rate(api_client, citizen, message, SCORES)

    message.refresh_from_db()
    assert message.status == MessageStatus.CLOSED
    assert MessageEvent.objects.filter(
        message=message, verb=MessageEvent.Verb.CLOSED, to_status="closed"
    ).exists()
    assert Notification.objects.filter(
        recipient=citizen, kind=NotificationKind.MESSAGE_CLOSED
    ).exists()


def test_basically_satisfied_leaves_it_open(api_client, citizen, message):
    rate(api_client, citizen, message, {"attitude": 3, "speed": 3, "resolved": 3})

    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_the_rating_is_public(api_client, citizen, message):
    rate(api_client, citizen, message, {**SCORES, "comment": "很满意"})
    api_client.force_authenticate(None)

    data = api_client.get(f"/api/v1/messages/{message.pk}/").json()

    assert data["rating"]["overall"] == "satisfied"
    assert data["rating"]["comment"] == "很满意"
    assert data["rating"]["resolved"] == 5


# --- The follow-up offer -----------------------------------------------------


@pytest.mark.parametrize("resolved", [1, 2])
def test_low_resolved_offers_a_follow_up(api_client, citizen, message, resolved):
    response = rate(
        api_client,
        citizen,
        message,
        {"attitude": 5, "speed": 5, "resolved": resolved},
    )

    assert response.json()["overall"] == "dissatisfied"
    assert response.json()["offer_follow_up"] is True


def test_resolved_three_offers_none(api_client, citizen, message):
    response = rate(
        api_client, citizen, message, {"attitude": 1, "speed": 1, "resolved": 3}
    )

    assert response.json()["overall"] == "dissatisfied"
    assert response.json()["offer_follow_up"] is False


def test_no_offer_when_the_follow_ups_are_used_up(api_client, citizen, message):
    FollowUpFactory(message=message, status=FollowUpStatus.ANSWERED)
    FollowUpFactory(message=message, status=FollowUpStatus.ANSWERED)

    response = rate(
        api_client, citizen, message, {"attitude": 1, "speed": 1, "resolved": 1}
    )

    assert response.status_code == 201
    assert response.json()["offer_follow_up"] is False


def test_no_offer_after_the_window(api_client, citizen):
    message = replied_message(author=citizen)
    message.last_reply_at = timezone.now() - timedelta(days=31)
    message.save(update_fields=["last_reply_at"])

    response = rate(
        api_client, citizen, message, {"attitude": 1, "speed": 1, "resolved": 1}
    )

    assert response.status_code == 201
    assert response.json()["offer_follow_up"] is False


# --- Refusals ----------------------------------------------------------------


def test_someone_else_is_403(api_client, other_citizen, message):
    response = rate(api_client, other_citizen, message, SCORES)

    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_the_addressee_is_403(api_client, citizen, official):
    message = replied_message(author=citizen, addressee_official=official)

    assert rate(api_client, official.user, message, SCORES).status_code == 403
    assert not Rating.objects.exists()


def test_someone_else_on_a_private_message_is_404(api_client, other_citizen, citizen):
    message = replied_message(author=citizen, is_public=False)

    assert rate(api_client, other_citizen, message, SCORES).status_code == 404


def test_anonymous_is_401(api_client, message):
    assert rate(api_client, None, message, SCORES).status_code == 401


def test_rating_twice_is_409(api_client, citizen, message):
    rate(api_client, citizen, message, {"attitude": 3, "speed": 3, "resolved": 3})

    response = rate(api_client, citizen, message, SCORES)

    assert response.status_code == 409
    assert response.json()["code"] == "already_rated"
    assert Rating.objects.count() == 1


def test_rating_a_closed_message_twice_is_409(api_client, citizen, message):
    rate(api_client, citizen, message, SCORES)

    assert rate(api_client, citizen, message, SCORES).status_code == 409


@pytest.mark.parametrize("status", [MessageStatus.PUBLISHED, MessageStatus.ACCEPTED])
def test_before_a_final_reply_is_409(api_client, citizen, status):
    message = RoutedMessageFactory(author=citizen, status=status)
    ReplyFactory(message=message, is_final=False)

    response = rate(api_client, citizen, message, SCORES)

    assert response.status_code == 409
    assert not Rating.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**SCORES, "attitude": 0}, "attitude"),
        ({**SCORES, "speed": 6}, "speed"),
        ({**SCORES, "resolved": -1}, "resolved"),
        ({**SCORES, "resolved": "3"}, "resolved"),
        ({**SCORES, "resolved": "abc"}, "resolved"),
        ({**SCORES, "attitude": 3.5}, "attitude"),
        ({**SCORES, "attitude": True}, "attitude"),
        ({**SCORES, "speed": None}, "speed"),
        ({"attitude": 5, "speed": 5}, "resolved"),
        ({**SCORES, "comment": "字" * 1001}, "comment"),
        ({**SCORES, "comment": ["a"]}, "comment"),
    ],
)
def test_bad_input_is_400_naming_the_field(api_client, citizen, message, data, field):
    response = rate(api_client, citizen, message, data)

    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not Rating.objects.exists()


def test_form_data_scores(api_client, citizen, message):
    api_client.force_authenticate(citizen)

    response = api_client.post(
        f"/api/v1/messages/{message.pk}/rating/",
        {"attitude": "4", "speed": "4", "resolved": "4"},
        format="multipart",
    )

    assert response.status_code == 201, response.content
    assert response.json()["overall"] == "satisfied"
