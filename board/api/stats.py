"""The public figures: ``GET /api/v1/stats/`` (a ranking of regions,
departments or officials over a period, or one of them with ``id``) and
``GET /api/v1/stats/trend/`` (month by month). The same figures as the
statistics page, summed from the summary rows (board/selectors/stats.py)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from board.selectors.stats import (
    RankedRow,
    figures_total,
    figures_trend,
    ranking,
)
from board.serializers.stats import (
    StatsQuerySerializer,
    StatsTrendQuerySerializer,
    stats_response,
    trend_response,
)

from .common import ERRORS, validated

FIGURES_DESCRIPTION = (
    "Each row: received, published (reviewed and routed), accepted, replied "
    "(a final reply), reply_rate (replied / published), on_time_rate (final "
    "replies by the working-day deadline / replied), median and 90th "
    "percentile working days to the first and the final reply, overdue "
    "(past the deadline without a final reply, now), transfers, the shares "
    "and counts of satisfied / basically satisfied / dissatisfied ratings. "
    "Rates are 0 to 1, null without a base. Messages count in the period "
    "they were received, for the addressee that holds them now."
)


@extend_schema(tags=["statistics"])
class StatsView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Figures per region, department or official",
        description=FIGURES_DESCRIPTION,
        parameters=[StatsQuerySerializer],
        responses={200: OpenApiResponse(description="Ranked rows"), 400: ERRORS[400]},
    )
    def get(self, request):
        query = validated(StatsQuerySerializer, request.query_params).validated_data
        by, period, group = query["by"], query["period_range"], query.get("group")
        if group is not None:
            rows = [
                RankedRow(group, figures_total(period, by=by, group_id=group.pk), None)
            ]
        else:
            rows = ranking(
                by, period, sort=query["sort"], descending=query["descending"]
            )
        return Response(
            stats_response(by, period, rows, figures_total(period), group=group)
        )


@extend_schema(tags=["statistics"])
class StatsTrendView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Figures month by month",
        description="The last twelve months unless from/to say otherwise; "
        "everything, or one region, department or official (by and id). "
        + FIGURES_DESCRIPTION,
        parameters=[StatsTrendQuerySerializer],
        responses={200: OpenApiResponse(description="Months"), 400: ERRORS[400]},
    )
    def get(self, request):
        query = validated(
            StatsTrendQuerySerializer, request.query_params
        ).validated_data
        group = query.get("group")
        months = figures_trend(
            by=query.get("by"),
            group_id=group.pk if group is not None else None,
            months=query["months"],
        )
        return Response(trend_response(query.get("by"), group, months))
