"""The production channel layer: channels-redis's pub/sub layer, bounded.

``RedisPubSubChannelLayer`` delivered follower notifications about twice as
fast as ``RedisChannelLayer`` in bench/realtime (docs/benchmarks.md), with
two Redis connections per worker however many sockets it serves: it streams
messages as Redis publishes them, where the core layer pops a worker's inbox
one message per round trip. But it queues a consumer's messages in an
unbounded ``asyncio.Queue``, so one client that stops reading (its socket's
send buffer full, the consumer blocked in ``send``) would grow its worker's
memory without limit. This subclass gives each consumer's queue a capacity.
A consumer that falls that far behind receives one ``channel.overflow``
message in place of its backlog and closes its socket: the browser client
reconnects and catches up from the database (notifications by id, the
message page by re-reading it), so nothing is lost, and the worker's memory
stays bounded.

It relies on two hooks of channels-redis 4.x (``_subscribe_to_channel`` and
the shard's ``_receive_message``); pyproject.toml keeps channels-redis below
4.4, and tests/test_channel_layer.py and tests/test_slow_client.py exercise
both against a real Redis.
"""

import asyncio
import logging

from channels_redis.pubsub import (
    RedisPubSubChannelLayer,
    RedisPubSubLoopLayer,
    RedisSingleShardConnection,
)
from channels_redis.utils import _wrap_close, decode_hosts

logger = logging.getLogger(__name__)

OVERFLOW_EVENT = {"type": "channel.overflow"}


class ChannelQueue(asyncio.Queue):
    """One consumer's inbox, holding at most ``capacity`` messages."""

    def __init__(self, capacity: int, overflow_message: bytes):
        super().__init__()
        self.capacity = capacity
        self.overflow_message = overflow_message
        self.overflowed = False

    def offer(self, data: bytes) -> None:
        if self.overflowed:
            return  # its consumer is closing; it will catch up on reconnect
        if self.qsize() < self.capacity:
            self.put_nowait(data)
            return
        # Fallen behind: free the backlog now and tell the consumer.
        while not self.empty():
            self.get_nowait()
        self.overflowed = True
        self.put_nowait(self.overflow_message)


class BoundedShardConnection(RedisSingleShardConnection):
    def _receive_message(self, message):
        if message is None:
            return
        name, data = message["channel"], message["data"]
        if isinstance(name, bytes):
            name = name.decode()
        layer = self.channel_layer
        if name in layer.channels:
            layer.deliver(name, data)
        elif name in layer.groups:
            for channel in layer.groups[name]:
                layer.deliver(channel, data)


class BoundedPubSubLoopLayer(RedisPubSubLoopLayer):
    def __init__(self, hosts=None, capacity=100, **kwargs):
        super().__init__(hosts=hosts, **kwargs)
        self.capacity = capacity
        self._overflow_message = self.channel_layer.serialize(OVERFLOW_EVENT)
        self._shards = [
            BoundedShardConnection(host, self) for host in decode_hosts(hosts)
        ]

    async def _subscribe_to_channel(self, channel):
        self.channels[channel] = ChannelQueue(self.capacity, self._overflow_message)
        await self._get_shard(channel).subscribe(channel)

    def deliver(self, channel: str, data: bytes) -> None:
        queue = self.channels.get(channel)
        if queue is None:
            return
        was_overflowed = queue.overflowed
        queue.offer(data)
        if queue.overflowed and not was_overflowed:
            logger.warning(
                "Channel %s fell %d messages behind", channel, queue.capacity
            )


class BoundedRedisPubSubChannelLayer(RedisPubSubChannelLayer):
    """``RedisPubSubChannelLayer`` with ``capacity`` messages per consumer."""

    def _get_layer(self):
        loop = asyncio.get_running_loop()
        try:
            return self._layers[loop]
        except KeyError:
            layer = BoundedPubSubLoopLayer(
                *self._args, **self._kwargs, channel_layer=self
            )
            self._layers[loop] = layer
            _wrap_close(self, loop)
            return layer
