"""POST /api/v1/moderation/messages/{id}/resolve-reports/: keep, hide or redact."""

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, AuditVerb, Report
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged():
    message = MessageFactory(
        status=MessageStatus.PUBLISHED,
        flagged_at=timezone.now(),
        body="打 13812345678 找我",
    )
    for reporter in UserFactory.create_batch(3, citizen=True):
        Report.objects.create(message=message, reporter=reporter, reason="spam")
    return message


def resolve(api_client, user, message, data):
    api_client.force_authenticate(user)
    return api_client.post(
        f"/api/v1/moderation/messages/{message.pk}/resolve-reports/",
        data,
        format="json",
    )


def test_keep(api_client, moderator, flagged):
    response = resolve(api_client, moderator, flagged, {"resolution": "keep"})

    assert response.status_code == 200, response.content
    assert response.json()["flagged_at"] is None
    assert response.json()["open_reports"] == 0
    flagged.refresh_from_db()
    assert flagged.flagged_at is None
    assert flagged.status == MessageStatus.PUBLISHED
    assert set(Report.objects.values_list("resolution", flat=True)) == {"keep"}
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    event = AuditEvent.objects.get(message=flagged)
    assert event.verb == AuditVerb.REPORT_RESOLVED
    assert event.actor == moderator
    assert event.extra == {"new": {"resolution": "keep", "reports": 3}}
    api_client.force_authenticate(moderator)
    queue = api_client.get("/api/v1/moderation/queue/", {"queue": "flagged"}).json()
    assert queue["results"] == []


def test_hide(api_client, moderator, flagged):
    response = resolve(
        api_client, moderator, flagged, {"resolution": "hide", "reason": "abusive"}
    )

    assert response.status_code == 200, response.content
    flagged.refresh_from_db()
    assert flagged.status == MessageStatus.HIDDEN
    assert flagged.flagged_at is None
    assert set(Report.objects.values_list("resolution", flat=True)) == {"hide"}
    event = AuditEvent.objects.get(message=flagged)
    assert event.verb == AuditVerb.HIDDEN
    assert event.extra["old"]["status"] == "published"
    assert event.extra["new"]["status"] == "hidden"


def test_hide_without_a_reason_is_400_reason(api_client, moderator, flagged):
    response = resolve(api_client, moderator, flagged, {"resolution": "hide"})

    assert response.status_code == 400
    assert "reason" in response.json()
    flagged.refresh_from_db()
    assert flagged.status == MessageStatus.PUBLISHED
    assert Report.objects.filter(resolved_at__isnull=True).count() == 3


def test_redact(api_client, moderator, flagged):
    response = resolve(api_client, moderator, flagged, {"resolution": "redact"})

    assert response.status_code == 200, response.content
    flagged.refresh_from_db()
    assert flagged.is_redacted is True
    assert "13812345678" not in flagged.public_body
    assert flagged.flagged_at is None
    assert flagged.status == MessageStatus.PUBLISHED
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs == {AuditVerb.REDACTED, AuditVerb.REPORT_RESOLVED}
    resolved = AuditEvent.objects.get(verb=AuditVerb.REPORT_RESOLVED)
    assert resolved.extra["new"] == {"resolution": "redact", "reports": 3}


@pytest.mark.parametrize("resolution", [None, "", "delete", ["keep"]])
def test_bad_resolution_is_400(api_client, moderator, flagged, resolution):
    response = resolve(api_client, moderator, flagged, {"resolution": resolution})

    assert response.status_code == 400
    assert "resolution" in response.json()
    assert AuditEvent.objects.count() == 0
