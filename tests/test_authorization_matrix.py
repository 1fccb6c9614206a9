"""Who may read or change a message: every role against every endpoint.

``MATRIX`` below is the whole table (docs/security.md, "Authorization
matrix"). Each row is one page, API operation or socket; each column group
one message state; each cell one role's outcome, in ``ROLES`` order:

    ✓      allowed: 2xx, or a 3xx that is not the login page (a socket: accepted)
    login  anonymous: 302 to the login page (pages), 401 (API), 4401 (socket)
    403    refused: signed in but not the right person or role
    404    refused without saying the message exists
    400    allowed through, but the action refused the input sent
    409    allowed through, but the message's state refuses the action
    flash  302 back to the message with an error, and nothing changed
    4404   a socket closed with 4404

States: ``pending`` (awaiting review), ``public`` (published, public, routed
to the addressee), ``private`` (published, private, routed); ``any`` for
endpoints that are not about one message. Every message is addressed to an
official of the handling department, has a staff draft reply awaiting
sign-off, a published interim reply, and a photo.

Each test builds the world once and runs its row's cells one role after the
other, each inside a savepoint rolled back afterwards, so every cell starts
from the same data.
"""

import re
from dataclasses import dataclass, field

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.contrib.messages import constants, get_messages
from django.db import transaction
from django.test import Client
from PIL import Image
from rest_framework.test import APIClient

from board.lifecycle import MessageStatus
from board.models import Message, MessageAttachment
from tests.factories import (
    HandlerUserFactory,
    OfficialFactory,
    PendingMessageFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
    png_upload,
)

ROLES = ("anon", "author", "citizen2", "moderator", "addressee", "official2", "handler")
# Administrators may do what moderators may, everywhere: each cell is run
# for an admin too and must match the moderator's.
CHECKED_ROLES = (*ROLES, "admin")
STATES = ("pending", "public", "private")

# Shorthands for rows that repeat.
ALL = "✓ ✓ ✓ ✓ ✓ ✓ ✓"
SEEN_PENDING = "404 ✓ 404 ✓ 404 404 404"
SEEN_PRIVATE = "404 ✓ 404 ✓ ✓ 404 ✓"
MOD_ONLY_PAGE = "login 404 404 ✓ 404 404 404"
HANDLERS_PAGE = "login 404 404 404 ✓ 404 ✓"
NO_HANDLING_PAGE = "login 404 404 404 404 404 404"
# The inbox's pages: only a routed message, only to those who handle it.
HANDLING = {
    "pending": NO_HANDLING_PAGE,
    "public": HANDLERS_PAGE,
    "private": HANDLERS_PAGE,
}


@dataclass(frozen=True)
class Row:
    """One endpoint: ``url`` is formatted with the world's ids (``m``
    message, ``d`` draft reply, ``r`` published reply, ``a`` photo)."""

    name: str
    kind: str  # "page", "api" or "ws"
    method: str
    url: str
    cells: dict[str, str]
    data: dict = field(default_factory=dict)


def _moderation_api(action, moderator_cell, data=None, url=None):
    """A moderation API operation: only moderators get past the door."""
    m = moderator_cell
    return Row(
        f"API {action}",
        "api",
        "post",
        url or f"/api/v1/moderation/messages/{{m}}/{action}/",
        {state: f"login 403 403 {m[i]} 403 403 403" for i, state in enumerate(STATES)},
        data or {},
    )


