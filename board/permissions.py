"""Who may see and do what with a message. Actions and selectors call these."""

from allauth.account.models import EmailAddress
from django.utils.translation import gettext as _

from .errors import NotAllowed
from .lifecycle import EDITABLE_STATUSES, PUBLIC_STATUSES
from .roles import Role, has_role, is_moderator


def is_addressee(user, message) -> bool:
    """The official it is addressed to, or an official of its department."""
    if not user.is_authenticated:
        return False
    official = getattr(user, "official", None)
    if official is None:
        return False
    if message.addressee_official_id is not None:
        return message.addressee_official_id == official.pk
    return official.department_id == message.addressee_department_id


def can_view_message(user, message) -> bool:
    if message.is_on_public_board:
        return True
    if not user.is_authenticated:
        return False
    if message.author_id == user.pk or is_moderator(user):
        return True
    # The addressee sees a private message once it has been reviewed and routed;
    # a pending one may still be rejected as abusive.
    return message.status in PUBLIC_STATUSES and is_addressee(user, message)


def has_verified_email(user) -> bool:
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def ensure_can_submit(user) -> None:
    if not user.is_authenticated:
        raise NotAllowed(_("Please log in to write a message."))
    if not has_role(user, Role.CITIZEN):
        raise NotAllowed(_("Only citizen accounts can write messages."))
    if not has_verified_email(user):
        raise NotAllowed(
            _("Please verify your email address before writing a message."),
            code="email_unverified",
        )


def can_edit_message(user, message) -> bool:
    return (
        user.is_authenticated
        and message.author_id == user.pk
        and message.status in EDITABLE_STATUSES
    )


def ensure_is_author(user, message) -> None:
    if not user.is_authenticated or message.author_id != user.pk:
        raise NotAllowed(_("Only the author can change this message."))
