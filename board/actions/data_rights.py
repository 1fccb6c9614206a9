"""A citizen's data rights, board's part: erasing an account.

``account_erase`` is board's half of deleting an account; the whole verb is
``moderation.actions.data_rights.account_delete``, which checks the password
and writes the audit event (board cannot reach the audit trail: it never
imports moderation). Nothing else calls it.
"""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from board.lifecycle import EDITABLE_STATUSES
from board.models import (
    Message,
    MessageFollow,
    Notification,
    NotificationPreference,
    User,
)

from .follows import message_unfollow
from .messages import message_withdraw


def deleted_username(user_id: int) -> str:
    """The username a deleted account keeps: unique, and names nobody."""
    return f"deleted-{user_id}"


@transaction.atomic
def account_erase(*, user: User) -> bool:
    """Erase a citizen's personal data and close the account for good.

    Messages still awaiting review (or changes) are withdrawn through the
    lifecycle; public and routed messages stay, attributed to "Deleted
    user", without the contact phone. The email addresses, names and
    password go, so nobody can log in as the account again; notifications,
    preferences and follows (同问, counted down) go too. The row is kept:
    messages, ratings and follow-ups point at it.

    Holds a SELECT FOR UPDATE lock on the user. Answers ``False`` when the
    account was deleted already.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.deleted_at is not None:
        return False
    for message in Message.objects.filter(author=user, status__in=EDITABLE_STATUSES):
        message_withdraw(message=message, actor=user)
    Message.objects.filter(author=user).exclude(contact_phone="").update(
        contact_phone=""
    )
    for follow in MessageFollow.objects.filter(user=user).select_related("message"):
        message_unfollow(message=follow.message, user=user)
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    EmailAddress.objects.filter(user=user).delete()
    # Roles go with the account; the group change also ends its sockets.
    user.groups.clear()
    user.username = deleted_username(user.pk)
    user.email = ""
    user.display_name = ""
    user.first_name = ""
    user.last_name = ""
    user.language = ""
    user.department = None
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()
    user.save()
    return True
