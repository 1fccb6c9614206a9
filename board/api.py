"""The JSON API, version 1 (``/api/v1/``).

Views are thin: a serializer checks the input, one action or selector does
the work. Domain errors (``BoardError``) become 4xx responses naming the
field at fault, through ``exception_handler``.
"""

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView, set_rollback
from rest_framework.views import exception_handler as drf_exception_handler

from .actions import message_edit, message_submit, message_withdraw
from .errors import BoardError
from .models import Category, Department, Message, Official, Region
from .permissions import ensure_can_submit, is_involved
from .roles import user_roles
from .selectors import (
    BoardFilters,
    access_message,
    message_list_public,
    region_ancestor_ids,
)
from .serializers import (
    CategorySerializer,
    DepartmentSerializer,
    MeSerializer,
    MessageDetailSerializer,
    MessageEditSerializer,
    MessageFilterSerializer,
    MessageSerializer,
    MessageWithdrawSerializer,
    MessageWriteSerializer,
    OfficialSerializer,
    RegionQuerySerializer,
    RegionSerializer,
    TokenResponseSerializer,
)


def exception_handler(exc, context):
    """DRF's handler, plus ``BoardError`` as ``{field: [message], "code": …}``.

    An error without a field becomes ``{"detail": message, "code": …}``, the
    shape DRF gives its own 401 and 403 responses.
    """
    if isinstance(exc, BoardError):
        message = str(exc.message)
        if exc.field:
            data = {exc.field: [message], "code": exc.code}
        else:
            data = {"detail": message, "code": exc.code}
        set_rollback()
        return Response(data, status=exc.status_code)
    return drf_exception_handler(exc, context)


# --- Accounts -------------------------------------------------------------------


@extend_schema(
    tags=["auth"],
    request=AuthTokenSerializer,
    responses={200: TokenResponseSerializer, 400: OpenApiResponse(OpenApiTypes.OBJECT)},
    auth=[],
)
class TokenObtainView(ObtainAuthToken):
    """Exchange a username and password for an API token."""

    # A browser's session cookie must not turn this into a CSRF-checked call.
    authentication_classes = ()


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(tags=["auth"], responses=MeSerializer)
    def get(self, request):
        """The authenticated user: username, roles and official profile."""
        user = request.user
        official = getattr(user, "official", None)
        data = {
            "username": user.username,
            "roles": user_roles(user),
            "official_id": official.pk if official else None,
        }
        return Response(MeSerializer(data).data)


# --- Reference lists ----------------------------------------------------------------


class ReferenceListViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """A short list, given whole."""

    pagination_class = None


@extend_schema(tags=["reference"])
class RegionViewSet(ReferenceListViewSet):
    """Provinces, cities and counties."""

    queryset = Region.objects.all()
    serializer_class = RegionSerializer


class ServingRegionMixin:
    """``?region=<id>`` keeps what serves that region: it or one above it."""

    def filter_by_region(self, queryset):
        query = RegionQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        region = query.validated_data.get("region")
        if region is None:
            return queryset
        return queryset.filter(region_id__in=region_ancestor_ids(region))


@extend_schema(tags=["reference"])
@extend_schema_view(list=extend_schema(parameters=[RegionQuerySerializer]))
class DepartmentViewSet(ServingRegionMixin, ReferenceListViewSet):
    """Departments that receive messages."""

    serializer_class = DepartmentSerializer

    def get_queryset(self):
        return self.filter_by_region(Department.objects.all())


@extend_schema(tags=["reference"])
@extend_schema_view(list=extend_schema(parameters=[RegionQuerySerializer]))
class OfficialViewSet(ServingRegionMixin, ReferenceListViewSet):
    """Officials who receive messages at present."""

    serializer_class = OfficialSerializer

    def get_queryset(self):
        return self.filter_by_region(Official.objects.filter(is_active=True))


@extend_schema(tags=["reference"])
class CategoryViewSet(ReferenceListViewSet):
    """The categories a citizen can choose."""

    queryset = Category.objects.filter(is_active=True)
    serializer_class = CategorySerializer


# --- Messages -----------------------------------------------------------------------


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


MESSAGE_ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input."),
    401: OpenApiResponse(OpenApiTypes.OBJECT, description="Not logged in."),
    403: OpenApiResponse(OpenApiTypes.OBJECT, description="Not allowed."),
}
MESSAGE_ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
NOT_FOUND = {404: OpenApiResponse(OpenApiTypes.OBJECT, description="No such message.")}


@extend_schema_view(
    list=extend_schema(
        summary="The public board",
        parameters=[MessageFilterSerializer],
        responses={200: MessageSerializer(many=True), 400: MESSAGE_ERRORS[400]},
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
            409: OpenApiResponse(
                OpenApiTypes.OBJECT, description="Not awaiting review."
            ),
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
    parser_classes = [parsers.JSONParser, parsers.MultiPartParser, parsers.FormParser]
    lookup_value_regex = r"[0-9]+"

    def get_permissions(self):
        if self.action in {"create", "partial_update", "withdraw"}:
            return [IsAuthenticated()]
        return [AllowAny()]

    def detail_response(self, message, status_code=status.HTTP_200_OK, headers=None):
        serializer = MessageDetailSerializer(
            message,
            context={
                "request": self.request,
                "show_contact": is_involved(self.request.user, message),
            },
        )
        return Response(serializer.data, status=status_code, headers=headers)

    def list(self, request):
        """Published public messages, newest first, one page per cursor."""
        query = MessageFilterSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        messages = message_list_public(filters=BoardFilters(**query.validated_data))
        page = self.paginate_queryset(messages)
        serializer = MessageSerializer(page, many=True, context={"request": request})
        return self.get_paginated_response(serializer.data)

    def retrieve(self, request, pk):
        """A message its reader may see; any other id is not found."""
        return self.detail_response(access_message(request.user, pk))

    def create(self, request):
        """Submit a message; it awaits review and gets a reference."""
        # Refuse a non-citizen before reading the input, whatever it holds.
        ensure_can_submit(request.user)
        serializer = MessageWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = message_submit(
            author=request.user,
            draft=serializer.to_draft(),
            images=serializer.validated_data["attachments"],
        )
        location = reverse("api:message-detail", args=[message.pk])
        return self.detail_response(
            message, status.HTTP_201_CREATED, headers={"Location": location}
        )

    def partial_update(self, request, pk):
        """Change the given fields of a message awaiting review."""
        message = access_message(request.user, pk)
        serializer = MessageEditSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        message = message_edit(
            message=message,
            actor=request.user,
            draft=serializer.to_draft(message),
            new_images=serializer.validated_data.get("attachments", []),
            remove_attachment_ids=serializer.validated_data.get(
                "remove_attachments", []
            ),
        )
        return self.detail_response(message)

    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk):
        """Withdraw a message awaiting review; it leaves the review queue."""
        message = access_message(request.user, pk)
        serializer = MessageWithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        message = message_withdraw(
            message=message,
            actor=request.user,
            note=serializer.validated_data["note"],
        )
        return self.detail_response(message)
