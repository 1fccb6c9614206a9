"""The board's models, one topic module each: ``users`` (accounts),
``geography`` (regions, departments, officials), ``messages`` (the message,
its category, attachments and follows), ``timeline`` (its events),
``notifications``, ``handling`` (the officials' side), ``search``,
``site_pages`` (留言须知), ``statistics`` (summary rows) and
``board_counts`` (the board's totals, kept by the database). Django finds
them through this package, and every model is importable as
``board.models.X``.
"""

from .board_counts import BoardCount
from .geography import BilingualNameMixin, Department, Official, Region
from .handling import (
    DepartmentDeadline,
    FollowUp,
    FollowUpStatus,
    Holiday,
    Overall,
    Rating,
    Reply,
    ReplyStatus,
    Transfer,
    TransferRequest,
)
from .messages import (
    AuthorShownAs,
    Category,
    IntakeChannel,
    Message,
    MessageAttachment,
    MessageFollow,
    MessageKind,
    MessageQuerySet,
    ReferenceSequence,
    # Named by migration 0001 as ``board.models.attachment_path``.
    attachment_path,
)
from .notifications import (
    Notification,
    NotificationChannel,
    NotificationKind,
    NotificationPreference,
)
from .search import SearchDocument
from .site_pages import PostingGuidelines
from .statistics import (
    DailyFigures,
    DailyResponseDays,
    MonthlyFigures,
    MonthlyResponseDays,
)
from .timeline import MessageEvent
from .users import User

__all__ = [
    "AuthorShownAs",
    "BilingualNameMixin",
    "BoardCount",
    "Category",
    "DailyFigures",
    "DailyResponseDays",
    "Department",
    "DepartmentDeadline",
    "FollowUp",
    "FollowUpStatus",
    "Holiday",
    "IntakeChannel",
    "Message",
    "MessageAttachment",
    "MessageEvent",
    "MessageFollow",
    "MessageKind",
    "MessageQuerySet",
    "MonthlyFigures",
    "MonthlyResponseDays",
    "Notification",
    "NotificationChannel",
    "NotificationKind",
    "NotificationPreference",
    "Official",
    "Overall",
    "PostingGuidelines",
    "Rating",
    "ReferenceSequence",
    "Region",
    "Reply",
    "ReplyStatus",
    "SearchDocument",
    "Transfer",
    "TransferRequest",
    "User",
    "attachment_path",
]
