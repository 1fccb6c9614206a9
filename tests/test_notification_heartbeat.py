"""/ws/notifications/: application-level heartbeats, and clients that send
nonsense. A client that answers pings stays; one that does not is closed with
4408; garbage is ignored without closing the socket."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
from channels.testing import WebsocketCommunicator

from board.lifecycle import MessageStatus
from config.asgi import application
from tests.factories import MessageFactory
from tests.test_notification_socket import communicator, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

FAST_HEARTBEAT = (0.2, 0.3)


def run(coroutine_function):
    """Run a scenario on an event loop of its own, in a thread of its own.

    Not async_to_sync: after a browser test in the same process, Playwright's
    sync API keeps an event loop running in the main thread, where
    async_to_sync refuses to work.
    """
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function()).result()


async def receive_until_unread(socket, *, answer_pings=False, timeout=2):
    """Frames up to and including the next ``unread`` one; pings answered."""
    frames = []
    while True:
        frame = await socket.receive_json_from(timeout=timeout)
        if frame == {"type": "ping"}:
            if answer_pings:
                await socket.send_json_to({"type": "pong"})
            continue
        frames.append(frame)
        if frame["type"] == "unread":
            return frames


def test_answered_pings_keep_the_socket_open(citizen, settings):
    settings.ZHITONG_WS_HEARTBEAT_SECONDS = FAST_HEARTBEAT
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        pings = 0
        # Four rounds: 0.8–1.2 s, several times the longest interval.
        while pings < 4:
            frame = await socket.receive_json_from(timeout=2)
            assert frame == {"type": "ping"}
            pings += 1
            await socket.send_json_to({"type": "pong"})
        # Still open and still answering.
        await socket.send_json_to({"type": "resume", "after": 0})
        frames = await receive_until_unread(socket, answer_pings=True)
        await socket.disconnect()
        return pings, frames

    pings, frames = run(scenario)
    assert pings == 4
    assert frames == [{"type": "unread", "count": 0}]


def test_unanswered_ping_closes_the_socket_with_4408(citizen, settings):
    settings.ZHITONG_WS_HEARTBEAT_SECONDS = FAST_HEARTBEAT
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        ping = await socket.receive_json_from(timeout=2)
        # No pong: by the next beat (0.2–0.3 s later) the server gives up.
        closed = await socket.receive_output(timeout=2)
        await socket.wait()
        return ping, closed

    ping, closed = run(scenario)
    assert ping == {"type": "ping"}
    assert closed == {"type": "websocket.close", "code": 4408}


def test_a_late_pong_only_counts_for_the_ping_before_it(citizen, settings):
    """Pongs answered on time for a while, then silence: closed with 4408."""
    settings.ZHITONG_WS_HEARTBEAT_SECONDS = FAST_HEARTBEAT
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        for _ in range(2):
            assert await socket.receive_json_from(timeout=2) == {"type": "ping"}
            await socket.send_json_to({"type": "pong"})
        assert await socket.receive_json_from(timeout=2) == {"type": "ping"}
        closed = await socket.receive_output(timeout=2)
        await socket.wait()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": 4408}


GARBAGE_TEXT = [
    "this is not JSON",
    "{",
    "[1, 2, 3]",
    '"resume"',
    "42",
    "null",
    '{"type": "bogus"}',
    '{"type": ["resume"]}',
    '{"type": {"resume": 1}}',
    '{"no_type": true}',
    '{"type": "ping"}',
    '{"type": "notification", "id": 999999}',
    # Nested too deep for the JSON decoder, yet under the frame size cap
    # (a larger frame closes the socket: test_notification_socket_input).
    "[" * 4000,
]


def test_garbage_from_the_client_is_ignored_without_closing(citizen):
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        for text in GARBAGE_TEXT:
            await socket.send_to(text_data=text)
        await socket.send_to(bytes_data=b"\x00\xff binary")
        # Nothing came back for any of it, and the socket still works: the
        # first frame after the garbage is the answer to a proper resume.
        await socket.send_json_to({"type": "resume", "after": 0})
        frames = await receive_until_unread(socket)
        await socket.disconnect()
        return frames

    assert run(scenario) == [{"type": "unread", "count": 0}]


@pytest.mark.parametrize(
    "after",
    ['"abc"', '"1.5"', "[1]", '{"id": 1}', "Infinity", "-Infinity", "NaN", "1e999"],
)
def test_resume_with_a_non_integer_after_is_an_error(citizen, after):
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        connected, _code = await socket.connect()
        assert connected
        await socket.send_to(text_data=f'{{"type": "resume", "after": {after}}}')
        error = await socket.receive_json_from(timeout=2)
        # The socket stays open and a proper resume still works.
        await socket.send_json_to({"type": "resume", "after": 0})
        frames = await receive_until_unread(socket)
        await socket.disconnect()
        return error, frames

    error, frames = run(scenario)
    assert error == {"type": "error", "field": "after"}
    assert frames == [{"type": "unread", "count": 0}]


def test_public_page_socket_ignores_garbage_too():
    message = MessageFactory(status=MessageStatus.PUBLISHED)

    async def scenario():
        socket = WebsocketCommunicator(
            application,
            f"/ws/messages/{message.pk}/",
            headers=[(b"origin", b"http://127.0.0.1")],
        )
        connected, _code = await socket.connect()
        assert connected
        for text in GARBAGE_TEXT:
            await socket.send_to(text_data=text)
        await socket.send_to(bytes_data=b"\x00\xff binary")
        nothing = await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()
        return nothing

    assert run(scenario) is True
