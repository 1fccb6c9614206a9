"""Replies are moderated like messages: reports, hide/restore, redact."""

import pytest
from django.test import override_settings

from board.errors import InvalidTransition, NotAllowed, ValidationFailed
from board.lifecycle import MessageStatus
from board.models import ReplyStatus
from moderation.actions import (
    reply_hide,
    reply_redact,
    reply_report,
    reply_reports_resolve,
    reply_restore,
)
from moderation.models import AuditEvent, Report
from moderation.selectors import queue_items
from tests.factories import ReplyFactory, RoutedMessageFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply():
    return ReplyFactory(
        message=RoutedMessageFactory(status=MessageStatus.REPLIED),
        body="联系人手机 13912345678，已安排维修。",
    )


def test_third_distinct_report_flags_the_reply_but_keeps_it_public(reply):
    for _ in range(3):
        reply_report(reply=reply, reporter=UserFactory(citizen=True), reason="骚扰")
    reply.refresh_from_db()
    assert reply.flagged_at is not None
    assert reply.status == ReplyStatus.PUBLISHED
    assert list(queue_items("flagged")) == [reply.message]
    # Reply reports do not count towards the message's own reports.
    reply.message.refresh_from_db()
    assert reply.message.flagged_at is None


def test_a_user_reports_a_reply_once(reply, citizen):
    reply_report(reply=reply, reporter=citizen, reason="不实")
    with pytest.raises(ValidationFailed) as caught:
        reply_report(reply=reply, reporter=citizen, reason="不实")
    assert caught.value.code == "already_reported"
    assert Report.objects.count() == 1


def test_drafts_cannot_be_reported(citizen):
    draft = ReplyFactory(status=ReplyStatus.DRAFT)
    with pytest.raises(ValidationFailed):
        reply_report(reply=draft, reporter=citizen, reason="x")


def test_hide_and_restore_are_audited(reply, moderator):
    reply_report(reply=reply, reporter=UserFactory(citizen=True), reason="骚扰")
    reply_hide(reply=reply, actor=moderator, reason="abusive", note="辱骂")
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.HIDDEN
    assert Report.objects.get().resolution == "hide"
    hidden = AuditEvent.objects.get(verb="hidden")
    assert (hidden.target_type, hidden.target_id) == ("reply", str(reply.pk))
    assert hidden.extra["new"]["reason"] == "abusive"
    reply_restore(reply=reply, actor=moderator)
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PUBLISHED
    assert AuditEvent.objects.filter(verb="restored", target_type="reply").exists()


def test_illegal_reply_moves_are_refused(reply, moderator):
    with pytest.raises(InvalidTransition):
        reply_restore(reply=reply, actor=moderator)
    reply_hide(reply=reply, actor=moderator, reason="abusive")
    with pytest.raises(InvalidTransition):
        reply_hide(reply=reply, actor=moderator, reason="abusive")


def test_other_needs_a_note(reply, moderator):
    with pytest.raises(ValidationFailed) as caught:
        reply_hide(reply=reply, actor=moderator, reason="other")
    assert caught.value.field == "note"
    reply.refresh_from_db()
    assert reply.status == ReplyStatus.PUBLISHED


def test_redact_masks_the_public_version_only(reply, moderator):
    reply_redact(reply=reply, actor=moderator)
    reply.refresh_from_db()
    assert "139****5678" in reply.shown_body_html
    assert "13912345678" in reply.body
    audit = AuditEvent.objects.get(verb="redacted")
    assert audit.extra["old"]["original"] == reply.body


def test_resolve_keep_clears_the_flag(reply, moderator):
    with override_settings(ZHITONG_REPORTS_TO_FLAG=1):
        reply_report(reply=reply, reporter=UserFactory(citizen=True), reason="x")
    reply_reports_resolve(reply=reply, actor=moderator, resolution="keep")
    reply.refresh_from_db()
    assert reply.flagged_at is None
    assert Report.objects.get().resolution == "keep"


@pytest.mark.parametrize("role", [{"citizen": True}, {"official": True}])
def test_only_moderators(reply, role):
    with pytest.raises(NotAllowed):
        reply_hide(reply=reply, actor=UserFactory(**role), reason="abusive")


def test_api(reply, api_client, moderator, citizen):
    url = f"/api/v1/moderation/replies/{reply.pk}/hide/"
    assert api_client.post(url, {"reason": "abusive"}).status_code == 401
    api_client.force_authenticate(citizen)
    assert api_client.post(url, {"reason": "abusive"}).status_code == 403
    response = api_client.post(
        f"/api/v1/replies/{reply.pk}/report/", {"reason": "不实"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["reply"] == reply.pk
    api_client.force_authenticate(moderator)
    response = api_client.post(url, {"reason": "nonsense"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    response = api_client.post(url, {"reason": "abusive"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "hidden"
    response = api_client.post(
        f"/api/v1/moderation/replies/{reply.pk}/restore/", {}, format="json"
    )
    assert response.json()["status"] == "published"
    assert api_client.post("/api/v1/moderation/replies/999999/hide/").status_code == 404
