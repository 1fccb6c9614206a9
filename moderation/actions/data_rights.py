"""A citizen's data rights: downloading everything about their account, and
deleting it.

These two verbs live in moderation, not board, on purpose: both are written
to the append-only audit trail (``AuditEvent``), and the download includes
the reports the user made; both are moderation's models, and board never
imports moderation (docs/architecture.md). A hook would have left board's
verb able to run unaudited when no moderation is installed; an account
deletion must never go unrecorded. Board keeps its own halves, called from
here: ``board.selectors.account_data`` (what board holds) and
``board.actions.account_erase`` (erasing it).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from board.actions import account_erase
from board.errors import NotAllowed, ValidationFailed
from board.models import User
from board.roles import Role, user_roles
from board.selectors import account_data

from ..models import AuditVerb
from ..selectors import reports_made_by
from .common import audit_record

EXPORT_FORMAT_VERSION = 1


@transaction.atomic
def account_export(*, user: User) -> dict:
    """Everything the site holds about ``user``, as JSON-ready data; the
    download is audited."""
    data = {
        "format": "zhitong-account-export",
        "version": EXPORT_FORMAT_VERSION,
        "exported": timezone.now().isoformat(),
        **account_data(user),
        "reports": reports_made_by(user),
    }
    audit_record(
        actor=user,
        verb=AuditVerb.ACCOUNT_EXPORTED,
        target_type="user",
        target_id=user.pk,
    )
    return data


def ensure_can_delete_account(user: User) -> None:
    """Citizens delete their own accounts; staff accounts (moderators,
    officials, department staff, admins) are closed by an administrator,
    since messages and decisions hang on them."""
    staff_roles = set(user_roles(user)) - {Role.CITIZEN.value}
    if staff_roles or user.is_staff or user.is_superuser:
        raise NotAllowed(
            _("Staff accounts are closed by an administrator."),
            code="staff_account",
        )


@transaction.atomic
def account_delete(*, user: User, password: str) -> bool:
    """The citizen deletes their account, confirming with their password.

    Board erases the personal data and withdraws what awaits review
    (``account_erase``); the deletion is audited by the account's id alone,
    so the trail keeps no personal data of the erased account. The caller
    logs the session out; every other session and socket ends because the
    password and the active flag change.
    """
    if not user.is_authenticated or user.deleted_at is not None:
        raise NotAllowed(_("This account no longer exists."))
    if not password or not user.check_password(password):
        raise ValidationFailed(
            _("The password is not correct."), field="password", code="password"
        )
    ensure_can_delete_account(user)
    account_erase(user=user)
    audit_record(
        actor=user,
        verb=AuditVerb.ACCOUNT_DELETED,
        target_type="user",
        target_id=user.pk,
    )
    return True
