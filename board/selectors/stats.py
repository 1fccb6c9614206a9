"""The public figures: per region, department and official, for a period,
and month by month, summed from the monthly and daily summary rows
(board/statistics.py) and never from the messages themselves.

A period counts the messages *received* in it (days in TIME_ZONE) and what
has happened to them since; a message counts for the addressee that holds it
now, and a region's figures include the regions below it. Rates whose base
is smaller than ``RANK_MIN_MESSAGES`` are shown but not ranked.

Medians and 90th percentiles of working days come from the distribution
rows by the nearest-rank method: the smallest number of working days within
which at least half (nine tenths) of the replies came.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from board import page_cache
from board.models import (
    DailyFigures,
    DailyResponseDays,
    Department,
    MonthlyFigures,
    MonthlyResponseDays,
    Official,
    Region,
)
from board.selectors.geography import region_descendant_ids, region_parent_map

# A rate (reply rate, on-time rate, response days, satisfaction) is ranked
# only when it rests on at least this many messages: two of two answered is
# not a better record than 190 of 200.
RANK_MIN_MESSAGES = 10
# At most this many months in a trend, and the default span of one.
TREND_MAX_MONTHS = 36
TREND_DEFAULT_MONTHS = 12
# The response-time chart's buckets of working days: 0…10 one by one, then
# ranges, the last open.
RESPONSE_DAY_BUCKETS = [(day, day) for day in range(11)] + [
    (11, 15),
    (16, 20),
    (21, None),
]

COUNTED = DailyFigures.COUNTED

GROUPINGS = {
    "region": (pgettext_lazy("statistics by", "Region"), "region_id"),
    "department": (pgettext_lazy("statistics by", "Department"), "department_id"),
    "official": (pgettext_lazy("statistics by", "Official"), "official_id"),
}

PERIODS = {
    "this_month": _("This month"),
    "last_month": _("Last month"),
    "this_year": _("This year"),
    "custom": _("Custom"),
}


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end`` inclusive, in TIME_ZONE."""

    start: date
    end: date
    name: str = "custom"

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


def period_named(name: str, *, today: date | None = None) -> Period:
    today = today or timezone.localdate()
    if name == "this_month":
        return Period(today.replace(day=1), today, name)
    if name == "last_month":
        end = today.replace(day=1) - timedelta(days=1)
        return Period(end.replace(day=1), end, name)
    if name == "this_year":
        return Period(today.replace(month=1, day=1), today, name)
    raise ValueError(name)


