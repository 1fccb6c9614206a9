"""The open datasets: public messages, their published replies and their
ratings, as rows for CSV and JSON Lines, streamed in constant memory.

What leaves here is what the public board shows, and less: a message on the
public board (``Message.objects.public()``) in its public version (a
redaction's title and text, never the original), published replies of such
messages in their public version, and the scores of their ratings. Never a
contact phone, an author (name, username, e-mail), a moderation note or
reason, pre-screen findings, who claimed or entered a message, the user
behind a reply, or a rating's comment (free text by a private person).

Rows are read a page of ``CHUNK_SIZE`` at a time in the order (date, id),
each page a short query after the last row of the one before (``in_pages``),
and sent in blocks of about ``BLOCK_CHARS``: neither the rows nor the file
are ever held whole. A message's latest final reply
and latest rating are subqueries of the same statement, so a row costs no
query of its own. The columns and their meanings are in ``datasets``.
"""

import csv
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from html import unescape

from django.db.models import Case, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone
from django.utils.html import strip_tags

from board.models import Message, Rating, Reply, ReplyStatus
from board.selectors import region_descendant_ids
from board.statistics import day_bounds

CHUNK_SIZE = 2_000
# Rows are joined into blocks of about this many characters before sending.
BLOCK_CHARS = 64 * 1024
# Excel reads a CSV as UTF-8 (and so shows Chinese) only after this mark.
UTF8_BOM = "\ufeff"
# A spreadsheet runs a cell starting with one of these as a formula (CSV
# injection): such text cells get a leading apostrophe in CSV, as OWASP
# advises. JSON Lines keep the text as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Ends of blocks in the sanitised HTML of a reply: a line break in the text.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|pre|tr)>|<br\s*/?>", re.I)


@dataclass(frozen=True)
class ExportFilters:
    """A checked question: days of publication (both included, in
    TIME_ZONE), a region (with the regions below it) and a category."""

    start: date | None = None
    end: date | None = None
    region_id: int | None = None
    category_id: int | None = None

    def range_label(self) -> str:
        """The range in a file name: ``2026-03-01_2026-03-31``, ``all``."""
        if self.start is None and self.end is None:
            return "all"
        start = self.start.isoformat() if self.start else "start"
        end = self.end.isoformat() if self.end else "latest"
        return f"{start}_{end}"

    def time_lookups(self, field: str) -> dict:
        """``field`` within the days asked, as ORM lookups."""
        lookups = {}
        if self.start is not None:
            lookups[f"{field}__gte"] = day_bounds(self.start)[0]
        if self.end is not None:
            lookups[f"{field}__lt"] = day_bounds(self.end)[1]
        return lookups

    def place_lookups(self) -> dict:
        """A message's region (and those below it) and category."""
        lookups = {}
        if self.region_id is not None:
            lookups["region_id__in"] = region_descendant_ids(self.region_id)
        if self.category_id is not None:
            lookups["category_id"] = self.category_id
        return lookups


# --- Text --------------------------------------------------------------------------


