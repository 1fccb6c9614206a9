"""A reconnect storm (sockets opening and dropping in bursts, half of them
without a close frame, as after a network blip) leaves no Redis connection,
subscription or group member behind in a real worker process."""

import asyncio
import os
import time

import pytest
import redis
import websockets

from board.lifecycle import MessageStatus
from tests.factories import MessageFactory
from tests.services import asgi_worker, free_port, require_postgres_and_redis

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


async def storm(url: str, origin: str, rounds: int, sockets: int) -> int:
    opened = 0
    for _round in range(rounds):
        batch = await asyncio.gather(
            *[websockets.connect(url, origin=origin) for _ in range(sockets)]
        )
        opened += len(batch)
        for socket in batch[1::2]:
            socket.transport.abort()
        await asyncio.gather(*[socket.close() for socket in batch[::2]])
    return opened


def redis_state(client: redis.Redis) -> tuple[int, int]:
    """Connected clients, and the worker's pub/sub channels."""
    return len(client.client_list()), len(client.pubsub_channels("zhitong*"))


def settled(client: redis.Redis, expected: tuple[int, int], timeout=15.0):
    """Redis's view once the worker has noticed every dropped socket."""
    deadline = time.monotonic() + timeout
    state = redis_state(client)
    while state != expected and time.monotonic() < deadline:
        time.sleep(0.2)
        state = redis_state(client)
    return state


def test_reconnect_storm_leaves_nothing_behind_in_redis():
    require_postgres_and_redis()
    message = MessageFactory(status=MessageStatus.PUBLISHED)
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    port = free_port()
    url = f"ws://127.0.0.1:{port}/ws/messages/{message.pk}/"
    origin = f"http://127.0.0.1:{port}"
    with asgi_worker(port):
        # One socket first, so the worker holds its Redis connections.
        asyncio.run(storm(url, origin, rounds=1, sockets=1))
        time.sleep(1)
        before = redis_state(client)
        assert before[1] == 0  # no subscription outlives its socket

        opened = asyncio.run(storm(url, origin, rounds=3, sockets=100))

        assert opened == 300
        assert settled(client, before) == before
    client.close()
