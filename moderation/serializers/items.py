"""What a moderator sends to act on one item, and the notes moderators leave
each other on it.

Serializers check the shape of input (types, that ids exist); the rules of
moderation (reason codes, notes, claims, the lifecycle) are checked by the
actions in ``moderation.actions``.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from board.models import Category, Department, Message, Official
from board.serializers import CategoryField, IdField
from moderation.models import ModeratorNote, Resolution

REASON_CODES_HELP = _(
    "A reason code: duplicate, out_of_scope, abusive, advertising, "
    "personal_data, illegal or other (other needs a note)."
)
SEEN_UPDATED_AT_HELP = _(
    "The item's updated_at as the client last loaded it; if the item changed "
    "since, the action is refused with 409 (code stale). Claiming changes "
    "updated_at: use the value the claim returned."
)


class ModeratorNoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = ModeratorNote
        fields = ["id", "author", "body", "created"]
        read_only_fields = fields


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
    hidden_attachments = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        allow_empty=True,
        max_length=100,
        help_text=_(
            "Ids of the message's photos to hide from the public; the others "
            "are shown. Left out, the photos stay as they are."
        ),
    )


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
    resolution = serializers.ChoiceField(
        # The order the API has always listed them in.
        choices=[Resolution.KEEP, Resolution.HIDE, Resolution.REDACT]
    )
    reason = serializers.CharField(
        max_length=32,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("For hide: a reason code."),
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
