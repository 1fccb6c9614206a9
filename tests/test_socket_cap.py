"""At most ZHITONG_MAX_SOCKETS_PER_USER notification sockets per account; the
next is closed with 4409, and a closed socket gives its place back."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client

from board.realtime.consumers import CLOSE_TOO_MANY_SOCKETS
from board.realtime.presence import _presence_key
from tests.factories import UserFactory
from tests.test_notification_socket import communicator, run

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user) -> bytes:
    """The session cookie of a signed-in browser (the test client picks a
    backend that can load the user)."""
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return f"{name}={client.cookies[name].value}".encode()


@pytest.fixture
def capped(settings):
    settings.ZHITONG_RATE_LIMITS_ENABLED = True
    settings.ZHITONG_MAX_SOCKETS_PER_USER = 2


def test_the_socket_beyond_the_cap_is_closed(capped):
    user = UserFactory(citizen=True)
    other = UserFactory(citizen=True)
    cookie, other_cookie = session_cookie(user), session_cookie(other)
    cache.delete_many([_presence_key(user.pk), _presence_key(other.pk)])

    async def scenario():
        first, second, third = (communicator(cookie=cookie) for _ in range(3))
        assert (await first.connect())[0]
        assert (await second.connect())[0]
        connected, _ = await third.connect()
        assert connected
        closed = await third.receive_output(timeout=2)
        assert closed == {"type": "websocket.close", "code": CLOSE_TOO_MANY_SOCKETS}
        # The server then tells the consumer the socket is gone.
        await third.disconnect()
        # Another account has places of its own.
        elsewhere = communicator(cookie=other_cookie)
        assert (await elsewhere.connect())[0]
        # A closed socket gives its place back.
        await first.disconnect()
        again = communicator(cookie=cookie)
        assert (await again.connect())[0]
        assert await again.receive_nothing(timeout=0.2)
        for socket in (second, elsewhere, again):
            await socket.disconnect()

    try:
        run(scenario)
        # Every place is given back, the refused socket's too.
        assert not cache.get(_presence_key(user.pk))
    finally:
        cache.delete_many([_presence_key(user.pk), _presence_key(other.pk)])


def test_rate_limits_off_lifts_the_cap(capped, settings):
    settings.ZHITONG_RATE_LIMITS_ENABLED = False
    user = UserFactory(citizen=True)
    cookie = session_cookie(user)
    cache.delete(_presence_key(user.pk))

    async def scenario():
        sockets = [communicator(cookie=cookie) for _ in range(4)]
        for socket in sockets:
            assert (await socket.connect())[0]
        for socket in sockets:
            assert await socket.receive_nothing(timeout=0.1)
        for socket in sockets:
            await socket.disconnect()

    try:
        run(scenario)
    finally:
        cache.delete(_presence_key(user.pk))
