"""Message cards (includes/message_card.html): what a list of messages shows
of each message, ready to print.

A card shows its message's region, category and addressee by name. Joined
to every row, those four tables cost more to plan and to build into
objects than the page's whole query (about 3.5 ms of a page of 20 at a
million messages); they are a few hundred rows that change when an
administrator edits one. So a list reads its messages alone, and the names
come from a table of them per language, kept in each process under the
version of the reference data that board/filter_choices.py keeps (an edit
of a region, department, official or category moves it). With that cache
off (``ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 0``, the tests), the names
are read for each list.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, NullIf, Substr
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language

from board import filter_choices, page_cache
from board.languages import choice_label, in_reader_language
from board.lifecycle import MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageKind,
    Official,
    Overall,
    Rating,
    Region,
    User,
)

# What a card reads of a message's own columns (``card_rows`` and the
# labels): a third of them. The rest, the texts (kilobytes a row) and a
# dozen timestamps among them, were fetched and converted for every row and
# never shown.
CARD_FIELDS = (
    "reference",
    "status",
    "kind",
    "title",
    "public_title",
    "is_redacted",
    "region",
    "category",
    "addressee_official",
    "addressee_department",
    "created_at",
    "published_at",
    "support_count",
)
# The board's rows also show the author's masked name and the day of the
# final reply.
BOARD_CARD_FIELDS = (*CARD_FIELDS, "author_shown_as", "final_reply_at")


@dataclass(frozen=True)
class CardNames:
    regions: dict[int, str]
    categories: dict[int, str]
    # id -> (label, url): "name · title", the official's page.
    officials: dict[int, tuple[str, str]]
    departments: dict[int, str]


def _read_names() -> CardNames:
    regions = {
        pk: in_reader_language(name, name_en)
        for pk, name, name_en in Region.objects.values_list("pk", "name", "name_en")
    }
    categories = {
        pk: in_reader_language(name, name_en)
        for pk, name, name_en in Category.objects.values_list("pk", "name", "name_en")
    }
    official_url = reverse("board:official_detail", args=[1]).removesuffix("1/")
    officials = {
        pk: (
            f"{name} · {in_reader_language(title, title_en)}",
            f"{official_url}{pk}/",
        )
        for pk, name, title, title_en in Official.objects.values_list(
            "pk", "name", "title", "title_en"
        )
    }
    # A department's name includes its region's (Department.__str__).
    departments = {
        pk: f"{regions.get(region_id, '')} {in_reader_language(name, name_en)}"
        for pk, name, name_en, region_id in Department.objects.values_list(
            "pk", "name", "name_en", "region_id"
        )
    }
    return CardNames(regions, categories, officials, departments)


_kept: dict[tuple[str, str], CardNames] = {}
_kept_lock = threading.Lock()


def card_names() -> CardNames:
    """The names cards show, in the active language."""
    if filter_choices.cache_seconds() <= 0:
        return _read_names()
    key = (filter_choices.version(), get_language() or "")
    names = _kept.get(key)
    if names is None:
        names = _read_names()
        with _kept_lock:
            # Older versions are never asked for again.
            for old in [kept for kept in _kept if kept[0] != key[0]]:
                del _kept[old]
            _kept[key] = names
    return names


def plain_rows(values: Iterable[dict]) -> list[SimpleNamespace]:
    """Rows of ``QuerySet.values("id", …)`` read as messages are
    (``row.pk``, ``row.title`` …), for long lists that show a few columns:
    fifty model instances of a fifty-column model, most of it deferred,
    take longer to build than their query."""
    return [SimpleNamespace(pk=row["id"], **row) for row in values]


def for_cards(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Messages listed as cards: the columns a card shows (``CARD_FIELDS``);
    ``with_card_labels`` adds the rest."""
    return messages.select_related(None).only(*CARD_FIELDS)


# The board's rows show the start of the text the public reads; one more
# character than the template prints tells it whether to add "…".
EXCERPT_LENGTH = 120


