"""Statistics, written once: a message's handling facts, and the daily
summary rows the public figures are summed from.

Handling facts (``Message.accepted_at``, ``first_reply_at``,
``final_reply_at``, the working days each reply took and whether the final
reply kept the deadline) are written by the actions when they happen
(``record_acceptance``, ``record_reply``), so no figure needs a message's
timeline again.

Summary rows (``DailyFigures``, ``DailyResponseDays``) hold, for each day
and addressee, what happened to the messages *received* that day: a cohort,
so a period's figures are sums of rows and a message counts once, in the
period it was sent, for the addressee that holds it now. A day's rows are
counted again from its messages (a thousand or so) whenever something
counted about one of them changes, once its transaction commits
(``board.signals``); ``statistics_rebuild`` counts every day again and
fills the facts of messages routed before the facts existed.

Response times count working days (board/deadlines.py) from the routing to
the current addressee: a transfer restarts the clock, as it restarts the
deadline, and an extension moves the deadline the final reply is held to.
"""

import logging
import threading
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from board import page_cache
from board.deadlines import WorkingCalendar, working_days_between
from board.lifecycle import IN_HANDLING_STATUSES
from board.models import (
    DailyFigures,
    DailyResponseDays,
    Message,
    MessageEvent,
    MonthlyFigures,
    MonthlyResponseDays,
    Overall,
    Rating,
    Reply,
    ReplyStatus,
)

logger = logging.getLogger(__name__)

# The message fields a figure is counted from: a save that changes none of
# them leaves the summary rows alone.
COUNTED_FIELDS = frozenset(
    {
        "status",
        "region",
        "addressee_official",
        "addressee_department",
        "routed_at",
        "due_date",
        "escalated_at",
        "accepted_at",
        "first_reply_at",
        "final_reply_at",
        "first_reply_working_days",
        "final_reply_working_days",
        "final_reply_on_time",
        "transfer_count",
    }
)
# A day is counted again this long after a change to one of its messages:
# the changes of those seconds are counted once (board.tasks).
RECOUNT_DELAY_SECONDS = 5
RECOUNT_CLAIM = "stats:recount:"
# The rows a rebuild fills facts for, at a time.
REBUILD_BATCH_SIZE = 2_000

_pending = threading.local()


# --- Handling facts ------------------------------------------------------------


def record_acceptance(message: Message, *, now: datetime) -> list[str]:
    """The addressee took the message on; answers the fields to save."""
    if message.accepted_at is not None:
        return []
    message.accepted_at = now
    return ["accepted_at"]


def record_reply(message: Message, *, is_final: bool, now: datetime) -> list[str]:
    """A reply went out; answers the fields to save.

    The first reply of any kind and the first final one are kept: a final
    reply to a follow-up (追问) does not make the first answer faster or later.
    """
    fields = []
    days = _working_days_since_routing(message, now)
    if message.first_reply_at is None:
        message.first_reply_at = now
        message.first_reply_working_days = days
        fields += ["first_reply_at", "first_reply_working_days"]
    if is_final and message.final_reply_at is None:
        message.final_reply_at = now
        message.final_reply_working_days = days
        message.final_reply_on_time = (
            None
            if message.due_date is None
            else timezone.localdate(now) <= message.due_date
        )
        fields += ["final_reply_at", "final_reply_working_days", "final_reply_on_time"]
    return fields


def _working_days_since_routing(message: Message, now: datetime) -> int | None:
    if message.routed_at is None:
        return None
    start, end = timezone.localdate(message.routed_at), timezone.localdate(now)
    return max(working_days_between(start, end), 0)


def _working_days(calendar: WorkingCalendar, routed: datetime, reply: datetime):
    start, end = timezone.localdate(routed), timezone.localdate(reply)
    return max(calendar.between(start, end), 0)


COUNTED = DailyFigures.COUNTED


# --- Summary rows --------------------------------------------------------------


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The first instant of ``day`` and of the next, in TIME_ZONE."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    return start, timezone.make_aware(datetime.combine(day + timedelta(1), time.min))


def _addressee_keys(prefix: str = "") -> dict:
    """The columns a summary row is keyed by, read from a message."""
    return {
        "key_region": F(f"{prefix}region_id"),
        "key_official": F(f"{prefix}addressee_official_id"),
        "key_department": Coalesce(
            f"{prefix}addressee_department_id",
            f"{prefix}addressee_official__department_id",
        ),
    }


KEY_NAMES = ("key_region", "key_department", "key_official")


