"""The shapes of the account endpoints: the API token and the current user."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from board.roles import Role


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(Role.choices))
    official_id = serializers.IntegerField(allow_null=True)


# The schema's name and fields of DRF's AuthTokenSerializer, which this
# endpoint used before: the published schema only grows.
@extend_schema_serializer(component_name="AuthToken")
class TokenRequestSerializer(serializers.Serializer):
    """A username (or an email address of the account), its password and,
    for an account with two-factor authentication, a code."""

    username = serializers.CharField(
        label=_("Username"), max_length=254, write_only=True
    )
    password = serializers.CharField(
        label=_("Password"),
        max_length=4096,
        trim_whitespace=False,
        write_only=True,
        style={"input_type": "password"},
    )
    otp = serializers.CharField(
        label=_("Two-factor code"),
        max_length=64,
        required=False,
        write_only=True,
        help_text=(
            "The authenticator app's current code, or a recovery code: "
            "required for accounts with two-factor authentication."
        ),
    )
    token = serializers.CharField(label=_("Token"), read_only=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        help_text="Send it as `Authorization: Token <token>`; it is shown once."
    )
    expiry = serializers.DateTimeField(
        allow_null=True, help_text="When the token stops working."
    )
