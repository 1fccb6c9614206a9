"""The shapes of moderating a reply: the reply as moderators see it, and the
input of a redaction (hide, restore and resolve-reports take the message
items' input)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from board.models import Reply


class ModerationReplySerializer(serializers.ModelSerializer):
    """A reply as moderators see it: the original and the public version."""

    public_body_html = serializers.CharField(source="shown_body_html", read_only=True)
    office = serializers.CharField(source="display_office", read_only=True)
    open_reports = serializers.SerializerMethodField()
    created = serializers.DateTimeField(source="created_at", read_only=True)
    published = serializers.DateTimeField(source="published_at", read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "message",
            "status",
            "is_final",
            "office",
            "body",
            "body_html",
            "public_body_html",
            "is_redacted",
            "moderation_reason",
            "flagged_at",
            "open_reports",
            "created",
            "published",
        ]
        read_only_fields = fields

    def get_open_reports(self, reply) -> int:
        return reply.reports.filter(resolved_at__isnull=True).count()


class ReplyRedactSerializer(serializers.Serializer):
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The public text; by default personal data is masked."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
