"""django-allauth adapter: refuse sign-ups from blocked email domains."""

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.utils.translation import gettext as _

from .models import BlockedEmailDomain


class AccountAdapter(DefaultAccountAdapter):
    def clean_email(self, email):
        email = super().clean_email(email)
        if BlockedEmailDomain.blocking(email) is not None:
            raise forms.ValidationError(
                _("Addresses at this email domain cannot register here.")
            )
        return email
