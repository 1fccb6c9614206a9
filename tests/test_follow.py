"""同问 (me too): support a public message, follow it, and hear of its replies."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import timezone

from board.actions import (
    message_follow,
    message_unfollow,
    messages_auto_close,
    rating_submit,
    reply_create,
)
from board.errors import NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import Message, MessageFollow, Notification, NotificationKind
from board.realtime.events import message_page_group, user_group
from board.tasks import notify_followers
from tests.factories import MessageFactory, RoutedMessageFactory, UserFactory

pytestmark = pytest.mark.django_db

SATISFIED = {"attitude": 5, "speed": 5, "resolved": 5}

NOT_ON_THE_BOARD = [
    pytest.param({"status": MessageStatus.PENDING}, id="pending"),
    pytest.param({"status": MessageStatus.REJECTED}, id="rejected"),
    pytest.param({"status": MessageStatus.WITHDRAWN}, id="withdrawn"),
    pytest.param({"status": MessageStatus.HIDDEN}, id="hidden"),
    pytest.param({"status": MessageStatus.PUBLISHED, "is_public": False}, id="private"),
]


def follow_url(message) -> str:
    return f"/api/v1/messages/{message.pk}/follow/"


def without_push_time(frame: dict) -> dict:
    """The frame without "sent", the time it left the server."""
    return {key: value for key, value in frame.items() if key != "sent"}


def support_count(message) -> int:
    return Message.objects.values_list("support_count", flat=True).get(pk=message.pk)


# --- The actions ---


def test_follow_supports_and_follows_a_public_message(
    citizen, group_tap, django_capture_on_commit_callbacks
):
    message = MessageFactory()
    group_tap.listen(message_page_group(message.pk))

    with django_capture_on_commit_callbacks(execute=True):
        created = message_follow(message=message, user=citizen)

    assert created is True
    assert support_count(message) == 1
    follow = MessageFollow.objects.get()
    assert (follow.message, follow.user) == (message, citizen)
    [event] = group_tap.drain(message_page_group(message.pk))
    assert event["type"] == "message.updated"
    assert without_push_time(event["payload"]) == {
        "type": "message",
        "op": "support",
        "message_id": message.pk,
        "support_count": 1,
    }


def test_following_twice_counts_once(
    citizen, group_tap, django_capture_on_commit_callbacks
):
    message = MessageFactory()
    message_follow(message=message, user=citizen)
    group_tap.listen(message_page_group(message.pk))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = message_follow(message=message, user=citizen)

    assert again is False
    assert callbacks == []
    assert support_count(message) == 1
    assert MessageFollow.objects.filter(message=message).count() == 1
    assert group_tap.drain(message_page_group(message.pk)) == []


def test_unfollow_removes_the_support_once(
    citizen, other_citizen, group_tap, django_capture_on_commit_callbacks
):
    message = MessageFactory()
    message_follow(message=message, user=citizen)
    message_follow(message=message, user=other_citizen)
    group_tap.listen(message_page_group(message.pk))

    with django_capture_on_commit_callbacks(execute=True):
        first = message_unfollow(message=message, user=citizen)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = message_unfollow(message=message, user=citizen)

    assert (first, second) == (True, False)
    assert callbacks == []
    assert support_count(message) == 1
    assert list(MessageFollow.objects.values_list("user", flat=True)) == [
        other_citizen.pk
    ]
    frames = group_tap.payloads(message_page_group(message.pk))
    assert [frame["support_count"] for frame in frames] == [1]


def test_unfollowing_what_was_never_followed_never_goes_below_zero(citizen):
    message = MessageFactory()

    assert message_unfollow(message=message, user=citizen) is False
    assert support_count(message) == 0


def test_support_count_is_counted_in_the_database(citizen, other_citizen):
    """Two supporters holding the same stale copy both count: the count is
    changed by the database (F()), not from the caller's copy."""
    message = MessageFactory()
    stale = Message.objects.get(pk=message.pk)

    message_follow(message=message, user=citizen)
    message_follow(message=stale, user=other_citizen)

    assert stale.support_count == 0  # the caller's copy was not touched
    assert support_count(message) == 2
    message_unfollow(message=stale, user=citizen)
    assert support_count(message) == 1


