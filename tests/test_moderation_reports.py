"""Reports from the public: once per user; enough of them flag the message."""

import pytest
from django.contrib.auth.models import AnonymousUser

from board.errors import NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from moderation.actions import message_report, reports_resolve
from moderation.models import AuditEvent, AuditVerb, OriginalContent, Report
from moderation.selectors import queue_items
from tests.factories import MessageFactory, UserFactory

pytestmark = pytest.mark.django_db


def report_times(message, count):
    for _ in range(count):
        message_report(
            message=message, reporter=UserFactory(citizen=True), reason="广告内容"
        )


def test_a_signed_in_user_reports_a_published_message(citizen):
    message = MessageFactory()
    report = message_report(message=message, reporter=citizen, reason="  含有广告 ")
    report.refresh_from_db()
    assert (report.message, report.reporter, report.reason) == (
        message,
        citizen,
        "含有广告",
    )
    assert report.resolved_at is None
    message.refresh_from_db()
    assert message.flagged_at is None


def test_a_user_reports_a_message_only_once(citizen):
    message = MessageFactory()
    message_report(message=message, reporter=citizen, reason="广告")
    with pytest.raises(ValidationFailed) as caught:
        message_report(message=message, reporter=citizen, reason="还是广告")
    assert caught.value.code == "already_reported"
    assert Report.objects.filter(message=message).count() == 1


def test_the_third_distinct_report_flags_it_while_it_stays_public(
    pushes, django_capture_on_commit_callbacks
):
    message = MessageFactory()
    report_times(message, 2)
    message.refresh_from_db()
    assert message.flagged_at is None
    assert message not in queue_items("flagged")

    with django_capture_on_commit_callbacks(execute=True):
        report_times(message, 1)
    message.refresh_from_db()
    assert message.flagged_at is not None
    assert message.status == MessageStatus.PUBLISHED
    assert message.is_on_public_board is True
    [flagged] = queue_items("flagged")
    assert flagged == message
    assert flagged.open_reports == 3
    [queued] = pushes.payloads("moderation.queue", "queue.changed")
    assert (queued["op"], queued["message_id"]) == ("arrived", message.pk)


def test_the_number_of_reports_is_configurable(settings):
    settings.ZHITONG_REPORTS_TO_FLAG = 1
    message = MessageFactory()
    report_times(message, 1)
    message.refresh_from_db()
    assert message.flagged_at is not None


def test_the_author_cannot_report_their_own_message():
    message = MessageFactory()
    with pytest.raises(ValidationFailed):
        message_report(message=message, reporter=message.author, reason="自己")
    assert Report.objects.exists() is False


@pytest.mark.parametrize(
    "message_kwargs",
    [
        {"status": MessageStatus.PENDING},
        {"status": MessageStatus.REJECTED},
        {"status": MessageStatus.HIDDEN},
        {"is_public": False},
    ],
)
def test_only_a_message_on_the_public_board_can_be_reported(message_kwargs, citizen):
    message = MessageFactory(**message_kwargs)
    with pytest.raises(ValidationFailed):
        message_report(message=message, reporter=citizen, reason="广告")
    assert Report.objects.exists() is False


def test_anonymous_users_cannot_report():
    message = MessageFactory()
    with pytest.raises(NotAllowed):
        message_report(message=message, reporter=AnonymousUser(), reason="广告")
    assert Report.objects.exists() is False


@pytest.mark.parametrize("reason", ["", "   ", "长" * 501])
def test_a_report_needs_a_short_reason(reason, citizen):
    with pytest.raises(ValidationFailed) as caught:
        message_report(message=MessageFactory(), reporter=citizen, reason=reason)
    assert caught.value.field == "reason"
    assert Report.objects.exists() is False


def test_resolve_keep_leaves_it_public_and_closes_the_reports(moderator):
    message = MessageFactory()
    report_times(message, 3)
    reports_resolve(message=message, actor=moderator, resolution="keep", note="正常")
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.flagged_at is None
    assert message not in queue_items("flagged")
    assert set(Report.objects.values_list("resolution", flat=True)) == {"keep"}
    assert Report.objects.filter(resolved_at__isnull=True).exists() is False
    audit = AuditEvent.objects.get()
    assert (audit.verb, audit.actor, audit.message, audit.reason) == (
        AuditVerb.REPORT_RESOLVED,
        moderator,
        message,
        "正常",
    )
    assert audit.extra == {"new": {"resolution": "keep", "reports": 3}}


def test_resolve_hide(moderator):
    message = MessageFactory()
    report_times(message, 3)
    reports_resolve(
        message=message, actor=moderator, resolution="hide", reason="advertising"
    )
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    assert message.flagged_at is None
    assert set(Report.objects.values_list("resolution", flat=True)) == {"hide"}
    assert list(AuditEvent.objects.values_list("verb", flat=True)) == [AuditVerb.HIDDEN]


def test_resolve_redact(moderator):
    message = MessageFactory(body="他的电话是13912345678")
    report_times(message, 3)
    reports_resolve(message=message, actor=moderator, resolution="redact")
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.is_redacted is True
    assert message.shown_body == "他的电话是139****5678"
    assert message.flagged_at is None
    assert OriginalContent.objects.filter(message=message).count() == 1
    assert set(Report.objects.values_list("resolution", flat=True)) == {"redact"}
    assert sorted(AuditEvent.objects.values_list("verb", flat=True)) == sorted(
        [AuditVerb.REDACTED, AuditVerb.REPORT_RESOLVED]
    )


def test_an_unknown_resolution_is_refused(moderator):
    message = MessageFactory()
    report_times(message, 3)
    with pytest.raises(ValidationFailed) as caught:
        reports_resolve(message=message, actor=moderator, resolution="ignore")
    assert caught.value.field == "resolution"
    assert Report.objects.filter(resolved_at__isnull=True).count() == 3
    assert AuditEvent.objects.exists() is False


def test_after_resolution_new_reports_count_afresh(moderator):
    message = MessageFactory()
    report_times(message, 3)
    reports_resolve(message=message, actor=moderator, resolution="keep")
    report_times(message, 2)
    message.refresh_from_db()
    assert message.flagged_at is None
    report_times(message, 1)
    message.refresh_from_db()
    assert message.flagged_at is not None
