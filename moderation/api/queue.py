"""The moderation queues, one page at a time, with every queue's size."""

from django.db.models import Count, Q
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.views import APIView

from board.api.common import (
    PAGE_PARAMETERS,
    CountedPagination,
    VerifiedEmailForWrites,
    validated,
)
from moderation.selectors import queue_counts, queue_items
from moderation.serializers import (
    ModerationItemSerializer,
    QueuePageSerializer,
    QueueQuerySerializer,
)

from .common import MODERATION_ERRORS, IsModerator


@extend_schema(tags=["moderation"])
class ModerationQueueView(APIView):
    permission_classes = [IsModerator, VerifiedEmailForWrites]

    @extend_schema(
        summary="A moderation queue, one page at a time",
        parameters=[QueueQuerySerializer, *PAGE_PARAMETERS],
        responses={200: QueuePageSerializer, **MODERATION_ERRORS},
    )
    def get(self, request):
        """Items of one queue, with every queue's size in ``counts``.

        Pending is oldest first (or riskiest first with ``sort=risk``);
        flagged is oldest flag first; the archives are newest first.
        """
        query = validated(QueueQuerySerializer, request.query_params)
        messages = queue_items(
            query.validated_data["queue"], query.to_filters()
        ).select_related("first_approved_by")
        if "open_reports" not in messages.query.annotations:
            messages = messages.annotate(
                open_reports=Count(
                    "reports", filter=Q(reports__resolved_at__isnull=True)
                )
            )
        paginator = CountedPagination()
        page = paginator.paginate_queryset(messages, request, view=self)
        context = {"request": request, "now": timezone.now()}
        return paginator.get_counted_response(
            ModerationItemSerializer(page, many=True, context=context).data,
            counts=queue_counts(),
        )
