"""A citizen downloads their data from "My data", then deletes the account
with the password and sees the confirmation."""

import json
import re
from pathlib import Path

import pytest

from board.lifecycle import MessageStatus
from board.models import Message, User
from tests.factories import TEST_PASSWORD, MessageFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_downloads_data_then_deletes_account(live_server, new_page, screenshot):
    citizen = UserFactory(citizen=True, username="lihua")
    public = MessageFactory(author=citizen, title="江州大道路灯不亮")

    page = new_page(locale="en-US")
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("lihua")
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))

    page.locator("a[href='/me/data/']").first.click()
    page.wait_for_url(re.compile("/me/data/$"))
    screenshot(page, "data-rights-01-my-data")
    with page.expect_download() as download_info:
        page.locator("[data-export]").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".json")
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["account"]["username"] == "lihua"
    assert [m["title"] for m in data["messages"]] == ["江州大道路灯不亮"]

    # A wrong password is refused with a message; nothing is deleted.
    page.locator("input[name=password]").fill("not-my-password")
    page.locator("form[action='/me/data/delete/'] button").click()
    assert page.get_by_role("alert").is_visible()
    assert User.objects.get(pk=citizen.pk).is_active is True

    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form[action='/me/data/delete/'] button").click()
    page.wait_for_url(re.compile("/me/deleted/$"))
    assert page.locator("[data-account-deleted]").is_visible()
    screenshot(page, "data-rights-02-deleted")
    # Logged out: the login link is back.
    assert page.locator("a[href='/accounts/login/']").first.is_visible()

    citizen.refresh_from_db()
    assert citizen.deleted_at is not None
    public.refresh_from_db()
    assert public.status == MessageStatus.PUBLISHED
    assert Message.objects.public().filter(pk=public.pk).exists()
