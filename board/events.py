"""Events pushed to WebSocket clients after a transaction commits.

One builder per event type; payloads carry ids and what a page needs to
update itself, never private text. A failed push is logged, never raised:
the database row is the truth and clients catch up from it.
"""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .models import Message

logger = logging.getLogger(__name__)


def message_page_group(message_id: int) -> str:
    return f"message.{message_id}"


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
    try:
        async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception:
        logger.exception("Could not push %s to %s", event.get("type"), group)


def send_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: group_send_now(group, event))


def message_status_changed(message: Message) -> None:
    """Tell the viewers of a public message page that its status changed."""
    if message.is_on_public_board:
        send_on_commit(message_page_group(message.pk), message_status_event(message))