MATRIX = [
    # --- The site's pages ---
    Row(
        "page: message",
        "page",
        "get",
        "/messages/{m}/",
        {"pending": SEEN_PENDING, "public": ALL, "private": SEEN_PRIVATE},
    ),
    Row(
        "page: edit",
        "page",
        "get",
        "/messages/{m}/edit/",
        {
            "pending": "login ✓ 404 404 404 404 404",
            "public": "login 404 404 404 404 404 404",
            "private": "login 404 404 404 404 404 404",
        },
    ),
    Row(
        "page: withdraw",
        "page",
        "post",
        "/messages/{m}/withdraw/",
        {
            "pending": "login ✓ 404 flash 404 404 404",
            "public": "login flash flash flash flash flash flash",
            "private": "login flash 404 flash flash 404 flash",
        },
        {"note": ""},
    ),
    Row(
        "page: report",
        "page",
        "post",
        "/messages/{m}/report/",
        {
            "pending": "login 400 404 400 404 404 404",
            "public": "login 400 ✓ ✓ ✓ ✓ ✓",
            "private": "login 400 404 400 400 404 400",
        },
        {"reason": "Advertising, not a message to an official."},
    ),
    Row(
        "page: rating",
        "page",
        "post",
        "/messages/{m}/rating/",
        {
            "pending": "login 409 404 403 404 404 404",
            "public": "login 409 403 403 403 403 403",
            "private": "login 409 404 403 403 404 403",
        },
        {"attitude": "5", "speed": "5", "resolved": "5", "comment": ""},
    ),
    Row(
        "page: follow-up",
        "page",
        "post",
        "/messages/{m}/follow-ups/",
        {
            "pending": "login 409 404 403 404 404 404",
            "public": "login 409 403 403 403 403 403",
            "private": "login 409 404 403 403 404 403",
        },
        {"body": "The lamp broke again, when will it be fixed for good?"},
    ),
    Row(
        "page: follow",
        "page",
        "post",
        "/messages/{m}/follow/",
        {
            "pending": "login flash 404 flash 404 404 404",
            "public": "login ✓ ✓ ✓ ✓ ✓ ✓",
            "private": "login flash 404 flash flash 404 flash",
        },
    ),
    Row(
        "page: attachment",
        "page",
        "get",
        "/attachments/{a}/",
        {"pending": SEEN_PENDING, "public": ALL, "private": SEEN_PRIVATE},
    ),
    Row(
        "page: inbox handle",
        "page",
        "get",
        "/inbox/messages/{m}/",
        HANDLING,
    ),
    Row(
        "page: accept",
        "page",
        "post",
        "/inbox/messages/{m}/accept/",
        HANDLING,
    ),
    Row(
        "page: transfer",
        "page",
        "post",
        "/inbox/messages/{m}/transfer/",
        {
            "pending": NO_HANDLING_PAGE,
            "public": "login 404 404 404 400 404 400",
            "private": "login 404 404 404 400 404 400",
        },
        {"reason": "Not ours."},
    ),
    Row(
        "page: extend",
        "page",
        "post",
        "/inbox/messages/{m}/extend/",
        HANDLING,
        {"working_days": "5", "reason": "We need a survey first."},
    ),
    Row(
        "page: replies",
        "page",
        "post",
        "/inbox/messages/{m}/replies/",
        HANDLING,
        {"kind": "interim", "body": "We have sent a team to look at it."},
    ),
    Row(
        "page: corrections",
        "page",
        "post",
        "/inbox/messages/{m}/corrections/",
        HANDLING,
        {"corrects": "{r}", "body": "The team goes on Monday, not Sunday."},
    ),
    Row(
        "page: sign-off",
        "page",
        "post",
        "/inbox/messages/{m}/replies/{d}/sign-off/",
        {
            "pending": NO_HANDLING_PAGE,
            "public": "login 404 404 404 ✓ 404 403",
            "private": "login 404 404 404 ✓ 404 403",
        },
    ),
    Row(
        "page: moderation item",
        "page",
        "get",
        "/moderation/messages/{m}/",
        dict.fromkeys(STATES, MOD_ONLY_PAGE),
    ),
    Row(
        "page: moderation note",
        "page",
        "post",
        "/moderation/messages/{m}/note/",
        dict.fromkeys(STATES, MOD_ONLY_PAGE),
        {"body": "Checked with the district office."},
    ),
    Row(
        "page: moderation take over",
        "page",
        "post",
        "/moderation/messages/{m}/take_over/",
        dict.fromkeys(STATES, MOD_ONLY_PAGE),
    ),
    Row(
        "page: moderation release",
        "page",
        "post",
        "/moderation/messages/{m}/release/",
        dict.fromkeys(STATES, MOD_ONLY_PAGE),
    ),
    Row(
        "page: moderation hide (no input)",
        "page",
        "post",
        "/moderation/messages/{m}/hide/",
        dict.fromkeys(STATES, "login 404 404 400 404 404 404"),
    ),
    Row(
        "page: compose",
        "page",
        "get",
        "/messages/new/",
        {"any": "login ✓ ✓ 403 403 403 403"},
    ),
    Row(
        "page: inbox",
        "page",
        "get",
        "/inbox/",
        {"any": "login 403 403 403 ✓ ✓ ✓"},
    ),
    Row(
        "page: moderation queue",
        "page",
        "get",
        "/moderation/",
        {"any": MOD_ONLY_PAGE},
    ),
    Row(
        "page: the live queue's rows",
        "page",
        "get",
        "/moderation/queue/rows/",
        {"any": MOD_ONLY_PAGE},
    ),
    Row(
        "page: my data export",
        "page",
        "post",
        "/me/data/export/",
        {"any": "login ✓ ✓ ✓ ✓ ✓ ✓"},
    ),
    # --- The API ---
    Row(
        "API message",
        "api",
        "get",
        "/api/v1/messages/{m}/",
        {"pending": SEEN_PENDING, "public": ALL, "private": SEEN_PRIVATE},
    ),
    Row(
        "API edit (PATCH)",
        "api",
        "patch",
        "/api/v1/messages/{m}/",
        {
            "pending": "login ✓ 404 403 404 404 404",
            "public": "login 409 403 403 403 403 403",
            "private": "login 409 404 403 403 404 403",
        },
        {"title": "The street lamp at the gate is broken"},
    ),
    Row(
        "API withdraw",
        "api",
        "post",
        "/api/v1/messages/{m}/withdraw/",
        {
            "pending": "login ✓ 404 403 404 404 404",
            "public": "login 409 403 403 403 403 403",
            "private": "login 409 404 403 403 404 403",
        },
    ),
    Row(
        "API accept",
        "api",
        "post",
        "/api/v1/messages/{m}/accept/",
        {
            "pending": "login 403 404 403 404 404 404",
            "public": "login 403 403 403 ✓ 403 ✓",
            "private": "login 403 404 403 ✓ 404 ✓",
        },
    ),
    Row(
        "API transfer",
        "api",
        "post",
        "/api/v1/messages/{m}/transfer/",
        {
            "pending": "login 403 404 403 404 404 404",
            "public": "login 403 403 403 ✓ 403 ✓",
            "private": "login 403 404 403 ✓ 404 ✓",
        },
        {"to_official": "{o2}", "reason": "Not ours."},
    ),
    Row(
        "API extend",
        "api",
        "post",
        "/api/v1/messages/{m}/extend/",
        {
            "pending": "login 403 404 403 404 404 404",
            "public": "login 403 403 403 ✓ 403 ✓",
            "private": "login 403 404 403 ✓ 404 ✓",
        },
        {"working_days": 5, "reason": "We need a survey first."},
    ),
    Row(
        "API replies",
        "api",
        "post",
        "/api/v1/messages/{m}/replies/",
        {
            "pending": "login 403 404 403 404 404 404",
            "public": "login 403 403 403 ✓ 403 ✓",
            "private": "login 403 404 403 ✓ 404 ✓",
        },
        {"body": "We have sent a team to look at it.", "final": False},
    ),
    Row(
        "API rating",
        "api",
        "post",
        "/api/v1/messages/{m}/rating/",
        {
            "pending": "login 409 404 403 404 404 404",
            "public": "login 409 403 403 403 403 403",
            "private": "login 409 404 403 403 404 403",
        },
        {"attitude": 5, "speed": 5, "resolved": 5},
    ),
    Row(
        "API follow-ups",
        "api",
        "post",
        "/api/v1/messages/{m}/follow-ups/",
        {
            "pending": "login 409 404 403 404 404 404",
            "public": "login 409 403 403 403 403 403",
            "private": "login 409 404 403 403 404 403",
        },
        {"body": "The lamp broke again, when will it be fixed for good?"},
    ),
    Row(
        "API follow",
        "api",
        "post",
        "/api/v1/messages/{m}/follow/",
        {
            "pending": "login 400 404 400 404 404 404",
            "public": "login ✓ ✓ ✓ ✓ ✓ ✓",
            "private": "login 400 404 400 400 404 400",
        },
    ),
    Row(
        "API unfollow",
        "api",
        "delete",
        "/api/v1/messages/{m}/follow/",
        {
            "pending": "login ✓ 404 ✓ 404 404 404",
            "public": "login ✓ ✓ ✓ ✓ ✓ ✓",
            "private": "login ✓ 404 ✓ ✓ 404 ✓",
        },
    ),
    Row(
        "API report message",
        "api",
        "post",
        "/api/v1/messages/{m}/report/",
        {
            "pending": "login 400 404 400 404 404 404",
            "public": "login 400 ✓ ✓ ✓ ✓ ✓",
            "private": "login 400 404 400 400 404 400",
        },
        {"reason": "Advertising, not a message to an official."},
    ),
    Row(
        "API report reply",
        "api",
        "post",
        "/api/v1/replies/{r}/report/",
        {
            "pending": "login 400 404 400 404 404 404",
            "public": "login ✓ ✓ ✓ 400 ✓ ✓",
            "private": "login 400 404 400 400 404 400",
        },
        {"reason": "Insults the author."},
    ),
    Row(
        "API sign-off",
        "api",
        "post",
        "/api/v1/replies/{d}/sign-off/",
        {
            "pending": "login 404 404 403 404 404 404",
            "public": "login 404 404 403 ✓ 404 403",
            "private": "login 404 404 403 ✓ 404 403",
        },
    ),
    Row(
        "API moderation notes (read)",
        "api",
        "get",
        "/api/v1/moderation/messages/{m}/notes/",
        dict.fromkeys(STATES, "login 403 403 ✓ 403 403 403"),
    ),
    _moderation_api("notes", "✓✓✓", {"body": "Checked with the district office."}),
    _moderation_api("claim", "✓✓✓"),
    _moderation_api("release", "✓✓✓"),
    _moderation_api("approve", ("✓", "409", "409")),
    _moderation_api("reject", ("400", "400", "400")),
    _moderation_api("request-changes", ("400", "400", "400")),
    _moderation_api("redact", "✓✓✓"),
    _moderation_api("duplicate", ("400", "400", "400")),
    _moderation_api("hide", ("400", "400", "400")),
    _moderation_api("restore", ("409", "409", "409")),
    _moderation_api("resolve-reports", ("400", "400", "400")),
    _moderation_api(
        "reply hide",
        ("400", "400", "400"),
        url="/api/v1/moderation/replies/{r}/hide/",
    ),
    _moderation_api(
        "reply restore",
        ("409", "409", "409"),
        url="/api/v1/moderation/replies/{r}/restore/",
    ),
    _moderation_api(
        "reply redact",
        "✓✓✓",
        url="/api/v1/moderation/replies/{r}/redact/",
    ),
    _moderation_api(
        "reply resolve-reports",
        ("400", "400", "400"),
        url="/api/v1/moderation/replies/{r}/resolve-reports/",
    ),
    Row("API message list", "api", "get", "/api/v1/messages/", {"any": ALL}),
    Row(
        "API create message (no input)",
        "api",
        "post",
        "/api/v1/messages/",
        {"any": "login 400 400 403 403 403 403"},
    ),
    Row(
        "API inbox",
        "api",
        "get",
        "/api/v1/inbox/",
        {"any": "login 403 403 403 ✓ ✓ ✓"},
    ),
    Row(
        "API moderation queue",
        "api",
        "get",
        "/api/v1/moderation/queue/",
        {"any": "login 403 403 ✓ 403 403 403"},
    ),
    Row(
        "API moderation bulk (no input)",
        "api",
        "post",
        "/api/v1/moderation/bulk/",
        {"any": "login 403 403 400 403 403 403"},
    ),
    Row(
        "API notifications",
        "api",
        "get",
        "/api/v1/notifications/",
        {"any": "login ✓ ✓ ✓ ✓ ✓ ✓"},
    ),
    Row(
        "API notifications read",
        "api",
        "post",
        "/api/v1/notifications/read/",
        {"any": "login ✓ ✓ ✓ ✓ ✓ ✓"},
        {"ids": []},
    ),
    Row(
        "API me/export",
        "api",
        "get",
        "/api/v1/me/export/",
        {"any": "login ✓ ✓ ✓ ✓ ✓ ✓"},
    ),
    # --- WebSockets ---
    Row(
        "socket: message page",
        "ws",
        "connect",
        "/ws/messages/{m}/",
        {
            "pending": "4404 4404 4404 4404 4404 4404 4404",
            "public": ALL,
            "private": "4404 4404 4404 4404 4404 4404 4404",
        },
    ),
    Row(
        "socket: notifications",
        "ws",
        "connect",
        "/ws/notifications/",
        {"any": "login ✓ ✓ ✓ ✓ ✓ ✓"},
    ),
]


