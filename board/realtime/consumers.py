"""WebSocket consumers: they authenticate, subscribe and relay; no writes
except marking notifications read, which goes through the same function as
the API."""

import asyncio
import random
import time

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from board import selectors
from board.actions import notifications_mark_read
from board.ids import parse_after, parse_id
from board.models import Message
from board.ratelimits import socket_over_cap
from board.realtime import presence
from board.roles import is_moderator, is_staff_member
from board.second_factor import needs_second_factor_setup
from board.staff_sessions import session_key_is_idle

from .events import (
    MODERATION_QUEUE_GROUP,
    message_page_group,
    session_group,
    user_group,
)

# Frames buffered while a client has not said where to resume from.
MAX_BUFFERED = 200


# Close code for a socket whose client fell too far behind (see
# board/realtime/channel_layer.py): the client reconnects and catches up.
CLOSE_FELL_BEHIND = 4429
# Close code for a notification socket beyond the account's cap
# (ZHITONG_MAX_SOCKETS_PER_USER, board/ratelimits.py).
CLOSE_TOO_MANY_SOCKETS = 4409
# Close code for a staff session gone idle (board/staff_sessions.py): the
# page's next request signs the user out and says why.
CLOSE_SESSION_IDLE = 4401
# Close code for staff who have no second factor yet (board/second_factor.py).
CLOSE_SECOND_FACTOR_REQUIRED = 4403
# Close codes for a client that breaks the frame caps (docs/security.md,
# "Input robustness"): the standard "message too big" and "policy violation".
CLOSE_FRAME_TOO_LARGE = 1009
CLOSE_TOO_MANY_FRAMES = 1008
# The most notification ids one read frame may carry.
MAX_READ_IDS = 1000


class FrameBudget:
    """A token bucket: ``burst`` frames at once, refilled at ``per_second``."""

    def __init__(self, burst: int, per_second: float):
        self.burst = burst
        self.per_second = per_second
        self.tokens = float(burst)
        self.updated = time.monotonic()

    def take(self) -> bool:
        """Spend one frame; False when the budget is spent."""
        now = time.monotonic()
        elapsed = now - self.updated
        self.tokens = min(self.burst, self.tokens + elapsed * self.per_second)
        self.updated = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class RelayConsumer(AsyncJsonWebsocketConsumer):
    """What both consumers share: they relay channel-layer events to the
    socket, drop malformed client frames, and close when they fall behind."""

    async def dispatch(self, message):
        # Channels 4.2+ hops into the one sync thread before every handler to
        # close stale database connections. These handlers reach the database
        # only through database_sync_to_async, which does that itself, so the
        # hop is pure cost: a broadcast to 1,000 viewers queued 1,000 hops
        # behind whatever request that thread was serving (bench/realtime).
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        """A frame that is not JSON text (binary, malformed, absurdly nested)
        is dropped; it must not crash the consumer and so close the socket.

        A frame over the size cap closes the socket with 1009, and a client
        sending faster than its frame budget with 1008 (docs/security.md).
        """
        budget = getattr(self, "frame_budget", None)
        if budget is None:
            burst, per_second = settings.ZHITONG_WS_FRAME_RATE
            budget = self.frame_budget = FrameBudget(burst, per_second)
        if not budget.take():
            await self.close(code=CLOSE_TOO_MANY_FRAMES)
            return
        size = len(text_data.encode()) if text_data else len(bytes_data or b"")
        if size > settings.ZHITONG_WS_MAX_FRAME_BYTES:
            await self.close(code=CLOSE_FRAME_TOO_LARGE)
            return
        if not text_data:
            return
        try:
            content = await self.decode_json(text_data)
        except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
            return
        await self.receive_json(content, **kwargs)

    async def channel_overflow(self, event):
        """The channel layer dropped this consumer's backlog."""
        await self.close(code=CLOSE_FELL_BEHIND)


@database_sync_to_async
def is_public_message(message_id: int) -> bool:
    return Message.objects.public().filter(pk=message_id).exists()


class MessagePageConsumer(RelayConsumer):
    """Read-only live updates of one public message page, for every visitor."""

    group_name = None

    async def connect(self):
        message_id = parse_id(self.scope["url_route"]["kwargs"]["message_id"])
        # Private and unreviewed messages have no public channel at all.
        if message_id is None or not await is_public_message(message_id):
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


