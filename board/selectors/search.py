"""Full-text search over the messages' public text, the same on both databases.

The terms come from board/text_terms.py; the documents from
board/search_index.py. PostgreSQL matches them in the documents' ``vector``
column (GIN-indexed tsvector, 'simple' configuration) and ranks with
``ts_rank``; SQLite in the FTS5 table ``board_searchdocument_fts`` with
``bm25``. Both weigh a title match above a body match above a reply match
(the tsvector's weights A, B, C; bm25's column weights 10, 4, 2).

A search never decides who sees what: it narrows a queryset the caller
built for the reader (the public board, the moderation queue …).
"""

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    FloatField,
    IntegerField,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from board.lifecycle import ANSWERED_STATUSES
from board.models import Message, SearchDocument
from board.text_terms import (
    QueryTerm,
    highlight_words,
    index_terms,
    is_safe_term,
    query_terms,
)

FTS_TABLE = "board_searchdocument_fts"
# Column weights of bm25 on SQLite: title, body, replies.
BM25_WEIGHTS = "10.0, 4.0, 2.0"
SNIPPET_LENGTH = 160
# Ranked by relevance: at most this many matches, the newest (ten pages of
# twenty; past them, sorting by date pages through every match).
SEARCH_RANKED_LIMIT = 200
# On the public board the newest matches are looked for among the messages
# published in the last SEARCH_RECENT_WEEKS weeks first, then
# SEARCH_WIDENING times as many weeks, and so on past SEARCH_WIDEST_WEEKS to
# every match. On PostgreSQL the documents' GIN index holds the week each
# public message was published (migration 0024 keeps it), so only the
# matches of the weeks asked for are read.
SEARCH_RECENT_WEEKS = 2
SEARCH_WIDENING = 4
SEARCH_WIDEST_WEEKS = 32
WEEK_SECONDS = 7 * 24 * 60 * 60
# The index's own terms (no word's term holds a '~'): a public document's
# and its week's ('~w' and the week's number since 1970), or '~private'.
PUBLIC_TERM = "~public"
WEEK_TERM_PREFIX = "~w"
PRIVATE_TERM = "~private"

# Similar messages: a draft's most telling terms, OR-ed; the index gives at
# most SIMILAR_CANDIDATES matches of them, which are then ranked.
SIMILAR_MAX_TERMS = 12
SIMILAR_CANDIDATES = 200
# PostgreSQL cannot hand over a tsvector match's best rows from its GIN
# index: it ranks at most this many matches (SQLite ranks in FTS5). Each is
# a document read: 2,000 took similar messages' p95 to 76 ms at a million
# messages, 500 to 41 ms (docs/benchmarks.md).
SIMILAR_SCANNED = 500
# A term in more than this share of recent documents tells little
# (您好, 领导, 谢谢); its share is estimated from a cached sample.
COMMON_TERM_SHARE = 0.02
# On a small board no term is common.
COMMON_TERM_MIN_COUNT = 20
TERM_SAMPLE_SIZE = 2_000
TERM_SAMPLE_CACHE_KEY = "search:term-sample:v1"
TERM_SAMPLE_SECONDS = 60 * 60


# --- Query syntax --------------------------------------------------------------


def _safe(terms: list[QueryTerm]) -> list[QueryTerm]:
    # text_terms makes only safe terms; checked again where they meet SQL.
    return [term for term in terms if is_safe_term(term.text)]


def _tsquery(terms: list[QueryTerm], operator: str) -> str:
    return f" {operator} ".join(
        f"'{term.text}'" + (":*" if term.is_prefix else "") for term in terms
    )


def _fts5_query(terms: list[QueryTerm], operator: str) -> str:
    return f" {operator} ".join(
        f'"{term.text}"' + ("*" if term.is_prefix else "") for term in terms
    )


# --- Expressions on the message's document ---------------------------------------


