"""Reads of the officials' side: the inbox, its counts and due filters."""

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from board import page_cache
from board.deadlines import near_deadline_limit
from board.lifecycle import (
    IN_HANDLING_STATUSES,
    ROUTED_STATUSES,
    MessageStatus,
)
from board.models import (
    Category,
    FollowUp,
    FollowUpStatus,
    Message,
    Official,
    Region,
    Reply,
    ReplyStatus,
)
from board.permissions import (
    is_addressee,
)
from board.roles import Role, has_role
from board.selectors.cards import plain_rows, with_card_labels
from board.selectors.geography import region_descendant_ids
from board.selectors.search import search_messages

# --- The officials' inbox ---

INBOX_DUE_FILTERS = ("overdue", "near")


def _inbox_addressees(user) -> tuple[frozenset[int], frozenset[int]] | None:
    """The officials and departments whose messages reach this user's
    inbox, by id, or None if it has no inbox. See ``inbox_scope``.

    Kept on the user object for the request: the inbox page asks three times
    (its permission, its counts, its order)."""
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_zhitong_inbox_addressees"):
        user._zhitong_inbox_addressees = _read_inbox_addressees(user)
    return user._zhitong_inbox_addressees


def _read_inbox_addressees(user) -> tuple[frozenset[int], frozenset[int]] | None:
    official_ids: set[int] = set()
    department_ids: set[int] = set()
    has_inbox = False
    official = getattr(user, "official", None)
    if official is not None:
        has_inbox = True
        official_ids.add(official.pk)
        if official.department_id is not None:
            department_ids.add(official.department_id)
    if user.department_id is not None and has_role(user, Role.HANDLER):
        has_inbox = True
        # The department's officials by id: an OR across the join to
        # officials could use neither addressee index and read every message.
        department_ids.add(user.department_id)
        official_ids.update(
            Official.objects.filter(department_id=user.department_id).values_list(
                "pk", flat=True
            )
        )
    return (frozenset(official_ids), frozenset(department_ids)) if has_inbox else None


def inbox_scope(user) -> Q | None:
    """Which messages reach this user's inbox, or None if it has no inbox.

    An official gets the messages addressed to them and to their department;
    department staff (handlers) those addressed to their department and to
    its officials. Mirrors ``permissions.is_addressee``.
    """
    addressees = _inbox_addressees(user)
    if addressees is None:
        return None
    scope = Q(pk__in=[])
    for branch in _inbox_branch_scopes(*addressees):
        scope |= branch
    return scope


def _inbox_branch_scopes(official_ids, department_ids) -> list[Q]:
    # A message has exactly one addressee (message_has_exactly_one_addressee),
    # so the branches never share a row.
    branches = []
    if official_ids:
        branches.append(Q(addressee_official_id__in=sorted(official_ids)))
    if department_ids:
        branches.append(Q(addressee_department_id__in=sorted(department_ids)))
    return branches


def _inbox_filtered(
    messages, *, status=None, category=None, region=None, due=None, q=""
) -> QuerySet[Message]:
    messages = messages.filter(status__in=ROUTED_STATUSES)
    if q:
        messages = search_messages(messages, q, order="keep")
    if category is not None:
        messages = messages.filter(category=category)
    if region is not None:
        messages = messages.filter(region_id__in=region_descendant_ids(region.pk))
    if status and status in ROUTED_STATUSES:
        messages = messages.filter(status=status)
    if due in INBOX_DUE_FILTERS:
        messages = messages.filter(_due_filter(due, timezone.localdate()))
    return messages


def _due_filter(due: str, today) -> Q:
    if due == "overdue":
        return Q(status__in=IN_HANDLING_STATUSES, due_date__lt=today)
    return Q(
        status__in=IN_HANDLING_STATUSES,
        due_date__gte=today,
        due_date__lte=near_deadline_limit(today),
    )


def _inbox_branches(user, **filters) -> list[QuerySet[Message]]:
    """The inbox as one queryset per addressee column (see
    ``_inbox_branch_scopes``).

    An OR of the two columns can only be read by a bitmap scan of the table;
    each branch alone is an index-only scan of message_inbox_official or
    message_inbox_department (addressee, status, due date, id).
    """
    addressees = _inbox_addressees(user)
    if addressees is None:
        return []
    return [
        _inbox_filtered(Message.objects.filter(branch), **filters)
        for branch in _inbox_branch_scopes(*addressees)
    ]


