"""WebSocket authentication for API clients: single-use tickets.

A client that holds an API token asks ``POST /api/v1/realtime/ticket/`` for a
ticket and connects to ``/ws/notifications/?ticket=…`` within 60 seconds. The
ticket works once: taking it deletes it.
"""

import secrets
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache

TICKET_PREFIX = "ws-ticket:"


def ticket_issue(*, user) -> str:
    ticket = secrets.token_urlsafe(24)
    cache.set(TICKET_PREFIX + ticket, user.pk, settings.ZHITONG_WS_TICKET_SECONDS)
    return ticket


def ticket_redeem(ticket: str):
    """The user the ticket was issued to, once; None when unknown or used."""
    key = TICKET_PREFIX + ticket
    user_id = cache.get(key)
    # delete() answers True for exactly one of two concurrent redeemers.
    if user_id is None or not cache.delete(key):
        return None
    return get_user_model().objects.filter(pk=user_id, is_active=True).first()


class TicketAuthMiddleware:
    """Sets scope["user"] from ``?ticket=`` when there is one; else the session
    user (from AuthMiddleware, which wraps this) stays."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode())
        ticket = (query.get("ticket") or [""])[0]
        if ticket:
            from django.contrib.auth.models import AnonymousUser

            user = await database_sync_to_async(ticket_redeem)(ticket)
            scope = {**scope, "user": user or AnonymousUser(), "via_ticket": True}
        return await self.app(scope, receive, send)
