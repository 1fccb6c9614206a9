"""WebSocket consumers: they authenticate, subscribe and relay; nothing more."""

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .events import message_page_group
from .models import Message


@database_sync_to_async
def is_public_message(message_id: int) -> bool:
    return Message.objects.public().filter(pk=message_id).exists()


class MessagePageConsumer(AsyncJsonWebsocketConsumer):
    """Read-only live updates of one public message page, for every visitor."""

    group_name = None

    async def connect(self):
        message_id = int(self.scope["url_route"]["kwargs"]["message_id"])
        # Private and unreviewed messages have no public channel at all.
        if not await is_public_message(message_id):
            await self.close(code=4404)
            return
        self.group_name = message_page_group(message_id)
        await self.channel_layer.group_add(self.group_name, self.channel_name)
        await self.accept()

    async def disconnect(self, code):
        if self.group_name:
            await self.channel_layer.group_discard(self.group_name, self.channel_name)

    async def receive_json(self, content, **kwargs):
        """The page channel is read-only; whatever a client sends is ignored."""

    async def message_updated(self, event):
        await self.send_json(event["payload"])
