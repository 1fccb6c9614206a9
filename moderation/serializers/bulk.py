"""The shapes of a bulk decision: the ids and the decision, and each id's
outcome."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from board.lifecycle import MessageStatus
from board.models import Message
from board.serializers import MAX_ID


class BulkDecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=100,
        help_text=_("Message ids, at most 100."),
    )
    decision = serializers.ChoiceField(choices=["approve", "reject"])
    reason = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("For reject: a reason code."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def validate_ids(self, ids):
        ids = list(dict.fromkeys(ids))
        found = set(Message.objects.filter(pk__in=ids).values_list("pk", flat=True))
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise serializers.ValidationError(
                _("No message with id %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in missing)}
            )
        return ids


class BulkOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ok = serializers.BooleanField()
    status = serializers.ChoiceField(choices=MessageStatus.choices)
    detail = serializers.CharField(
        allow_blank=True, help_text=_("Why it was refused; empty when ok.")
    )


class BulkResultSerializer(serializers.Serializer):
    results = BulkOutcomeSerializer(many=True)
