"""The shapes of the officials' side of the API: the inbox, replies, ratings
and follow-ups, and the input of the handling actions.

Serializers check the shape of input (types, lengths, that ids exist); the
handling actions check the rules (who may act, the extension limit, the
lifecycle).
"""

from datetime import date

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from board.deadlines import WorkingCalendar
from board.lifecycle import IN_HANDLING_STATUSES, ROUTED_STATUSES, MessageStatus
from board.models import (
    Category,
    Department,
    FollowUp,
    FollowUpStatus,
    Message,
    Official,
    Overall,
    Rating,
    Region,
    Reply,
    ReplyStatus,
    Transfer,
)

from .fields import (
    CategoryField,
    IdField,
    StrictBooleanField,
    StrictIntegerField,
    image_uploads_field,
)
from .messages import AttachmentSerializer, MessageSerializer


def _extension_help_text() -> str:
    return gettext("1 to %(limit)d working days; a deadline is extended once.") % {
        "limit": settings.ZHITONG_MAX_EXTENSION_WORKING_DAYS
    }


# --- Input ---------------------------------------------------------------------


class TransferSerializer(serializers.Serializer):
    """Hand a message to another official or department (转办): give one."""

    to_official = IdField(
        queryset=Official.objects.all(), required=False, allow_null=True
    )
    to_department = IdField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(
        max_length=Transfer.REASON_MAX_LENGTH,
        help_text=_("Shown on the public timeline."),
    )


class ExtendSerializer(serializers.Serializer):
    working_days = StrictIntegerField(
        # Lazy: the setting is read when the text is shown, not at import.
        help_text=lazy(_extension_help_text, str)(),
    )
    reason = serializers.CharField(
        max_length=Message.EXTENSION_REASON_MAX_LENGTH,
        help_text=_("Shown on the public timeline."),
    )


class ReplyCreateSerializer(serializers.Serializer):
    """An interim or final reply, or a correction of a published one.

    ``corrects`` takes the id of a reply to the same message.
    """

    body = serializers.CharField(max_length=Reply.BODY_MAX_LENGTH)
    final = StrictBooleanField(
        default=False,
        help_text=_("A final reply (办结) ends the handling; else a progress note."),
    )
    corrects = IdField(
        queryset=Reply.objects.none(),
        required=False,
        allow_null=True,
        help_text=_("The published reply this one corrects."),
    )
    attachments = image_uploads_field()

    def __init__(self, *args, message: Message | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if message is not None:
            # A reply to another message is no reply of this one.
            self.fields["corrects"].queryset = message.replies.all()


class RatingSubmitSerializer(serializers.Serializer):
    attitude = StrictIntegerField(min_value=1, max_value=5)
    speed = StrictIntegerField(min_value=1, max_value=5)
    resolved = StrictIntegerField(
        min_value=1,
        max_value=5,
        help_text=_("Whether the problem was resolved, from 1 to 5."),
    )
    comment = serializers.CharField(
        max_length=Rating.COMMENT_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
    )


class FollowUpSubmitSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=FollowUp.BODY_MAX_LENGTH)


class InboxQuerySerializer(serializers.Serializer):
    """The inbox's query string."""

    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in MessageStatus if s in ROUTED_STATUSES],
        required=False,
        help_text=_(
            "Without it: published, accepted and replied; closed only when asked."
        ),
    )
    category = CategoryField(
        queryset=Category.objects.all(),
        required=False,
        help_text=_("A category id or slug."),
    )
    region = IdField(
        queryset=Region.objects.all(),
        required=False,
        help_text=_("A region id; its subregions are included."),
    )


# --- Output --------------------------------------------------------------------


class ReplySerializer(serializers.ModelSerializer):
    """A reply under the office's name; who wrote it is never shown.

    ``status`` is ``draft`` while it awaits an official's sign-off, which
    only the department and moderators see.
    """

    status = serializers.ChoiceField(choices=ReplyStatus.choices, read_only=True)
    # The replying office in the reader's language (Accept-Language).
    office = serializers.CharField(source="display_office", read_only=True)
    body_html = serializers.SerializerMethodField()
    created = serializers.DateTimeField(source="created_at", read_only=True)
    published = serializers.DateTimeField(
        source="published_at", read_only=True, allow_null=True
    )
    attachments = AttachmentSerializer(many=True, read_only=True)

    class Meta:
        model = Reply
        fields = [
            "id",
            "status",
            "is_final",
            "office",
            "body_html",
            "created",
            "published",
            "corrects",
            "follow_up",
            "attachments",
        ]
        read_only_fields = fields

    def get_body_html(self, reply) -> str:
        # As for messages: the public version, unless the reader is involved.
        if self.context.get("show_contact"):
            return reply.body_html
        return reply.shown_body_html


