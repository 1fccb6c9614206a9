"""Claims: a moderator takes an item so that no one else acts on it at once."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from board.models import (
    Message,
    User,
)
from board.realtime import events

from ..models import (
    AuditVerb,
)
from ..selectors import queue_rows_changed
from .common import (
    ClaimConflict,
    _claim_duration,
    _holder_name,
    audit_record,
    ensure_moderator,
)

# --- Claims ---


def queue_item_claim(*, message: Message, actor: User, take_over: bool = False) -> bool:
    """Claim an item for a while; returns False if the actor already held it.

    The claim is one conditional UPDATE, so of two moderators claiming at
    once exactly one succeeds; the other gets ClaimConflict. Taking over
    someone else's claim is explicit and audited.
    """
    ensure_moderator(actor)
    now = timezone.now()
    with transaction.atomic():
        current = (
            Message.objects.select_related("claimed_by")
            .filter(pk=message.pk)
            .values("claimed_by_id", "claim_expires_at", "status")
            .get()
        )
        already_mine = current["claimed_by_id"] == actor.pk and (
            current["claim_expires_at"] and current["claim_expires_at"] > now
        )
        free = (
            Q(claimed_by__isnull=True)
            | Q(claim_expires_at__lte=now)
            | Q(claimed_by=actor)
        )
        rows = Message.objects.filter(pk=message.pk)
        if not take_over:
            rows = rows.filter(free)
        changes = {"claimed_by": actor, "claim_expires_at": now + _claim_duration()}
        if not already_mine:
            # A renewed claim is no change: forms open in another tab stay valid.
            changes["updated_at"] = now
        updated = rows.update(**changes)
        if not updated:
            holder = Message.objects.select_related("claimed_by").get(pk=message.pk)
            raise ClaimConflict(
                _("%(name)s is working on this item.") % {"name": _holder_name(holder)}
            )
        # A row shows its claim's holder and end.
        queue_rows_changed()
        if already_mine:
            return False
        previous = current["claimed_by_id"]
        took_over = (
            take_over
            and previous not in (None, actor.pk)
            and current["claim_expires_at"] is not None
            and current["claim_expires_at"] > now
        )
        audit_record(
            actor=actor,
            verb=AuditVerb.TAKEN_OVER if took_over else AuditVerb.CLAIMED,
            message=message,
            old={"claimed_by": previous} if took_over else None,
            new={"claimed_by": actor.pk},
        )
        message.refresh_from_db()
        events.queue_changed(message, "claimed", str(actor))
    return True


@transaction.atomic
def queue_item_release(*, message: Message, actor: User) -> bool:
    """Give an item back to the queue; False if the actor did not hold it."""
    ensure_moderator(actor)
    released = Message.objects.filter(pk=message.pk, claimed_by=actor).update(
        claimed_by=None, claim_expires_at=None, updated_at=timezone.now()
    )
    if released:
        audit_record(actor=actor, verb=AuditVerb.RELEASED, message=message)
        queue_rows_changed()
        events.queue_changed(message, "released")
    return bool(released)
