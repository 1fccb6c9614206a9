"""Reads about accounts: which account a login names."""

from allauth.account.models import EmailAddress
from django.db.models import Q

from board.models import User


def user_for_login(login: str) -> User | None:
    """The account a login form's "username" names: a username or one of the
    account's email addresses, in any letter case; None for no account."""
    login = (login or "").strip()
    if not login:
        return None
    by_email = EmailAddress.objects.filter(email__iexact=login).values("user_id")
    return (
        User.objects.filter(
            Q(username__iexact=login) | Q(email__iexact=login) | Q(pk__in=by_email)
        )
        .order_by("pk")
        .first()
    )


# The longest key django-axes can store (AccessAttempt.username).
LOGIN_KEY_MAX_LENGTH = 255


def login_account_key(request, credentials: dict | None = None) -> str:
    """The account a login attempt is counted against (django-axes'
    ``AXES_USERNAME_CALLABLE``).

    allauth's form passes what was typed as ``username`` and, when it looks
    like an address, as ``email``; the admin and the API pass ``username``.
    Whichever of an account's names was typed, in whatever case, the key is
    the account's username, so the failures of every way in add up. A login
    that names no account is counted under its own lower-cased text.
    """
    credentials = credentials or {}
    login = credentials.get("username") or credentials.get("email")
    if not login and request is not None:
        data = getattr(request, "POST", None) or {}
        login = data.get("username") or data.get("login")
    login = str(login or "").strip()
    if not login:
        return ""
    user = user_for_login(login)
    key = user.get_username() if user is not None else login.lower()
    return key[:LOGIN_KEY_MAX_LENGTH]
