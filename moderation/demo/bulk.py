"""The fast bulk load: N messages over the past year, with their timelines.

Messages, their timeline events, the audit records of the moderators'
decisions, the final replies of the messages that got one and the ratings
of those whose authors closed them (satisfied) are inserted in batches of
multi-row INSERT statements: the one documented exception to "only actions
write" (STYLE.md §1), because a million messages through ``message_submit``
would take hours, and even ``bulk_create`` spends most of its time
preparing each of the message's thirty-odd values. The rows are what the
actions would have written: lifecycle paths allowed by ``TRANSITIONS``, one
timeline event per step (and the rating's before a closing by the author),
``published_at`` once a message has been published, a reply and its office
as ``reply_create`` names it, and references taken from
``ReferenceSequence`` under its row lock.
"""

import random
import time
from bisect import bisect
from collections import Counter
from datetime import UTC, datetime, timedelta
from itertools import accumulate

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from board.actions import derive_overall, format_reference, reply_office_names
from board.deadlines import WorkingCalendar
from board.lifecycle import TRANSITIONS, MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageEvent,
    Official,
    Rating,
    ReferenceSequence,
    Reply,
    ReplyStatus,
    User,
)
from moderation.models import AuditEvent, AuditVerb

from . import text
from .compose import compose_reply, compose_text, paragraphs_html, random_phone
from .places import DEPARTMENTS
from .rows import RowInserter
from .topics import TOPICS

BATCH_SIZE = 5_000
PROGRESS_EVERY = 100_000
# Messages of category "other" go to the government services office.
CATEGORY_DEPARTMENT = {row[0]: row[0] for row in DEPARTMENTS}
CATEGORY_DEPARTMENT["other"] = "government-services"

S = MessageStatus
SPAN_DAYS = 365
# Status weights by age: younger than 3 days, than 30 days, and older. Mostly
# public, as on a working board; a status missing here gets 1 among the old.
STATUS_WEIGHTS_BY_AGE = [
    (3, {S.PENDING: 45, S.CHANGES_REQUESTED: 5, S.PUBLISHED: 25, S.ACCEPTED: 10,
         S.REJECTED: 10, S.WITHDRAWN: 5}),
    (30, {S.PENDING: 3, S.CHANGES_REQUESTED: 3, S.PUBLISHED: 20, S.ACCEPTED: 30,
          S.REPLIED: 25, S.CLOSED: 5, S.REJECTED: 8, S.WITHDRAWN: 4, S.HIDDEN: 2}),
    (SPAN_DAYS + 1, {S.PENDING: 0.2, S.CHANGES_REQUESTED: 0.3, S.PUBLISHED: 5,
                     S.ACCEPTED: 8, S.REPLIED: 25, S.CLOSED: 45, S.REJECTED: 8,
                     S.WITHDRAWN: 5, S.HIDDEN: 3}),
]  # fmt: skip
# Hours from the previous step to a step into this status (default 1–72).
STEP_HOURS = {S.ACCEPTED: (1, 120), S.REPLIED: (24, 360), S.CLOSED: (24, 336),
              S.HIDDEN: (1, 720)}  # fmt: skip
REVIEW_STATUSES = {S.PUBLISHED, S.REJECTED, S.CHANGES_REQUESTED}
# Who takes a step into a status (default: a moderator).
AUTHOR_STEPS = {S.WITHDRAWN}
OFFICE_STEPS = {S.ACCEPTED, S.REPLIED}
STEP_NOTES = {
    S.REJECTED: text.REJECTION_NOTES,
    S.WITHDRAWN: text.WITHDRAWAL_NOTES,
    S.CHANGES_REQUESTED: text.CHANGES_NOTES,
    S.HIDDEN: text.HIDING_NOTES,
}


def lifecycle_paths() -> dict[str, list[list[tuple[str, str]]]]:
    """Every way from pending to each status without a loop, as (from, to) steps.

    A step's timeline verb is named after its target status. Steps back to
    pending (resubmitting) and out of hidden (restoring) have verbs of their
    own, so the seed leaves them out.
    """
    verbs = set(MessageEvent.Verb.values)
    paths = {}

    def walk(status, path):
        paths.setdefault(status, []).append(path)
        if status == S.HIDDEN:
            return
        for following in sorted(TRANSITIONS.get(status, ())):
            seen = {S.PENDING, *(to for _from, to in path)}
            if following not in seen and following in verbs:
                walk(following, [*path, (status, following)])

    walk(S.PENDING, [])
    return paths


