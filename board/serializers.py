"""The shapes of the API: what it shows and what it accepts.

Serializers check the shape of input (types, lengths, that ids exist); the
rules of the domain are checked by the actions they feed (``validate_draft``).
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.helpers import lazy_serializer
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from .actions import MessageDraft, working_days_left
from .lifecycle import IN_HANDLING_STATUSES, PUBLIC_STATUSES, MessageStatus
from .models import (
    Category,
    Department,
    Message,
    MessageAttachment,
    MessageEvent,
    MessageKind,
    Official,
    Region,
)
from .roles import Role, has_role, is_moderator
from .selectors import (
    message_follow_ups_visible,
    message_rating,
    message_replies_visible,
    message_timeline,
)

# The largest value a primary key column holds; a larger id is no row, and
# asking the database for it would overflow instead.
MAX_ID = 2**63 - 1


class IdField(serializers.PrimaryKeyRelatedField):
    """A row by its id; an id that no column can hold is simply not found."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        text = str(data).strip()
        if not (text.isascii() and text.lstrip("-").isdigit()):
            self.fail("incorrect_type", data_type=type(data).__name__)
        number = int(text)
        if not 0 < number <= MAX_ID:
            self.fail("does_not_exist", pk_value=data)
        return super().to_internal_value(number)


@extend_schema_field(OpenApiTypes.STR)
class CategoryField(serializers.RelatedField):
    """A category by its id or its slug."""

    default_error_messages = {
        "does_not_exist": _("No category “%(value)s”."),
        "incorrect_type": _("Give a category id or slug."),
    }

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, str | int):
            self.fail("incorrect_type")
        value = str(data).strip()
        queryset = self.get_queryset()
        if value.isdigit():
            if not 0 < int(value) <= MAX_ID:
                self.fail("does_not_exist", value=value)
            lookup = {"pk": int(value)}
        else:
            lookup = {"slug": value}
        try:
            return queryset.get(**lookup)
        except Category.DoesNotExist:
            self.fail("does_not_exist", value=value)

    def to_representation(self, value):
        return value.pk


@extend_schema_field(OpenApiTypes.BINARY)
class UploadField(serializers.FileField):
    """An uploaded file; the action decides whether it is an image."""


class OptionalBooleanField(serializers.BooleanField):
    """A boolean that takes its default when a form leaves it out.

    DRF reads a missing boolean in form data as an unticked box (False); an
    API client that leaves ``is_public`` out of a multipart request means
    the default, as it does in JSON.
    """

    default_empty_html = empty


# --- Reference lists ----------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "name_en", "level", "parent", "code"]


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "name_en", "region"]


class OfficialSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Official
        fields = ["id", "name", "title", "title_en", "region", "department", "url"]


class CategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Category
        fields = ["id", "slug", "name", "name_en"]


