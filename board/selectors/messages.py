"""Reads of messages: the public board and its keyset pages, an author's
messages, access checks, the timeline, replies, ratings and follow-ups."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from django.db.models import (
    Model,
    Q,
    QuerySet,
)
from django.http import Http404

from board import filter_choices
from board.ids import parse_id
from board.lifecycle import (
    PUBLIC_STATUSES,
)
from board.models import (
    Category,
    Department,
    FollowUp,
    FollowUpStatus,
    Message,
    MessageFollow,
    Official,
    Rating,
    Region,
    Reply,
    ReplyStatus,
    User,
)
from board.permissions import (
    can_see_hidden_attachments,
    can_view_message,
    is_addressee,
    is_author,
)
from board.roles import is_moderator
from board.selectors.geography import region_descendant_ids
from board.selectors.search import (
    SEARCH_RANKED_LIMIT,
    search_highlight,
    search_messages,
)

BOARD_PAGE_SIZE = 20
# Keyset columns whose cursor value is a timestamp; any other is a number.
DATETIME_KEYS = frozenset({"published_at", "created_at"})


@dataclass(frozen=True)
class BoardFilters:
    region: Region | None = None
    official: Official | None = None
    department: Department | None = None
    category: Category | None = None
    kind: str = ""
    status: str = ""
    # "" (newest first; best match first when searching), "newest",
    # "support" (most 同问 first) or "relevance" (best match first).
    sort: str = ""
    # Words to search for (board/selectors/search.py); "" lists everything.
    q: str = ""

    @cached_property
    def region_ids(self) -> list[int]:
        """The region and everything below it (a query a level), read once
        for the list and its total."""
        return region_descendant_ids(self.region.pk) if self.region else []

    @property
    def is_ranked(self) -> bool:
        """Ordered by relevance: paged by number, not by keyset."""
        return bool(self.q) and self.sort in ("", "relevance")


def message_list_public(*, filters: BoardFilters | None = None) -> QuerySet[Message]:
    """Published messages, newest first, filtered as the board asks."""
    filters = filters or BoardFilters()
    messages = Message.objects.public().with_board_relations()
    if filters.region is not None:
        messages = messages.filter(region_id__in=filters.region_ids)
    if filters.official is not None:
        messages = messages.filter(addressee_official=filters.official)
    if filters.department is not None:
        messages = messages.filter(
            Q(addressee_department=filters.department)
            | Q(addressee_official__department=filters.department)
        )
    if filters.category is not None:
        messages = messages.filter(category=filters.category)
    if filters.kind:
        messages = messages.filter(kind=filters.kind)
    if filters.status and filters.status in PUBLIC_STATUSES:
        messages = messages.filter(status=filters.status)
    if filters.sort == "support":
        messages = messages.order_by("-support_count", "-id")
    else:
        messages = messages.order_by("-published_at", "-id")
    if filters.q:
        order = "relevance" if filters.is_ranked else "keep"
        messages = search_messages(messages, filters.q, order=order, public_only=True)
    return messages


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: str | None


def _sort_key(rows: QuerySet) -> str:
    """The first ordering field of a keyset queryset: its keyset column."""
    return rows.query.order_by[0].lstrip("-")


def encode_cursor(row: Model, key: str = "published_at") -> str:
    return _cursor_of(getattr(row, key), row.pk)


def _cursor_of(value, pk: int) -> str:
    value = value.isoformat() if isinstance(value, datetime) else str(value)
    raw = f"{value}|{pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key: str = "published_at") -> tuple | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = base64.urlsafe_b64decode(padded).decode().split("|")
        if key in DATETIME_KEYS:
            position = datetime.fromisoformat(value)
        else:
            # A count, 0 or more; bounded like an id (board.ids).
            position = 0 if value == "0" else parse_id(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None
    # An id no column holds would overflow the database's comparison.
    pk = parse_id(pk)
    if position is None or pk is None:
        return None
    return position, pk


def board_page(
    messages: QuerySet, *, cursor: str = "", size: int = BOARD_PAGE_SIZE
) -> KeysetPage:
    """One page of the board by keyset, so page 5,000 costs what page 1 does.

    Works for both board orders (newest published first, most 同问 first),
    for an author's messages (newest written first) and for any queryset
    ordered by a descending column and then ``-pk``, or by ``-pk`` alone.
    """
    key = _sort_key(messages)
    items = list(_after_cursor(messages, cursor, key)[: size + 1])
    next_cursor = encode_cursor(items[size - 1], key) if len(items) > size else None
    return KeysetPage(items=items[:size], next_cursor=next_cursor)


def _after_cursor(messages: QuerySet, cursor: str, key: str) -> QuerySet:
    position = decode_cursor(cursor, key) if cursor else None
    if position is None:
        return messages
    value, pk = position
    if key in ("pk", "id"):
        return messages.filter(pk__lt=pk)
    return messages.filter(Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk}))


# Numbered links to the pages after the current one: each costs a page of
# rows more in the page's own query, so only the nearest few are offered.
BOARD_PAGES_AHEAD = 3


@dataclass(frozen=True)
class PageLink:
    number: int
    cursor: str


@dataclass(frozen=True)
class NumberedKeysetPage:
    """A keyset page with numbers for the reader: ``position`` (from the
    link that led here; None when unknown) and links to the next few
    pages, each carrying its keyset cursor."""

    items: list
    next_cursor: str | None
    position: int | None
    later: list[PageLink]


def board_page_numbered(
    messages: QuerySet,
    *,
    cursor: str = "",
    position: int | None = 1,
    size: int = BOARD_PAGE_SIZE,
    ahead: int = BOARD_PAGES_AHEAD,
) -> NumberedKeysetPage:
    """``board_page`` that also gives the cursors of the next ``ahead``
    pages, from the keys of ``size * ahead + 1`` rows. A page's number only travels in
    its link: the keyset cannot say how many rows come before a cursor
    without counting them, so a page reached otherwise is unnumbered."""
    key = _sort_key(messages)
    # Two reads: the keys of every row up to the last page offered (the
    # keyset column and the id, which an index can give alone), then the
    # shown page's rows by id. Read whole, the rows of the pages ahead
    # cost their texts' excerpts and subqueries for nothing.
    keys = list(
        _after_cursor(messages, cursor, key).values_list(key, "pk")[: size * ahead + 1]
    )
    shown_ids = [pk for _value, pk in keys[:size]]
    found = {row.pk: row for row in messages.filter(pk__in=shown_ids)}
    later = []
    for step in range(1, ahead + 1):
        # Page ``step + 1`` starts after row ``step * size``.
        if len(keys) <= step * size:
            break
        later.append(
            PageLink(
                number=position + step if position else 0,
                cursor=_cursor_of(*keys[step * size - 1]),
            )
        )
    return NumberedKeysetPage(
        # A row changed between the two reads (hidden, say) is left out.
        items=[found[pk] for pk in shown_ids if pk in found],
        next_cursor=later[0].cursor if later else None,
        position=position,
        later=later,
    )


# The longest search the board and the API take: a sentence or two.
SEARCH_MAX_LENGTH = 200
# Ranked search results are paged by number, over the newest matches a
# search ranks (SEARCH_RANKED_LIMIT); past them, the newest-first order
# pages through every match.
RANKED_MAX_PAGES = max(1, SEARCH_RANKED_LIMIT // BOARD_PAGE_SIZE)


@dataclass(frozen=True)
class NumberedPage:
    items: list
    number: int
    has_next: bool

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def is_last_ranked(self) -> bool:
        """The last page a relevance order reaches; more may match."""
        return self.number == RANKED_MAX_PAGES


def ranked_page(
    messages: QuerySet, *, number: str | int = 1, size: int = BOARD_PAGE_SIZE
) -> NumberedPage:
    """One page of results in an order no keyset follows (relevance): by
    offset, without counting every match (a common word matches most of
    the board)."""
    number = parse_id(str(number)) or 1
    if number > RANKED_MAX_PAGES:
        # Past what relevance ranks: nothing, rather than some other page.
        return NumberedPage(items=[], number=number, has_next=False)
    start = (number - 1) * size
    items = list(messages[start : start + size + 1])
    return NumberedPage(
        items=items[:size],
        number=number,
        has_next=len(items) > size and number < RANKED_MAX_PAGES,
    )


def with_search_snippets(messages: list[Message], text: str) -> list[Message]:
    """Set ``search_title`` and ``search_snippet`` on each message: what the
    public reads of its title and body (``shown_title``/``shown_body``, so
    never redacted-away text), escaped, with the matched words marked.
    Cards leave the texts unread (``for_cards``): they are read here, once
    for the page."""
    texts = {
        row.pk: row
        for row in Message.objects.filter(
            pk__in=[message.pk for message in messages]
        ).only("title", "body", "is_redacted", "public_title", "public_body")
    }
    for message in messages:
        shown = texts.get(message.pk, message)
        message.search_title = search_highlight(
            shown.shown_title, text, length=Message.TITLE_MAX_LENGTH
        )
        message.search_snippet = search_highlight(shown.shown_body, text)
    return messages


def message_list_of_author(*, author) -> QuerySet[Message]:
    return (
        Message.objects.filter(author=author)
        .with_board_relations()
        .order_by("-created_at", "-id")
    )


def access_message(user, message_id: int, *, to_read: bool = False) -> Message:
    """The message if this user may see it; 404 otherwise, so as not to leak it.

    ``to_read``: the message is shown, not changed (the message page). Of
    its author only what the page shows is read; its region, category and
    addressee come from the rows each process keeps of them
    (board/filter_choices.py) instead of four joins, which cost PostgreSQL
    more to plan than the query costs to run (0.85 ms against 0.2 ms at a
    million messages). Those rows are shared by the process's requests: a
    reader must not change them."""
    kept = to_read and filter_choices.is_keeping()
    messages = Message.objects.select_related("author")
    if to_read:
        messages = messages.defer(*User.fields_besides_public_name("author__"))
    try:
        message = (messages if kept else messages.with_board_relations()).get(
            pk=message_id
        )
        # A row added without a signal (bulk_create) is kept only once the
        # version moves: until then such a message is read with its joins.
        if kept and not _with_kept_relations(message):
            message = messages.with_board_relations().get(pk=message_id)
    except Message.DoesNotExist:
        raise Http404 from None
    if not can_view_message(user, message):
        raise Http404
    return message


def _with_kept_relations(message: Message) -> bool:
    """What ``with_board_relations`` joins, set from the kept rows; False
    (and nothing set) when one of them is not kept."""
    related = {
        "region": filter_choices.rows("message:region", Region.objects.all()).get(
            message.region_id
        ),
        "category": filter_choices.rows("message:category", Category.objects.all()).get(
            message.category_id
        ),
    }
    if message.addressee_official_id is not None:
        related["addressee_official"] = filter_choices.rows(
            "message:official", Official.objects.all()
        ).get(message.addressee_official_id)
    else:
        related["addressee_department"] = filter_choices.rows(
            "message:department", Department.objects.select_related("region")
        ).get(message.addressee_department_id)
    if None in related.values():
        return False
    for name, row in related.items():
        setattr(message, name, row)
    return True


def message_timeline(message: Message, *, with_actors: bool = True):
    """The message's events in order; ``with_actors`` also reads each actor
    and their official profile (the API names an actor's role by it)."""
    events = message.events.order_by("created_at", "pk")
    return events.select_related("actor__official") if with_actors else events


# --- Replies, ratings and follow-ups of one message ---


def message_attachments_visible(user, message: Message) -> QuerySet:
    """The message's own photos the reader may see: a reply's are listed with
    the reply, and a photo a moderator hid is kept for those involved."""
    attachments = message.attachments.filter(reply__isnull=True)
    if not can_see_hidden_attachments(user, message):
        attachments = attachments.filter(is_hidden_from_public=False)
    return attachments


def message_replies_visible(user, message: Message) -> QuerySet[Reply]:
    """Published replies for everyone who may see the message; drafts awaiting
    sign-off only inside the department (its addressee users) and for
    moderators, who alone also see hidden replies."""
    statuses = [ReplyStatus.PUBLISHED]
    if user.is_authenticated:
        if is_moderator(user):
            statuses += [ReplyStatus.DRAFT, ReplyStatus.HIDDEN]
        elif is_addressee(user, message):
            statuses.append(ReplyStatus.DRAFT)
    return (
        message.replies.filter(status__in=statuses)
        .prefetch_related("attachments")
        .order_by("created_at", "pk")
    )


def access_reply(user, reply_id: int) -> Reply:
    """The reply if this user may see it; 404 otherwise, like ``access_message``."""
    message_id = (
        Reply.objects.filter(pk=reply_id).values_list("message_id", flat=True).first()
    )
    if message_id is None:
        raise Http404
    message = access_message(user, message_id)
    reply = message_replies_visible(user, message).filter(pk=reply_id).first()
    if reply is None:
        raise Http404
    return reply


def message_rating(message: Message) -> Rating | None:
    """The latest rating: of the last final reply the author rated."""
    return message.ratings.order_by("-created_at", "-pk").first()


def message_follow_ups_visible(user, message: Message) -> QuerySet[FollowUp]:
    """Reviewed follow-ups for everyone who may see the message; those
    awaiting review or rejected only for their author and moderators."""
    statuses = [FollowUpStatus.APPROVED, FollowUpStatus.ANSWERED]
    if is_author(user, message) or is_moderator(user):
        statuses += [FollowUpStatus.PENDING, FollowUpStatus.REJECTED]
    return message.follow_ups.filter(status__in=statuses).order_by("created_at", "pk")


def is_following(user, message: Message) -> bool:
    """Whether the user has pressed 同问 on this message."""
    if not user.is_authenticated:
        return False
    return MessageFollow.objects.filter(message=message, user=user).exists()


def latest_final_reply(message: Message) -> Reply | None:
    return (
        message.replies.published()
        .filter(is_final=True)
        .order_by("-published_at")
        .first()
    )


# --- The public message page: replies, rating, follow-ups ---


def message_thread(
    message: Message, replies, *, with_drafts: bool = False
) -> list[dict]:
    """Replies and reviewed follow-ups in the order they happened.

    Each reply item knows the replies that correct it; drafts appear only
    when ``with_drafts`` (inside the department).
    """
    shown = [
        reply
        for reply in replies
        if reply.status == ReplyStatus.PUBLISHED
        or (with_drafts and reply.status == ReplyStatus.DRAFT)
    ]
    corrections: dict[int, list[Reply]] = {}
    for reply in shown:
        if reply.corrects_id and reply.status == ReplyStatus.PUBLISHED:
            corrections.setdefault(reply.corrects_id, []).append(reply)
    items = [
        {
            "kind": "reply",
            "reply": reply,
            "at": reply.published_at or reply.created_at,
            "corrections": corrections.get(reply.pk, []),
        }
        for reply in shown
    ]
    items += [
        {"kind": "follow_up", "follow_up": follow_up, "at": follow_up.created_at}
        for follow_up in message.follow_ups.filter(
            status__in=[FollowUpStatus.APPROVED, FollowUpStatus.ANSWERED]
        )
    ]
    return sorted(items, key=lambda item: item["at"])


def message_ratings(message: Message) -> list[Rating]:
    return list(
        message.ratings.filter(reply__status=ReplyStatus.PUBLISHED)
        .select_related("reply")
        .order_by("created_at", "pk")
    )
