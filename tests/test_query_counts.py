"""Every list page and API list costs the same number of queries for 50 rows
as for 1, and no more than today.

Each case signs in as the reader the page is for, builds one varied row
(tests/query_counts.py), reads the page, adds 49 more and reads it again.
The reference data (regions, officials, departments, categories, readers)
is built before either read, so the two reads differ in the rows only. Each
counted read follows an uncounted one, so per-process caches (translations,
a staff session's activity stamp) are warm in both; whether reviews are
late (cached for a minute) is fixed.
"""

import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from board.models import User
from board.roles import Role, load_roles, user_roles
from tests import query_counts as rows
from tests.factories import UserFactory
from tests.query_counts import QUEUE_ROWS, World, build_world

pytestmark = pytest.mark.django_db

MANY = 50


def cards(html: str) -> int:
    return html.count('class="message-card"')


def marked(marker: str) -> Callable[[str], int]:
    return lambda html: html.count(marker)


def timeline_entries(html: str) -> int:
    section = re.search(r'<section class="timeline".*?</section>', html, re.S)
    return section.group(0).count("<time ") if section else 0


def results(body: str) -> int:
    return len(json.loads(body)["results"])


def timeline(body: str) -> int:
    return len(json.loads(body)["timeline"])


@dataclass(frozen=True)
class Case:
    name: str
    # None: anonymous; else a role World.reader knows.
    reader: str | None
    url: Callable[[World], str]
    add_row: Callable[[World, int], None]
    # How many rows a response shows, and at most on one page.
    shown: Callable[[str], int]
    page_size: int
    # Today's count for 50 rows: a change that adds a query fails here.
    max_queries: int
    setup: Callable[[World], None] = lambda world: None


def page(path: str) -> Callable[[World], str]:
    return lambda world: path


def official_page(world: World) -> str:
    return f"/officials/{world.official.pk}/"


def message_page(prefix: str) -> Callable[[World], str]:
    return lambda world: f"{prefix}{world.message.pk}/"


def province_filter(world: World) -> str:
    return f"/?region={world.regions[0].pk}&sort=support"


MODERATOR_QUEUES = {
    # queue: (the page's bound, the API's bound)
    "pending": (17, 12),
    "flagged": (15, 11),
    "followups": (15, 11),
    "rejected": (15, 11),
    "hidden": (15, 11),
}
MESSAGE_READERS = {
    # reader: (the page's bound, the API's bound)
    None: (8, 8),
    "citizen": (17, 12),
    "official": (16, 12),
    "moderator": (16, 11),
}
INBOX_READERS = {"official": (11, 10), "handler": (12, 11)}

CASES = [
    # --- Pages ---
    # +1 on the board: its total, counted up to 10,000 once per version of
    # the lists and set of filters outside tests (board/views/board.py);
    # +1: the keys of its rows and the pages ahead first, from the index
    # alone, then the shown rows (board_page_numbered).
    Case("board-anonymous", None, page("/"), rows.board_row, cards, 20, 3),
    Case("board-citizen", "citizen", page("/"), rows.board_row, cards, 20, 7),
    # +4: a region's board shows its figures: the region's descendants (a
    # query per level) and its summary rows, all cached outside tests.
    Case("board-filtered", "citizen", province_filter, rows.board_row, cards, 20, 15),
    Case(
        "my-messages",
        "citizen",
        page("/me/messages/"),
        rows.my_messages_row,
        cards,
        20,
        6,
    ),
    # The official's page: +2 for this year's figures, read from the
    # statistics' summary rows (cached under the stats version outside tests);
    # +1 for its keys, as the board's.
    Case("official-anonymous", None, official_page, rows.official_row, cards, 20, 6),
    Case(
        "official-citizen", "citizen", official_page, rows.official_row, cards, 20, 10
    ),
    *[
        Case(
            f"moderation-{queue}",
            "moderator",
            page(f"/moderation/?queue={queue}"),
            QUEUE_ROWS[queue],
            marked('<article class="queue-item'),
            50,
            bounds[0],
        )
        for queue, bounds in MODERATOR_QUEUES.items()
    ],
    *[
        Case(
            f"inbox-{reader}",
            reader,
            page("/inbox/"),
            rows.inbox_row,
            marked('<li class="inbox-row'),
            50,
            bounds[0],
        )
        for reader, bounds in INBOX_READERS.items()
    ],
    Case(
        "notifications",
        "citizen",
        page("/notifications/"),
        rows.notification_row,
        marked('<li class="notification'),
        25,
        7,
    ),
    *[
        Case(
            f"message-page-{reader or 'anonymous'}",
            reader,
            message_page("/messages/"),
            rows.message_page_row,
            timeline_entries,
            MANY,
            bounds[0],
            setup=rows.message_page_subject,
        )
        for reader, bounds in MESSAGE_READERS.items()
    ],
    Case(
        "handling-page",
        "official",
        message_page("/inbox/messages/"),
        rows.message_page_row,
        timeline_entries,
        MANY,
        17,
        setup=rows.message_page_subject,
    ),
    Case(
        "moderation-item",
        "moderator",
        message_page("/moderation/messages/"),
        rows.message_page_row,
        timeline_entries,
        MANY,
        27,
        setup=rows.message_page_subject,
    ),
    # --- The API ---
    # The list reads its page's keys from the index alone, then the rows
    # (MessagePagination.paginate_queryset).
    *[
        Case(
            f"api-messages-{reader or 'anonymous'}",
            reader,
            page("/api/v1/messages/"),
            rows.board_row,
            results,
            20,
            bound,
        )
        for reader, bound in {None: 2, "citizen": 5}.items()
    ],
    *[
        Case(
            f"api-moderation-{queue}",
            "moderator",
            page(f"/api/v1/moderation/queue/?queue={queue}"),
            QUEUE_ROWS[queue],
            results,
            20,
            bounds[1],
        )
        for queue, bounds in MODERATOR_QUEUES.items()
    ],
    *[
        Case(
            f"api-inbox-{reader}",
            reader,
            page("/api/v1/inbox/"),
            rows.inbox_row,
            results,
            20,
            bounds[1],
        )
        for reader, bounds in INBOX_READERS.items()
    ],
    Case(
        "api-notifications",
        "citizen",
        page("/api/v1/notifications/"),
        rows.notification_row,
        results,
        200,
        6,
    ),
    *[
        Case(
            f"api-message-{reader or 'anonymous'}",
            reader,
            message_page("/api/v1/messages/"),
            rows.message_page_row,
            timeline,
            MANY,
            bounds[1],
            setup=rows.message_page_subject,
        )
        for reader, bounds in MESSAGE_READERS.items()
    ],
]


