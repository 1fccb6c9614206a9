"""A client that stops reading cannot make its worker buffer without limit:
uvicorn's send waits on the full socket, the consumer falls behind, the
channel layer keeps at most CHANNEL_CAPACITY events for it, then the socket
is closed with 4429 so the client reconnects and catches up."""

import asyncio

import pytest
import websockets
from channels.layers import get_channel_layer

from board.lifecycle import MessageStatus
from board.realtime.consumers import CLOSE_FELL_BEHIND
from board.realtime.events import message_page_group
from tests.factories import MessageFactory
from tests.services import free_port, require_postgres_and_redis, uvicorn_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# 3.2 MB in all: more than the sockets' buffers plus the layer's capacity,
# well under Redis's output limit for a subscriber.
EVENTS = 400
PADDING = "x" * 8_000


def test_a_client_that_stops_reading_is_closed_not_buffered():
    require_postgres_and_redis()
    message = MessageFactory(status=MessageStatus.PUBLISHED)
    port = free_port()
    group = message_page_group(message.pk)

    async def scenario():
        async with websockets.connect(
            f"ws://127.0.0.1:{port}/ws/messages/{message.pk}/",
            origin=f"http://127.0.0.1:{port}",
            max_queue=1,  # stop reading from the socket once a frame waits
            max_size=None,
        ) as socket:
            layer = get_channel_layer()
            for n in range(EVENTS):
                payload = {"type": "message", "op": "flood", "n": n, "pad": PADDING}
                await layer.group_send(
                    group, {"type": "message.updated", "payload": payload}
                )
            await asyncio.sleep(2)  # the worker works through what it got
            received = 0
            try:
                while True:
                    await asyncio.wait_for(socket.recv(), 20)
                    received += 1
            except websockets.ConnectionClosed as closed:
                return received, closed.rcvd.code if closed.rcvd else None

    with uvicorn_worker(port):
        received, code = asyncio.run(scenario())
    assert code == CLOSE_FELL_BEHIND
    assert 0 < received < EVENTS  # what the buffers held; the rest was dropped
