"""Query plans of the busiest pages on PostgreSQL: the data, the pages, the
plans. Shared by ``tests/test_query_plans.py`` (tens of thousands of
messages, in the services run) and ``bench/query_plans.py`` (a million).

- ``load_plan_data(messages)`` fills an empty database with seed_demo's
  builders (its places, accounts, workflow and bulk messages with their
  timelines, final replies and ratings) and adds, batch by batch with the
  messages, what the demo's bulk load leaves empty and the pages read:
  deadlines, 同问 counts and follows, interim and draft replies, follow-ups,
  photos, notifications, flags and reports,
  many more citizens and their sessions. Then ``VACUUM (ANALYZE)``, as
  autovacuum would have done on a live board.
- ``capture_pages()`` requests every page and filter through the test client
  as its reader would (anonymous, the author, a moderator, an official,
  department staff) and keeps the SQL each request ran, from
  ``execute_wrapper``: the plans follow the code, not a copy of its SQL.
- ``explain_pages()`` plans each distinct query once and names the tables it
  reads whole (``Seq Scan``), other than the small reference tables.
"""

import json
import random
import re
from dataclasses import dataclass, field
from datetime import timedelta
from io import StringIO

from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.utils import timezone

from board.actions import user_grant_role
from board.lifecycle import PUBLIC_STATUSES, ROUTED_STATUSES, MessageStatus
from board.models import (
    Category,
    Department,
    FollowUp,
    FollowUpStatus,
    Message,
    MessageAttachment,
    MessageFollow,
    Notification,
    NotificationKind,
    Official,
    Region,
    Reply,
    ReplyStatus,
    User,
)
from board.roles import Role
from board.statistics import statistics_rebuild
from moderation.context_processors import QUEUE_IS_BEHIND_CACHE_KEY
from moderation.demo.accounts import seed_accounts, seed_citizen_pool
from moderation.demo.bulk import MESSAGE_COLUMNS, MessageGenerator, seed_messages
from moderation.demo.places import seed_officials, seed_regions
from moderation.demo.rows import RowInserter
from moderation.demo.workflow import seed_workflow
from moderation.models import Report, Resolution
from moderation.selectors import QUEUES
from tests.services import restore_migration_data

# Tables a page may read whole: a few hundred rows at most however big the
# board grows (regions, departments, officials, categories, holidays …).
# Every other table is "large": a Seq Scan on it fails the test.
SMALL_TABLES = frozenset(
    {
        "auth_group",
        "auth_permission",
        "django_content_type",
        # Cells of region × category × kind × status: thousands at most.
        "board_boardcount",
        "board_category",
        "board_department",
        "board_departmentdeadline",
        "board_holiday",
        "board_official",
        "board_referencesequence",
        "board_region",
        "moderation_blockedemaildomain",
        "moderation_moderationreason",
        "moderation_screeningrule",
        "moderation_sitenotice",
    }
)
# Below this many rows a large table may be too small in the data for its
# plan to mean anything (at 10,000 messages the 500 follow-ups were read
# whole though indexed); the test says so beside the plan.
MEANINGFUL_ROWS = 500
PASSWORD = "query-plans"
HANDLER_USERNAME = "planhandler"

S = MessageStatus
STATUS = MESSAGE_COLUMNS.index("status")
AUTHOR = MESSAGE_COLUMNS.index("author_id")
OFFICIAL = MESSAGE_COLUMNS.index("addressee_official_id")
IS_PUBLIC = MESSAGE_COLUMNS.index("is_public")
CREATED = MESSAGE_COLUMNS.index("created_at")
PUBLISHED = MESSAGE_COLUMNS.index("published_at")
REVIEWED = MESSAGE_COLUMNS.index("reviewed_at")
ROUTED = MESSAGE_COLUMNS.index("routed_at")
LAST_REPLY = MESSAGE_COLUMNS.index("last_reply_at")
# Filled here, left to their defaults by seed_demo's bulk load.
# The deadlines and reply times are the seed generator's own columns.
EXTRA_COLUMNS = (
    "support_count", "flagged_at", "prescreen_score", "needs_second_approval",
)  # fmt: skip
ANSWERED = {S.REPLIED, S.CLOSED}
FLAGS_KEPT_DAYS = 90
FOLLOW_UP_WEIGHTS_RECENT = {
    FollowUpStatus.PENDING: 3, FollowUpStatus.APPROVED: 3,
    FollowUpStatus.ANSWERED: 2, FollowUpStatus.REJECTED: 1,
}  # fmt: skip
FOLLOW_UP_WEIGHTS_OLD = {
    FollowUpStatus.APPROVED: 0.5, FollowUpStatus.ANSWERED: 8,
    FollowUpStatus.REJECTED: 1,
}  # fmt: skip
REPLY_TEXT = "已收到，正在办理。"
REPORT_TEXT = "内容不实"


