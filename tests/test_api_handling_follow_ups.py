"""POST /api/v1/messages/{id}/follow-ups/: the author asks again (追问): at
most 2, within 30 days of the reply, reviewed before the addressee sees it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import FollowUp, FollowUpStatus, Overall, Rating
from tests.factories import FollowUpFactory, ReplyFactory, RoutedMessageFactory

pytestmark = pytest.mark.django_db

QUESTION = "路灯修好后第二天又坏了，能否彻底检修？"


def follow_up(api_client, user, message, data=None):
    if user is not None:
        api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/messages/{message.pk}/follow-ups/",
        {"body": QUESTION} if data is None else data,
        format="json",
    )


def detail(api_client, user, message):
    api_client.force_authenticate(user)
    return api_client.get(f"/api/v1/messages/{message.pk}/").json()


@pytest.fixture
def message(citizen, official):
    message = RoutedMessageFactory(
        author=citizen,
        addressee_official=official,
        region=official.region,
        status=MessageStatus.REPLIED,
        last_reply_at=timezone.now() - timedelta(days=3),
    )
    ReplyFactory(message=message, is_final=True)
    return message


def test_the_author_asks_again(api_client, citizen, message):
    response = follow_up(api_client, citizen, message)

    assert response.status_code == 201, response.content
    row = FollowUp.objects.get(message=message)
    assert response.json() == {
        "id": row.pk,
        "status": "pending",
        "body_html": row.body_html,
        "created": response.json()["created"],
    }
    assert QUESTION in row.body_html
    assert row.author == citizen
    assert row.status == FollowUpStatus.PENDING
    message.refresh_from_db()
    assert message.status == MessageStatus.REPLIED


def test_pending_shows_to_the_author_and_moderators_only(
    api_client, citizen, other_citizen, official, moderator, message
):
    follow_up(api_client, citizen, message)

    own = detail(api_client, citizen, message)["follow_ups"]
    assert [item["status"] for item in own] == ["pending"]
    assert [
        item["status"] for item in detail(api_client, moderator, message)["follow_ups"]
    ] == ["pending"]
    for reader in (None, other_citizen, official.user):
        data = detail(api_client, reader, message)
        assert data["follow_ups"] == []
        assert QUESTION not in str(data)


def test_reviewed_follow_ups_are_public(api_client, citizen, message):
    approved = FollowUpFactory(message=message, status=FollowUpStatus.APPROVED)
    FollowUpFactory(message=message, status=FollowUpStatus.REJECTED)

    public = detail(api_client, None, message)["follow_ups"]
    own = detail(api_client, citizen, message)["follow_ups"]

    assert [item["id"] for item in public] == [approved.pk]
    assert [item["status"] for item in own] == ["approved", "rejected"]


def test_a_third_is_refused(api_client, citizen, message):
    FollowUpFactory(message=message, status=FollowUpStatus.ANSWERED)
    FollowUpFactory(message=message, status=FollowUpStatus.ANSWERED)

    response = follow_up(api_client, citizen, message)

    assert response.status_code == 409
    assert response.json()["code"] == "follow_up_not_allowed"
    assert FollowUp.objects.filter(message=message).count() == 2


def test_rejected_ones_do_not_count(api_client, citizen, message):
    FollowUpFactory(message=message, status=FollowUpStatus.REJECTED)
    FollowUpFactory(message=message, status=FollowUpStatus.ANSWERED)

    assert follow_up(api_client, citizen, message).status_code == 201


def test_one_at_a_time(api_client, citizen, message):
    follow_up(api_client, citizen, message)

    response = follow_up(api_client, citizen, message)

    assert response.status_code == 409
    assert FollowUp.objects.filter(message=message).count() == 1


def test_within_thirty_days_of_the_reply(api_client, citizen, message):
    message.last_reply_at = timezone.now() - timedelta(days=29, hours=23)
    message.save(update_fields=["last_reply_at"])

    assert follow_up(api_client, citizen, message).status_code == 201


def test_not_after_thirty_days(api_client, citizen, message):
    message.last_reply_at = timezone.now() - timedelta(days=30, minutes=1)
    message.save(update_fields=["last_reply_at"])

    response = follow_up(api_client, citizen, message)

    assert response.status_code == 409
    assert not FollowUp.objects.exists()


def test_a_closed_message_may_be_followed_up_within_the_window(
    api_client, citizen, message
):
    message.status = MessageStatus.CLOSED
    message.save(update_fields=["status"])

    assert follow_up(api_client, citizen, message).status_code == 201


def test_not_after_rating_satisfied(api_client, citizen, message):
    Rating.objects.create(
        message=message,
        reply=message.replies.get(),
        attitude=5,
        speed=5,
        resolved=5,
        overall=Overall.SATISFIED,
    )

    assert follow_up(api_client, citizen, message).status_code == 409


@pytest.mark.parametrize("status", [MessageStatus.PUBLISHED, MessageStatus.ACCEPTED])
def test_not_before_a_final_reply(api_client, citizen, status):
    message = RoutedMessageFactory(author=citizen, status=status)

    response = follow_up(api_client, citizen, message)

    assert response.status_code == 409
    assert not FollowUp.objects.exists()


def test_only_the_author(api_client, other_citizen, official, message):
    for user in (other_citizen, official.user):
        assert follow_up(api_client, user, message).status_code == 403
    assert not FollowUp.objects.exists()


def test_someone_else_on_a_private_message_is_404(api_client, other_citizen, message):
    message.is_public = False
    message.save(update_fields=["is_public"])

    assert follow_up(api_client, other_citizen, message).status_code == 404


def test_anonymous_is_401(api_client, message):
    assert follow_up(api_client, None, message).status_code == 401


@pytest.mark.parametrize(
    "data",
    [{}, {"body": ""}, {"body": "   "}, {"body": "字" * 3001}, {"body": ["问"]}],
)
def test_bad_body_is_400(api_client, citizen, message, data):
    response = follow_up(api_client, citizen, message, data)

    assert response.status_code == 400, response.content
    assert "body" in response.json()
    assert not FollowUp.objects.exists()
