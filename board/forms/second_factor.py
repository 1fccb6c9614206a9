"""allauth's second-factor forms with django-axes' lockout: a code is not
checked while the account is locked from this address, and a wrong one
counts as a failed login (board/second_factor.py). allauth's own limit on
codes rides on its "login_failed" limit, which the settings switch off so
that one lockout rules every way in."""

from allauth.core import context
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from django import forms

from board.lockout import is_login_locked, lockout_message_for, record_failed_login


class LockoutMixin:
    def clean_code(self) -> str:
        request = context.request
        username = self.user.get_username()
        if is_login_locked(request, username):
            # django-axes' middleware answers with the lockout page (429).
            request.axes_locked_out = True
            raise forms.ValidationError(lockout_message_for(request), code="locked_out")
        try:
            return super().clean_code()
        except forms.ValidationError:
            record_failed_login(request, username)
            raise


class SecondFactorForm(LockoutMixin, AuthenticateForm):
    """The code asked for after the password (``MFA_FORMS["authenticate"]``)."""


class SecondFactorReauthenticateForm(LockoutMixin, ReauthenticateForm):
    """The code asked for again before a sensitive change."""
