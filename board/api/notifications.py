"""The API for realtime clients: WebSocket tickets, notification catch-up and
read marking for clients without WebSockets, and 同问 (follow)."""

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board.actions import message_follow, message_unfollow, notifications_mark_read
from board.ids import parse_after
from board.models import Message
from board.realtime.tickets import ticket_issue
from board.selectors import (
    access_message,
    notification_frames,
    notifications_after,
    unread_count,
)
from board.serializers import (
    FollowSerializer,
    NotificationPageSerializer,
    NotificationReadSerializer,
    ReadSerializer,
    RealtimeTicketSerializer,
)

from .common import VerifiedEmailForWrites, validated_body

# The most notifications one catch-up request returns.
CATCH_UP_LIMIT = 200


def _ticket_description() -> str:
    seconds = settings.ZHITONG_WS_TICKET_SECONDS
    return (
        "A single-use ticket for `/ws/notifications/?ticket=…`, "
        f"valid for {seconds} seconds."
    )


class RealtimeTicketView(APIView):
    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]
    rate_limits = {"post": "realtime_tickets"}  # board/ratelimits.py

    @extend_schema(
        tags=["realtime"],
        request=None,
        responses={201: RealtimeTicketSerializer},
        # Lazy: the setting is read when the schema is built, not at import.
        description=lazy(_ticket_description, str)(),
    )
    def post(self, request):
        ticket = ticket_issue(user=request.user)
        return Response(
            {
                "ticket": ticket,
                "expires_in": settings.ZHITONG_WS_TICKET_SECONDS,
                "url": f"/ws/notifications/?ticket={ticket}",
            },
            status=status.HTTP_201_CREATED,
        )


def _after(request) -> int:
    """``?after=``: the last notification id the client has (0: none)."""
    after = parse_after(request.query_params.get("after"))
    if after is None:
        raise ValidationError({"after": [_("Give a notification id (0 or more).")]})
    return after


class NotificationListView(APIView):
    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]

    @extend_schema(
        tags=["notifications"],
        parameters=[
            OpenApiParameter(
                "after",
                int,
                description="The last notification id the client has; "
                "everything later is returned, oldest first.",
            )
        ],
        responses={200: NotificationPageSerializer},
    )
    def get(self, request):
        after = _after(request)
        items = notifications_after(request.user, after, limit=CATCH_UP_LIMIT)
        frames = notification_frames(request.user, items)
        return Response(
            {
                "results": frames,
                "unread": unread_count(request.user),
                "last_id": frames[-1]["id"] if frames else after,
                "more": len(frames) == CATCH_UP_LIMIT,
            }
        )


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]

    @extend_schema(
        tags=["notifications"],
        request=ReadSerializer,
        responses={200: NotificationReadSerializer},
    )
    def post(self, request):
        data = validated_body(request, ReadSerializer)
        ids = None if data.get("all") else data["ids"]
        marked = notifications_mark_read(user=request.user, ids=ids)
        return Response({"marked": marked, "unread": unread_count(request.user)})


class MessageFollowView(APIView):
    """同问: support and follow a public message (POST), or stop (DELETE)."""

    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]
    # board/ratelimits.py: every toggle is pushed to every viewer.
    rate_limits = {"post": "following", "delete": "following"}

    def _respond(self, message: Message, following: bool, code=status.HTTP_200_OK):
        count = Message.objects.values_list("support_count", flat=True).get(
            pk=message.pk
        )
        return Response({"following": following, "support_count": count}, status=code)

    @extend_schema(
        tags=["messages"],
        request=None,
        responses={200: FollowSerializer, 201: FollowSerializer},
    )
    def post(self, request, pk):
        message = access_message(request.user, pk)
        created = message_follow(message=message, user=request.user)
        return self._respond(message, True, status.HTTP_201_CREATED if created else 200)

    @extend_schema(tags=["messages"], request=None, responses={200: FollowSerializer})
    def delete(self, request, pk):
        message = access_message(request.user, pk)
        message_unfollow(message=message, user=request.user)
        return self._respond(message, False)
