"""The API's URLs, mounted at ``/api/v1/``."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api, handling_api, realtime_api

app_name = "api"

router = SimpleRouter()
router.register("regions", api.RegionViewSet, basename="region")
router.register("departments", api.DepartmentViewSet, basename="department")
router.register("officials", api.OfficialViewSet, basename="official")
router.register("categories", api.CategoryViewSet, basename="category")
router.register("messages", api.MessageViewSet, basename="message")
# Handling actions beside ``messages/{id}/withdraw/``: accept, transfer,
# replies, extend, rating, follow-ups.
router.register(
    "messages", handling_api.MessageHandlingViewSet, basename="message-handling"
)
router.register("replies", handling_api.ReplyViewSet, basename="reply")

urlpatterns = [
    path("auth/token/", api.TokenObtainView.as_view(), name="token"),
    path("me/", api.MeView.as_view(), name="me"),
    path("inbox/", handling_api.InboxView.as_view(), name="inbox"),
    path(
        "realtime/ticket/",
        realtime_api.RealtimeTicketView.as_view(),
        name="realtime-ticket",
    ),
    path(
        "notifications/",
        realtime_api.NotificationListView.as_view(),
        name="notifications",
    ),
    path(
        "notifications/read/",
        realtime_api.NotificationReadView.as_view(),
        name="notifications-read",
    ),
    path(
        "messages/<int:pk>/follow/",
        realtime_api.MessageFollowView.as_view(),
        name="message-follow",
    ),
    *router.urls,
]
