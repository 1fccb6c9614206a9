"""Reads of the officials' side: the inbox, its counts and due filters."""

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
from board.selectors.geography import region_descendant_ids

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
        # The department's officials by id: an OR across the join to
        # officials could use neither addressee index and read every message.
        official_ids = Official.objects.filter(
            department_id=user.department_id
        ).values_list("pk", flat=True)
        scope |= Q(addressee_department_id=user.department_id) | Q(
            addressee_official_id__in=list(official_ids)
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
            due_date__lte=near_deadline_limit(today),
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
            # A subquery per row rather than a join to every reply of the
            # inbox, grouped: the page reads 50 rows, not all replies.
            draft_count=Coalesce(
                Subquery(
                    Reply.objects.filter(
                        message=OuterRef("pk"), status=ReplyStatus.DRAFT
                    )
                    .order_by()
                    .values("message")
                    .annotate(count=Count("pk"))
                    .values("count")
                ),
                0,
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
                filter=Q(due_date__gte=today, due_date__lte=near_deadline_limit(today)),
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
