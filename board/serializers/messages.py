"""The shapes of a message on the board: the public list item, its timeline
entries and images, and what a citizen writes, edits, withdraws or filters.

Serializers check the shape of input (types, lengths, that ids exist); the
rules of the domain are checked by the actions they feed (``validate_draft``).
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from board.actions import MessageDraft
from board.lifecycle import PUBLIC_STATUSES, MessageStatus
from board.models import (
    AuthorShownAs,
    Category,
    Department,
    Message,
    MessageAttachment,
    MessageEvent,
    MessageKind,
    Official,
    Region,
)
from board.roles import Role, has_role, is_moderator
from board.selectors import SEARCH_MAX_LENGTH, search_highlight

from .fields import (
    MAX_ID,
    CategoryField,
    IdField,
    OptionalBooleanField,
    image_uploads_field,
)


def public_author_field():
    return serializers.CharField(
        source="public_author_name",
        read_only=True,
        help_text=_(
            "Who wrote it, as the public sees it: the name masked (王**) or "
            "匿名, as the author chose; never the full name."
        ),
    )


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

    verb_label = serializers.CharField(read_only=True)
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

    def get_note(self, event) -> str:
        """Staff notes only for those involved; public notes for everyone."""
        if event.note_is_public or self.context.get("show_contact"):
            return event.shown_note
        return ""

    @extend_schema_field(
        serializers.ChoiceField(
            choices=["author", "moderator", "official"], allow_null=True
        )
    )
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
    # Only those involved are shown a hidden photo at all.
    hidden_from_public = serializers.BooleanField(
        source="is_hidden_from_public",
        read_only=True,
        help_text=_("Hidden from the public by a moderator's redaction."),
    )

    class Meta:
        model = MessageAttachment
        fields = ["id", "url", "width", "height", "content_type", "hidden_from_public"]
        read_only_fields = fields


# --- What a citizen sends -------------------------------------------------------


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
    author_shown_as = serializers.ChoiceField(
        choices=AuthorShownAs.choices,
        default=AuthorShownAs.MASKED,
        help_text=_(
            "How the public sees the author: the name masked after its first "
            "character (masked, the default) or 匿名 (anonymous)."
        ),
    )
    contact_phone = serializers.CharField(
        max_length=Message.CONTACT_PHONE_MAX_LENGTH,
        required=False,
        allow_blank=True,
        default="",
    )
    attachments = image_uploads_field()

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


class BoardMessageSerializer(MessageSerializer):
    """A message in the board's list: with ``highlight`` when searching.
    ``author`` needs the author loaded with the list (select_related)."""

    author = public_author_field()

    highlight = serializers.SerializerMethodField(
        help_text=_(
            "With q: the public text around the first match, HTML-escaped, "
            "the matched words in <mark>; otherwise null."
        )
    )

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "author", "highlight"]
        read_only_fields = fields

    # What a list item reads of its message and author (the ids of the
    # related rows are columns of the message): a list reads its rows with
    # ``.only(*ROW_FIELDS)`` and the author alone joined, not the fifty
    # columns and four joined tables of a whole row.
    ROW_FIELDS = (
        *(
            field
            for field in MessageSerializer.Meta.fields
            if field not in {"url", "created", "published"}
        ),
        "created_at",
        "published_at",
        # shown_title, shown_body, shown_body_html: the public version.
        "is_redacted",
        "public_title",
        "public_body",
        "public_body_html",
        # public_author_name
        "author_shown_as",
        "author__display_name",
        "author__username",
        "author__deleted_at",
    )

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_highlight(self, message) -> str | None:
        search = self.context.get("search")
        if not search:
            return None
        # The public text only: never what a moderator redacted away.
        return str(search_highlight(message.shown_body, search))

    def to_representation(self, message):
        """The fields above, written out: DRF's loop over them (an attribute
        lookup and a field call for each of 17 fields of 20 rows) was a fifth
        of a list page rendered afresh. tests/test_api_message_list.py holds
        it to DRF's own representation of the declared fields."""
        published = message.published_at
        public = not self.context.get("show_contact")
        return {
            "id": message.pk,
            "reference": message.reference,
            "url": message.get_absolute_url(),
            "status": message.status,
            "kind": message.kind,
            "title": message.shown_title if public else message.title,
            "body": message.shown_body if public else message.body,
            "body_html": message.shown_body_html if public else message.body_html,
            "is_public": message.is_public,
            "region": message.region_id,
            "category": message.category_id,
            "addressee_official": message.addressee_official_id,
            "addressee_department": message.addressee_department_id,
            "created": _DATETIME.to_representation(message.created_at),
            "published": None
            if published is None
            else _DATETIME.to_representation(published),
            "author": message.public_author_name,
            "highlight": self.get_highlight(message),
        }

    def declared_representation(self, message):
        """DRF's representation of the declared fields, which
        ``to_representation`` writes out (for its test)."""
        return super().to_representation(message)


# Formats as the declared DateTimeFields do (ISO 8601 in the active time zone).
_DATETIME = serializers.DateTimeField()


class SimilarMessagesQuerySerializer(serializers.Serializer):
    text = serializers.CharField(
        max_length=Message.TITLE_MAX_LENGTH + Message.BODY_MAX_LENGTH + 1,
        help_text=_("The draft's title and body."),
    )


class SimilarMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    status = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in MessageStatus if s in PUBLIC_STATUSES]
    )
    score = serializers.FloatField(help_text=_("How similar, from 0 to 1."))


class MessageFilterSerializer(serializers.Serializer):
    """The public board's filters, from the query string."""

    q = serializers.CharField(
        max_length=SEARCH_MAX_LENGTH,
        required=False,
        allow_blank=True,
        help_text=_(
            "Words to search for in titles, bodies and replies (Chinese or "
            "English); results come best match first unless sort=newest."
        ),
    )
    sort = serializers.ChoiceField(
        choices=[("newest", _("Newest first")), ("relevance", _("Best match first"))],
        required=False,
        help_text=_("With q: relevance (the default) or newest."),
    )

    region = IdField(
        queryset=Region.objects.all(),
        kept_as="api-filter:region",
        required=False,
        help_text=_("A region id; its subregions are included."),
    )
    official = IdField(
        queryset=Official.objects.all(), kept_as="api-filter:official", required=False
    )
    addressee = IdField(
        queryset=Official.objects.all(),
        kept_as="api-filter:official",
        required=False,
        help_text=_("Another name for ``official``."),
    )
    department = IdField(
        queryset=Department.objects.all(),
        kept_as="api-filter:department",
        required=False,
    )
    category = CategoryField(
        queryset=Category.objects.all(),
        kept_as="api-filter:category",
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
