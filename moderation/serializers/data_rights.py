"""The shapes of a citizen's data rights in the API: deleting the account
(the password confirms it) and what the deletion answers."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class AccountDeleteSerializer(serializers.Serializer):
    password = serializers.CharField(
        max_length=128,
        trim_whitespace=False,
        write_only=True,
        help_text=_("The account's password, to confirm the deletion."),
    )


class AccountDeletedSerializer(serializers.Serializer):
    deleted = serializers.BooleanField()
