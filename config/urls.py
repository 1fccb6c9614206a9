"""Root URLs: board's pages and API, moderation, accounts, admin, schema."""

from allauth.account import views as account_views
from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.cache import cache_page
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from board.ratelimits import rate_limited
from board.views.board import language_set
from board.views.security import csp_report_view
from moderation import views as moderation_views
from moderation.api.data_rights import AccountDeleteView, AccountExportView
from moderation.api.reports import MessageReportView, ReplyReportView

# Input robustness: under /api/ an unknown route or a malformed id is a JSON
# 404 (a refused request a JSON 400 or 403, an unexpected error a JSON 500),
# the site's pages elsewhere.
handler400 = "board.api.common.bad_request"
handler403 = "board.api.common.permission_denied"
handler404 = "board.api.common.not_found"
handler500 = "board.api.common.server_error"

# The admin signs in through allauth's login form, so its second factor and
# lockout apply there too (board/second_factor.py).
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", include("board.urls")),
    # Feeds and the sitemap; open data; Open311 GeoReport v2 (#13).
    path("", include("board.syndication.urls")),
    path("open-data/", include("board.open_data.urls")),
    path("open311/v2/", include("board.api.open311.urls")),
    path("moderation/", include("moderation.urls")),
    path("transparency/", moderation_views.transparency, name="transparency"),
    # A citizen's data rights: moderation's, because they are audited.
    path("me/data/", moderation_views.my_data, name="my_data"),
    path("me/data/export/", moderation_views.my_data_export, name="my_data_export"),
    path("me/data/delete/", moderation_views.my_data_delete, name="my_data_delete"),
    path("me/deleted/", moderation_views.account_deleted, name="account_deleted"),
    # On board's message page, taken by moderation (board/hooks.py).
    path(
        "messages/<id:message_id>/report/",
        moderation_views.message_report_view,
        name="message_report",
    ),
    # allauth's sign-up and password reset, rate limited like the rest of
    # the site (board/ratelimits.py); the names stay allauth's below.
    path("accounts/signup/", rate_limited("registration")(account_views.signup)),
    path(
        "accounts/password/reset/",
        rate_limited("password_reset")(account_views.password_reset),
    ),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", language_set, name="set_language"),
    # The JavaScript strings in the reader's language: gettext() in static/js.
    # Cached: it changes only with a deploy, and every page loads it.
    path(
        "jsi18n/",
        cache_page(60 * 60)(JavaScriptCatalog.as_view()),
        name="javascript-catalog",
    ),
    path("admin/", admin.site.urls),
    path("api/v1/moderation/", include("moderation.api.urls")),
    path(
        "api/v1/messages/<id:message_id>/report/",
        MessageReportView.as_view(),
        name="message-report",
    ),
    path(
        "api/v1/replies/<id:reply_id>/report/",
        ReplyReportView.as_view(),
        name="reply-report",
    ),
    path("api/v1/me/export/", AccountExportView.as_view(), name="me-export"),
    path("api/v1/me/delete/", AccountDeleteView.as_view(), name="me-delete"),
    path("api/v1/", include("board.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file of its own
    # (?script), so the page needs no inline script under the CSP.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema"),
        name="api-docs",
    ),
    path("csp-report/", csp_report_view, name="csp_report"),
]
