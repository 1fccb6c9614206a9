"""同问: supporting a public message and following it."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from board.errors import NotAllowed, ValidationFailed
from board.models import (
    Message,
    MessageFollow,
    User,
)
from board.permissions import ensure_verified_email
from board.realtime import events


@transaction.atomic
def message_follow(*, message: Message, user: User) -> bool:
    """同问: support a public message and follow it; False if already done."""
    if not user.is_authenticated:
        raise NotAllowed(_("Please log in to support a message."))
    ensure_verified_email(user)
    message = Message.objects.select_for_update().get(pk=message.pk)
    if not message.is_on_public_board:
        raise ValidationFailed(_("Only published messages can be supported."))
    _follow, created = MessageFollow.objects.get_or_create(message=message, user=user)
    if created:
        Message.objects.filter(pk=message.pk).update(
            support_count=F("support_count") + 1
        )
        events.support_changed(message.pk)
    return created


@transaction.atomic
def message_unfollow(*, message: Message, user: User) -> bool:
    if not user.is_authenticated:
        raise NotAllowed(_("Please log in."))
    deleted, _rows = MessageFollow.objects.filter(message=message, user=user).delete()
    if deleted:
        Message.objects.filter(pk=message.pk, support_count__gt=0).update(
            support_count=F("support_count") - 1
        )
        events.support_changed(message.pk)
    return bool(deleted)
