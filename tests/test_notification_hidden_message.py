"""A notification about a message its recipient may no longer see does not
show the message's original title: not on the page, in the API, in the
socket's catch-up nor in an email."""

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore

from board.delivery import followers_notify, notification_email_send
from board.lifecycle import MessageStatus
from board.models import Message, MessageFollow, NotificationKind
from config.asgi import application
from moderation.actions import message_hide, message_redact
from tests.factories import MessageFactory
from tests.test_notification_socket import ORIGIN


def session_cookie(user) -> bytes:
    """A logged-in session's cookie (the model backend: the first backend
    listed may be one that only refuses, like axes')."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


SECRET_TITLE = "Secret title of a hidden message"


@pytest.fixture
def followed(citizen, other_citizen):
    """A public message that ``other_citizen`` follows and was told about."""
    message = MessageFactory(author=citizen, title=SECRET_TITLE)
    MessageFollow.objects.create(message=message, user=other_citizen)
    followers_notify(message.pk, NotificationKind.MESSAGE_REPLIED)
    return message


def hide(message, moderator):
    message_hide(message=message, actor=moderator, reason="advertising")
    message.refresh_from_db()


@pytest.mark.django_db
def test_follower_sees_the_title_while_the_message_is_public(
    client, followed, other_citizen
):
    client.force_login(other_citizen)
    assert SECRET_TITLE in client.get("/notifications/").content.decode()


@pytest.mark.django_db
def test_page_shows_a_neutral_title_once_hidden(
    client, followed, other_citizen, moderator
):
    hide(followed, moderator)
    client.force_login(other_citizen)

    page = client.get("/notifications/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert SECRET_TITLE not in page
    assert "Hidden message" in page
    assert followed.reference in page


@pytest.mark.django_db
def test_api_shows_a_neutral_title_once_hidden(
    api_client, followed, other_citizen, moderator
):
    hide(followed, moderator)
    api_client.force_authenticate(other_citizen)

    frames = api_client.get("/api/v1/notifications/", HTTP_ACCEPT_LANGUAGE="en").json()[
        "results"
    ]

    assert [frame["title"] for frame in frames] == ["Hidden message"]
    assert frames[0]["message_id"] == followed.pk


@pytest.mark.django_db
def test_api_shows_the_redacted_title_of_a_redacted_hidden_message(
    api_client, followed, other_citizen, moderator
):
    message_redact(message=followed, actor=moderator, title="Street lamp")
    followed.refresh_from_db()
    hide(followed, moderator)
    api_client.force_authenticate(other_citizen)

    frames = api_client.get("/api/v1/notifications/").json()["results"]

    assert [frame["title"] for frame in frames] == ["Street lamp"]


@pytest.mark.django_db
def test_author_and_moderator_still_read_the_title(
    api_client, followed, citizen, moderator
):
    from board.actions import notify

    notify(recipient=citizen, kind=NotificationKind.MESSAGE_HIDDEN, message=followed)
    notify(recipient=moderator, kind=NotificationKind.MESSAGE_HIDDEN, message=followed)
    hide(followed, moderator)

    for user in (citizen, moderator):
        api_client.force_authenticate(user)
        frames = api_client.get("/api/v1/notifications/").json()["results"]
        assert SECRET_TITLE in [frame["title"] for frame in frames]


@pytest.mark.django_db
def test_email_sent_after_hiding_has_no_title(
    followed, other_citizen, moderator, mailoutbox, settings
):
    settings.LANGUAGE_CODE = "en"
    other_citizen.language = "en"
    other_citizen.save()
    hide(followed, moderator)
    notification = other_citizen.notifications.get()

    assert notification_email_send(notification.pk) is True

    assert SECRET_TITLE not in mailoutbox[0].body
    assert "Hidden message" in mailoutbox[0].body


@pytest.mark.django_db(transaction=True)
def test_socket_catch_up_shows_a_neutral_title_once_hidden(
    citizen, other_citizen, moderator
):
    message = MessageFactory(author=citizen, title=SECRET_TITLE)
    MessageFollow.objects.create(message=message, user=other_citizen)
    followers_notify(message.pk, NotificationKind.MESSAGE_REPLIED)
    # The moderation reasons are migration data, flushed in a transactional
    # test: hide the row directly (the action is tested above).
    Message.objects.filter(pk=message.pk).update(
        status=MessageStatus.HIDDEN, status_before_hidden=message.status
    )
    cookie = session_cookie(other_citizen)

    async def scenario():
        socket = WebsocketCommunicator(
            application,
            "/ws/notifications/",
            headers=[ORIGIN, (b"cookie", cookie), (b"accept-language", b"en")],
        )
        connected, _code = await socket.connect()
        assert connected
        await socket.send_json_to({"type": "resume", "after": 0})
        frame = await socket.receive_json_from(timeout=2)
        await socket.receive_json_from(timeout=2)  # the unread count
        await socket.disconnect()
        return frame

    frame = async_to_sync(scenario)()

    assert frame["type"] == "notification"
    assert frame["message_id"] == message.pk
    assert SECRET_TITLE not in frame["title"]
