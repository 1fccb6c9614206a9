"""The board's totals kept by the database (board/models/board_counts.py,
migration 0023): each public message counts once, in the cell of its region,
category, kind and status, whatever wrote the row; the board's total for
those filters is a sum of cells, exact, and reads no message."""

import io
import itertools

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.utils import timezone

from board.lifecycle import PUBLIC_STATUSES, MessageStatus
from board.models import BoardCount, Message, MessageKind
from board.selectors import BoardFilters, message_list_public
from board.selectors.board_totals import board_total
from tests.factories import CategoryFactory, MessageFactory, RegionFactory

pytestmark = pytest.mark.django_db


def kept() -> dict[tuple, int]:
    """The non-empty cells."""
    return {
        (cell.region_id, cell.category_id, cell.kind, cell.status): cell.count
        for cell in BoardCount.objects.exclude(count=0)
    }


def counted() -> dict[tuple, int]:
    """The same, counted from the messages."""
    cells: dict[tuple, int] = {}
    for row in Message.objects.public().values_list(
        "region_id", "category_id", "kind", "status"
    ):
        cells[row] = cells.get(row, 0) + 1
    return cells


def test_a_message_counts_while_it_is_on_the_board():
    message = MessageFactory()
    cell = (message.region_id, message.category_id, message.kind, message.status)
    assert kept() == {cell: 1}

    message.is_public = False  # the author made it private
    message.save()
    assert kept() == {}

    message.is_public = True
    message.save()
    message.status = MessageStatus.REPLIED
    message.save()
    assert kept() == {(*cell[:3], MessageStatus.REPLIED): 1}

    message.status = MessageStatus.HIDDEN
    message.save()
    assert kept() == {}


def test_moving_a_message_moves_its_count():
    message = MessageFactory()
    other_category = CategoryFactory()

    message.category = other_category
    message.kind = MessageKind.SUGGESTION
    message.save()

    assert kept() == {
        (message.region_id, other_category.pk, "suggestion", message.status): 1
    }


def test_writes_without_signals_are_counted_too():
    # QuerySet.update(), bulk loads and deletes bypass Django's signals.
    messages = MessageFactory.create_batch(4)
    MessageFactory(status=MessageStatus.PENDING)
    Message.objects.filter(pk__in=[m.pk for m in messages[:2]]).update(
        status=MessageStatus.CLOSED
    )
    Message.objects.filter(pk=messages[2].pk).delete()
    Message.objects.bulk_create(
        [
            Message(
                reference=f"ZT-1999-{n:06d}",
                author=messages[3].author,
                region=messages[3].region,
                addressee_official=messages[3].addressee_official,
                category=messages[3].category,
                kind=MessageKind.INQUIRY,
                title="路灯",
                body="路灯坏了",
                is_public=True,
                status=MessageStatus.PUBLISHED,
                published_at=messages[3].published_at,
            )
            for n in range(3)
        ]
    )

    assert kept() == counted()
    assert sum(kept().values()) == 2 + 1 + 3


def test_rebuild_gives_what_the_triggers_kept():
    MessageFactory.create_batch(3)
    MessageFactory(status=MessageStatus.REPLIED, kind=MessageKind.HELP)
    MessageFactory(is_public=False)
    before = kept()

    BoardCount.objects.rebuild()

    assert kept() == before == counted()


def test_the_board_total_is_exact_for_every_combination_of_those_filters():
    province = RegionFactory()
    city = RegionFactory(parent=province)
    county = RegionFactory(parent=city)
    categories = CategoryFactory.create_batch(2)
    statuses = sorted(PUBLIC_STATUSES)
    for n, (region, category) in enumerate(
        itertools.product([province, city, county], categories)
    ):
        MessageFactory(
            region=region,
            category=category,
            kind=[MessageKind.COMPLAINT, MessageKind.HELP][n % 2],
            status=statuses[n % len(statuses)],
        )
    MessageFactory(region=county, is_public=False)
    MessageFactory(region=county, status=MessageStatus.PENDING)

    for region, category, kind, status in itertools.product(
        [None, province, city, county],
        [None, *categories],
        ["", MessageKind.COMPLAINT, MessageKind.HELP],
        ["", *statuses],
    ):
        filters = BoardFilters(
            region=region, category=category, kind=kind, status=status
        )
        messages = message_list_public(filters=filters)
        total = board_total(filters, messages)
        assert total["count"] == messages.count(), filters
        assert not total["is_capped"]


def test_the_board_total_reads_the_kept_counts_not_the_messages(
    django_assert_num_queries,
):
    region = RegionFactory()
    MessageFactory.create_batch(3, region=region)
    filters = BoardFilters(region=region, kind=MessageKind.COMPLAINT)
    messages = message_list_public(filters=filters)  # reads the region's tree

    # The sum alone: the list's region tree is read once for both.
    with django_assert_num_queries(1) as captured:
        total = board_total(filters, messages)

    assert total["count"] == 3
    assert not any("board_message" in query["sql"] for query in captured)
    assert BoardCount.objects.aggregate(total=Sum("count"))["total"] == 3


def test_the_board_says_how_many_messages_match(client: Client):
    region = RegionFactory()
    MessageFactory.create_batch(3, region=region)
    MessageFactory(region=region, status=MessageStatus.REPLIED)

    page = client.get(f"/?region={region.pk}&status=replied").content.decode()

    assert 'class="board-total"' in page
    total = page.split('class="board-total">', 1)[1].split("<", 1)[0]
    assert total == "共 1 条留言"


def test_the_triggers_are_in_place():
    # A migration that remakes board_message (SQLite copies a table to alter
    # it) would drop them; this says so.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger"
                " WHERE tgrelid = 'board_message'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
                " AND tbl_name = 'board_message'"
            )
        names = {row[0] for row in cursor.fetchall()}
    assert {name for name in names if "board_count" in name}


def test_the_rebuild_command_repairs_and_says_how_much():
    MessageFactory.create_batch(2)
    BoardCount.objects.update(count=5)  # as after a restore without triggers
    out = io.StringIO()

    call_command("rebuild_board_counts", stdout=out)

    assert kept() == counted()
    # Each factory message has a region and category of its own: two cells.
    assert "2 differed" in out.getvalue()


@pytest.mark.parametrize("status", MessageStatus.values)
def test_the_triggers_count_exactly_the_public_statuses(status):
    # The triggers spell out lifecycle.PUBLIC_STATUSES in SQL (migration
    # 0023): a change to one without the other fails here.
    MessageFactory(status=status, published_at=timezone.now())

    assert sum(kept().values()) == (1 if status in PUBLIC_STATUSES else 0)