class RegionQuerySerializer(serializers.Serializer):
    """``?region=<id>``: what serves this region (it or a region above it)."""

    region = IdField(queryset=Region.objects.all(), required=False)


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(Role.choices))
    official_id = serializers.IntegerField(allow_null=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()


# --- Messages -----------------------------------------------------------------


class MessageSerializer(serializers.ModelSerializer):
    """A message as the public board shows it: never the contact phone."""

    url = serializers.CharField(source="get_absolute_url", read_only=True)
    created = serializers.DateTimeField(source="created_at", read_only=True)
    published = serializers.DateTimeField(
        source="published_at", read_only=True, allow_null=True
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
            "created",
            "published",
        ]
        read_only_fields = fields

    def to_representation(self, message):
        data = super().to_representation(message)
        # Everyone but the author, moderators and addressee gets the public
        # version, which a moderator may have redacted.
        if not self.context.get("show_contact"):
            data["title"] = message.shown_title
            data["body"] = message.shown_body
            data["body_html"] = message.shown_body_html
        return data


class MessageEventSerializer(serializers.ModelSerializer):
    """One timeline entry; the actor appears as a role, never by name."""

    verb_label = serializers.CharField(source="get_verb_display", read_only=True)
    actor_role = serializers.SerializerMethodField()
    from_status = serializers.ChoiceField(
        choices=MessageStatus.choices, allow_blank=True, read_only=True
    )
    to_status = serializers.ChoiceField(
        choices=MessageStatus.choices, allow_blank=True, read_only=True
    )
    created = serializers.DateTimeField(source="created_at", read_only=True)
    note = serializers.SerializerMethodField()

    class Meta:
        model = MessageEvent
        fields = [
            "verb",
            "verb_label",
            "actor_role",
            "from_status",
            "to_status",
            "note",
            "created",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["author", "moderator", "official"], allow_null=True
        )
    )
    def get_note(self, event) -> str:
        """Staff notes only for those involved; public notes for everyone."""
        if event.note_is_public or self.context.get("show_contact"):
            return event.note
        return ""

    def get_actor_role(self, event) -> str | None:
        actor = event.actor
        if actor is None:
            return None
        author_id = self.context.get("author_id", None)
        if author_id is None:
            author_id = event.message.author_id
        if actor.pk == author_id:
            return "author"
        if is_moderator(actor):
            return "moderator"
        if (
            has_role(actor, Role.OFFICIAL)
            or has_role(actor, Role.HANDLER)
            or getattr(actor, "official", None)
        ):
            return "official"
        return None


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = MessageAttachment
        fields = ["id", "url", "width", "height", "content_type"]
        read_only_fields = fields


# The shapes of replies, ratings and follow-ups build on this module, so they
# are named here by path and imported when first used.
_HANDLING_SERIALIZERS = "board.handling_serializers"


class MessageDetailSerializer(MessageSerializer):
    """A message with its timeline, attachments, replies, rating, follow-ups
    and where its deadline stands.

    ``contact_phone`` is present only when the view says the reader may see
    it (context ``show_contact``): the author, moderators and the addressee.
    Which replies and follow-ups appear depends on the reader (context
    ``request``): drafts only inside the department and for moderators;
    follow-ups awaiting review only for their author and moderators.
    """

    # Not read-only so that the schema marks it optional: it is left out for
    # readers who may not see it. The serializer is never used for input.
    contact_phone = serializers.CharField(
        required=False,
        help_text=_("Only for the author, moderators and the addressee."),
    )
    timeline = serializers.SerializerMethodField()
    # The message's own images; a reply's are listed with the reply.
    attachments = serializers.SerializerMethodField()
    replies = serializers.SerializerMethodField()
    rating = serializers.SerializerMethodField()
    follow_ups = serializers.SerializerMethodField()
    working_days_left = serializers.SerializerMethodField(
        help_text=_("Until the reply is due; null unless the message is handled.")
    )
    escalated = serializers.SerializerMethodField(
        help_text=_("Escalated (督办) as overdue.")
    )

    class Meta(MessageSerializer.Meta):
        fields = [
            *MessageSerializer.Meta.fields,
            "contact_phone",
            "timeline",
            "attachments",
            "replies",
            "rating",
            "follow_ups",
            "due_date",
            "working_days_left",
            "extended_by_days",
            "extension_reason",
            "escalated",
            "transfer_count",
        ]
        read_only_fields = fields

    @property
    def reader(self):
        request = self.context.get("request")
        return request.user if request is not None else AnonymousUser()

    @extend_schema_field(MessageEventSerializer(many=True))
    def get_timeline(self, message):
        events = message_timeline(message)
        context = {**self.context, "author_id": message.author_id}
        return MessageEventSerializer(events, many=True, context=context).data

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, message):
        attachments = message.attachments.filter(reply__isnull=True)
        return AttachmentSerializer(attachments, many=True).data

    @extend_schema_field(
        lazy_serializer(f"{_HANDLING_SERIALIZERS}.ReplySerializer")(many=True)
    )
    def get_replies(self, message):
        from .handling_serializers import ReplySerializer

        replies = message_replies_visible(self.reader, message)
        return ReplySerializer(replies, many=True, context=self.context).data

    @extend_schema_field(
        lazy_serializer(f"{_HANDLING_SERIALIZERS}.RatingSerializer")(allow_null=True)
    )
    def get_rating(self, message):
        from .handling_serializers import RatingSerializer

        rating = message_rating(message)
        return RatingSerializer(rating).data if rating is not None else None

    @extend_schema_field(
        lazy_serializer(f"{_HANDLING_SERIALIZERS}.FollowUpSerializer")(many=True)
    )
    def get_follow_ups(self, message):
        from .handling_serializers import FollowUpSerializer

        follow_ups = message_follow_ups_visible(self.reader, message)
        return FollowUpSerializer(follow_ups, many=True).data

    def get_working_days_left(self, message) -> int | None:
        if message.status not in IN_HANDLING_STATUSES:
            return None
        return working_days_left(message)

    def get_escalated(self, message) -> bool:
        return message.escalated_at is not None

    def to_representation(self, message):
        data = super().to_representation(message)
        if not self.context.get("show_contact"):
            data.pop("contact_phone", None)
        return data


