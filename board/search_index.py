"""Keeps the search documents (board/models/search.py) in step with messages.

A message's document holds the terms (board/text_terms.py) of what the
public reads of it: the public title and body (the redacted ones after a
redaction: ``Message.shown_title`` / ``shown_body``) and its published
replies as shown publicly (``Reply.shown_body_html``). Who may see the
message is not stored: searches intersect a queryset built for the reader.

``board.signals`` asks for a refresh when a message's text or a reply
changes; the refresh runs once per message after the transaction commits.
``search_index_rebuild`` rebuilds every document, in batches by id.
"""

import html
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from board.models import Message, Reply, SearchDocument
from board.text_terms import index_terms

# The message fields whose change changes its document (a save naming
# none of them, such as a deadline or a claim, leaves the index alone).
MESSAGE_TEXT_FIELDS = frozenset(
    {"title", "body", "is_redacted", "public_title", "public_body"}
)
REPLY_TEXT_FIELDS = frozenset({"status", "body", "is_redacted", "public_body_html"})
REBUILD_BATCH_SIZE = 2_000
TAG = re.compile(r"<[^>]*>")

_pending = threading.local()


def _reply_public_text(reply: Reply) -> str:
    # Sanitised HTML of our own (board/sanitizer.py): dropping the tags
    # leaves its text; a tag separates words as it does on the page.
    return html.unescape(TAG.sub(" ", reply.shown_body_html))


def _terms(text: str) -> str:
    return " ".join(index_terms(text))


def search_document_refresh(message_ids: Iterable[int]) -> int:
    """Write the documents of these messages afresh; answers how many.

    A message gone meanwhile has no document (its deletion cascades).
    """
    message_ids = sorted(set(message_ids))
    if not message_ids:
        return 0
    messages = Message.objects.filter(pk__in=message_ids).only(
        "pk", "title", "body", "is_redacted", "public_title", "public_body"
    )
    replies = defaultdict(list)
    for reply in (
        Reply.objects.published()
        .filter(message_id__in=message_ids)
        .only("message_id", "body_html", "is_redacted", "public_body_html")
        .order_by("message_id", "published_at", "pk")
    ):
        replies[reply.message_id].append(_reply_public_text(reply))
    now = timezone.now()
    documents = [
        SearchDocument(
            message_id=message.pk,
            title_terms=_terms(message.shown_title),
            body_terms=_terms(message.shown_body),
            reply_terms=_terms("\n".join(replies[message.pk])),
            updated_at=now,
        )
        for message in messages
    ]
    SearchDocument.objects.bulk_create(
        documents,
        update_conflicts=True,
        unique_fields=["message"],
        update_fields=["title_terms", "body_terms", "reply_terms", "updated_at"],
    )
    return len(documents)


def search_document_refresh_on_commit(message_id: int) -> None:
    """Refresh this message's document once the transaction commits.

    Several saves of one transaction refresh it once: the ids gather until
    the first callback runs, and the later ones find nothing left. Ids of a
    transaction rolled back are refreshed with the next commit, harmlessly.
    A failing refresh is logged and does not fail the committed request.
    """
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    ids.add(message_id)
    transaction.on_commit(_refresh_pending, robust=True)


def _refresh_pending() -> None:
    ids = getattr(_pending, "ids", None)
    if ids:
        _pending.ids = set()
        search_document_refresh(ids)


def search_index_rebuild(
    *,
    batch_size: int = REBUILD_BATCH_SIZE,
    after_id: int = 0,
    progress: Callable[[int, float], None] | None = None,
) -> int:
    """Write the document of every message with an id above ``after_id``,
    ``batch_size`` messages a transaction, in id order; answers how many.
    ``progress(done, seconds)`` is called after each batch."""
    started = time.monotonic()
    done = 0
    last_id = after_id
    while True:
        ids = list(
            Message.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return done
        with transaction.atomic():
            done += search_document_refresh(ids)
        last_id = ids[-1]
        if progress is not None:
            progress(done, time.monotonic() - started)


def search_index_analyze() -> None:
    """Refresh the database's statistics of the documents: PostgreSQL plans
    a search by how common each term is (its tsvector statistics), which a
    freshly built index does not have until autovacuum's next ANALYZE."""
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")  # noqa: S608
