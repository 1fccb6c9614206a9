"""The officials' side of the API: the inbox and the handling actions.

``GET /api/v1/inbox/`` lists what is routed to an official or to department
staff. The actions sit beside ``/api/v1/messages/{id}/withdraw/``: accept,
transfer, replies, extend for the addressee; rating and follow-ups for the
author; ``/api/v1/replies/{id}/sign-off/`` for the department's officials.

Each action view finds the message with ``access_message`` (404 when the
reader may not see it), refuses whoever may not act (403) before reading the
input, checks the input's shape with a serializer (400 naming the field) and
calls one handling action, whose domain errors become 4xx through
``common.exception_handler`` (an illegal move is 409).
"""

from django.conf import settings
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board.actions import (
    ensure_can_handle,
    follow_up_allowed,
    follow_up_submit,
    message_accept,
    message_extend,
    message_transfer,
    rating_submit,
    reply_create,
    reply_sign_off,
)
from board.deadlines import add_working_days
from board.errors import NotAllowed
from board.models import Message, Reply, TransferRequest
from board.selectors import (
    access_message,
    access_reply,
    inbox_counts,
    inbox_items,
    inbox_scope,
)
from board.serializers import (
    ExtendSerializer,
    FollowUpSerializer,
    FollowUpSubmitSerializer,
    InboxItemSerializer,
    InboxPageSerializer,
    InboxQuerySerializer,
    MessageDetailSerializer,
    RatingSubmitSerializer,
    RatingSubmittedSerializer,
    ReplyCreateSerializer,
    ReplySerializer,
    TransferReferredSerializer,
    TransferSerializer,
    working_days_left_by_id,
)

from .common import (
    CONFLICT,
    ERRORS,
    JSON_AND_FORM_PARSERS,
    MESSAGE_ID,
    NUMERIC_ID,
    PAGE_PARAMETERS,
    REPLY_ID,
    CountedPagination,
    VerifiedEmailForWrites,
    error_response,
    validated,
    validated_body,
)
from .messages import message_detail_response

# --- The inbox -----------------------------------------------------------------