class MessageWriteSerializer(serializers.Serializer):
    """What a citizen writes; ``to_draft`` hands it to the actions."""

    addressee_official = IdField(
        queryset=Official.objects.select_related("region"),
        required=False,
        allow_null=True,
    )
    addressee_department = IdField(
        queryset=Department.objects.select_related("region"),
        required=False,
        allow_null=True,
    )
    region = IdField(queryset=Region.objects.select_related("parent__parent"))
    category = CategoryField(queryset=Category.objects.all())
    kind = serializers.ChoiceField(choices=MessageKind.choices)
    title = serializers.CharField(max_length=Message.TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=Message.BODY_MAX_LENGTH)
    is_public = OptionalBooleanField(default=True)
    contact_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )
    attachments = serializers.ListField(
        child=UploadField(),
        required=False,
        default=list,
        max_length=3,
        write_only=True,
        help_text=_("Up to three JPEG, PNG or WebP images (multipart only)."),
    )

    def to_draft(self, message: Message | None = None) -> MessageDraft:
        """The draft: the input, over ``message``'s current text for an edit."""
        data = dict(self.validated_data)
        data.pop("attachments", None)
        data.pop("remove_attachments", None)
        if message is None:
            return MessageDraft(**data)
        # Naming one addressee in an edit replaces the other.
        if "addressee_official" in data or "addressee_department" in data:
            data.setdefault("addressee_official", None)
            data.setdefault("addressee_department", None)
        current = {
            field: getattr(message, field)
            for field in MessageDraft.__dataclass_fields__
        }
        return MessageDraft(**{**current, **data})


class MessageEditSerializer(MessageWriteSerializer):
    remove_attachments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        write_only=True,
        help_text=_("Ids of attachments to remove."),
    )


class MessageWithdrawSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class MessageFilterSerializer(serializers.Serializer):
    """The public board's filters, from the query string."""

    region = IdField(
        queryset=Region.objects.all(),
        required=False,
        help_text=_("A region id; its subregions are included."),
    )
    official = IdField(queryset=Official.objects.all(), required=False)
    addressee = IdField(
        queryset=Official.objects.all(),
        required=False,
        help_text=_("Another name for ``official``."),
    )
    department = IdField(queryset=Department.objects.all(), required=False)
    category = CategoryField(
        queryset=Category.objects.all(),
        required=False,
        help_text=_("A category id or slug."),
    )
    kind = serializers.ChoiceField(choices=MessageKind.choices, required=False)
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in MessageStatus if s in PUBLIC_STATUSES],
        required=False,
    )

    def validate(self, attrs):
        addressee = attrs.pop("addressee", None)
        if addressee is not None:
            official = attrs.get("official")
            if official is not None and official != addressee:
                raise serializers.ValidationError(
                    {"addressee": [_("Give either official or addressee.")]}
                )
            attrs["official"] = addressee
        return attrs