@pytest.mark.parametrize("attributes", NOT_ON_THE_BOARD)
def test_only_messages_on_the_public_board_can_be_supported(citizen, attributes):
    message = MessageFactory(**attributes)

    with pytest.raises(ValidationFailed):
        message_follow(message=message, user=citizen)

    assert MessageFollow.objects.exists() is False
    assert support_count(message) == 0


def test_anonymous_visitors_cannot_follow_or_unfollow():
    message = MessageFactory()

    with pytest.raises(NotAllowed):
        message_follow(message=message, user=AnonymousUser())
    with pytest.raises(NotAllowed):
        message_unfollow(message=message, user=AnonymousUser())

    assert MessageFollow.objects.exists() is False
    assert support_count(message) == 0


# --- The API: POST / DELETE /api/v1/messages/{id}/follow/ ---


def test_api_follow_is_201_then_200_and_counts(api_client, citizen, other_citizen):
    message = MessageFactory()
    api_client.force_authenticate(citizen)

    first = api_client.post(follow_url(message))
    repeated = api_client.post(follow_url(message))

    assert first.status_code == 201
    assert first.json() == {"following": True, "support_count": 1}
    assert repeated.status_code == 200
    assert repeated.json() == {"following": True, "support_count": 1}

    api_client.force_authenticate(other_citizen)
    assert api_client.post(follow_url(message)).json()["support_count"] == 2

    unfollowed = api_client.delete(follow_url(message))
    unfollowed_again = api_client.delete(follow_url(message))

    assert unfollowed.status_code == 200
    assert unfollowed.json() == {"following": False, "support_count": 1}
    assert unfollowed_again.status_code == 200
    assert unfollowed_again.json() == {"following": False, "support_count": 1}
    assert list(MessageFollow.objects.values_list("user", flat=True)) == [citizen.pk]


def test_api_follow_needs_a_signed_in_user(api_client):
    message = MessageFactory()

    assert api_client.post(follow_url(message)).status_code == 401
    assert api_client.delete(follow_url(message)).status_code == 401
    assert MessageFollow.objects.exists() is False
    assert support_count(message) == 0


@pytest.mark.parametrize(
    "attributes",
    [
        pytest.param({"is_public": False}, id="private"),
        pytest.param({"status": MessageStatus.PENDING}, id="pending"),
    ],
)
def test_api_follow_of_a_message_others_cannot_see_is_404(
    api_client, citizen, attributes
):
    message = MessageFactory(**attributes)
    api_client.force_authenticate(citizen)

    assert api_client.post(follow_url(message)).status_code == 404
    assert api_client.delete(follow_url(message)).status_code == 404
    assert MessageFollow.objects.exists() is False
    assert support_count(message) == 0


def test_api_follow_of_an_unknown_message_is_404(api_client, citizen):
    api_client.force_authenticate(citizen)

    assert api_client.post("/api/v1/messages/987654321/follow/").status_code == 404


def test_api_author_of_a_private_message_cannot_support_it(api_client):
    message = MessageFactory(is_public=False)
    api_client.force_authenticate(message.author)

    response = api_client.post(follow_url(message))

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert MessageFollow.objects.exists() is False


# --- The page form: POST /messages/<id>/follow/ ---


def test_page_form_follows_and_unfollows(client, citizen):
    message = MessageFactory()
    client.force_login(citizen)

    followed = client.post(f"/messages/{message.pk}/follow/")

    assert followed.status_code == 302
    assert followed.url == message.get_absolute_url()
    assert MessageFollow.objects.filter(message=message, user=citizen).exists()
    assert support_count(message) == 1

    unfollowed = client.post(f"/messages/{message.pk}/follow/", {"unfollow": "1"})

    assert unfollowed.status_code == 302
    assert MessageFollow.objects.exists() is False
    assert support_count(message) == 0


def test_page_form_needs_login_and_post(client, citizen):
    message = MessageFactory()

    anonymous = client.post(f"/messages/{message.pk}/follow/")
    client.force_login(citizen)
    by_get = client.get(f"/messages/{message.pk}/follow/")

    assert anonymous.status_code == 302
    assert anonymous.url.startswith("/accounts/login/")
    assert by_get.status_code == 405
    assert MessageFollow.objects.exists() is False


def test_page_form_for_a_private_message_is_404(client, citizen):
    message = MessageFactory(is_public=False)
    client.force_login(citizen)

    assert client.post(f"/messages/{message.pk}/follow/").status_code == 404
    assert MessageFollow.objects.exists() is False