def for_board_cards(messages: QuerySet[Message]) -> QuerySet[Message]:
    """Public messages listed as the board's rows: their
    ``BOARD_CARD_FIELDS`` and, in the same query, the start of the public
    text (``card_excerpt``), the latest rating's verdict (``card_overall``)
    and the author's name as far as the masked name needs it
    (``card_author_name``: a subquery per row shown on the user's primary
    key, so the planner never hashes the user table and the password's hash
    stays unread); the rating is a subquery per row shown, on its message
    index.
    ``with_board_card_labels`` turns them into what the row prints."""
    shown_body = Case(
        When(Q(is_redacted=True) & ~Q(public_body=""), then=F("public_body")),
        default=F("body"),
    )
    latest_overall = (
        Rating.objects.filter(message=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("overall")[:1]
    )
    author_name = (
        User.objects.filter(pk=OuterRef("author_id"), deleted_at__isnull=True)
        .annotate(shown=Coalesce(NullIf("display_name", Value("")), "username"))
        .values("shown")[:1]
    )
    return (
        messages.select_related(None)
        .only(*BOARD_CARD_FIELDS)
        .annotate(
            card_excerpt=Substr(shown_body, 1, EXCERPT_LENGTH + 1),
            card_overall=Subquery(latest_overall),
            card_author_name=Subquery(author_name),
        )
    )


def with_card_labels(messages: Iterable[Message]) -> list[Message]:
    """Set what includes/message_card.html prints on each message, in the
    active language: ``status_label``, ``kind_label``, ``category_name``,
    ``region_name``, ``addressee_name``, ``addressee_url`` (an official's
    page, or ""), ``shown_at`` (published, else written; local time) and
    ``url``."""
    messages = list(messages)
    names = card_names()
    message_url = reverse("board:message_detail", args=[1]).removesuffix("1/")
    for message in messages:
        message.status_label = choice_label(MessageStatus, message.status)
        message.kind_label = choice_label(MessageKind, message.kind)
        message.category_name = names.categories.get(message.category_id, "")
        message.region_name = names.regions.get(message.region_id, "")
        if message.addressee_official_id is not None:
            message.addressee_name, message.addressee_url = names.officials.get(
                message.addressee_official_id, ("", "")
            )
        else:
            message.addressee_name = names.departments.get(
                message.addressee_department_id, ""
            )
            message.addressee_url = ""
        message.shown_at = timezone.localtime(
            message.published_at or message.created_at
        )
        message.url = f"{message_url}{message.pk}/"
    return messages


def with_board_card_labels(messages: Iterable[Message]) -> list[Message]:
    """``with_card_labels``, and what only the board's rows (``for_board_cards``)
    print: ``author_shown`` (王** or 匿名, never the full name),
    ``excerpt``, ``overall`` and ``overall_label`` (the latest rating, or
    "") and ``final_reply_shown`` (local time of the final reply, or None)."""
    messages = with_card_labels(messages)
    for message in messages:
        message.author_shown = Message.author_name_for_public(
            message.author_shown_as, message.card_author_name
        )
        message.excerpt = " ".join((message.card_excerpt or "").split())
        message.overall = message.card_overall or ""
        message.overall_label = (
            choice_label(Overall, message.overall) if message.overall else ""
        )
        message.final_reply_shown = (
            timezone.localtime(message.final_reply_at)
            if message.final_reply_at
            else None
        )
    return messages


def card_rows(messages: Iterable[Message]) -> list[dict]:
    """What includes/message_card.html prints of each labelled message
    (``with_card_labels``, or ``with_board_card_labels`` for the board's
    extras), as plain data: a card whose data is unchanged is kept rendered
    (``rendered_cards``). Search marks stay safe HTML."""
    return [
        {
            "url": message.url,
            "title": message.shown_title,
            "search_title": getattr(message, "search_title", ""),
            "search_snippet": getattr(message, "search_snippet", ""),
            "excerpt": getattr(message, "excerpt", ""),
            "status": message.status,
            "status_label": str(message.status_label),
            "overall": getattr(message, "overall", ""),
            "overall_label": str(getattr(message, "overall_label", "")),
            "kind_label": str(message.kind_label),
            "category_name": message.category_name,
            "addressee_name": message.addressee_name,
            "addressee_url": message.addressee_url,
            "region_name": message.region_name,
            "author_shown": str(getattr(message, "author_shown", "")),
            "shown_at": message.shown_at.isoformat(),
            "shown_at_text": message.shown_at.strftime("%Y-%m-%d %H:%M"),
            "final_reply_at": _iso(getattr(message, "final_reply_shown", None)),
            "final_reply_text": _day(getattr(message, "final_reply_shown", None)),
            "reference": message.reference,
            "support_count": message.support_count,
        }
        for message in messages
    ]


def _iso(moment) -> str:
    return moment.isoformat() if moment else ""


def _day(moment) -> str:
    return moment.strftime("%Y-%m-%d") if moment else ""


def rendered_cards(messages: Iterable[Message]) -> list[str]:
    """Each labelled message's card as HTML, from the row cache when its
    data is unchanged: a page of 20 cards renders only the new ones."""
    return page_cache.rendered_rows("includes/message_card.html", card_rows(messages))
