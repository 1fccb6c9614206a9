"""The statistics' summary rows: one per day, region, handling department
and addressed official, counted from the messages received that day.

``board/statistics.py`` rewrites a day's rows from the messages whenever
something counted about one of them changes, so a period's figures are sums
over a few thousand summary rows instead of an aggregate over the messages.
A day is a calendar day in ``TIME_ZONE`` (Asia/Shanghai).
"""

from django.db import models

from .geography import Department, Official, Region


class DailyFigures(models.Model):
    """What happened to the messages received on ``day`` by one addressee."""

    day = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    # The handling department: the addressed department, or the addressed
    # official's department (none for a leader outside any department).
    department = models.ForeignKey(
        Department, null=True, on_delete=models.CASCADE, related_name="+"
    )
    official = models.ForeignKey(
        Official, null=True, on_delete=models.CASCADE, related_name="+"
    )
    received = models.PositiveIntegerField(default=0)
    published = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    replied = models.PositiveIntegerField(default=0)
    replied_on_time = models.PositiveIntegerField(default=0)
    # Past the due date without a final reply, when the day was last counted
    # (the daily escalation check recounts a message's day as it falls due).
    overdue = models.PositiveIntegerField(default=0)
    transfers = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    basically_satisfied = models.PositiveIntegerField(default=0)
    dissatisfied = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["day"], name="daily_figures_day")]

    def __str__(self):
        return f"{self.day} {self.region_id}/{self.department_id}/{self.official_id}"


class DailyResponseDays(models.Model):
    """How many of a day's messages had their first (or final) reply after
    ``working_days`` working days: the distribution behind medians and 90th
    percentiles, which cannot be summed."""

    class Stage(models.TextChoices):
        FIRST = "first"
        FINAL = "final"

    day = models.DateField()
    region = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(
        Department, null=True, on_delete=models.CASCADE, related_name="+"
    )
    official = models.ForeignKey(
        Official, null=True, on_delete=models.CASCADE, related_name="+"
    )
    stage = models.CharField(max_length=5, choices=Stage.choices)
    working_days = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="daily_response_days_day")]

    def __str__(self):
        return f"{self.day} {self.stage} {self.working_days}: {self.count}"
