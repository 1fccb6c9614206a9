"""Root URLs: board's pages and API, moderation, accounts, admin, schema."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from board.views.board import language_set
from moderation import views as moderation_views
from moderation.api.reports import MessageReportView, ReplyReportView

urlpatterns = [
    path("", include("board.urls")),
    path("moderation/", include("moderation.urls")),
    path("transparency/", moderation_views.transparency, name="transparency"),
    # On board's message page, taken by moderation (board/hooks.py).
    path(
        "messages/<int:message_id>/report/",
        moderation_views.message_report_view,
        name="message_report",
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("api/v1/moderation/", include("moderation.api.urls")),
    path(
        "api/v1/messages/<int:message_id>/report/",
        MessageReportView.as_view(),
        name="message-report",
    ),
    path(
        "api/v1/replies/<int:reply_id>/report/",
        ReplyReportView.as_view(),
        name="reply-report",
    ),
    path("api/v1/", include("board.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"
    ),
]
