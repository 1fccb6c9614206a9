"""What the Open311 endpoints read: the services (categories), the choices a
service definition offers, and public messages as service requests.

Only ``Message.objects.public()`` is ever read here: a private, pending,
rejected, withdrawn or hidden message is no service request at all.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from board import page_cache
from board.ids import parse_id
from board.lifecycle import ANSWERED_STATUSES, PUBLIC_STATUSES
from board.models import (
    Category,
    Department,
    Message,
    MessageAttachment,
    Official,
    Region,
    Reply,
)

# The specification's response volume: at most 1000 requests a query.
MAX_REQUESTS = 1000
# A public message is "closed" once it has a final reply (REPLIED, CLOSED);
# until then it is "open".
CLOSED_STATUSES = ANSWERED_STATUSES
OPEN_STATUSES = PUBLIC_STATUSES - ANSWERED_STATUSES
STATUSES_BY_OPEN311_STATUS = {"open": OPEN_STATUSES, "closed": CLOSED_STATUSES}
CHANGESET_PREFIX = "open311:changeset:"


@dataclass(frozen=True)
class RequestFilters:
    """GET requests' arguments, checked (``serializers.request_filters``)."""

    start: datetime
    end: datetime
    # Either references ("ZT-2026-000123") or ids; they override the rest.
    references: list[str] = field(default_factory=list)
    ids: list[int] = field(default_factory=list)
    service_codes: list[str] = field(default_factory=list)
    statuses: list[str] = field(default_factory=list)

    @property
    def by_id(self) -> bool:
        return bool(self.references or self.ids)


def services_offered() -> QuerySet[Category]:
    """The services: the categories offered to citizens, in their order."""
    return Category.objects.filter(is_active=True).order_by("sort_order", "pk")


def service_for_code(code: str) -> Category | None:
    return services_offered().filter(slug=code).first()


def regions_for_definition() -> QuerySet[Region]:
    return Region.objects.select_related("parent").order_by("code")


def officials_for_definition() -> QuerySet[Official]:
    return Official.objects.filter(is_active=True).order_by(
        "region__level", "region__code", "name", "pk"
    )


def departments_for_definition() -> QuerySet[Department]:
    return Department.objects.select_related("region").order_by(
        "region__code", "name", "pk"
    )


def region_by_code(code: str) -> Region | None:
    return Region.objects.select_related("parent__parent").filter(code=code).first()


def official_by_id(value: str) -> Official | None:
    number = parse_id(value) if value.isascii() and value.isdigit() else None
    if number is None:
        return None
    return Official.objects.select_related("region").filter(pk=number).first()


def department_by_id(value: str) -> Department | None:
    number = parse_id(value) if value.isascii() and value.isdigit() else None
    if number is None:
        return None
    return Department.objects.select_related("region").filter(pk=number).first()


def _as_service_requests(messages: QuerySet[Message]) -> QuerySet[Message]:
    """With what a service request shows: the region's chain (the address),
    the category, the addressee, the latest published final replies and the
    photos the public may see."""
    final_replies = (
        Reply.objects.published().filter(is_final=True).order_by("-published_at", "-pk")
    )
    public_photos = MessageAttachment.objects.filter(
        reply__isnull=True, is_hidden_from_public=False
    ).order_by("pk")
    return messages.select_related(
        "region__parent__parent",
        "category",
        "addressee_official",
        "addressee_department__region",
    ).prefetch_related(
        Prefetch("replies", queryset=final_replies, to_attr="final_replies"),
        Prefetch("attachments", queryset=public_photos, to_attr="public_photos"),
    )


def service_requests(filters: RequestFilters) -> list[Message]:
    """Public messages as GET requests asks, newest published first, at most
    ``MAX_REQUESTS``. Ids override every other argument, as the
    specification says."""
    messages = Message.objects.public()
    if filters.by_id:
        messages = messages.filter(
            Q(reference__in=filters.references) | Q(pk__in=filters.ids)
        )
    else:
        # requested_datetime is the publication: the board's own order and
        # index, and a client asking "since my last poll" never misses a
        # message that waited in review across it.
        messages = messages.filter(
            published_at__gte=filters.start, published_at__lte=filters.end
        )
        if filters.service_codes:
            messages = messages.filter(category__slug__in=filters.service_codes)
        if filters.statuses:
            statuses = set().union(
                *(STATUSES_BY_OPEN311_STATUS[status] for status in filters.statuses)
            )
            messages = messages.filter(status__in=statuses)
    messages = messages.order_by("-published_at", "-id")
    return list(_as_service_requests(messages)[:MAX_REQUESTS])


def service_request(service_request_id: str) -> Message | None:
    """One public message by its reference or its id; None for any other."""
    text = service_request_id.strip()
    if text.isascii() and text.isdigit():
        number = parse_id(text)
        lookup = Q(pk=number) if number is not None else None
    else:
        lookup = Q(reference=text.upper())
    if lookup is None:
        return None
    return _as_service_requests(Message.objects.public().filter(lookup)).first()


def reference_changeset() -> str:
    """When the services or their definitions (categories, regions,
    officials, departments) last changed, as a sortable W3C time.

    Those edits move the page cache's ``reference`` version
    (board/page_cache.py); the first reader of a new version records the
    time. Should the cache lose it, the time only moves forward, and clients
    merely refresh what they keep.
    """
    version = page_cache.reference_version()
    now = timezone.localtime().isoformat(timespec="seconds")
    key = CHANGESET_PREFIX + version
    cache.add(key, now, page_cache.VERSION_TTL_SECONDS)
    return cache.get(key, now)
