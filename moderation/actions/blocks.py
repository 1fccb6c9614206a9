"""Blocks of users and of email domains."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.errors import NotAllowed, ValidationFailed
from board.models import (
    User,
)
from board.roles import is_moderator

from ..models import (
    AuditVerb,
    BlockedEmailDomain,
    UserBlock,
    normalise_domain,
)
from .common import (
    audit_record,
    ensure_moderator,
)

# --- Blocks ---


@transaction.atomic
def user_block(*, user: User, actor: User, reason: str) -> UserBlock:
    """Hold the user's new submissions, with a reason they can see."""
    ensure_moderator(actor)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give a reason the user will see."), field="reason")
    if user.pk == actor.pk or is_moderator(user):
        raise NotAllowed(_("Moderators cannot be blocked here."))
    if UserBlock.objects.filter(user=user, lifted_at__isnull=True).exists():
        raise ValidationFailed(_("This user is already blocked."), code="already")
    block = UserBlock.objects.create(user=user, reason=reason, created_by=actor)
    audit_record(
        actor=actor,
        verb=AuditVerb.USER_BLOCKED,
        target_type="user",
        target_id=user.pk,
        reason=reason,
        new={"blocked": True},
    )
    return block


@transaction.atomic
def user_unblock(*, user: User, actor: User, note: str = "") -> bool:
    ensure_moderator(actor)
    lifted = UserBlock.objects.filter(user=user, lifted_at__isnull=True).update(
        lifted_at=timezone.now(), lifted_by=actor
    )
    if lifted:
        audit_record(
            actor=actor,
            verb=AuditVerb.USER_UNBLOCKED,
            target_type="user",
            target_id=user.pk,
            reason=note,
            old={"blocked": True},
            new={"blocked": False},
        )
    return bool(lifted)


@transaction.atomic
def email_domain_block(*, domain: str, actor: User, reason: str) -> BlockedEmailDomain:
    """Refuse sign-ups from a spam domain and hold its users' submissions."""
    ensure_moderator(actor)
    domain = normalise_domain(domain)
    if "." not in domain or " " in domain or "@" in domain:
        raise ValidationFailed(_("Enter a domain such as example.com."), field="domain")
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(_("Give a reason."), field="reason")
    blocked, created = BlockedEmailDomain.objects.get_or_create(
        domain=domain, defaults={"reason": reason, "created_by": actor}
    )
    if not created:
        raise ValidationFailed(_("This domain is already blocked."), field="domain")
    audit_record(
        actor=actor,
        verb=AuditVerb.DOMAIN_BLOCKED,
        target_type="email_domain",
        target_id=domain,
        reason=reason,
        new={"blocked": True},
    )
    return blocked


@transaction.atomic
def email_domain_unblock(*, domain: str, actor: User, note: str = "") -> bool:
    ensure_moderator(actor)
    domain = normalise_domain(domain)
    deleted, _rows = BlockedEmailDomain.objects.filter(domain=domain).delete()
    if deleted:
        audit_record(
            actor=actor,
            verb=AuditVerb.DOMAIN_UNBLOCKED,
            target_type="email_domain",
            target_id=domain,
            reason=note,
            old={"blocked": True},
            new={"blocked": False},
        )
    return bool(deleted)
