"""Receivers for django-allauth's signals; each calls one action."""

from allauth.account.signals import user_signed_up
from django.dispatch import receiver

from .roles import Role


@receiver(user_signed_up, dispatch_uid="board.user_signed_up")
def make_new_user_a_citizen(sender, request, user, **kwargs):
    from .actions import user_grant_role

    user_grant_role(user=user, role=Role.CITIZEN)