def figures_count_day(
    day: date, *, today: date | None = None, roll_up: bool = True
) -> int:
    """Count a day's summary rows again from its messages, then (unless
    ``roll_up`` is false) its month's; answers how many day rows it wrote."""
    today = today or timezone.localdate()
    start, end = day_bounds(day)
    received = Message.objects.filter(created_at__gte=start, created_at__lt=end)
    keys = _addressee_keys()
    counts = received.values(**keys).annotate(
        received=Count("pk"),
        published=Count("pk", filter=Q(routed_at__isnull=False)),
        accepted=Count("pk", filter=Q(accepted_at__isnull=False)),
        replied=Count("pk", filter=Q(final_reply_at__isnull=False)),
        replied_on_time=Count("pk", filter=Q(final_reply_on_time=True)),
        overdue=Count(
            "pk", filter=Q(status__in=IN_HANDLING_STATUSES, due_date__lt=today)
        ),
        transfers=Coalesce(Sum("transfer_count"), 0),
    )
    rows = {}
    for values in counts:
        key = tuple(values.pop(name) for name in KEY_NAMES)
        rows[key] = DailyFigures(
            day=day,
            region_id=key[0],
            department_id=key[1],
            official_id=key[2],
            **values,
        )
    ratings = (
        Rating.objects.filter(
            message__created_at__gte=start, message__created_at__lt=end
        )
        .values("overall", **_addressee_keys("message__"))
        .annotate(n=Count("pk"))
    )
    for values in ratings:
        key = tuple(values[name] for name in KEY_NAMES)
        figures = rows.get(key)
        if figures is not None and values["overall"] in Overall.values:
            setattr(figures, values["overall"], values["n"])
    distribution = []
    for stage, column in (
        (DailyResponseDays.Stage.FIRST, "first_reply_working_days"),
        (DailyResponseDays.Stage.FINAL, "final_reply_working_days"),
    ):
        for values in (
            received.filter(**{f"{column}__isnull": False})
            .values(column, **keys)
            .annotate(n=Count("pk"))
        ):
            distribution.append(
                DailyResponseDays(
                    day=day,
                    region_id=values["key_region"],
                    department_id=values["key_department"],
                    official_id=values["key_official"],
                    stage=stage,
                    working_days=values[column],
                    count=values["n"],
                )
            )
    with transaction.atomic():
        _lock(day.toordinal())
        DailyFigures.objects.filter(day=day).delete()
        DailyResponseDays.objects.filter(day=day).delete()
        DailyFigures.objects.bulk_create(rows.values())
        DailyResponseDays.objects.bulk_create(distribution)
    if roll_up:
        month_roll_up(day.replace(day=1))
    return len(rows)


def _month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def month_roll_up(month: date) -> None:
    """Sum a month's daily rows into its monthly ones, in the database
    (INSERT … SELECT: a month's distribution is some ten thousand rows)."""
    keys = "region_id, department_id, official_id"
    counted = ", ".join(COUNTED)
    sums = ", ".join(f"SUM({name})" for name in COUNTED)
    bounds = [month, _month_end(month)]
    with transaction.atomic():
        # Apart from the days' locks: a month's days may be counted at once.
        _lock(-month.toordinal())
        MonthlyFigures.objects.filter(month=month).delete()
        MonthlyResponseDays.objects.filter(month=month).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {MonthlyFigures._meta.db_table} "  # noqa: S608
                f"(month, {keys}, {counted}) "
                f"SELECT %s, {keys}, {sums} FROM {DailyFigures._meta.db_table} "
                f"WHERE day BETWEEN %s AND %s GROUP BY {keys}",
                [month, *bounds],
            )
            cursor.execute(
                f"INSERT INTO {MonthlyResponseDays._meta.db_table} "  # noqa: S608
                f"(month, {keys}, stage, working_days, count) "
                f"SELECT %s, {keys}, stage, working_days, SUM(count) "
                f"FROM {DailyResponseDays._meta.db_table} "
                f"WHERE day BETWEEN %s AND %s "
                f"GROUP BY {keys}, stage, working_days",
                [month, *bounds],
            )


