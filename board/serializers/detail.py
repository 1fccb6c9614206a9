"""A message's page in the API: the message with its timeline, images,
replies, rating, follow-ups and where its deadline stands.

It sits above ``messages`` and ``handling``, whose shapes it lists.
"""

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from board.deadlines import working_days_left
from board.lifecycle import IN_HANDLING_STATUSES
from board.roles import load_roles
from board.selectors import (
    message_attachments_visible,
    message_follow_ups_visible,
    message_rating,
    message_replies_visible,
    message_timeline,
)

from .handling import FollowUpSerializer, RatingSerializer, ReplySerializer
from .messages import (
    AttachmentSerializer,
    MessageEventSerializer,
    MessageSerializer,
    public_author_field,
)


class MessageDetailSerializer(MessageSerializer):
    """A message with its timeline, attachments, replies, rating, follow-ups
    and where its deadline stands.

    ``contact_phone`` is present only when the view says the reader may see
    it (context ``show_contact``): the author, moderators and the addressee.
    Which replies and follow-ups appear depends on the reader (context
    ``request``): drafts only inside the department and for moderators;
    follow-ups awaiting review only for their author and moderators;
    photos a moderator hid from the public only for those involved.
    """

    # Not read-only so that the schema marks it optional: it is left out for
    # readers who may not see it. The serializer is never used for input.
    contact_phone = serializers.CharField(
        required=False,
        help_text=_("Only for the author, moderators and the addressee."),
    )
    author = public_author_field()
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
            "author",
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
        events = list(message_timeline(message))
        # The actors' roles in one query, not one per entry (actor_role).
        load_roles(event.actor for event in events)
        context = {**self.context, "author_id": message.author_id}
        return MessageEventSerializer(events, many=True, context=context).data

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, message):
        attachments = message_attachments_visible(self.reader, message)
        return AttachmentSerializer(attachments, many=True).data

    @extend_schema_field(ReplySerializer(many=True))
    def get_replies(self, message):
        replies = message_replies_visible(self.reader, message)
        return ReplySerializer(replies, many=True, context=self.context).data

    @extend_schema_field(RatingSerializer(allow_null=True))
    def get_rating(self, message):
        rating = message_rating(message)
        return RatingSerializer(rating).data if rating is not None else None

    @extend_schema_field(FollowUpSerializer(many=True))
    def get_follow_ups(self, message):
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
