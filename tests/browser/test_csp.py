"""The Content-Security-Policy in a real Chromium: the board, a message page,
the compose page (signed in as a citizen) and the API docs load without a
single violation, and their scripts still run: the bell's and the message
page's sockets connect, the compose page's addressee search appears, and
Swagger UI draws the API."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from tests.factories import MessageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = 15_000  # ms

# Records every violation the page reports, and every socket it opens.
WATCH = """
(() => {
  window.__violations = [];
  document.addEventListener("securitypolicyviolation", (event) => {
    window.__violations.push(
      event.effectiveDirective + " " + event.blockedURI + " " + event.sourceFile
    );
  });
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); }
  };
})();
"""


def watched_page(new_page, console):
    page = new_page()
    page.context.add_init_script(WATCH)
    page.on(
        "console",
        lambda message: (
            console.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return page


def sign_in(page, base_url, user):
    """The session of a signed-in user, set as the browser's cookie."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": cookie.key, "value": cookie.value, "url": base_url}]
    )


def wait_for_open_socket(page, path):
    page.wait_for_function(
        "path => window.__sockets.some("
        "  s => new URL(s.url).pathname === path && s.readyState === WebSocket.OPEN)",
        arg=path,
        timeout=LIVE,
    )


def assert_no_violation(page, console):
    assert page.evaluate("window.__violations") == []
    assert console == []


def test_pages_run_their_scripts_without_a_csp_violation(asgi_live_server, new_page):
    base = asgi_live_server.url
    message = MessageFactory()
    console = []
    page = watched_page(new_page, console)

    # Anonymous: the board and the API docs.
    page.goto(f"{base}/")
    expect(page.locator("main")).to_be_visible()
    assert_no_violation(page, console)

    page.goto(f"{base}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text(
        "Zhitong API", timeout=LIVE
    )
    expect(page.locator(".opblock").first).to_be_visible(timeout=LIVE)
    assert_no_violation(page, console)

    # Signed in as a citizen: the bell's socket, the message page's socket,
    # the compose page's addressee search.
    sign_in(page, base, UserFactory(citizen=True))
    page.goto(f"{base}{message.get_absolute_url()}")
    wait_for_open_socket(page, "/ws/notifications/")
    wait_for_open_socket(page, f"/ws/messages/{message.pk}/")
    assert_no_violation(page, console)

    page.goto(f"{base}/messages/new/")
    expect(page.locator("#addressee-search")).to_be_visible()
    wait_for_open_socket(page, "/ws/notifications/")
    assert_no_violation(page, console)
