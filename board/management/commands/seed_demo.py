"""Fill the board with a fictional province, demo logins and realistic messages.

``python manage.py seed_demo [--password PW] [--messages N]``

Regions, departments, officials and accounts are keyed on natural keys
(region code, department name per region, official name per region,
username), so running the command again changes nothing but the demo
passwords. ``--messages N`` tops the board up to at least N messages.

Messages and their timeline events are inserted in batches of multi-row
INSERT statements: the one documented exception to "only actions write"
(STYLE.md §1), because a million messages through ``message_submit`` would
take hours, and even ``bulk_create`` spends most of its time preparing each of
the message's thirty-odd values. The rows are what the actions would have
written: lifecycle paths allowed by ``TRANSITIONS``, one timeline event per
step, ``published_at`` once a message has been published, and references
taken from ``ReferenceSequence`` under its row lock.
"""

import html
import random
import secrets
import time
from bisect import bisect
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial
from itertools import accumulate

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone

from board.actions import format_reference, user_grant_role
from board.lifecycle import TRANSITIONS, MessageStatus
from board.models import (
    Category,
    Department,
    Message,
    MessageEvent,
    Official,
    ReferenceSequence,
    Region,
    User,
)
from board.roles import Role

from . import _demo_text as text
from ._demo_workflow import WORKFLOW_ACCOUNTS, seed_workflow

BATCH_SIZE = 5_000
PROGRESS_EVERY = 100_000
CITIZEN_POOL_SIZE = 200
SITE_URL = "http://127.0.0.1:8000/"

# (username, role, display name); the official plays the first city's mayor.
DEMO_ACCOUNTS = [
    ("citizen", Role.CITIZEN, "王小明"),
    ("citizen2", Role.CITIZEN, "李芳"),
    ("moderator", Role.MODERATOR, "审核员陈静"),
    ("official", Role.OFFICIAL, ""),
    ("admin", Role.ADMIN, "系统管理员"),
]
HEAD_TITLES_EN = {1: "Governor of %s", 2: "Mayor of %s", 3: "Head of %s"}
# Each city also has directors of these departments.
DIRECTED_DEPARTMENTS = ["transport", "urban-construction", "education"]
# Messages of category "other" go to the government services office.
CATEGORY_DEPARTMENT = {row[0]: row[0] for row in text.DEPARTMENTS}
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


class Command(BaseCommand):
    help = "Seed a fictional province, demo logins and realistic messages."

    def add_arguments(self, parser):
        parser.add_argument("--password", help="Password of the demo accounts.")
        parser.add_argument(
            "--messages",
            type=int,
            default=500,
            help="Top the board up to at least this many messages.",
        )
        parser.add_argument("--seed", type=int, default=2026, help="Random seed.")

    def handle(self, *args, password=None, messages=500, seed=2026, **options):
        is_generated = not password
        password = password or secrets.token_urlsafe(9)
        regions = seed_regions()
        mayor = seed_officials(regions)
        accounts = seed_accounts(password, mayor)
        pool = seed_citizen_pool()
        # Before the top-up, so that --messages N still means N in all.
        seed_workflow(password=password, stdout=self.stdout)
        existing = Message.objects.count()
        if messages > existing:
            generator = MessageGenerator(regions, accounts, pool, mayor)
            # Seeded by the count too, so a top-up does not repeat the texts.
            self.seed_messages(generator, seed + existing, messages - existing)
        self.print_logins(password, is_generated)

    def seed_messages(self, generator, seed: int, count: int) -> None:
        """Messages sent over the past year, oldest first, so ids follow time."""
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
                self.stdout.write(f"{done:,} / {count:,} messages, {elapsed:.0f} s")
        # Fresh statistics after a bulk load: until autovacuum gets to them
        # the planner thinks the tables are empty and picks poor plans
        # (the board sorted 3,500 rows instead of walking its index).
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # Sample each index instead of reading all of it.
                cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")

    def print_logins(self, password: str, is_generated: bool) -> None:
        write = self.stdout.write
        write("")
        write(self.style.SUCCESS("Demo logins"))
        if is_generated:
            write(f"Generated password (choose one with --password): {password}")
        write(f"Board: {SITE_URL}")
        write(f"  {'username':<10} {'role':<10} password")
        for username, role, _display_name in [*DEMO_ACCOUNTS, *WORKFLOW_ACCOUNTS]:
            admin = f"   also {SITE_URL}admin/" if role == Role.ADMIN else ""
            write(f"  {username:<10} {role.value:<10} {password}{admin}")
        write("Log in with the username or <username>@example.com.")


