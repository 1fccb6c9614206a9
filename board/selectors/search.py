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

import re
from dataclasses import dataclass

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

# Similar messages: a draft's most telling terms, OR-ed; the index gives at
# most SIMILAR_CANDIDATES matches of them, which are then ranked.
SIMILAR_MAX_TERMS = 12
SIMILAR_CANDIDATES = 200
# PostgreSQL cannot hand over a tsvector match's best rows from its GIN
# index: it ranks at most this many matches (SQLite ranks in FTS5).
SIMILAR_SCANNED = 2_000
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
    the FTS5 table for the message's id.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, query: str, anchor, *, after_id: int | None = None):
        super().__init__()
        self.query = query
        self.anchor = anchor
        # Only documents of messages with a greater id: said to the
        # document's side too, which the database would not infer.
        self.after_id = after_id

    def get_source_expressions(self):
        return [self.anchor]

    def set_source_expressions(self, exprs):
        [self.anchor] = exprs

    def as_postgresql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.anchor.alias)
        sql = f"{table}.vector @@ to_tsquery('simple'::regconfig, %s)"
        if self.after_id is None:
            return sql, [self.query]
        return f"({table}.message_id > %s AND {sql})", [self.after_id, self.query]

    def as_sqlite(self, compiler, connection):
        message_id, params = compiler.compile(self.anchor)
        sql = (
            f"{message_id} IN (SELECT rowid FROM {FTS_TABLE}"  # noqa: S608
            f" WHERE {FTS_TABLE} MATCH %s"
        )
        if self.after_id is None:
            return f"{sql})", [*params, self.query]
        return f"{sql} AND rowid > %s)", [*params, self.query, self.after_id]


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


def _anchor(vendor: str):
    return F("search_document__updated_at") if vendor == "postgresql" else F("pk")


def _query_text(vendor: str, terms: list[QueryTerm], operator: str) -> str:
    if vendor == "postgresql":
        return _tsquery(terms, "&" if operator == "AND" else "|")
    return _fts5_query(terms, operator)


# --- Search ----------------------------------------------------------------------


def search_messages(
    messages: QuerySet[Message], text: str, *, order: str = "relevance"
) -> QuerySet[Message]:
    """``messages`` whose public text matches every term of ``text``,
    annotated with ``search_rank`` (higher is better).

    ``order="relevance"``: the newest ``SEARCH_RANKED_LIMIT`` matches (read
    now, by id), best first, then newest published: a common word matches a
    third of the board, and ranking every match would read all of them.
    Any other order keeps the caller's, over every match (lazily). A query
    without terms (empty, punctuation, stop words) answers ``messages``
    unchanged.
    """
    terms = _safe(query_terms(text))
    if not terms:
        return messages
    vendor = connections[messages.db].vendor
    query = _query_text(vendor, terms, "AND")
    anchor = _anchor(vendor)
    if order == "relevance":
        found = messages.filter(pk__in=_newest_match_ids(messages, query, anchor))
    else:
        found = messages.filter(_DocumentMatch(query, anchor))
    found = found.annotate(search_rank=_DocumentRank(query, anchor))
    if order == "relevance":
        return found.order_by(
            "-search_rank", F("published_at").desc(nulls_last=True), "-pk"
        )
    return found


def _newest_match_ids(messages: QuerySet[Message], query: str, anchor) -> list[int]:
    """The ids of the newest ``SEARCH_RANKED_LIMIT`` messages of
    ``messages`` that match ``query``, in one query.

    PostgreSQL chooses by the term's frequency (its tsvector statistics):
    for a common word it walks the newest messages and checks each
    document, stopping at the limit; for a rare one it reads the word's
    matches from the GIN index and sorts them. Windows of ids tried before
    made it read every match of a common word once per window (2 s at
    1,000,000 messages).
    """
    return list(
        messages.filter(_DocumentMatch(query, anchor))
        .order_by("-pk")
        .values_list("pk", flat=True)[:SEARCH_RANKED_LIMIT]
    )


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
                "SELECT message_id FROM ("
                " SELECT message_id, vector FROM board_searchdocument"
                " WHERE vector @@ to_tsquery('simple'::regconfig, %s) LIMIT %s"
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