def _cases(kinds):
    for row in MATRIX:
        if row.kind not in kinds:
            continue
        for state, cells in row.cells.items():
            outcomes = cells.split()
            assert len(outcomes) == len(ROLES), (row.name, state)
            expected = dict(zip(ROLES, outcomes, strict=True))
            expected["admin"] = expected["moderator"]
            yield pytest.param(row, state, expected, id=f"{row.name}|{state}")


# --- The world every cell starts from ---


@dataclass
class World:
    users: dict
    ids: dict  # per state: m, d, r, a; and o2


def build_world() -> World:
    handler = HandlerUserFactory()
    department = handler.department
    addressee = OfficialFactory(
        user=UserFactory(official=True),
        region=department.region,
        department=department,
    )
    official2 = OfficialFactory(user=UserFactory(official=True))
    users = {
        "anon": None,
        "author": UserFactory(citizen=True),
        "citizen2": UserFactory(citizen=True),
        "moderator": UserFactory(moderator=True),
        "addressee": addressee.user,
        "official2": official2.user,
        "handler": handler,
        "admin": UserFactory(admin=True),
    }
    common = {
        "author": users["author"],
        "region": addressee.region,
        "addressee_official": addressee,
    }
    messages = {
        "pending": PendingMessageFactory(**common),
        "public": RoutedMessageFactory(**common),
        "private": RoutedMessageFactory(is_public=False, **common),
    }
    ids = {"any": {"o2": official2.pk}}
    for state, message in messages.items():
        draft = ReplyFactory(
            message=message, author=handler, status="draft", is_final=False
        )
        reply = ReplyFactory(message=message, author=addressee.user, is_final=False)
        upload = png_upload()
        with Image.open(upload) as image:
            width, height = image.size
        upload.seek(0)
        photo = MessageAttachment.objects.create(
            message=message,
            image=upload,
            content_type="image/png",
            width=width,
            height=height,
            size=upload.size,
        )
        ids[state] = {
            "m": message.pk,
            "d": draft.pk,
            "r": reply.pk,
            "a": photo.pk,
            "o2": official2.pk,
        }
    return World(users=users, ids=ids)