def test_page_form_tells_the_author_of_a_private_message_why_not(client):
    message = MessageFactory(is_public=False)
    client.force_login(message.author)

    response = client.post(f"/messages/{message.pk}/follow/", follow=True)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert MessageFollow.objects.exists() is False


# --- Followers hear of replies and closing ---


@pytest.fixture
def followers(db):
    return [UserFactory(citizen=True) for _ in range(3)]


@pytest.fixture
def followed(official, followers):
    """An accepted public message to ``official``, followed by ``followers``
    and by its own author."""
    message = RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED
    )
    for user in [*followers, message.author]:
        message_follow(message=message, user=user)
    return message


def kinds_by_recipient(message) -> dict[int, list[str]]:
    result: dict[int, list[str]] = {}
    for recipient_id, kind in (
        Notification.objects.filter(message=message)
        .order_by("pk")
        .values_list("recipient_id", "kind")
    ):
        result.setdefault(recipient_id, []).append(kind)
    return result


@pytest.mark.parametrize(
    ("final", "kind"),
    [
        (False, NotificationKind.MESSAGE_INTERIM_REPLY),
        (True, NotificationKind.MESSAGE_REPLIED),
    ],
)
def test_followers_are_notified_of_a_reply(
    official_user,
    followed,
    followers,
    final,
    kind,
    group_tap,
    django_capture_on_commit_callbacks,
):
    group_tap.listen(*(user_group(user.pk) for user in followers))

    with django_capture_on_commit_callbacks(execute=True):
        reply = reply_create(
            message=followed, actor=official_user, body="已安排维修。", final=final
        )

    # The author follows too, yet hears of it once, as the author.
    assert kinds_by_recipient(followed) == {
        followed.author_id: [kind],
        **{user.pk: [kind] for user in followers},
    }
    for user in followers:
        row = Notification.objects.get(recipient=user)
        assert row.payload == {"reply_id": reply.pk}
        [frame] = group_tap.payloads(user_group(user.pk), "notification.created")
        assert without_push_time(frame) == {
            "type": "notification",
            "id": row.pk,
            "kind": kind,
            "label": str(row.get_kind_display()),
            "message_id": followed.pk,
            "title": followed.title,
            "url": followed.get_absolute_url(),
            "created": row.created_at.isoformat(),
        }


def test_followers_are_notified_when_the_author_closes_it(
    official_user, followed, followers, group_tap, django_capture_on_commit_callbacks
):
    reply_create(message=followed, actor=official_user, body="已修好。", final=True)
    Notification.objects.all().delete()
    group_tap.listen(*(user_group(user.pk) for user in followers))

    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(message=followed, actor=followed.author, **SATISFIED)

    followed.refresh_from_db()
    assert followed.status == MessageStatus.CLOSED
    assert kinds_by_recipient(followed) == {
        followed.author_id: [NotificationKind.MESSAGE_CLOSED],
        **{user.pk: [NotificationKind.MESSAGE_CLOSED] for user in followers},
    }
    for user in followers:
        frames = group_tap.payloads(user_group(user.pk), "notification.created")
        assert [(f["kind"], f["message_id"]) for f in frames] == [
            (NotificationKind.MESSAGE_CLOSED, followed.pk)
        ]


def test_followers_are_notified_when_it_closes_by_itself(
    official_user, followed, followers, django_capture_on_commit_callbacks
):
    reply_create(message=followed, actor=official_user, body="已修好。", final=True)
    Notification.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        closed = messages_auto_close(now=timezone.now() + timedelta(days=15))

    assert closed == 1
    assert kinds_by_recipient(followed) == {
        followed.author_id: [NotificationKind.MESSAGE_CLOSED],
        **{user.pk: [NotificationKind.MESSAGE_CLOSED] for user in followers},
    }


