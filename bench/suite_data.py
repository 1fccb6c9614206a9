"""bench/suite's data: what the signed-in pages need beyond seed_demo's
board, the paths the load walks, and the readers' cookies and tokens.

Runs in bench/suite.py's own Django process (config.settings.base on the
benchmark's database). The rows are written with seed_demo's builders
(``moderation.demo``: its generator, batches of COPY), the documented
exception to "only actions write", since a hundred thousand messages through
``message_submit`` would take an hour:

- ``benchwriter``, a citizen with 200 messages (My messages) and 1,000
  notifications, 300 of them unread (the notification centre);
- pending messages up to a tenth of the board (100,000 at 1,000,000: the
  moderation queue);
- messages routed to the demo official (the first city's mayor) up to a
  hundredth of the board (10,000 at 1,000,000: the official's inbox).
"""

import random
from datetime import UTC, timedelta
from importlib import import_module
from io import StringIO

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone
from knox.models import AuthToken

from board.lifecycle import PUBLIC_STATUSES, ROUTED_STATUSES, MessageStatus
from board.models import (
    Category,
    Message,
    MessageKind,
    Notification,
    NotificationKind,
    Official,
    Region,
    User,
)
from board.roles import Role
from board.selectors import inbox_counts
from board.selectors.geography import region_descendant_ids
from board.staff_sessions import LAST_ACTIVITY_KEY
from moderation.demo.accounts import upsert_account
from moderation.demo.bulk import MessageGenerator, seed_messages
from moderation.demo.compose import compose_text
from moderation.demo.places import seed_regions
from moderation.demo.rows import RowInserter
from moderation.demo.topics import TOPICS

WRITER_USERNAME = "benchwriter"
WRITER_MESSAGES = 200
WRITER_NOTIFICATIONS = 1_000
WRITER_UNREAD = 300
AUTHOR_KINDS = [
    NotificationKind.MESSAGE_APPROVED,
    NotificationKind.MESSAGE_ACCEPTED,
    NotificationKind.MESSAGE_INTERIM_REPLY,
    NotificationKind.MESSAGE_REPLIED,
    NotificationKind.MESSAGE_CLOSED,
]
# More URLs than a spread run reaches at today's miss rates (about 2,000
# in 15 s for the fastest), so that the run stays a run of misses; the
# suite counts the cache's hits all the same (X-Page-Cache). The board's
# and the API's filters have about 3,500 combinations of two or more.
SPREAD_SIZE = 3_000


def pending_target(messages: int) -> int:
    return messages // 10


def inbox_target(messages: int) -> int:
    return messages // 100


class PendingGenerator(MessageGenerator):
    """seed_demo's messages, all still awaiting review."""

    def status_at(self, rng, created):
        return MessageStatus.PENDING


class InboxGenerator(MessageGenerator):
    """seed_demo's routed messages, addressed to one official, about the
    official's region and the regions below it."""

    def __init__(self, *args, official: Official, **kwargs):
        super().__init__(*args, **kwargs)
        self.official = official
        served = set(region_descendant_ids(official.region_id))
        self.regions = [region for region in self.regions if region.pk in served]
        self.region_weights = list(range(1, len(self.regions) + 1))

    def status_at(self, rng, created):
        while (status := super().status_at(rng, created)) not in ROUTED_STATUSES:
            pass
        return status

    def addressee(self, rng, region_id, slug):
        return self.official.pk, None


def _builders():
    regions = seed_regions()
    accounts = {
        user.username: user
        for user in User.objects.filter(
            username__in=["citizen", "citizen2", "moderator", "official"]
        )
    }
    pool = list(
        User.objects.filter(username__startswith="resident").values_list(
            "pk", flat=True
        )
    )
    mayor = Official.objects.get(user=accounts["official"])
    return regions, accounts, pool, mayor


def add_signed_in_rows(*, messages: int, seed: int = 4711, stdout=None) -> dict:
    """Top the database up with what the signed-in pages read; returns the
    counts those pages then show."""
    stdout = stdout or StringIO()
    regions, accounts, pool, mayor = _builders()
    writer = upsert_account(
        WRITER_USERNAME, Role.CITIZEN, "基准作者", password=make_password(None)
    )
    written = Message.objects.filter(author=writer).count()
    if written < WRITER_MESSAGES:
        generator = MessageGenerator(regions, accounts, pool, mayor)
        generator.authors = [writer.pk]
        seed_messages(generator, seed, WRITER_MESSAGES - written, stdout)
    pending = Message.objects.filter(status=MessageStatus.PENDING).count()
    if pending < pending_target(messages):
        generator = PendingGenerator(regions, accounts, pool, mayor)
        seed_messages(generator, seed + 1, pending_target(messages) - pending, stdout)
    inbox = inbox_counts(accounts["official"])["total"]
    if inbox < inbox_target(messages):
        generator = InboxGenerator(regions, accounts, pool, mayor, official=mayor)
        seed_messages(generator, seed + 2, inbox_target(messages) - inbox, stdout)
    if not Notification.objects.filter(recipient=writer).exists():
        _add_notifications(writer)
    return row_counts()


def row_counts() -> dict:
    """What the measured pages show: the board, and the signed-in readers'."""
    writer = User.objects.get(username=WRITER_USERNAME)
    return {
        "messages": Message.objects.count(),
        "public": Message.objects.public().count(),
        "pending": Message.objects.filter(status=MessageStatus.PENDING).count(),
        "official_inbox": inbox_counts(User.objects.get(username="official"))["total"],
        "writer_messages": Message.objects.filter(author=writer).count(),
        "writer_notifications": Notification.objects.filter(recipient=writer).count(),
    }


