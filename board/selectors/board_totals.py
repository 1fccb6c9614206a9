"""The board's total: how many public messages its filters match, for
"N messages, page 3 of M"."""

from dataclasses import fields, replace

from django.db.models import Q, QuerySet, Sum

from board import page_cache
from board.lifecycle import PUBLIC_STATUSES
from board.models import BoardCount, Official
from board.selectors.messages import (
    BOARD_PAGE_SIZE,
    BoardFilters,
    message_list_public,
)

# Counted no further: past it the board says "more than 10,000" and a count
# stays a walk of at most this many index entries, at any size of the board.
BOARD_TOTAL_CAP = 1_000


def message_count_capped(messages: QuerySet, *, cap: int = BOARD_TOTAL_CAP) -> int:
    """How many rows, counted up to ``cap + 1``, newest first whatever the
    list's order: along the board's publication indexes, as the newest-first
    list is read, never through the table (tests/test_query_plans.py). The
    cap keeps it a bounded walk of the index at a million messages."""
    return messages.order_by("-published_at", "-id").values("pk")[: cap + 1].count()


def board_total(filters: BoardFilters, messages: QuerySet) -> dict:
    """How many messages the filters match, for "N messages, page 3 of M".

    Filtered by region, category, kind and status only (or not at all), it
    is exact: a sum of the counts the database keeps per cell
    (board/models/board_counts.py), a few thousand rows at most. Otherwise
    (an official, a department, search words) it is counted no further than
    BOARD_TOTAL_CAP, in the index's order, so a count costs the same at a
    million messages as at ten thousand. Either is kept per version of the
    lists (any change on the board bumps it) and set of filters."""
    key = "board-total:" + "|".join(
        str(getattr(getattr(filters, field.name), "pk", getattr(filters, field.name)))
        for field in fields(filters)
    )
    if _kept_count_covers(filters):
        count = page_cache.cached_data(
            [page_cache.LISTS], key, lambda: _kept_count(filters)
        )
        return {
            "count": count,
            "is_capped": False,
            "pages": -(-count // BOARD_PAGE_SIZE),
        }
    count = page_cache.cached_data(
        [page_cache.LISTS],
        key,
        lambda: message_count_capped(_counted(filters, messages)),
    )
    return {
        "count": min(count, BOARD_TOTAL_CAP),
        "is_capped": count > BOARD_TOTAL_CAP,
        "pages": -(-min(count, BOARD_TOTAL_CAP) // BOARD_PAGE_SIZE),
    }


def _kept_count_covers(filters: BoardFilters) -> bool:
    return filters.official is None and filters.department is None and not filters.q


def _kept_count(filters: BoardFilters) -> int:
    cells = BoardCount.objects.all()
    if filters.region is not None:
        cells = cells.filter(region_id__in=filters.region_ids)
    if filters.category is not None:
        cells = cells.filter(category_id=filters.category.pk)
    if filters.kind:
        cells = cells.filter(kind=filters.kind)
    if filters.status and filters.status in PUBLIC_STATUSES:
        cells = cells.filter(status=filters.status)
    return cells.aggregate(total=Sum("count"))["total"] or 0


def _counted(filters: BoardFilters, messages: QuerySet) -> QuerySet:
    """What ``board_total`` counts. A department's messages are the list's
    "to the department OR to one of its officials", an OR across a join that
    a count of hundreds of rows can only read through the table; with the
    officials' ids named, each side is an index scan."""
    if filters.department is None:
        return messages
    official_ids = list(
        Official.objects.filter(department=filters.department).values_list(
            "pk", flat=True
        )
    )
    others = message_list_public(filters=replace(filters, department=None))
    return others.filter(
        Q(addressee_department=filters.department)
        | Q(addressee_official_id__in=official_ids)
    )
