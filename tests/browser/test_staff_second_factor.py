"""A moderator without a second factor is sent to set one up, scans (here:
reads) the secret, confirms a code, and is asked for a code at the next
login; in Chinese, the interface's first language."""

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from board.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(secret: str) -> str:
    # allauth accepts the code of the current 30 s period only: one typed in
    # its last seconds would reach the server in the next.
    left = 30 - time.time() % 30
    if left < 3:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def log_in(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.locator("input[name=login]").fill(username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form:has(input[name=login]) button[type=submit]").click()
    # Signed in before the test goes on: the next goto would cancel the POST.
    page.wait_for_url(lambda address: "/accounts/login/" not in address)


def test_moderator_sets_up_two_factor_and_uses_it(
    live_server, settings, new_page, screenshot
):
    settings.ZHITONG_STAFF_SECOND_FACTOR = True
    UserFactory(moderator=True, username="zhao_mod")
    page = new_page()

    log_in(page, live_server.url, "zhao_mod")
    # Any page sends the moderator to the set-up, after the password again.
    page.goto(f"{live_server.url}/moderation/")
    page.wait_for_url(re.compile("/accounts/reauthenticate/"))
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/accounts/2fa/totp/activate/"))
    assert page.locator("img[src^='data:image/svg+xml']").is_visible()
    screenshot(page, "second-factor-01-activate")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator("input[name=code]").fill(current_code(secret))
    page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/activate/" not in url)
    assert User.objects.get(username="zhao_mod").authenticator_set.exists()

    page.goto(f"{live_server.url}/moderation/")
    assert "/moderation/" in page.url
    page.locator("form[action='/accounts/logout/'] button").first.click()

    # The next login asks for the code after the password.
    log_in(page, live_server.url, "zhao_mod")
    page.wait_for_url(re.compile("/accounts/2fa/authenticate/"))
    screenshot(page, "second-factor-02-code")
    page.locator("input[name=code]").fill(current_code(secret))
    # The code's own form: the page has a "cancel" form too.
    page.locator("form:has(input[name=code]) button[type=submit]").first.click()
    page.wait_for_url(re.compile("/me/messages/"))
    page.goto(f"{live_server.url}/moderation/")
    assert "/moderation/" in page.url
