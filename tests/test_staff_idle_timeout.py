"""Staff (moderators, officials, department staff, admins) are signed out
after ZHITONG_STAFF_IDLE_MINUTES without a request; citizens keep their long
session. The last request's time is in the session; the tests move it back."""

import time

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.backends.cached_db import SessionStore

from board.staff_sessions import LAST_ACTIVITY_KEY
from tests.factories import UserFactory
from tests.test_notification_heartbeat import communicator, run
from tests.test_notification_socket import session_cookie

pytestmark = pytest.mark.django_db

PAGE = "/notifications/"


def idle_for(client, minutes: int) -> None:
    session = client.session
    session[LAST_ACTIVITY_KEY] = int(time.time()) - minutes * 60
    session.save()


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    "user_traits",
    [{"moderator": True}, {"official": True}, {"is_staff": True}],
    ids=["moderator", "official", "admin-site staff"],
)
def test_idle_staff_are_signed_out(client, settings, user_traits):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 30
    client.force_login(UserFactory(**user_traits))
    assert client.get(PAGE).status_code == 200
    assert LAST_ACTIVITY_KEY in client.session
    idle_for(client, 31)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert is_signed_in(client) is False


def test_active_staff_stay_signed_in(client, settings, moderator):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 30
    client.force_login(moderator)
    client.get(PAGE)
    idle_for(client, 29)
    assert client.get(PAGE).status_code == 200
    assert is_signed_in(client) is True


def test_the_limit_comes_from_the_setting(client, settings, moderator):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 5
    client.force_login(moderator)
    client.get(PAGE)
    idle_for(client, 6)
    assert client.get(PAGE).status_code == 302
    assert is_signed_in(client) is False


def test_citizens_keep_their_session(client, settings, citizen):
    settings.ZHITONG_STAFF_IDLE_MINUTES = 30
    client.force_login(citizen)
    client.get(PAGE)
    idle_for(client, 24 * 60)
    assert client.get(PAGE).status_code == 200
    assert is_signed_in(client) is True


def idle_session_cookie(user, idle_minutes: int) -> bytes:
    """A session cookie whose last request was ``idle_minutes`` ago."""
    cookie = session_cookie(user)
    session_key = cookie.decode().split("=", 1)[1]
    session = SessionStore(session_key)
    session[LAST_ACTIVITY_KEY] = int(time.time()) - idle_minutes * 60
    session.save()
    assert cookie.decode().startswith(django_settings.SESSION_COOKIE_NAME)
    return cookie


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("traits", "idle_minutes", "closed"),
    [
        ({"moderator": True}, 31, True),
        ({"moderator": True}, 5, False),
        ({"citizen": True}, 31, False),
    ],
    ids=["idle moderator", "active moderator", "idle citizen"],
)
def test_a_staff_socket_ends_when_the_session_goes_idle(
    settings, traits, idle_minutes, closed
):
    """An open moderation tab does not keep receiving the queue for someone
    who left: the socket checks the session at each heartbeat."""
    settings.ZHITONG_STAFF_IDLE_MINUTES = 30
    settings.ZHITONG_WS_HEARTBEAT_SECONDS = (0.1, 0.2)
    cookie = idle_session_cookie(UserFactory(**traits), idle_minutes)

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        await socket.send_json_to({"type": "resume", "after": 0})
        while True:
            output = await socket.receive_output(timeout=2)
            if output["type"] == "websocket.close":
                return output.get("code")
            if '"ping"' in output.get("text", ""):
                await socket.send_json_to({"type": "pong"})
                await socket.disconnect()
                return None

    assert run(scenario) == (4401 if closed else None)