class _DocumentMatch(Expression):
    """The message's document matches the terms (the query is a parameter).

    PostgreSQL reads the joined document's vector (its table's alias is taken
    from ``search_document__updated_at``, which Django joins); SQLite asks
    the FTS5 table for the message's id. On PostgreSQL ``public_only``
    narrows to documents of messages on the public board, and ``weeks`` (a
    range of week numbers) to those published in them, in the index (see
    ``_indexed_vector``); the caller's queryset must say the same of the
    messages, which is what decides: SQLite relies on it alone.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(
        self,
        query: str,
        anchor,
        *,
        public_only: bool = False,
        weeks: range | None = None,
    ):
        super().__init__()
        self.query = query
        self.anchor = anchor
        self.public_only = public_only
        self.weeks = weeks

    def get_source_expressions(self):
        return [self.anchor]

    def set_source_expressions(self, exprs):
        [self.anchor] = exprs

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.anchor.alias)
        query = "to_tsquery('simple'::regconfig, %s)"
        params = [self.query]
        index_terms = _index_only_terms(self.public_only, self.weeks)
        if index_terms:
            # As written: to_tsquery would drop the '~'.
            query = f"({query} && %s::tsquery)"
            params.append(index_terms)
        return f"{_indexed_vector(table)} @@ {query}", params

    def as_sqlite(self, compiler, connection):
        message_id, params = compiler.compile(self.anchor)
        return (
            f"{message_id} IN (SELECT rowid FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s)",
            [*params, self.query],
        )


class _DocumentRank(_DocumentMatch):
    """How well the document matches: higher is better."""

    conditional = False
    output_field = FloatField()

    def __init__(self, query: str, anchor, *, bounded: bool = False):
        super().__init__(query, anchor)
        # Bounded: in 0..1 (x / (x + 1)), for a score shown to people.
        self.bounded = bounded

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.anchor.alias)
        # Normalisation 32: rank / (rank + 1).
        normalization = ", 32" if self.bounded else ""
        return (
            f"ts_rank({table}.vector, to_tsquery('simple'::regconfig, %s)"
            f"{normalization})",
            [self.query],
        )

    def as_sqlite(self, compiler, connection):
        message_id, params = compiler.compile(self.anchor)
        rank = f"-bm25({FTS_TABLE}, {BM25_WEIGHTS})"
        if self.bounded:
            rank = f"({rank}) / (1.0 + {rank})"
        sql = (
            f"(SELECT {rank} FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s AND rowid = {message_id})"
        )
        return sql, [self.query, *params]


def _indexed_vector(table: str) -> str:
    """The document's terms with the index's own: the expression of the GIN
    index of migration 0024, as written there (PostgreSQL uses an
    expression's index only for the same expression;
    tests/test_search_index_postgres.py checks that it does)."""
    return (
        f"({table}.vector || array_to_tsvector(CASE WHEN {table}.public_week IS NULL"
        f" THEN ARRAY['{PRIVATE_TERM}'] ELSE ARRAY['{PUBLIC_TERM}',"
        f" '{WEEK_TERM_PREFIX}' || {table}.public_week::text] END))"
    )


def _index_only_terms(public_only: bool, weeks: range | None = None) -> str:
    """The tsquery of the index's own terms a match must also hold."""
    if weeks is not None:
        return " | ".join(f"'{WEEK_TERM_PREFIX}{week:d}'" for week in weeks)
    return f"'{PUBLIC_TERM}'" if public_only else ""


def week_number(moment: datetime) -> int:
    """Whole weeks since 1970-01-01 UTC, as migration 0024 counts them."""
    return math.floor(moment.timestamp() / WEEK_SECONDS)


def _anchor(vendor: str):
    return F("search_document__updated_at") if vendor == "postgresql" else F("pk")


def _query_text(vendor: str, terms: list[QueryTerm], operator: str) -> str:
    if vendor == "postgresql":
        return _tsquery(terms, "&" if operator == "AND" else "|")
    return _fts5_query(terms, operator)


# --- Search ----------------------------------------------------------------------