PATHS = lifecycle_paths()


def seed_messages(generator, seed: int, count: int, stdout) -> None:
    """Messages sent over the past year, oldest first, so ids follow time.

    Writes a progress line to ``stdout`` every ``PROGRESS_EVERY`` messages.
    """
    started = time.monotonic()
    if connection.vendor == "sqlite":
        # A bigger page cache for this connection keeps the indexes,
        # which grow with every batch, in memory.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -262144")  # KiB: 256 MiB
    rng = random.Random(seed)
    first = generator.now - timedelta(days=SPAN_DAYS)
    spacing = timedelta(days=SPAN_DAYS) / count
    # A few spread over the year cover every status, however small the run.
    statuses = [status for status in MessageStatus if status in PATHS]
    forced = {
        (number + 1) * count // (len(statuses) + 1): status
        for number, status in enumerate(statuses)
    }

    done = 0
    while done < count:
        batch = []
        for index in range(done, min(done + BATCH_SIZE, count)):
            created = first + spacing * (index + rng.random())
            status = forced.get(index) or generator.status_at(rng, created)
            batch.append(generator.compose(rng, created, status))
        generator.insert(batch)
        done += len(batch)
        if done % PROGRESS_EVERY == 0 or done == count:
            elapsed = time.monotonic() - started
            stdout.write(f"{done:,} / {count:,} messages, {elapsed:.0f} s")
    # Fresh statistics after a bulk load: until autovacuum gets to them
    # the planner thinks the tables are empty and picks poor plans
    # (the board sorted 3,500 rows instead of walking its index).
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Sample each index instead of reading all of it.
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


# The columns the generator fills, in row order; the others get their defaults.
MESSAGE_COLUMNS = (
    "reference", "author_id", "addressee_official_id", "addressee_department_id",
    "region_id", "category_id", "kind", "title", "body", "body_html", "is_public",
    "contact_phone", "status", "status_before_hidden", "created_at", "updated_at",
    "submitted_for_review_at", "reviewed_at", "published_at",
    # Handling, as the actions would have written it (HANDLING_COLUMNS).
    "routed_at", "due_date", "escalated_at", "accepted_at", "first_reply_at",
    "final_reply_at", "last_reply_at", "first_reply_working_days",
    "final_reply_working_days", "final_reply_on_time",
)  # fmt: skip
CREATED = MESSAGE_COLUMNS.index("created_at")
HANDLING_COLUMNS = MESSAGE_COLUMNS[MESSAGE_COLUMNS.index("routed_at") :]
EVENT_COLUMNS = (
    "message_id", "verb", "actor_id", "from_status", "to_status", "note",
    "note_is_public", "created_at",
)  # fmt: skip
REPLY_COLUMNS = (
    "message_id", "author_id", "office", "office_en", "body", "body_html",
    "is_final", "status", "created_at", "published_at",
)  # fmt: skip
RATING_COLUMNS = (
    "message_id", "reply_id", "attitude", "speed", "resolved", "comment",
    "overall", "created_at",
)  # fmt: skip
AUDIT_COLUMNS = (
    "actor_id", "verb", "message_id", "target_type", "target_id", "reason",
    "created_at",
)  # fmt: skip
# The moderators' decisions among the steps, as their actions audit them:
# the transparency page counts these records.
AUDITED_STEPS = {
    S.PUBLISHED: AuditVerb.APPROVED,
    S.REJECTED: AuditVerb.REJECTED,
    S.CHANGES_REQUESTED: AuditVerb.CHANGES_REQUESTED,
    S.HIDDEN: AuditVerb.HIDDEN,
}


