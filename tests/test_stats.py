"""Statistics (board/statistics.py, board/selectors/stats.py): the figures of
a known October, worked through the real actions on a clock we hold, across
a holiday, a make-up working day, a transfer and an extension; period
boundaries in Asia/Shanghai; rankings' minimum counts; the API, the page
and the CSV; the rebuild giving what the actions gave."""

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import models
from django.utils import timezone

from board.actions import (
    message_accept,
    message_extend,
    message_transfer,
    rating_submit,
    reply_create,
)
from board.lifecycle import MessageStatus
from board.models import DailyFigures, DailyResponseDays, Holiday, Message
from board.selectors import stats as stats_selectors
from board.selectors.stats import (
    Period,
    _sources,
    figures_by_group,
    figures_total,
    figures_trend,
    nearest_rank,
    ranking,
)
from board.statistics import (
    day_recount,
    handling_facts_backfill,
    recount_is_due,
    statistics_rebuild,
)
from tests.factories import (
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OCTOBER = Period(date(2026, 10, 1), date(2026, 10, 31))
SATISFIED = {"attitude": 5, "speed": 5, "resolved": 5}
DISSATISFIED = {"attitude": 1, "speed": 1, "resolved": 1}


def at(day: int, hour: int = 10, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=SHANGHAI)


class Clock:
    """timezone.now() as the test says, for actions and auto_now fields."""

    def __init__(self, monkeypatch):
        self.now = at(1)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def set(self, moment: datetime) -> None:
        self.now = moment


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def october(clock, django_capture_on_commit_callbacks):
    """Two officials of a county, six messages in October and one in
    September, handled through the actions; summary rows counted on commit.

    The calendar: Monday 5 and Tuesday 6 October are holidays, Saturday 10
    October a make-up working day.
    """
    Holiday.objects.create(date=date(2026, 10, 5), name="国庆")
    Holiday.objects.create(date=date(2026, 10, 6), name="国庆")
    Holiday.objects.create(date=date(2026, 10, 10), name="调休", is_working_day=True)
    province = RegionFactory()
    county = RegionFactory(parent=province)
    first = OfficialFactory(user=UserFactory(official=True), region=county)
    second = OfficialFactory(user=UserFactory(official=True), region=county)

    def routed(hour, due):
        clock.set(at(2, hour))
        # The factory's own clock is the real one: routing is said here.
        return RoutedMessageFactory(
            addressee_official=first,
            region=county,
            due_date=due,
            routed_at=clock.now,
            reviewed_at=clock.now,
            published_at=clock.now,
        )

    with django_capture_on_commit_callbacks(execute=True):
        answered = routed(9, date(2026, 10, 16))
        transferred = routed(10, date(2026, 10, 16))
        extended = routed(11, date(2026, 10, 7))
        late = routed(12, date(2026, 10, 7))
        overdue = routed(13, date(2026, 10, 7))
        # 00:30 on 1 October in Shanghai is still 30 September in UTC.
        clock.set(datetime(2026, 9, 30, 16, 30, tzinfo=UTC))
        pending = MessageFactory(
            addressee_official=first, region=county, status=MessageStatus.PENDING
        )
        clock.set(datetime(2026, 9, 30, 15, 30, tzinfo=UTC))  # 23:30 in Shanghai
        september = MessageFactory(
            addressee_official=first, region=county, status=MessageStatus.PENDING
        )

        clock.set(at(3))  # a Saturday: accepting counts no working day
        for message in (answered, extended, late):
            message_accept(message=message, actor=first.user)
        clock.set(at(7))  # the first working day after the holiday
        reply_create(
            message=transferred, actor=first.user, body="正在核实。", final=False
        )
        message_extend(
            message=extended, actor=first.user, working_days=3, reason="需要现场勘查"
        )
        clock.set(at(8))
        reply_create(message=late, actor=first.user, body="已处理。", final=True)
        message_transfer(
            message=transferred,
            actor=first.user,
            to_official=second,
            reason="属于另一位负责人",
        )
        clock.set(at(9))
        message_accept(message=transferred, actor=second.user)
        reply_create(
            message=transferred, actor=second.user, body="已解决。", final=True
        )
        clock.set(at(10))  # the make-up working day
        reply_create(message=extended, actor=first.user, body="已修复。", final=True)
        clock.set(at(12))
        reply_create(message=answered, actor=first.user, body="已答复。", final=True)
        rating_submit(message=answered, actor=answered.author, **SATISFIED)
        rating_submit(message=late, actor=late.author, **DISSATISFIED)
    for message in (answered, transferred, extended, late, overdue, pending):
        message.refresh_from_db()
    return {
        "province": province,
        "county": county,
        "first": first,
        "second": second,
        "answered": answered,
        "transferred": transferred,
        "extended": extended,
        "late": late,
        "overdue": overdue,
        "pending": pending,
        "september": september,
    }


def test_the_actions_write_each_message_s_handling_facts(october):
    answered, extended, late = (
        october["answered"],
        october["extended"],
        october["late"],
    )
    # 2 October to 12 October: 7, 8, 9, 10 (make-up) and 12; not the weekend
    # nor the holidays.
    assert answered.accepted_at == at(3)
    assert (answered.first_reply_working_days, answered.final_reply_working_days) == (
        5,
        5,
    )
    assert answered.final_reply_on_time is True
    # Extended by three working days from 7 October: the 10th, a make-up day.
    assert extended.due_date == date(2026, 10, 10)
    assert (extended.final_reply_working_days, extended.final_reply_on_time) == (
        4,
        True,
    )
    assert (late.final_reply_working_days, late.final_reply_on_time) == (2, False)


def test_a_transfer_restarts_the_clock_and_the_first_reply_stays(october):
    transferred = october["transferred"]
    assert transferred.addressee_official == october["second"]
    assert transferred.transfer_count == 1
    # The interim reply on 7 October, one working day after routing.
    assert transferred.first_reply_at == at(7)
    assert transferred.first_reply_working_days == 1
    # Routed again on the 8th, answered on the 9th.
    assert transferred.final_reply_working_days == 1
    assert transferred.final_reply_on_time is True
    assert transferred.accepted_at == at(9)


def test_an_official_s_figures_for_october(october):
    figures = figures_by_group("official", OCTOBER)[october["first"].pk]
    assert figures.as_dict() == {
        # answered, extended, late, overdue, and the pending one received
        # at 00:30 on 1 October; the transferred one counts for the second.
        "received": 5,
        "published": 4,
        "accepted": 3,
        "replied": 3,
        "reply_rate": 0.75,
        "on_time_rate": 0.6667,
        # Final replies after 2, 4 and 5 working days.
        "median_first_days": 4,
        "p90_first_days": 5,
        "median_final_days": 4,
        "p90_final_days": 5,
        "overdue": 1,
        "transfers": 0,
        "satisfied_share": 0.5,
        "basically_satisfied_share": 0.0,
        "dissatisfied_share": 0.5,
        "ratings": 2,
        "replied_on_time": 2,
        "satisfied": 1,
        "basically_satisfied": 0,
        "dissatisfied": 1,
    }
    second = figures_by_group("official", OCTOBER)[october["second"].pk]
    assert (second.received, second.replied, second.transfers) == (1, 1, 1)
    assert (second.median_first_days, second.median_final_days) == (1, 1)


def test_period_boundaries_are_days_in_shanghai(october):
    first = october["first"].pk
    september = Period(date(2026, 9, 1), date(2026, 9, 30))
    assert figures_by_group("official", september)[first].received == 1
    first_of_october = Period(date(2026, 10, 1), date(2026, 10, 1))
    assert figures_by_group("official", first_of_october)[first].received == 1
    [(month, figures)] = figures_trend(months=[date(2026, 10, 1)])
    assert (month, figures.received, figures.replied) == (date(2026, 10, 1), 6, 4)


def test_whole_months_and_edge_days_add_up(october):
    """A period is read from monthly rows where it covers whole months and
    from daily rows at its edges; either way the figures are the same."""
    spanning = Period(date(2026, 9, 30), date(2026, 10, 31))
    figures_rows = [rows for rows, _distribution in _sources(spanning)]
    assert [rows.model.__name__ for rows in figures_rows] == [
        "MonthlyFigures",
        "DailyFigures",
    ]
    total = figures_total(spanning)
    assert (total.received, total.replied, total.final_days) == (
        7,
        4,
        {1: 1, 2: 1, 4: 1, 5: 1},
    )
    mid_month = figures_total(Period(date(2026, 9, 30), date(2026, 10, 1)))
    assert mid_month.received == 2  # 23:30 on the 30th and 00:30 on the 1st


def test_a_region_s_figures_include_the_regions_below_it(october):
    by_region = figures_by_group("region", OCTOBER)
    county, province = october["county"].pk, october["province"].pk
    assert by_region[county].received == by_region[province].received == 6
    assert by_region[province].final_days == {1: 1, 2: 1, 4: 1, 5: 1}
    total = figures_total(OCTOBER, by="region", group_id=province)
    assert total.as_dict() == by_region[province].as_dict()


def test_rates_are_ranked_only_above_the_minimum(october, monkeypatch):
    first, second = october["first"], october["second"]
    # Ten messages is the rule; neither has as many published.
    rows = ranking("official", OCTOBER, sort="reply_rate")
    assert [(row.group, row.rank) for row in rows] == [(first, None), (second, None)]
    # Counts are always ranked.
    rows = ranking("official", OCTOBER, sort="received")
    assert [(row.group, row.rank) for row in rows] == [(first, 1), (second, 2)]
    monkeypatch.setattr(stats_selectors, "RANK_MIN_MESSAGES", 1)
    rows = ranking("official", OCTOBER, sort="reply_rate")
    assert [(row.group, row.rank) for row in rows] == [(second, 1), (first, 2)]
    # Fewer days rank first, unless the reader asks otherwise.
    rows = ranking("official", OCTOBER, sort="median_final_days")
    assert [row.group for row in rows] == [second, first]
    rows = ranking("official", OCTOBER, sort="median_final_days", descending=True)
    assert [row.group for row in rows] == [first, second]


def test_nearest_rank_percentiles():
    assert nearest_rank(Counter(), 0.5) is None
    assert nearest_rank(Counter({3: 1}), 0.9) == 3
    assert nearest_rank(Counter({1: 5, 9: 5}), 0.5) == 1
    assert nearest_rank(Counter({1: 5, 9: 5}), 0.9) == 9
    assert nearest_rank(Counter({0: 9, 20: 1}), 0.9) == 0


def test_a_rebuild_gives_what_the_actions_gave(october):
    def rows():
        return (
            sorted(
                DailyFigures.objects.values_list(
                    "day", "official_id", "received", "replied", "overdue", "satisfied"
                )
            ),
            sorted(
                DailyResponseDays.objects.values_list(
                    "day", "official_id", "stage", "working_days", "count"
                )
            ),
        )

    counted = rows()
    DailyFigures.objects.all().delete()
    DailyResponseDays.objects.all().delete()
    statistics_rebuild()
    assert rows() == counted


def test_the_backfill_finds_the_facts_in_the_timeline_and_the_replies(october):
    """Messages routed before migration 0016 have no facts yet."""
    answered = october["answered"]
    facts = (
        "accepted_at",
        "first_reply_at",
        "final_reply_at",
        "first_reply_working_days",
        "final_reply_working_days",
        "final_reply_on_time",
    )
    before = Message.objects.values(*facts).get(pk=answered.pk)
    Message.objects.filter(pk=answered.pk).update(**dict.fromkeys(facts))
    assert handling_facts_backfill() == 1
    assert Message.objects.values(*facts).get(pk=answered.pk) == before
    # Nothing left to fill.
    assert handling_facts_backfill() == 0


# --- The API, the page and the CSV ----------------------------------------------


def test_the_api_ranks_with_every_figure(october, client):
    response = client.get(
        "/api/v1/stats/",
        {
            "by": "official",
            "from": "2026-10-01",
            "to": "2026-10-31",
            "sort": "received",
        },
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["by"], body["from"], body["to"], body["min_messages_for_rank"]) == (
        "official",
        "2026-10-01",
        "2026-10-31",
        10,
    )
    first = body["results"][0]
    assert (first["id"], first["rank"], first["received"], first["reply_rate"]) == (
        october["first"].pk,
        1,
        5,
        0.75,
    )
    assert first["url"] == october["first"].get_absolute_url()
    assert body["total"]["received"] == 6


def test_the_api_gives_one_group_and_a_trend(october, client):
    county = october["county"].pk
    response = client.get(
        "/api/v1/stats/",
        {"by": "region", "id": county, "from": "2026-10-01", "to": "2026-10-31"},
    )
    [row] = response.json()["results"]
    assert (row["id"], row["received"], row["overdue"]) == (county, 6, 1)
    response = client.get(
        "/api/v1/stats/trend/",
        {
            "by": "official",
            "id": october["first"].pk,
            "from": "2026-09-01",
            "to": "2026-10-31",
        },
    )
    assert [(m["month"], m["received"]) for m in response.json()["months"]] == [
        ("2026-09", 1),
        ("2026-10", 5),
    ]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"by": "district"}, "by"),
        ({"from": "2026-02-30"}, "from"),
        ({"from": "2026-10-31", "to": "2026-10-01"}, "to"),
        ({"from": "2020-01-01", "to": "2026-10-01"}, "from"),
        ({"by": "official", "id": "999999"}, "id"),
        ({"by": "official", "id": "abc"}, "id"),
        ({"id": "1"}, "by"),
        ({"sort": "title"}, "sort"),
        ({"period": "forever"}, "period"),
    ],
)
def test_bad_questions_are_400s_naming_the_field(db, client, query, field):
    response = client.get("/api/v1/stats/", query)
    assert response.status_code == 400
    assert field in response.json()
    response = client.get("/stats/", query)
    assert response.status_code == 400
    response = client.get("/stats/export.csv", query)
    assert response.status_code == 400
    assert field in response.json()


