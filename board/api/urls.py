"""The API's URLs, mounted at ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import (
    accounts,
    handling,
    messages,
    notifications,
    references,
    routing,
    stats,
)

app_name = "api"

router = SimpleRouter()
router.register("regions", references.RegionViewSet, basename="region")
router.register("departments", references.DepartmentViewSet, basename="department")
router.register("officials", references.OfficialViewSet, basename="official")
router.register("categories", references.CategoryViewSet, basename="category")
router.register("messages", messages.MessageViewSet, basename="message")
# Handling actions beside ``messages/{id}/withdraw/``: accept, transfer,
# replies, extend, rating, follow-ups.
router.register(
    "messages", handling.MessageHandlingViewSet, basename="message-handling"
)
router.register("replies", handling.ReplyViewSet, basename="reply")

urlpatterns = [
    path("auth/token/", accounts.TokenObtainView.as_view(), name="token"),
    path("auth/logout/", accounts.TokenLogoutView.as_view(), name="token-logout"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("inbox/", handling.InboxView.as_view(), name="inbox"),
    path("stats/", stats.StatsView.as_view(), name="stats"),
    path("stats/trend/", stats.StatsTrendView.as_view(), name="stats-trend"),
    path(
        "routing/suggest/",
        routing.RoutingSuggestView.as_view(),
        name="routing-suggest",
    ),
    path(
        "realtime/ticket/",
        notifications.RealtimeTicketView.as_view(),
        name="realtime-ticket",
    ),
    path(
        "notifications/",
        notifications.NotificationListView.as_view(),
        name="notifications",
    ),
    path(
        "notifications/read/",
        notifications.NotificationReadView.as_view(),
        name="notifications-read",
    ),
    path(
        "messages/<id:pk>/follow/",
        notifications.MessageFollowView.as_view(),
        name="message-follow",
    ),
    *router.urls,
]
