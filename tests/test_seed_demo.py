import io
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client, override_settings

from board.actions import MessageDraft, format_reference, message_submit
from board.lifecycle import PUBLIC_STATUSES, TRANSITIONS, MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageEvent,
    MessageKind,
    Official,
    Overall,
    Rating,
    ReferenceSequence,
    Region,
    Reply,
    ReplyStatus,
    User,
)
from board.sanitizer import render_markdown
from board.selectors import region_ancestor_ids
from moderation.demo.workflow import WORKFLOW_CITIZENS, WORKFLOW_TITLES
from moderation.models import AuditEvent, AuditVerb
from moderation.selectors import moderation_transparency

PASSWORD = "pw-Test-123"
ACCOUNTS = {
    "citizen": "citizen",
    "citizen2": "citizen",
    "moderator": "moderator",
    "official": "official",
    "admin": "admin",
}

pytestmark = pytest.mark.django_db


def seed(**options) -> str:
    out = io.StringIO()
    options.setdefault("messages", 300)
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Region, Department, Official, User, EmailAddress, Category]
    models += [Message, MessageEvent, ReferenceSequence, User.groups.through]
    return {model.__name__: model.objects.count() for model in models}


def test_demo_accounts_log_in_with_their_role_and_a_verified_email():
    seed(password=PASSWORD)

    for username, role in ACCOUNTS.items():
        user = User.objects.get(username=username)
        assert Client().login(username=username, password=PASSWORD) is True
        assert list(user.groups.values_list("name", flat=True)) == [role]
        email = EmailAddress.objects.get(user=user)
        assert (email.email, email.verified, email.primary) == (
            f"{username}@example.com",
            True,
            True,
        )
    admin = User.objects.get(username="admin")
    assert (admin.is_staff, admin.is_superuser) == (True, True)
    assert User.objects.get(username="moderator").is_staff is False


def test_official_account_plays_an_official_who_receives_messages():
    seed(password=PASSWORD)

    official = Official.objects.get(user__username="official")
    assert official.is_active is True
    assert official.title == "临江市市长"
    assert official.region.level == Region.Level.CITY
    assert Message.objects.filter(addressee_official=official).exists() is True


def test_running_twice_duplicates_nothing_and_resets_the_password():
    seed(password="first-Pass-1")
    before = counts()

    seed(password=PASSWORD)

    assert counts() == before
    assert Message.objects.count() == 300
    assert Client().login(username="citizen", password=PASSWORD) is True
    assert Client().login(username="citizen", password="first-Pass-1") is False


def test_topping_up_adds_only_the_missing_messages():
    seed(password=PASSWORD, messages=300)

    seed(password=PASSWORD, messages=320)

    assert Message.objects.count() == 320
    references = list(Message.objects.values_list("reference", flat=True))
    assert len(set(references)) == 320


def test_geography_and_pool_of_authors():
    seed(password=PASSWORD)

    assert Region.objects.filter(level=Region.Level.PROVINCE).count() == 1
    assert Region.objects.filter(level=Region.Level.CITY).count() == 3
    for city in Region.objects.filter(level=Region.Level.CITY):
        assert 2 <= city.children.count() <= 3
    assert Department.objects.filter(name="交通运输局").count() == 11
    assert Category.objects.count() == 10  # the migration's, not duplicated
    citizens = Group.objects.get(name="citizen").user_set
    # The pool, citizen and citizen2, and the workflow's newcomer and spammer.
    assert citizens.count() == 202 + len(WORKFLOW_CITIZENS)
    assert Message.objects.values("author").distinct().count() > 100


def test_messages_cover_every_status_kind_and_category():
    seed(password=PASSWORD)

    statuses = set(Message.objects.values_list("status", flat=True))
    assert statuses == set(MessageStatus.values)
    kinds = set(Message.objects.values_list("kind", flat=True))
    assert kinds == set(MessageKind.values)
    assert Message.objects.values("category").distinct().count() == 10
    assert Message.objects.filter(is_public=False).exists() is True
    assert Message.objects.public().count() > 150


