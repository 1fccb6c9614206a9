"""seed_demo's moderation and officials' workflow (issues 3 and 4)."""

import io
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.utils import timezone

from board.deadlines import add_working_days
from board.errors import NotAllowed
from board.lifecycle import IN_HANDLING_STATUSES, MessageStatus
from board.models import (
    Department,
    FollowUp,
    FollowUpStatus,
    Holiday,
    Message,
    MessageEvent,
    Notification,
    NotificationKind,
    Official,
    Overall,
    Rating,
    Reply,
    ReplyStatus,
    Transfer,
    TransferRequest,
    User,
)
from board.selectors import inbox_messages
from moderation.actions import message_approve
from moderation.demo.workflow import (
    DEMO_ID_NUMBER,
    HANDLING_LETTERS,
    LETTERS,
    PENDING_LETTERS,
    SPAMMER_BLOCK_REASON,
    SUPERVISOR,
    WORKFLOW_TITLES,
)
from moderation.models import AuditEvent, ScreeningRule, SiteNotice, UserBlock
from moderation.screening import find_id_numbers

PASSWORD = "pw-Test-123"
S = MessageStatus

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", password=PASSWORD, messages=0, stdout=out)
    return out.getvalue()


def message(key: str) -> Message:
    letter = LETTERS[key]
    return Message.objects.get(author__username=letter.author, title=letter.title)


def codes(item: Message) -> set[str]:
    return {flag["code"] for flag in item.prescreen_flags}


def counts() -> dict[str, int]:
    models = [
        User, User.groups.through, EmailAddress, Official, Department, Holiday,
        ScreeningRule, SiteNotice, UserBlock, Message, MessageEvent, Notification,
        AuditEvent, Reply, Rating, FollowUp, Transfer, TransferRequest,
    ]  # fmt: skip
    return {model.__name__: model.objects.count() for model in models}


# Statuses the workflow's messages reach, whatever the day of the seeding.
EXPECTED_STATUSES = {
    **dict.fromkeys(PENDING_LETTERS, S.PENDING),
    "auto_closed": S.CLOSED,
    "follow_up_approved": S.ACCEPTED,
    "overdue": S.ACCEPTED,
    "dissatisfied": S.REPLIED,
    "satisfied": S.CLOSED,
    "extended": S.ACCEPTED,
    "replied": S.REPLIED,
    "interim": S.ACCEPTED,
    "transfer_request": S.PUBLISHED,
    "draft": S.ACCEPTED,
    "transferred": S.ACCEPTED,
    "accepted": S.ACCEPTED,
    "near_deadline": S.ACCEPTED,
    "routed": S.PUBLISHED,
}