@dataclass
class Figures:
    """What happened to a group's messages, and the rates shown from it."""

    received: int = 0
    published: int = 0
    accepted: int = 0
    replied: int = 0
    replied_on_time: int = 0
    overdue: int = 0
    transfers: int = 0
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    # Working days → how many first (final) replies took that long.
    first_days: Counter = field(default_factory=Counter)
    final_days: Counter = field(default_factory=Counter)

    def add(self, other: "Figures") -> None:
        for name in COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.first_days.update(other.first_days)
        self.final_days.update(other.final_days)

    @property
    def ratings(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def reply_rate(self) -> float | None:
        return _ratio(self.replied, self.published)

    @property
    def on_time_rate(self) -> float | None:
        return _ratio(self.replied_on_time, self.replied)

    @property
    def satisfied_share(self) -> float | None:
        return _ratio(self.satisfied, self.ratings)

    @property
    def basically_satisfied_share(self) -> float | None:
        return _ratio(self.basically_satisfied, self.ratings)

    @property
    def dissatisfied_share(self) -> float | None:
        return _ratio(self.dissatisfied, self.ratings)

    @property
    def median_first_days(self) -> int | None:
        return nearest_rank(self.first_days, 0.5)

    @property
    def p90_first_days(self) -> int | None:
        return nearest_rank(self.first_days, 0.9)

    @property
    def median_final_days(self) -> int | None:
        return nearest_rank(self.final_days, 0.5)

    @property
    def p90_final_days(self) -> int | None:
        return nearest_rank(self.final_days, 0.9)

    def response_buckets(self) -> dict[str, list[int]]:
        return {
            "first": _bucketed(self.first_days),
            "final": _bucketed(self.final_days),
        }

    def as_dict(self) -> dict:
        """Every figure by name, as the API and the CSV give them."""
        return {name: getattr(self, name) for name in FIGURE_NAMES}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def nearest_rank(distribution: Counter, fraction: float) -> int | None:
    total = sum(distribution.values())
    if not total:
        return None
    wanted, seen = math.ceil(fraction * total), 0
    for days in sorted(distribution):
        seen += distribution[days]
        if seen >= wanted:
            return days
    return None  # unreachable: seen ends at total


def _bucketed(distribution: Counter) -> list[int]:
    counts = []
    for low, high in RESPONSE_DAY_BUCKETS:
        counts.append(
            sum(
                n
                for days, n in distribution.items()
                if days >= low and (high is None or days <= high)
            )
        )
    return counts


def response_bucket_labels() -> list[str]:
    return [
        str(low) if low == high else (f"{low}–{high}" if high else f">{low - 1}")
        for low, high in RESPONSE_DAY_BUCKETS
    ]


# Every figure a row has, in the table's order; the rates and days are
# computed from the counts. (name, label, base: the count a rate rests on)
FIGURES = [
    ("received", _("Received"), None),
    ("published", _("Published"), None),
    ("accepted", _("Accepted"), None),
    ("replied", _("Replied"), None),
    ("reply_rate", _("Reply rate"), "published"),
    ("on_time_rate", _("On-time rate"), "replied"),
    ("median_first_days", _("Median working days to the first reply"), "replied"),
    ("p90_first_days", _("90th percentile, first reply"), "replied"),
    ("median_final_days", _("Median working days to the final reply"), "replied"),
    ("p90_final_days", _("90th percentile, final reply"), "replied"),
    ("overdue", _("Overdue now"), None),
    ("transfers", _("Transfers"), None),
    ("satisfied_share", _("Satisfied (share)"), "ratings"),
    ("basically_satisfied_share", _("Basically satisfied (share)"), "ratings"),
    ("dissatisfied_share", _("Dissatisfied (share)"), "ratings"),
    ("ratings", _("Ratings"), None),
]
FIGURE_NAMES = [name for name, _label, _base in FIGURES] + [
    "replied_on_time",
    "satisfied",
    "basically_satisfied",
    "dissatisfied",
]
FIGURE_BASES = {name: base for name, _label, base in FIGURES}
# Fewer days and fewer dissatisfied are better: ranked from the lowest.
LOWER_IS_BETTER = frozenset(
    {
        "median_first_days",
        "p90_first_days",
        "median_final_days",
        "p90_final_days",
        "overdue",
        "dissatisfied_share",
        "transfers",
    }
)


# --- Reading the summary rows ---------------------------------------------------


def _sources(period: Period, *, today: date | None = None) -> list[tuple]:
    """(figures rows, distribution rows) that together cover ``period``
    once: monthly rows for the months it covers whole (or up to today), and
    daily rows for the days at its edges. Each row has a ``month``."""
    today = today or timezone.localdate()
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        if month >= period.start and period.end >= min(_month_end(month), today):
            months.append(month)
        month = _month_end(month) + timedelta(days=1)
    if not months:
        return [_daily(period.start, period.end)]
    sources = [
        (
            MonthlyFigures.objects.filter(month__in=months),
            MonthlyResponseDays.objects.filter(month__in=months),
        )
    ]
    if period.start < months[0]:
        sources.append(_daily(period.start, months[0] - timedelta(days=1)))
    covered = _month_end(months[-1])
    if period.end > covered:
        sources.append(_daily(covered + timedelta(days=1), period.end))
    return sources


def _daily(start: date, end: date) -> tuple:
    month = TruncMonth("day")
    return (
        DailyFigures.objects.filter(day__gte=start, day__lte=end).annotate(month=month),
        DailyResponseDays.objects.filter(day__gte=start, day__lte=end).annotate(
            month=month
        ),
    )


def _summed(sources: list[tuple], key: str, scope: dict | None = None) -> dict:
    """Figures per value of ``key`` (a summary row column, or ``month``),
    of the rows matching ``scope`` (``_scope``'s lookups)."""
    scope = scope or {}
    result: dict = defaultdict(Figures)
    sums = {name: Sum(name) for name in COUNTED}
    for figures_rows, days_rows in sources:
        figures_rows = figures_rows.filter(**scope)
        for values in figures_rows.values(key).annotate(**sums).order_by():
            figures = result[values[key]]
            for name in COUNTED:
                setattr(figures, name, getattr(figures, name) + (values[name] or 0))
        for values in (
            days_rows.filter(**scope)
            .values(key, "stage", "working_days")
            .annotate(n=Sum("count"))
            .order_by()
        ):
            _count_reply_days(result[values[key]], values)
    return dict(result)


def _count_reply_days(figures: Figures, values: dict) -> None:
    first = values["stage"] == DailyResponseDays.Stage.FIRST
    distribution = figures.first_days if first else figures.final_days
    distribution[values["working_days"]] += values["n"]


def _scope(by: str | None, group_id: int | None) -> dict:
    """Lookups for the rows of one region (and below), department or
    official; none for every row. Found once per question: a region's
    descendants cost a query per level."""
    if by is None or group_id is None:
        return {}
    if by == "region":
        return {"region_id__in": region_descendant_ids(group_id)}
    return {GROUPINGS[by][1]: group_id}


def _rolled_up_regions(by_region: dict) -> dict:
    """Each region's figures with those of every region below it."""
    parents = region_parent_map()
    rolled: dict = defaultdict(Figures)
    for region_id, figures in by_region.items():
        current = region_id
        while current is not None:
            rolled[current].add(figures)
            current = parents.get(current)
    return dict(rolled)


def figures_by_group(by: str, period: Period) -> dict[int, Figures]:
    """Figures per region, department or official over a period, cached
    until a day of summary rows is counted again."""

    def compute():
        column = GROUPINGS[by][1]
        grouped = _summed(_sources(period), column)
        grouped.pop(None, None)  # messages to no department, say
        return _rolled_up_regions(grouped) if by == "region" else grouped

    return page_cache.cached_data(
        [page_cache.STATS], f"stats:by:{by}:{period.key}", compute
    )


def figures_total(
    period: Period, *, by: str | None = None, group_id: int | None = None
) -> Figures:
    """Every message of the period, or one group's."""

    def compute():
        total = Figures()
        scope = _scope(by, group_id)
        for source in _sources(period):
            for values in (
                source[0]
                .filter(**scope)
                .aggregate(**{name: Sum(name) for name in COUNTED})
                .items()
            ):
                name, value = values
                setattr(total, name, getattr(total, name) + (value or 0))
            for values in (
                source[1]
                .filter(**scope)
                .values("stage", "working_days")
                .annotate(n=Sum("count"))
                .order_by()
            ):
                _count_reply_days(total, values)
        return total

    return page_cache.cached_data(
        [page_cache.STATS], f"stats:total:{by}:{group_id}:{period.key}", compute
    )


def figures_trend(
    *, by: str | None = None, group_id: int | None = None, months: list[date]
) -> list[tuple[date, Figures]]:
    """Figures month by month (``months``: first days, oldest first)."""
    period = Period(months[0], _month_end(months[-1]))

    def compute():
        by_month = _summed(_sources(period), "month", _scope(by, group_id))
        return [(month, by_month.get(month, Figures())) for month in months]

    return page_cache.cached_data(
        [page_cache.STATS], f"stats:trend:{by}:{group_id}:{period.key}", compute
    )


def _month_end(first: date) -> date:
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def months_between(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end and len(months) < TREND_MAX_MONTHS:
        months.append(current)
        current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


def months_up_to(end: date, count: int = TREND_DEFAULT_MONTHS) -> list[date]:
    first = end.replace(day=1)
    for _month in range(count - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return months_between(first, end)


# --- Groups and rankings ---------------------------------------------------------


def stats_groups(by: str) -> dict[int, object]:
    """The regions, departments or officials a table can show, by id."""
    if by == "region":
        return {region.pk: region for region in Region.objects.all()}
    if by == "department":
        return {
            department.pk: department
            for department in Department.objects.select_related("region")
        }
    return {
        official.pk: official
        for official in Official.objects.select_related("region", "department")
    }


def stats_group(by: str, group_id: int):
    """One region, department or official, or None."""
    model = {"region": Region, "department": Department, "official": Official}[by]
    return model.objects.filter(pk=group_id).first()


@dataclass
class RankedRow:
    group: object
    figures: Figures
    rank: int | None  # None: too few messages to rank on this figure


def is_rankable(figures: Figures, sort: str) -> bool:
    base = FIGURE_BASES.get(sort)
    if base is None:
        return True
    return getattr(figures, base) >= RANK_MIN_MESSAGES and (
        getattr(figures, sort) is not None
    )


def ranking(
    by: str, period: Period, *, sort: str = "reply_rate", descending=None
) -> list[RankedRow]:
    """Every group with messages in the period, best first on ``sort``
    (``descending`` flips the order; by default higher is better except for
    days, overdue, transfers and dissatisfaction). Groups with too few
    messages for a rate come last, unranked."""
    if sort not in FIGURE_NAMES:
        raise ValueError(sort)
    if descending is None:
        descending = sort not in LOWER_IS_BETTER
    groups = stats_groups(by)
    figures = figures_by_group(by, period)
    rows = [
        RankedRow(groups[group_id], group_figures, None)
        for group_id, group_figures in figures.items()
        if group_id in groups and group_figures.received
    ]
    ranked = [row for row in rows if is_rankable(row.figures, sort)]
    unranked = [row for row in rows if not is_rankable(row.figures, sort)]
    ranked.sort(
        key=lambda row: (getattr(row.figures, sort), row.figures.received),
        reverse=descending,
    )
    for position, row in enumerate(ranked, start=1):
        row.rank = position
    unranked.sort(key=lambda row: row.figures.received, reverse=True)
    return ranked + unranked
