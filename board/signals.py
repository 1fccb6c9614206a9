"""Signal receivers. Each only relays to an action or an event."""

from allauth.account.signals import user_signed_up
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out
from django.db import transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import translation

from board.actions import user_grant_role, user_language_set
from board.realtime.events import (
    auth_revoked_event,
    group_send_now,
    session_group,
    user_group,
)
from board.roles import Role


@receiver(user_signed_up, dispatch_uid="board.user_signed_up")
def make_new_user_a_citizen(sender, request, user, **kwargs):
    user_grant_role(user=user, role=Role.CITIZEN)


@receiver(user_signed_up, dispatch_uid="board.signup_language")
def remember_signup_language(sender, request, user, **kwargs):
    """Emails come in the language the user signed up in, until they switch."""
    user_language_set(user=user, language=translation.get_language() or "")


@receiver(user_logged_out, dispatch_uid="board.close_sockets_on_logout")
def close_sockets_of_session(sender, request, user, **kwargs):
    """The sockets opened with this login end with it."""
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        group_send_now(session_group(session_key), auth_revoked_event())


@receiver(pre_save, sender=get_user_model(), dispatch_uid="board.revoke_on_change")
def close_sockets_on_password_change_or_deactivation(sender, instance, **kwargs):
    """A socket's user is fixed at connect time, so a new password or a
    deactivated account must end the user's open sockets."""
    if instance.pk is None:
        return
    old = sender.objects.filter(pk=instance.pk).values("password", "is_active").first()
    if old is None:
        return
    if old["password"] != instance.password or (
        old["is_active"] and not instance.is_active
    ):
        group = user_group(instance.pk)
        transaction.on_commit(lambda: group_send_now(group, auth_revoked_event()))
