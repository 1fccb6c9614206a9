"""The shapes of the realtime side of the API: the WebSocket ticket, the
notification frames a client catches up on, read marking and 同问 (follow).

The response shapes carry no docstring on purpose: a docstring becomes the
description of their schema component.
"""

from rest_framework import serializers

from board.ids import MAX_ID


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


class RealtimeTicketSerializer(serializers.Serializer):
    ticket = serializers.CharField()
    expires_in = serializers.IntegerField()
    url = serializers.CharField()


class NotificationPageSerializer(serializers.Serializer):
    results = NotificationFrameSerializer(many=True)
    unread = serializers.IntegerField()
    last_id = serializers.IntegerField()
    more = serializers.BooleanField()


class ReadSerializer(serializers.Serializer):
    # The input of ``notifications/read/``; NotificationReadSerializer answers.
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=1000,
    )
    all = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if not attrs.get("all") and "ids" not in attrs:
            raise serializers.ValidationError(
                {"ids": ["Give the ids to mark read, or all: true."]}
            )
        return attrs


class NotificationReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField()
    unread = serializers.IntegerField()


class FollowSerializer(serializers.Serializer):
    following = serializers.BooleanField()
    support_count = serializers.IntegerField()
