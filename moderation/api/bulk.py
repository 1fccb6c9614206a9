"""Approving or rejecting several queue items in one request."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from board.api.common import VerifiedEmailForWrites, validated_body
from board.models import Message
from moderation.actions import bulk_decide
from moderation.serializers import BulkDecisionSerializer, BulkResultSerializer

from .common import MODERATION_ERRORS, IsModerator


@extend_schema(tags=["moderation"])
class ModerationBulkView(APIView):
    permission_classes = [IsModerator, VerifiedEmailForWrites]

    @extend_schema(
        summary="Approve or reject several items",
        request=BulkDecisionSerializer,
        responses={200: BulkResultSerializer, **MODERATION_ERRORS},
    )
    def post(self, request):
        """Each item passes the same rules alone; one refusal undoes nothing.

        Every id gets an outcome: ``ok`` and the item's status now, or the
        reason it was refused (claimed by someone else, not pending, …).
        """
        data = validated_body(request, BulkDecisionSerializer)
        ids = data["ids"]
        found = Message.objects.in_bulk(ids)
        outcome = bulk_decide(
            messages=[found[pk] for pk in ids],
            actor=request.user,
            decision=data["decision"],
            reason=data["reason"],
            note=data["note"],
        )
        statuses = dict(Message.objects.filter(pk__in=ids).values_list("pk", "status"))
        results = [
            {
                "id": pk,
                "ok": outcome[pk] == "ok",
                "status": statuses[pk],
                "detail": "" if outcome[pk] == "ok" else str(outcome[pk]),
            }
            for pk in ids
        ]
        return Response({"results": results})
