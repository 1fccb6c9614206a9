"""The public's reports: any signed-in user reports a published message
(``/api/v1/messages/{id}/report/``) or reply (``/api/v1/replies/{id}/report/``)
to the moderators, once. Routed from ``config/urls.py``."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board.api.common import (
    MESSAGE_NOT_FOUND,
    NOT_LOGGED_IN,
    REPLY_NOT_FOUND,
    VerifiedEmailForWrites,
    error_response,
    id_parameter,
    validated_body,
)
from board.models import Reply, ReplyStatus
from board.selectors import access_message
from moderation.actions import message_report, reply_report
from moderation.serializers import ReportSerializer


@extend_schema(tags=["messages"])
class MessageReportView(APIView):
    """``POST /api/v1/messages/{id}/report/``: any signed-in user, once."""

    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]
    rate_limits = {"post": "reporting"}  # board/ratelimits.py

    @extend_schema(
        summary="Report a published message to the moderators",
        parameters=[id_parameter("message_id")],
        request=ReportSerializer,
        responses={
            201: ReportSerializer,
            400: error_response(
                "No reason, your own message, not published, or already "
                "reported by you (code already_reported)."
            ),
            401: NOT_LOGGED_IN,
            404: MESSAGE_NOT_FOUND,
        },
    )
    def post(self, request, message_id):
        """Enough distinct reports send it to the flagged queue; it stays up."""
        message = access_message(request.user, message_id)
        data = validated_body(request, ReportSerializer)
        report = message_report(
            message=message, reporter=request.user, reason=data["reason"]
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["replies"])
class ReplyReportView(APIView):
    """``POST /api/v1/replies/{id}/report/``: any signed-in user, once."""

    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]
    rate_limits = {"post": "reporting"}  # board/ratelimits.py

    @extend_schema(
        summary="Report a published reply to the moderators",
        parameters=[id_parameter("reply_id")],
        request=ReportSerializer,
        responses={
            201: ReportSerializer,
            400: error_response("No reason, your own reply, or already reported."),
            401: NOT_LOGGED_IN,
            404: REPLY_NOT_FOUND,
        },
    )
    def post(self, request, reply_id):
        reply = get_object_or_404(
            Reply.objects.select_related("message"),
            pk=reply_id,
            status=ReplyStatus.PUBLISHED,
        )
        access_message(request.user, reply.message_id)
        data = validated_body(request, ReportSerializer)
        report = reply_report(reply=reply, reporter=request.user, reason=data["reason"])
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)
