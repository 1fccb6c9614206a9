"""Reads: every query the views and the API make lives here."""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone

from .deadlines import add_working_days
from .lifecycle import (
    IN_HANDLING_STATUSES,
    PUBLIC_STATUSES,
    ROUTED_STATUSES,
    MessageStatus,
)
from .models import (
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
)
from .permissions import can_view_message, is_addressee
from .roles import Role, has_role, is_moderator

BOARD_PAGE_SIZE = 20


def region_ancestor_ids(region: Region) -> list[int]:
    """The region and every region above it (the province is last)."""
    ids = []
    current = region
    while current is not None:
        ids.append(current.pk)
        current = current.parent
    return ids


def region_descendant_ids(region_id: int) -> list[int]:
    """The region and everything below it; regions are few, levels three."""
    ids = [region_id]
    frontier = [region_id]
    while frontier:
        frontier = list(
            Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def region_parent_map() -> dict[int, int | None]:
    return dict(Region.objects.values_list("pk", "parent_id"))


@dataclass(frozen=True)
class BoardFilters:
    region: Region | None = None
    official: Official | None = None
    department: Department | None = None
    category: Category | None = None
    kind: str = ""
    status: str = ""
    # "" (newest first) or "support": most 同问 first.
    sort: str = ""


def message_list_public(*, filters: BoardFilters | None = None) -> QuerySet[Message]:
    """Published messages, newest first, filtered as the board asks."""
    filters = filters or BoardFilters()
    messages = Message.objects.public().with_board_relations()
    if filters.region is not None:
        messages = messages.filter(
            region_id__in=region_descendant_ids(filters.region.pk)
        )
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
        return messages.order_by("-support_count", "-id")
    return messages.order_by("-published_at", "-id")


@dataclass(frozen=True)
class KeysetPage:
    items: list
    next_cursor: str | None


def _sort_key(messages: QuerySet[Message]) -> str:
    """The first ordering field of a board queryset: its keyset column."""
    return messages.query.order_by[0].lstrip("-")


def encode_cursor(message: Message, key: str = "published_at") -> str:
    value = getattr(message, key)
    value = value.isoformat() if isinstance(value, datetime) else str(value)
    raw = f"{value}|{message.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, key: str = "published_at") -> tuple | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        value, pk = base64.urlsafe_b64decode(padded).decode().split("|")
        if key == "published_at":
            return datetime.fromisoformat(value), int(pk)
        return int(value), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def board_page(
    messages: QuerySet[Message], *, cursor: str = "", size: int = BOARD_PAGE_SIZE
) -> KeysetPage:
    """One page of the board by keyset, so page 5,000 costs what page 1 does.

    Works for both board orders: newest published first, and most 同问 first.
    """
    key = _sort_key(messages)
    position = decode_cursor(cursor, key) if cursor else None
    if position is not None:
        value, pk = position
        messages = messages.filter(
            Q(**{f"{key}__lt": value}) | Q(**{key: value, "pk__lt": pk})
        )
    items = list(messages[: size + 1])
    next_cursor = encode_cursor(items[size - 1], key) if len(items) > size else None
    return KeysetPage(items=items[:size], next_cursor=next_cursor)


def message_list_of_author(*, author) -> QuerySet[Message]:
    return (
        Message.objects.filter(author=author)
        .with_board_relations()
        .order_by("-created_at", "-id")
    )


def access_message(user, message_id: int) -> Message:
    """The message if this user may see it; 404 otherwise, so as not to leak it."""
    try:
        message = (
            Message.objects.with_board_relations()
            .select_related("author")
            .get(pk=message_id)
        )
    except Message.DoesNotExist:
        raise Http404 from None
    if not can_view_message(user, message):
        raise Http404
    return message


def message_timeline(message: Message):
    return message.events.select_related("actor").order_by("created_at", "pk")


def official_message_counts(official: Official) -> dict[str, int]:
    """How many public messages an official has, per public status and in all."""
    rows = (
        Message.objects.public()
        .filter(addressee_official=official)
        .values("status")
        .annotate(count=Count("id"))
    )
    counts = {row["status"]: row["count"] for row in rows}
    counts["total"] = sum(counts.values())
    return counts


def officials_for_compose() -> QuerySet[Official]:
    return Official.objects.filter(is_active=True).select_related(
        "region", "department"
    )


# --- The officials' inbox ---

INBOX_DUE_FILTERS = ("overdue", "near")


def inbox_scope(user) -> Q | None:
    """Which messages reach this user's inbox, or None if it has no inbox.

    An official gets the messages addressed to them and to their department;
    department staff (handlers) those addressed to their department and to
    its officials. Mirrors ``permissions.is_addressee``.
    """
    if not user.is_authenticated:
        return None
    scope = Q(pk__in=[])
    has_inbox = False
    official = getattr(user, "official", None)
    if official is not None:
        has_inbox = True
        scope |= Q(addressee_official=official)
        if official.department_id is not None:
            scope |= Q(addressee_department_id=official.department_id)
    if user.department_id is not None and has_role(user, Role.HANDLER):
        has_inbox = True
        scope |= Q(addressee_department_id=user.department_id) | Q(
            addressee_official__department_id=user.department_id
        )
    return scope if has_inbox else None


def _inbox_base(user, *, category=None, region=None) -> QuerySet[Message]:
    scope = inbox_scope(user)
    if scope is None:
        return Message.objects.none()
    messages = Message.objects.filter(scope, status__in=ROUTED_STATUSES)
    if category is not None:
        messages = messages.filter(category=category)
    if region is not None:
        messages = messages.filter(region_id__in=region_descendant_ids(region.pk))
    return messages


def _near_deadline_limit(today):
    return add_working_days(today, settings.ZHITONG_NEAR_DEADLINE_WORKING_DAYS)


def inbox_messages(
    user,
    *,
    status: str | None = None,
    category: Category | None = None,
    region: Region | None = None,
    due: str | None = None,
) -> QuerySet[Message]:
    """The messages routed to an official or to department staff.

    Those being handled come first, overdue ones before the rest, each by the
    nearest deadline; answered and closed ones follow. ``due`` narrows to
    "overdue" or "near" (within ZHITONG_NEAR_DEADLINE_WORKING_DAYS) messages.
    Each row carries ``draft_count``: replies awaiting sign-off.
    """
    today = timezone.localdate()
    messages = _inbox_base(user, category=category, region=region)
    if status and status in ROUTED_STATUSES:
        messages = messages.filter(status=status)
    if due == "overdue":
        messages = messages.filter(status__in=IN_HANDLING_STATUSES, due_date__lt=today)
    elif due == "near":
        messages = messages.filter(
            status__in=IN_HANDLING_STATUSES,
            due_date__gte=today,
            due_date__lte=_near_deadline_limit(today),
        )
    return (
        messages.with_board_relations()
        .annotate(
            handling_rank=Case(
                When(status__in=IN_HANDLING_STATUSES, due_date__lt=today, then=0),
                When(status__in=IN_HANDLING_STATUSES, then=1),
                default=Value(2),
                output_field=IntegerField(),
            ),
            draft_count=Count(
                "replies", filter=Q(replies__status=ReplyStatus.DRAFT), distinct=True
            ),
        )
        .order_by("handling_rank", F("due_date").asc(nulls_last=True), "pk")
    )


def inbox_counts(user, *, category=None, region=None) -> dict[str, int]:
    """Counts for the inbox filters: per status, in all, overdue and near."""
    today = timezone.localdate()
    messages = _inbox_base(user, category=category, region=region)
    counts = {status: 0 for status in ROUTED_STATUSES}
    for row in messages.values("status").annotate(count=Count("id")):
        counts[row["status"]] = row["count"]
    counts["total"] = sum(counts.values())
    handling = messages.filter(status__in=IN_HANDLING_STATUSES)
    counts.update(
        handling.aggregate(
            overdue=Count("id", filter=Q(due_date__lt=today)),
            near=Count(
                "id",
                filter=Q(
                    due_date__gte=today, due_date__lte=_near_deadline_limit(today)
                ),
            ),
        )
    )
    return counts


def inbox_items(
    user,
    *,
    status: str | None = None,
    category: Category | None = None,
    region: Region | None = None,
) -> QuerySet[Message]:
    """The inbox as the API lists it, in the order of ``inbox_messages``.

    Published, accepted and replied messages; closed ones only when
    ``status`` asks for them. Each row carries ``has_pending_follow_up``: a
    reviewed follow-up question (追问) awaits the addressee's answer.
    """
    messages = inbox_messages(user, status=status, category=category, region=region)
    if not status:
        messages = messages.exclude(status=MessageStatus.CLOSED)
    return messages.annotate(
        has_pending_follow_up=Exists(
            FollowUp.objects.filter(
                message=OuterRef("pk"), status=FollowUpStatus.APPROVED
            )
        )
    )


# --- Replies, ratings and follow-ups of one message ---


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
    if user.is_authenticated and (message.author_id == user.pk or is_moderator(user)):
        statuses += [FollowUpStatus.PENDING, FollowUpStatus.REJECTED]
    return message.follow_ups.filter(status__in=statuses).order_by("created_at", "pk")


def is_following(user, message: Message) -> bool:
    """Whether the user has pressed 同问 on this message."""
    if not user.is_authenticated:
        return False
    return MessageFollow.objects.filter(message=message, user=user).exists()
