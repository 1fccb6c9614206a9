"""A citizen's data rights in the API: ``GET /api/v1/me/export/`` downloads
everything about the account, ``POST /api/v1/me/delete/`` deletes it (the
password in the body). Routed from ``config/urls.py``; the verbs are
moderation's because they are audited (``moderation/actions/data_rights.py``).
"""

from django.contrib.auth import logout
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board.api.common import NOT_LOGGED_IN, error_response, validated_body
from moderation.actions import account_delete, account_export
from moderation.serializers import AccountDeletedSerializer, AccountDeleteSerializer
from moderation.views.data_rights import export_response


@extend_schema(tags=["me"])
class AccountExportView(APIView):
    # No verified email needed: anyone may take their data with them.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Download everything about your account",
        responses={
            200: OpenApiResponse(
                OpenApiTypes.OBJECT,
                description="The account, messages with their timeline, "
                "replies, ratings and follow-ups, follows, notifications and "
                "reports made, as a JSON file. The download is audited.",
            ),
            401: NOT_LOGGED_IN,
        },
    )
    def get(self, request):
        return export_response(account_export(user=request.user))


@extend_schema(tags=["me"])
class AccountDeleteView(APIView):
    # No verified email needed: anyone may delete their account.
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="Delete your account",
        description="Erases your personal data, withdraws messages awaiting "
        "review and keeps published ones, shown as written by a deleted user. "
        "Cannot be undone.",
        request=AccountDeleteSerializer,
        responses={
            200: AccountDeletedSerializer,
            400: error_response("No password, or not the account's password."),
            401: NOT_LOGGED_IN,
            403: error_response("A staff account (code staff_account)."),
        },
    )
    def post(self, request):
        data = validated_body(request, AccountDeleteSerializer)
        account_delete(user=request.user, password=data["password"])
        # A session client is logged out here; a token stops working because
        # the account is inactive.
        logout(request._request)
        return Response({"deleted": True})
