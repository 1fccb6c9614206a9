"""The public statistics page (``/stats/``): a period's figures per region,
department or official as a ranking (排行榜), one group's own figures, the
charts with their tables, and every table as CSV (``/stats/export.csv``).

The questions are checked by the API's serializer, the figures come from
board/selectors/stats.py; anonymous visitors get the page from the page
cache until a day of summary rows is counted again.
"""

import csv

from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from board import page_cache
from board.models import Overall
from board.selectors.stats import (
    FIGURES,
    GROUPINGS,
    LOWER_IS_BETTER,
    PERIODS,
    RANK_MIN_MESSAGES,
    RankedRow,
    figures_total,
    figures_trend,
    months_between,
    months_up_to,
    ranking,
    response_bucket_labels,
)
from board.serializers.stats import StatsQuerySerializer

CSV_TABLES = ("ranking", "trend", "response_days", "satisfaction")
# Figures shown as a percentage, and those counted in working days.
RATES = frozenset(
    {
        "reply_rate",
        "on_time_rate",
        "satisfied_share",
        "basically_satisfied_share",
        "dissatisfied_share",
    }
)


def stats_versions(request, **kwargs) -> list[str]:
    return [page_cache.STATS]


def _figures_asked(request):
    """The checked question and its figures, or the serializer's errors."""
    serializer = StatsQuerySerializer(data=request.GET)
    if not serializer.is_valid():
        return None, serializer.errors
    query = serializer.validated_data
    by, period, group = query["by"], query["period_range"], query.get("group")
    if group is not None:
        scope = figures_total(period, by=by, group_id=group.pk)
        rows = []
    else:
        scope = figures_total(period)
        rows = ranking(by, period, sort=query["sort"], descending=query["descending"])
    # Twelve months up to the period's end, or the months of a longer one.
    if (period.end - period.start).days > 366:
        months = months_between(period.start, period.end)
    else:
        months = months_up_to(period.end)
    trend = figures_trend(
        by=by if group is not None else None,
        group_id=group.pk if group is not None else None,
        months=months,
    )
    return {
        "query": query,
        "by": by,
        "period": period,
        "group": group,
        "scope": scope,
        "rows": rows,
        "trend": trend,
    }, None


@page_cache.cached_page(stats_versions)
def stats_index(request):
    asked, errors = _figures_asked(request)
    if errors is not None:
        return render(
            request,
            "board/stats.html",
            {"errors": errors, **_choices(request)},
            status=400,
        )
    query = asked["query"]
    sort = query["sort"]
    descending = query["descending"]
    if descending is None:
        descending = sort not in LOWER_IS_BETTER
    scope = asked["scope"]
    buckets = scope.response_buckets()
    labels = response_bucket_labels()
    chart_data = {
        "labels": _chart_labels(),
        "trend": [
            {
                "month": month.strftime("%Y-%m"),
                "received": figures.received,
                "replied": figures.replied,
                "reply_rate": figures.reply_rate,
            }
            for month, figures in asked["trend"]
        ],
        "response_days": {"buckets": labels, **buckets},
        "satisfaction": {
            "satisfied": scope.satisfied,
            "basically_satisfied": scope.basically_satisfied,
            "dissatisfied": scope.dissatisfied,
        },
    }
    return render(
        request,
        "board/stats.html",
        {
            **asked,
            **_choices(request),
            "sort": sort,
            "descending": descending,
            "columns": [
                {
                    "name": name,
                    "label": label,
                    "is_rate": name in RATES,
                    "sort_query": _with(
                        request,
                        sort=name,
                        order=(
                            ("asc" if descending else "desc")
                            if name == sort
                            else ("asc" if name in LOWER_IS_BETTER else "desc")
                        ),
                    ),
                }
                for name, label, _base in FIGURES
            ],
            "response_rows": list(
                zip(labels, buckets["first"], buckets["final"], strict=True)
            ),
            "satisfaction_rows": [
                (
                    Overall(value.removesuffix("_share")).label,
                    getattr(scope, value.removesuffix("_share")),
                    shown(value, share),
                )
                for value, share in (
                    ("satisfied_share", scope.satisfied_share),
                    (
                        "basically_satisfied_share",
                        scope.basically_satisfied_share,
                    ),
                    ("dissatisfied_share", scope.dissatisfied_share),
                )
            ],
            "table_rows": [
                {
                    "rank": row.rank,
                    "group": row.group,
                    "query": _with(request, id=row.group.pk),
                    "cells": _cells(row.figures),
                }
                for row in asked["rows"]
            ],
            "scope_shown": {
                name: shown(name, getattr(scope, name)) for name, _l, _b in FIGURES
            },
            "scope_table": [
                (label, shown(name, getattr(scope, name)))
                for name, label, _base in FIGURES
            ],
            "trend_rows": [
                (month.strftime("%Y-%m"), _cells(figures))
                for month, figures in asked["trend"]
            ],
            "chart_data": chart_data,
            "min_messages": RANK_MIN_MESSAGES,
            "csv_query": _with(request),
        },
    )


