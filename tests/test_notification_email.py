"""Email for people who are away: one email per notification, up to an hourly
limit; past it, the daily digest, which lists every notification of its day."""

from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone, translation

from board.actions import notify, notify_many
from board.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
    User,
)
from board.realtime.presence import _presence_key, presence_connect, presence_disconnect
from board.tasks import send_daily_digests, send_notification_email
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db

KIND = NotificationKind.MESSAGE_REPLIED


def make_away(user):
    """No socket open (ids repeat across tests; presence lives in the cache)."""
    cache.delete(_presence_key(user.pk))
    return user


@pytest.fixture
def away(db):
    """A citizen with no socket open."""
    return make_away(UserFactory(citizen=True))


@pytest.fixture
def notify_now(django_capture_on_commit_callbacks):
    """notify(), committed: the push and the email task run."""

    def send(recipient, message=None, kind=KIND, **payload):
        with django_capture_on_commit_callbacks(execute=True):
            return notify(
                recipient=recipient,
                kind=kind,
                message=message or MessageFactory(author=recipient),
                **payload,
            )

    return send


def prefer(user, channel, kind=KIND):
    NotificationPreference.objects.create(user=user, kind=kind, channel=channel)


def label(kind) -> str:
    with translation.override(django_settings.LANGUAGE_CODE):
        return str(NotificationKind(kind).label)


# --- One email per notification ---


def test_email_goes_to_a_user_who_is_away(away, notify_now, mailoutbox):
    message = MessageFactory(author=away)

    notification = notify_now(away, message)

    [email] = mailoutbox
    assert email.to == [away.email]
    assert email.subject == label(KIND)
    assert f"{message.reference} {message.title}" in email.body
    assert django_settings.SITE_URL + message.get_absolute_url() in email.body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_no_email_while_the_user_is_connected(away, notify_now, mailoutbox):
    presence_connect(away.pk)
    try:
        notification = notify_now(away)
    finally:
        presence_disconnect(away.pk)

    assert mailoutbox == []
    notification.refresh_from_db()
    assert notification.emailed_at is None


def test_no_email_when_the_user_wants_it_on_the_site_only(away, notify_now, mailoutbox):
    prefer(away, NotificationChannel.IN_SITE)

    notification = notify_now(away)

    assert notification is not None
    assert Notification.objects.filter(recipient=away).count() == 1
    assert mailoutbox == []


def test_nothing_at_all_when_the_kind_is_off(away, notify_now, mailoutbox, group_tap):
    from board.realtime.events import user_group

    prefer(away, NotificationChannel.OFF)
    group_tap.listen(user_group(away.pk))

    assert notify_now(away) is None

    assert Notification.objects.exists() is False
    assert mailoutbox == []
    assert group_tap.drain(user_group(away.pk)) == []


def test_other_kinds_keep_the_default(away, notify_now, mailoutbox):
    prefer(away, NotificationChannel.OFF, kind=NotificationKind.MESSAGE_ACCEPTED)

    notify_now(away)

    assert len(mailoutbox) == 1


def test_no_email_without_an_address_or_once_read(away, notify_now, mailoutbox):
    read = notify_now(away)
    mailoutbox.clear()
    Notification.objects.filter(pk=read.pk).update(
        read_at=timezone.now(), emailed_at=None
    )
    no_address = make_away(UserFactory(email=""))
    unaddressed = Notification.objects.create(
        recipient=no_address, kind=KIND, message=MessageFactory(author=no_address)
    )

    assert send_notification_email(read.pk) is False
    assert send_notification_email(unaddressed.pk) is False
    assert mailoutbox == []


def test_the_email_task_sends_once(away, mailoutbox):
    notification = Notification.objects.create(
        recipient=away, kind=KIND, message=MessageFactory(author=away)
    )

    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert send_notification_email(987654321) is False
    assert len(mailoutbox) == 1


def test_hourly_limit_then_the_rest_wait(away, notify_now, mailoutbox, settings):
    settings.ZHITONG_EMAILS_PER_HOUR = 2

    rows = [notify_now(away) for _ in range(4)]

    assert len(mailoutbox) == 2
    emailed = [
        row.pk
        for row in Notification.objects.filter(emailed_at__isnull=False).order_by("pk")
    ]
    assert emailed == [rows[0].pk, rows[1].pk]

    # An hour later the limit has room again.
    Notification.objects.filter(pk__in=emailed).update(
        emailed_at=timezone.now() - timedelta(minutes=61)
    )
    notify_now(away)
    assert len(mailoutbox) == 3


def test_the_limit_is_per_user(away, notify_now, mailoutbox, settings):
    settings.ZHITONG_EMAILS_PER_HOUR = 1
    other = make_away(UserFactory(citizen=True))

    notify_now(away)
    notify_now(away)
    notify_now(other)

    assert sorted(email.to[0] for email in mailoutbox) == sorted(
        [away.email, other.email]
    )


