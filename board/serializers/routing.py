"""The shapes of routing suggestions: the draft's text (and region) asked
about, and the categories and departments suggested, each with its
confidence (board/routing_model.py)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from board.models import Message, Region

from .fields import IdField


class RoutingQuerySerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=Message.TITLE_MAX_LENGTH + Message.BODY_MAX_LENGTH + 1,
        help_text=_("The draft's title and body."),
    )
    region = IdField(
        queryset=Region.objects.all(),
        required=False,
        help_text=_("Only departments serving this region (it or one above it)."),
    )


class RoutingChoiceSerializer(serializers.Serializer):
    """One (category or department, confidence) pair of a suggestion."""

    id = serializers.IntegerField()
    # In the reader's language; a department's includes its region's.
    name = serializers.CharField()
    confidence = serializers.FloatField(help_text=_("From 0 to 1."))

    def to_representation(self, choice):
        option, confidence = choice
        return {
            "id": option.pk,
            "name": str(option),
            "confidence": round(confidence, 3),
        }


class RoutingSuggestionSerializer(serializers.Serializer):
    """Best first, at most three of each; the confidence is from 0 to 1."""

    categories = RoutingChoiceSerializer(many=True)
    departments = RoutingChoiceSerializer(many=True)