def search_messages(
    messages: QuerySet[Message],
    text: str,
    *,
    order: str = "relevance",
    public_only: bool = False,
) -> QuerySet[Message]:
    """``messages`` whose public text matches every term of ``text``,
    annotated with ``search_rank`` (higher is better).

    ``order="relevance"``: the newest ``SEARCH_RANKED_LIMIT`` matches (read
    now; see ``_newest_match_ids``), best first, then newest published: a
    common word matches a third of the board, and ranking every match would
    read all of them.
    Any other order keeps the caller's, over every match (lazily). A query
    without terms (empty, punctuation, stop words) answers ``messages``
    unchanged. ``public_only``: ``messages`` are public board messages
    only (``Message.objects.public()``), which the index can then narrow
    to (see ``_DocumentMatch``).
    """
    terms = _safe(query_terms(text))
    if not terms:
        return messages
    vendor = connections[messages.db].vendor
    query = _query_text(vendor, terms, "AND")
    anchor = _anchor(vendor)
    if order == "relevance":
        found = messages.filter(
            pk__in=_newest_match_ids(messages, query, anchor, public_only=public_only)
        )
    else:
        found = messages.filter(_DocumentMatch(query, anchor, public_only=public_only))
    found = found.annotate(search_rank=_DocumentRank(query, anchor))
    if order == "relevance":
        return found.order_by(
            "-search_rank", F("published_at").desc(nulls_last=True), "-pk"
        )
    return found


def _newest_match_ids(
    messages: QuerySet[Message], query: str, anchor, *, public_only: bool = False
) -> list[int]:
    """The ids of the newest ``SEARCH_RANKED_LIMIT`` messages of
    ``messages`` that match ``query``: by publication on the public board,
    by id otherwise.

    On the public board the last weeks are searched first, then more, until
    the limit is reached: a word in 1% of a million messages has its newest
    200 public matches in the last two weeks, and the index hands over only
    those (a few hundred rows read, not 11,000). A rare word costs a few
    index lookups, each cheap.
    """
    if not public_only:
        return list(
            messages.filter(_DocumentMatch(query, anchor))
            .order_by("-pk")
            .values_list("pk", flat=True)[:SEARCH_RANKED_LIMIT]
        )
    # Up to next week: the database's clock may be a little ahead.
    this_week = week_number(timezone.now())
    span = SEARCH_RECENT_WEEKS
    while True:
        matches, weeks = messages, None
        if span <= SEARCH_WIDEST_WEEKS:
            weeks = range(this_week - span + 1, this_week + 2)
            # Said of the messages too: they are what decides, on SQLite alone.
            matches = matches.filter(
                published_at__gte=datetime.fromtimestamp(
                    weeks.start * WEEK_SECONDS, tz=UTC
                )
            )
        ids = list(
            matches.filter(_DocumentMatch(query, anchor, public_only=True, weeks=weeks))
            .order_by("-published_at", "-pk")
            .values_list("pk", flat=True)[:SEARCH_RANKED_LIMIT]
        )
        if len(ids) >= SEARCH_RANKED_LIMIT or weeks is None:
            return ids
        span *= SEARCH_WIDENING


# --- Snippets ----------------------------------------------------------------------


def _highlight_pattern(query: str) -> re.Pattern | None:
    words = highlight_words(query)
    if not words:
        return None
    # A CJK run is marked as typed; an English stem with the rest of its
    # word (park → parking).
    parts = [
        re.escape(word) + (r"[a-z0-9]*" if word.isascii() else "") for word in words
    ]
    return re.compile("|".join(parts), re.IGNORECASE)


def search_highlight(
    text: str, query: str, *, length: int = SNIPPET_LENGTH
) -> SafeString:
    """A snippet of ``text`` (plain, as the public reads it) around the first
    match of ``query``, HTML-escaped, matches in ``<mark>``; the start of
    the text when nothing matches."""
    text = " ".join((text or "").split())
    pattern = _highlight_pattern(query)
    first = pattern.search(text) if pattern else None
    start = 0
    if first and first.start() > length // 3:
        start = first.start() - length // 3
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    snippet = text[start:end]
    pieces = ["…"] if start > 0 else []
    position = 0
    if pattern:
        for match in pattern.finditer(snippet):
            pieces.append(escape(snippet[position : match.start()]))
            pieces.append(f"<mark>{escape(match.group(0))}</mark>")
            position = match.end()
    pieces.append(escape(snippet[position:]))
    if end < len(text):
        pieces.append("…")
    # Every piece of user text above went through escape().
    return mark_safe("".join(pieces))  # noqa: S308


