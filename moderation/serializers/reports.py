"""The shape of a report from the public about a message or a reply."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from moderation.models import Report


class ReportSerializer(serializers.ModelSerializer):
    created = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "message", "reply", "reason", "created"]
        read_only_fields = ["id", "message", "reply", "created"]
        extra_kwargs = {"reason": {"help_text": _("What is wrong with it.")}}