class HasInbox(BasePermission):
    """Officials with a profile and department staff (handlers)."""

    message = gettext_lazy("Only officials and department staff have an inbox.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and inbox_scope(request.user) is not None


@extend_schema(tags=["inbox"])
class InboxView(APIView):
    permission_classes = [HasInbox, VerifiedEmailForWrites]

    @extend_schema(
        summary="The messages routed to me or my department",
        parameters=[InboxQuerySerializer, *PAGE_PARAMETERS],
        responses={
            200: InboxPageSerializer,
            400: ERRORS[400],
            401: ERRORS[401],
            403: ERRORS[403],
        },
    )
    def get(self, request):
        """Overdue first, then by the nearest deadline, then the oldest;
        answered messages after those being handled. ``counts`` has the size
        of each status and of the overdue and near-deadline messages under
        the same category and region filters."""
        filters = validated(InboxQuerySerializer, request.query_params).validated_data
        messages = inbox_items(
            request.user,
            status=filters.get("status"),
            category=filters.get("category"),
            region=filters.get("region"),
        )
        paginator = CountedPagination()
        page = paginator.paginate_queryset(messages, request, view=self)
        counts = inbox_counts(
            request.user, category=filters.get("category"), region=filters.get("region")
        )
        today = timezone.localdate()
        context = {
            "request": request,
            # Routed to the reader: the original text, not a redacted one.
            "show_contact": True,
            "today": today,
            "near_limit": add_working_days(
                today, settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS
            ),
            "working_days_left": working_days_left_by_id(page, today),
        }
        return paginator.get_counted_response(
            InboxItemSerializer(page, many=True, context=context).data,
            counts={
                "published": counts["published"],
                "accepted": counts["accepted"],
                "replied": counts["replied"],
                "closed": counts["closed"],
                "overdue": counts["overdue"],
                "near_deadline": counts["near"],
            },
        )


# --- Acting on a message -----------------------------------------------------------


def _ensure_is_author(user, message: Message, refusal: str) -> None:
    if message.author_id != user.pk:
        raise NotAllowed(refusal)


def _extend_summary() -> str:
    days = settings.ZHITONG_MAX_EXTENSION_WORKING_DAYS
    return f"Extend the deadline once (at most {days} working days)"


@extend_schema(tags=["handling"], parameters=[MESSAGE_ID])
class MessageHandlingViewSet(viewsets.GenericViewSet):
    """What the addressee and the author do with a routed message."""

    # Only for the schema's path parameter; every read goes through a selector.
    queryset = Message.objects.none()
    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]
    parser_classes = JSON_AND_FORM_PARSERS
    lookup_value_regex = NUMERIC_ID
    # board/ratelimits.py
    rate_limits = {
        "replies": "replies",
        "rating": "ratings",
        "follow_ups": "follow_ups",
    }

    def handled_message(self, pk) -> Message:
        """The message, if the reader may see it and works its inbox."""
        message = access_message(self.request.user, pk)
        ensure_can_handle(self.request.user, message)
        return message

    def detail_response(self, message_id: int) -> Response:
        # Read again after the action, with everything the detail shows.
        message = (
            Message.objects.with_board_relations()
            .select_related("author")
            .get(pk=message_id)
        )
        return message_detail_response(self.request, message)

    @extend_schema(
        summary="Accept a message (受理)",
        request=None,
        responses={200: MessageDetailSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk):
        """The addressee takes a published message on; it becomes accepted."""
        message = self.handled_message(pk)
        message_accept(message=message, actor=request.user)
        return self.detail_response(message.pk)

    @extend_schema(
        summary="Transfer a message to another official or department (转办)",
        request=TransferSerializer,
        responses={
            200: OpenApiResponse(
                MessageDetailSerializer,
                description="Transferred: the new addressee's deadline starts now.",
            ),
            202: OpenApiResponse(
                TransferReferredSerializer,
                description=(
                    "Past the transfer limit: a transfer request went to the "
                    "moderators, who decide; the addressee is unchanged."
                ),
            ),
            **ERRORS,
            **CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk):
        """Give ``to_official`` or ``to_department`` and the public ``reason``."""
        message = self.handled_message(pk)
        data = validated_body(request, TransferSerializer)
        result = message_transfer(
            message=message,
            actor=request.user,
            reason=data["reason"],
            to_official=data.get("to_official"),
            to_department=data.get("to_department"),
        )
        if isinstance(result, TransferRequest):
            return Response(
                {"transfer_request": result.pk, "status": "referred_to_moderators"},
                status=status.HTTP_202_ACCEPTED,
            )
        return self.detail_response(message.pk)

    @extend_schema(
        summary="Reply: a progress note, the final reply, or a correction",
        request={
            "application/json": ReplyCreateSerializer,
            "multipart/form-data": ReplyCreateSerializer,
        },
        responses={
            201: OpenApiResponse(
                ReplySerializer,
                description=(
                    "The reply; a draft awaiting an official's sign-off when "
                    "the department requires it of its staff."
                ),
            ),
            **ERRORS,
            **CONFLICT,
        },
    )
    @action(detail=True, methods=["post"])
    def replies(self, request, pk):
        """A final reply needs an accepted message; a published reply is
        never edited: ``corrects`` links a correction to it."""
        message = self.handled_message(pk)
        data = validated_body(request, ReplyCreateSerializer, message=message)
        reply = reply_create(
            message=message,
            actor=request.user,
            body=data["body"],
            final=data["final"],
            images=data["attachments"],
            corrects=data.get("corrects"),
        )
        context = {"request": request, "show_contact": True}
        return Response(
            ReplySerializer(reply, context=context).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=lazy(_extend_summary, str)(),
        request=ExtendSerializer,
        responses={200: MessageDetailSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def extend(self, request, pk):
        """The reason is public; a second extension is refused (``working_days``)."""
        message = self.handled_message(pk)
        data = validated_body(request, ExtendSerializer)
        message_extend(
            message=message,
            actor=request.user,
            working_days=data["working_days"],
            reason=data["reason"],
        )
        return self.detail_response(message.pk)

    @extend_schema(
        summary="Rate the final reply (评价; the author)",
        request=RatingSubmitSerializer,
        responses={201: RatingSubmittedSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def rating(self, request, pk):
        """Rated satisfied, the message closes. ``offer_follow_up`` is true when
        the problem is not resolved (2 or less) and a follow-up is possible."""
        message = access_message(request.user, pk)
        _ensure_is_author(
            request.user, message, _("Only the author can rate the reply.")
        )
        data = validated_body(request, RatingSubmitSerializer)
        rating = rating_submit(message=message, actor=request.user, **data)
        message.refresh_from_db()
        offer = rating.resolved <= 2 and follow_up_allowed(message)[0]
        return Response(
            RatingSubmittedSerializer(rating, context={"offer_follow_up": offer}).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary="Ask a follow-up question (追问; the author)",
        request=FollowUpSubmitSerializer,
        responses={201: FollowUpSerializer, **ERRORS, **CONFLICT},
    )
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk):
        """At most 2 per message, within 30 days of the reply; a moderator
        reviews it before it goes back to the addressee."""
        message = access_message(request.user, pk)
        _ensure_is_author(
            request.user, message, _("Only the author can ask a follow-up.")
        )
        data = validated_body(request, FollowUpSubmitSerializer)
        follow_up = follow_up_submit(
            message=message, actor=request.user, body=data["body"]
        )
        return Response(
            FollowUpSerializer(follow_up).data, status=status.HTTP_201_CREATED
        )


@extend_schema(tags=["handling"])
class ReplyViewSet(viewsets.GenericViewSet):
    """Replies awaiting an official's sign-off."""

    queryset = Reply.objects.none()
    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]
    lookup_value_regex = NUMERIC_ID

    @extend_schema(
        summary="Sign off a staff draft; it is published",
        parameters=[REPLY_ID],
        request=None,
        responses={
            200: ReplySerializer,
            **ERRORS,
            404: error_response("No such reply, or not visible to you."),
            409: error_response("Not a draft, or the message cannot take it now."),
        },
    )
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk):
        """Officials of the handling department only; staff cannot."""
        reply = access_reply(request.user, pk)
        reply = reply_sign_off(reply=reply, actor=request.user)
        context = {"request": request, "show_contact": True}
        return Response(ReplySerializer(reply, context=context).data)
