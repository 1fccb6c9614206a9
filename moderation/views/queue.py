"""The review queues with their bulk decisions, their live rows, and the
queue's health."""

import functools
from dataclasses import dataclass

from django.contrib import messages as flash
from django.core.paginator import Page, Paginator
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from board.errors import BoardError
from board.lifecycle import MessageStatus
from board.models import IntakeChannel, Message, User
from board.page_cache import REFERENCE, cached_data, rendered_rows
from board.selectors import plain_rows, with_card_labels

from .. import forms as moderation_forms
from ..actions import (
    bulk_decide,
)
from ..selectors import (
    QUEUE_ROWS_VERSION,
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
    format_duration,
    moderator_required,
    prescreen_findings,
)

# Ids one live request may ask about: a page's worth and some.
LIVE_ROWS_LIMIT = 100


def _queue_rows(messages, now, deadline, selected=()) -> list[dict]:
    """What moderation/queue_row.html shows of each item, as plain data: the
    row template reads nothing else, so that a row whose data is unchanged
    comes from the cache (page_cache.rendered_rows)."""
    messages = with_card_labels(messages)
    # The reasons' titles are read only for a page that shows one (the
    # rejected and hidden queues).
    titles = (
        reason_titles()
        if any(message.moderation_reason for message in messages)
        else {}
    )
    selected = set(selected)
    # One reverse() for fifty links.
    item_url = reverse("moderation:item", args=[1]).removesuffix("1/")
    rows = []
    for message in messages:
        holder = ""
        # Message.has_live_claim, on a plain row.
        if (
            message.claimed_by_id is not None
            and message.claim_expires_at is not None
            and message.claim_expires_at > now
        ):
            holder = message.claim_holder_name or User.deleted_name()
        findings = [
            {
                "code": finding["code"],
                "label": str(finding["label"]),
                "detail": finding["detail"],
            }
            for finding in prescreen_findings(message)
        ]
        waiting, is_overdue = "", False
        if message.status == MessageStatus.PENDING and message.submitted_for_review_at:
            age = now - message.submitted_for_review_at
            waiting, is_overdue = format_duration(age), age > deadline
        second_approval = ""
        if message.needs_second_approval:
            second_approval = (
                _("1 of 2 approvals")
                if message.first_approved_by_id
                else _("Needs 2 approvals")
            )
        row = {
            "pk": message.pk,
            "dom_id": f"queue-item-{message.pk}",
            "reference": message.reference,
            "title": message.title,
            "url": f"{item_url}{message.pk}/",
            "status": message.status,
            "status_label": (
                message.status_label if message.status != MessageStatus.PENDING else ""
            ),
            "kind_label": message.kind_label,
            "author_name": message.author_username,
            "region_name": message.region_name,
            "category_name": message.category_name,
            "intake_label": (
                ""
                if message.intake_channel == IntakeChannel.WEB
                else str(IntakeChannel(message.intake_channel).label)
            ),
            "is_public": message.is_public,
            "is_selected": str(message.pk) in selected,
            "waiting": waiting,
            "is_overdue": is_overdue,
            "findings": findings,
            "second_approval": second_approval,
            "reason_title": str(titles.get(message.moderation_reason, "")),
            "open_reports": getattr(message, "open_reports", 0),
            "holder": holder,
            "claim_until": (
                timezone.localtime(message.claim_expires_at).strftime("%H:%M")
                if holder
                else ""
            ),
        }
        row["has_badges"] = bool(
            findings
            or second_approval
            or row["holder"]
            or row["reason_title"]
            or row["open_reports"]
        )
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
        q=data["q"],
    )


@dataclass(frozen=True)
class QueueView:
    """One queue as the page's query asks for it: tab, filters and page."""

    name: str
    filter_form: moderation_forms.QueueFilterForm
    filters: QueueFilters
    counts: dict[str, int]
    page_number: str | None

    @functools.cached_property
    def page(self) -> Page:
        """The page asked for, its items as plain rows (read when first asked:
        the queue page may have it kept, ``_shown_page``)."""
        paginator = Paginator(
            queue_rows_items(self.name, self.filters), QUEUE_PAGE_SIZE
        )
        if not self.filters.is_narrowed:
            # Unfiltered, the tab's own count is its badge's: not counted twice.
            paginator.count = self.counts[self.name]
        page = paginator.get_page(self.page_number)
        page.object_list = plain_rows(page.object_list)
        return page


def _queue_view(request) -> QueueView:
    queue_name = request.GET.get("queue", "pending")
    if queue_name not in QUEUES:
        queue_name = "pending"
    filter_form = moderation_forms.QueueFilterForm(request.GET)
    filters = _queue_filters(filter_form)
    return QueueView(
        name=queue_name,
        filter_form=filter_form,
        filters=filters,
        counts=queue_counts(),
        page_number=request.GET.get("page"),
    )