def test_followers_are_notified_by_a_task_after_commit(
    official_user, followed, followers, monkeypatch, django_capture_on_commit_callbacks
):
    from board import tasks

    enqueued = []
    enqueue = tasks.enqueue

    def spy(task, *args, **kwargs):
        enqueued.append((task.name, args, kwargs))
        enqueue(task, *args, **kwargs)

    monkeypatch.setattr(tasks, "enqueue", spy)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        reply = reply_create(
            message=followed, actor=official_user, body="进展。", final=False
        )

    # Inside the transaction only the author's row exists; the fan-out waits.
    assert list(kinds_by_recipient(followed)) == [followed.author_id]
    assert enqueued == []
    for callback in callbacks:
        callback()
    assert (
        "board.tasks.notify_followers",
        (followed.pk, NotificationKind.MESSAGE_INTERIM_REPLY),
        {"reply_id": reply.pk},
    ) in enqueued
    assert set(kinds_by_recipient(followed)) == {
        followed.author_id,
        *(user.pk for user in followers),
    }


def test_a_rolled_back_reply_notifies_nobody(
    official_user, followed, group_tap, django_capture_on_commit_callbacks
):
    group_tap.listen(user_group(followed.author_id))

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        reply_create(message=followed, actor=official_user, body="进展。", final=False)
        raise RuntimeError("the request failed later")

    assert callbacks == []
    assert Notification.objects.exists() is False
    assert group_tap.drain(user_group(followed.author_id)) == []


def test_fan_out_is_one_bulk_insert_however_many_follow(
    official, django_assert_max_num_queries
):
    message = RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.REPLIED
    )
    crowd = [UserFactory() for _ in range(25)]
    MessageFollow.objects.bulk_create(
        [MessageFollow(message=message, user=user) for user in crowd]
    )

    # Pushes and emails are left for after commit; the task itself only reads
    # the followers and their preferences and inserts once.
    with django_assert_max_num_queries(8):
        created = notify_followers(message.pk, NotificationKind.MESSAGE_REPLIED)

    assert created == 25
    assert sorted(
        Notification.objects.filter(kind=NotificationKind.MESSAGE_REPLIED).values_list(
            "recipient_id", flat=True
        )
    ) == sorted(user.pk for user in crowd)


def test_private_messages_never_fan_out(
    official, followers, group_tap, django_capture_on_commit_callbacks
):
    """Even with follow rows (say, from before it was made private)."""
    message = RoutedMessageFactory(
        addressee_official=official, status=MessageStatus.ACCEPTED, is_public=False
    )
    MessageFollow.objects.bulk_create(
        [MessageFollow(message=message, user=user) for user in followers]
    )
    group_tap.listen(*(user_group(user.pk) for user in followers))

    with django_capture_on_commit_callbacks(execute=True):
        reply_create(message=message, actor=official.user, body="已办。", final=True)

    assert kinds_by_recipient(message) == {
        message.author_id: [NotificationKind.MESSAGE_REPLIED]
    }
    for user in followers:
        assert group_tap.drain(user_group(user.pk)) == []


@pytest.mark.parametrize("attributes", NOT_ON_THE_BOARD)
def test_the_fan_out_task_skips_messages_off_the_board(followers, attributes):
    message = MessageFactory(**attributes)
    MessageFollow.objects.bulk_create(
        [MessageFollow(message=message, user=user) for user in followers]
    )

    assert notify_followers(message.pk, NotificationKind.MESSAGE_CLOSED) == 0
    assert notify_followers(987654321, NotificationKind.MESSAGE_CLOSED) == 0
    assert Notification.objects.exists() is False


def test_unfollowing_stops_the_notifications(
    official_user, followed, followers, django_capture_on_commit_callbacks
):
    quitter, *staying = followers
    message_unfollow(message=followed, user=quitter)

    with django_capture_on_commit_callbacks(execute=True):
        reply_create(message=followed, actor=official_user, body="进展。", final=False)

    recipients = set(kinds_by_recipient(followed))
    assert quitter.pk not in recipients
    assert recipients == {followed.author_id, *(user.pk for user in staying)}


def test_unfollowing_a_hidden_message_tells_its_page_group_nothing(
    citizen, moderator, group_tap, django_capture_on_commit_callbacks
):
    """A message off the board has no public channel, not even for its count."""
    from moderation.actions import message_hide

    message = MessageFactory()
    message_follow(message=message, user=citizen)
    message_hide(message=message, actor=moderator, reason="abusive")
    group_tap.listen(message_page_group(message.pk))

    with django_capture_on_commit_callbacks(execute=True):
        assert message_unfollow(message=message, user=citizen) is True

    assert support_count(message) == 0
    assert group_tap.drain(message_page_group(message.pk)) == []