def _fill(value, ids):
    if isinstance(value, str) and re.fullmatch(r"\{\w+\}", value):
        return ids[value[1:-1]]
    if isinstance(value, str):
        return value.format(**ids)
    return value


def _outcome(row: Row, response, ids, state) -> str:
    """The cell's token for what happened."""
    code = response.status_code
    location = response.get("Location", "") if 300 <= code < 400 else ""
    if row.kind == "page" and location.startswith("/accounts/login/"):
        return "login"
    if row.kind == "api" and code == 401:
        return "login"
    if row.kind == "page" and 300 <= code < 400:
        errors = [
            note
            for note in get_messages(response.wsgi_request)
            if note.level >= constants.ERROR
        ]
        if errors:
            return "flash"
        if row.name == "page: withdraw":
            status = Message.objects.get(pk=ids["m"]).status
            assert status == MessageStatus.WITHDRAWN, status
    if 200 <= code < 400:
        return "✓"
    return str(code)


def _http_cell(row: Row, state: str, role: str, world: World) -> str:
    ids = world.ids[state]
    user = world.users[role]
    url = row.url.format(**ids)
    data = {key: _fill(value, ids) for key, value in row.data.items()}
    if row.kind == "page":
        client = Client()
        if user is not None:
            client.force_login(user)
        response = getattr(client, row.method)(url, data)
    else:
        client = APIClient()
        if user is not None:
            client.force_authenticate(user)
        response = getattr(client, row.method)(url, data, format="json")
    return _outcome(row, response, ids, state)


