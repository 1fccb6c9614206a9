"""The review queues with their bulk decisions, and the queue's health."""

from dataclasses import dataclass

from django.contrib import messages as flash
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from board.errors import BoardError
from board.lifecycle import MessageStatus
from board.models import IntakeChannel, Message, User
from board.selectors import with_card_labels

from .. import forms as moderation_forms
from ..actions import (
    bulk_decide,
)
from ..selectors import (
    QUEUES,
    QueueFilters,
    escalated_messages,
    open_transfer_requests,
    queue_counts,
    queue_health,
    queue_rows_items,
    reason_titles,
    review_deadline,
)
from .common import (
    QUEUE_LABELS,
    QUEUE_PAGE_SIZE,
    claim_holder,
    format_duration,
    moderator_required,
    prescreen_findings,
)


@dataclass
class QueueRow:
    """What moderation/queue_row.html shows of one item, worked out here
    once rather than looked up piece by piece in the template."""

    message: Message
    findings: list[dict]
    holder: User | None
    url: str
    author_name: str
    region_name: str
    category_name: str
    intake_label: str = ""
    select_label: str = ""
    is_selected: bool = False
    waiting: str = ""
    is_overdue: bool = False
    reason_title: str = ""
    open_reports: int = 0

    @property
    def has_badges(self) -> bool:
        return bool(
            self.findings
            or self.message.needs_second_approval
            or self.holder
            or self.reason_title
            or self.open_reports
        )


def _queue_rows(messages, now, deadline, selected=()) -> list[QueueRow]:
    messages = with_card_labels(messages)
    # The reasons' titles are read only for a page that shows one (the
    # rejected and hidden queues).
    titles = (
        reason_titles()
        if any(message.moderation_reason for message in messages)
        else {}
    )
    selected = set(selected)
    rows = []
    for message in messages:
        row = QueueRow(
            message=message,
            findings=prescreen_findings(message),
            holder=claim_holder(message, now),
            url=reverse("moderation:item", args=[message.pk]),
            author_name=message.author.username,
            region_name=message.region_name,
            category_name=message.category_name,
            intake_label=(
                ""
                if message.intake_channel == IntakeChannel.WEB
                else message.get_intake_channel_display()
            ),
            is_selected=str(message.pk) in selected,
            select_label=_("Select %(reference)s") % {"reference": message.reference},
            reason_title=titles.get(message.moderation_reason, ""),
            open_reports=getattr(message, "open_reports", 0),
        )
        if message.status == MessageStatus.PENDING and message.submitted_for_review_at:
            age = now - message.submitted_for_review_at
            row.waiting = format_duration(age)
            row.is_overdue = age > deadline
        rows.append(row)
    return rows


def _queue_filters(form: moderation_forms.QueueFilterForm) -> QueueFilters:
    if not form.is_valid():
        return QueueFilters()
    data = form.cleaned_data
    return QueueFilters(
        region_id=data["region"].pk if data["region"] else None,
        category_id=data["category"].pk if data["category"] else None,
        kind=data["kind"],
        sort=data["sort"] or "oldest",
    )


@moderator_required
def queue(request):
    """The review queues; on the pending one, POST decides a selection."""
    queue_name = request.GET.get("queue", "pending")
    if queue_name not in QUEUES:
        queue_name = "pending"
    bulk_form = moderation_forms.BulkDecisionForm(request.POST or None)
    if request.method == "POST" and bulk_form.is_valid():
        _bulk_decide(request, bulk_form)
        return redirect(request.get_full_path())

    filter_form = moderation_forms.QueueFilterForm(request.GET)
    filters = _queue_filters(filter_form)
    counts = queue_counts()
    paginator = Paginator(queue_rows_items(queue_name, filters), QUEUE_PAGE_SIZE)
    if not (filters.region_id or filters.category_id or filters.kind):
        # Unfiltered, the tab's own count is its badge's: not counted twice.
        paginator.count = counts[queue_name]
    page = paginator.get_page(request.GET.get("page"))
    now = timezone.now()
    deadline = review_deadline()
    query = request.GET.copy()
    query.pop("page", None)
    tabs = []
    for name in QUEUES:
        tab_query = query.copy()
        tab_query["queue"] = name
        tabs.append(
            {
                "name": name,
                "label": QUEUE_LABELS[name],
                "count": counts[name],
                "query": tab_query.urlencode(),
            }
        )
    return render(
        request,
        "moderation/queue.html",
        {
            "queue": queue_name,
            "queue_label": QUEUE_LABELS[queue_name],
            "tabs": tabs,
            "filter_form": filter_form,
            "bulk_form": bulk_form,
            "page": page,
            "rows": _queue_rows(page, now, deadline, request.POST.getlist("messages")),
            "selectable": queue_name == "pending",
            "deadline": format_duration(deadline),
            "query": query.urlencode(),
        },
        status=400 if bulk_form.is_bound else 200,
    )


def _bulk_decide(request, form: moderation_forms.BulkDecisionForm) -> None:
    selected = list(form.cleaned_data["messages"])
    decision = form.cleaned_data["decision"]
    reason = form.cleaned_data["reason"]
    try:
        outcome = bulk_decide(
            messages=selected,
            actor=request.user,
            decision=decision,
            reason=reason.code if reason else "",
            note=form.cleaned_data["note"],
        )
    except BoardError as error:
        flash.error(request, error.message)
        return
    statuses = dict(Message.objects.filter(pk__in=outcome).values_list("pk", "status"))
    done = first_approvals = 0
    for message in selected:
        result = outcome.get(message.pk)
        if result != "ok":
            flash.error(
                request,
                _("%(reference)s was not changed: %(error)s")
                % {"reference": message.reference, "error": result},
            )
        elif decision == "approve" and statuses.get(message.pk) == "pending":
            first_approvals += 1
            flash.info(
                request,
                _(
                    "%(reference)s has its first approval; a second moderator "
                    "must approve it too."
                )
                % {"reference": message.reference},
            )
        else:
            done += 1
    if done:
        text = (
            ngettext(
                "%(count)d item approved and routed.",
                "%(count)d items approved and routed.",
                done,
            )
            if decision == "approve"
            else ngettext("%(count)d item rejected.", "%(count)d items rejected.", done)
        )
        flash.success(request, text % {"count": done})


# --- Dashboard ---


@moderator_required
def dashboard(request):
    health = queue_health()
    now = timezone.now()
    counts = queue_counts()
    return render(
        request,
        "moderation/dashboard.html",
        {
            "health": health,
            "oldest": (
                format_duration(now - health.oldest_submitted_at)
                if health.oldest_submitted_at
                else None
            ),
            "oldest_is_overdue": bool(
                health.oldest_submitted_at
                and now - health.oldest_submitted_at > health.deadline
            ),
            "median": format_duration(health.median_wait_7_days)
            if health.median_wait_7_days is not None
            else None,
            "deadline": format_duration(health.deadline),
            "counts": [
                {"name": name, "label": QUEUE_LABELS[name], "count": counts[name]}
                for name in QUEUES
            ],
            "transfer_requests": open_transfer_requests()[:50],
            "escalated": escalated_messages()[:50],
        },
    )