def counted_read(client, url: str) -> tuple[list[str], str]:
    client.get(url)  # warm what a process keeps between requests
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in queries.captured_queries], (
        response.content.decode()
    )


def grown(one: list[str], many: list[str]) -> list[str]:
    """The queries (numbers left out) that 50 rows run more often than 1."""

    def shapes(queries):
        return Counter(re.sub(r"\d+", "N", query) for query in queries)

    return [
        f"{count} × {shape}" for shape, count in (shapes(many) - shapes(one)).items()
    ]


@pytest.fixture(autouse=True)
def _reference_caches_on(settings):
    """As in production, the filter lists and the cards' names are read once
    per edit of the reference data (board/filter_choices.py,
    board/selectors/cards.py), not counted on every page."""
    settings.ZHITONG_FILTER_CHOICES_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _queue_health_known(monkeypatch):
    """The site notice asks whether reviews are late at most once a minute
    (a cached answer): fixed here, so that no read counts its queries."""
    monkeypatch.setattr("moderation.context_processors.queue_is_behind", lambda: False)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_queries_do_not_grow_with_the_rows(client, case):
    world = build_world()
    reader = world.reader(case.reader)
    if reader is not None:
        client.force_login(reader)
    case.setup(world)
    url = case.url(world)

    case.add_row(world, 0)
    one, one_body = counted_read(client, url)
    for number in range(1, MANY):
        case.add_row(world, number)
    many, many_body = counted_read(client, url)

    assert case.shown(one_body) == 1
    assert case.shown(many_body) == min(MANY, case.page_size)
    assert len(many) == len(one), "\n".join(
        ["More queries for 50 rows than for 1:", *grown(one, many)]
    )
    assert len(many) <= case.max_queries, "\n".join(many)


def test_user_roles_reads_one_users_roles_in_one_query(django_assert_num_queries):
    staff = UserFactory(roles=[Role.OFFICIAL, Role.MODERATOR])
    # A group that is not a role is no role.
    staff.groups.add(Group.objects.create(name="newsletter"))
    staff = User.objects.get(pk=staff.pk)
    with django_assert_num_queries(1):
        # In the order of Role, whatever the order they were given in.
        assert user_roles(staff) == ["moderator", "official"]
        assert user_roles(staff) == ["moderator", "official"]
    nobody = User.objects.get(pk=UserFactory().pk)
    with django_assert_num_queries(1):
        assert user_roles(nobody) == []
    with django_assert_num_queries(0):
        assert user_roles(AnonymousUser()) == []


def test_load_roles_reads_the_roles_of_many_users_at_once(
    django_assert_num_queries,
):
    citizen = UserFactory(citizen=True)
    staff = UserFactory(roles=[Role.MODERATOR, Role.OFFICIAL])
    nobody = UserFactory()
    users = [*User.objects.filter(pk__in=[citizen.pk, staff.pk, nobody.pk])]
    # The same user twice, as two rows naming them would give.
    users.append(User.objects.get(pk=staff.pk))
    with django_assert_num_queries(1):
        load_roles([*users, None, AnonymousUser()])
        assert {user.pk: user_roles(user) for user in users} == {
            citizen.pk: ["citizen"],
            staff.pk: ["moderator", "official"],
            nobody.pk: [],
        }
        assert user_roles(users[-1]) == ["moderator", "official"]