class MessageGenerator:
    """Composes messages with their timelines and writes them in batches.

    Times are naive UTC while composing and become query parameters only when
    a batch is written.
    """

    def __init__(self, regions, accounts, pool, mayor):
        by_id = {region.pk: region for region in regions}
        self.regions = regions
        # Most messages are about a county, some about a city or the province.
        levels = {1: 1, 2: 3, 3: 8}
        self.region_weights = list(accumulate(levels[r.level] for r in regions))
        self.chains = {}  # region id → its own id and its ancestors'
        for region in regions:
            chain, current = [], region
            while current is not None:
                chain.append(current.pk)
                current = by_id.get(current.parent_id)
            self.chains[region.pk] = chain
        slugs = {}
        for slug, name, province_name, _name_en in DEPARTMENTS:
            slugs[name] = slugs[province_name] = slug
        departments = Department.objects.filter(region__in=regions, name__in=slugs)
        self.departments = {(d.region_id, slugs[d.name]): d.pk for d in departments}
        self.officials = {region.pk: [] for region in regions}
        officials = Official.objects.filter(region__in=regions, is_active=True)
        for pk, region_id in officials.values_list("pk", "region_id"):
            self.officials[region_id].append(pk)
        self.categories = list(Category.objects.filter(slug__in=TOPICS))
        self.authors = [accounts["citizen"].pk, accounts["citizen2"].pk, *pool]
        self.moderator_id = accounts["moderator"].pk
        self.mayor_id = mayor.pk
        self.mayor_user_id = accounts["official"].pk
        # Replies to the mayor are his own; the others are written by the
        # demo handler (the bulk load has no staff in every department),
        # under the addressee's office as reply_create names it.
        handler = User.objects.filter(username="handler").first()
        handler = handler or accounts["official"]
        self.handler_id = handler.pk
        self.reply_authors = {self.mayor_user_id: accounts["official"]}
        self.reply_authors[handler.pk] = handler
        self.offices = {}  # (official, department, author ids) → office names
        self.now = timezone.now().astimezone(UTC).replace(tzinfo=None)
        self.status_weights = []
        for days, weights in STATUS_WEIGHTS_BY_AGE:
            if days > SPAN_DAYS:  # the oldest: every status may be there
                weights = {status: 1 for status in PATHS} | weights
            statuses = [status for status in weights if status in PATHS]
            cum_weights = list(accumulate(weights[status] for status in statuses))
            self.status_weights.append((days, statuses, cum_weights))
        # Deadlines and response times count working days: one calendar
        # covers the year seeded and the deadlines after it.
        today = timezone.localdate()
        self.calendar = WorkingCalendar(
            today - timedelta(days=SPAN_DAYS + 2), today + timedelta(days=120)
        )
        self.insert_messages = RowInserter(Message, MESSAGE_COLUMNS)
        self.insert_events = RowInserter(MessageEvent, EVENT_COLUMNS)
        self.insert_audit = RowInserter(AuditEvent, AUDIT_COLUMNS)
        self.insert_replies = RowInserter(Reply, REPLY_COLUMNS)
        self.insert_ratings = RowInserter(Rating, RATING_COLUMNS)

    def status_at(self, rng: random.Random, created: datetime) -> str:
        age = (self.now - created).days
        for days, statuses, cum_weights in self.status_weights:
            if age < days:
                return pick(rng, statuses, cum_weights)
        return S.CLOSED

    def compose(self, rng: random.Random, created: datetime, status: str):
        """A message row, its reference still empty, and its timeline."""
        region = pick(rng, self.regions, self.region_weights)
        category = rng.choice(self.categories)
        kind, title, paragraphs = compose_text(rng, region, category.slug)
        official_id, department_id = self.addressee(rng, region.pk, category.slug)
        author_id = rng.choice(self.authors)
        office_id = self.mayor_user_id if official_id == self.mayor_id else None
        path = rng.choice(PATHS[status])
        hours = [rng.uniform(*STEP_HOURS.get(to, (1, 72))) for _from, to in path]
        # Nothing can have happened after now: squeeze the steps to fit.
        room = (self.now - created).total_seconds() / 3600 * 0.95
        scale = min(1.0, room / sum(hours)) if hours else 1.0
        steps, at, rating = [], timedelta(0), None
        for (previous, following), step_hours in zip(path, hours, strict=True):
            at += timedelta(hours=step_hours * scale)
            actor_id = self.moderator_id
            if following in AUTHOR_STEPS:
                actor_id = author_id
            elif following in OFFICE_STEPS:
                actor_id = office_id
            elif following == S.CLOSED:  # the author's rating, or the clock
                actor_id = author_id if rng.random() < 0.5 else None
            if following == S.CLOSED and actor_id is not None:
                # Rated satisfied, the message closes (rating_submit).
                rating = self.satisfied_rating(rng, created + at)
                *_scores, _comment, overall, _at = rating
                rated = (MessageEvent.Verb.RATED, actor_id, "", previous, at, overall)
                steps.append(rated)
            notes = STEP_NOTES.get(following)
            note = rng.choice(notes) if notes else ""
            steps.append((following, actor_id, previous, following, at, note))
        reviewed = published = None
        for _verb, _actor, _from, to_status, step_at, _note in steps:
            if to_status in REVIEW_STATUSES:
                reviewed = created + step_at
            if to_status == S.PUBLISHED:
                published = created + step_at
        reached = {}
        for _verb, _actor, _from, to_status, step_at, _note in steps:
            reached.setdefault(to_status, created + step_at)
        row = [
            "", author_id, official_id, department_id, region.pk, category.pk,
            kind, title, "\n\n".join(paragraphs), paragraphs_html(paragraphs),
            rng.random() < 0.85, random_phone(rng) if rng.random() < 0.2 else "",
            status, steps[-1][2] if status == S.HIDDEN else "",
            created, created + at, created, reviewed, published,
            *self.handling(kind, reached),
        ]  # fmt: skip
        submitted = ("submitted", author_id, "", S.PENDING, timedelta(0), "")
        reply = None
        if S.REPLIED in reached:
            reply = self.final_reply(
                rng, official_id, department_id, office_id, reached[S.REPLIED]
            )
        return row, [submitted, *steps], (reply, rating)

    def final_reply(self, rng, official_id, department_id, office_id, at) -> tuple:
        """(author id, office, office_en, body, body_html, at) of the final
        reply a message got at ``at``."""
        author_id = office_id or self.handler_id
        key = (official_id, department_id, author_id)
        if key not in self.offices:
            addressed = Message(
                addressee_official_id=official_id, addressee_department_id=department_id
            )
            self.offices[key] = reply_office_names(
                self.reply_authors[author_id], addressed
            )
        paragraphs = compose_reply(rng)
        body = "\n\n".join(paragraphs)
        return (author_id, *self.offices[key], body, paragraphs_html(paragraphs), at)

    @staticmethod
    def satisfied_rating(rng: random.Random, at: datetime) -> tuple:
        """(attitude, speed, resolved, comment, overall, at) of an author who
        closed the message rating its reply satisfied."""
        scores = {
            "attitude": rng.randint(4, 5),
            "speed": rng.randint(4, 5),
            "resolved": rng.randint(4, 5),
        }
        comment = rng.choice(text.RATING_COMMENTS)
        return (*scores.values(), comment, derive_overall(**scores), at)

    def handling(self, kind: str, reached: dict) -> list:
        """The HANDLING_COLUMNS of a message that reached these statuses at
        these (naive UTC) times: its deadline from routing, the escalation
        (督办) of one overdue, and its facts for the statistics
        (board/statistics.py), with no interim reply in between."""
        routed = reached.get(S.PUBLISHED)
        if routed is None:
            return [None] * len(HANDLING_COLUMNS)
        accepted, replied = reached.get(S.ACCEPTED), reached.get(S.REPLIED)
        routed_day = local_date(routed)
        due = self.calendar.after(
            routed_day, settings.ZHITONG_DEADLINE_WORKING_DAYS[kind]
        )
        # The escalation check runs through the day after the due date.
        escalate_at = datetime.combine(due + timedelta(days=1), datetime.min.time())
        escalated = None
        if escalate_at < self.now and (replied is None or replied > escalate_at):
            escalated = escalate_at
        days = on_time = None
        if replied is not None:
            days = max(self.calendar.between(routed_day, local_date(replied)), 0)
            on_time = local_date(replied) <= due
        return [
            routed, due, escalated, accepted, replied, replied, replied,
            days, days, on_time,
        ]  # fmt: skip

    def addressee(self, rng: random.Random, region_id: int, slug: str):
        """(official id, department id), one of them None, serving the region."""
        chain = self.chains[region_id]
        # Mostly the region's own offices, sometimes those above it.
        addressee_region = pick(rng, chain, (7, 9, 10)[: len(chain)])
        officials = self.officials[addressee_region]
        if officials and rng.random() < 0.35:
            return rng.choice(officials), None
        department_slug = CATEGORY_DEPARTMENT[slug]
        return None, self.departments[(addressee_region, department_slug)]

    def insert(self, batch) -> None:
        """Write a batch of messages and their events in one transaction."""
        rows = [row for row, _steps, _thread in batch]
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A seed loses nothing if a crash takes its last batches.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit TO OFF")
            # Taking the references also takes SQLite's write lock.
            take_references(rows)
            ids = self.insert_messages(rows, with_ids=True)
            self.insert_events(
                [
                    (
                        pk,
                        verb,
                        actor_id,
                        from_status,
                        to_status,
                        note,
                        # The rating's verdict shows on the public timeline.
                        verb == MessageEvent.Verb.RATED,
                        row[CREATED] + at,
                    )
                    for pk, (row, steps, _thread) in zip(ids, batch, strict=True)
                    for verb, actor_id, from_status, to_status, at, note in steps
                ]
            )
            self.insert_threads(ids, [thread for _row, _steps, thread in batch])
            self.insert_audit(
                [
                    (
                        actor_id,
                        AUDITED_STEPS[to_status],
                        pk,
                        "message",
                        str(pk),
                        note,
                        row[CREATED] + at,
                    )
                    for pk, (row, steps, _thread) in zip(ids, batch, strict=True)
                    for _verb, actor_id, _from, to_status, at, note in steps
                    if to_status in AUDITED_STEPS and actor_id is not None
                ]
            )

    def insert_threads(self, ids: list[int], threads: list[tuple]) -> None:
        """The final replies of the batch's messages ``ids``, then the
        ratings of those replies."""
        replied = [
            (pk, reply, rating)
            for pk, (reply, rating) in zip(ids, threads, strict=True)
            if reply is not None
        ]
        reply_ids = self.insert_replies(
            [
                (
                    pk,
                    author_id,
                    office,
                    office_en,
                    body,
                    body_html,
                    True,
                    ReplyStatus.PUBLISHED,
                    at,
                    at,
                )
                for pk, (
                    author_id,
                    office,
                    office_en,
                    body,
                    body_html,
                    at,
                ), _rating in replied
            ],  # fmt: skip
            with_ids=True,
        )
        ratings = [
            (pk, reply_id, *rating)
            for reply_id, (pk, _reply, rating) in zip(reply_ids, replied, strict=True)
            if rating is not None
        ]
        self.insert_ratings(ratings)


def take_references(rows: list[list]) -> None:
    """Number the rows from one block per year taken from ReferenceSequence.

    Runs inside the batch's transaction: the row lock keeps a concurrent
    submission from taking the same numbers.
    """
    years = [timezone.localtime(row[CREATED].replace(tzinfo=UTC)).year for row in rows]
    next_value = {}
    for year, count in sorted(Counter(years).items()):
        sequence, _created = (
            ReferenceSequence.objects.select_for_update().get_or_create(year=year)
        )
        next_value[year] = sequence.last_value + 1
        sequence.last_value += count
        sequence.save(update_fields=["last_value"])
    for row, year in zip(rows, years, strict=True):
        row[0] = format_reference(year, next_value[year])
        next_value[year] += 1


def local_date(moment: datetime):
    """The calendar day in TIME_ZONE of a naive UTC time."""
    return timezone.localtime(moment.replace(tzinfo=UTC)).date()


def pick(rng: random.Random, items, cum_weights):
    """``rng.choices(items, cum_weights=cum_weights)[0]``, three times faster."""
    return items[bisect(cum_weights, rng.random() * cum_weights[-1])]
