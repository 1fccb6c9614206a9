"""Reads of regions, departments and officials."""

from dataclasses import dataclass, field

from django.db.models import (
    Count,
    QuerySet,
)

from board import filter_choices
from board.models import (
    Department,
    Message,
    Official,
    Region,
)


@dataclass
class DirectoryEntry:
    """A region in the directory, with its own officials and departments and
    the regions below it."""

    region: Region
    officials: list[Official] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    children: list["DirectoryEntry"] = field(default_factory=list)


def official_directory() -> list[DirectoryEntry]:
    """Every region as a tree (省 → 市 → 县), provinces first, each with the
    officials who receive messages and the departments there. Three
    queries, whatever the size: regions are a few hundred rows."""
    entries = {region.pk: DirectoryEntry(region) for region in Region.objects.all()}
    for department in Department.objects.order_by("name"):
        entries[department.region_id].departments.append(department)
    officials = Official.objects.filter(is_active=True).order_by("name")
    for official in officials:
        entries[official.region_id].officials.append(official)
    roots = []
    for entry in entries.values():
        parent = entries.get(entry.region.parent_id)
        (parent.children if parent else roots).append(entry)
    return roots


def region_page_data(region: Region) -> dict:
    """What a region's page lists besides messages: the regions above it
    (province first), those below, its officials and departments."""
    ancestors = []
    current = region.parent
    while current is not None:
        ancestors.insert(0, current)
        current = current.parent
    return {
        "ancestors": ancestors,
        "children": list(Region.objects.filter(parent=region)),
        "officials": list(
            Official.objects.filter(region=region, is_active=True)
            .select_related("department")
            .order_by("name")
        ),
        "departments": list(Department.objects.filter(region=region).order_by("name")),
    }


def region_ancestor_ids(region: Region) -> list[int]:
    """The region and every region above it (the province is last)."""
    ids = []
    current = region
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def region_descendant_ids(region_id: int) -> list[int]:
    """The region and everything below it, from the tree of regions each
    process keeps (board/filter_choices.py): a board filtered by a province
    read it a level a query, three queries a page."""
    children = filter_choices.region_children()
    ids = [region_id]
    frontier = [region_id]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, ())]
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
