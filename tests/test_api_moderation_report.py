"""POST /api/v1/messages/{id}/report/: any signed-in user, once per message."""

import pytest
from django.test import override_settings

from board.lifecycle import MessageStatus
from moderation.models import AuditEvent, Report
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def message():
    return MessageFactory(status=MessageStatus.PUBLISHED)


def report(api_client, user, message_id, data=None):
    if user is not None:
        api_client.force_authenticate(user)
    if data is None:
        data = {"reason": "含有他人手机号"}
    return api_client.post(
        f"/api/v1/messages/{message_id}/report/", data, format="json"
    )


def test_citizen_reports(api_client, citizen, message):
    response = report(api_client, citizen, message.pk)

    assert response.status_code == 201, response.content
    data = response.json()
    report_row = Report.objects.get()
    assert data["id"] == report_row.pk
    assert data["message"] == message.pk
    assert data["reason"] == "含有他人手机号"
    assert report_row.reporter == citizen
    assert report_row.message == message
    assert report_row.resolved_at is None
    message.refresh_from_db()
    assert message.flagged_at is None
    # A report is the public's, not a moderation action.
    assert AuditEvent.objects.count() == 0


@pytest.mark.parametrize("fixture", ["official_user", "moderator"])
def test_any_signed_in_user_may_report(api_client, message, request, fixture):
    response = report(api_client, request.getfixturevalue(fixture), message.pk)

    assert response.status_code == 201


def test_anonymous_is_401(api_client, message):
    response = report(api_client, None, message.pk)

    assert response.status_code == 401
    assert Report.objects.count() == 0


def test_reporting_twice_is_refused(api_client, citizen, message):
    report(api_client, citizen, message.pk)

    response = report(api_client, citizen, message.pk, {"reason": "again"})

    assert response.status_code == 400
    assert response.json()["code"] == "already_reported"
    assert response.json()["detail"]
    assert Report.objects.count() == 1


def test_own_message_is_400(api_client, message):
    response = report(api_client, message.author, message.pk)

    assert response.status_code == 400
    assert response.json()["detail"]
    assert Report.objects.count() == 0


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "  "}])
def test_without_a_reason_is_400_reason(api_client, citizen, message, data):
    response = report(api_client, citizen, message.pk, data)

    assert response.status_code == 400
    assert "reason" in response.json()
    assert Report.objects.count() == 0


@pytest.mark.parametrize("reason", ["字" * 501, ["a"], {"a": 1}])
def test_bad_reason_is_400_reason(api_client, citizen, message, reason):
    response = report(api_client, citizen, message.pk, {"reason": reason})

    assert response.status_code == 400
    assert "reason" in response.json()


@pytest.mark.parametrize(
    "status", [MessageStatus.PENDING, MessageStatus.REJECTED, MessageStatus.HIDDEN]
)
def test_message_the_user_cannot_see_is_404(api_client, citizen, status):
    message = MessageFactory(status=status)

    response = report(api_client, citizen, message.pk)

    assert response.status_code == 404
    assert Report.objects.count() == 0


def test_private_message_is_404(api_client, citizen):
    message = MessageFactory(status=MessageStatus.PUBLISHED, is_public=False)

    assert report(api_client, citizen, message.pk).status_code == 404


def test_message_seen_but_not_public_is_400(api_client, moderator):
    """A moderator sees a pending message, but only public ones are reported."""
    message = MessageFactory(status=MessageStatus.PENDING)

    response = report(api_client, moderator, message.pk)

    assert response.status_code == 400
    assert Report.objects.count() == 0


@pytest.mark.parametrize("message_id", [999999, 10**30])
def test_unknown_message_is_404(api_client, citizen, message_id):
    assert report(api_client, citizen, message_id).status_code == 404


def test_third_distinct_report_flags_it(api_client, moderator, message):
    reporters = UserFactory.create_batch(3, citizen=True)
    for reporter in reporters[:2]:
        assert report(api_client, reporter, message.pk).status_code == 201
    message.refresh_from_db()
    assert message.flagged_at is None

    assert report(api_client, reporters[2], message.pk).status_code == 201

    message.refresh_from_db()
    assert message.flagged_at is not None
    assert message.status == MessageStatus.PUBLISHED
    api_client.force_authenticate(moderator)
    queue = api_client.get("/api/v1/moderation/queue/", {"queue": "flagged"}).json()
    assert [item["id"] for item in queue["results"]] == [message.pk]
    assert queue["results"][0]["open_reports"] == 3
    assert queue["results"][0]["flagged_at"] is not None
    assert queue["counts"]["flagged"] == 1
    # Still on the public board until a moderator decides.
    api_client.force_authenticate(None)
    assert api_client.get(f"/api/v1/messages/{message.pk}/").status_code == 200


def test_repeated_reports_by_one_user_do_not_flag(api_client, citizen, message):
    for _attempt in range(3):
        report(api_client, citizen, message.pk)

    message.refresh_from_db()
    assert message.flagged_at is None


@override_settings(ZHITONG_REPORTS_TO_FLAG=1)
def test_threshold_is_configurable(api_client, citizen, message):
    report(api_client, citizen, message.pk)

    message.refresh_from_db()
    assert message.flagged_at is not None