def _add_notifications(writer: User) -> None:
    rng = random.Random("bench-notifications")
    ids = list(Message.objects.filter(author=writer).values_list("pk", flat=True)[:200])
    # Naive UTC times, as seed_demo's rows have them.
    now = timezone.now().astimezone(UTC).replace(tzinfo=None)
    rows = []
    for number in range(WRITER_NOTIFICATIONS):
        created = (
            now
            - timedelta(days=365)
            + timedelta(days=365) * (number / WRITER_NOTIFICATIONS)
        )
        is_read = number < WRITER_NOTIFICATIONS - WRITER_UNREAD
        rows.append(
            (
                writer.pk,
                rng.choice(AUTHOR_KINDS),
                rng.choice(ids),
                created,
                created + timedelta(hours=2) if is_read else None,
            )
        )
    insert = RowInserter(
        Notification, ("recipient_id", "kind", "message_id", "created_at", "read_at")
    )
    with transaction.atomic():
        insert(rows)


# --- Who reads, and what ---


def session_cookie(user: User) -> str:
    """A signed-in session for ``user``, as logging in would leave it; its
    key is the ``sessionid`` cookie's value."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[LAST_ACTIVITY_KEY] = int(timezone.now().timestamp())
    store.create()
    return store.session_key


def api_token(user: User) -> str:
    return AuthToken.objects.create(user=user)[1]


def _random_public_ids(count: int, rng: random.Random) -> list[int]:
    """``count`` public messages picked by id, through the primary key."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM board_message")
        low, high = cursor.fetchone()
    candidates = [rng.randint(low, high) for _ in range(count * 4)]
    public = list(
        Message.objects.public()
        .filter(pk__in=candidates)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rng.shuffle(public)
    return public[:count]


def _query(parameters: dict) -> str:
    return "&".join(f"{key}={value}" for key, value in parameters.items() if value)


def _filter_combinations(rng, regions, categories, count):
    """Distinct filter combinations of two or more filters."""
    kinds = list(MessageKind.values)
    statuses = sorted(PUBLIC_STATUSES)
    seen = set()
    attempts = 0
    while len(seen) < count and attempts < count * 20:
        attempts += 1
        parameters = {
            "region": rng.choice([None, *regions]),
            "category": rng.choice([None, *categories]),
            "kind": rng.choice([None, *kinds]),
            "status": rng.choice([None, *statuses]),
        }
        if sum(1 for value in parameters.values() if value) < 2:
            continue
        seen.add(_query(parameters))
    return sorted(seen)


def anonymous_paths(seed: int = 2026) -> dict[str, dict]:
    """Per anonymous page: one path repeated (``warm``: served from the page
    cache after the first request) and many different ones (``spread``).
    A spread is a ``sample`` of ``SPREAD_SIZE`` pages of a kind there are
    many more of, meant to be walked once, every request a miss; or every
    page of a kind there are few of (officials, regions), walked over and
    over, mostly hits after the first pass."""
    rng = random.Random(seed)
    regions = list(Region.objects.order_by("pk").values_list("pk", flat=True))
    categories = list(Category.objects.order_by("pk").values_list("pk", flat=True))
    officials = list(
        Official.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    mayor = Official.objects.get(user__username="official")
    public = Message.objects.public()
    message = (
        public.filter(replies__isnull=False).order_by("-published_at").first()
        or public.order_by("-published_at").first()
    )
    city = Region.objects.filter(level=Region.Level.CITY).order_by("code").first()
    board = _filter_combinations(rng, regions, categories, SPREAD_SIZE)
    api = _filter_combinations(rng, regions, categories, SPREAD_SIZE)
    return {
        "board": {
            "warm": "/",
            "spread": [f"/?{query}" for query in board],
            "sample": True,
        },
        "message page": {
            "warm": message.get_absolute_url(),
            "spread": [
                f"/messages/{pk}/" for pk in _random_public_ids(SPREAD_SIZE, rng)
            ],
            "sample": True,
        },
        "official page": {
            "warm": f"/officials/{mayor.pk}/",
            "spread": [f"/officials/{pk}/" for pk in officials],
            "sample": False,
        },
        "region page": {
            "warm": f"/regions/{city.pk}/",
            "spread": [f"/regions/{pk}/" for pk in regions],
            "sample": False,
        },
        "API list": {
            "warm": "/api/v1/messages/",
            "spread": [f"/api/v1/messages/?{query}" for query in api],
            "sample": True,
        },
    }


def signed_in_pages() -> dict[str, tuple[str, str]]:
    """Per signed-in page: its path and its reader's session cookie."""
    writer = User.objects.get(username=WRITER_USERNAME)
    moderator = User.objects.get(username="moderator")
    official = User.objects.get(username="official")
    return {
        "board, signed in": ("/", session_cookie(writer)),
        "My messages (200)": ("/me/messages/", session_cookie(writer)),
        "moderation queue": ("/moderation/?queue=pending", session_cookie(moderator)),
        "official inbox": ("/inbox/", session_cookie(official)),
        "notification centre": ("/notifications/", session_cookie(writer)),
    }


def posting() -> dict:
    """The API submission's JSON (``@@N@@`` marks the part made unique per
    request), its author's token, and the author's id for the bare insert."""
    author = User.objects.get(username="citizen")
    mayor = Official.objects.select_related("region").get(user__username="official")
    category = Category.objects.filter(slug__in=TOPICS).order_by("pk").first()
    _kind, title, paragraphs = compose_text(
        random.Random("bench-post"), mayor.region, category.slug
    )
    body = {
        "addressee_official": mayor.pk,
        "region": mayor.region_id,
        "category": category.pk,
        "kind": MessageKind.COMPLAINT,
        "title": title,
        "body": "\n\n".join(paragraphs) + "\n\n（编号 @@N@@）",
    }
    return {"body": body, "token": api_token(author), "author": author.pk}
