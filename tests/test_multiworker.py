"""Worker processes on one Redis: a reply made through one (ASGI, or the WSGI
page server) reaches a client connected to another, and a worker restart
loses nothing."""

import asyncio
import json
import urllib.request

import pytest
import websockets
from knox.models import AuthToken

from board.actions import start_handling_clock
from board.lifecycle import MessageStatus
from board.realtime.tickets import ticket_issue
from tests.factories import MessageFactory, OfficialFactory, UserFactory
from tests.services import (
    asgi_worker,
    free_port,
    require_postgres_and_redis,
    wsgi_worker,
)

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def post_reply(port: int, token: str, message_id: int, body: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/messages/{message_id}/replies/",
        data=json.dumps({"body": body, "final": False}).encode(),
        headers={
            "Authorization": f"Token {token}",
            "Content-Type": "application/json",
        },
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
        return response.status


async def receive_notification(socket, timeout=10.0) -> dict:
    while True:
        frame = json.loads(await asyncio.wait_for(socket.recv(), timeout))
        if frame["type"] == "notification":
            return frame


@pytest.fixture
def routed_message():
    require_postgres_and_redis()
    official = OfficialFactory(user=UserFactory(official=True))
    message = MessageFactory(
        addressee_official=official,
        region=official.region,
        status=MessageStatus.ACCEPTED,
    )
    start_handling_clock(message)
    message.save()
    _instance, token = AuthToken.objects.create(user=official.user)
    return message, token


def connect(port: int, user):
    return websockets.connect(
        f"ws://127.0.0.1:{port}/ws/notifications/?ticket={ticket_issue(user=user)}",
        origin=f"http://127.0.0.1:{port}",
    )


@pytest.mark.parametrize(
    "page_server",
    # Production serves pages through gunicorn (WSGI) and sockets through
    # ASGI workers (docs/benchmarks.md); either may take the reply.
    [asgi_worker, wsgi_worker],
    ids=["through-asgi", "through-wsgi"],
)
def test_reply_through_one_worker_reaches_a_client_on_the_other(
    routed_message, page_server
):
    message, token = routed_message
    port_a, port_b = free_port(), free_port()

    async def scenario():
        async with connect(port_a, message.author) as socket:
            await socket.send(json.dumps({"type": "resume", "after": 0}))
            unread = json.loads(await asyncio.wait_for(socket.recv(), 10))
            status = await asyncio.to_thread(
                post_reply, port_b, token, message.pk, "已安排现场核查。"
            )
            frame = await receive_notification(socket)
            return unread, status, frame

    with asgi_worker(port_a), page_server(port_b):
        unread, status, frame = asyncio.run(scenario())
    assert unread == {"type": "unread", "count": 0}
    assert status == 201
    assert frame["kind"] == "message.interim_reply"
    assert frame["message_id"] == message.pk


def test_worker_restart_loses_nothing(routed_message):
    message, token = routed_message
    port_a, port_b = free_port(), free_port()

    async def first_connection():
        async with connect(port_a, message.author) as socket:
            await socket.send(json.dumps({"type": "resume", "after": 0}))
            await asyncio.wait_for(socket.recv(), 10)
            await asyncio.to_thread(
                post_reply, port_b, token, message.pk, "第一次进展。"
            )
            return await receive_notification(socket)

    async def after_restart(last_id):
        async with connect(port_a, message.author) as socket:
            await socket.send(json.dumps({"type": "resume", "after": last_id}))
            frames = []
            while True:
                frame = json.loads(await asyncio.wait_for(socket.recv(), 10))
                if frame["type"] == "unread":
                    return frames, frame
                frames.append(frame)

    with asgi_worker(port_b):
        with asgi_worker(port_a):
            first = asyncio.run(first_connection())
        # Worker A is down: two more notifications happen meanwhile.
        assert post_reply(port_b, token, message.pk, "第二次进展。") == 201
        assert post_reply(port_b, token, message.pk, "第三次进展。") == 201
        with asgi_worker(port_a):
            missed, unread = asyncio.run(after_restart(first["id"]))
    ids = [frame["id"] for frame in missed]
    assert len(ids) == 2
    assert ids == sorted(ids)
    assert ids[0] > first["id"]
    assert unread["count"] == 3