# --- Places and people ----------------------------------------------------------


def seed_regions() -> list[Region]:
    regions = {}
    for code, parent_code, level, name, name_en in text.REGIONS:
        regions[code], _created = Region.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "level": level,
                "parent": regions.get(parent_code),
            },
        )
    for region in regions.values():
        is_province = region.level == Region.Level.PROVINCE
        for _slug, name, province_name, name_en in text.DEPARTMENTS:
            Department.objects.update_or_create(
                region=region,
                name=province_name if is_province else name,
                defaults={"name_en": name_en},
            )
    return list(regions.values())


def seed_officials(regions: list[Region]) -> Official:
    """Secretary and head of each region, three directors per city.

    Returns the first city's mayor, whom the demo official account plays.
    """
    mayor = None
    for region in regions:
        # Seeded by the region code, so every run picks the same names.
        names = iter(person_names(random.Random(region.code), 5))
        kind = region.name[-1]  # 省, 市, 区 or 县
        secretary_en = f"Party Secretary of {region.name_en}"
        head_en = HEAD_TITLES_EN[region.level] % region.name_en
        upsert_official(next(names), region, f"{region.name}{kind}委书记", secretary_en)
        head = upsert_official(next(names), region, f"{region.name}{kind}长", head_en)
        if region.level != Region.Level.CITY:
            continue
        mayor = mayor or head
        for slug, name, _province_name, name_en in text.DEPARTMENTS:
            if slug in DIRECTED_DEPARTMENTS:
                department = Department.objects.get(region=region, name=name)
                title_en = f"Director, {region.name_en} {name_en}"
                title = f"{region.name}{name}局长"
                upsert_official(next(names), region, title, title_en, department)
    return mayor


def upsert_official(name, region, title, title_en, department=None) -> Official:
    official, _created = Official.objects.update_or_create(
        name=name,
        region=region,
        defaults={
            "title": title,
            "title_en": title_en,
            "department": department,
            "is_active": True,
        },
    )
    return official


def person_names(rng: random.Random, count: int) -> list[str]:
    """``count`` different Chinese names."""
    names = []
    while len(names) < count:
        given = rng.choices(text.GIVEN_NAME_CHARACTERS, k=rng.choice((1, 2)))
        name = rng.choice(text.SURNAMES) + "".join(given)
        if name not in names:
            names.append(name)
    return names


def seed_accounts(password: str, mayor: Official) -> dict[str, User]:
    # One hash for the five: they share the password, which is printed anyway,
    # and each hash costs half a second.
    hashed = make_password(password)
    accounts = {}
    for username, role, display_name in DEMO_ACCOUNTS:
        is_admin = role == Role.ADMIN
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "email": f"{username}@example.com",
                "display_name": display_name or mayor.name,
                "is_active": True,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "password": hashed,
            },
        )
        # One primary address per user: demote any other before upserting.
        EmailAddress.objects.filter(user=user).exclude(email=user.email).update(
            primary=False
        )
        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
        user_grant_role(user=user, role=role)
        accounts[username] = user
    official_user = accounts["official"]
    Official.objects.filter(user=official_user).exclude(pk=mayor.pk).update(user=None)
    mayor.user = official_user
    mayor.save(update_fields=["user"])
    return accounts


def seed_citizen_pool() -> list[int]:
    """Citizens who cannot log in, so the board has many authors."""
    rng = random.Random("citizen-pool")
    # Joined before the oldest seeded message.
    joined = timezone.now() - timedelta(days=400)
    users = [
        User(
            username=f"resident{number:03d}",
            display_name=rng.choice(text.SURNAMES) + rng.choice(("先生", "女士")),
            password=make_password(None),
            date_joined=joined - timedelta(days=rng.randint(0, 1000)),
        )
        for number in range(1, CITIZEN_POOL_SIZE + 1)
    ]
    User.objects.bulk_create(users, ignore_conflicts=True)
    usernames = [user.username for user in users]
    ids = list(User.objects.filter(username__in=usernames).values_list("pk", flat=True))
    citizens = Group.objects.get(name=Role.CITIZEN)
    Membership = User.groups.through
    Membership.objects.bulk_create(
        [Membership(user_id=pk, group_id=citizens.pk) for pk in ids],
        ignore_conflicts=True,
    )
    return ids


# --- Messages -------------------------------------------------------------------

