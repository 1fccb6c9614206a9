"""A socket's user and roles are fixed at connect time: removing a role (a
group change on either side of the relation) or deactivating the user ends
that user's open sockets, moderation-queue membership included."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.cached_db import SessionStore
from django.db import transaction

from board.realtime.events import queue_changed
from board.roles import Role
from tests.factories import PendingMessageFactory, UserFactory
from tests.test_notification_socket import communicator


def session_cookie(user) -> bytes:
    """A logged-in session's cookie (the model backend: the first backend
    listed may be one that only refuses, like axes')."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


pytestmark = pytest.mark.django_db(transaction=True)

CLOSED = {"type": "websocket.close", "code": 4403}


def connected_moderator_scenario(change, after_change=None):
    moderator = UserFactory(moderator=True)
    cookie = session_cookie(moderator)
    message = PendingMessageFactory()

    def push_queue_frame():
        with transaction.atomic():
            queue_changed(message, "arrived")

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        # Connected as a moderator: the queue's frames arrive.
        await database_sync_to_async(push_queue_frame)()
        before = await socket.receive_json_from(timeout=2)
        await database_sync_to_async(change)(moderator)
        closed = await socket.receive_output(timeout=5)
        await database_sync_to_async(push_queue_frame)()
        after = await socket.receive_nothing(timeout=0.5)
        return before, closed, after

    return async_to_sync(scenario)()


def remove_from_user(user):
    with transaction.atomic():
        user.groups.remove(Group.objects.get(name=Role.MODERATOR))


def remove_from_group(user):
    with transaction.atomic():
        Group.objects.get(name=Role.MODERATOR).user_set.remove(user)


def clear_groups(user):
    with transaction.atomic():
        user.groups.clear()


def clear_group(user):
    with transaction.atomic():
        Group.objects.get(name=Role.MODERATOR).user_set.clear()


def deactivate(user):
    with transaction.atomic():
        user.is_active = False
        user.save()


@pytest.mark.parametrize(
    "change",
    [remove_from_user, remove_from_group, clear_groups, clear_group, deactivate],
)
def test_losing_the_role_closes_the_socket_and_the_queue(change):
    before, closed, after = connected_moderator_scenario(change)

    assert before["type"] == "queue"
    assert closed == CLOSED
    assert after is True


def test_a_role_added_does_not_close_the_socket():
    user = UserFactory(citizen=True)
    cookie = session_cookie(user)

    def grant(user):
        with transaction.atomic():
            user.groups.add(Group.objects.get_or_create(name=Role.HANDLER)[0])

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        await database_sync_to_async(grant)(user)
        nothing = await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True


def test_another_users_role_change_leaves_the_socket_open():
    moderator = UserFactory(moderator=True)
    other = UserFactory(moderator=True)
    cookie = session_cookie(moderator)

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        await database_sync_to_async(remove_from_user)(other)
        nothing = await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()
        return nothing

    assert async_to_sync(scenario)() is True
