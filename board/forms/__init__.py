"""Board's forms, a module per topic; callers import them from here."""

from .handling import (
    CorrectionForm,
    ExtendForm,
    InboxFilterForm,
    ReplyForm,
    ReplyKind,
    TransferForm,
)
from .messages import (
    AddresseeChoiceField,
    BoardFilterForm,
    MessageForm,
    MultipleImageField,
    MultipleImageInput,
    RegionChoiceField,
    WithdrawForm,
)
from .ratings import FollowUpForm, RatingForm

__all__ = [
    "AddresseeChoiceField",
    "BoardFilterForm",
    "CorrectionForm",
    "ExtendForm",
    "FollowUpForm",
    "InboxFilterForm",
    "MessageForm",
    "MultipleImageField",
    "MultipleImageInput",
    "RatingForm",
    "RegionChoiceField",
    "ReplyForm",
    "ReplyKind",
    "TransferForm",
    "WithdrawForm",
]
