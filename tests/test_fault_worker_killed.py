"""An ASGI worker killed under load: its notification clients reconnect to
another worker and catch up, none lost and none twice.

Two workers on the shared PostgreSQL and Redis. Forty signed-in citizens
hold notification sockets on worker A; an official replies to each of
their messages through worker B's API, in three rounds, and A gets SIGKILL
during the second. Each client does what static/js/realtime.js does: on a
dropped socket it waits (backoff with jitter), reconnects (to B, as a load
balancer would send it) and resumes after the last notification id it saw.
"""

import asyncio
import json
import random
import time
from concurrent.futures import ThreadPoolExecutor
from statistics import median

import pytest
import websockets
from knox.models import AuthToken

from board.actions import start_handling_clock
from board.lifecycle import MessageStatus
from board.models import Notification
from tests.factories import MessageFactory, OfficialFactory, UserFactory
from tests.services import asgi_worker, free_port, require_postgres_and_redis
from tests.test_multiworker import post_reply
from tests.test_notification_socket import session_cookie

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

CLIENTS = 40
ROUNDS = 3
WAIT_SECONDS = 20


class NotificationClient:
    """One browser tab's realtime.js: resume by id, reconnect with backoff."""

    def __init__(self, cookie: str):
        self.cookie = cookie
        self.last_id = 0
        # Every notification frame as it arrived, duplicates included.
        self.received: list[int] = []
        self.caught_up: list[int] = []  # sent by the catch-up after reconnect
        self.connections = 0
        self.attempts = 0  # reconnection attempts
        self.dropped_at: float | None = None
        self.resumed_at: float | None = None
        self.socket = None

    async def open(self, port: int):
        socket = await websockets.connect(
            f"ws://127.0.0.1:{port}/ws/notifications/",
            origin=f"http://127.0.0.1:{port}",
            additional_headers={"Cookie": self.cookie},
            open_timeout=10,
        )
        self.connections += 1
        try:
            await socket.send(json.dumps({"type": "resume", "after": self.last_id}))
            while True:  # the catch-up ends with the unread count
                frame = json.loads(await asyncio.wait_for(socket.recv(), 10))
                if frame["type"] == "unread":
                    break
                if frame["type"] == "notification" and self.connections > 1:
                    self.caught_up.append(frame["id"])
                await self.handle(frame, socket)
        except BaseException:
            await socket.close()
            raise
        self.socket = socket

    async def handle(self, frame: dict, socket) -> None:
        if frame["type"] == "notification":
            self.received.append(frame["id"])
            self.last_id = max(self.last_id, frame["id"])
        elif frame["type"] == "ping":
            await socket.send(json.dumps({"type": "pong"}))

    async def run(self, reconnect_port: int) -> None:
        """Read until the socket drops, then reconnect as realtime.js does."""
        while True:
            try:
                async for raw in self.socket:
                    await self.handle(json.loads(raw), self.socket)
            except websockets.ConnectionClosed:
                pass
            self.dropped_at = time.monotonic()
            attempt = 0
            while True:
                attempt += 1
                base = min(30.0, 0.5 * 2**attempt)
                await asyncio.sleep(base / 2 + random.random() * base / 2)
                self.attempts += 1
                try:
                    await self.open(reconnect_port)
                    break
                except (
                    OSError,
                    TimeoutError,
                    websockets.InvalidHandshake,
                    websockets.ConnectionClosed,
                ):
                    continue
            self.resumed_at = time.monotonic()


async def post_round(port: int, token: str, message_ids: list[int], text: str):
    """One reply to every message through the worker's API, four at a time."""
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(4) as pool:
        statuses = await asyncio.gather(
            *(
                loop.run_in_executor(pool, post_reply, port, token, pk, text)
                for pk in message_ids
            )
        )
    assert statuses == [201] * len(message_ids)


