"""API for realtime clients: WebSocket tickets, notification catch-up and
read marking for clients without WebSockets, and 同问 (follow)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .actions import message_follow, message_unfollow, notifications_mark_read
from .models import Message
from .realtime.events import notification_frame
from .realtime.tickets import ticket_issue
from .selectors import access_message, notifications_after, unread_count


class NotificationFrameSerializer(serializers.Serializer):
    """The same frame the WebSocket sends: ``{"type": "notification", …}``."""

    type = serializers.CharField()
    id = serializers.IntegerField()
    kind = serializers.CharField()
    label = serializers.CharField()
    message_id = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    url = serializers.CharField()
    created = serializers.DateTimeField()


class RealtimeTicketView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["realtime"],
        request=None,
        responses={
            201: inline_serializer(
                "RealtimeTicket",
                {
                    "ticket": serializers.CharField(),
                    "expires_in": serializers.IntegerField(),
                    "url": serializers.CharField(),
                },
            )
        },
        description="A single-use ticket for `/ws/notifications/?ticket=…`, "
        "valid for 60 seconds.",
    )
    def post(self, request):
        from django.conf import settings

        ticket = ticket_issue(user=request.user)
        return Response(
            {
                "ticket": ticket,
                "expires_in": settings.ZHITONG_WS_TICKET_SECONDS,
                "url": f"/ws/notifications/?ticket={ticket}",
            },
            status=status.HTTP_201_CREATED,
        )


class NotificationListView(APIView):
    permission_classes = [IsAuthenticated]

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
        responses={
            200: inline_serializer(
                "NotificationPage",
                {
                    "results": NotificationFrameSerializer(many=True),
                    "unread": serializers.IntegerField(),
                    "last_id": serializers.IntegerField(),
                    "more": serializers.BooleanField(),
                },
            )
        },
    )
    def get(self, request):
        raw = request.query_params.get("after", "0") or "0"
        try:
            after = int(raw)
            if after < 0:
                raise ValueError
        except ValueError:
            raise ValidationError(
                {"after": ["Give a notification id (0 or more)."]}
            ) from None
        limit = 200
        items = notifications_after(request.user, after, limit=limit)
        frames = [notification_frame(item) for item in items]
        return Response(
            {
                "results": frames,
                "unread": unread_count(request.user),
                "last_id": frames[-1]["id"] if frames else after,
                "more": len(frames) == limit,
            }
        )


class ReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=1000
    )
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not attrs.get("all") and "ids" not in attrs:
            raise ValidationError({"ids": ["Give the ids to mark read, or all: true."]})
        return attrs


class NotificationReadView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["notifications"],
        request=ReadSerializer,
        responses={
            200: inline_serializer(
                "NotificationRead",
                {
                    "marked": serializers.IntegerField(),
                    "unread": serializers.IntegerField(),
                },
            )
        },
    )
    def post(self, request):
        data = ReadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ids = None if data.validated_data.get("all") else data.validated_data["ids"]
        marked = notifications_mark_read(user=request.user, ids=ids)
        return Response({"marked": marked, "unread": unread_count(request.user)})


FollowSerializer = inline_serializer(
    "Follow",
    {
        "following": serializers.BooleanField(),
        "support_count": serializers.IntegerField(),
    },
)


class MessageFollowView(APIView):
    """同问: support and follow a public message (POST), or stop (DELETE)."""

    permission_classes = [IsAuthenticated]

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
