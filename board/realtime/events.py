"""Events pushed to WebSocket clients after a transaction commits.

One builder per event type; payloads carry ids and what a page needs to
update itself, never private text. A failed push is logged, never raised:
the database row is the truth and clients catch up from it.
"""

import asyncio
import hashlib
import logging
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from board.languages import choice_label
from board.models import Message, Notification, NotificationKind

logger = logging.getLogger(__name__)


def message_page_group(message_id: int) -> str:
    return f"message.{message_id}"


def user_group(user_id: int) -> str:
    return f"user.{user_id}"


MODERATION_QUEUE_GROUP = "moderation.queue"


def session_group(session_key: str) -> str:
    """Group of the sockets opened with one login session (hashed key)."""
    return "session." + hashlib.sha256(session_key.encode()).hexdigest()[:32]


def message_frame_parts(message: Message | None, title: str | None = None) -> dict:
    """The part of a notification frame that depends on its message only.

    ``title`` is the title as the recipient may read it
    (``board.permissions.message_title_for``); without it, the public one.
    """
    if message is None:
        return {"title": "", "url": ""}
    if title is None:
        title = message.shown_title
    return {"title": title, "url": message.get_absolute_url()}


def notification_frame(
    notification: Notification, message_parts: dict | None = None
) -> dict:
    """The frame a client receives: ``{"type": "notification", …}``.

    ``message_parts`` (from ``message_frame_parts``) saves recomputing them
    when many notifications are about one message.
    """
    if message_parts is None:
        message_parts = message_frame_parts(notification.message)
    return {
        "type": "notification",
        "id": notification.pk,
        "kind": notification.kind,
        "label": choice_label(NotificationKind, notification.kind),
        "message_id": notification.message_id,
        **message_parts,
        "created": notification.created_at.isoformat(),
    }


def notification_event(
    notification: Notification, message_parts: dict | None = None
) -> dict:
    return {
        "type": "notification.created",
        "payload": notification_frame(notification, message_parts),
    }


def auth_revoked_event() -> dict:
    return {"type": "auth.revoked"}


def queue_event(message: Message, op: str, actor_name: str = "") -> dict:
    """For moderators: an item arrived, was claimed, released or resolved."""
    return {
        "type": "queue.changed",
        "payload": {
            "type": "queue",
            "op": op,
            "message_id": message.pk,
            "status": message.status,
            "claimed_by": actor_name,
        },
    }


def queue_changed(message: Message, op: str, actor_name: str = "") -> None:
    send_on_commit(MODERATION_QUEUE_GROUP, queue_event(message, op, actor_name))


def message_status_event(message: Message) -> dict:
    return {
        "type": "message.updated",
        "payload": {
            "type": "message",
            "op": "status",
            "message_id": message.pk,
            "status": message.status,
            "status_label": str(message.get_status_display()),
        },
    }


def group_send_now(group: str, event: dict) -> None:
    payload = event.get("payload")
    if isinstance(payload, dict) and payload.get("type") in {"message", "notification"}:
        # When it left the server, so clients (and bench/realtime) can tell
        # how long delivery took.
        event = {**event, "payload": {**event["payload"], "sent": time.time()}}
    try:
        async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception:
        logger.exception("Could not push %s to %s", event.get("type"), group)


def group_send_many(pairs: list[tuple[str, dict]], concurrency: int = 50) -> None:
    """Push many events (one per follower) in one trip into the event loop,
    a bounded number at a time; failures are logged, never raised."""
    if not pairs:
        return
    sent = time.time()

    async def send_all():
        layer = get_channel_layer()
        gate = asyncio.Semaphore(concurrency)

        async def one(group, event):
            payload = {**event["payload"], "sent": sent}
            async with gate:
                await layer.group_send(group, {**event, "payload": payload})

        results = await asyncio.gather(
            *(one(group, event) for group, event in pairs), return_exceptions=True
        )
        failed = [result for result in results if isinstance(result, Exception)]
        if failed:
            logger.error("Could not push %d of %d events", len(failed), len(pairs))

    try:
        async_to_sync(send_all)()
    except Exception:
        logger.exception("Could not push %d events", len(pairs))


def send_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: group_send_now(group, event))


def message_status_changed(message: Message) -> None:
    """Tell the viewers of a public message page that its status changed."""
    if message.is_on_public_board:
        send_on_commit(message_page_group(message.pk), message_status_event(message))


def reply_event(message: Message, reply) -> dict:
    return {
        "type": "message.updated",
        "payload": {
            "type": "message",
            "op": "reply",
            "message_id": message.pk,
            "reply_id": reply.pk,
            "status": message.status,
            "status_label": str(message.get_status_display()),
        },
    }


def reply_published(message: Message, reply) -> None:
    """Viewers of a public page learn of a new reply without reloading."""
    if message.is_on_public_board:
        send_on_commit(message_page_group(message.pk), reply_event(message, reply))


def support_changed(message_id: int) -> None:
    """The page's 同问 count changed; viewers re-read it from the payload."""

    def send():
        count = (
            Message.objects.public()
            .filter(pk=message_id)
            .values_list("support_count", flat=True)
            .first()
        )
        if count is None:
            return  # hidden or private by now: it has no public channel
        group_send_now(
            message_page_group(message_id),
            {
                "type": "message.updated",
                "payload": {
                    "type": "message",
                    "op": "support",
                    "message_id": message_id,
                    "support_count": count or 0,
                },
            },
        )

    transaction.on_commit(send)
