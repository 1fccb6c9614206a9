"""Realtime in a real Chromium: the citizen's page is open; an official replies
in another browser context; without a reload the citizen's bell count rises,
a toast names the notification, and the reply appears on the page."""

import re

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from board.actions import start_handling_clock
from board.lifecycle import MessageStatus
from board.models import Notification, NotificationKind
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPLY = "西湖路路灯已全部更换，今晚起恢复照明。感谢您的反映。"
LIVE = 15_000  # ms: the longest any live update may take

# Keeps every WebSocket a page opens, and the frames each received, where the
# test can see them; the page's own scripts use the sockets as usual.
TRACK_SOCKETS = """
(() => {
  const Native = window.WebSocket;
  const sockets = [];
  const frames = [];
  window.__sockets = sockets;
  window.__frames = frames;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      sockets.push(this);
      this.addEventListener("message", (event) => {
        try { frames.push({ url: this.url, frame: JSON.parse(event.data) }); }
        catch (error) { frames.push({ url: this.url, frame: null }); }
      });
    }
  };
})();
"""


def log_in(page, base_url, user):
    page.goto(f"{base_url}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile("/me/messages/"))


def wait_for_open_socket(page, path):
    page.wait_for_function(
        "path => window.__sockets.some("
        "  s => new URL(s.url).pathname === path && s.readyState === WebSocket.OPEN)",
        arg=path,
        timeout=LIVE,
    )


def frames_of(page, path, frame_type):
    return page.evaluate(
        "([path, type]) => window.__frames"
        "  .filter(f => new URL(f.url).pathname === path && f.frame"
        "    && f.frame.type === type)"
        "  .map(f => f.frame)",
        [path, frame_type],
    )


def accepted_message(official):
    """A published message routed to ``official``, accepted, clock running."""
    message = MessageFactory(
        addressee_official=official,
        region=official.region,
        category=CategoryFactory(slug="urban", name="城市管理"),
        kind="complaint",
        title="西湖路路灯连续一周不亮",
        body="西湖路中段路灯连续一周不亮，夜间行人很不安全。",
        body_html="<p>西湖路中段路灯连续一周不亮，夜间行人很不安全。</p>",
        author=UserFactory(username="zhaolei", citizen=True),
        status=MessageStatus.ACCEPTED,
        published_at=timezone.now(),
    )
    start_handling_clock(message)
    message.save()
    return message


def test_citizen_sees_the_officials_reply_live(asgi_live_server, new_page, screenshot):
    base = asgi_live_server.url
    city = RegionFactory(name="临江市", name_en="Linjiang", parent=RegionFactory())
    official = OfficialFactory(
        name="陈静",
        title="临江市城市管理局局长",
        region=city,
        user=UserFactory(username="chenjing", official=True),
    )
    message = accepted_message(official)
    notifications_path = "/ws/notifications/"
    page_path = f"/ws/messages/{message.pk}/"

    # The citizen opens the message page; both sockets connect.
    citizen = new_page()
    citizen.context.add_init_script(TRACK_SOCKETS)
    log_in(citizen, base, message.author)
    citizen.goto(f"{base}{message.get_absolute_url()}")
    wait_for_open_socket(citizen, notifications_path)
    wait_for_open_socket(citizen, page_path)
    # The notification socket has resumed: the server answered with the count.
    citizen.wait_for_function(
        "path => window.__frames.some(f => new URL(f.url).pathname === path"
        "  && f.frame && f.frame.type === 'unread')",
        arg=notifications_path,
        timeout=LIVE,
    )
    citizen.evaluate("window.__samePage = true")  # gone if the page reloads
    bell = citizen.locator("[data-bell-count]")
    expect(bell).to_have_text("0")
    expect(bell).to_be_hidden()
    expect(citizen.locator("[data-toasts] .toast")).to_have_count(0)
    expect(citizen.locator(".thread .reply-final")).to_have_count(0)
    expect(citizen.locator("[data-live-status] .badge")).to_have_class(
        re.compile(r"\bstatus-accepted\b")
    )
    screenshot(citizen, "40-realtime-citizen-waits")

    # The official, in another browser context, gives the final reply.
    desk = new_page()
    log_in(desk, base, official.user)
    desk.goto(f"{base}/inbox/messages/{message.pk}/")
    reply_form = desk.locator("form[data-action=reply]")
    reply_form.locator("input[name=kind][value=final]").check()
    reply_form.locator("textarea[name=body]").fill(REPLY)
    screenshot(desk, "41-realtime-official-replies")
    reply_form.locator("button[type=submit]").click()
    desk.wait_for_url(re.compile(rf"/inbox/messages/{message.pk}/$"))
    expect(desk.locator(".thread .reply-final", has_text=REPLY)).to_have_count(1)

    with translation.override("zh-hans"):
        label = str(NotificationKind.MESSAGE_REPLIED.label)

    # Back to the citizen, without a reload: bell, toast, reply and status.
    expect(bell).to_have_text("1", timeout=LIVE)
    expect(bell).to_be_visible()
    toast = citizen.locator("[data-toasts] .toast")
    expect(toast).to_have_count(1)
    expect(toast.locator("strong")).to_have_text(label)
    expect(toast.locator("a")).to_have_text(message.title)
    expect(toast.locator("a")).to_have_attribute("href", message.get_absolute_url())
    reply = citizen.locator(".thread .reply-final")
    expect(reply).to_contain_text(REPLY, timeout=LIVE)
    expect(citizen.locator("[data-live-status] .badge")).to_have_class(
        re.compile(r"\bstatus-replied\b"), timeout=LIVE
    )
    screenshot(citizen, "42-realtime-citizen-bell-toast-reply")
    assert citizen.evaluate("window.__samePage") is True
    expect(bell).to_have_text("1")  # counted once, not once per frame

    notification = Notification.objects.get(recipient=message.author)
    assert notification.kind == NotificationKind.MESSAGE_REPLIED
    assert notification.read_at is None
    frames = frames_of(citizen, notifications_path, "notification")
    assert [frame["id"] for frame in frames] == [notification.pk]
    assert frames[0]["kind"] == "message.replied"
    assert frames[0]["message_id"] == message.pk
    assert frames[0]["label"] == label
    ops = {frame["op"] for frame in frames_of(citizen, page_path, "message")}
    assert "reply" in ops

    # The bell leads to the notification centre, where it is listed unread.
    citizen.locator("[data-bell]").click()
    citizen.wait_for_url(re.compile("/notifications/"))
    expect(citizen.get_by_text(label).first).to_be_visible()
    screenshot(citizen, "43-realtime-notification-centre")