def _with_draft_count(messages: QuerySet[Message]) -> QuerySet[Message]:
    # A subquery per row rather than a join to every reply of the inbox,
    # grouped: the page reads 50 rows, not all replies.
    return messages.annotate(
        draft_count=Coalesce(
            Subquery(
                Reply.objects.filter(message=OuterRef("pk"), status=ReplyStatus.DRAFT)
                .order_by()
                .values("message")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        ),
    )


def _handling_rank(today) -> Case:
    return Case(
        When(status__in=IN_HANDLING_STATUSES, due_date__lt=today, then=0),
        When(status__in=IN_HANDLING_STATUSES, then=1),
        default=Value(2),
        output_field=IntegerField(),
    )


def inbox_messages(
    user,
    *,
    status: str | None = None,
    category: Category | None = None,
    region: Region | None = None,
    due: str | None = None,
    q: str = "",
) -> QuerySet[Message]:
    """The messages routed to an official or to department staff.

    Those being handled come first, overdue ones before the rest, each by the
    nearest deadline; answered and closed ones follow. ``due`` narrows to
    "overdue" or "near" (within ZHITONG_NEAR_DEADLINE_WORKING_DAYS) messages.
    Each row carries ``draft_count``: replies awaiting sign-off.
    """
    scope = inbox_scope(user)
    if scope is None:
        return Message.objects.none()
    messages = _inbox_filtered(
        Message.objects.filter(scope),
        status=status,
        category=category,
        region=region,
        due=due,
        q=q,
    )
    return (
        _with_draft_count(messages.with_board_relations())
        .annotate(handling_rank=_handling_rank(timezone.localdate()))
        .order_by("handling_rank", F("due_date").asc(nulls_last=True), "pk")
    )


def inbox_order(
    user,
    *,
    status: str | None = None,
    category: Category | None = None,
    region: Region | None = None,
    due: str | None = None,
    q: str = "",
) -> QuerySet:
    """The ids of ``inbox_messages`` in its order, without the rows: slice
    it to a page and read the page with ``inbox_messages_by_id``.

    Rows of ``(id, handling_rank, due_date)``. Within the messages being
    handled, the nearest deadline first already puts overdue ones (due
    before today) first, so the rank is only "handled or not".
    """
    branches = [
        branch.annotate(
            handling_rank=Case(
                When(status__in=IN_HANDLING_STATUSES, then=0),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by()
        .values_list("pk", "handling_rank", "due_date")
        for branch in _inbox_branches(
            user, status=status, category=category, region=region, due=due, q=q
        )
    ]
    if not branches:
        return Message.objects.none().values_list("pk", "status", "due_date")
    rows = branches[0]
    if len(branches) > 1:
        rows = rows.union(*branches[1:], all=True)
    return rows.order_by("handling_rank", F("due_date").asc(nulls_last=True), "pk")


# What an inbox row shows (board.views.handling._inbox_rows) and its card
# labels and deadline read: a page of 50 reads no other column.
INBOX_ROW_FIELDS = (
    "reference",
    "title",
    "status",
    "kind",
    "category_id",
    "region_id",
    "addressee_official_id",
    "addressee_department_id",
    "is_public",
    "due_date",
    "extended_by_days",
    "extension_reason",
    "escalated_at",
    "last_reply_at",
    "published_at",
    "created_at",
)


def inbox_messages_by_id(ids) -> list:
    """The inbox's messages with these ids, in the order given, each with
    its card's labels (``with_card_labels``) and ``draft_count`` (see
    ``inbox_messages``): plain rows of ``INBOX_ROW_FIELDS`` and ``pk``, read
    as a message's attributes are (``plain_rows``)."""
    ids = list(ids)
    found = {
        row.pk: row
        for row in plain_rows(
            _with_draft_count(Message.objects.filter(pk__in=ids).order_by()).values(
                "id", *INBOX_ROW_FIELDS, "draft_count"
            )
        )
    }
    return with_card_labels(found[pk] for pk in ids if pk in found)


def inbox_counts(user, *, category=None, region=None, q="") -> dict[str, int]:
    """Counts for the inbox filters: per status, in all, overdue and near."""
    return kept_for_inbox(
        user,
        "counts",
        {"category": category, "region": region, "q": q},
        lambda: _count_inbox(user, category=category, region=region, q=q),
    )


def _count_inbox(user, *, category=None, region=None, q="") -> dict[str, int]:
    today = timezone.localdate()
    per_branch = [
        branch.order_by()
        .values("status")
        .annotate(
            count=Count("pk"),
            overdue=Count("pk", filter=_due_filter("overdue", today)),
            near=Count("pk", filter=_due_filter("near", today)),
        )
        .values_list("status", "count", "overdue", "near")
        for branch in _inbox_branches(user, category=category, region=region, q=q)
    ]
    counts = dict.fromkeys([*ROUTED_STATUSES, "overdue", "near"], 0)
    if per_branch:
        # One query; the branches add up because no message is in two.
        rows = per_branch[0]
        if len(per_branch) > 1:
            rows = rows.union(*per_branch[1:], all=True)
        for status, count, overdue, near in rows:
            counts[status] += count
            counts["overdue"] += overdue
            counts["near"] += near
    counts["total"] = sum(counts[status] for status in ROUTED_STATUSES)
    return counts


def inbox_listing(
    user,
    number,
    *,
    per_page: int,
    status: str | None = None,
    category: Category | None = None,
    region: Region | None = None,
    due: str | None = None,
    q: str = "",
) -> tuple[dict[str, int], Page]:
    """The inbox page's counts (``inbox_counts``) and its page ``number`` of
    ``inbox_order``, as the ids of its messages (read them with
    ``inbox_messages_by_id``); a number out of range gives the nearest
    page, as ``Paginator.get_page`` does. Kept together: one trip to the
    cache."""
    filters = {
        "status": status,
        "category": category,
        "region": region,
        "due": due,
        "q": q,
    }

    def read() -> tuple[dict[str, int], int, int, list[int]]:
        counts = _count_inbox(user, category=category, region=region, q=q)
        paginator = Paginator(inbox_order(user, **filters), per_page)
        if not (status and due):
            # The counts hold the length of every list but one narrowed by
            # both a status and a deadline: no second count of the inbox.
            paginator.count = counts[due or status or "total"]
        page = paginator.get_page(number)
        ids = [pk for pk, _rank, _due in page]
        return counts, paginator.count, page.number, ids

    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1  # as get_page answers it, under one key
    counts, count, found_number, ids = kept_for_inbox(
        user, f"listing:{per_page}:{number}", filters, read
    )
    return counts, Page(ids, found_number, Paginator(range(count), per_page))


def kept_for_inbox(user, what: str, filters: dict, compute):
    """``compute()``, kept in the cache (page_cache.cached_data) under the
    versions of every addressee whose messages reach this user's inbox: a
    save of a message with that addressee or of one of its replies, or a
    transfer away from it, moves its version once the transaction commits
    (board/signals.py). ``what`` and ``filters`` name what is kept.
    Also under the reference data's version (a holiday moves "near the
    deadline"), and for today only (what is overdue or near changes at
    midnight). A search is not kept: its documents follow the message
    after the commit, not with it."""
    addressees = _inbox_addressees(user)
    if addressees is None or filters.get("q"):
        return compute()
    official_ids, department_ids = addressees
    names = [
        page_cache.REFERENCE,
        *page_cache.inbox_version_names(official_ids, department_ids),
    ]
    key = "|".join(
        [
            "inbox",
            what,
            # Two readers share a copy only when the same addressees reach
            # them: an official and its department's staff do not.
            ",".join(names),
            timezone.localdate().isoformat(),
            *(
                f"{name}={getattr(value, 'pk', value) or ''}"
                for name, value in sorted(filters.items())
            ),
        ]
    )
    return page_cache.cached_data(names, key, compute)


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


def access_message_for_handling(user, message_id: int) -> Message:
    """A routed message this user handles; 404 for everyone else, so as not
    to tell strangers which messages exist."""
    message = (
        Message.objects.with_board_relations()
        .select_related("author", "addressee_official__department")
        .filter(pk=message_id)
        .first()
    )
    if (
        message is None
        or message.status not in ROUTED_STATUSES
        or not is_addressee(user, message)
    ):
        raise Http404
    return message
