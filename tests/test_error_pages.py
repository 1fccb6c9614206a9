"""Error pages (#14): 400, 403, 404 and 500 in the site's layout and the
reader's language, saying what happened and where to go, never a traceback;
the 500 page renders without the database. The API's errors are JSON in the
reader's language."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError, connection
from django.test import Client, RequestFactory
from django.urls import path

from board.api.common import (
    bad_request,
    not_found,
    permission_denied,
    server_error,
)
from board.lifecycle import MessageStatus
from config import urls as site_urls
from tests.factories import MessageFactory

pytestmark = pytest.mark.django_db

# This module is also the URLconf of the tests that need a view to fail: the
# site's own routes and handlers, plus three views that raise.
handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500

fault = {"raised": False}


def broken_view(request):
    fault["raised"] = True
    raise RuntimeError("Traceback secret: the board's internals")


def suspicious_view(request):
    raise SuspiciousOperation("Traceback secret: a suspicious header")


def forbidden_view(request):
    raise PermissionDenied


urlpatterns = [
    path("test-errors/broken/", broken_view),
    path("api/v1/test-errors/broken/", broken_view),
    path("test-errors/suspicious/", suspicious_view),
    path("test-errors/forbidden/", forbidden_view),
    *site_urls.urlpatterns,
]

failing_views = pytest.mark.urls(__name__)

# A visible sentence of each page, per language.
TEXTS = {
    400: {"en": "could not understand this request", "zh-hans": "无法理解这个请求"},
    403: {"en": "Not allowed", "zh-hans": "无权操作"},
    404: {"en": "There is no page at this address", "zh-hans": "这个地址没有页面"},
    500: {"en": "Something went wrong", "zh-hans": "出错了"},
}
MESSAGE_NOT_VISIBLE = {
    "en": "This message does not exist or is not public.",
    "zh-hans": "这条留言不存在或未公开。",
}
LANGUAGES = ["zh-hans", "en"]


def reader(language: str, user=None) -> Client:
    """A browser in ``language`` that sees what the server answers (Django's
    handlers) rather than the view's exception."""
    client = Client(
        raise_request_exception=False, headers={"accept-language": language}
    )
    if user is not None:
        client.force_login(user)
    return client


def assert_error_page(
    response, status: int, language: str, *, text: str = "", layout=True
):
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert f'<html lang="{language}"' in page
    assert (text or TEXTS[status][language]) in page
    assert 'href="/"' in page  # the way back to the board
    assert "Traceback" not in page
    # The layout: base.html's menu and footer, or the standalone 500 page's
    # header and stylesheet.
    assert "css/site.css" in page
    assert ('class="site-nav"' in page) is layout
    assert ('class="site-footer"' in page) is layout
    return page


@pytest.mark.parametrize("language", LANGUAGES)
def test_unknown_address_is_a_404_page(language):
    response = reader(language).get("/no-such-page/")

    page = assert_error_page(response, 404, language)
    assert 'name="q"' in page  # a search
    assert "/accounts/login/?next=/no-such-page/" in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_id_that_never_existed_says_not_public(language):
    response = reader(language).get("/messages/987654321/")

    assert_error_page(response, 404, language, text=MESSAGE_NOT_VISIBLE[language])


@pytest.mark.parametrize(
    "status",
    [
        MessageStatus.HIDDEN,
        MessageStatus.PENDING,
        MessageStatus.WITHDRAWN,
        MessageStatus.REJECTED,
    ],
)
def test_a_message_not_public_reads_like_one_that_does_not_exist(status):
    message = MessageFactory(status=status)

    hidden = reader("zh-hans").get(f"/messages/{message.pk}/")
    made_up = reader("zh-hans").get("/messages/987654321/")

    assert hidden.status_code == made_up.status_code == 404
    assert MESSAGE_NOT_VISIBLE["zh-hans"] in hidden.content.decode()
    assert message.title not in hidden.content.decode()
    # The same page but for the address in it (the login's next, the forms).
    assert (
        hidden.content.decode().replace(
            f"/messages/{message.pk}/", "/messages/987654321/"
        )
        == made_up.content.decode()
    )


def test_a_private_message_for_an_anonymous_visitor_offers_the_login():
    message = MessageFactory(is_public=False)

    response = reader("en").get(f"/messages/{message.pk}/")

    page = assert_error_page(response, 404, "en", text=MESSAGE_NOT_VISIBLE["en"])
    assert "If you wrote it, log in to see it." in page
    assert f"/accounts/login/?next=/messages/{message.pk}/" in page
    assert message.title not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_hidden_message_for_another_citizen_links_to_my_messages(
    language, other_citizen
):
    message = MessageFactory(status=MessageStatus.HIDDEN)

    response = reader(language, other_citizen).get(f"/messages/{message.pk}/")

    page = assert_error_page(
        response, 404, language, text=MESSAGE_NOT_VISIBLE[language]
    )
    assert 'href="/me/messages/"' in page
    assert "/accounts/login/" not in page
    assert message.title not in page


