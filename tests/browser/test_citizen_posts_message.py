"""A new citizen registers, verifies, logs in, posts with a photo, sees it pending."""

import io
import re

import pytest
from django.core import mail
from PIL import Image

from board.models import Message
from tests.factories import CategoryFactory, OfficialFactory, RegionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (200, 60, 40)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_citizen_registers_verifies_posts_and_sees_it_pending(
    live_server, new_page, screenshot
):
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    official = OfficialFactory(name="李明", title="江州市市长", region=city)
    CategoryFactory(slug="transport", name="交通出行", name_en="Transport")

    page = new_page()
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("用户名").fill("wangfang")
    page.get_by_label(re.compile("电子邮件|邮箱")).fill("wangfang@example.com")
    page.locator("input[name=password1]").fill("Zt-test-Passw0rd!")
    page.locator("input[name=password2]").fill("Zt-test-Passw0rd!")
    screenshot(page, "01-signup")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/accounts/confirm-email/"))

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    confirm_path = link.group(0).split("/accounts/", 1)[1]
    page.goto(f"{live_server.url}/accounts/{confirm_path}")
    screenshot(page, "02-confirm-email")
    page.locator("form button[type=submit]").last.click()

    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("input[name=login]").fill("wangfang")
    page.locator("input[name=password]").fill("Zt-test-Passw0rd!")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))

    page.goto(f"{live_server.url}/messages/new/")
    page.get_by_label("地区").select_option(str(city.pk))
    page.get_by_label("留言对象", exact=True).select_option(f"o:{official.pk}")
    page.get_by_label("领域").select_option(label="交通出行")
    page.get_by_label("咨询").check()
    page.get_by_label("标题").fill("江州大道公交站台何时修复")
    page.get_by_label("留言内容").fill(
        "江州大道公交站台顶棚损坏，雨天无法候车。\n\n请问何时修复？"
    )
    page.locator("input[type=file]").set_input_files(
        files=[{"name": "站台.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.get_by_label(re.compile("留言须知")).check()
    screenshot(page, "03-compose")
    page.get_by_role("button", name="提交审核").click()
    page.wait_for_url(re.compile(r"/messages/\d+/$"))
    screenshot(page, "04-pending-detail")
    assert page.get_by_text("待审核").first.is_visible()
    assert page.locator(".attachments img").count() == 1

    page.get_by_role("link", name="我的留言").click()
    screenshot(page, "05-my-messages")
    card = page.locator(".message-card", has_text="江州大道公交站台何时修复")
    assert card.count() == 1
    assert "待审核" in card.inner_text()

    message = Message.objects.get()
    assert message.status == "pending"
    assert message.attachments.count() == 1

    anonymous = new_page()
    anonymous.goto(f"{live_server.url}/")
    screenshot(anonymous, "06-board-anonymous")
    assert anonymous.get_by_text("江州大道公交站台何时修复").count() == 0
    response = anonymous.goto(f"{live_server.url}{message.get_absolute_url()}")
    assert response.status == 404
