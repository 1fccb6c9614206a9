"""The shapes of the moderation queues: an item as moderators see it, a page
of a queue with every queue's size, and the queue's query string."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from board.lifecycle import MessageStatus
from board.models import Category, Message, MessageKind, Region
from board.selectors import SEARCH_MAX_LENGTH
from board.serializers import CategoryField, IdField
from moderation.screening import finding_label
from moderation.selectors import QUEUES, QueueFilters, review_deadline


class PrescreenFlagSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    detail = serializers.CharField(allow_blank=True)
    needs_second_approval = serializers.BooleanField()

    def to_representation(self, flag):
        return {
            "code": flag.get("code", ""),
            "label": finding_label(flag.get("code", "")),
            "detail": flag.get("detail", ""),
            "needs_second_approval": bool(flag.get("needs_second_approval")),
        }


class ModerationItemSerializer(serializers.ModelSerializer):
    """A message as moderators see it: the original text and its review state.

    ``now`` in the context fixes the clock for a whole page of items.
    """

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    author = serializers.CharField(source="author.username", read_only=True)
    author_joined = serializers.DateTimeField(
        source="author.date_joined", read_only=True
    )
    age_seconds = serializers.SerializerMethodField(
        help_text=_("Seconds since the message entered the review queue.")
    )
    over_deadline = serializers.SerializerMethodField(
        help_text=_("Awaiting review for longer than the review deadline.")
    )
    prescreen_flags = PrescreenFlagSerializer(many=True, read_only=True)
    first_approved_by = serializers.SlugRelatedField(
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("The moderator who gave the first of two approvals, or null."),
    )
    claimed_by = serializers.SerializerMethodField(
        help_text=_("The moderator holding an unexpired claim, or null.")
    )
    claim_expires_at = serializers.SerializerMethodField()
    open_reports = serializers.SerializerMethodField(
        help_text=_("Reports from the public not yet resolved.")
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "reference",
            "url",
            "status",
            "kind",
            "title",
            "body",
            "body_html",
            "is_public",
            "region",
            "category",
            "addressee_official",
            "addressee_department",
            "author",
            "author_joined",
            "submitted_for_review_at",
            "age_seconds",
            "over_deadline",
            "prescreen_flags",
            "needs_second_approval",
            "first_approved_by",
            "claimed_by",
            "claim_expires_at",
            "held_reason",
            "flagged_at",
            "open_reports",
            "moderation_reason",
            "moderation_note",
            "duplicate_of",
            "is_redacted",
            "updated_at",
        ]
        read_only_fields = fields

    def _now(self):
        if "now" not in self.context:
            self.context["now"] = timezone.now()
        return self.context["now"]

    def _entered_queue_at(self, message):
        return message.submitted_for_review_at or message.created_at

    def get_age_seconds(self, message) -> int:
        return int((self._now() - self._entered_queue_at(message)).total_seconds())

    def get_over_deadline(self, message) -> bool:
        if message.status != MessageStatus.PENDING:
            return False
        return self._now() - self._entered_queue_at(message) > review_deadline()

    def get_claimed_by(self, message) -> str | None:
        if not message.has_live_claim(self._now()):
            return None
        return message.claimed_by.username

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_claim_expires_at(self, message):
        if not message.has_live_claim(self._now()):
            return None
        return serializers.DateTimeField().to_representation(message.claim_expires_at)

    def get_open_reports(self, message) -> int:
        # The flagged queue annotates the count; a single item counts here.
        annotated = getattr(message, "open_reports", None)
        if annotated is not None:
            return annotated
        return message.reports.filter(resolved_at__isnull=True).count()


class ClaimedItemSerializer(ModerationItemSerializer):
    claimed = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "True when this request took the claim; false when you already "
            "held it (it is renewed)."
        ),
    )

    class Meta(ModerationItemSerializer.Meta):
        fields = ["claimed", *ModerationItemSerializer.Meta.fields]
        read_only_fields = fields


class ReleasedItemSerializer(ModerationItemSerializer):
    released = serializers.BooleanField(
        read_only=True,
        help_text=_("False when you did not hold the claim."),
    )

    class Meta(ModerationItemSerializer.Meta):
        fields = ["released", *ModerationItemSerializer.Meta.fields]
        read_only_fields = fields


class QueueCountsSerializer(serializers.Serializer):
    pending = serializers.IntegerField()
    flagged = serializers.IntegerField()
    followups = serializers.IntegerField()
    rejected = serializers.IntegerField()
    hidden = serializers.IntegerField()


class QueuePageSerializer(serializers.Serializer):
    """One page of a queue (limit/offset), with the size of every queue."""

    counts = QueueCountsSerializer()
    count = serializers.IntegerField(help_text=_("Items in this queue."))
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = ModerationItemSerializer(many=True)


class QueueQuerySerializer(serializers.Serializer):
    """The queue's query string."""

    queue = serializers.ChoiceField(choices=QUEUES, default="pending")
    region = IdField(
        queryset=Region.objects.all(),
        required=False,
        help_text=_("A region id; its subregions are included."),
    )
    category = CategoryField(
        queryset=Category.objects.all(),
        required=False,
        help_text=_("A category id or slug."),
    )
    kind = serializers.ChoiceField(choices=MessageKind.choices, required=False)
    q = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_("Words in the items' title, body or replies."),
    )
    sort = serializers.ChoiceField(
        choices=["oldest", "risk"],
        default="oldest",
        help_text=_(
            "For the pending queue: oldest first, or items needing a second "
            "approval and with the most pre-screen findings first."
        ),
    )

    def to_filters(self) -> QueueFilters:
        data = self.validated_data
        region = data.get("region")
        category = data.get("category")
        return QueueFilters(
            region_id=region.pk if region else None,
            category_id=category.pk if category else None,
            kind=data.get("kind", ""),
            sort=data["sort"],
            q=data.get("q", ""),
        )
