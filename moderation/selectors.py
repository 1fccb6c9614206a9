"""Reads for moderators: queues, counts, queue health, transparency figures."""

import secrets
import statistics
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, NullIf, TruncMonth
from django.http import Http404
from django.utils import timezone

from board import page_cache
from board.lifecycle import PUBLIC_STATUSES, MessageStatus
from board.models import (
    FollowUp,
    FollowUpStatus,
    Message,
    Reply,
    TransferRequest,
    User,
)
from board.roles import is_moderator
from board.selectors import region_descendant_ids, search_messages

from .models import AuditEvent, AuditVerb, ModerationReason, Report

QUEUES = ("pending", "flagged", "followups", "rejected", "hidden")


@dataclass(frozen=True)
class QueueFilters:
    region_id: int | None = None
    category_id: int | None = None
    kind: str = ""
    sort: str = "oldest"  # or "risk": pre-screen findings first
    # Words in the items' text (board/selectors/search.py).
    q: str = ""

    @property
    def is_narrowed(self) -> bool:
        """Fewer items than the queue's count: counted on their own."""
        return bool(self.region_id or self.category_id or self.kind or self.q)


def _queue_base(queue: str) -> QuerySet[Message]:
    messages = Message.objects.all()
    if queue == "pending":
        return messages.filter(status=MessageStatus.PENDING)
    if queue == "flagged":
        # A union of two small partial indexes (message_flagged,
        # reply_flagged): "flagged or has a flagged reply" written as one
        # OR across the join reads every message and reply.
        flagged = (
            Message.objects.filter(flagged_at__isnull=False)
            .order_by()
            .values("pk")
            .union(
                Reply.objects.filter(flagged_at__isnull=False)
                .order_by()
                .values("message_id")
            )
        )
        return messages.filter(pk__in=flagged, status__in=PUBLIC_STATUSES)
    if queue == "followups":
        # A semi-join on follow_up_open: joined and made DISTINCT, every
        # column of each message was compared to count the queue.
        pending = FollowUp.objects.filter(status=FollowUpStatus.PENDING)
        return messages.filter(pk__in=pending.values("message_id"))
    if queue == "rejected":
        return messages.filter(status=MessageStatus.REJECTED)
    if queue == "hidden":
        return messages.filter(status=MessageStatus.HIDDEN)
    raise ValueError(queue)


