"""Moderators decide follow-ups and transfer requests on the item page."""

import pytest
from django.urls import reverse

from board.lifecycle import MessageStatus
from board.models import FollowUpStatus, TransferRequest
from moderation.models import AuditEvent
from tests.factories import FollowUpFactory, OfficialFactory, RoutedMessageFactory

pytestmark = pytest.mark.django_db


def open_item(client, moderator, message):
    client.force_login(moderator)
    response = client.get(reverse("moderation:item", args=[message.pk]))
    assert response.status_code == 200
    return response


def post(client, message, action, data):
    message.refresh_from_db()
    return client.post(
        reverse("moderation:item_action", args=[message.pk, action]),
        {"seen_updated_at": message.updated_at.isoformat(), **data},
    )


def test_follow_up_is_shown_and_approved(client, moderator):
    follow_up = FollowUpFactory()
    message = follow_up.message
    message.last_reply_at = message.routed_at
    message.save()
    response = open_item(client, moderator, message)
    assert follow_up.body in response.content.decode()
    assert "follow_up_approve" in response.context["decisions"]
    response = post(client, message, "follow_up_approve", {})
    assert response.status_code == 302
    follow_up.refresh_from_db()
    message.refresh_from_db()
    assert follow_up.status == FollowUpStatus.APPROVED
    assert message.status == MessageStatus.ACCEPTED
    assert AuditEvent.objects.filter(verb="follow_up_approved").exists()


def test_follow_up_reject_needs_a_reason(client, moderator):
    follow_up = FollowUpFactory()
    open_item(client, moderator, follow_up.message)
    response = post(client, follow_up.message, "follow_up_reject", {"reason": ""})
    assert response.status_code == 400
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.PENDING
    response = post(
        client, follow_up.message, "follow_up_reject", {"reason": "abusive"}
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.status == FollowUpStatus.REJECTED


def test_transfer_request_is_decided(client, moderator):
    message = RoutedMessageFactory(status=MessageStatus.ACCEPTED, transfer_count=2)
    TransferRequest.objects.create(
        message=message, requested_by=message.author, reason="不属于本单位"
    )
    target = OfficialFactory(region=message.region)
    client.force_login(moderator)
    dashboard = client.get(reverse("moderation:dashboard")).content.decode()
    assert message.reference in dashboard
    response = open_item(client, moderator, message)
    assert "transfer_decide" in response.context["decisions"]
    response = post(
        client, message, "transfer_decide", {"addressee": f"o:{target.pk}", "note": ""}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.addressee_official == target
    assert TransferRequest.objects.get().status == "decided"
    assert AuditEvent.objects.filter(verb="transfer_decided").exists()
