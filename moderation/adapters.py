"""django-allauth adapter: refuse sign-ups from blocked email domains, and
read the client's address the way the rest of the site does."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from board.clients import client_address

from .models import BlockedEmailDomain


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request):
        """allauth's own limits (login, sign-up, password reset) count per
        client address: behind the proxy, not the proxy's (board.clients)."""
        return client_address(request) or super().get_client_ip(request)

    def clean_email(self, email):
        email = super().clean_email(email)
        if BlockedEmailDomain.blocking(email) is not None:
            raise forms.ValidationError(
                _("Addresses at this email domain cannot register here.")
            )
        return email
