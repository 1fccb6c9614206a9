"""/ws/notifications/: auth (session or ticket), resume, read marking, revoking."""

import time

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django.core.cache import cache

from board.actions import notify
from board.models import Notification, NotificationKind
from board.realtime.tickets import ticket_issue
from config.asgi import application
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://127.0.0.1")


def session_cookie(user) -> bytes:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


def communicator(path="/ws/notifications/", cookie=None, origin=ORIGIN):
    headers = [origin]
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(application, path, headers=headers)


def run(coroutine_function):
    return async_to_sync(coroutine_function)()


def make_notifications(user, count):
    message = MessageFactory(author=user)
    return [
        notify(recipient=user, kind=NotificationKind.MESSAGE_APPROVED, message=message)
        for _ in range(count)
    ]


def test_anonymous_connection_is_refused():
    async def scenario():
        socket = communicator()
        connected, code = await socket.connect()
        return connected, code

    assert run(scenario) == (False, 4401)


def test_foreign_origin_is_refused(citizen):
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(
            cookie=cookie, origin=(b"origin", b"https://evil.example")
        )
        connected, _code = await socket.connect()
        return connected

    assert run(scenario) is False


def test_session_user_resumes_without_gap_or_duplicate(citizen):
    cookie = session_cookie(citizen)
    first, second, third = make_notifications(citizen, 3)

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        # A live notification arrives before the client says where it was.
        await database_sync_to_async(make_notifications)(citizen, 1)
        await socket.send_json_to({"type": "resume", "after": first.pk})
        frames = []
        while True:
            frame = await socket.receive_json_from(timeout=2)
            frames.append(frame)
            if frame["type"] == "unread":
                break
        await socket.disconnect()
        return frames

    frames = run(scenario)
    ids = [frame["id"] for frame in frames if frame["type"] == "notification"]
    expected = list(
        Notification.objects.filter(recipient=citizen, pk__gt=first.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assert ids == expected
    assert len(ids) == 3
    assert frames[0]["kind"] == "message.approved"
    assert set(frames[0]) >= {"type", "id", "kind", "message_id", "title", "created"}
    assert frames[-1] == {"type": "unread", "count": 4}


def test_live_notification_after_resume(citizen, django_capture_on_commit_callbacks):
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": 0})
        assert (await socket.receive_json_from(timeout=2))["type"] == "unread"
        created = await database_sync_to_async(make_notifications)(citizen, 1)
        frame = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return created[0], frame

    created, frame = run(scenario)
    assert frame["id"] == created.pk
    assert frame["type"] == "notification"


def test_nobody_receives_another_users_notifications(citizen, other_citizen):
    cookie = session_cookie(other_citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": 0})
        unread = await socket.receive_json_from(timeout=2)
        await database_sync_to_async(make_notifications)(citizen, 2)
        nothing = await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()
        return unread, nothing

    unread, nothing = run(scenario)
    assert unread == {"type": "unread", "count": 0}
    assert nothing is True


def test_read_frame_marks_read(citizen):
    cookie = session_cookie(citizen)
    first, second = make_notifications(citizen, 2)

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": second.pk})
        await socket.receive_json_from(timeout=2)
        await socket.send_json_to({"type": "read", "ids": [first.pk]})
        frame = await socket.receive_json_from(timeout=2)
        await socket.send_json_to({"type": "read", "ids": "nonsense"})
        error = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return frame, error

    frame, error = run(scenario)
    assert frame == {"type": "unread", "count": 1}
    assert error == {"type": "error", "field": "ids"}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_ticket_authenticates_once(citizen):
    ticket = ticket_issue(user=citizen)

    async def scenario():
        first = communicator(f"/ws/notifications/?ticket={ticket}")
        connected_first, _code = await first.connect()
        second = communicator(f"/ws/notifications/?ticket={ticket}")
        connected_second, _code = await second.connect()
        await first.disconnect()
        return connected_first, connected_second

    assert run(scenario) == (True, False)


def test_ticket_expires(citizen, settings):
    settings.ZHITONG_WS_TICKET_SECONDS = 1
    ticket = ticket_issue(user=citizen)
    time.sleep(1.2)

    async def scenario():
        socket = communicator(f"/ws/notifications/?ticket={ticket}")
        connected, code = await socket.connect()
        return connected, code

    assert run(scenario) == (False, 4401)


def test_unknown_ticket_is_refused():
    async def scenario():
        socket = communicator("/ws/notifications/?ticket=forged")
        connected, _code = await socket.connect()
        return connected

    assert run(scenario) is False


def test_password_change_closes_the_users_sockets(citizen):
    cookie = session_cookie(citizen)

    def change_password():
        from django.db import transaction

        with transaction.atomic():
            citizen.set_password("Another-Passw0rd!")
            citizen.save()

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": 0})
        await socket.receive_json_from(timeout=2)
        await database_sync_to_async(change_password)()
        return await socket.receive_output(timeout=5)

    closed = run(scenario)
    assert closed == {"type": "websocket.close", "code": 4403}


def test_deactivation_closes_the_users_sockets():
    user = UserFactory(citizen=True)
    cookie = session_cookie(user)

    def deactivate():
        user.is_active = False
        user.save()

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        await database_sync_to_async(deactivate)()
        return await socket.receive_output(timeout=5)

    assert run(scenario) == {"type": "websocket.close", "code": 4403}


def test_logout_closes_the_sessions_sockets(client, citizen):
    client.force_login(citizen)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.session.session_key}".encode()

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        await database_sync_to_async(client.post)("/accounts/logout/")
        return await socket.receive_output(timeout=5)

    assert run(scenario) == {"type": "websocket.close", "code": 4403}


def test_presence_is_counted_while_connected(citizen):
    cookie = session_cookie(citizen)
    from board.realtime.presence import is_online

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        online = await database_sync_to_async(is_online)(citizen.pk)
        await socket.disconnect()
        offline = await database_sync_to_async(is_online)(citizen.pk)
        return online, offline

    cache.delete(f"presence:{citizen.pk}")
    assert run(scenario) == (True, False)