class RatingSerializer(serializers.ModelSerializer):
    """The author's rating (评价) of a final reply, with the derived overall."""

    overall = serializers.ChoiceField(choices=Overall.choices, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Rating
        fields = [
            "id",
            "reply",
            "attitude",
            "speed",
            "resolved",
            "comment",
            "overall",
            "created",
        ]
        read_only_fields = fields


class RatingSubmittedSerializer(RatingSerializer):
    offer_follow_up = serializers.SerializerMethodField(
        help_text=_("The problem is not resolved and a follow-up is possible now.")
    )

    class Meta(RatingSerializer.Meta):
        fields = [*RatingSerializer.Meta.fields, "offer_follow_up"]
        read_only_fields = fields

    def get_offer_follow_up(self, rating) -> bool:
        return bool(self.context.get("offer_follow_up"))


class FollowUpSerializer(serializers.ModelSerializer):
    """A follow-up question (追问); ``pending`` until a moderator reviews it."""

    status = serializers.ChoiceField(choices=FollowUpStatus.choices, read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "status", "body_html", "created"]
        read_only_fields = fields


class TransferReferredSerializer(serializers.Serializer):
    """Past the transfer limit the moderators decide where the message goes."""

    transfer_request = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["referred_to_moderators"])


# --- The inbox -----------------------------------------------------------------


def working_days_left_by_id(messages, today: date) -> dict[int, int]:
    """Working days left for a page of messages, with one calendar query
    instead of one per message."""
    dues = {message.pk: message.due_date for message in messages if message.due_date}
    if not dues:
        return {}
    calendar = WorkingCalendar(min(today, *dues.values()), max(today, *dues.values()))
    return {pk: calendar.between(today, due) for pk, due in dues.items()}


class InboxItemSerializer(MessageSerializer):
    """A message in an inbox: the public fields and where its deadline stands.

    The deadline fields are null (or false) for a message no longer being
    handled (replied, closed).
    """

    working_days_left = serializers.SerializerMethodField()
    is_overdue = serializers.SerializerMethodField()
    is_near_deadline = serializers.SerializerMethodField(
        help_text=_("Due within ZHITONG_NEAR_DEADLINE_WORKING_DAYS working days.")
    )
    escalated = serializers.SerializerMethodField(
        help_text=_("Escalated (督办) as overdue.")
    )
    has_pending_follow_up = serializers.BooleanField(
        read_only=True,
        help_text=_("A reviewed follow-up question awaits the reply."),
    )

    class Meta(MessageSerializer.Meta):
        fields = [
            *MessageSerializer.Meta.fields,
            "due_date",
            "working_days_left",
            "is_overdue",
            "is_near_deadline",
            "extended_by_days",
            "transfer_count",
            "escalated",
            "has_pending_follow_up",
        ]
        read_only_fields = fields

    @staticmethod
    def _is_handled(message) -> bool:
        return message.status in IN_HANDLING_STATUSES and message.due_date is not None

    def get_working_days_left(self, message) -> int | None:
        if not self._is_handled(message):
            return None
        return self.context["working_days_left"].get(message.pk)

    def get_is_overdue(self, message) -> bool:
        return self._is_handled(message) and message.due_date < self.context["today"]

    def get_is_near_deadline(self, message) -> bool:
        return (
            self._is_handled(message)
            and self.context["today"] <= message.due_date <= self.context["near_limit"]
        )

    def get_escalated(self, message) -> bool:
        return message.escalated_at is not None


class InboxCountsSerializer(serializers.Serializer):
    published = serializers.IntegerField()
    accepted = serializers.IntegerField()
    replied = serializers.IntegerField()
    closed = serializers.IntegerField()
    overdue = serializers.IntegerField()
    near_deadline = serializers.IntegerField()


class InboxPageSerializer(serializers.Serializer):
    """One page of the inbox (limit/offset), with the counts for its filters."""

    counts = InboxCountsSerializer()
    count = serializers.IntegerField(help_text=_("Messages in this list."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = InboxItemSerializer(many=True)
