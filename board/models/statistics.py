"""The statistics' summary rows, counted from the messages received each
day (and each month) by each region, handling department and addressed
official.

``board/statistics.py`` rewrites a day's rows from the messages whenever
something counted about one of them changes, then the month's from the
days, so a period's figures are sums over whole months and the few days at
its edges instead of an aggregate over the messages. Days and months are
calendar ones in ``TIME_ZONE`` (Asia/Shanghai).
"""

from django.db import models

from .geography import Department, Official, Region


class SummaryRow(models.Model):
    """Who a row counts for: the message's region, its handling department
    (the addressed department, or the addressed official's; none for a
    leader outside any department) and the addressed official."""

    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, null=True, on_delete=models.CASCADE, related_name="+"
    )
    official = models.ForeignKey(
        Official, null=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        abstract = True


class FiguresRow(SummaryRow):
    """What happened to the messages one addressee received."""

    received = models.PositiveIntegerField(default=0)
    published = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    # Past the due date without a final reply, when the day was last counted
    # (the escalation check recounts a message's day as it falls due).
    overdue = models.PositiveIntegerField(default=0)
    transfers = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basically_satisfied = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)

    # The counts, in the order the recount writes and the reads sum them.
    COUNTED = (
        "received",
        "published",
        "accepted",
        "replied",
        "replied_on_time",
        "overdue",
        "transfers",
        "satisfied",
        "basically_satisfied",
        "dissatisfied",
    )

    class Meta:
        abstract = True


class ResponseDaysRow(SummaryRow):
    """How many of the messages had their first (or final) reply after
    ``working_days`` working days: the distribution behind medians and 90th
    percentiles, which cannot be summed."""

    class Stage(models.TextChoices):
        FIRST = "first"
        FINAL = "final"

    stage = models.CharField(max_length=5, choices=Stage.choices)
    working_days = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        abstract = True


class DailyFigures(FiguresRow):
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="daily_figures_day")]

    def __str__(self):
        return f"{self.day} {self.region_id}/{self.department_id}/{self.official_id}"


class DailyResponseDays(ResponseDaysRow):
    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="daily_response_days_day")]

    def __str__(self):
        return f"{self.day} {self.stage} {self.working_days}: {self.count}"


def _one_group_indexes(prefix: str) -> list[models.Index]:
    """One official's, department's or region's months (their pages and
    their rows of the API), read without the other groups' rows."""
    return [
        models.Index(fields=[key, "month"], name=f"{prefix}_{key}")
        for key in ("official", "department", "region")
    ]


class MonthlyFigures(FiguresRow):
    """The sum of a month's DailyFigures (``month``: its first day)."""

    month = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["month"], name="monthly_figures_month"),
            *_one_group_indexes("monthly_figures"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.region_id}/{self.department_id}"


class MonthlyResponseDays(ResponseDaysRow):
    month = models.DateField()

    class Meta:
        indexes = [
            models.Index(fields=["month"], name="monthly_response_days_month"),
            *_one_group_indexes("monthly_days"),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.stage} {self.working_days}: {self.count}"
