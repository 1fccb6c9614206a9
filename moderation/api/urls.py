"""The moderation API's URLs, mounted at ``/api/v1/moderation/``.

The public's report endpoints, ``/api/v1/messages/{id}/report/`` and
``/api/v1/replies/{id}/report/``, are routed from ``config/urls.py``
(``reports.MessageReportView``, ``reports.ReplyReportView``).
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import bulk, items, queue, replies

app_name = "moderation-api"

router = SimpleRouter()
router.register("messages", items.ModerationMessageViewSet, basename="message")
router.register("replies", replies.ModerationReplyViewSet, basename="reply")

urlpatterns = [
    path("queue/", queue.ModerationQueueView.as_view(), name="queue"),
    path("bulk/", bulk.ModerationBulkView.as_view(), name="bulk"),
    *router.urls,
]
