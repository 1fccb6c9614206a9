"""The API's account endpoints: an API token for a password, its logout, and
who the token belongs to.

Tokens are django-rest-knox's: stored as a hash, valid for
``REST_KNOX["TOKEN_TTL"]``, revoked by ``auth/logout/``, a password change,
deactivation and logging out of the site (board/signals.py). The password
check goes through ``django.contrib.auth.authenticate`` with the request, so
django-axes' lockout (board/lockout.py) covers it like the login form.
"""

from django.contrib.auth import authenticate, user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board.actions import api_token_create, api_token_revoke
from board.api.authentication import TokenAuthentication
from board.errors import NotAllowed, ValidationFailed
from board.lockout import is_locked_out, lockout_response
from board.roles import user_roles
from board.second_factor import (
    CODE_MISSING_MESSAGE,
    CODE_WRONG_MESSAGE,
    SECOND_FACTOR_REQUIRED,
    SETUP_REQUIRED_MESSAGE,
    needs_second_factor_setup,
    second_factor_code_is_valid,
    uses_second_factor,
)
from board.serializers import (
    MeSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)

from .common import (
    INVALID_INPUT,
    NOT_LOGGED_IN,
    VerifiedEmailForWrites,
    error_response,
    validated_body,
)

WRONG_CREDENTIALS = _("Unable to log in with provided credentials.")


class KnoxTokenScheme(OpenApiAuthenticationExtension):
    """The token scheme keeps the name and text the schema gave DRF's
    TokenAuthentication ("tokenAuth"): clients send the same header."""

    target_class = "knox.auth.TokenAuthentication"
    name = "tokenAuth"
    # Before drf-spectacular's own knox extension ("knoxApiToken").
    priority = 1
    # board.api.authentication's subclass included.
    match_subclasses = True

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": 'Token-based authentication with required prefix "Token"',
        }


@extend_schema(
    tags=["auth"],
    request=TokenRequestSerializer,
    responses={
        200: TokenResponseSerializer,
        400: INVALID_INPUT,
        403: error_response(
            "The account's email address is not verified (code "
            "email_unverified), or a staff account has no second factor set "
            "up yet (code second_factor_required: set it up on the site)."
        ),
        429: error_response(
            "Too many failed logins for this account from this address "
            "(code locked_out); Retry-After says when to try again."
        ),
    },
    auth=[],
)
class TokenObtainView(APIView):
    """Exchange a username (or email address) and password for an API token.

    Each call issues a new token, valid until `expiry`; keep it, it is shown
    once. An account with two-factor authentication sends the current code
    as `otp` (400 on `otp` when it is missing or wrong). Repeated wrong
    passwords or codes lock the account from this address for a while, the
    right one included (429).
    """

    # A browser's session cookie must not turn this into a CSRF-checked call.
    authentication_classes = ()
    permission_classes = [AllowAny]

    def post(self, request):
        data = validated_body(request, TokenRequestSerializer)
        user = authenticate(
            request=request._request,
            username=data["username"],
            password=data["password"],
        )
        if is_locked_out(request._request):
            return lockout_response(request._request)
        if user is None:
            raise ValidationError(
                {"non_field_errors": [WRONG_CREDENTIALS]}, code="authorization"
            )
        self.check_second_factor(user, data.get("otp", ""))
        instance, token = api_token_create(user=user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        serializer = TokenResponseSerializer(
            {"token": token, "expiry": instance.expiry}
        )
        return Response(serializer.data)

    def check_second_factor(self, user, code: str) -> None:
        """Staff need a second factor set up on the site first; an account
        with one sends its code as ``otp`` (board/second_factor.py)."""
        if needs_second_factor_setup(user):
            raise NotAllowed(SETUP_REQUIRED_MESSAGE, code=SECOND_FACTOR_REQUIRED)
        if not uses_second_factor(user):
            return
        if not code:
            raise ValidationFailed(CODE_MISSING_MESSAGE, field="otp", code="required")
        if not second_factor_code_is_valid(self.request._request, user, code):
            raise ValidationFailed(CODE_WRONG_MESSAGE, field="otp", code="invalid")


class TokenLogoutView(APIView):
    """Revoke the token this request is made with."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["auth"], request=None, responses={204: None, 401: NOT_LOGGED_IN}
    )
    def post(self, request):
        """Log out: the token of this request stops working at once."""
        api_token_revoke(token=request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    permission_classes = [IsAuthenticated, VerifiedEmailForWrites]

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