def test_the_author_still_sees_a_pending_message(citizen):
    message = MessageFactory(author=citizen, status=MessageStatus.PENDING)

    response = reader("en", citizen).get(f"/messages/{message.pk}/")

    assert response.status_code == 200
    assert message.title in response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_citizen_opening_the_inbox_gets_a_403_page_with_the_reason(language, citizen):
    response = reader(language, citizen).get("/inbox/")

    page = assert_error_page(response, 403, language)
    reason = {
        "en": "Only officials and department staff have an inbox.",
        "zh-hans": "只有",
    }[language]
    assert reason in page
    assert 'href="/me/messages/"' in page


@failing_views
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_403_for_a_visitor_offers_the_login(language):
    response = reader(language).get("/test-errors/forbidden/")

    page = assert_error_page(response, 403, language)
    assert "/accounts/login/?next=/test-errors/forbidden/" in page
    assert {"en": "You are not logged in", "zh-hans": "您尚未登录"}[language] in page


@failing_views
@pytest.mark.parametrize("language", LANGUAGES)
def test_a_suspicious_request_is_a_400_page(language):
    response = reader(language).get("/test-errors/suspicious/")

    page = assert_error_page(response, 400, language)
    assert "suspicious header" not in page


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_request_for_another_host_is_a_400_page(language):
    response = reader(language).get("/", headers={"host": "evil.example"})

    assert_error_page(response, 400, language)


@failing_views
@pytest.mark.parametrize("language", LANGUAGES)
def test_an_unexpected_error_is_a_static_500_page(language, citizen):
    response = reader(language, citizen).get("/test-errors/broken/")

    page = assert_error_page(response, 500, language, layout=False)
    assert "internals" not in page
    assert "RuntimeError" not in page


def database_gone_after_the_fault(execute, sql, params, many, context):
    """The database goes away the moment the view fails: nothing after it
    may query."""
    if fault["raised"]:
        raise OperationalError("connection failed: Connection refused")
    return execute(sql, params, many, context)


@failing_views
def test_the_500_page_renders_while_the_database_is_down(citizen):
    # Signed in: base.html's context processors would read the bell.
    client = reader("zh-hans", citizen)
    fault["raised"] = False
    with connection.execute_wrapper(database_gone_after_the_fault):
        response = client.get("/test-errors/broken/")

    assert fault["raised"] is True
    assert_error_page(response, 500, "zh-hans", layout=False)


def test_the_500_handler_makes_no_query(django_assert_num_queries, citizen):
    request = RequestFactory(headers={"accept-language": "en"}).get("/")
    request.user = citizen

    with django_assert_num_queries(0):
        response = server_error(request)

    assert response.status_code == 500
    assert TEXTS[500]["en"] in response.content.decode()


@failing_views
@pytest.mark.parametrize(
    ("language", "detail"), [("en", "Server error."), ("zh-hans", "服务器错误。")]
)
def test_an_unexpected_api_error_is_json_in_the_readers_language(language, detail):
    response = reader(language).get("/api/v1/test-errors/broken/")

    assert response.status_code == 500
    assert response.json() == {"detail": detail, "code": "server_error"}


# --- The API's errors in the reader's language ------------------------------


@pytest.mark.parametrize(
    ("language", "detail"), [("en", "Not found."), ("zh-hans", "未找到。")]
)
def test_api_404_for_a_message_not_visible_is_in_the_readers_language(
    api_client, language, detail
):
    hidden = MessageFactory(status=MessageStatus.HIDDEN)

    for url in [f"/api/v1/messages/{hidden.pk}/", "/api/v1/no-such-route/"]:
        response = api_client.get(url, headers={"accept-language": language})
        assert response.status_code == 404
        assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    ("language", "detail"),
    [
        ("en", "Authentication credentials were not provided."),
        ("zh-hans", "身份认证信息未提供。"),
    ],
)
def test_api_refusal_for_a_visitor_is_in_the_readers_language(
    api_client, language, detail
):
    response = api_client.post(
        "/api/v1/messages/", {}, format="json", headers={"accept-language": language}
    )

    assert response.status_code in (401, 403)
    assert response.json()["detail"] == detail


@pytest.mark.parametrize(
    ("language", "required"),
    [("en", "This field is required."), ("zh-hans", "该字段是必填项。")],
)
def test_api_400_names_the_fields_in_the_readers_language(
    api_client, citizen, language, required
):
    api_client.force_authenticate(citizen)

    response = api_client.post(
        "/api/v1/messages/", {}, format="json", headers={"accept-language": language}
    )

    assert response.status_code == 400
    assert response.json()["title"] == [required]


def test_staff_only_api_refusal_is_in_chinese(api_client, citizen):
    api_client.force_authenticate(citizen)

    response = api_client.get(
        "/api/v1/moderation/queue/", headers={"accept-language": "zh-hans"}
    )

    assert response.status_code == 403
    detail = response.json()["detail"]
    assert detail.isascii() is False, detail


@pytest.mark.parametrize(
    ("handler", "status"),
    [(bad_request, 400), (permission_denied, 403), (not_found, 404)],
)
def test_error_pages_render_without_a_user(handler, status):
    # A 400 can come before the authentication middleware has run.
    request = RequestFactory().get("/")

    response = handler(request, Exception())

    assert response.status_code == status
    assert "Traceback" not in response.content.decode()