def queue_items(queue: str, filters: QueueFilters | None = None) -> QuerySet[Message]:
    filters = filters or QueueFilters()
    # The people are fetched for the page's rows only: joined, they would be
    # joined to every message of the queue before the sort picks a page.
    messages = (
        _queue_base(queue)
        .select_related(
            "region",
            "category",
            "addressee_official",
            "addressee_department__region",
        )
        .prefetch_related("author", "claimed_by")
    )
    if filters.region_id:
        messages = messages.filter(
            region_id__in=region_descendant_ids(filters.region_id)
        )
    if filters.category_id:
        messages = messages.filter(category_id=filters.category_id)
    if filters.kind:
        messages = messages.filter(kind=filters.kind)
    if filters.q:
        messages = search_messages(messages, filters.q, order="keep")
    if queue == "pending":
        order = ["submitted_for_review_at", "pk"]
        if filters.sort == "risk":
            order = ["-needs_second_approval", "-prescreen_score", *order]
        return messages.order_by(*order)
    if queue == "flagged":
        # A subquery per row, not a join to the reports grouped by message.
        open_reports = (
            Report.objects.filter(message=OuterRef("pk"), resolved_at__isnull=True)
            .order_by()
            .values("message")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return messages.annotate(
            open_reports=Coalesce(Subquery(open_reports), 0)
        ).order_by("flagged_at", "pk")
    return messages.order_by(F("reviewed_at").desc(nulls_last=True), "-updated_at")


def queue_rows_items(queue: str, filters: QueueFilters | None = None) -> QuerySet:
    """``queue_items`` as the queue page's rows read them
    (moderation/queue_row.html): the values of ``QUEUE_ROW_FIELDS`` and
    ``id``, the author's username (``author_username``), the claim's
    holder as a reader sees the name (``claim_holder_name``; "" for a
    deleted account), and ``open_reports`` on the flagged queue. Turn a
    page of them into rows with ``board.selectors.plain_rows``; the
    region's and category's names come from ``with_card_labels``."""
    # Only the columns a row shows, of the message's fifty, and no model
    # instances. The names are a subquery per row shown, on the user's
    # primary key: joined, the author would be read for every message of
    # the queue.
    messages = (
        queue_items(queue, filters)
        .select_related(None)
        .prefetch_related(None)
        .annotate(
            author_username=Subquery(
                User.objects.filter(pk=OuterRef("author_id")).values("username")[:1]
            ),
            claim_holder_name=Subquery(
                User.objects.filter(pk=OuterRef("claimed_by_id"), deleted_at=None)
                .annotate(shown=Coalesce(NullIf("display_name", Value("")), "username"))
                .values("shown")[:1]
            ),
        )
    )
    extra = ["open_reports"] if "open_reports" in messages.query.annotations else []
    return messages.values(
        "id", *QUEUE_ROW_FIELDS, "author_username", "claim_holder_name", *extra
    )


# What moderation/views/queue.py's rows and with_card_labels read.
QUEUE_ROW_FIELDS = (
    "reference",
    "title",
    "status",
    "kind",
    "region_id",
    "category_id",
    "addressee_official_id",
    "addressee_department_id",
    "author_id",
    "intake_channel",
    "is_public",
    "created_at",
    "published_at",
    "submitted_for_review_at",
    "needs_second_approval",
    "first_approved_by_id",
    "moderation_reason",
    "prescreen_flags",
    "claimed_by_id",
    "claim_expires_at",
)


# The queues' sizes (every moderation page's tab badges, the dashboard, the
# API's ``counts``) are kept in the cache (Redis in production, local memory
# embedded) with the *version* they were counted under; a save or delete of
# what decides a queue's members (a message's status or flag, a reply's
# flag, a follow-up, a report: moderation/signals.py) gives the version a
# new value once its transaction commits, so the next reader counts afresh.
# A reader before the commit still counts the old rows and keeps them under
# the old version. ``QuerySet.update()`` and bulk loads send no signal:
# what they change shows after ``QUEUE_COUNTS_CACHE_SECONDS``.
QUEUE_COUNTS_VERSION_KEY = "moderation:queue-counts:version"
QUEUE_COUNTS_KEY = "moderation:queue-counts"
QUEUE_COUNTS_CACHE_SECONDS = 10 * 60
# The version outlives the counts; a version the cache dropped is replaced
# by a new one, which only costs a miss.
QUEUE_COUNTS_VERSION_TTL_SECONDS = 7 * 24 * 60 * 60


def _count_queues() -> dict[str, int]:
    return {queue: _queue_base(queue).count() for queue in QUEUES}


def queue_counts() -> dict[str, int]:
    """The number of items in each queue, exact after any committed change."""
    if connection.in_atomic_block:
        # Inside a transaction the counts may include its own uncommitted
        # changes, which the kept copy lacks (the version moves only at
        # commit): such a reader counts for itself and keeps nothing.
        return _count_queues()
    found = cache.get_many([QUEUE_COUNTS_VERSION_KEY, QUEUE_COUNTS_KEY])
    version = found.get(QUEUE_COUNTS_VERSION_KEY)
    kept = found.get(QUEUE_COUNTS_KEY)
    if version is not None and kept is not None and kept[0] == version:
        return dict(kept[1])
    if version is None:
        version = secrets.token_hex(6)
        # add(): two first readers must not both set a version.
        if not cache.add(
            QUEUE_COUNTS_VERSION_KEY, version, QUEUE_COUNTS_VERSION_TTL_SECONDS
        ):
            version = cache.get(QUEUE_COUNTS_VERSION_KEY, version)
    counts = _count_queues()
    cache.set(QUEUE_COUNTS_KEY, (version, counts), QUEUE_COUNTS_CACHE_SECONDS)
    return counts


def _new_queue_counts_version() -> None:
    cache.set(
        QUEUE_COUNTS_VERSION_KEY,
        secrets.token_hex(6),
        QUEUE_COUNTS_VERSION_TTL_SECONDS,
    )


def queue_counts_changed() -> None:
    """A queue may have gained or lost an item: its size is counted afresh
    once the current transaction commits (at once outside one)."""
    transaction.on_commit(_new_queue_counts_version)


# The queue page's rows (moderation/views/queue.py, ``_shown_page``) are
# kept under this page-cache version (board/page_cache.py): a save of a
# message, a report, a follow-up or a reply, and the claims' own updates,
# move it once their transaction commits (moderation/signals.py,
# ``queue_rows_changed``).
QUEUE_ROWS_VERSION = "moderation:queue-rows"


def queue_rows_changed() -> None:
    """Something a queue's row shows may have changed."""
    page_cache.bump(QUEUE_ROWS_VERSION)


def access_message_for_moderation(user, message_id: int) -> Message:
    if not is_moderator(user):
        raise Http404
    try:
        return Message.objects.select_related(
            "region",
            "category",
            "author",
            "claimed_by",
            "first_approved_by",
            "addressee_official",
            "addressee_department__region",
            "duplicate_of",
        ).get(pk=message_id)
    except Message.DoesNotExist:
        raise Http404 from None


def review_deadline() -> timedelta:
    return timedelta(hours=settings.ZHITONG_REVIEW_DEADLINE_HOURS)


def open_reports(message: Message) -> QuerySet[Report]:
    return message.reports.filter(
        reply__isnull=True, resolved_at__isnull=True
    ).select_related("reporter")


@dataclass(frozen=True)
class QueueHealth:
    waiting: int
    oldest_submitted_at: object
    median_wait_7_days: timedelta | None
    over_deadline: int
    deadline: timedelta

    @property
    def is_behind(self) -> bool:
        return self.over_deadline > 0


def _pending_over_deadline(now, deadline):
    return Message.objects.filter(
        status=MessageStatus.PENDING, submitted_for_review_at__lte=now - deadline
    )


def queue_is_behind(now=None) -> bool:
    """``queue_health().is_behind`` without the health's other figures: one
    probe of the review queue's index, for the notice every page asks about."""
    return _pending_over_deadline(now or timezone.now(), review_deadline()).exists()


def queue_health(now=None) -> QueueHealth:
    now = now or timezone.now()
    deadline = review_deadline()
    pending = Message.objects.filter(status=MessageStatus.PENDING)
    oldest = pending.order_by("submitted_for_review_at").values_list(
        "submitted_for_review_at", flat=True
    )[:1]
    waits = list(
        Message.objects.filter(
            reviewed_at__gte=now - timedelta(days=7),
            submitted_for_review_at__isnull=False,
        ).values_list("submitted_for_review_at", "reviewed_at")[:20000]
    )
    median = (
        statistics.median(reviewed - submitted for submitted, reviewed in waits)
        if waits
        else None
    )
    return QueueHealth(
        # The pending queue's size, kept (queue_counts), not counted again.
        waiting=queue_counts()["pending"],
        oldest_submitted_at=oldest[0] if oldest else None,
        median_wait_7_days=median,
        over_deadline=_pending_over_deadline(now, deadline).count(),
        deadline=deadline,
    )


def moderation_transparency(months: int = 12) -> list[dict]:
    """Per month: received, published, rejected and hidden by reason, median review."""
    since = timezone.now() - timedelta(days=31 * months)
    rows: dict = {}

    def row(month):
        return rows.setdefault(
            month,
            {
                "month": month,
                "received": 0,
                "published": 0,
                "rejected": {},
                "hidden": {},
                "median_review": None,
            },
        )

    received = (
        Message.objects.filter(created_at__gte=since)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("id"))
    )
    for item in received:
        row(item["month"])["received"] = item["count"]
    published = (
        Message.objects.filter(published_at__gte=since)
        .annotate(month=TruncMonth("published_at"))
        .values("month")
        .annotate(count=Count("id"))
    )
    for item in published:
        row(item["month"])["published"] = item["count"]
    decisions = (
        AuditEvent.objects.filter(
            created_at__gte=since,
            verb__in=[AuditVerb.REJECTED, AuditVerb.HIDDEN, AuditVerb.MARKED_DUPLICATE],
        )
        .annotate(month=TruncMonth("created_at"))
        .values_list("month", "verb", "extra")
    )
    for month, verb, extra in decisions:
        new = (extra or {}).get("new", {})
        code = new.get("reason", "other")
        if verb == AuditVerb.MARKED_DUPLICATE:
            bucket = (
                "hidden" if new.get("status") == MessageStatus.HIDDEN else "rejected"
            )
        else:
            bucket = "rejected" if verb == AuditVerb.REJECTED else "hidden"
        counts = row(month)[bucket]
        counts[code] = counts.get(code, 0) + 1
    review_times: dict = {}
    for month, submitted, reviewed in (
        Message.objects.filter(
            reviewed_at__gte=since, submitted_for_review_at__isnull=False
        )
        .annotate(month=TruncMonth("reviewed_at"))
        .values_list("month", "submitted_for_review_at", "reviewed_at")
        .iterator()
    ):
        review_times.setdefault(month, []).append(reviewed - submitted)
    for month, times in review_times.items():
        row(month)["median_review"] = statistics.median(times)
    return sorted(rows.values(), key=lambda item: item["month"], reverse=True)