def test_the_page_shows_the_ranking_and_one_group(october, client):
    response = client.get(
        "/stats/",
        {
            "by": "official",
            "period": "custom",
            "from": "2026-10-01",
            "to": "2026-10-31",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert october["first"].name in page and october["second"].name in page
    assert 'id="stats-chart-data"' in page
    assert "75.0%" in page  # the first official's reply rate
    response = client.get(
        "/stats/",
        {
            "by": "official",
            "id": october["first"].pk,
            "from": "2026-10-01",
            "to": "2026-10-31",
        },
    )
    page = response.content.decode()
    assert october["second"].name not in page
    assert "66.7%" in page  # on time


def test_a_region_s_board_shows_its_figures(october, client):
    """The board filtered by one region shows the region's figures of this
    year and links the rest."""
    county = october["county"]
    page = client.get("/", {"region": county.pk}).content.decode()
    assert 'class="stats group-figures"' in page
    assert "75%" in page  # 3 of 4 published messages replied
    assert f"/stats/?by=region&amp;id={county.pk}" in page
    assert "group-figures" not in client.get("/").content.decode()


@pytest.mark.parametrize("table", ["ranking", "trend", "response_days", "satisfaction"])
def test_every_table_downloads_as_csv(october, client, table):
    response = client.get(
        "/stats/export.csv",
        {"by": "official", "from": "2026-10-01", "to": "2026-10-31", "table": table},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) > 1
    if table == "ranking":
        assert rows[1][1:4] == [str(october["first"].pk), str(october["first"]), "5"]
    if table == "satisfaction":
        assert [row[1] for row in rows[1:]] == ["1", "0", "1"]


def test_a_cached_page_follows_a_new_reply(
    october, client, settings, django_capture_on_commit_callbacks, clock
):
    """Figures are cached until a day of summary rows is counted again."""
    settings.ZHITONG_PAGE_CACHE_SECONDS = 300
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    query = {
        "by": "official",
        "id": october["first"].pk,
        "from": "2026-10-01",
        "to": "2026-10-31",
    }
    assert client.get("/api/v1/stats/", query).json()["results"][0]["replied"] == 3
    clock.set(at(13))
    with django_capture_on_commit_callbacks(execute=True):
        message_accept(message=october["overdue"], actor=october["first"].user)
        reply_create(
            message=october["overdue"],
            actor=october["first"].user,
            body="迟复。",
            final=True,
        )
    row = client.get("/api/v1/stats/", query).json()["results"][0]
    assert (row["replied"], row["overdue"]) == (4, 0)


def test_a_waiting_recount_takes_the_changes_of_its_seconds(settings):
    """Changes to one day's messages within a few seconds are counted once:
    the first claims the recount, the recount frees the claim as it starts."""
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    day = date(2026, 10, 2)
    assert recount_is_due(day) is True
    assert recount_is_due(day) is False
    assert recount_is_due(date(2026, 10, 3)) is True
    day_recount(day)
    assert recount_is_due(day) is True


def test_the_counted_figures_are_the_summary_rows_counts():
    """One list of the figures (FiguresRow.COUNTED) for the recount and the
    reads: every count column of the rows, and nothing else."""
    counts = {
        field.name
        for field in DailyFigures._meta.concrete_fields
        if isinstance(field, models.PositiveIntegerField)
    }
    assert set(DailyFigures.COUNTED) == counts
    assert len(DailyFigures.COUNTED) == len(counts)