def shown(name: str, value) -> str:
    """A figure as the tables show it: rates in per cent, none as a dash."""
    if value is None:
        return "—"
    if name in RATES:
        return f"{value * 100:.1f}%"
    return str(value)


def _cells(figures) -> list[str]:
    return [shown(name, getattr(figures, name)) for name, _label, _base in FIGURES]


def _with(request, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


def _choices(request) -> dict:
    """The tabs and the period choices, with the current query kept."""
    by = request.GET.get("by") or "region"
    tabs = []
    for name, (label, _column) in GROUPINGS.items():
        query = request.GET.copy()
        for key in ("id", "sort", "order"):
            query.pop(key, None)
        query["by"] = name
        tabs.append({"name": name, "label": label, "query": query.urlencode()})
    return {
        "tabs": tabs,
        "current_by": by,
        "periods": PERIODS,
        "current_period": request.GET.get("period")
        or ("custom" if request.GET.get("from") or request.GET.get("to") else ""),
    }


def _chart_labels() -> dict:
    return {
        "received": _("Received"),
        "replied": _("Replied"),
        "reply_rate": _("Reply rate"),
        "first": _("First reply"),
        "final": _("Final reply"),
        "working_days": _("Working days"),
        "messages": _("Messages"),
        "satisfied": str(Overall.SATISFIED.label),
        "basically_satisfied": str(Overall.BASICALLY_SATISFIED.label),
        "dissatisfied": str(Overall.DISSATISFIED.label),
    }


# --- CSV ---------------------------------------------------------------------------


@page_cache.cached_page(stats_versions)
def stats_csv(request):
    table = request.GET.get("table", "ranking")
    if table not in CSV_TABLES:
        return _csv_error("table", _("Choose one of: %s.") % ", ".join(CSV_TABLES))
    asked, errors = _figures_asked(request)
    if errors is not None:
        field = next(iter(errors))
        return _csv_error(field, " ".join(str(error) for error in errors[field]))
    period = asked["period"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="zhitong-stats-{asked["by"]}-{table}-'
        f'{period.start.isoformat()}-{period.end.isoformat()}.csv"'
    )
    # A byte-order mark: spreadsheet programs then read the Chinese right.
    response.write("\ufeff")
    writer = csv.writer(response)
    figure_names = [name for name, _label, _base in FIGURES]
    if table == "ranking":
        rows = asked["rows"]
        if asked["group"] is not None:
            rows = [RankedRow(asked["group"], asked["scope"], None)]
        writer.writerow(
            [_("Rank"), "id", _("Name"), *[label for _n, label, _b in FIGURES]]
        )
        for row in rows:
            writer.writerow(
                [row.rank or "", row.group.pk, str(row.group)]
                + [_csv_value(getattr(row.figures, name)) for name in figure_names]
            )
    elif table == "trend":
        writer.writerow([_("Month"), *[label for _n, label, _b in FIGURES]])
        for month, figures in asked["trend"]:
            writer.writerow(
                [month.strftime("%Y-%m")]
                + [_csv_value(getattr(figures, name)) for name in figure_names]
            )
    elif table == "response_days":
        buckets = asked["scope"].response_buckets()
        writer.writerow([_("Working days"), _("First reply"), _("Final reply")])
        for row in zip(
            response_bucket_labels(), buckets["first"], buckets["final"], strict=True
        ):
            writer.writerow(row)
    else:
        scope = asked["scope"]
        writer.writerow([_("Rating"), _("Ratings"), _("Share")])
        for value in Overall.values:
            writer.writerow(
                [
                    Overall(value).label,
                    getattr(scope, value),
                    _csv_value(getattr(scope, f"{value}_share")),
                ]
            )
    return response


def _csv_value(value):
    return "" if value is None else value


def _csv_error(field: str, message: str) -> JsonResponse:
    # As the API answers: a JSON body naming the field.
    return JsonResponse({field: [message]}, status=400)