@pytest.mark.django_db
@pytest.mark.parametrize(("row", "state", "expected"), list(_cases({"page", "api"})))
def test_http_cell(row, state, expected):
    world = build_world()
    got = {}
    for role in CHECKED_ROLES:
        with transaction.atomic():
            got[role] = _http_cell(row, state, role, world)
            transaction.set_rollback(True)
    assert _line(got) == _line(expected)


def _line(cells: dict) -> str:
    """A row's cells in ``CHECKED_ROLES`` order."""
    return " ".join(cells[role] for role in CHECKED_ROLES)


# --- Sockets: a session cookie, as a browser would send it ---

ORIGIN = (b"origin", b"http://127.0.0.1")


def _ws_cell(row: Row, state: str, role: str, world: World) -> str:
    from config.asgi import application

    headers = [ORIGIN]
    user = world.users[role]
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        headers.append((b"cookie", cookie.encode()))
    path = row.url.format(**world.ids[state])

    async def run():
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, code = await communicator.connect()
        if connected:
            await communicator.disconnect()
        return connected, code

    connected, code = async_to_sync(run)()
    if connected:
        return "✓"
    return "login" if code == 4401 else str(code)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("row", "state", "expected"), list(_cases({"ws"})))
def test_socket_cell(row, state, expected):
    world = build_world()
    got = {role: _ws_cell(row, state, role, world) for role in CHECKED_ROLES}
    assert _line(got) == _line(expected)


