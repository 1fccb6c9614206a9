"""Moderation actions: one function per verb, each audited.

Every action locks the message row (SELECT FOR UPDATE), checks that the actor
is a moderator, that no one else holds the item's claim and that the
lifecycle allows the move; then it changes the message, writes the timeline
event and the append-only audit record, and notifies after commit.

One module per topic; callers import the verbs from here.
"""

from .approvals import message_approve, message_reject, message_request_changes
from .blocks import (
    email_domain_block,
    email_domain_unblock,
    normalise_domain,
    user_block,
    user_unblock,
)
from .bulk import bulk_decide
from .claims import queue_item_claim, queue_item_release
from .common import (
    ClaimConflict,
    audit_record,
    ensure_moderator,
    message_transition_check,
)
from .data_rights import account_delete, account_export
from .duplicates import message_mark_duplicate
from .follow_ups import follow_up_approve, follow_up_reject, transfer_request_decide
from .intake import message_intake
from .notes import moderator_note_add
from .replies import (
    reply_hide,
    reply_redact,
    reply_report,
    reply_reports_resolve,
    reply_restore,
)
from .reports import message_report, reports_resolve
from .visibility import message_hide, message_redact, message_restore
from .waiting import message_still_waiting_notify

__all__ = [
    "account_delete",
    "account_export",
    "ClaimConflict",
    "audit_record",
    "bulk_decide",
    "email_domain_block",
    "email_domain_unblock",
    "ensure_moderator",
    "follow_up_approve",
    "follow_up_reject",
    "message_approve",
    "message_hide",
    "message_intake",
    "message_mark_duplicate",
    "message_redact",
    "message_reject",
    "message_report",
    "message_request_changes",
    "message_restore",
    "message_still_waiting_notify",
    "message_transition_check",
    "moderator_note_add",
    "normalise_domain",
    "queue_item_claim",
    "queue_item_release",
    "reply_hide",
    "reply_redact",
    "reply_report",
    "reply_reports_resolve",
    "reply_restore",
    "reports_resolve",
    "transfer_request_decide",
    "user_block",
    "user_unblock",
]
