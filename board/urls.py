"""Board's pages; the API is ``board/api/urls.py``."""

from django.urls import path

from board.views import (
    board,
    compose,
    directory,
    guidelines,
    handling,
    message_page,
    my_messages,
    preferences,
    stats,
)
from board.views import notifications as notification_views

app_name = "board"

urlpatterns = [
    path("notifications/", notification_views.notification_list, name="notifications"),
    path(
        "notifications/read/",
        notification_views.notification_read,
        name="notifications_read",
    ),
    path(
        "notifications/settings/",
        notification_views.notification_settings,
        name="notification_settings",
    ),
    path(
        "messages/<id:message_id>/follow/",
        notification_views.message_follow_view,
        name="message_follow",
    ),
    path("", board.board_index, name="index"),
    path("messages/new/", compose.message_compose, name="compose"),
    path(
        "messages/new/check/",
        compose.message_compose_check,
        name="compose_check",
    ),
    path(
        "messages/<id:message_id>/",
        message_page.message_detail,
        name="message_detail",
    ),
    path(
        "messages/<id:message_id>/edit/",
        compose.message_edit_view,
        name="message_edit",
    ),
    path(
        "messages/<id:message_id>/withdraw/",
        compose.message_withdraw_view,
        name="message_withdraw",
    ),
    # messages/<id>/report/ is moderation's (config/urls.py).
    path("me/messages/", my_messages.my_messages, name="my_messages"),
    path("officials/", directory.official_directory, name="official_directory"),
    path("officials/<id:official_id>/", board.official_detail, name="official_detail"),
    path("regions/<id:region_id>/", directory.region_detail, name="region_detail"),
    path("guidelines/", guidelines.posting_guidelines, name="guidelines"),
    path("preferences/elder-mode/", preferences.elder_mode_set, name="elder_mode"),
    path("stats/", stats.stats_index, name="stats"),
    path("stats/export.csv", stats.stats_csv, name="stats_csv"),
    path(
        "attachments/<id:attachment_id>/",
        message_page.attachment,
        name="attachment",
    ),
    # The officials' side (board/views/handling.py).
    path("inbox/", handling.inbox, name="inbox"),
    path(
        "inbox/messages/<id:message_id>/",
        handling.message_handle,
        name="message_handle",
    ),
    path(
        "inbox/messages/<id:message_id>/accept/",
        handling.message_accept_view,
        name="message_accept",
    ),
    path(
        "inbox/messages/<id:message_id>/transfer/",
        handling.message_transfer_view,
        name="message_transfer",
    ),
    path(
        "inbox/messages/<id:message_id>/extend/",
        handling.message_extend_view,
        name="message_extend",
    ),
    path(
        "inbox/messages/<id:message_id>/replies/",
        handling.reply_create_view,
        name="reply_create",
    ),
    path(
        "inbox/messages/<id:message_id>/corrections/",
        handling.reply_correct_view,
        name="reply_correct",
    ),
    path(
        "inbox/messages/<id:message_id>/replies/<id:reply_id>/sign-off/",
        handling.reply_sign_off_view,
        name="reply_sign_off",
    ),
    # The author's forms on the message page.
    path(
        "messages/<id:message_id>/rating/",
        message_page.rating_submit_view,
        name="rating_submit",
    ),
    path(
        "messages/<id:message_id>/follow-ups/",
        message_page.follow_up_submit_view,
        name="follow_up_submit",
    ),
]
