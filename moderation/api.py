"""The moderation API (``/api/v1/moderation/``) and public reports.

Moderators only: citizens and officials get 403, anonymous callers 401. Each
endpoint checks its input with a serializer, calls one action from
``moderation.actions`` and answers with the item as moderators see it.
Domain errors become 4xx through ``board.api.exception_handler``: a claim
held by someone else or a stale ``seen_updated_at`` is 409 (ClaimConflict),
an illegal move 409, bad input 400 naming the field.

Replies have their own endpoints under ``/api/v1/moderation/replies/{id}/``
(hide, restore, redact, resolve-reports) and ``/api/v1/replies/{id}/report/``.
"""

from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board.models import Message, Reply, ReplyStatus
from board.roles import is_moderator
from board.selectors import access_message

from .actions import (
    bulk_decide,
    message_approve,
    message_hide,
    message_mark_duplicate,
    message_redact,
    message_reject,
    message_report,
    message_request_changes,
    message_restore,
    moderator_note_add,
    queue_item_claim,
    queue_item_release,
    reports_resolve,
)
from .reply_actions import (
    reply_hide,
    reply_redact,
    reply_report,
    reply_reports_resolve,
    reply_restore,
)
from .selectors import access_message_for_moderation, queue_counts, queue_items
from .serializers import (
    ApproveSerializer,
    BulkDecisionSerializer,
    BulkResultSerializer,
    ClaimedItemSerializer,
    ClaimSerializer,
    DuplicateSerializer,
    HideSerializer,
    ModerationItemSerializer,
    ModerationReplySerializer,
    ModeratorNoteSerializer,
    NoteAddSerializer,
    QueuePageSerializer,
    QueueQuerySerializer,
    RedactSerializer,
    RejectSerializer,
    ReleasedItemSerializer,
    ReplyRedactSerializer,
    ReportSerializer,
    RequestChangesSerializer,
    ResolveReportsSerializer,
    RestoreSerializer,
)


class IsModerator(BasePermission):
    """Moderators and admins; anyone else is refused before any lookup."""

    message = _("Only moderators can do this.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and is_moderator(request.user)


def _error(description):
    return OpenApiResponse(OpenApiTypes.OBJECT, description=description)


ERRORS = {
    400: _error("Invalid input; the field at fault is named."),
    401: _error("Not logged in."),
    403: _error("Not a moderator, or not allowed (second approval)."),
}
ITEM_ERRORS = {
    **ERRORS,
    404: _error("No such message."),
    409: _error(
        "Another moderator holds the item (code claimed), it changed since "
        "seen_updated_at (code stale), or its status does not allow this "
        "(code invalid_transition)."
    ),
}


MESSAGE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


def _item_action_schema(request, summary, response=ModerationItemSerializer):
    return extend_schema(
        summary=summary,
        parameters=[MESSAGE_ID],
        request=request,
        responses={200: response, **ITEM_ERRORS},
    )


class QueuePagination(LimitOffsetPagination):
    # Limit/offset, not a cursor: the queues sort on nullable and computed
    # keys (review time, pre-screen score), which a cursor cannot follow.
    default_limit = 20
    max_limit = 100


@extend_schema(tags=["moderation"])
class ModerationQueueView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        summary="A moderation queue, one page at a time",
        parameters=[
            QueueQuerySerializer,
            OpenApiParameter("limit", int, description="Items per page (≤ 100)."),
            OpenApiParameter("offset", int, description="Items to skip."),
        ],
        responses={200: QueuePageSerializer, **ERRORS},
    )
    def get(self, request):
        """Items of one queue, with every queue's size in ``counts``.

        Pending is oldest first (or riskiest first with ``sort=risk``);
        flagged is oldest flag first; the archives are newest first.
        """
        query = QueueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        messages = queue_items(
            query.validated_data["queue"], query.to_filters()
        ).select_related("first_approved_by")
        if "open_reports" not in messages.query.annotations:
            messages = messages.annotate(
                open_reports=Count(
                    "reports", filter=Q(reports__resolved_at__isnull=True)
                )
            )
        paginator = QueuePagination()
        page = paginator.paginate_queryset(messages, request, view=self)
        context = {"request": request, "now": timezone.now()}
        return Response(
            {
                "counts": queue_counts(),
                "count": paginator.count,
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": ModerationItemSerializer(
                    page, many=True, context=context
                ).data,
            }
        )


@extend_schema(tags=["moderation"])
class ModerationMessageViewSet(viewsets.GenericViewSet):
    """Acting on one message in the queues."""

    # Only for the schema's path parameter; every read goes through a selector.
    queryset = Message.objects.none()
    serializer_class = ModerationItemSerializer
    permission_classes = [IsModerator]
    lookup_value_regex = r"[0-9]+"

    def input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

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
        data = self.input(ClaimSerializer)
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
        data = self.input(ApproveSerializer)
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
        data = self.input(RejectSerializer)
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
        data = self.input(RequestChangesSerializer)
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
        data = self.input(RedactSerializer)
        message_redact(
            message=message,
            actor=request.user,
            title=data.get("title"),
            body=data.get("body"),
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)

    @_item_action_schema(DuplicateSerializer, "Mark as a duplicate of another")
    @action(detail=True, methods=["post"])
    def duplicate(self, request, pk):
        """A pending duplicate is rejected; a public one is hidden."""
        message = access_message_for_moderation(request.user, pk)
        data = self.input(DuplicateSerializer)
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
        data = self.input(HideSerializer)
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
        data = self.input(RestoreSerializer)
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
        data = self.input(NoteAddSerializer)
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
        data = self.input(ResolveReportsSerializer)
        reports_resolve(
            message=message,
            actor=request.user,
            resolution=data["resolution"],
            reason=data["reason"],
            note=data["note"],
            seen_updated_at=data.get("seen_updated_at"),
        )
        return self.item_response(pk)


