"""Moderators' pages (queue, item, dashboard, blocks, intake) and the public
transparency page, a module per topic."""

from .blocks import (
    blocks,
    email_domain_block_view,
    email_domain_unblock_view,
    user_block_view,
    user_unblock_view,
)
from .common import format_duration, moderator_required
from .data_rights import account_deleted, my_data, my_data_delete, my_data_export
from .intake import intake
from .item import item, item_action
from .message_page import message_report_view
from .public import transparency
from .queue import dashboard, queue

__all__ = [
    "account_deleted",
    "my_data",
    "my_data_delete",
    "my_data_export",
    "blocks",
    "dashboard",
    "email_domain_block_view",
    "email_domain_unblock_view",
    "format_duration",
    "intake",
    "item",
    "item_action",
    "message_report_view",
    "moderator_required",
    "queue",
    "transparency",
    "user_block_view",
    "user_unblock_view",
]
