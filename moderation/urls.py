"""Moderators' pages under /moderation/; the API is ``moderation/api/urls.py``."""

from django.urls import path

from . import views
from .views.queue import queue_rows

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("queue/rows/", queue_rows, name="queue_rows"),
    path("messages/<id:message_id>/", views.item, name="item"),
    path(
        "messages/<id:message_id>/<slug:action>/",
        views.item_action,
        name="item_action",
    ),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("blocks/", views.blocks, name="blocks"),
    path("blocks/users/", views.user_block_view, name="user_block"),
    path("blocks/users/unblock/", views.user_unblock_view, name="user_unblock"),
    path("blocks/domains/", views.email_domain_block_view, name="domain_block"),
    path(
        "blocks/domains/unblock/",
        views.email_domain_unblock_view,
        name="domain_unblock",
    ),
    path("intake/", views.intake, name="intake"),
]
