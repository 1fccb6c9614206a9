"""The statistics' questions and answers: which grouping, group and period
(``?by=&id=&period=&from=&to=&sort=&order=``), checked once for the page and
the API, and each group's figures as the API and the CSV give them."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from board.selectors.stats import (
    FIGURE_NAMES,
    GROUPINGS,
    PERIODS,
    RANK_MIN_MESSAGES,
    TREND_MAX_MONTHS,
    Period,
    months_between,
    months_up_to,
    period_named,
    stats_group,
)

# A custom period spans at most this many days (three years).
PERIOD_MAX_DAYS = 3 * 366
EARLIEST = date(2000, 1, 1)


class _GroupQuery(serializers.Serializer):
    by = serializers.ChoiceField(
        choices=list(GROUPINGS), required=False, help_text=gettext_lazy("Group by.")
    )
    id = serializers.IntegerField(
        min_value=1,
        required=False,
        help_text=gettext_lazy(
            "One region (with the regions below it), department or official."
        ),
    )

    def get_fields(self):
        # "from" is a Python keyword: the fields are named here.
        fields = super().get_fields()
        fields["from"] = serializers.DateField(
            required=False, help_text=gettext_lazy("First day, YYYY-MM-DD.")
        )
        fields["to"] = serializers.DateField(
            required=False, help_text=gettext_lazy("Last day, YYYY-MM-DD.")
        )
        return fields

    def _check_dates(self, data) -> None:
        start, end = data.get("from"), data.get("to")
        for name, day in (("from", start), ("to", end)):
            if day is not None and day < EARLIEST:
                raise serializers.ValidationError(
                    {name: _("Statistics start in %(year)s.") % {"year": 2000}}
                )
        if start and end and start > end:
            raise serializers.ValidationError(
                {"to": _("The last day comes before the first.")}
            )

    def _check_group(self, data) -> None:
        by, group_id = data.get("by"), data.get("id")
        if group_id is None:
            return
        if by is None:
            raise serializers.ValidationError(
                {"by": _("Say what the id is: region, department or official.")}
            )
        group = stats_group(by, group_id)
        if group is None:
            raise serializers.ValidationError(
                {
                    "id": _("No %(kind)s has this id.")
                    % {"kind": str(GROUPINGS[by][0]).lower()}
                }
            )
        data["group"] = group


class StatsQuerySerializer(_GroupQuery):
    """``GET /api/v1/stats/`` and the statistics page."""

    period = serializers.ChoiceField(
        choices=list(PERIODS),
        required=False,
        help_text=gettext_lazy(
            "this_month, last_month, this_year (the default) or custom "
            "(with from and to)."
        ),
    )
    sort = serializers.ChoiceField(
        choices=FIGURE_NAMES,
        required=False,
        help_text=gettext_lazy("The figure the ranking is ordered by."),
    )
    order = serializers.ChoiceField(
        choices=["asc", "desc"],
        required=False,
        help_text=gettext_lazy(
            "Ascending or descending; by default the best come first."
        ),
    )

    def validate(self, data):
        self._check_dates(data)
        self._check_group(data)
        data.setdefault("by", "region")
        data.setdefault("sort", "reply_rate")
        today = timezone.localdate()
        name = data.get("period")
        if "from" in data or "to" in data or name == "custom":
            start = data.get("from") or today.replace(month=1, day=1)
            end = data.get("to") or today
            if start > end:
                raise serializers.ValidationError(
                    {"from": _("The first day comes after the last.")}
                )
            if (end - start).days >= PERIOD_MAX_DAYS:
                raise serializers.ValidationError(
                    {
                        "from": _("A period spans at most %(days)s days.")
                        % {"days": PERIOD_MAX_DAYS}
                    }
                )
            data["period_range"] = Period(start, end, "custom")
        else:
            data["period_range"] = period_named(name or "this_year", today=today)
        order = data.get("order")
        data["descending"] = None if order is None else order == "desc"
        return data


class StatsTrendQuerySerializer(_GroupQuery):
    """``GET /api/v1/stats/trend/``: months of the last year by default."""

    def validate(self, data):
        self._check_dates(data)
        self._check_group(data)
        if "id" in data and "by" not in data:
            raise serializers.ValidationError({"by": _("This field is required.")})
        today = timezone.localdate()
        end = data.get("to") or today
        if "from" in data:
            start = data["from"]
            if start > end:
                raise serializers.ValidationError(
                    {"from": _("The first day comes after the last.")}
                )
            if (end.year - start.year) * 12 + end.month - start.month >= (
                TREND_MAX_MONTHS
            ):
                raise serializers.ValidationError(
                    {
                        "from": _("A trend spans at most %(months)s months.")
                        % {"months": TREND_MAX_MONTHS}
                    }
                )
            data["months"] = months_between(start, end)
        else:
            data["months"] = months_up_to(end)
        return data


def figures_data(figures) -> dict:
    """Every figure of a group; rates from 0 to 1, null without a base."""
    return figures.as_dict()


def group_data(by: str, group) -> dict:
    if by == "official":
        return {
            "id": group.pk,
            "name": group.name,
            "title": group.display_title,
            "url": group.get_absolute_url(),
        }
    return {"id": group.pk, "name": str(group)}


def stats_response(by: str, period: Period, rows, total, *, group=None) -> dict:
    return {
        "by": by,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        "period": period.name,
        "min_messages_for_rank": RANK_MIN_MESSAGES,
        "total": figures_data(total),
        "results": [
            {**group_data(by, row.group), "rank": row.rank, **figures_data(row.figures)}
            for row in rows
        ],
        **({"group": group_data(by, group)} if group is not None else {}),
    }


def trend_response(by, group, months) -> dict:
    return {
        "by": by,
        "id": group.pk if group is not None else None,
        "months": [
            {"month": month.strftime("%Y-%m"), **figures_data(figures)}
            for month, figures in months
        ],
    }