def test_references_are_unique_and_formatted():
    seed(password=PASSWORD)

    references = list(Message.objects.values_list("reference", flat=True))
    assert len(set(references)) == len(references) == 300
    for reference in references:
        assert re.fullmatch(r"ZT-\d{4}-\d{6}", reference), reference
    for sequence in ReferenceSequence.objects.all():
        prefix = f"ZT-{sequence.year}-"
        numbers = [
            int(r.removeprefix(prefix)) for r in references if r.startswith(prefix)
        ]
        assert max(numbers) == sequence.last_value


def test_every_message_has_a_timeline_the_lifecycle_allows():
    seed(password=PASSWORD)

    # The generated messages; the workflow's are written by the actions
    # (tests/test_seed_demo_workflow.py checks their timelines).
    generated = Message.objects.exclude(title__in=WORKFLOW_TITLES)
    for message in generated.prefetch_related("events"):
        events = sorted(message.events.all(), key=lambda event: event.created_at)
        # A rating is no step of the lifecycle: it comes just before the
        # author's closing (rating_submit), with its verdict public.
        rated = [event for event in events if event.verb == MessageEvent.Verb.RATED]
        events = [event for event in events if event not in rated]
        for rating_event in rated:
            closing = next(e for e in events if e.to_status == MessageStatus.CLOSED)
            assert rating_event.created_at == closing.created_at
            assert rating_event.actor_id == closing.actor_id == message.author_id
            assert rating_event.to_status == closing.from_status
            assert rating_event.note == Overall.SATISFIED
            assert rating_event.note_is_public
        assert events[0].verb == MessageEvent.Verb.SUBMITTED
        assert events[0].to_status == MessageStatus.PENDING
        assert events[0].created_at == message.created_at
        for event in events[1:]:
            assert event.to_status in TRANSITIONS[event.from_status]
            assert event.verb == event.to_status
            assert event.verb in MessageEvent.Verb.values
        for earlier, later in zip(events, events[1:], strict=False):
            assert later.from_status == earlier.to_status
        assert events[-1].to_status == message.status
        assert message.updated_at == events[-1].created_at


def test_replied_messages_have_their_final_reply_and_closed_ones_its_rating():
    """The bulk load writes what reply_create and rating_submit would: the
    message page and the board's cards show threads, as on a board in use."""
    seed(password=PASSWORD)

    generated = Message.objects.exclude(title__in=WORKFLOW_TITLES)
    replied = generated.filter(final_reply_at__isnull=False)
    assert replied.count() > 10
    for message in replied.prefetch_related("replies", "ratings", "events"):
        [reply] = message.replies.all()
        assert reply.is_final and reply.status == ReplyStatus.PUBLISHED
        assert reply.created_at == reply.published_at == message.final_reply_at
        assert reply.office and reply.office_en
        assert reply.body_html == render_markdown(reply.body)
        closed_by_author = any(
            event.verb == MessageEvent.Verb.CLOSED and event.actor_id
            for event in message.events.all()
        )
        ratings = list(message.ratings.all())
        assert len(ratings) == closed_by_author
        for rating in ratings:
            assert rating.reply_id == reply.pk
            assert rating.overall == Overall.SATISFIED
            assert rating.created_at >= reply.created_at
    assert not Reply.objects.filter(
        message__in=generated.filter(final_reply_at__isnull=True)
    ).exists()
    assert Rating.objects.filter(message__in=generated).exists()
    # Under the addressee's office, as reply_create names it: the handling
    # department, or the post of an official who heads none.
    replies = Reply.objects.filter(message__in=generated).select_related(
        "message__addressee_department",
        "message__addressee_official__department",
    )
    for reply in replies[:50]:
        message = reply.message
        official = message.addressee_official
        department = message.addressee_department or (official and official.department)
        assert reply.office == (
            str(department) if department else official.display_title
        )

    # And the page shows the thread.
    message = replied.filter(status=MessageStatus.CLOSED, ratings__isnull=False).first()
    page = Client().get(f"/messages/{message.pk}/").content.decode()
    assert message.replies.get().body.split("\n")[0] in page


