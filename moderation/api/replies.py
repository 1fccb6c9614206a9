"""Moderating a reply: hide, restore, redact, or resolve the public's
reports about it (``/api/v1/moderation/replies/{id}/…``)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from board.api.common import (
    NUMERIC_ID,
    VerifiedEmailForWrites,
    id_parameter,
    validated_body,
)
from board.models import Reply
from board.roles import is_moderator
from moderation.actions import (
    reply_hide,
    reply_redact,
    reply_reports_resolve,
    reply_restore,
)
from moderation.serializers import (
    HideSerializer,
    ModerationReplySerializer,
    ReplyRedactSerializer,
    ResolveReportsSerializer,
    RestoreSerializer,
)

from .common import REPLY_ERRORS, IsModerator


def _reply_action_schema(request, summary):
    return extend_schema(
        summary=summary,
        parameters=[id_parameter()],
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

    permission_classes = [IsAuthenticated, IsModerator, VerifiedEmailForWrites]
    queryset = Reply.objects.none()
    # Any other text in the id's place is no route: a JSON 404, not a 500.
    lookup_value_regex = NUMERIC_ID

    def _respond(self, reply: Reply) -> Response:
        reply.refresh_from_db()
        return Response(ModerationReplySerializer(reply).data)

    @_reply_action_schema(HideSerializer, "Hide a published reply")
    @action(detail=True, methods=["post"])
    def hide(self, request, pk):
        reply = _reply_for_moderation(request.user, pk)
        data = validated_body(request, HideSerializer)
        reply_hide(
            reply=reply, actor=request.user, reason=data["reason"], note=data["note"]
        )
        return self._respond(reply)

    @_reply_action_schema(RestoreSerializer, "Restore a hidden reply")
    @action(detail=True, methods=["post"])
    def restore(self, request, pk):
        reply = _reply_for_moderation(request.user, pk)
        data = validated_body(request, RestoreSerializer)
        reply_restore(reply=reply, actor=request.user, note=data["note"])
        return self._respond(reply)

    @_reply_action_schema(ReplyRedactSerializer, "Mask personal data in a reply")
    @action(detail=True, methods=["post"])
    def redact(self, request, pk):
        reply = _reply_for_moderation(request.user, pk)
        data = validated_body(request, ReplyRedactSerializer)
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
        data = validated_body(request, ResolveReportsSerializer)
        reply_reports_resolve(
            reply=reply,
            actor=request.user,
            resolution=data["resolution"],
            reason=data["reason"],
            note=data["note"],
        )
        return self._respond(reply)