class NotificationConsumer(RelayConsumer):
    """A user's notifications, in id order, with catch-up after reconnect.

    The socket's user is fixed at connect time. Until the client sends
    ``{"type": "resume", "after": id}`` live notifications are held back, so
    the catch-up and the live stream join without a gap or a duplicate.
    """

    groups_joined: list[str]

    async def connect(self):
        self.groups_joined = []
        self.is_counted = False
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=4401)
            return
        if await database_sync_to_async(needs_second_factor_setup)(self.user):
            # Staff without a second factor: only its set-up page is open.
            await self.close(code=CLOSE_SECOND_FACTOR_REQUIRED)
            return
        open_sockets = await database_sync_to_async(presence.presence_connect)(
            self.user.pk
        )
        self.is_counted = True
        if socket_over_cap(open_sockets):
            # Accepted first, so that the client sees the code and not a
            # failed handshake; disconnect() gives the place back.
            await self.accept()
            await self.close(code=CLOSE_TOO_MANY_SOCKETS)
            return
        self.last_sent_id = 0
        self.resumed = False
        self.buffer: list[dict] = []
        self.awaiting_pong = False
        groups = [user_group(self.user.pk)]
        session = self.scope.get("session")
        if (
            session is not None
            and session.session_key
            and not self.scope.get("via_ticket")
        ):
            groups.append(session_group(session.session_key))
        if await database_sync_to_async(is_moderator)(self.user):
            groups.append(MODERATION_QUEUE_GROUP)
        # A staff session's socket ends when the session goes idle
        # (board/staff_sessions.py), checked at each heartbeat.
        self.idle_session_key = None
        if (
            session is not None
            and session.session_key
            and not self.scope.get("via_ticket")
            and await database_sync_to_async(is_staff_member)(self.user)
        ):
            self.idle_session_key = session.session_key
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
            self.groups_joined.append(group)
        await self.accept()
        self.heartbeat = asyncio.ensure_future(self._heartbeat())

    async def disconnect(self, code):
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        heartbeat = getattr(self, "heartbeat", None)
        if heartbeat is not None:
            heartbeat.cancel()
        if getattr(self, "is_counted", False):
            self.is_counted = False
            await database_sync_to_async(presence.presence_disconnect)(self.user.pk)

    async def _heartbeat(self):
        """Ping every 30–45 s (jittered); a client that missed a pong is gone."""
        low, high = settings.ZHITONG_WS_HEARTBEAT_SECONDS
        try:
            while True:
                await asyncio.sleep(random.uniform(low, high))
                if self.awaiting_pong:
                    await self.close(code=4408)
                    return
                if self.idle_session_key and await database_sync_to_async(
                    session_key_is_idle
                )(self.idle_session_key):
                    await self.close(code=CLOSE_SESSION_IDLE)
                    return
                self.awaiting_pong = True
                await self.send_json({"type": "ping"})
                await database_sync_to_async(presence.presence_touch)(self.user.pk)
        except asyncio.CancelledError:
            pass

    # --- Client → server ---

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "resume":
            await self._resume(content.get("after"))
        elif kind == "read":
            await self._mark_read(content.get("ids"))
        elif kind == "pong":
            self.awaiting_pong = False

    async def _resume(self, after):
        after = parse_after(after)
        if after is None:
            await self.send_json({"type": "error", "field": "after"})
            return
        while True:
            missed = await database_sync_to_async(selectors.notifications_after)(
                self.user, after
            )
            frames = await database_sync_to_async(selectors.notification_frames)(
                self.user, missed
            )
            for frame in frames:
                await self._send_notification(frame)
            if len(missed) < 200:
                break
            after = missed[-1].pk
        self.resumed = True
        held, self.buffer = sorted(self.buffer, key=lambda f: f["id"]), []
        for frame in held:
            await self._send_notification(frame)
        count = await database_sync_to_async(selectors.unread_count)(self.user)
        await self.send_json({"type": "unread", "count": count})

    async def _mark_read(self, ids):
        # Ids as JSON numbers, each one a row id (board.ids).
        if (
            not isinstance(ids, list)
            or len(ids) > MAX_READ_IDS
            or not all(type(i) is int and parse_id(i) is not None for i in ids)
        ):
            await self.send_json({"type": "error", "field": "ids"})
            return
        await database_sync_to_async(notifications_mark_read)(user=self.user, ids=ids)

    async def _send_notification(self, frame: dict):
        if frame["id"] <= self.last_sent_id:
            return  # already delivered by catch-up
        self.last_sent_id = frame["id"]
        await self.send_json(frame)

    # --- Server → client (channel layer events) ---

    async def notification_created(self, event):
        frame = event["payload"]
        if self.resumed:
            await self._send_notification(frame)
        elif len(self.buffer) < MAX_BUFFERED:
            self.buffer.append(frame)

    async def notification_read(self, event):
        await self.send_json(event["payload"])

    async def queue_changed(self, event):
        await self.send_json(event["payload"])

    async def auth_revoked(self, event):
        """Logout, password change, deactivation or a role removed: this
        socket ends now. It leaves its groups first (the moderation queue
        among them), so not one more frame reaches it while it closes."""
        self.revoked = True
        for group in self.groups_joined:
            await self.channel_layer.group_discard(group, self.channel_name)
        await self.close(code=4403)

    async def send_json(self, content, close=False):
        # Events already queued for this channel when it was revoked.
        if getattr(self, "revoked", False):
            return
        await super().send_json(content, close=close)