def test_published_at_is_set_once_a_message_was_published():
    seed(password=PASSWORD)

    for message in Message.objects.prefetch_related("events"):
        verbs = {event.verb for event in message.events.all()}
        if message.status in PUBLIC_STATUSES:
            assert message.published_at is not None
        if "published" in verbs:
            assert message.published_at >= message.created_at
        else:
            assert message.published_at is None
        if message.status == MessageStatus.HIDDEN:
            assert message.status_before_hidden in PUBLIC_STATUSES
    never_published = [
        MessageStatus.PENDING,
        MessageStatus.REJECTED,
        MessageStatus.WITHDRAWN,
        MessageStatus.CHANGES_REQUESTED,
    ]
    assert (
        Message.objects.filter(
            status__in=never_published, published_at__isnull=False
        ).exists()
        is False
    )


def test_addressee_serves_the_message_region():
    seed(password=PASSWORD)

    messages = Message.objects.select_related(
        "region__parent__parent", "addressee_official", "addressee_department"
    )
    for message in messages:
        addressees = [message.addressee_official, message.addressee_department]
        assert len([a for a in addressees if a is not None]) == 1
        assert message.addressee.region_id in region_ancestor_ids(message.region)
    assert Message.objects.filter(addressee_official__isnull=False).exists() is True
    assert Message.objects.filter(addressee_department__isnull=False).exists() is True


def test_texts_fit_the_limits():
    seed(password=PASSWORD)

    for title, body in Message.objects.values_list("title", "body"):
        assert 0 < len(title) <= Message.TITLE_MAX_LENGTH
        assert 0 < len(body) <= Message.BODY_MAX_LENGTH
        assert re.search(r"[\u4e00-\u9fff]", body)


@pytest.mark.parametrize("engine", ["bleach", "nh3"])
def test_body_html_is_what_the_renderer_makes(engine):
    seed(password=PASSWORD)

    with override_settings(ZHITONG_SANITIZER=engine):
        for body, body_html in Message.objects.values_list("body", "body_html")[:100]:
            assert body_html == render_markdown(body)


def test_output_lists_the_logins():
    output = seed(password=PASSWORD)

    for username in ACCOUNTS:
        assert re.search(rf"^\s+{username}\s+\w+\s+{PASSWORD}", output, re.M)
    assert "http://127.0.0.1:8000/" in output
    assert "http://127.0.0.1:8000/admin/" in output


def test_a_random_password_is_made_and_printed_when_none_is_given():
    output = seed()

    password = re.search(r"Generated password.*: (\S+)", output).group(1)
    assert len(password) >= 12
    assert Client().login(username="moderator", password=password) is True
    assert seed().count(password) == 0  # a new one each run


def test_a_citizen_can_still_submit_after_seeding():
    """Seeded ids and references leave room for what actions write next."""
    seed(password=PASSWORD)
    official = Official.objects.get(user__username="official")
    draft = MessageDraft(
        region=official.region,
        category=Category.objects.get(slug="transport"),
        kind=MessageKind.COMPLAINT,
        title="路口信号灯故障",
        body="人民路口信号灯坏了。",
        addressee_official=official,
    )

    message = message_submit(author=User.objects.get(username="citizen"), draft=draft)

    assert Message.objects.count() == 301
    year = int(message.reference[3:7])
    assert message.reference == format_reference(
        year, ReferenceSequence.objects.get(year=year).last_value
    )


def test_the_moderators_decisions_are_audited_as_their_actions_would():
    """The transparency page counts audit records: the bulk load writes one
    for each approval, rejection, request for changes and hiding."""

    seed()
    for step, verb in [
        (MessageEvent.Verb.PUBLISHED, AuditVerb.APPROVED),
        (MessageEvent.Verb.REJECTED, AuditVerb.REJECTED),
        (MessageEvent.Verb.CHANGES_REQUESTED, AuditVerb.CHANGES_REQUESTED),
        (MessageEvent.Verb.HIDDEN, AuditVerb.HIDDEN),
    ]:
        decided = set(
            MessageEvent.objects.filter(verb=step).values_list("message_id", flat=True)
        )
        audited = set(
            AuditEvent.objects.filter(verb=verb).values_list("message_id", flat=True)
        )
        assert decided and decided == audited, step
    months = moderation_transparency()
    assert sum(sum(month["rejected"].values()) for month in months[1:]) > 0
    assert sum(sum(month["hidden"].values()) for month in months[1:]) > 0
