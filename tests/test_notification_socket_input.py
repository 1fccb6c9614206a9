"""Hostile frames on /ws/notifications/: impossible ids get an error frame,
an oversized frame closes with 1009, a flood closes with 1008; none of them
crashes the consumer into 1011 (docs/security.md, "Input robustness")."""

import pytest
from channels.testing import WebsocketCommunicator

from board.models import Notification, NotificationKind
from config.asgi import application
from tests.factories import MessageFactory
from tests.test_notification_socket import communicator, run, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

HUGE = 2**70
# The close codes docs/security.md documents: "message too big" and
# "policy violation".
CLOSE_FRAME_TOO_LARGE = 1009
CLOSE_TOO_MANY_FRAMES = 1008


async def resumed(cookie) -> WebsocketCommunicator:
    socket = communicator(cookie=cookie)
    connected, _code = await socket.connect()
    assert connected
    await socket.send_json_to({"type": "resume", "after": 0})
    # Catch-up frames, then the unread count.
    while (await socket.receive_json_from(timeout=2))["type"] != "unread":
        pass
    return socket


@pytest.mark.parametrize("ids", [[HUGE], [1, HUGE], [0], [-5], [1.5], ["1"]])
def test_read_frame_with_an_impossible_id_is_an_error_frame(citizen, ids):
    cookie = session_cookie(citizen)

    async def scenario():
        socket = await resumed(cookie)
        await socket.send_json_to({"type": "read", "ids": ids})
        error = await socket.receive_json_from(timeout=2)
        # Still open and serving.
        await socket.send_json_to({"type": "resume", "after": 0})
        unread = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return error, unread

    error, unread = run(scenario)
    assert error == {"type": "error", "field": "ids"}
    assert unread["type"] == "unread"


@pytest.mark.parametrize("after", ["³", "²⁵", -1, True, 1.5, [1]])
def test_resume_after_no_whole_number_is_an_error_frame(citizen, after):
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": after})
        error = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return error

    assert run(scenario) == {"type": "error", "field": "after"}


@pytest.mark.parametrize("after", [HUGE, str(HUGE)])
def test_resume_after_every_id_catches_up_nothing(citizen, after):
    cookie = session_cookie(citizen)
    Notification.objects.create(
        recipient=citizen,
        kind=NotificationKind.MESSAGE_APPROVED,
        message=MessageFactory(author=citizen),
    )

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        await socket.send_json_to({"type": "resume", "after": after})
        frame = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return frame

    assert run(scenario) == {"type": "unread", "count": 1}


def test_read_frame_with_good_ids_still_marks_read(citizen):
    cookie = session_cookie(citizen)
    notification = Notification.objects.create(
        recipient=citizen,
        kind=NotificationKind.MESSAGE_APPROVED,
        message=MessageFactory(author=citizen),
    )

    async def scenario():
        socket = await resumed(cookie)
        await socket.send_json_to({"type": "read", "ids": [notification.pk]})
        frame = await socket.receive_json_from(timeout=2)
        await socket.disconnect()
        return frame

    assert run(scenario) == {"type": "unread", "count": 0}


def test_an_oversized_frame_closes_with_1009(citizen, settings):
    cookie = session_cookie(citizen)
    frame = (
        '{"type": "pong", "pad": "' + "x" * settings.ZHITONG_WS_MAX_FRAME_BYTES + '"}'
    )

    async def scenario():
        socket = await resumed(cookie)
        await socket.send_to(text_data=frame)
        closed = await socket.receive_output(timeout=2)
        await socket.wait()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": CLOSE_FRAME_TOO_LARGE}


def test_a_flood_of_frames_closes_with_1008(citizen, settings):
    settings.ZHITONG_WS_FRAME_RATE = (5, 0.001)
    cookie = session_cookie(citizen)

    async def scenario():
        socket = communicator(cookie=cookie)
        await socket.connect()
        for _ in range(6):
            await socket.send_json_to({"type": "pong"})
        closed = await socket.receive_output(timeout=2)
        await socket.wait()
        return closed

    assert run(scenario) == {"type": "websocket.close", "code": CLOSE_TOO_MANY_FRAMES}


def test_deeply_nested_frame_is_dropped_without_closing(citizen):
    cookie = session_cookie(citizen)

    async def scenario():
        socket = await resumed(cookie)
        await socket.send_to(text_data="[" * 2000 + "]" * 2000)
        nothing = await socket.receive_nothing(timeout=0.3)
        await socket.disconnect()
        return nothing

    assert run(scenario) is True


def test_message_page_socket_with_an_id_no_column_holds_closes_4404():
    async def scenario():
        socket = WebsocketCommunicator(
            application,
            f"/ws/messages/{HUGE}/",
            headers=[(b"origin", b"http://127.0.0.1")],
        )
        connected, code = await socket.connect()
        return connected, code

    assert run(scenario) == (False, 4404)