def test_matrix_covers_every_role_and_state():
    """Every row states an outcome for every role, in every state it has."""
    for row in MATRIX:
        assert set(row.cells) in ({"any"}, set(STATES)), row.name
        for cells in row.cells.values():
            assert len(cells.split()) == len(ROLES), row.name


# --- The table in docs/security.md ---

COLUMNS = (
    "anonymous",
    "author",
    "other citizen",
    "moderator",
    "addressee",
    "other official",
    "dept. staff",
    "admin",
)


PLACEHOLDERS = {"m": "{id}", "d": "{draft}", "r": "{reply}", "a": "{photo}"}


def matrix_markdown() -> str:
    """``MATRIX`` as the table in docs/security.md: one line per row; a cell
    shows pending · public · private where the states differ."""
    lines = [
        "| Action | Endpoint | " + " | ".join(COLUMNS) + " |",
        "|---|---|" + "---|" * len(COLUMNS),
    ]
    for row in MATRIX:
        # The admin column repeats the moderator's, as the tests check.
        per_state = [
            [*row.cells[state].split(), row.cells[state].split()[3]]
            for state in row.cells
        ]
        cells = []
        for outcomes in zip(*per_state, strict=True):
            cells.append(
                outcomes[0] if len(set(outcomes)) == 1 else " · ".join(outcomes)
            )
        method = "WS" if row.kind == "ws" else row.method.upper()
        endpoint = row.url.format(**PLACEHOLDERS)
        lines.append(
            f"| {row.name} | `{method} {endpoint}` | " + " | ".join(cells) + " |"
        )
    return "\n".join(lines) + "\n"


def test_docs_table_is_this_matrix():
    from pathlib import Path

    docs = Path(__file__).resolve().parent.parent / "docs" / "security.md"
    assert matrix_markdown() in docs.read_text(encoding="utf-8")
