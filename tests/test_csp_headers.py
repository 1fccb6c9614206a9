"""Every page, API response and the API docs carry the Content-Security-Policy
of docs/security.md ("Settings and headers"); the docs page needs no inline
script or style to work under it."""

import pytest
from django.contrib import admin

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "report-uri": ["/csp-report/"],
    "report-to": ["csp"],
}


def directives(response) -> dict[str, list[str]]:
    header = response.headers["Content-Security-Policy"]
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


def assert_policy(response, websocket_origin="ws://testserver"):
    policy = directives(response)
    for name, values in EXPECTED.items():
        assert policy[name] == values, name
    assert policy["connect-src"] == ["'self'", websocket_origin]
    assert response.headers["Reporting-Endpoints"] == 'csp="/csp-report/"'


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/messages/"])
def test_pages_and_api_carry_the_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert_policy(response)


def test_a_page_over_https_allows_its_own_wss(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["zhitong.example.org"]
    response = client.get(
        "/", headers={"x-forwarded-proto": "https", "host": "zhitong.example.org"}
    )
    assert_policy(response, websocket_origin="wss://zhitong.example.org")


def test_a_refused_host_gets_its_400_without_a_websocket_origin(client):
    response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "ws://evil.example" not in response.headers["Content-Security-Policy"]


def test_api_docs_carry_the_policy_and_no_inline_script_or_style(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    assert_policy(response)
    html = response.content.decode()
    assert "<style" not in html
    assert "<script>" not in html
    assert "?script=" in html or "&script=" in html


def test_api_docs_start_up_script_is_served_as_a_file(client):
    response = client.get("/api/docs/?script=")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in response.content


def test_no_third_party_page_in_use_carries_an_inline_style(client, settings):
    """Django's admin adds an inline <style> to a change list only when a
    ModelAdmin turns off actions both on top and at the bottom, and allauth
    only on its change-email page (``ACCOUNT_CHANGE_EMAIL``): neither is
    used here, so the policy blocks nothing the board shows."""

    for model_admin in admin.site._registry.values():
        assert model_admin.actions_on_top or model_admin.actions_on_bottom
    assert not getattr(settings, "ACCOUNT_CHANGE_EMAIL", False)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for path in ("/admin/moderation/auditevent/", "/accounts/email/"):
        html = client.get(path).content.decode()
        assert "<style" not in html
        assert 'style="' not in html
