"""The shapes of the account endpoints: the API token and the current user."""

from rest_framework import serializers

from board.roles import Role


class MeSerializer(serializers.Serializer):
    username = serializers.CharField()
    roles = serializers.ListField(child=serializers.ChoiceField(Role.choices))
    official_id = serializers.IntegerField(allow_null=True)


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