async def wait_until(condition, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await asyncio.sleep(0.1)
    return condition()


def test_killed_worker_clients_reconnect_and_catch_up_exactly_once():
    require_postgres_and_redis()
    official = OfficialFactory(user=UserFactory(official=True))
    citizens, message_ids = [], []
    for _ in range(CLIENTS):
        citizen = UserFactory(citizen=True)
        message = MessageFactory(
            author=citizen,
            addressee_official=official,
            region=official.region,
            status=MessageStatus.ACCEPTED,
        )
        start_handling_clock(message)
        message.save()
        citizens.append(citizen)
        message_ids.append(message.pk)
    _instance, token = AuthToken.objects.create(user=official.user)
    clients = [NotificationClient(session_cookie(c).decode()) for c in citizens]
    port_a, port_b = free_port(), free_port()
    env = {"RATE_LIMITS": "off"}  # 120 replies by one official

    async def scenario(worker_a):
        await asyncio.gather(*(client.open(port_a) for client in clients))
        readers = [asyncio.create_task(client.run(port_b)) for client in clients]
        try:
            await post_round(port_b, token, message_ids, "第一轮进展。")
            assert await wait_until(
                lambda: all(len(c.received) >= 1 for c in clients), WAIT_SECONDS
            )
            # Round two: worker A dies a moment after it starts.
            second = asyncio.create_task(
                post_round(port_b, token, message_ids, "第二轮进展。")
            )
            await asyncio.sleep(0.2)
            killed_at = time.monotonic()
            worker_a.kill()
            await second
            assert await wait_until(
                lambda: all(c.resumed_at for c in clients), WAIT_SECONDS
            ), "not every client reconnected"
            await post_round(port_b, token, message_ids, "第三轮进展。")
            await wait_until(
                lambda: all(len(c.received) >= ROUNDS for c in clients), WAIT_SECONDS
            )
            await asyncio.sleep(0.5)  # room for a late duplicate to show
            return killed_at
        finally:
            for reader in readers:
                reader.cancel()
            await asyncio.gather(*readers, return_exceptions=True)
            await asyncio.gather(
                *(c.socket.close() for c in clients if c.socket),
                return_exceptions=True,
            )

    started = time.monotonic()
    with asgi_worker(port_b, env), asgi_worker(port_a, env) as worker_a:
        killed_at = asyncio.run(scenario(worker_a))
    elapsed = time.monotonic() - started

    expected = {
        citizen.pk: list(
            Notification.objects.filter(recipient=citizen)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for citizen in citizens
    }
    total = sum(len(ids) for ids in expected.values())
    received = sum(len(c.received) for c in clients)
    lost = sum(
        len(set(expected[u.pk]) - set(c.received))
        for u, c in zip(citizens, clients, strict=True)
    )
    duplicates = sum(len(c.received) - len(set(c.received)) for c in clients)
    caught_up = sum(len(c.caught_up) for c in clients)
    attempts = sum(c.attempts for c in clients)
    reconnects = sorted(c.resumed_at - c.dropped_at for c in clients)
    after_kill = sorted(c.resumed_at - killed_at for c in clients)
    print(
        f"\n{CLIENTS} clients, {total} notifications ({ROUNDS} per client): "
        f"{received} received, {lost} lost, {duplicates} duplicates, "
        f"{caught_up} delivered by the catch-up after reconnecting; "
        f"{attempts} reconnection attempts; "
        f"reconnect (drop noticed → caught up on B) min "
        f"{reconnects[0]:.2f} s, median {median(reconnects):.2f} s, max "
        f"{reconnects[-1]:.2f} s; from the kill: max {after_kill[-1]:.2f} s; "
        f"whole run {elapsed:.1f} s"
    )
    assert total == CLIENTS * ROUNDS
    for citizen, client in zip(citizens, clients, strict=True):
        # Each notification once, in id order, across both connections.
        assert client.received == expected[citizen.pk]
        assert client.connections >= 2
    assert lost == duplicates == 0
    assert after_kill[-1] < WAIT_SECONDS