def test_seeding_works_on_any_day_even_on_a_holiday_after_midnight():
    """The steps are counted back in working days from today; a Sunday in
    the Spring Festival at 00:20 still gives every state, in order.

    First in this module: it needs the database the module fixture below
    has not filled yet.
    """
    assert Message.objects.exists() is False
    moment = datetime(2026, 2, 22, 0, 20, tzinfo=ZoneInfo("Asia/Shanghai"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        seed()

        assert {key: message(key).status for key in LETTERS} == EXPECTED_STATUSES
        overdue, near = message("overdue"), message("near_deadline")
        assert overdue.due_date < moment.date() and overdue.escalated_at == moment
        assert near.near_deadline_notified_at == moment
        assert moment.date() <= near.due_date <= add_working_days(moment.date(), 3)
        latest = MessageEvent.objects.aggregate(latest=Max("created_at"))["latest"]
        assert latest <= moment


@dataclass
class Seeded:
    first: str  # the outputs of the two runs
    second: str
    before: dict  # counts and rows after the first run, and after the second
    after: dict


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed twice, once for the whole module, inside a transaction that is
    rolled back at its end; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        first = seed()
        before = snapshot()
        second = seed()
        yield Seeded(first, second, before, snapshot())
        transaction.set_rollback(True)


def snapshot() -> dict:
    rows = Message.objects.order_by("pk").values_list("pk", "status", "updated_at")
    return {
        **counts(),
        "rows": list(rows),
        "last event": MessageEvent.objects.aggregate(last=Max("pk"))["last"],
        "last notification": Notification.objects.aggregate(last=Max("pk"))["last"],
    }


def test_messages_zero_seeds_only_the_workflow_and_a_second_run_changes_nothing(
    seeded,
):
    assert seeded.after == seeded.before
    assert seeded.before["Message"] == len(LETTERS)
    assert set(Message.objects.values_list("title", flat=True)) == WORKFLOW_TITLES
    assert f"({len(LETTERS)} added now)" in seeded.first
    assert "(0 added now)" in seeded.second
    assert Client().login(username="handler", password=PASSWORD) is True


def test_moderator2_and_handler_log_in_and_are_listed(seeded):
    output = seeded.second

    official = Official.objects.get(user__username="official")
    for username, role in [("moderator2", "moderator"), ("handler", "handler")]:
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert Client().login(username=username, password=PASSWORD) is True
        email = EmailAddress.objects.get(user=user)
        assert (email.email, email.verified, email.primary) == (
            f"{username}@example.com",
            True,
            True,
        )
        assert re.search(rf"^\s+{username}\s+{role}\s+{PASSWORD}$", output, re.M)
    assert re.search(r"^Workflow demo: .*\.$", output, re.M)
    handler = User.objects.get(username="handler")
    office = official.department
    assert handler.department == office is not None
    assert office.region == official.region
    assert office.requires_sign_off is True
    assert office.supervisor.name == SUPERVISOR[0]
    assert office.supervisor.department == office
    assert office.supervisor.user is None


def test_newcomer_is_new_and_spammer_is_blocked(seeded):

    newcomer = User.objects.get(username="newcomer")
    spammer = User.objects.get(username="spammer")
    for user in (newcomer, spammer):
        assert list(user.groups.values_list("name", flat=True)) == ["citizen"]
        assert EmailAddress.objects.filter(user=user, verified=True).exists()
        assert user.has_usable_password() is False
    assert timezone.now() - newcomer.date_joined < timedelta(hours=1)
    block = UserBlock.objects.get(user=spammer)
    assert (block.created_by.username, block.lifted_at) == ("moderator", None)
    assert block.reason == SPAMMER_BLOCK_REASON
    # The demo citizens are not new: only newcomer's message says so.
    for username in ("citizen", "citizen2"):
        joined = User.objects.get(username=username).date_joined
        assert timezone.now() - joined > timedelta(days=365)


EXPECTED_FINDINGS = {
    "links": {"links"},
    "held": {"held", "rule"},
    "rule": {"rule"},
    "phone": {"phone"},
    "email": {"email"},
    "duplicate_original": set(),
    "id_number": {"id_number"},
    "second_approval": {"rule"},
    "regex": {"rule"},
    "duplicate": {"near_duplicate"},
    "new_account": {"new_account"},
}


def test_pending_messages_trip_every_finding_of_the_pre_screen(seeded):

    assert EXPECTED_FINDINGS.keys() == PENDING_LETTERS.keys()
    for key, expected in EXPECTED_FINDINGS.items():
        item = message(key)
        assert item.status == S.PENDING, key
        assert codes(item) == expected, key
    pending = Message.objects.filter(status=S.PENDING)
    found = set().union(*(codes(item) for item in pending))
    assert found == {
        "rule",
        "links",
        "phone",
        "id_number",
        "email",
        "near_duplicate",
        "new_account",
        "held",
    }
    details = {
        key: [f["detail"] for f in message(key).prescreen_flags if f["code"] == "rule"]
        for key in ("rule", "regex", "held")
    }
    assert details == {
        "rule": ["广告：代开发票"],
        "regex": ["引流：加微信"],
        "held": ["广告：代开发票", "引流：加微信"],
    }
    assert find_id_numbers(message("id_number").body) == [DEMO_ID_NUMBER]
    assert message("duplicate").prescreen_flags[0]["detail"] == (
        message("duplicate_original").reference
    )
    assert message("held").held_reason == SPAMMER_BLOCK_REASON
    assert ScreeningRule.objects.filter(is_regex=True).exists()
    assert SiteNotice.objects.filter(is_active=True).exists()
    # One item is older than the review deadline: the delay notice shows.
    oldest = pending.order_by("submitted_for_review_at").first()
    waited = timezone.now() - oldest.submitted_for_review_at
    assert waited.total_seconds() > settings.ZHITONG_REVIEW_DEADLINE_HOURS * 3600


def test_one_message_awaits_a_second_moderators_approval(seeded):
    item = message("second_approval")
    assert (item.needs_second_approval, item.first_approved_by.username) == (
        True,
        "moderator",
    )
    assert [i.title for i in Message.objects.filter(needs_second_approval=True)] == [
        item.title
    ]

    with pytest.raises(NotAllowed):
        message_approve(message=item, actor=User.objects.get(username="moderator"))
    message_approve(message=item, actor=User.objects.get(username="moderator2"))

    item.refresh_from_db()
    assert item.status == S.PUBLISHED


def test_holidays_and_make_up_days_of_this_year_and_the_next(seeded):

    days = {h.date: h for h in Holiday.objects.all()}
    for year, holidays, make_up_days in [(2026, 33, 6), (2027, 13, 0)]:
        rows = [h for day, h in days.items() if day.year == year]
        assert len([h for h in rows if not h.is_working_day]) == holidays
        assert len([h for h in rows if h.is_working_day]) == make_up_days
    for worked in ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09",
                   "2026-09-20", "2026-10-10"]:  # fmt: skip
        day = date.fromisoformat(worked)
        assert days[day].is_working_day is True
        assert day.weekday() >= 5
    assert days[date(2026, 2, 17)].name == "春节"
    assert days[date(2026, 10, 7)].name == "国庆节"
    assert days[date(2027, 2, 6)].name == "春节"
    # The deadline arithmetic sees them: Friday before the Spring Festival,
    # then the Saturday worked, then the week off.
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert add_working_days(date(2026, 2, 13), 2) == date(2026, 2, 24)


def test_a_message_in_every_state_of_the_officials_workflow(seeded):
    today = timezone.localdate()
    official = User.objects.get(username="official")
    handler = User.objects.get(username="handler")
    office = official.official.department

    assert {key: message(key).status for key in LETTERS} == EXPECTED_STATUSES
    routed = message("routed")
    assert routed.due_date == add_working_days(timezone.localdate(routed.routed_at), 15)
    assert routed.due_date > today

    assert message("accepted").status == S.ACCEPTED
    assert message("accepted").replies.exists() is False

    interim = message("interim")
    assert interim.status == S.ACCEPTED
    [progress] = interim.replies.all()
    assert (progress.is_final, progress.status) == (False, ReplyStatus.PUBLISHED)

    near = message("near_deadline")
    assert near.status in IN_HANDLING_STATUSES
    assert today <= near.due_date <= add_working_days(today, 3)
    assert near.near_deadline_notified_at is not None

    overdue = message("overdue")
    assert overdue.status == S.ACCEPTED
    assert overdue.due_date < today
    assert overdue.escalated_at is not None
    assert overdue.events.filter(verb=MessageEvent.Verb.ESCALATED).count() == 1
    assert Notification.objects.filter(
        message=overdue, kind=NotificationKind.DEADLINE_PASSED, recipient=handler
    ).exists()

    extended = message("extended")
    assert extended.status == S.ACCEPTED
    assert extended.extended_by_days == 10
    assert extended.extension_reason
    assert extended.due_date > today

    transferred = message("transferred")
    assert (transferred.status, transferred.transfer_count) == (S.ACCEPTED, 1)
    [transfer] = transferred.transfers.all()
    assert transfer.from_official == official.official
    assert transfer.to_department == transferred.addressee_department == office

    bounced = message("transfer_request")
    assert bounced.transfer_count == settings.ZHITONG_MAX_TRANSFERS
    assert bounced.status in IN_HANDLING_STATUSES
    [request] = bounced.transfer_requests.all()
    assert request.status == TransferRequest.Status.OPEN
    assert request.to_department.name == "交通运输局"

    draft = message("draft")
    assert draft.status == S.ACCEPTED
    assert draft.addressee_department == office
    [reply] = draft.replies.all()
    assert (reply.status, reply.is_final, reply.author) == (
        ReplyStatus.DRAFT,
        True,
        handler,
    )
    assert Notification.objects.filter(
        message=draft, kind=NotificationKind.REPLY_AWAITING_SIGN_OFF, recipient=official
    ).exists()

    replied = message("replied")
    assert replied.status == S.REPLIED
    [reply] = replied.replies.all()
    assert (reply.status, reply.is_final, reply.author, reply.signed_off_by) == (
        ReplyStatus.PUBLISHED,
        True,
        handler,
        official,
    )
    assert replied.ratings.exists() is False

    satisfied = message("satisfied")
    assert satisfied.status == S.CLOSED
    assert satisfied.ratings.get().overall == Overall.SATISFIED
    closing = satisfied.events.get(verb=MessageEvent.Verb.CLOSED)
    assert closing.actor == satisfied.author

    dissatisfied = message("dissatisfied")
    assert dissatisfied.status == S.REPLIED
    assert dissatisfied.ratings.get().overall == Overall.DISSATISFIED
    assert dissatisfied.follow_ups.get().status == FollowUpStatus.PENDING

    again = message("follow_up_approved")
    assert again.status == S.ACCEPTED
    assert again.follow_ups.get().status == FollowUpStatus.APPROVED
    assert again.due_date > today

    closed = message("auto_closed")
    assert closed.status == S.CLOSED
    assert closed.ratings.exists() is False
    closing = closed.events.get(verb=MessageEvent.Verb.CLOSED)
    assert (closing.actor, bool(closing.note)) == (None, True)

    # All of them reach the official's and the handler's inboxes.
    titles = {letter.title for letter in HANDLING_LETTERS.values()}
    for user in (official, handler):
        assert {m.title for m in inbox_messages(user)} == titles


def test_timelines_run_forward_and_end_in_the_past(seeded):
    now = timezone.now()

    for item in Message.objects.prefetch_related("events"):
        events = list(item.events.all())
        assert events[0].verb == MessageEvent.Verb.SUBMITTED
        assert events[0].created_at == item.created_at
        status = S.PENDING
        for earlier, later in zip(events, events[1:], strict=False):
            assert earlier.created_at <= later.created_at <= now
        for event in events[1:]:
            if event.from_status:  # a transition
                assert event.from_status == status, (item.title, event.verb)
                status = event.to_status
        assert status == item.status
        assert item.updated_at <= now
    # The past notifications are not emailed when the demo is seeded.
    assert Notification.objects.filter(emailed_at__isnull=True).exists() is False