def _render_rows(queue_name: str, rows: list[dict], deadline) -> list[str]:
    return rendered_rows(
        "moderation/queue_row.html",
        rows,
        selectable=queue_name == "pending",
        deadline=format_duration(deadline),
    )


def _shown_page(request, view: QueueView, now, deadline, selected) -> tuple:
    """The page the queue shows, its rows (``_queue_rows``) as its items,
    and their HTML.

    Kept (page_cache.cached_data) for the minute (a wait is shown to the
    minute, a claim lasts until one) under the version of the queues' rows,
    which moves whenever something a row shows may change
    (moderation/signals.py, and the claims' own updates), and of the
    reference data (names, reasons): a page of fifty moderators keep
    reloading is then read once. A search, and a refused selection shown
    again, are not kept."""

    def read() -> tuple[int, int, list[dict], list[str]]:
        page = view.page
        rows = _queue_rows(page.object_list, now, deadline, selected)
        html = [str(row) for row in _render_rows(view.name, rows, deadline)]
        return page.paginator.count, page.number, rows, html

    if selected or view.filters.q:
        count, number, rows, html = read()
    else:
        key = "|".join(
            [
                "moderation-queue",
                view.name,
                repr(view.filters),
                request.GET.get("page", ""),
                get_language() or "",
                now.strftime("%Y-%m-%dT%H:%M"),
            ]
        )
        count, number, rows, html = cached_data(
            [QUEUE_ROWS_VERSION, REFERENCE], key, read
        )
    page = Page(rows, number, Paginator(range(count), QUEUE_PAGE_SIZE))
    # Our own template's HTML, kept as text.
    return page, [mark_safe(row) for row in html]  # noqa: S308


@moderator_required
def queue(request):
    """The review queues; on the pending one, POST decides a selection."""
    bulk_form = moderation_forms.BulkDecisionForm(request.POST or None)
    if request.method == "POST" and bulk_form.is_valid():
        _bulk_decide(request, bulk_form)
        return redirect(request.get_full_path())

    view = _queue_view(request)
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
                "count": view.counts[name],
                "query": tab_query.urlencode(),
            }
        )
    page, rows_html = _shown_page(
        request, view, now, deadline, request.POST.getlist("messages")
    )
    return render(
        request,
        "moderation/queue.html",
        {
            "queue": view.name,
            "queue_label": QUEUE_LABELS[view.name],
            "tabs": tabs,
            "filter_form": view.filter_form,
            "bulk_form": bulk_form,
            "page": page,
            "rows": page.object_list,
            "rows_html": rows_html,
            "selectable": view.name == "pending",
            "deadline": format_duration(deadline),
            "query": query.urlencode(),
            "live_url": reverse("moderation:queue_rows"),
        },
        status=400 if bulk_form.is_bound else 200,
    )


@require_GET
@moderator_required
def queue_rows(request):
    """What the open queue page needs after queue events (static/js/
    moderation.js): every tab's count, the list's count, and for each asked
    message its row as the page renders it, or where it is instead. The
    page sends its own query (tab, filters, page) and ``message`` ids."""
    try:
        message_ids = {int(value) for value in request.GET.getlist("message")}
    except ValueError:
        return HttpResponseBadRequest("message: whole numbers only")
    if len(message_ids) > LIVE_ROWS_LIMIT:
        return HttpResponseBadRequest("message: too many ids")
    if any(not 0 < message_id < 2**63 for message_id in message_ids):
        # The database's integers end there; beyond, the query would fail.
        return HttpResponseBadRequest("message: no such id")
    view = _queue_view(request)
    on_page = {message.pk for message in view.page.object_list}
    in_list = set(
        queue_rows_items(view.name, view.filters)
        .filter(pk__in=message_ids - on_page)
        .values_list("pk", flat=True)
    )
    asked_on_page = [
        message for message in view.page.object_list if message.pk in message_ids
    ]
    deadline = review_deadline()
    rows = _queue_rows(asked_on_page, timezone.now(), deadline)
    html = dict(
        zip(
            [row["pk"] for row in rows],
            _render_rows(view.name, rows, deadline),
            strict=True,
        )
    )
    items = {}
    for message_id in sorted(message_ids):
        if message_id in html:
            items[message_id] = {"place": "page", "html": str(html[message_id])}
        elif message_id in in_list:
            # Sorted onto another page of this list: counted, not shown.
            items[message_id] = {"place": "list", "html": ""}
        else:
            items[message_id] = {"place": "", "html": ""}
    return JsonResponse(
        {
            "counts": view.counts,
            "count_text": render_to_string(
                "moderation/queue_count.html", {"page": view.page}, request
            ).strip(),
            "items": items,
        },
        headers={"Cache-Control": "no-store"},
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
