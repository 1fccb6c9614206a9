"""Rules that are written once and called from everywhere: a live claim,
"this reason needs a note", and "exactly one addressee, and active"."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from board.actions import ensure_one_active_addressee
from board.deadlines import is_near, near_deadline_limit, working_days_between
from board.errors import ValidationFailed
from board.permissions import is_author, reply_needs_sign_off
from moderation.actions import message_approve
from moderation.models import ModerationReason
from moderation.views.common import claim_holder
from tests.factories import (
    DepartmentFactory,
    HandlerUserFactory,
    MessageFactory,
    OfficialFactory,
    PendingMessageFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_a_claim_is_live_until_it_expires(moderator):
    now = timezone.now()
    message = PendingMessageFactory(
        claimed_by=moderator, claim_expires_at=now + timedelta(minutes=5)
    )
    assert message.has_live_claim(now) is True
    assert claim_holder(message, now) == moderator
    later = now + timedelta(minutes=6)
    assert message.has_live_claim(later) is False
    assert claim_holder(message, later) is None
    assert PendingMessageFactory().has_live_claim() is False


@pytest.mark.parametrize(
    ("requires_note", "note", "missing"),
    [(True, "", True), (True, "   ", True), (True, "why", False), (False, "", False)],
)
def test_a_reason_may_need_a_note(requires_note, note, missing):
    reason = ModerationReason(code="x", requires_note=requires_note)
    assert reason.is_note_missing(note) is missing


def test_exactly_one_active_addressee():
    official = OfficialFactory()
    department = DepartmentFactory()
    ensure_one_active_addressee(official, None, field="to_official")
    ensure_one_active_addressee(None, department, field="to_official")
    for both_or_none in ((official, department), (None, None)):
        with pytest.raises(ValidationFailed) as refused:
            ensure_one_active_addressee(*both_or_none, field="to_official")
        assert refused.value.field == "to_official"
    official.is_active = False
    with pytest.raises(ValidationFailed, match="暂不接收留言"):
        ensure_one_active_addressee(official, None, field="to_official")


def test_approving_cannot_route_to_an_official_who_no_longer_receives(moderator):
    # The approve action used to check only "not both"; it now shares the rule.
    message = PendingMessageFactory(author=UserFactory(citizen=True))
    retired = OfficialFactory(is_active=False, region=message.region)
    with pytest.raises(ValidationFailed, match="暂不接收留言"):
        message_approve(message=message, actor=moderator, addressee_official=retired)


def test_the_author_is_the_signed_in_writer_only(citizen):
    message = MessageFactory(author=citizen)
    assert is_author(citizen, message) is True
    assert is_author(UserFactory(citizen=True), message) is False
    assert is_author(AnonymousUser(), message) is False


def test_only_a_handlers_reply_in_a_sign_off_department_waits():
    department = DepartmentFactory(requires_sign_off=True)
    message = MessageFactory(addressee_official=None, addressee_department=department)
    handler = HandlerUserFactory(department=department)
    official = OfficialFactory(department=department, user=UserFactory(official=True))
    assert reply_needs_sign_off(handler, message) is True
    assert reply_needs_sign_off(official.user, message) is False
    department.requires_sign_off = False
    assert reply_needs_sign_off(handler, message) is False


def test_near_the_deadline_means_the_same_in_python_and_in_queries(settings):
    settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS = 2
    today = date(2026, 12, 4)  # a Friday: the weekend lies in the window
    limit = near_deadline_limit(today)
    for offset in range(-3, 12):
        due = today + timedelta(days=offset)
        in_query = today <= due <= limit
        assert is_near(working_days_between(today, due)) is in_query, due