# The columns the generator fills, in row order; the others get their defaults.
MESSAGE_COLUMNS = (
    "reference", "author_id", "addressee_official_id", "addressee_department_id",
    "region_id", "category_id", "kind", "title", "body", "body_html", "is_public",
    "contact_phone", "status", "status_before_hidden", "created_at", "updated_at",
    "submitted_for_review_at", "reviewed_at", "published_at",
)  # fmt: skip
CREATED = MESSAGE_COLUMNS.index("created_at")
EVENT_COLUMNS = (
    "message_id", "verb", "actor_id", "from_status", "to_status", "note", "created_at"
)  # fmt: skip


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
        for slug, name, province_name, _name_en in text.DEPARTMENTS:
            slugs[name] = slugs[province_name] = slug
        departments = Department.objects.filter(region__in=regions, name__in=slugs)
        self.departments = {(d.region_id, slugs[d.name]): d.pk for d in departments}
        self.officials = {region.pk: [] for region in regions}
        officials = Official.objects.filter(region__in=regions, is_active=True)
        for pk, region_id in officials.values_list("pk", "region_id"):
            self.officials[region_id].append(pk)
        self.categories = list(Category.objects.filter(slug__in=text.TOPICS))
        self.authors = [accounts["citizen"].pk, accounts["citizen2"].pk, *pool]
        self.moderator_id = accounts["moderator"].pk
        self.mayor_id = mayor.pk
        self.mayor_user_id = accounts["official"].pk
        self.now = timezone.now().astimezone(UTC).replace(tzinfo=None)
        self.status_weights = []
        for days, weights in STATUS_WEIGHTS_BY_AGE:
            if days > SPAN_DAYS:  # the oldest: every status may be there
                weights = {status: 1 for status in PATHS} | weights
            statuses = [status for status in weights if status in PATHS]
            cum_weights = list(accumulate(weights[status] for status in statuses))
            self.status_weights.append((days, statuses, cum_weights))
        self.insert_messages = RowInserter(Message, MESSAGE_COLUMNS)
        self.insert_events = RowInserter(MessageEvent, EVENT_COLUMNS)

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
        steps, at = [], timedelta(0)
        for (previous, following), step_hours in zip(path, hours, strict=True):
            at += timedelta(hours=step_hours * scale)
            actor_id = self.moderator_id
            if following in AUTHOR_STEPS:
                actor_id = author_id
            elif following in OFFICE_STEPS:
                actor_id = office_id
            elif following == S.CLOSED:  # the author's rating, or the clock
                actor_id = author_id if rng.random() < 0.5 else None
            notes = STEP_NOTES.get(following)
            note = rng.choice(notes) if notes else ""
            steps.append((following, actor_id, previous, following, at, note))
        reviewed = published = None
        for _verb, _actor, _from, to_status, step_at, _note in steps:
            if to_status in REVIEW_STATUSES:
                reviewed = created + step_at
            if to_status == S.PUBLISHED:
                published = created + step_at
        row = [
            "", author_id, official_id, department_id, region.pk, category.pk,
            kind, title, "\n\n".join(paragraphs), paragraphs_html(paragraphs),
            rng.random() < 0.85, random_phone(rng) if rng.random() < 0.2 else "",
            status, steps[-1][2] if status == S.HIDDEN else "",
            created, created + at, created, reviewed, published,
        ]  # fmt: skip
        submitted = ("submitted", author_id, "", S.PENDING, timedelta(0), "")
        return row, [submitted, *steps]

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
        rows = [row for row, _steps in batch]
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
                        row[CREATED] + at,
                    )
                    for pk, (row, steps) in zip(ids, batch, strict=True)
                    for verb, actor_id, from_status, to_status, at, note in steps
                ]
            )


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


def compose_text(rng: random.Random, region: Region, slug: str):
    """(kind, title, paragraphs) from one topic of the category."""
    kind, title, details, request = rng.choice(text.TOPICS[slug])
    places = Places(rng, area=region.name)
    paragraphs = [
        rng.choice(text.OPENINGS),
        # The first detail sets the scene; some of the others follow, in order.
        details[0] + "".join(detail for detail in details[1:] if rng.random() < 0.7),
        request if rng.random() < 0.7 else rng.choice(text.REQUESTS),
    ]
    if rng.random() < 0.8:
        paragraphs.append(rng.choice(text.CLOSINGS))
    title = title.format_map(places)[: Message.TITLE_MAX_LENGTH]
    return kind, title, [paragraph.format_map(places) for paragraph in paragraphs]


