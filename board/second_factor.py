"""The second factor (allauth.mfa: an authenticator app's TOTP codes, with
recovery codes for a lost phone).

Staff (moderators, officials, department staff, admins) must have one when
``ZHITONG_STAFF_SECOND_FACTOR`` is on (the default whenever DEBUG is off):
until they set it up, every page but the set-up pages sends them there
(``board.middleware.SecondFactorSetupMiddleware``), the API answers 403
``second_factor_required`` and their notification socket is closed. Anyone
who has one (a citizen may add it too) is asked for a code at every way in:
allauth's login form asks for it after the password, ``/admin/login/``
goes through that form, and ``POST /api/v1/auth/token/`` takes it as
``otp``. A wrong code counts as a failed login in django-axes' lockout
(board/lockout.py), so codes cannot be guessed faster than passwords.
"""

from allauth.core import context
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from board.lockout import is_login_locked, record_failed_login
from board.roles import is_staff_member

SECOND_FACTOR_REQUIRED = "second_factor_required"
SETUP_REQUIRED_MESSAGE = _(
    "Staff accounts need two-factor authentication. Set up an authenticator "
    "app to continue."
)
CODE_MISSING_MESSAGE = _(
    "This account uses two-factor authentication: send the code from the "
    "authenticator app (or a recovery code) as otp."
)
CODE_WRONG_MESSAGE = _("Incorrect code.")
# A manual code: TOTP or a recovery code (WebAuthn has none).
CODE_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES)


def second_factor_required(user) -> bool:
    return bool(settings.ZHITONG_STAFF_SECOND_FACTOR) and is_staff_member(user)


def has_second_factor(user) -> bool:
    """An authenticator app is set up (recovery codes alone do not count:
    allauth makes them only beside one)."""
    return (
        user.is_authenticated
        and Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()
    )


def needs_second_factor_setup(user) -> bool:
    return user.is_authenticated and (
        second_factor_required(user) and not has_second_factor(user)
    )


def uses_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=CODE_TYPES).exists()


def second_factor_code_is_valid(request, user, code: str) -> bool:
    """Checks a code against the user's authenticators (a recovery code is
    used up), counting a wrong one as a failed login. The caller checks
    ``is_login_locked`` first."""
    code = (code or "").strip()
    with context.request_context(request):
        for authenticator in Authenticator.objects.filter(
            user=user, type__in=CODE_TYPES
        ):
            if code and authenticator.wrap().validate_code(code):
                return True
    record_failed_login(request, user.get_username())
    return False


def second_factor_locked(request, user) -> bool:
    return is_login_locked(request, user.get_username())
