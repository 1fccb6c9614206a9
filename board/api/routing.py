"""Routing suggestions for a draft: ``GET /api/v1/routing/suggest/?text=…``.

Open to anyone, and limited as ``search`` (board/ratelimits.py), as the
similar messages are.
"""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from board.routing_model import routing_suggest
from board.serializers import RoutingQuerySerializer, RoutingSuggestionSerializer

from .common import ERRORS, validated


@extend_schema(tags=["routing"])
class RoutingSuggestView(APIView):
    # Asked as a citizen types (board/ratelimits.py).
    rate_limits = {"get": "search"}

    @extend_schema(
        summary="Suggested categories and departments for a draft",
        parameters=[RoutingQuerySerializer],
        responses={200: RoutingSuggestionSerializer, 400: ERRORS[400]},
    )
    def get(self, request):
        """The three likeliest categories and departments, each with a
        confidence from 0 to 1, learned from the moderators' past routing
        and the keywords administrators keep; names in the reader's
        language. Nothing is chosen for the citizen."""
        query = validated(RoutingQuerySerializer, request.query_params).validated_data
        suggestion = routing_suggest(query["text"], region=query.get("region"))
        return Response(RoutingSuggestionSerializer(suggestion).data)