@extend_schema(tags=["moderation"])
class ModerationBulkView(APIView):
    permission_classes = [IsModerator]

    @extend_schema(
        summary="Approve or reject several items",
        request=BulkDecisionSerializer,
        responses={200: BulkResultSerializer, **ERRORS},
    )
    def post(self, request):
        """Each item passes the same rules alone; one refusal undoes nothing.

        Every id gets an outcome: ``ok`` and the item's status now, or the
        reason it was refused (claimed by someone else, not pending, …).
        """
        serializer = BulkDecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = data["ids"]
        found = Message.objects.in_bulk(ids)
        outcome = bulk_decide(
            messages=[found[pk] for pk in ids],
            actor=request.user,
            decision=data["decision"],
            reason=data["reason"],
            note=data["note"],
        )
        statuses = dict(Message.objects.filter(pk__in=ids).values_list("pk", "status"))
        results = [
            {
                "id": pk,
                "ok": outcome[pk] == "ok",
                "status": statuses[pk],
                "detail": "" if outcome[pk] == "ok" else str(outcome[pk]),
            }
            for pk in ids
        ]
        return Response({"results": results})


@extend_schema(tags=["messages"])
class MessageReportView(APIView):
    """``POST /api/v1/messages/{id}/report/``: any signed-in user, once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Report a published message to the moderators",
        parameters=[OpenApiParameter("message_id", int, OpenApiParameter.PATH)],
        request=ReportSerializer,
        responses={
            201: ReportSerializer,
            400: _error(
                "No reason, your own message, not published, or already "
                "reported by you (code already_reported)."
            ),
            401: ERRORS[401],
            404: _error("No such message."),
        },
    )
    def post(self, request, message_id):
        """Enough distinct reports send it to the flagged queue; it stays up."""
        message = access_message(request.user, message_id)
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = message_report(
            message=message,
            reporter=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


REPLY_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
REPLY_ERRORS = {**ITEM_ERRORS, 404: _error("No such reply.")}


def _reply_action_schema(request, summary):
    return extend_schema(
        summary=summary,
        parameters=[REPLY_ID],
        request=request,
        responses={200: ModerationReplySerializer, **REPLY_ERRORS},
    )


def _reply_for_moderation(user, pk) -> Reply:
    if not is_moderator(user):
        raise PermissionDenied
    return get_object_or_404(Reply.objects.select_related("message"), pk=pk)


@extend_schema(tags=["moderation"])
class ModerationReplyViewSet(viewsets.GenericViewSet):
    """Hide, restore, redact a reply, or resolve reports about it."""

    permission_classes = [IsAuthenticated, IsModerator]
    queryset = Reply.objects.none()

    def _respond(self, reply: Reply) -> Response:
        reply.refresh_from_db()
        return Response(ModerationReplySerializer(reply).data)

    def _input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @_reply_action_schema(HideSerializer, "Hide a published reply")
    @action(detail=True, methods=["post"])
    def hide(self, request, pk):
        reply = _reply_for_moderation(request.user, pk)
        data = self._input(HideSerializer)
        reply_hide(
            reply=reply, actor=request.user, reason=data["reason"], note=data["note"]
        )
        return self._respond(reply)

    @_reply_action_schema(RestoreSerializer, "Restore a hidden reply")
    @action(detail=True, methods=["post"])
    def restore(self, request, pk):
        reply = _reply_for_moderation(request.user, pk)
        data = self._input(RestoreSerializer)
        reply_restore(reply=reply, actor=request.user, note=data["note"])
        return self._respond(reply)

    @_reply_action_schema(ReplyRedactSerializer, "Mask personal data in a reply")
    @action(detail=True, methods=["post"])
    def redact(self, request, pk):
        reply = _reply_for_moderation(request.user, pk)
        data = self._input(ReplyRedactSerializer)
        reply_redact(
            reply=reply,
            actor=request.user,
            body=data.get("body") or None,
            note=data["note"],
        )
        return self._respond(reply)

    @_reply_action_schema(ResolveReportsSerializer, "Resolve reports about a reply")
    @action(detail=True, methods=["post"], url_path="resolve-reports")
    def resolve_reports(self, request, pk):
        reply = _reply_for_moderation(request.user, pk)
        data = self._input(ResolveReportsSerializer)
        reply_reports_resolve(
            reply=reply,
            actor=request.user,
            resolution=data["resolution"],
            reason=data["reason"],
            note=data["note"],
        )
        return self._respond(reply)


@extend_schema(tags=["replies"])
class ReplyReportView(APIView):
    """``POST /api/v1/replies/{id}/report/``: any signed-in user, once."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Report a published reply to the moderators",
        parameters=[OpenApiParameter("reply_id", int, OpenApiParameter.PATH)],
        request=ReportSerializer,
        responses={
            201: ReportSerializer,
            400: _error("No reason, your own reply, or already reported."),
            401: ERRORS[401],
            404: _error("No such reply."),
        },
    )
    def post(self, request, reply_id):
        reply = get_object_or_404(
            Reply.objects.select_related("message"),
            pk=reply_id,
            status=ReplyStatus.PUBLISHED,
        )
        access_message(request.user, reply.message_id)
        serializer = ReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = reply_report(
            reply=reply,
            reporter=request.user,
            reason=serializer.validated_data["reason"],
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
