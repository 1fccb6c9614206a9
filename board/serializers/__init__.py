"""The shapes of the API: what it shows and what it accepts, by topic.

``fields`` holds the fields every topic uses; ``detail`` (a message's page)
builds on ``messages`` and ``handling``. Callers import from here.
"""

from .accounts import MeSerializer, TokenRequestSerializer, TokenResponseSerializer
from .detail import MessageDetailSerializer
from .fields import (
    MAX_ID,
    CategoryField,
    IdField,
    OptionalBooleanField,
    StrictBooleanField,
    StrictIntegerField,
    UploadField,
    image_uploads_field,
)
from .handling import (
    ExtendSerializer,
    FollowUpSerializer,
    FollowUpSubmitSerializer,
    InboxCountsSerializer,
    InboxItemSerializer,
    InboxPageSerializer,
    InboxQuerySerializer,
    RatingSerializer,
    RatingSubmitSerializer,
    RatingSubmittedSerializer,
    ReplyCreateSerializer,
    ReplySerializer,
    TransferReferredSerializer,
    TransferSerializer,
    working_days_left_by_id,
)
from .messages import (
    AttachmentSerializer,
    MessageEditSerializer,
    MessageEventSerializer,
    MessageFilterSerializer,
    MessageSerializer,
    MessageWithdrawSerializer,
    MessageWriteSerializer,
)
from .notifications import (
    FollowSerializer,
    NotificationFrameSerializer,
    NotificationPageSerializer,
    NotificationReadSerializer,
    ReadSerializer,
    RealtimeTicketSerializer,
)
from .references import (
    CategorySerializer,
    DepartmentSerializer,
    OfficialSerializer,
    RegionQuerySerializer,
    RegionSerializer,
)
from .routing import (
    RoutingChoiceSerializer,
    RoutingQuerySerializer,
    RoutingSuggestionSerializer,
)

__all__ = [
    "MAX_ID",
    "AttachmentSerializer",
    "CategoryField",
    "CategorySerializer",
    "DepartmentSerializer",
    "ExtendSerializer",
    "FollowSerializer",
    "FollowUpSerializer",
    "FollowUpSubmitSerializer",
    "IdField",
    "InboxCountsSerializer",
    "InboxItemSerializer",
    "InboxPageSerializer",
    "InboxQuerySerializer",
    "MeSerializer",
    "MessageDetailSerializer",
    "MessageEditSerializer",
    "MessageEventSerializer",
    "MessageFilterSerializer",
    "MessageSerializer",
    "MessageWithdrawSerializer",
    "MessageWriteSerializer",
    "NotificationFrameSerializer",
    "NotificationPageSerializer",
    "NotificationReadSerializer",
    "OfficialSerializer",
    "OptionalBooleanField",
    "RatingSerializer",
    "RatingSubmitSerializer",
    "RatingSubmittedSerializer",
    "ReadSerializer",
    "RealtimeTicketSerializer",
    "RegionQuerySerializer",
    "RegionSerializer",
    "ReplyCreateSerializer",
    "ReplySerializer",
    "RoutingChoiceSerializer",
    "RoutingQuerySerializer",
    "RoutingSuggestionSerializer",
    "StrictBooleanField",
    "StrictIntegerField",
    "TokenRequestSerializer",
    "TokenResponseSerializer",
    "TransferReferredSerializer",
    "TransferSerializer",
    "UploadField",
    "image_uploads_field",
    "working_days_left_by_id",
]
