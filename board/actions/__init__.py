"""Every change to the board's data goes through one of these functions.

One module per topic; callers import the verbs from here. Each action runs
in one transaction: it locks the row, checks permission and the lifecycle,
changes the data, writes the timeline event, and notifies after commit.
"""

from .attachments import attachments_purge
from .common import (
    ensure_one_active_addressee,
    lock_for_handling,
    message_transition,
    prepare_images,
    timeline_record,
)
from .data_rights import account_erase
from .follows import message_follow, message_unfollow
from .handling import (
    addressee_users,
    deadlines_check,
    ensure_can_handle,
    message_accept,
    message_close,
    message_extend,
    message_route,
    message_transfer,
    messages_auto_close,
    notify_addressees,
    start_handling_clock,
)
from .holidays import holidays_import
from .messages import (
    MessageDraft,
    format_reference,
    message_create_pending,
    message_edit,
    message_submit,
    message_withdraw,
    reference_next,
    validate_draft,
)
from .notifications import (
    followers_notify_on_commit,
    notification_preferences_save,
    notifications_mark_read,
    notify,
    notify_many,
)
from .ratings import derive_overall, follow_up_allowed, follow_up_submit, rating_submit
from .replies import reply_create, reply_office_names, reply_sign_off
from .tokens import (
    api_token_create,
    api_token_revoke,
    api_tokens_delete_expired,
    api_tokens_revoke_all,
)
from .users import user_elder_mode_set, user_grant_role, user_language_set

__all__ = [
    "account_erase",
    "api_token_create",
    "api_token_revoke",
    "api_tokens_delete_expired",
    "api_tokens_revoke_all",
    "attachments_purge",
    "MessageDraft",
    "addressee_users",
    "deadlines_check",
    "derive_overall",
    "ensure_can_handle",
    "ensure_one_active_addressee",
    "follow_up_allowed",
    "holidays_import",
    "follow_up_submit",
    "followers_notify_on_commit",
    "format_reference",
    "lock_for_handling",
    "message_accept",
    "message_close",
    "message_create_pending",
    "message_edit",
    "message_extend",
    "message_follow",
    "message_route",
    "message_submit",
    "message_transfer",
    "message_transition",
    "message_unfollow",
    "message_withdraw",
    "messages_auto_close",
    "notification_preferences_save",
    "notifications_mark_read",
    "notify",
    "notify_addressees",
    "notify_many",
    "prepare_images",
    "rating_submit",
    "reference_next",
    "reply_create",
    "reply_office_names",
    "reply_sign_off",
    "start_handling_clock",
    "timeline_record",
    "user_grant_role",
    "user_elder_mode_set",
    "user_language_set",
    "validate_draft",
]
