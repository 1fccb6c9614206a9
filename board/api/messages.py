"""The API's messages: the public board, one message's page, and what its
author writes, edits and withdraws."""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import BasePagination, CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from board import page_cache
from board.actions import message_edit, message_submit, message_withdraw
from board.models import Message
from board.permissions import ensure_can_submit, is_involved
from board.replicas import public_reads
from board.selectors import (
    BOARD_PAGE_SIZE,
    BoardFilters,
    access_message,
    message_list_public,
    ranked_page,
    similar_messages,
)
from board.serializers import (
    BoardMessageSerializer,
    MessageDetailSerializer,
    MessageEditSerializer,
    MessageFilterSerializer,
    MessageSerializer,
    MessageWithdrawSerializer,
    MessageWriteSerializer,
    SimilarMessageSerializer,
    SimilarMessagesQuerySerializer,
)

from .common import (
    JSON_AND_FORM_PARSERS,
    MESSAGE_ID,
    MESSAGE_NOT_FOUND,
    NOT_LOGGED_IN,
    NUMERIC_ID,
    VerifiedEmailForWrites,
    error_response,
    validated,
    validated_body,
)

# The author's endpoints keep their own, shorter wording.
MESSAGE_ERRORS = {
    400: error_response("Invalid input."),
    401: NOT_LOGGED_IN,
    403: error_response("Not allowed."),
}
NOT_FOUND = {404: MESSAGE_NOT_FOUND}


def message_detail_response(
    request, message: Message, status_code=status.HTTP_200_OK, headers=None
) -> Response:
    """The message's page as this reader may see it."""
    context = {"request": request, "show_contact": is_involved(request.user, message)}
    serializer = MessageDetailSerializer(message, context=context)
    return Response(serializer.data, status=status_code, headers=headers)


class MessagePagination(CursorPagination):
    ordering = ("-published_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not valid.")]}
            ) from None

    def paginate_queryset(self, queryset, request, view=None):
        # Two reads, as the board's (board_page_numbered): DRF walks the
        # cursor over the keys alone, which the board's order indexes give
        # without touching the table (their INCLUDE columns hold the
        # filters), then the page's rows are read by id. Read whole, a rare
        # filter combination fetches thousands of table rows to find 21.
        keys = super().paginate_queryset(
            queryset.values("pk", *(field.lstrip("-") for field in self.ordering)),
            request,
            view,
        )
        if keys is None:
            return None
        rows = queryset.order_by().in_bulk([key["pk"] for key in keys])
        # ``self.page`` keeps the keys, from which DRF makes the links; a
        # row changed between the two reads (hidden, say) is left out.
        return [rows[key["pk"]] for key in keys if key["pk"] in rows]


class RankedPagination(BasePagination):
    """Search results best match first: pages by number (``page``), as no
    cursor follows a relevance order; the links have the shape of the
    cursor pages' (``next``, ``previous``, ``results``), without a count."""

    page_query_param = "page"
    page_size_query_param = MessagePagination.page_size_query_param
    max_page_size = MessagePagination.max_page_size

    def paginate_queryset(self, queryset, request, view=None):
        number = request.query_params.get(self.page_query_param, "1")
        if not number.isdigit() or int(number) < 1:
            raise ValidationError(
                {self.page_query_param: [_("A page number is 1 or more.")]}
            )
        size = request.query_params.get(self.page_size_query_param, "")
        size = (
            min(int(size), self.max_page_size)
            if size.isdigit() and int(size) > 0
            else BOARD_PAGE_SIZE
        )
        self.request = request
        self.page = ranked_page(queryset, number=number, size=size)
        return self.page.items

    def _link(self, number: int) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.page_query_param, number)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link(self.page.number + 1)
                if self.page.has_next
                else None,
                "previous": (
                    self._link(self.page.number - 1) if self.page.has_previous else None
                ),
                "results": data,
            }
        )