def reason_titles() -> dict[str, str]:
    return {
        reason.code: reason.display_title for reason in ModerationReason.objects.all()
    }


def pending_follow_ups(message: Message):
    return message.follow_ups.filter(status=FollowUpStatus.PENDING)


def open_transfer_requests() -> QuerySet[TransferRequest]:
    return TransferRequest.objects.filter(
        status=TransferRequest.Status.OPEN
    ).select_related("message", "requested_by", "to_official", "to_department__region")


def escalated_messages() -> QuerySet[Message]:
    """Overdue messages escalated (督办): shown on the moderators' dashboard."""
    return (
        Message.objects.filter(
            escalated_at__isnull=False, status__in=["published", "accepted"]
        )
        .select_related("addressee_official", "addressee_department__region")
        .order_by("due_date")
    )


def reports_made_by(user) -> list[dict]:
    """The reports a user made, for the download of their data: what they
    wrote and how it ended, nothing of the moderators' side."""
    return [
        {
            "message_id": report.message_id,
            "reference": report.message.reference,
            "reply_id": report.reply_id,
            "reason": report.reason,
            "created": report.created_at.isoformat(),
            "resolved": report.resolved_at.isoformat() if report.resolved_at else None,
            "resolution": report.resolution,
        }
        for report in Report.objects.filter(reporter=user)
        .select_related("message")
        .order_by("created_at", "pk")
    ]
