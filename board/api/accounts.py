"""The API's account endpoints: an API token for a password, and who the
token belongs to."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from board.roles import user_roles
from board.serializers import MeSerializer, TokenResponseSerializer


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