# --- The data ---


class _IdsKept:
    """A RowInserter that remembers the ids it gave its last rows."""

    def __init__(self, inserter: RowInserter):
        self.inserter = inserter
        self.ids: list[int] = []

    def __call__(self, rows, with_ids: bool = False) -> list[int]:
        self.ids = self.inserter(rows, with_ids=with_ids)
        return self.ids


class PlanDataGenerator(MessageGenerator):
    """seed_demo's generator, with each batch's side rows written after it."""

    def __init__(self, *args, readers: list[int], seed: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.readers = readers
        self.authors = [*self.authors, *readers]
        self.side_rng = random.Random(f"query-plans-{seed}")
        self.insert_messages = _IdsKept(
            RowInserter(Message, (*MESSAGE_COLUMNS, *EXTRA_COLUMNS))
        )
        # Interim replies and drafts, some flagged; the final replies are
        # the bulk load's (insert_replies).
        self.insert_plan_replies = RowInserter(
            Reply,
            ("message_id", "author_id", "office", "body", "body_html", "is_final",
             "status", "created_at", "published_at", "flagged_at"),
        )  # fmt: skip
        self.insert_follow_ups = RowInserter(
            FollowUp,
            ("message_id", "author_id", "body", "body_html", "status", "created_at"),
        )
        self.insert_attachments = RowInserter(
            MessageAttachment,
            ("message_id", "image", "content_type", "width", "height", "size",
             "created_at"),
        )  # fmt: skip
        self.insert_follows = RowInserter(
            MessageFollow, ("message_id", "user_id", "created_at")
        )
        self.insert_notifications = RowInserter(
            Notification,
            ("recipient_id", "kind", "message_id", "created_at", "read_at"),
        )
        self.insert_reports = RowInserter(
            Report,
            ("message_id", "reporter_id", "reason", "created_at", "resolved_at",
             "resolution"),
        )  # fmt: skip

    def compose(self, rng, created, status):
        row, steps, thread = super().compose(rng, created, status)
        published = row[PUBLISHED]
        routed = published if status in ROUTED_STATUSES else None
        on_board = routed is not None and row[IS_PUBLIC]
        # Most messages get no 同问, a few very many.
        support = int(rng.paretovariate(1.1)) - 1 if rng.random() < 0.4 else 0
        pending = status == S.PENDING
        row += [
            min(support, 5_000) if on_board else 0,
            routed + timedelta(hours=6) if self._flags(rng, on_board, routed) else None,
            rng.choice((0, 0, 0, 1, 2)) if pending else 0,
            pending and rng.random() < 0.02,
        ]
        return row, steps, thread

    def _flags(self, rng, on_board: bool, at) -> bool:
        """Reported lately: moderators clear older flags."""
        recent = at is not None and self.now - at < timedelta(days=FLAGS_KEPT_DAYS)
        return on_board and recent and rng.random() < 0.005

    def insert(self, batch) -> None:
        super().insert(batch)
        with transaction.atomic():
            self.insert_side_rows(
                list(zip(self.insert_messages.ids, batch, strict=True))
            )

    def insert_side_rows(self, messages) -> None:
        rng = self.side_rng
        replies, follow_ups, attachments = [], [], []
        follows, notifications, reports = [], [], []
        for pk, (row, _steps, _thread) in messages:
            status, author = row[STATUS], row[AUTHOR]
            created, published = row[CREATED], row[PUBLISHED]
            extra = dict(zip(EXTRA_COLUMNS, row[len(MESSAGE_COLUMNS) :], strict=True))
            replied = row[LAST_REPLY]
            office_user = self.mayor_user_id
            if status in ANSWERED and replied:
                # The final reply, and the rating of a message its author
                # closed, are the bulk load's own (moderation/demo/bulk.py).
                if rng.random() < 0.3:
                    middle = published + (replied - published) / 2
                    replies.append(self._reply(pk, office_user, middle, False))
                if rng.random() < 0.08:
                    follow_ups.append(self._follow_up(pk, author, replied))
            elif status == S.ACCEPTED and rng.random() < 0.3:
                at = published + timedelta(days=rng.uniform(1, 10))
                is_draft = rng.random() < 0.2
                replies.append(self._reply(pk, office_user, at, False, is_draft))
            if rng.random() < 0.15:
                for number in range(rng.randint(1, 3)):
                    attachments.append(
                        (pk, f"attachments/plans/{pk}-{number}.jpg", "image/jpeg",
                         1600, 1200, 240_000 + number, created)
                    )  # fmt: skip
            supporters = rng.sample(self.readers, min(extra["support_count"], 12))
            follows += [(pk, user, published) for user in supporters]
            notifications += self._notifications(pk, row, extra, rng)
            if extra["flagged_at"]:
                for reporter in rng.sample(self.readers, rng.randint(1, 3)):
                    at = extra["flagged_at"]
                    reports.append((pk, reporter, REPORT_TEXT, at, None, ""))
            elif published and rng.random() < 0.05:
                # Reports a moderator dealt with: most of the table.
                at = published + timedelta(days=1)
                reporter = rng.choice(self.readers)
                reports.append((pk, reporter, REPORT_TEXT, at, at, Resolution.KEEP))
        self.insert_plan_replies(replies)
        self.insert_follow_ups(follow_ups)
        self.insert_attachments(attachments)
        self.insert_follows(follows)
        self.insert_notifications(notifications)
        self.insert_reports(reports)

    def _reply(self, pk, author, at, is_final, is_draft=False):
        is_flagged = self._flags(self.side_rng, True, at)
        flagged = at + timedelta(hours=3) if is_flagged else None
        status = ReplyStatus.DRAFT if is_draft else ReplyStatus.PUBLISHED
        return (
            pk, author, "市人民政府办公室", REPLY_TEXT, f"<p>{REPLY_TEXT}</p>",
            is_final, status, at, None if is_draft else at,
            None if is_draft else flagged,
        )  # fmt: skip

    def _follow_up(self, pk, author, replied):
        # Awaiting review only lately; an office may still owe the answer.
        if self.now - replied < timedelta(days=7):
            weights = FOLLOW_UP_WEIGHTS_RECENT
        else:
            weights = FOLLOW_UP_WEIGHTS_OLD
        status = pick_weighted(self.side_rng, weights)
        at = min(replied + timedelta(days=2), self.now)
        return (pk, author, "问题仍未解决。", "<p>问题仍未解决。</p>", status, at)

    def _notifications(self, pk, row, extra, rng) -> list[tuple]:
        """What the actions would have told the author and the official."""
        status, author, reviewed = row[STATUS], row[AUTHOR], row[REVIEWED]
        read = rng.random() < 0.7
        rows = []
        if row[ROUTED]:
            at = row[ROUTED]
            rows.append((author, NotificationKind.MESSAGE_APPROVED, pk, at))
            if row[OFFICIAL] == self.mayor_id:
                kind = NotificationKind.INBOX_NEW_MESSAGE
                rows.append((self.mayor_user_id, kind, pk, at))
        elif status == S.REJECTED and reviewed:
            rows.append((author, NotificationKind.MESSAGE_REJECTED, pk, reviewed))
        if row[LAST_REPLY]:
            at = row[LAST_REPLY]
            rows.append((author, NotificationKind.MESSAGE_REPLIED, pk, at))
        read_after = timedelta(hours=2)
        return [(*item, item[3] + read_after if read else None) for item in rows]


def pick_weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def add_readers(count: int, now) -> list[int]:
    """Citizens who only read and press 同问, with their groups and sessions."""
    users = RowInserter(User, ("username", "display_name", "password", "date_joined"))
    groups = RowInserter(User.groups.through, ("user_id", "group_id"))
    sessions = RowInserter(Session, ("session_key", "session_data", "expire_date"))
    group_id = Group.objects.get(name=Role.CITIZEN).pk
    joined = now - timedelta(days=500)
    with transaction.atomic():
        ids = users(
            [(f"reader{number:07d}", "读者", "!", joined) for number in range(count)],
            with_ids=True,
        )
        groups([(pk, group_id) for pk in ids])
        # Half of them signed in within the last fortnight.
        sessions(
            [
                (f"plans{number:035d}", "e30:plans", now + timedelta(days=14))
                for number in range(count // 2)
            ]
        )
    return ids


def load_plan_data(messages: int, *, seed: int = 2026, stdout=None) -> None:
    """An empty database filled for planning: see the module's docstring."""
    stdout = stdout or StringIO()
    restore_migration_data()
    regions = seed_regions()
    mayor = seed_officials(regions)
    accounts = seed_accounts(PASSWORD, mayor)
    pool = seed_citizen_pool()
    seed_workflow(password=PASSWORD, stdout=stdout)
    readers = add_readers(max(5_000, messages // 4), timezone.now())
    generator = PlanDataGenerator(
        regions, accounts, pool, mayor, readers=readers, seed=seed
    )
    seed_messages(generator, seed, messages, stdout)
    busiest = (
        Message.objects.filter(addressee_department__isnull=False)
        .values("addressee_department")
        .annotate(count=Count("id"))
        .order_by("-count")
        .first()
    )
    handler, _created = User.objects.update_or_create(
        username=HANDLER_USERNAME,
        defaults={"department_id": busiest["addressee_department"]},
    )
    user_grant_role(user=handler, role=Role.HANDLER)
    # The statistics' summary rows, as seed_demo counts them after its load.
    statistics_rebuild()
    vacuum_analyze()


def vacuum_analyze() -> None:
    """What autovacuum does on a live board: statistics and the visibility
    map, without which the planner prices index-only scans as heap reads."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


# --- The pages ---


@dataclass
class CapturedPage:
    name: str
    reader: str
    path: str
    status_code: int
    queries: list[tuple[str, tuple]] = field(default_factory=list)


class _Recorder:
    def __init__(self):
        self.queries: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        # Reads only: what a GET writes (a session's expiry) is not planned.
        if not many and sql.lstrip().upper().startswith(("SELECT", "WITH")):
            self.queries.append((sql, params))
        return execute(sql, params, many, context)


@dataclass
class Samples:
    """The regions, officials, messages … the pages are asked about."""

    city: Region
    county: Region
    mayor: Official
    quiet_official: Official
    department: Department
    category: Category
    messages: dict[str, Message]

    @classmethod
    def pick(cls) -> "Samples":
        public = Message.objects.public()
        department_id = (
            public.filter(addressee_department__isnull=False)
            .values("addressee_department")
            .annotate(count=Count("id"))
            .order_by("-count")[0]["addressee_department"]
        )
        by_official = dict(
            public.filter(addressee_official__isnull=False)
            .values_list("addressee_official")
            .annotate(count=Count("id"))
        )
        mayor = Official.objects.get(user__username="official")
        quiet = min(by_official, key=lambda pk: (by_official[pk], pk))
        closed = (
            public.filter(
                status=S.CLOSED, attachments__isnull=False, ratings__isnull=False
            )
            .order_by("-pk")
            .first()
        )
        accepted = (
            public.filter(status=S.ACCEPTED, replies__status=ReplyStatus.DRAFT)
            .order_by("-pk")
            .first()
        )
        followed = public.filter(follow_ups__isnull=False).order_by("-pk").first()
        return cls(
            city=Region.objects.filter(level=2).order_by("code").first(),
            county=Region.objects.filter(level=3).order_by("code").first(),
            mayor=mayor,
            quiet_official=Official.objects.get(pk=quiet),
            department=Department.objects.get(pk=department_id),
            category=Category.objects.order_by("sort_order", "pk").first(),
            messages={
                label: message
                for label, message in {
                    "closed, with replies, photos and a rating": closed,
                    "accepted, with a draft reply": accepted,
                    "with a follow-up": followed,
                    "published, newest": public.order_by("-published_at").first(),
                }.items()
                if message is not None
            },
        )


def capture_pages() -> list[CapturedPage]:
    """Every page and filter the plans cover, with the SQL each one ran."""
    samples = Samples.pick()
    readers = {
        "anonymous": None,
        "moderator": User.objects.get(username="moderator"),
        "official": samples.mayor.user,
        "department staff": User.objects.get(username=HANDLER_USERNAME),
    }
    clients = {}
    for name, user in readers.items():
        clients[name] = Client()
        if user is not None:
            clients[name].force_login(user)
    pages = []

    def get(name, reader, path, client=None):
        client = client or clients[reader]
        recorder = _Recorder()
        # Cached for a minute and computed by whichever page comes first;
        # each page is captured as if it came first.
        cache.delete(QUEUE_IS_BEHIND_CACHE_KEY)
        with connection.execute_wrapper(recorder):
            response = client.get(path, HTTP_ACCEPT="text/html,application/json")
        pages.append(
            CapturedPage(name, reader, path, response.status_code, recorder.queries)
        )
        return response

    _board_pages(get, samples)
    _api_list_pages(get, samples)
    for official in (samples.mayor, samples.quiet_official):
        name = f"official page ({'busy' if official == samples.mayor else 'quiet'})"
        path = f"/officials/{official.pk}/"
        response = get(name, "anonymous", path)
        cursor = response.context["page"].next_cursor
        if cursor:
            get(f"{name}, after a cursor", "anonymous", f"{path}?cursor={cursor}")
    # Browsing by place (#14): the directory and the region pages.
    get("directory of officials", "anonymous", "/officials/")
    for label, region in (("city", samples.city), ("county", samples.county)):
        get(f"region page: a {label}", "anonymous", f"/regions/{region.pk}/")
    for label, message in samples.messages.items():
        path = message.get_absolute_url()
        get(f"message page: {label}", "anonymous", path)
        author = Client()
        author.force_login(message.author)
        get(f"message page: {label}, its author", "author", path, author)
    _queue_pages(get, samples)
    _inbox_pages(get, samples)
    return pages


def _board_filters(samples: Samples) -> list[tuple[str, dict]]:
    filters = [
        ("all", {}),
        ("region: a city and its counties", {"region": samples.city.pk}),
        ("region: a county", {"region": samples.county.pk}),
        ("official", {"official": samples.mayor.pk}),
        ("official with few messages", {"official": samples.quiet_official.pk}),
        ("department", {"department": samples.department.pk}),
        ("category", {"category": samples.category.pk}),
        ("kind", {"kind": "complaint"}),
    ]
    filters += [(f"status {s}", {"status": s}) for s in sorted(PUBLIC_STATUSES)]
    filters.append(
        (
            "region, category, kind and status",
            {"region": samples.city.pk, "category": samples.category.pk,
             "kind": "complaint", "status": S.REPLIED},
        )
    )  # fmt: skip
    # No kind: the slowest combination at a million messages before
    # message_board_category_status (migration 0026).
    filters.append(
        (
            "region, category and status",
            {"region": samples.city.pk, "category": samples.category.pk,
             "status": S.PUBLISHED},
        )
    )  # fmt: skip
    return filters


def _query(parameters: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in parameters.items())


def _board_pages(get, samples: Samples) -> None:
    for label, parameters in _board_filters(samples):
        for sort in ("", "support"):
            query = _query({**parameters, **({"sort": sort} if sort else {})})
            name = f"board, {label}, {'most 同问' if sort else 'newest'} first"
            response = get(name, "anonymous", f"/?{query}")
            cursor = response.context["page"].next_cursor
            if cursor:
                path = f"/?{query}&cursor={cursor}" if query else f"/?cursor={cursor}"
                get(f"{name}, after a cursor", "anonymous", path)


def _api_list_pages(get, samples: Samples) -> None:
    for label, parameters in _board_filters(samples):
        name = f"API messages, {label}"
        response = get(name, "anonymous", f"/api/v1/messages/?{_query(parameters)}")
        following = response.json().get("next")
        if following:
            path = re.sub(r"^https?://[^/]+", "", following)
            get(f"{name}, after a cursor", "anonymous", path)


def _queue_pages(get, samples: Samples) -> None:
    filters = [
        ("", {}),
        (", page 2", {"page": 2}),
        (", region", {"region": samples.city.pk}),
        (", category", {"category": samples.category.pk}),
        (", kind", {"kind": "complaint"}),
    ]
    for queue in QUEUES:
        sorts = [("", {})]
        if queue == "pending":
            sorts.append((", findings first", {"sort": "risk"}))
        for sort_label, sort in sorts:
            for label, parameters in filters:
                query = _query({"queue": queue, **sort, **parameters})
                name = f"moderation queue {queue}{sort_label}{label}"
                get(name, "moderator", f"/moderation/?{query}")


def _inbox_pages(get, samples: Samples) -> None:
    filters = [
        ("", {}),
        (", page 2", {"page": 2}),
        *[(f", {status}", {"status": status}) for status in sorted(ROUTED_STATUSES)],
        (", overdue", {"due": "overdue"}),
        (", near the deadline", {"due": "near"}),
        (", category", {"category": samples.category.pk}),
        (", region", {"region": samples.city.pk}),
    ]
    for reader in ("official", "department staff"):
        for label, parameters in filters:
            get(f"inbox of {reader}{label}", reader, f"/inbox/?{_query(parameters)}")
        for label, parameters in filters[2:4]:
            path = f"/api/v1/inbox/?{_query(parameters)}"
            get(f"API inbox of {reader}{label}", reader, path)


# --- The plans ---


@dataclass
class QueryPlan:
    sql: str
    params: tuple
    plan: dict
    pages: list[str]
    seq_scans: list[str]
    execution_ms: float | None = None

    def readable_sql(self) -> str:
        """The query with its parameters in place, to paste into psql."""
        with connection.cursor() as cursor:
            return cursor.cursor.mogrify(self.sql, self.params)

    @property
    def top(self) -> str:
        """The top node and the first table or index it reads, as
        ``Limit › Index Scan message_board_order``."""
        top = self.plan["Plan"]
        for node in nodes(top):
            name = node.get("Index Name") or node.get("Relation Name")
            if name:
                scan = f"{node['Node Type']} {name}"
                return scan if node is top else f"{top['Node Type']} › {scan}"
        return top["Node Type"]


def explain(sql: str, params: tuple, *, analyze: bool = False) -> dict:
    options = "ANALYZE, BUFFERS, FORMAT JSON" if analyze else "FORMAT JSON"
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ({options}) {sql}", params)
        plan = cursor.fetchone()[0]
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]


def explain_text(sql: str, params: tuple) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(line for (line,) in cursor.fetchall())


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def seq_scans(plan: dict) -> list[str]:
    """The large tables this plan reads whole."""
    return sorted(
        {
            node["Relation Name"]
            for node in nodes(plan["Plan"])
            if node["Node Type"] == "Seq Scan"
            and node["Relation Name"] not in SMALL_TABLES
        }
    )


def explain_pages(pages: list[CapturedPage], *, analyze: bool = False):
    """One plan per distinct query, in the order the pages first ran them."""
    plans: dict[tuple, QueryPlan] = {}
    for page in pages:
        for sql, params in page.queries:
            key = (sql, repr(params))
            if key in plans:
                if page.name not in plans[key].pages:
                    plans[key].pages.append(page.name)
                continue
            plan = explain(sql, params, analyze=analyze)
            plans[key] = QueryPlan(
                sql, params, plan, [page.name], seq_scans(plan),
                plan.get("Execution Time"),
            )  # fmt: skip
    return list(plans.values())


def table_rows(tables) -> dict[str, int]:
    """Rows per table as the planner sees them (after ANALYZE)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE relname = ANY(%s)",
            [list(tables)],
        )
        return dict(cursor.fetchall())
