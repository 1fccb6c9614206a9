"""The notification centre without JavaScript: the list, read marking, the
settings page, and the bell in the header."""

import re

import pytest
from django.utils import timezone

from board.models import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

LIST = "/notifications/"
READ = "/notifications/read/"
SETTINGS = "/notifications/settings/"


def notification(user, title="路灯坏了", kind=NotificationKind.MESSAGE_REPLIED, **kw):
    return Notification.objects.create(
        recipient=user, kind=kind, message=MessageFactory(title=title), **kw
    )


def bell_count(html: str) -> int:
    [count] = re.findall(r"data-bell-count[^>]*>\s*(\d+)\s*<", html)
    return int(count)


def unread_items(html: str) -> int:
    return len(re.findall(r'class="notification is-unread"', html))


def unread_ids(user) -> set[int]:
    return set(
        Notification.objects.filter(recipient=user, read_at__isnull=True).values_list(
            "pk", flat=True
        )
    )


@pytest.mark.parametrize("url", [LIST, SETTINGS])
def test_pages_need_login(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"/accounts/login/?next={url}"


def test_read_needs_login(client, citizen):
    mine = notification(citizen)

    response = client.post(READ, {"all": "1"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert unread_ids(citizen) == {mine.pk}


def test_list_shows_own_notifications_newest_first_unread_marked(
    client, citizen, other_citizen
):
    older = notification(citizen, title="第一条", read_at=timezone.now())
    newer = notification(citizen, title="第二条")
    notification(other_citizen, title="别人的留言")
    client.force_login(citizen)

    response = client.get(LIST)

    html = response.content.decode()
    assert response.status_code == 200
    assert [n.pk for n in response.context["notifications"]] == [newer.pk, older.pk]
    assert "第一条" in html
    assert "第二条" in html
    assert "别人的留言" not in html
    assert newer.message.get_absolute_url() in html
    assert unread_items(html) == 1
    # Only the unread one offers "mark as read".
    assert f'name="id" value="{newer.pk}"' in html
    assert f'name="id" value="{older.pk}"' not in html


def test_empty_list(client, citizen):
    client.force_login(citizen)

    html = client.get(LIST).content.decode()

    assert unread_items(html) == 0
    assert 'class="empty"' in html


def test_mark_one_read(client, citizen, other_citizen):
    first = notification(citizen)
    second = notification(citizen)
    theirs = notification(other_citizen)
    client.force_login(citizen)

    response = client.post(READ, {"id": [str(first.pk), str(theirs.pk)]})

    assert response.status_code == 302
    assert response.url == LIST
    assert unread_ids(citizen) == {second.pk}
    assert unread_ids(other_citizen) == {theirs.pk}


def test_mark_all_read(client, citizen, other_citizen):
    notification(citizen)
    notification(citizen)
    theirs = notification(other_citizen)
    client.force_login(citizen)

    response = client.post(READ, {"all": "1"})

    assert response.url == LIST
    assert unread_ids(citizen) == set()
    assert unread_ids(other_citizen) == {theirs.pk}


def test_read_ignores_ids_that_are_not_numbers(client, citizen):
    mine = notification(citizen)
    client.force_login(citizen)

    response = client.post(READ, {"id": ["abc", "-1", ""]})

    assert response.status_code == 302
    assert unread_ids(citizen) == {mine.pk}


def test_read_needs_post(client, citizen):
    mine = notification(citizen)
    client.force_login(citizen)

    assert client.get(READ, {"all": "1"}).status_code == 405
    assert unread_ids(citizen) == {mine.pk}


def test_read_returns_to_a_local_page(client, citizen):
    mine = notification(citizen)
    client.force_login(citizen)

    response = client.post(
        READ, {"id": str(mine.pk), "next": mine.message.get_absolute_url()}
    )

    assert response.status_code == 302
    assert response.url == mine.message.get_absolute_url()


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "javascript:alert(1)",
        "evil.example",
    ],
)
def test_read_never_redirects_away(client, citizen, target):
    notification(citizen)
    client.force_login(citizen)

    response = client.post(READ, {"all": "1", "next": target})

    assert response.status_code == 302
    # A path of this site: no scheme, no host, no backslash (browsers read it
    # as "/"). Django sends the backslash escaped: "/%5Cevil.example/".
    assert response.url.startswith("/")
    assert not response.url.startswith("//")
    assert "\\" not in response.url
    assert "evil.example" not in response.url or response.url.startswith("/%5C")
    assert unread_ids(citizen) == set()


def test_read_ignores_an_absolute_next(client, citizen):
    notification(citizen)
    client.force_login(citizen)

    response = client.post(READ, {"all": "1", "next": "https://evil.example/"})

    assert response.url == LIST


def test_bell_shows_the_unread_count(client, citizen, other_citizen):
    notification(citizen)
    notification(citizen)
    notification(citizen, read_at=timezone.now())
    last = notification(citizen, read_at=timezone.now())
    notification(other_citizen)
    client.force_login(citizen)

    html = client.get("/").content.decode()

    assert bell_count(html) == 2
    assert f'data-last-id="{last.pk}"' in html

    client.post(READ, {"all": "1"})
    html = client.get(LIST).content.decode()
    assert bell_count(html) == 0
    assert re.search(r'class="bell-count is-zero"', html)


def test_bell_of_a_user_with_no_notifications(client, citizen, other_citizen):
    notification(other_citizen)
    client.force_login(citizen)

    html = client.get("/").content.decode()

    assert bell_count(html) == 0
    # The socket resumes from the start.
    assert 'data-last-id="0"' in html


def test_no_bell_for_anonymous_visitors(client):
    html = client.get("/").content.decode()

    assert "data-bell-count" not in html


# --- Settings ---


def test_settings_page_shows_the_current_choice(client, citizen):
    NotificationPreference.objects.create(
        user=citizen,
        kind=NotificationKind.MESSAGE_REPLIED,
        channel=NotificationChannel.OFF,
    )
    client.force_login(citizen)

    html = client.get(SETTINGS).content.decode()

    checked = dict(re.findall(r'name="([\w.]+)" value="(\w+)" checked', html))
    assert set(checked) == set(NotificationKind.values)
    assert checked.pop(NotificationKind.MESSAGE_REPLIED) == "off"
    assert set(checked.values()) == {"email"}


def test_settings_save_per_kind(client, citizen, other_citizen):
    choices = {kind: NotificationChannel.EMAIL for kind in NotificationKind.values}
    choices[NotificationKind.MESSAGE_REPLIED] = NotificationChannel.IN_SITE
    choices[NotificationKind.MESSAGE_CLOSED] = NotificationChannel.OFF
    client.force_login(citizen)

    response = client.post(SETTINGS, choices)

    assert response.status_code == 302
    assert response.url == SETTINGS
    saved = dict(
        NotificationPreference.objects.filter(user=citizen).values_list(
            "kind", "channel"
        )
    )
    assert saved == choices
    assert NotificationPreference.objects.filter(user=other_citizen).exists() is False

    # Saving again changes the rows, never adds a second one per kind.
    choices[NotificationKind.MESSAGE_CLOSED] = NotificationChannel.EMAIL
    client.post(SETTINGS, choices)
    assert NotificationPreference.objects.filter(user=citizen).count() == len(choices)
    assert (
        NotificationPreference.objects.get(
            user=citizen, kind=NotificationKind.MESSAGE_CLOSED
        ).channel
        == NotificationChannel.EMAIL
    )


@pytest.mark.parametrize("value", ["sms", "", "OFF"])
def test_settings_refuse_unknown_values(client, citizen, value):
    choices = {kind: NotificationChannel.OFF for kind in NotificationKind.values}
    choices[NotificationKind.MESSAGE_REPLIED] = value
    client.force_login(citizen)

    response = client.post(SETTINGS, choices)

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert NotificationPreference.objects.exists() is False
