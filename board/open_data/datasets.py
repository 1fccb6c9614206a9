"""The three open datasets, each with its columns and what they mean: the
page (templates/open_data/index.html) prints them, the exports write them
(board/open_data/exports.py reads the rows)."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .exports import ExportFilters, message_rows, rating_rows, reply_rows


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    # Free text: neutralised against formulas in CSV.
    is_text: bool = False


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    # Which date ``from`` and ``to`` select on.
    date_column: str
    columns: tuple[Column, ...]
    rows: Callable[[ExportFilters], Iterator[tuple]]

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]


MESSAGES = Dataset(
    name="messages",
    title=_("Messages"),
    description=_(
        "Every message on the public board: one row per message, oldest "
        "publication first."
    ),
    date_column="published_at",
    columns=(
        Column("reference", _("The message's reference, e.g. ZT-2026-000123.")),
        Column("published_at", _("When it was published on the board.")),
        Column("region_code", _("Administrative code of the region concerned.")),
        Column("region_name", _("Name of the region."), is_text=True),
        Column("category", _("Category (领域)."), is_text=True),
        Column(
            "kind",
            _("Kind: complaint, suggestion, inquiry or help (request for help)."),
        ),
        Column("addressee_type", _("Written to an official or a department.")),
        Column(
            "addressee",
            _("The official's name and title, or the department's name."),
            is_text=True,
        ),
        Column(
            "status",
            _(
                "Status now: published (routed, not yet taken on), accepted, "
                "replied or closed."
            ),
        ),
        Column("routed_at", _("When it reached the addressee; the clock starts.")),
        Column("due_date", _("The day a final reply is due (extensions included).")),
        Column("accepted_at", _("When the addressee took it on (受理).")),
        Column("first_reply_at", _("When the first reply of any kind came.")),
        Column("final_reply_at", _("When the first final reply came.")),
        Column(
            "first_reply_working_days",
            _("Working days from routing to the first reply."),
        ),
        Column(
            "final_reply_working_days",
            _("Working days from routing to the first final reply."),
        ),
        Column(
            "final_reply_on_time",
            _("Whether the final reply came by the due date; empty if none yet."),
        ),
        Column("transfer_count", _("How many times it was transferred (转办).")),
        Column("support_count", _("How many people pressed “me too” (同问).")),
        Column(
            "title",
            _("Title, in its public version where a moderator redacted it."),
            is_text=True,
        ),
        Column(
            "body",
            _("Text, in its public version where a moderator redacted it."),
            is_text=True,
        ),
        Column(
            "final_reply",
            _("Text of the latest published final reply; empty if none."),
            is_text=True,
        ),
        Column(
            "rating_overall",
            _(
                "The author's latest overall rating: satisfied, "
                "basically_satisfied or dissatisfied; empty if not rated."
            ),
        ),
    ),
    rows=message_rows,
)


REPLIES = Dataset(
    name="replies",
    title=_("Replies"),
    description=_(
        "Every published reply to a message on the public board, under the "
        "replying office's name: one row per reply, oldest first."
    ),
    date_column="published_at",
    columns=(
        Column("id", _("The reply's number.")),
        Column("message_reference", _("The reference of the message answered.")),
        Column("published_at", _("When the reply was published.")),
        Column("office", _("The replying office, as shown publicly."), is_text=True),
        Column("is_final", _("A final reply (办结) or an interim one.")),
        Column(
            "corrects",
            _("The number of the reply this one corrects; empty otherwise."),
        ),
        Column(
            "body",
            _("The reply's text, in its public version where it was redacted."),
            is_text=True,
        ),
    ),
    rows=reply_rows,
)


RATINGS = Dataset(
    name="ratings",
    title=_("Ratings"),
    description=_(
        "The authors' ratings (评价) of final replies: one row per rating, "
        "oldest first. The comment a writer may add is left out."
    ),
    date_column="rated_at",
    columns=(
        Column("message_reference", _("The reference of the message.")),
        Column("reply", _("The number of the reply rated.")),
        Column("rated_at", _("When the rating was given.")),
        Column(
            "overall",
            _("Overall: satisfied, basically_satisfied or dissatisfied."),
        ),
        Column("attitude", _("Attitude, 1 (poor) to 5 (very good).")),
        Column("speed", _("Speed, 1 to 5.")),
        Column("resolved", _("Problem resolved, 1 to 5.")),
    ),
    rows=rating_rows,
)

DATASETS = {dataset.name: dataset for dataset in (MESSAGES, REPLIES, RATINGS)}
