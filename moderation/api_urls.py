"""The moderation API's URLs, mounted at ``/api/v1/moderation/``.

The public's report endpoint, ``/api/v1/messages/{id}/report/``, is routed
from ``config/urls.py`` (``api.MessageReportView``).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

app_name = "moderation-api"

router = SimpleRouter()
router.register("messages", api.ModerationMessageViewSet, basename="message")
router.register("replies", api.ModerationReplyViewSet, basename="reply")

urlpatterns = [
    path("queue/", api.ModerationQueueView.as_view(), name="queue"),
    path("bulk/", api.ModerationBulkView.as_view(), name="bulk"),
    *router.urls,
]