def _lock(key: int) -> None:
    """Two recounts of one day (or month) take turns; otherwise both could
    delete the old rows and both insert new ones. SQLite has one writer at
    a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x5A54, key])


def received_day(message: Message) -> date:
    return timezone.localdate(message.created_at)


def figures_count_on_commit(day: date, schedule) -> None:
    """Have this day counted again once the transaction commits, by
    ``schedule(day)`` (board.tasks: a task a few seconds later); several
    changes of one transaction schedule each day once."""
    days = getattr(_pending, "days", None)
    if days is None:
        days = _pending.days = set()
    days.add(day)
    transaction.on_commit(lambda: _schedule_pending(schedule), robust=True)


def _schedule_pending(schedule) -> None:
    days = getattr(_pending, "days", None)
    if days:
        _pending.days = set()
        for day in sorted(days):
            schedule(day)


def recount_is_due(day: date) -> bool:
    """Claim the next recount of ``day``: false when one is already waiting
    to run (it will read this change too, as it counts when it runs)."""
    return cache.add(RECOUNT_CLAIM + day.isoformat(), 1, RECOUNT_DELAY_SECONDS + 60)


def day_recount(day: date) -> int:
    """The waiting recount of ``day``: changes from now on claim another."""
    cache.delete(RECOUNT_CLAIM + day.isoformat())
    rows = figures_count_day(day)
    # After the rows: a page rendered under the new version reads them.
    page_cache.bump(page_cache.STATS)
    return rows


# --- Rebuilding ------------------------------------------------------------------


def statistics_rebuild(*, stdout=None) -> dict:
    """Fill missing handling facts, then count every day again.

    For a database that had messages before the facts existed, and after a
    bulk load that wrote rows without the actions. Safe to run while the
    board is in use: each day is counted in a transaction of its own.
    """
    facts = handling_facts_backfill()
    days = rows = 0
    first = Message.objects.order_by("created_at").values_list("created_at").first()
    last = Message.objects.order_by("-created_at").values_list("created_at").first()
    if first is not None:
        DailyFigures.objects.filter(day__lt=timezone.localdate(first[0])).delete()
        DailyResponseDays.objects.filter(day__lt=timezone.localdate(first[0])).delete()
        day, end = timezone.localdate(first[0]), timezone.localdate(last[0])
        today = timezone.localdate()
        while day <= end:
            rows += figures_count_day(day, today=today, roll_up=False)
            if day.month != (day + timedelta(days=1)).month or day == end:
                month_roll_up(day.replace(day=1))
            days += 1
            if stdout is not None and days % 30 == 0:
                stdout.write(f"{days:,} days counted, {rows:,} rows")
            day += timedelta(days=1)
    page_cache.bump(page_cache.STATS)
    return {"facts": facts, "days": days, "rows": rows}


def handling_facts_backfill(*, batch_size: int = REBUILD_BATCH_SIZE) -> int:
    """The facts of routed messages that have none yet, from their timeline
    and replies, as the actions would have written them. Answers how many
    messages it filled."""
    published_replies = Reply.objects.filter(
        message=OuterRef("pk"), status=ReplyStatus.PUBLISHED
    ).order_by("published_at", "pk")
    accepted_events = MessageEvent.objects.filter(
        message=OuterRef("pk"), verb=MessageEvent.Verb.ACCEPTED
    ).order_by("created_at", "pk")
    # Routed before the facts existed: no fact at all yet.
    missing = Message.objects.filter(
        routed_at__isnull=False,
        accepted_at__isnull=True,
        first_reply_at__isnull=True,
        final_reply_at__isnull=True,
    ).order_by("pk")
    filled, after = 0, 0
    while True:
        batch = list(
            missing.filter(pk__gt=after)
            .annotate(
                accepted_event_at=Subquery(accepted_events.values("created_at")[:1]),
                first_reply_published_at=Subquery(
                    published_replies.values("published_at")[:1]
                ),
                final_reply_published_at=Subquery(
                    published_replies.filter(is_final=True).values("published_at")[:1]
                ),
            )
            .only("pk", "routed_at", "due_date", "status")[:batch_size]
        )
        if not batch:
            return filled
        after = batch[-1].pk
        # One calendar for the batch: a query, not one per message.
        moments = [
            moment
            for message in batch
            for moment in (message.routed_at, message.final_reply_published_at)
            if moment is not None
        ]
        calendar = WorkingCalendar(
            timezone.localdate(min(moments)), timezone.localdate(max(moments))
        )
        changed = [
            message for message in batch if _facts_from_history(message, calendar)
        ]
        Message.objects.bulk_update(
            changed,
            [
                "accepted_at",
                "first_reply_at",
                "final_reply_at",
                "first_reply_working_days",
                "final_reply_working_days",
                "final_reply_on_time",
            ],
        )
        filled += len(changed)


def _facts_from_history(message: Message, calendar: WorkingCalendar) -> bool:
    message.accepted_at = message.accepted_event_at
    message.first_reply_at = message.first_reply_published_at
    message.final_reply_at = message.final_reply_published_at
    message.first_reply_working_days = message.final_reply_working_days = None
    message.final_reply_on_time = None
    if message.first_reply_at is not None:
        message.first_reply_working_days = _working_days(
            calendar, message.routed_at, message.first_reply_at
        )
    if message.final_reply_at is not None:
        message.final_reply_working_days = _working_days(
            calendar, message.routed_at, message.final_reply_at
        )
        if message.due_date is not None:
            message.final_reply_on_time = (
                timezone.localdate(message.final_reply_at) <= message.due_date
            )
    return message.accepted_at is not None or message.first_reply_at is not None
