"""Per-kind preferences (on the site, also by email, off) as notify() and the
followers' fan-out apply them."""

import pytest
from django.core.cache import cache

from board.actions import notification_preferences_save, notify, notify_many
from board.models import (
    MessageFollow,
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)
from board.realtime.events import user_group
from board.realtime.presence import _presence_key
from board.selectors import preference_for, preferences_of
from board.tasks import notify_followers
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = NotificationKind.MESSAGE_REPLIED


def away_user():
    user = UserFactory(citizen=True)
    cache.delete(_presence_key(user.pk))
    return user


def prefer(user, channel, kind=KIND):
    NotificationPreference.objects.create(user=user, kind=kind, channel=channel)


def test_email_is_the_default(citizen):
    assert preference_for(citizen.pk, KIND) == NotificationChannel.EMAIL
    assert preferences_of(citizen) == {}


def test_a_preference_is_per_user_and_kind(citizen, other_citizen):
    prefer(citizen, NotificationChannel.OFF)

    assert preference_for(citizen.pk, KIND) == NotificationChannel.OFF
    assert preference_for(citizen.pk, NotificationKind.MESSAGE_CLOSED) == "email"
    assert preference_for(other_citizen.pk, KIND) == NotificationChannel.EMAIL


def test_save_creates_then_updates_one_row_per_kind(citizen):
    notification_preferences_save(
        user=citizen,
        preferences={KIND: "inapp", NotificationKind.MESSAGE_CLOSED: "off"},
    )
    notification_preferences_save(user=citizen, preferences={KIND: "email"})

    assert preferences_of(citizen) == {
        KIND: "email",
        NotificationKind.MESSAGE_CLOSED: "off",
    }
    assert NotificationPreference.objects.count() == 2


@pytest.mark.parametrize(
    ("channel", "stored", "emailed"),
    [
        (NotificationChannel.EMAIL, True, True),
        (NotificationChannel.IN_SITE, True, False),
        (NotificationChannel.OFF, False, False),
    ],
)
def test_notify_follows_the_preference(
    channel, stored, emailed, group_tap, mailoutbox, django_capture_on_commit_callbacks
):
    user = away_user()
    prefer(user, channel)
    group_tap.listen(user_group(user.pk))

    with django_capture_on_commit_callbacks(execute=True):
        row = notify(recipient=user, kind=KIND, message=MessageFactory(author=user))

    assert (row is not None) == stored
    assert Notification.objects.filter(recipient=user).exists() is stored
    frames = group_tap.payloads(user_group(user.pk), "notification.created")
    assert [frame["id"] for frame in frames] == ([row.pk] if stored else [])
    assert [email.to for email in mailoutbox] == ([[user.email]] if emailed else [])


def test_fan_out_follows_each_followers_preference(
    group_tap, mailoutbox, django_capture_on_commit_callbacks
):
    by_email, on_site, silent = away_user(), away_user(), away_user()
    prefer(on_site, NotificationChannel.IN_SITE)
    prefer(silent, NotificationChannel.OFF)
    # A preference for another kind changes nothing here.
    prefer(by_email, NotificationChannel.OFF, kind=NotificationKind.MESSAGE_CLOSED)
    message = MessageFactory()
    MessageFollow.objects.bulk_create(
        [MessageFollow(message=message, user=u) for u in (by_email, on_site, silent)]
    )
    group_tap.listen(*(user_group(u.pk) for u in (by_email, on_site, silent)))

    with django_capture_on_commit_callbacks(execute=True):
        created = notify_followers(message.pk, KIND, reply_id=7)

    assert created == 2
    rows = Notification.objects.order_by("recipient_id")
    assert [(row.recipient_id, row.payload) for row in rows] == sorted(
        [(by_email.pk, {"reply_id": 7}), (on_site.pk, {"reply_id": 7})]
    )
    assert [email.to for email in mailoutbox] == [[by_email.email]]
    for user, expected in ((by_email, 1), (on_site, 1), (silent, 0)):
        frames = group_tap.payloads(user_group(user.pk), "notification.created")
        assert len(frames) == expected
        assert all(frame["kind"] == KIND for frame in frames)


def test_notify_many_with_nobody_writes_nothing():
    assert notify_many(recipient_ids=[], kind=KIND, message=None) == []
    assert Notification.objects.exists() is False