@extend_schema_view(
    list=extend_schema(
        summary="The public board, and searching it",
        parameters=[MessageFilterSerializer],
        responses={
            200: BoardMessageSerializer(many=True),
            400: MESSAGE_ERRORS[400],
        },
    ),
    similar=extend_schema(
        summary="Published messages like a draft (up to 5, answered first)",
        parameters=[SimilarMessagesQuerySerializer],
        responses={
            200: SimilarMessageSerializer(many=True),
            400: MESSAGE_ERRORS[400],
        },
    ),
    retrieve=extend_schema(
        summary="One message, with its timeline and attachments",
        parameters=[MESSAGE_ID],
        responses={200: MessageDetailSerializer, **NOT_FOUND},
    ),
    create=extend_schema(
        summary="Write a message (verified citizens)",
        request={
            "application/json": MessageWriteSerializer,
            "multipart/form-data": MessageWriteSerializer,
        },
        responses={201: MessageDetailSerializer, **MESSAGE_ERRORS},
    ),
    partial_update=extend_schema(
        summary="Edit a message awaiting review (its author)",
        parameters=[MESSAGE_ID],
        request={
            "application/json": MessageEditSerializer,
            "multipart/form-data": MessageEditSerializer,
        },
        responses={200: MessageDetailSerializer, **MESSAGE_ERRORS, **NOT_FOUND},
    ),
    withdraw=extend_schema(
        summary="Withdraw a message awaiting review (its author)",
        parameters=[MESSAGE_ID],
        request=MessageWithdrawSerializer,
        responses={
            200: MessageDetailSerializer,
            **MESSAGE_ERRORS,
            **NOT_FOUND,
            409: error_response("Not awaiting review."),
        },
    ),
)
@extend_schema(tags=["messages"])
class MessageViewSet(viewsets.GenericViewSet):
    """Messages from citizens to officials and departments."""

    # Only for the schema's path parameter; every read goes through a selector.
    queryset = Message.objects.none()
    serializer_class = MessageSerializer
    pagination_class = MessagePagination
    parser_classes = JSON_AND_FORM_PARSERS
    lookup_value_regex = NUMERIC_ID
    # board/ratelimits.py: editing counts with submitting.
    rate_limits = {
        "create": "posting",
        "partial_update": "posting",
        # Asked as a citizen types: counted apart from the other reads.
        "similar": "search",
    }

    def get_permissions(self):
        if self.action in {"create", "partial_update", "withdraw"}:
            return [IsAuthenticated(), VerifiedEmailForWrites()]
        return [AllowAny(), VerifiedEmailForWrites()]

    def list(self, request):
        """Published public messages, newest first, one page per cursor."""
        # Anonymous readers share cached pages (board/page_cache.py), after
        # the throttle and authentication have run.
        if page_cache.is_cacheable(request):
            copy, cached = page_cache.lookup(
                request, [page_cache.LISTS], request.META.get("HTTP_ACCEPT", "")
            )
            if cached is not None:
                return cached
            self.page_cache_copy = copy
        if page_cache.is_anonymous_read(request):
            # What anonymous readers see may come from a read replica.
            with public_reads():
                return self.board_page(request)
        return self.board_page(request)

    def board_page(self, request):
        query = validated(MessageFilterSerializer, request.query_params)
        filters = BoardFilters(**query.validated_data)
        # The public author's name (masked or 匿名) is in every row; the
        # region, category and addressee only by id.
        messages = (
            message_list_public(filters=filters)
            .select_related(None)
            .select_related("author")
            .only(*BoardMessageSerializer.ROW_FIELDS)
        )
        if filters.is_ranked:
            self._paginator = RankedPagination()
        page = self.paginate_queryset(messages)
        serializer = BoardMessageSerializer(
            page, many=True, context={"request": request, "search": filters.q}
        )
        return self.get_paginated_response(serializer.data)

    @action(detail=False, methods=["get"], pagination_class=None)
    def similar(self, request):
        """While a citizen writes: published messages like the draft, so an
        existing answer can settle the question."""
        text = validated(SimilarMessagesQuerySerializer, request.query_params)
        found = similar_messages(text.validated_data["text"])
        return Response(
            SimilarMessageSerializer(
                [
                    {
                        "id": message.pk,
                        "title": message.shown_title,
                        "url": message.get_absolute_url(),
                        "status": message.status,
                        "score": round(score, 3),
                    }
                    for message, score in found
                ],
                many=True,
            ).data
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        copy = getattr(self, "page_cache_copy", None)
        if copy is not None and isinstance(response, Response):
            response.render()
            response = page_cache.store(request, copy, response)
        return response

    def retrieve(self, request, pk):
        """A message its reader may see; any other id is not found."""
        return message_detail_response(request, access_message(request.user, pk))

    def create(self, request):
        """Submit a message; it awaits review and gets a reference.

        ``author_shown_as`` (``masked``, the default, or ``anonymous``) is how
        the public will see the author. There is no 留言须知 checkbox here:
        the page's checkbox is for a person at the form, and an API client
        shows its users the guidelines (GET /guidelines/) itself."""
        # Refuse a non-citizen before reading the input, whatever it holds.
        ensure_can_submit(request.user)
        serializer = validated(MessageWriteSerializer, request.data)
        message = message_submit(
            author=request.user,
            draft=serializer.to_draft(),
            images=serializer.validated_data["attachments"],
        )
        location = reverse("api:message-detail", args=[message.pk])
        return message_detail_response(
            request, message, status.HTTP_201_CREATED, headers={"Location": location}
        )

    def partial_update(self, request, pk):
        """Change the given fields of a message awaiting review."""
        message = access_message(request.user, pk)
        serializer = validated(MessageEditSerializer, request.data, partial=True)
        message = message_edit(
            message=message,
            actor=request.user,
            draft=serializer.to_draft(message),
            new_images=serializer.validated_data.get("attachments", []),
            remove_attachment_ids=serializer.validated_data.get(
                "remove_attachments", []
            ),
        )
        return message_detail_response(request, message)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk):
        """Withdraw a message awaiting review; it leaves the review queue."""
        message = access_message(request.user, pk)
        data = validated_body(request, MessageWithdrawSerializer)
        message = message_withdraw(
            message=message, actor=request.user, note=data["note"]
        )
        return message_detail_response(request, message)