# --- Similar messages -----------------------------------------------------------------


@dataclass(frozen=True)
class _TermSample:
    size: int
    counts: dict[str, int]


def _term_sample() -> _TermSample:
    """In how many of the latest documents each term appears (cached)."""
    sample = cache.get(TERM_SAMPLE_CACHE_KEY)
    if sample is None:
        counts: dict[str, int] = {}
        rows = SearchDocument.objects.order_by("-message_id").values_list(
            "title_terms", "body_terms"
        )[:TERM_SAMPLE_SIZE]
        size = 0
        for title_terms, body_terms in rows:
            size += 1
            for term in set(title_terms.split()) | set(body_terms.split()):
                counts[term] = counts.get(term, 0) + 1
        sample = _TermSample(size=size, counts=counts)
        cache.set(TERM_SAMPLE_CACHE_KEY, sample, TERM_SAMPLE_SECONDS)
    return sample


def _telling_terms(text: str) -> list[QueryTerm]:
    """The draft's rarest terms (in the sample), rare before common; terms
    in more than ``COMMON_TERM_SHARE`` of documents are left out. Terms the
    sample lacks come last: most are bigrams across a word boundary (们小,
    车太) that match nothing, and a long draft has more than
    ``SIMILAR_MAX_TERMS`` of them."""
    sample = _term_sample()
    limit = max(COMMON_TERM_MIN_COUNT, int(sample.size * COMMON_TERM_SHARE))
    seen = {}
    for position, term in enumerate(index_terms(text)):
        count = sample.counts.get(term, 0)
        if term not in seen and count <= limit and is_safe_term(term):
            seen[term] = (count == 0, count, position)
    ranked = sorted(seen, key=seen.__getitem__)[:SIMILAR_MAX_TERMS]
    return [QueryTerm(term) for term in ranked]


def similar_messages(
    text: str, *, limit: int = 5, exclude_id: int | None = None
) -> list[tuple[Message, float]]:
    """Public messages like a draft's title and body, answered ones first,
    then by a score in 0..1; at most ``limit``.

    The draft's most telling terms (``_telling_terms``) are OR-ed; the index
    hands over at most ``SIMILAR_CANDIDATES`` of its matches, best title
    matches among them ranked first by the database.
    """
    terms = _telling_terms(text)
    if not terms or limit <= 0:
        return []
    public = Message.objects.public()
    if exclude_id is not None:
        public = public.exclude(pk=exclude_id)
    vendor = connections[public.db].vendor
    query = _query_text(vendor, terms, "OR")
    candidates = _candidate_ids(public.db, vendor, query)
    if not candidates:
        return []
    anchor = _anchor(vendor)
    rows = (
        public.filter(pk__in=candidates)
        .annotate(
            score=_DocumentRank(query, anchor, bounded=True),
            is_answered=Case(
                When(status__in=ANSWERED_STATUSES, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
        )
        .order_by("is_answered", "-score", "-published_at", "-id")[:limit]
    )
    return [
        (message, min(1.0, max(0.0, float(message.score or 0)))) for message in rows
    ]


def _candidate_ids(alias: str, vendor: str, query: str) -> list[int]:
    """The ``SIMILAR_CANDIDATES`` best of at most ``SIMILAR_SCANNED``
    documents matching any term, read from the index alone."""
    with connections[alias].cursor() as cursor:
        if vendor == "postgresql":
            cursor.execute(
                "SELECT message_id FROM ("  # noqa: S608
                " SELECT message_id, vector FROM board_searchdocument"
                f" WHERE {_indexed_vector('board_searchdocument')}"
                " @@ to_tsquery('simple'::regconfig, %s) LIMIT %s"
                ") AS matches"
                " ORDER BY ts_rank(vector, to_tsquery('simple'::regconfig, %s)) DESC"
                " LIMIT %s",
                [query, SIMILAR_SCANNED, query, SIMILAR_CANDIDATES],
            )
        else:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
                f" ORDER BY bm25({FTS_TABLE}, {BM25_WEIGHTS}) LIMIT %s",
                [query, SIMILAR_CANDIDATES],
            )
        return [row[0] for row in cursor.fetchall()]
