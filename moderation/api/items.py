"""Acting on one message in the moderation queues: claim and release,
approve, reject, return, redact, mark duplicate, hide, restore, notes and
the public's reports about it."""

from drf_spectacular.utils import extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from board.api.common import (
    MESSAGE_ID,
    NUMERIC_ID,
    VerifiedEmailForWrites,
    validated_body,
)
from board.models import Message
from moderation.actions import (
    message_approve,
    message_hide,
    message_mark_duplicate,
    message_redact,
    message_reject,
    message_request_changes,
    message_restore,
    moderator_note_add,
    queue_item_claim,
    queue_item_release,
    reports_resolve,
)
from moderation.selectors import access_message_for_moderation
from moderation.serializers import (
    ApproveSerializer,
    ClaimedItemSerializer,
    ClaimSerializer,
    DuplicateSerializer,
    HideSerializer,
    ModerationItemSerializer,
    ModeratorNoteSerializer,
    NoteAddSerializer,
    RedactSerializer,
    RejectSerializer,
    ReleasedItemSerializer,
    RequestChangesSerializer,
    ResolveReportsSerializer,
    RestoreSerializer,
)

from .common import ITEM_ERRORS, IsModerator


def _item_action_schema(request, summary, response=ModerationItemSerializer):
    return extend_schema(
        summary=summary,
        parameters=[MESSAGE_ID],
        request=request,
        responses={200: response, **ITEM_ERRORS},
    )


@extend_schema(tags=["moderation"])
class ModerationMessageViewSet(viewsets.GenericViewSet):
    """Acting on one message in the queues."""

    # Only for the schema's path parameter; every read goes through a selector.
    queryset = Message.objects.none()
    serializer_class = ModerationItemSerializer
    permission_classes = [IsModerator, VerifiedEmailForWrites]
    lookup_value_regex = NUMERIC_ID

    def item_data(self, message_id) -> dict:
        # Read again after the action, with everything the item shows.
        message = access_message_for_moderation(self.request.user, message_id)
        context = {"request": self.request}
        return ModerationItemSerializer(message, context=context).data

    def item_response(self, message_id) -> Response:
        return Response(self.item_data(message_id))

    @_item_action_schema(ClaimSerializer, "Claim an item", ClaimedItemSerializer)
    @action(detail=True, methods=["post"])
    def claim(self, request, pk):
        """Hold the item for a while, so that no other moderator acts on it."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, ClaimSerializer)
        claimed = queue_item_claim(
            message=message, actor=request.user, take_over=data["take_over"]
        )
        return Response({"claimed": claimed, **self.item_data(pk)})

    @_item_action_schema(None, "Release a claim", ReleasedItemSerializer)
    @action(detail=True, methods=["post"])
    def release(self, request, pk):
        """Give the item back to the queue."""
        message = access_message_for_moderation(request.user, pk)
        released = queue_item_release(message=message, actor=request.user)
        return Response({"released": released, **self.item_data(pk)})

    @_item_action_schema(ApproveSerializer, "Approve and route a pending message")
    @action(detail=True, methods=["post"])
    def approve(self, request, pk):
        """Publish (or route privately); a flagged-risk item needs two moderators."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, ApproveSerializer)
        message_approve(
            message=message,
            actor=request.user,
            addressee_official=data.get("addressee_official"),
            addressee_department=data.get("addressee_department"),
            category=data.get("category"),
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @_item_action_schema(RejectSerializer, "Reject a pending message")
    @action(detail=True, methods=["post"])
    def reject(self, request, pk):
        """Reject with a reason code the citizen sees explained."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, RejectSerializer)
        message_reject(
            message=message,
            actor=request.user,
            reason=data["reason"],
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @_item_action_schema(RequestChangesSerializer, "Return a message to its author")
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk):
        """The author's edit sends it back to the pending queue."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, RequestChangesSerializer)
        message_request_changes(
            message=message,
            actor=request.user,
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @_item_action_schema(RedactSerializer, "Mask personal data in the public version")
    @action(detail=True, methods=["post"])
    def redact(self, request, pk):
        """The public sees the redacted text; the addressee sees the original."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, RedactSerializer)
        message_redact(
            message=message,
            actor=request.user,
            title=data.get("title"),
            body=data.get("body"),
            note=data["note"],
            hidden_attachment_ids=data.get("hidden_attachments"),
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @_item_action_schema(DuplicateSerializer, "Mark as a duplicate of another")
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk):
        """A pending duplicate is rejected; a public one is hidden."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, DuplicateSerializer)
        message_mark_duplicate(
            message=message,
            actor=request.user,
            of=data["of"],
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @_item_action_schema(HideSerializer, "Hide a public message")
    @action(detail=True, methods=["post"])
    def hide(self, request, pk):
        """Take it off the board with a reason; it can be restored."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, HideSerializer)
        message_hide(
            message=message,
            actor=request.user,
            reason=data["reason"],
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @_item_action_schema(RestoreSerializer, "Restore a hidden message")
    @action(detail=True, methods=["post"])
    def restore(self, request, pk):
        """Back to the status it was hidden from."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, RestoreSerializer)
        message_restore(
            message=message,
            actor=request.user,
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @extend_schema(
        methods=["GET"],
        summary="Moderator notes on an item",
        parameters=[MESSAGE_ID],
        request=None,
        responses={200: ModeratorNoteSerializer(many=True), **ITEM_ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a moderator note",
        parameters=[MESSAGE_ID],
        request=NoteAddSerializer,
        responses={201: ModeratorNoteSerializer, **ITEM_ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def notes(self, request, pk):
        """Notes moderators leave each other; never shown outside."""
        message = access_message_for_moderation(request.user, pk)
        if request.method == "GET":
            notes = message.moderator_notes.select_related("author")
            return Response(ModeratorNoteSerializer(notes, many=True).data)
        data = validated_body(request, NoteAddSerializer)
        note = moderator_note_add(
            message=message, actor=request.user, body=data["body"]
        )
        return Response(
            ModeratorNoteSerializer(note).data, status=status.HTTP_201_CREATED
        )

    @_item_action_schema(ResolveReportsSerializer, "Resolve the public's reports")
    @action(detail=True, methods=["post"], url_path="resolve-reports")
    def resolve_reports(self, request, pk):
        """Keep, hide (with a reason code) or redact a flagged message."""
        message = access_message_for_moderation(request.user, pk)
        data = validated_body(request, ResolveReportsSerializer)
        reports_resolve(
            message=message,
            actor=request.user,
            resolution=data["resolution"],
            reason=data["reason"],
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)
