"""The shapes of the moderation API: the queue item and each action's input.

Serializers check the shape of input (types, that ids exist); the rules of
moderation (reason codes, notes, claims, the lifecycle) are checked by the
actions in ``moderation.actions``.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from board.lifecycle import MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageKind,
    Official,
    Region,
    Reply,
)
from board.serializers import MAX_ID, CategoryField, IdField

from .models import ModeratorNote, Report
from .screening import finding_label
from .selectors import QUEUES, QueueFilters, review_deadline

REASON_CODES_HELP = _(
    "A reason code: duplicate, out_of_scope, abusive, advertising, "
    "personal_data, illegal or other (other needs a note)."
)
SEEN_UPDATED_AT_HELP = _(
    "The item's updated_at as the client last loaded it; if the item changed "
    "since, the action is refused with 409 (code stale). Claiming changes "
    "updated_at: use the value the claim returned."
)


# --- What a moderator sees ---------------------------------------------------


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
        slug_field="username", read_only=True
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

    def _has_live_claim(self, message) -> bool:
        return (
            message.claimed_by_id is not None
            and message.claim_expires_at is not None
            and message.claim_expires_at > self._now()
        )

    def get_age_seconds(self, message) -> int:
        return int((self._now() - self._entered_queue_at(message)).total_seconds())

    def get_over_deadline(self, message) -> bool:
        if message.status != MessageStatus.PENDING:
            return False
        return self._now() - self._entered_queue_at(message) > review_deadline()

    def get_claimed_by(self, message) -> str | None:
        if not self._has_live_claim(message):
            return None
        return message.claimed_by.username

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_claim_expires_at(self, message):
        if not self._has_live_claim(message):
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
        )


class ModeratorNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ModeratorNote
        fields = ["id", "author", "body", "created"]
        read_only_fields = fields


# --- What a moderator sends ---------------------------------------------------


class SeenUpdatedAtSerializer(serializers.Serializer):
    seen_updated_at = serializers.DateTimeField(
        required=False, allow_null=True, help_text=SEEN_UPDATED_AT_HELP
    )


class ClaimSerializer(serializers.Serializer):
    take_over = serializers.BooleanField(
        default=False,
        help_text=_("Take the item from the moderator who holds it (audited)."),
    )


class ApproveSerializer(SeenUpdatedAtSerializer):
    addressee_official = IdField(
        queryset=Official.objects.select_related("region"),
        required=False,
        allow_null=True,
        help_text=_("Route to this official instead."),
    )
    addressee_department = IdField(
        queryset=Department.objects.select_related("region"),
        required=False,
        allow_null=True,
        help_text=_("Route to this department instead."),
    )
    category = CategoryField(
        queryset=Category.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("A category id or slug, to change it."),
    )


class RejectSerializer(SeenUpdatedAtSerializer):
    reason = serializers.CharField(max_length=32, help_text=REASON_CODES_HELP)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RequestChangesSerializer(SeenUpdatedAtSerializer):
    note = serializers.CharField(
        allow_blank=True, help_text=_("What the author should change.")
    )


class RedactSerializer(SeenUpdatedAtSerializer):
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The public title; by default personal data is masked."),
    )
    body = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("The public text; by default personal data is masked."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DuplicateSerializer(SeenUpdatedAtSerializer):
    of = IdField(
        queryset=Message.objects.all(),
        help_text=_("The id of the message this one repeats."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class HideSerializer(SeenUpdatedAtSerializer):
    reason = serializers.CharField(max_length=32, help_text=REASON_CODES_HELP)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class RestoreSerializer(SeenUpdatedAtSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class NoteAddSerializer(serializers.Serializer):
    body = serializers.CharField(allow_blank=True)


class ResolveReportsSerializer(SeenUpdatedAtSerializer):
    resolution = serializers.ChoiceField(choices=["keep", "hide", "redact"])
    reason = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("For hide: a reason code."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


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


# --- Reports from the public ---------------------------------------------------


class ReportSerializer(serializers.ModelSerializer):
    created = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Report
        fields = ["id", "message", "reply", "reason", "created"]
        read_only_fields = ["id", "message", "reply", "created"]
        extra_kwargs = {"reason": {"help_text": _("What is wrong with it.")}}


class ModerationReplySerializer(serializers.ModelSerializer):
    """A reply as moderators see it: the original and the public version."""

    public_body_html = serializers.CharField(source="shown_body_html", read_only=True)
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