class Places(dict):
    """Placeholder values, each drawn when a template first asks for it.

    A message names the same road or school wherever it mentions one.
    """

    def __init__(self, rng: random.Random, **values):
        super().__init__(values)
        self.rng = rng

    def __missing__(self, key: str):
        value = self.rng.choice(text.PLACES[key])
        if key == "road2" and value == self["road"]:  # a crossing of two roads
            return self.__missing__(key)
        self[key] = value
        return value


def pick(rng: random.Random, items, cum_weights):
    """``rng.choices(items, cum_weights=cum_weights)[0]``, three times faster."""
    return items[bisect(cum_weights, rng.random() * cum_weights[-1])]


def paragraphs_html(paragraphs: list[str]) -> str:
    """What render_markdown makes of plain one-line paragraphs, ~100× faster.

    html.escape is what django.utils.html.escape runs, without its lazy
    wrapper.
    """
    return "".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in paragraphs)


def random_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


class RowInserter:
    """Writes rows of plain values into a model's table, many at a time.

    Each row gives the ``columns`` (attribute names) in order; the other
    columns get their field's default. PostgreSQL takes the rows by COPY,
    SQLite by ``executemany`` of one prepared INSERT. Both are far faster than
    ``bulk_create``, which prepares every value of every object field by
    field, and neither can return ids, so ids are reserved first.
    """

    def __init__(self, model, columns: tuple[str, ...]):
        fields = {f.attname: f for f in model._meta.concrete_fields}
        others = [f for f in fields.values() if f.attname not in columns]
        others = [f for f in others if not f.primary_key]
        self.tail = [f.get_db_prep_save(f.get_default(), connection) for f in others]
        self.datetime_indexes = [
            index
            for index, name in enumerate(columns)
            if fields[name].get_internal_type() == "DateTimeField"
        ]
        self.to_parameter = datetime_parameter()
        self.table = model._meta.db_table
        self.pk_column = model._meta.pk.column
        self.columns = [fields[name].column for name in columns]
        self.columns += [f.column for f in others]

    def __call__(self, rows, with_ids: bool = False) -> list[int]:
        """Insert ``rows``; ``with_ids`` gives them new ids, returned in order.

        Must run inside a transaction that holds the table's write lock
        (PostgreSQL needs none: its sequence hands out the ids).
        """
        rows = [self.parameters(row) for row in rows]
        columns = self.columns
        ids = []
        with connection.cursor() as cursor:
            if with_ids:
                ids = self.reserve_ids(cursor, len(rows))
                rows = [[pk, *row] for pk, row in zip(ids, rows, strict=True)]
                columns = [self.pk_column, *columns]
            quote = connection.ops.quote_name
            # Names come from the model, quoted; values are always parameters.
            table = quote(self.table)
            column_list = ", ".join(quote(column) for column in columns)
            if connection.vendor == "postgresql":
                sql = f"COPY {table} ({column_list}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({column_list}) VALUES ({placeholders})"  # noqa: S608
                cursor.executemany(sql, rows)
        return ids

    def parameters(self, row) -> list:
        row = list(row)
        for index in self.datetime_indexes:
            if row[index] is not None:
                row[index] = self.to_parameter(row[index])
        return row + self.tail

    def reserve_ids(self, cursor, count: int) -> list[int]:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s))"
                " FROM generate_series(1, %s)",
                [self.table, self.pk_column, count],
            )
            return sorted(pk for (pk,) in cursor.fetchall())
        # The write lock keeps anyone else from inserting until commit.
        quote = connection.ops.quote_name
        cursor.execute(
            f"SELECT MAX({quote(self.pk_column)}) FROM {quote(self.table)}"  # noqa: S608
        )
        first = (cursor.fetchone()[0] or 0) + 1
        return list(range(first, first + count))


def datetime_parameter():
    """Turns a naive UTC time into the query parameter Django would send."""
    operations = connection.ops  # looked up once: the proxy costs per call
    sample = datetime(2026, 1, 2, 3, 4, 5, 6)
    aware = sample.replace(tzinfo=UTC)
    parameter = operations.adapt_datetimefield_value(aware)
    # The two backends' answers, taken directly: several times faster.
    if parameter == str(sample):  # SQLite stores the text of the UTC time
        return str
    if parameter is aware:  # PostgreSQL takes the aware time as it is
        return partial(datetime.replace, tzinfo=UTC)
    return lambda value: operations.adapt_datetimefield_value(value.replace(tzinfo=UTC))
