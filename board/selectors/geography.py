"""Reads of regions, departments and officials."""

from django.db.models import (
    Count,
    QuerySet,
)

from board.models import (
    Message,
    Official,
    Region,
)


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
