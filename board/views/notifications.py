"""The notification centre: the list, read marking, and preferences."""

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from board.actions import (
    message_follow,
    message_unfollow,
    notification_preferences_save,
    notifications_mark_read,
)
from board.errors import BoardError
from board.ids import parse_ids
from board.models import NotificationChannel, NotificationKind
from board.page_cache import rendered_rows
from board.ratelimits import rate_limited
from board.selectors import access_message, notification_page, preferences_of


def _notification_rows(notifications) -> list[dict]:
    """What board/_notification_row.html shows of each notification, as
    plain data: a row whose data is unchanged is not rendered again
    (page_cache.rendered_rows)."""
    return [
        {
            "pk": notification.pk,
            "is_read": notification.read_at is not None,
            "kind_label": notification.kind_label,
            "message_url": notification.message_url,
            "reference": notification.message.reference if notification.message else "",
            "message_title": notification.message_title,
            "due_date": (notification.payload or {}).get("due_date", ""),
            "shown_at": notification.shown_at.isoformat(),
            "shown_at_text": notification.shown_at.strftime("%Y-%m-%d %H:%M"),
        }
        for notification in notifications
    ]


@login_required
def notification_list(request):
    page = notification_page(request.user, cursor=request.GET.get("cursor", ""))
    rows = _notification_rows(page.items)
    return render(
        request,
        "board/notifications.html",
        {
            "page": page,
            "notifications": page.items,
            "rows_html": rendered_rows("board/_notification_row.html", rows),
            "has_cursor": bool(request.GET.get("cursor")),
        },
    )


@login_required
@require_POST
def notification_read(request):
    if request.POST.get("all"):
        notifications_mark_read(user=request.user)
    else:
        ids = parse_ids(request.POST.getlist("id"))
        notifications_mark_read(user=request.user, ids=ids)
    target = request.POST.get("next", "")
    # Only back to a page of this site ("/\\evil.example" is another site).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("board:notifications")


@login_required
def notification_settings(request):
    kinds = NotificationKind.choices
    if request.method == "POST":
        chosen = {}
        for kind, _label in kinds:
            value = request.POST.get(kind, NotificationChannel.EMAIL)
            if value not in NotificationChannel.values:
                flash.error(request, _("Choose one of the offered options."))
                break
            chosen[kind] = value
        else:
            notification_preferences_save(user=request.user, preferences=chosen)
            flash.success(request, _("Your notification settings are saved."))
            return redirect("board:notification_settings")
    current = preferences_of(request.user)
    rows = [
        (kind, label, current.get(kind, NotificationChannel.EMAIL))
        for kind, label in kinds
    ]
    return render(
        request,
        "board/notification_settings.html",
        {"rows": rows, "channels": NotificationChannel.choices},
    )


@login_required
@require_POST
@rate_limited("following")
def message_follow_view(request, message_id):
    message = access_message(request.user, message_id)
    try:
        if request.POST.get("unfollow"):
            message_unfollow(message=message, user=request.user)
        else:
            message_follow(message=message, user=request.user)
    except BoardError as error:
        flash.error(request, error.message)
    return redirect(message)
