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
from .second_factor import SecondFactorForm, SecondFactorReauthenticateForm
from .widgets import CachedSelect, PlainSelect

__all__ = [
    "AddresseeChoiceField",
    "BoardFilterForm",
    "CachedSelect",
    "CorrectionForm",
    "ExtendForm",
    "FollowUpForm",
    "InboxFilterForm",
    "MessageForm",
    "MultipleImageField",
    "MultipleImageInput",
    "PlainSelect",
    "RatingForm",
    "RegionChoiceField",
    "SecondFactorForm",
    "SecondFactorReauthenticateForm",
    "ReplyForm",
    "ReplyKind",
    "TransferForm",
    "WithdrawForm",
]
