"""Reads: every query the views and the API make lives here."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from .lifecycle import PUBLIC_STATUSES
from .models import Category, Department, Message, Official, Region
from .permissions import can_view_message

BOARD_PAGE_SIZE = 20


def region_ancestor_ids(region: Region) -> list[int]:
    """The region and every region above it (the province is last)."""
    ids = []
    current = region
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def region_descendant_ids(region_id: int) -> list[int]:
    """The region and everything below it; regions are few, levels three."""
    ids = [region_id]
    frontier = [region_id]
    while frontier:
        frontier = list(
            Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def region_parent_map() -> dict[int, int | None]:
    return dict(Region.objects.values_list("pk", "parent_id"))


@dataclass(frozen=True)
class BoardFilters:
    region: Region | None = None
    official: Official | None = None
    department: Department | None = None
    category: Category | None = None
    kind: str = ""
    status: str = ""


def message_list_public(*, filters: BoardFilters | None = None) -> QuerySet[Message]:
    """Published messages, newest first, filtered as the board asks."""
    filters = filters or BoardFilters()
    messages = Message.objects.public().with_board_relations()
    if filters.region is not None:
        messages = messages.filter(
            region_id__in=region_descendant_ids(filters.region.pk)
        )
    if filters.official is not None:
        messages = messages.filter(addressee_official=filters.official)
    if filters.department is not None:
        messages = messages.filter(
            Q(addressee_department=filters.department)
            | Q(addressee_official__department=filters.department)
        )
    if filters.category is not None:
        messages = messages.filter(category=filters.category)
    if filters.kind:
        messages = messages.filter(kind=filters.kind)
    if filters.status and filters.status in PUBLIC_STATUSES:
        messages = messages.filter(status=filters.status)
    return messages.order_by("-published_at", "-id")


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: str | None


def encode_cursor(message: Message) -> str:
    raw = f"{message.published_at.isoformat()}|{message.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        published, pk = base64.urlsafe_b64decode(padded).decode().split("|")
        return datetime.fromisoformat(published), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def board_page(
    messages: QuerySet[Message], *, cursor: str = "", size: int = BOARD_PAGE_SIZE
) -> KeysetPage:
    """One page of the board by keyset, so page 5,000 costs what page 1 does."""
    position = decode_cursor(cursor) if cursor else None
    if position is not None:
        published_at, pk = position
        messages = messages.filter(
            Q(published_at__lt=published_at) | Q(published_at=published_at, pk__lt=pk)
        )
    items = list(messages[: size + 1])
    next_cursor = encode_cursor(items[size - 1]) if len(items) > size else None
    return KeysetPage(items=items[:size], next_cursor=next_cursor)


def message_list_of_author(*, author) -> QuerySet[Message]:
    return (
        Message.objects.filter(author=author)
        .with_board_relations()
        .order_by("-created_at", "-id")
    )


def access_message(user, message_id: int) -> Message:
    """The message if this user may see it; 404 otherwise, so as not to leak it."""
    try:
        message = (
            Message.objects.with_board_relations()
            .select_related("author")
            .get(pk=message_id)
        )
    except Message.DoesNotExist:
        raise Http404 from None
    if not can_view_message(user, message):
        raise Http404
    return message


def message_timeline(message: Message):
    return message.events.select_related("actor").order_by("created_at", "pk")


def official_message_counts(official: Official) -> dict[str, int]:
    """How many public messages an official has, per public status and in all."""
    rows = (
        Message.objects.public()
        .filter(addressee_official=official)
        .values("status")
        .annotate(count=Count("id"))
    )
    counts = {row["status"]: row["count"] for row in rows}
    counts["total"] = sum(counts.values())
    return counts


def officials_for_compose() -> QuerySet[Official]:
    return Official.objects.filter(is_active=True).select_related(
        "region", "department"
    )