def html_to_text(html: str | None) -> str:
    """The text of sanitised HTML of our own (board/sanitizer.py), a line
    per paragraph."""
    if not html:
        return ""
    text = unescape(strip_tags(BLOCK_END.sub("\n", html)))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def _local(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _addressee(official_name, official_title, department_region, department_name):
    if official_name is not None:
        return "official", f"{official_name} {official_title}".strip()
    return "department", f"{department_region or ''} {department_name or ''}".strip()


# --- Messages ------------------------------------------------------------------


def _public_reply_html(prefix: str = "") -> Case:
    """A reply's public HTML: a redaction's, never the original."""
    return Case(
        When(**{f"{prefix}is_redacted": True}, then=F(f"{prefix}public_body_html")),
        default=F(f"{prefix}body_html"),
    )


def in_pages(rows: QuerySet, time_field: str, size: int = CHUNK_SIZE):
    """The rows of ``rows`` (a ``values_list`` ordered by ``time_field``
    then id), a page at a time, each page its own query after the last row
    of the one before.

    Not ``iterator()``: outside a transaction PostgreSQL's server-side
    cursor is WITH HOLD, computed whole before its first row, so a million
    rows kept the download silent for seconds; here the first page goes out
    at once, and the time and id index serve every page.
    """
    keyed = rows.annotate(page_time=F(time_field), page_id=F("pk"))
    after = None
    while True:
        page = keyed
        if after is not None:
            moment, last_id = after
            # ">=" is what an index walks from; the rest only drops the
            # rows of the same instant already sent.
            page = page.filter(
                Q(**{f"{time_field}__gte": moment})
                & (Q(**{f"{time_field}__gt": moment}) | Q(pk__gt=last_id))
            )
        batch = list(page[:size])
        for row in batch:
            yield row[:-2]
        if len(batch) < size:
            return
        after = batch[-1][-2:]


def public_messages(filters: ExportFilters) -> QuerySet:
    """The public board's messages asked for, oldest first."""
    return (
        Message.objects.public()
        .filter(**filters.time_lookups("published_at"), **filters.place_lookups())
        .order_by("published_at", "id")
    )


MESSAGE_FIELDS = (
    "reference",
    "published_at",
    "region__code",
    "region__name",
    "category__name",
    "kind",
    "addressee_official__name",
    "addressee_official__title",
    "addressee_department__region__name",
    "addressee_department__name",
    "status",
    "routed_at",
    "due_date",
    "accepted_at",
    "first_reply_at",
    "final_reply_at",
    "first_reply_working_days",
    "final_reply_working_days",
    "final_reply_on_time",
    "transfer_count",
    "support_count",
    "export_title",
    "export_body",
    "export_final_reply_html",
    "export_rating_overall",
)


def message_values(filters: ExportFilters) -> QuerySet:
    final_replies = Reply.objects.filter(
        message=OuterRef("pk"), status=ReplyStatus.PUBLISHED, is_final=True
    ).order_by("-published_at", "-pk")
    # The public page shows ratings of published replies only.
    ratings = Rating.objects.filter(
        message=OuterRef("pk"), reply__status=ReplyStatus.PUBLISHED
    ).order_by("-created_at", "-pk")
    return (
        public_messages(filters)
        .annotate(
            # A redacted message's public version, even where it is empty:
            # never the original.
            export_title=Case(
                When(is_redacted=True, then=F("public_title")), default=F("title")
            ),
            export_body=Case(
                When(is_redacted=True, then=F("public_body")), default=F("body")
            ),
            export_final_reply_html=Subquery(
                final_replies.annotate(shown=_public_reply_html()).values("shown")[:1]
            ),
            export_rating_overall=Subquery(ratings.values("overall")[:1]),
        )
        .values_list(*MESSAGE_FIELDS)
    )


def message_rows(filters: ExportFilters) -> Iterator[tuple]:
    for (
        reference,
        published_at,
        region_code,
        region_name,
        category,
        kind,
        official_name,
        official_title,
        department_region,
        department_name,
        status,
        routed_at,
        due_date,
        accepted_at,
        first_reply_at,
        final_reply_at,
        first_reply_working_days,
        final_reply_working_days,
        final_reply_on_time,
        transfer_count,
        support_count,
        title,
        body,
        final_reply_html,
        rating_overall,
    ) in in_pages(message_values(filters), "published_at"):
        addressee_type, addressee = _addressee(
            official_name, official_title, department_region, department_name
        )
        yield (
            reference,
            _local(published_at),
            region_code,
            region_name,
            category,
            kind,
            addressee_type,
            addressee,
            status,
            _local(routed_at),
            due_date.isoformat() if due_date else None,
            _local(accepted_at),
            _local(first_reply_at),
            _local(final_reply_at),
            first_reply_working_days,
            final_reply_working_days,
            final_reply_on_time,
            transfer_count,
            support_count,
            title,
            body,
            html_to_text(final_reply_html) if final_reply_html is not None else None,
            rating_overall,
        )


# --- Replies -----------------------------------------------------------------------


def reply_values(filters: ExportFilters) -> QuerySet:
    """Published replies to the messages asked for, by their own date of
    publication (a new reply to an old message is in the new range)."""
    messages = Message.objects.public().filter(**filters.place_lookups())
    return (
        Reply.objects.published()
        .filter(
            published_at__isnull=False,
            message__in=messages,
            **filters.time_lookups("published_at"),
        )
        .annotate(export_body_html=_public_reply_html())
        .order_by("published_at", "id")
        .values_list(
            "id",
            "message__reference",
            "published_at",
            "office",
            "is_final",
            "corrects_id",
            "export_body_html",
        )
    )


def reply_rows(filters: ExportFilters) -> Iterator[tuple]:
    for (
        reply_id,
        reference,
        published_at,
        office,
        is_final,
        corrects_id,
        body_html,
    ) in in_pages(reply_values(filters), "published_at"):
        yield (
            reply_id,
            reference,
            _local(published_at),
            office,
            is_final,
            corrects_id,
            html_to_text(body_html),
        )


# --- Ratings -----------------------------------------------------------------------


def rating_values(filters: ExportFilters) -> QuerySet:
    """Ratings of published replies to the messages asked for, by the day
    they were given."""
    messages = Message.objects.public().filter(**filters.place_lookups())
    return (
        Rating.objects.filter(
            reply__status=ReplyStatus.PUBLISHED,
            message__in=messages,
            **filters.time_lookups("created_at"),
        )
        .order_by("created_at", "id")
        .values_list(
            "message__reference",
            "reply_id",
            "created_at",
            "overall",
            "attitude",
            "speed",
            "resolved",
        )
    )


def rating_rows(filters: ExportFilters) -> Iterator[tuple]:
    for (
        reference,
        reply_id,
        created_at,
        overall,
        attitude,
        speed,
        resolved,
    ) in in_pages(rating_values(filters), "created_at"):
        yield (
            reference,
            reply_id,
            _local(created_at),
            overall,
            attitude,
            speed,
            resolved,
        )


# --- Formats -------------------------------------------------------------------------


class _Echo:
    """A file that hands back what is written (Django's "Streaming large CSV
    files" recipe): csv.writer formats, the generator sends."""

    def write(self, value: str) -> str:
        return value


def _csv_cell(value, is_text: bool):
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if is_text and isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _blocks(lines: Iterable[str]) -> Iterator[bytes]:
    """Lines joined into blocks of about ``BLOCK_CHARS``, encoded."""
    parts, size = [], 0
    for line in lines:
        parts.append(line)
        size += len(line)
        if size >= BLOCK_CHARS:
            yield "".join(parts).encode()
            parts, size = [], 0
    if parts:
        yield "".join(parts).encode()


def csv_lines(dataset, filters: ExportFilters) -> Iterator[str]:
    writer = csv.writer(_Echo())
    texts = [column.is_text for column in dataset.columns]
    yield UTF8_BOM + writer.writerow(dataset.header)
    for row in dataset.rows(filters):
        yield writer.writerow(
            [
                _csv_cell(value, is_text)
                for value, is_text in zip(row, texts, strict=True)
            ]
        )


def jsonl_lines(dataset, filters: ExportFilters) -> Iterator[str]:
    header = dataset.header
    for row in dataset.rows(filters):
        yield (
            json.dumps(dict(zip(header, row, strict=True)), ensure_ascii=False) + "\n"
        )


FORMATS = {
    "csv": (csv_lines, "text/csv; charset=utf-8"),
    "jsonl": (jsonl_lines, "application/jsonl; charset=utf-8"),
}


def export_stream(dataset, format_name: str, filters: ExportFilters):
    """The file as blocks of bytes, and its content type."""
    lines, content_type = FORMATS[format_name]
    return _blocks(lines(dataset, filters)), content_type


def export_filename(dataset, format_name: str, filters: ExportFilters):
    return f"zhitong-{dataset.name}-{filters.range_label()}.{format_name}"
