"""The reference for bench/realtime: a bare Channels broadcast, no app logic.

One consumer joins group "bench" and relays what it receives; the benchmark
group_sends one event to it through the same Redis channel layer.
"""

import os

import django
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.routing import ProtocolTypeRouter, URLRouter
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()


class BroadcastConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        await self.channel_layer.group_add("bench", self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        await self.channel_layer.group_discard("bench", self.channel_name)

    async def bench_broadcast(self, event):
        await self.send_json(event["payload"])


application = ProtocolTypeRouter(
    {"websocket": URLRouter([path("ws/bench/", BroadcastConsumer.as_asgi())])}
)