def test_email_is_in_the_sites_language_with_chinese_text(away, mailoutbox):
    away.display_name = "张三"
    away.save()
    message = MessageFactory(author=away, title="小区门口路灯坏了")
    notification = Notification.objects.create(
        recipient=away, kind=KIND, message=message
    )

    # The task runs wherever a worker is; the language is the site's, not
    # whatever the caller had active.
    with translation.override("en"):
        send_notification_email(notification.pk)

    [email] = mailoutbox
    assert email.subject == label(KIND)
    assert "张三" in email.body.splitlines()[0]
    assert "小区门口路灯坏了" in email.body
    raw = email.message().as_bytes()
    assert b"utf-8" in raw.lower()
    assert "小区门口路灯坏了" in email.message().get_payload(decode=True).decode()


# --- The daily digest ---


@pytest.fixture
def busy_day(away, notify_now, mailoutbox, settings):
    """Four notifications about four messages: two emailed, two held back."""
    settings.ZHITONG_EMAILS_PER_HOUR = 2
    rows = [
        notify_now(away, MessageFactory(author=away, title=f"第{n}条留言"))
        for n in range(4)
    ]
    mailoutbox.clear()
    return rows


def test_digest_lists_every_notification_of_the_day(
    away, busy_day, mailoutbox, settings
):
    assert send_daily_digests() == 1

    [digest] = mailoutbox
    assert digest.to == [away.email]
    with translation.override(settings.LANGUAGE_CODE):
        assert digest.subject == translation.gettext(
            "Your Zhitong notifications of the day"
        )
    # Also the two already emailed at once, in order.
    positions = [
        digest.body.index(f"{row.message.reference} {row.message.title}")
        for row in busy_day
    ]
    assert positions == sorted(positions)
    assert digest.body.count(label(KIND)) == 4
    away.refresh_from_db()
    assert away.last_digest_at is not None


def test_digest_only_for_users_with_something_held_back(
    away, busy_day, notify_now, mailoutbox, settings
):
    settings.ZHITONG_EMAILS_PER_HOUR = 5
    quiet = make_away(UserFactory(citizen=True))
    notify_now(quiet)  # emailed at once: nothing held back
    read_it = UserFactory(citizen=True)
    Notification.objects.create(
        recipient=read_it,
        kind=KIND,
        message=MessageFactory(author=read_it),
        read_at=timezone.now(),
    )
    site_only = UserFactory(citizen=True)
    prefer(site_only, NotificationChannel.IN_SITE)
    Notification.objects.create(
        recipient=site_only, kind=KIND, message=MessageFactory(author=site_only)
    )
    mailoutbox.clear()

    assert send_daily_digests() == 1

    assert [email.to for email in mailoutbox] == [[away.email]]
    assert list(
        User.objects.filter(last_digest_at__isnull=False).values_list("pk", flat=True)
    ) == [away.pk]


def test_second_digest_run_the_same_day_sends_nothing(away, busy_day, mailoutbox):
    assert send_daily_digests() == 1
    assert send_daily_digests() == 0

    assert len(mailoutbox) == 1


def test_next_digest_lists_only_what_came_since(away, busy_day, notify_now, mailoutbox):
    send_daily_digests()
    # Yesterday's digest went out a minute ago, after the busy morning.
    now = timezone.now()
    Notification.objects.filter(recipient=away).update(
        created_at=now - timedelta(minutes=2)
    )
    User.objects.filter(pk=away.pk).update(last_digest_at=now - timedelta(minutes=1))
    newer = notify_now(away, MessageFactory(author=away, title="新的一条"))
    assert newer.emailed_at is None  # the hourly limit is still reached
    mailoutbox.clear()

    assert send_daily_digests() == 1

    [digest] = mailoutbox
    assert "新的一条" in digest.body
    assert all(row.message.title not in digest.body for row in busy_day)


def test_digest_leaves_out_notifications_older_than_a_day(away, mailoutbox):
    old = Notification.objects.create(
        recipient=away, kind=KIND, message=MessageFactory(author=away, title="旧的")
    )
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )

    assert send_daily_digests() == 0
    assert mailoutbox == []


# --- A fan-out to many followers ---


def test_follower_fan_out_emails_only_those_away(
    django_capture_on_commit_callbacks, mailoutbox
):
    online, away_one, away_two, site_only = (
        make_away(UserFactory(citizen=True)) for _ in range(4)
    )
    prefer(site_only, NotificationChannel.IN_SITE)
    message = MessageFactory()
    presence_connect(online.pk)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            rows = notify_many(
                recipient_ids=[u.pk for u in (online, away_one, away_two, site_only)],
                kind=KIND,
                message=message,
            )
    finally:
        presence_disconnect(online.pk)
    assert len(rows) == 4
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [away_one.email, away_two.email]
    )
    assert set(
        Notification.objects.filter(emailed_at__isnull=False).values_list(
            "recipient_id", flat=True
        )
    ) == {away_one.pk, away_two.pk}
