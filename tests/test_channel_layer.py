"""The bounded pub/sub channel layer (board/realtime/channel_layer.py): a consumer that
falls behind gets one overflow event instead of an ever-growing backlog, and
its socket closes so the client reconnects and catches up."""

import asyncio
import os
import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from board.lifecycle import MessageStatus
from board.realtime.channel_layer import (
    OVERFLOW_EVENT,
    BoundedRedisPubSubChannelLayer,
    ChannelQueue,
)
from board.realtime.consumers import CLOSE_FELL_BEHIND
from board.realtime.events import message_page_group, user_group
from config.asgi import application
from tests.factories import MessageFactory, UserFactory
from tests.services import require_postgres_and_redis
from tests.test_notification_socket import session_cookie

ORIGIN = (b"origin", b"http://127.0.0.1")


# --- The queue itself ---


def test_queue_holds_up_to_its_capacity_in_order():
    async def scenario():
        queue = ChannelQueue(3, b"overflow")
        for item in (b"a", b"b", b"c"):
            queue.offer(item)
        return [queue.get_nowait() for _ in range(3)], queue.overflowed

    assert async_to_sync(scenario)() == ([b"a", b"b", b"c"], False)


def test_full_queue_trades_its_backlog_for_one_overflow_message():
    async def scenario():
        queue = ChannelQueue(3, b"overflow")
        for item in (b"a", b"b", b"c", b"d", b"e"):
            queue.offer(item)
        return queue.qsize(), queue.get_nowait(), queue.overflowed

    assert async_to_sync(scenario)() == (1, b"overflow", True)


# --- Against a real Redis ---


@pytest.fixture
def redis_layer(db):
    require_postgres_and_redis()
    return BoundedRedisPubSubChannelLayer(
        hosts=[os.environ["REDIS_URL"]],
        prefix=f"test-{uuid.uuid4().hex[:8]}",
        capacity=5,
    )


@pytest.mark.services
def test_redis_layer_delivers_group_messages_in_order(redis_layer):
    async def scenario():
        channel = await redis_layer.new_channel()
        await redis_layer.group_add("page", channel)
        for n in range(5):
            await redis_layer.group_send("page", {"type": "page.update", "n": n})
        received = [
            (await asyncio.wait_for(redis_layer.receive(channel), 5))["n"]
            for _ in range(5)
        ]
        await redis_layer.flush()
        return received

    assert async_to_sync(scenario)() == [0, 1, 2, 3, 4]


@pytest.mark.services
def test_redis_layer_bounds_a_consumer_that_does_not_read(redis_layer):
    async def scenario():
        slow = await redis_layer.new_channel()
        fast = await redis_layer.new_channel()
        for channel in (slow, fast):
            await redis_layer.group_add("page", channel)
        fast_received = []
        for n in range(50):
            await redis_layer.group_send("page", {"type": "page.update", "n": n})
            fast_received.append(
                (await asyncio.wait_for(redis_layer.receive(fast), 5))["n"]
            )
        loop_layer = redis_layer._get_layer()
        backlog = loop_layer.channels[slow].qsize()
        first = await asyncio.wait_for(redis_layer.receive(slow), 5)
        await redis_layer.flush()
        return fast_received, backlog, first

    fast_received, backlog, first = async_to_sync(scenario)()
    assert fast_received == list(range(50))  # the slow one does not hold it up
    assert backlog == 1
    assert first == OVERFLOW_EVENT


@pytest.mark.services
def test_redis_layer_unsubscribes_a_consumer_that_ends(redis_layer):
    async def scenario():
        channel = await redis_layer.new_channel()
        loop_layer = redis_layer._get_layer()
        waiting = asyncio.ensure_future(redis_layer.receive(channel))
        await asyncio.sleep(0.1)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        left = channel in loop_layer.channels
        subscribed = [s._subscribed_to for s in loop_layer._shards]
        await redis_layer.flush()
        return left, subscribed

    left, subscribed = async_to_sync(scenario)()
    assert left is False
    assert subscribed == [set()]


# --- The consumers close, the clients reconnect ---


@pytest.mark.django_db(transaction=True)
def test_notification_socket_closes_when_it_fell_behind():
    user = UserFactory(citizen=True)
    cookie = session_cookie(user)

    async def scenario():
        socket = WebsocketCommunicator(
            application, "/ws/notifications/", headers=[ORIGIN, (b"cookie", cookie)]
        )
        connected, _code = await socket.connect()
        assert connected is True
        await get_channel_layer().group_send(user_group(user.pk), OVERFLOW_EVENT)
        output = await socket.receive_output(timeout=2)
        await socket.wait()
        return output

    assert async_to_sync(scenario)() == {
        "type": "websocket.close",
        "code": CLOSE_FELL_BEHIND,
    }


@pytest.mark.django_db(transaction=True)
def test_message_page_socket_closes_when_it_fell_behind():
    message = MessageFactory(status=MessageStatus.PUBLISHED)

    async def scenario():
        socket = WebsocketCommunicator(
            application, f"/ws/messages/{message.pk}/", headers=[ORIGIN]
        )
        connected, _code = await socket.connect()
        assert connected is True
        await get_channel_layer().group_send(
            message_page_group(message.pk), OVERFLOW_EVENT
        )
        output = await socket.receive_output(timeout=2)
        await socket.wait()
        return output

    assert async_to_sync(scenario)()["code"] == CLOSE_FELL_BEHIND
