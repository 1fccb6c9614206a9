"""Reads: named queries and fetch-and-authorise helpers, one module per topic.

Callers import them from here.
"""

from .data_rights import account_data
from .geography import (
    official_message_counts,
    officials_for_compose,
    region_ancestor_ids,
    region_descendant_ids,
    region_parent_map,
)
from .handling import (
    INBOX_DUE_FILTERS,
    access_message_for_handling,
    inbox_counts,
    inbox_items,
    inbox_messages,
    inbox_scope,
)
from .messages import (
    BOARD_PAGE_SIZE,
    BoardFilters,
    KeysetPage,
    access_message,
    access_reply,
    board_page,
    decode_cursor,
    encode_cursor,
    is_following,
    latest_final_reply,
    message_follow_ups_visible,
    message_list_of_author,
    message_list_public,
    message_rating,
    message_ratings,
    message_replies_visible,
    message_thread,
    message_timeline,
)
from .notifications import (
    notification_frames,
    notification_list_recent,
    notifications_after,
    preference_for,
    preferences_of,
    unread_count,
)

__all__ = [
    "account_data",
    "BOARD_PAGE_SIZE",
    "BoardFilters",
    "INBOX_DUE_FILTERS",
    "KeysetPage",
    "access_message",
    "access_message_for_handling",
    "access_reply",
    "board_page",
    "decode_cursor",
    "encode_cursor",
    "inbox_counts",
    "inbox_items",
    "inbox_messages",
    "inbox_scope",
    "is_following",
    "latest_final_reply",
    "message_follow_ups_visible",
    "message_list_of_author",
    "message_list_public",
    "message_rating",
    "message_ratings",
    "message_replies_visible",
    "message_thread",
    "message_timeline",
    "notification_frames",
    "notification_list_recent",
    "notifications_after",
    "official_message_counts",
    "officials_for_compose",
    "preference_for",
    "preferences_of",
    "region_ancestor_ids",
    "region_descendant_ids",
    "region_parent_map",
    "unread_count",
]
