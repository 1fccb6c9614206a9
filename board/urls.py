from django.urls import path

from . import inbox_views, notification_views, views

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
        "messages/<int:message_id>/follow/",
        notification_views.message_follow_view,
        name="message_follow",
    ),
    path("", views.board_index, name="index"),
    path("messages/new/", views.message_compose, name="compose"),
    path("messages/<int:message_id>/", views.message_detail, name="message_detail"),
    path(
        "messages/<int:message_id>/edit/", views.message_edit_view, name="message_edit"
    ),
    path(
        "messages/<int:message_id>/withdraw/",
        views.message_withdraw_view,
        name="message_withdraw",
    ),
    path(
        "messages/<int:message_id>/report/",
        views.message_report_view,
        name="message_report",
    ),
    path("me/messages/", views.my_messages, name="my_messages"),
    path("officials/<int:official_id>/", views.official_detail, name="official_detail"),
    path("attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    # The officials' side (board/inbox_views.py).
    path("inbox/", inbox_views.inbox, name="inbox"),
    path(
        "inbox/messages/<int:message_id>/",
        inbox_views.message_handle,
        name="message_handle",
    ),
    path(
        "inbox/messages/<int:message_id>/accept/",
        inbox_views.message_accept_view,
        name="message_accept",
    ),
    path(
        "inbox/messages/<int:message_id>/transfer/",
        inbox_views.message_transfer_view,
        name="message_transfer",
    ),
    path(
        "inbox/messages/<int:message_id>/extend/",
        inbox_views.message_extend_view,
        name="message_extend",
    ),
    path(
        "inbox/messages/<int:message_id>/replies/",
        inbox_views.reply_create_view,
        name="reply_create",
    ),
    path(
        "inbox/messages/<int:message_id>/corrections/",
        inbox_views.reply_correct_view,
        name="reply_correct",
    ),
    path(
        "inbox/messages/<int:message_id>/replies/<int:reply_id>/sign-off/",
        inbox_views.reply_sign_off_view,
        name="reply_sign_off",
    ),
    path(
        "messages/<int:message_id>/rating/",
        inbox_views.rating_submit_view,
        name="rating_submit",
    ),
    path(
        "messages/<int:message_id>/follow-ups/",
        inbox_views.follow_up_submit_view,
        name="follow_up_submit",
    ),
]
