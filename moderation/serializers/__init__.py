"""The shapes of the moderation API, one module per topic: the queue and its
items, the actions' input, bulk decisions, reports and replies. Callers
import from here."""

from .bulk import BulkDecisionSerializer, BulkOutcomeSerializer, BulkResultSerializer
from .data_rights import AccountDeletedSerializer, AccountDeleteSerializer
from .items import (
    REASON_CODES_HELP,
    SEEN_UPDATED_AT_HELP,
    ApproveSerializer,
    ClaimSerializer,
    DuplicateSerializer,
    HideSerializer,
    ModeratorNoteSerializer,
    NoteAddSerializer,
    RedactSerializer,
    RejectSerializer,
    RequestChangesSerializer,
    ResolveReportsSerializer,
    RestoreSerializer,
    SeenUpdatedAtSerializer,
)
from .queue import (
    ClaimedItemSerializer,
    ModerationItemSerializer,
    PrescreenFlagSerializer,
    QueueCountsSerializer,
    QueuePageSerializer,
    QueueQuerySerializer,
    ReleasedItemSerializer,
)
from .replies import ModerationReplySerializer, ReplyRedactSerializer
from .reports import ReportSerializer

__all__ = [
    "AccountDeleteSerializer",
    "AccountDeletedSerializer",
    "REASON_CODES_HELP",
    "SEEN_UPDATED_AT_HELP",
    "ApproveSerializer",
    "BulkDecisionSerializer",
    "BulkOutcomeSerializer",
    "BulkResultSerializer",
    "ClaimSerializer",
    "ClaimedItemSerializer",
    "DuplicateSerializer",
    "HideSerializer",
    "ModerationItemSerializer",
    "ModerationReplySerializer",
    "ModeratorNoteSerializer",
    "NoteAddSerializer",
    "PrescreenFlagSerializer",
    "QueueCountsSerializer",
    "QueuePageSerializer",
    "QueueQuerySerializer",
    "RedactSerializer",
    "RejectSerializer",
    "ReleasedItemSerializer",
    "ReplyRedactSerializer",
    "ReportSerializer",
    "RequestChangesSerializer",
    "ResolveReportsSerializer",
    "RestoreSerializer",
    "SeenUpdatedAtSerializer",
]
