"""API tokens (django-rest-knox): issued for a password, stored only as a
hash, valid for ``REST_KNOX["TOKEN_TTL"]``, revoked at logout, password
change and deactivation."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from knox.models import AuthToken

from board.models import User
from board.permissions import ensure_verified_email


def _live_tokens(user: User):
    now = timezone.now()
    return AuthToken.objects.filter(user=user).filter(
        Q(expiry__isnull=True) | Q(expiry__gt=now)
    )


@transaction.atomic
def api_token_create(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for ``user``: the row (its hash) and the token itself,
    which is shown once and never stored.

    Only an account with a verified email address gets one. Beyond
    ``ZHITONG_API_TOKENS_PER_USER`` live tokens, the oldest are revoked.
    """
    ensure_verified_email(user)
    AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
    keep = max(settings.ZHITONG_API_TOKENS_PER_USER - 1, 0)
    surplus = (
        _live_tokens(user).order_by("-created").values_list("pk", flat=True)[keep:]
    )
    AuthToken.objects.filter(pk__in=list(surplus)).delete()
    return AuthToken.objects.create(user=user)


def api_token_revoke(*, token: AuthToken) -> None:
    """Revoke one token (the API's logout)."""
    AuthToken.objects.filter(pk=token.pk).delete()


def api_tokens_revoke_all(*, user: User) -> int:
    """Revoke every API token of ``user``; how many there were."""
    deleted, _rows = AuthToken.objects.filter(user=user).delete()
    return deleted


def api_tokens_delete_expired() -> int:
    """Delete the rows of expired tokens (they no longer authenticate)."""
    deleted, _rows = AuthToken.objects.filter(expiry__lte=timezone.now()).delete()
    return deleted
