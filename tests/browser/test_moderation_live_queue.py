"""The live moderation queue in two real Chromium windows: one moderator
watches the queue while another claims and approves an item and a citizen
submits a new one. Without a reload the watcher sees the claim, the decided
item leave, the counts change and the new arrival offered; each change is
read out by a polite live region, and the focus stays where it was."""

import re
import tempfile
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async
from django.utils import timezone
from playwright.sync_api import expect

from board.actions import message_submit
from board.lifecycle import MessageStatus
from moderation.actions import message_reject
from tests.browser.conftest import _SHARED_CONNECTIONS
from tests.browser.test_moderator_reviews import ensure_reasons, log_in
from tests.browser.test_realtime_bell import TRACK_SOCKETS, wait_for_open_socket
from tests.factories import (
    CategoryFactory,
    MessageDraftFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LIVE = 15_000  # ms: the longest any live update may take
SHOTS = Path(tempfile.gettempdir()) / "shots_live_queue"
# What a thumb must hit on the queue page.
CONTROLS = ", ".join(
    f"main {selector}"
    for selector in (
        ".mod-nav a",
        ".queue-tabs a",
        ".queue-layout a",
        ".queue-layout button",
        ".queue-layout select",
        ".queue-layout input:not([type=hidden])",
        ".queue-layout summary",
    )
)


def shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def setting():
    ensure_reasons()
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=RegionFactory())
    return {
        "city": city,
        "mayor": OfficialFactory(name="李明", title="江州市市长", region=city),
        "category": CategoryFactory(slug="transport", name="交通出行"),
        "citizen": UserFactory(citizen=True, username="wangfang"),
        "watcher": UserFactory(moderator=True, username="zhaomin"),
        "decider": UserFactory(moderator=True, username="liuyang"),
    }


def pending(setting, title, minutes_waiting):
    return MessageFactory(
        author=setting["citizen"],
        region=setting["city"],
        addressee_official=setting["mayor"],
        category=setting["category"],
        status=MessageStatus.PENDING,
        title=title,
        submitted_for_review_at=timezone.now()
        - timezone.timedelta(minutes=minutes_waiting),
    )


def on_server(server, function):
    """Run ``function`` where the live server runs a request's code: its
    after-commit pushes then reach the server's channel layer (the test's
    thread runs Playwright's event loop, where async_to_sync cannot)."""

    async def run():
        token = _SHARED_CONNECTIONS.set(server.shared_connections or None)
        try:
            return await sync_to_async(function)()
        finally:
            _SHARED_CONNECTIONS.reset(token)

    return server.run_coroutine(run())


def open_queue(page, base):
    page.context.add_init_script(TRACK_SOCKETS)
    page.goto(f"{base}/moderation/")
    wait_for_open_socket(page, "/ws/notifications/")
    page.evaluate("window.__samePage = true")  # gone if the page reloads


def tab_count(page, name):
    return page.locator(f'.queue-tabs [data-queue="{name}"] .count')


def test_a_second_moderator_sees_claims_decisions_and_arrivals_live(
    asgi_live_server, new_page, setting
):
    base = asgi_live_server.url
    bus_stop = pending(setting, "江州大道公交站台何时修复", minutes_waiting=90)
    lamps = pending(setting, "幸福小区路灯不亮", minutes_waiting=30)

    watcher = new_page()
    log_in(watcher, asgi_live_server, "zhaomin")
    open_queue(watcher, base)
    expect(watcher.locator(".queue-item")).to_have_count(2)
    expect(tab_count(watcher, "pending")).to_have_text("2")
    announcer = watcher.locator("[data-queue-announcer]")
    expect(announcer).to_have_attribute("role", "status")
    # The watcher is reading the second row: live changes must not move it.
    lamps_link = watcher.locator(f"#queue-item-{lamps.pk} .queue-title a")
    lamps_link.focus()

    # The other moderator opens the first item, which claims it.
    decider = new_page()
    log_in(decider, asgi_live_server, "liuyang")
    decider.goto(f"{base}/moderation/messages/{bus_stop.pk}/")
    expect(decider.locator("form[action$='/release/']")).to_be_visible()

    row = watcher.locator(f"#queue-item-{bus_stop.pk}")
    expect(row.locator(".badge.claim")).to_contain_text("liuyang", timeout=LIVE)
    expect(row).to_have_class(re.compile(r"\bis-claimed\b"))
    expect(announcer).to_contain_text(bus_stop.reference, timeout=LIVE)
    expect(announcer).to_contain_text("liuyang")
    expect(lamps_link).to_be_focused()
    shoot(watcher, "01-watcher-sees-claim")

    # The other moderator approves it: it leaves the watcher's queue.
    decider.locator("form[data-action=approve] button[type=submit]").click()
    decider.wait_for_url(re.compile(r"/moderation/\?queue=pending$"))
    expect(row).to_have_count(0, timeout=LIVE)
    expect(tab_count(watcher, "pending")).to_have_text("1")
    expect(watcher.locator("[data-queue-count]")).to_contain_text("1")
    expect(announcer).to_contain_text(bus_stop.reference, timeout=LIVE)
    expect(lamps_link).to_be_focused()
    shoot(watcher, "02-watcher-after-approval")

    # A citizen submits a new message: the watcher is told, not jumped.
    draft = MessageDraftFactory(
        addressee_official=setting["mayor"],
        category=setting["category"],
        title="新港路口红绿灯故障",
    )
    arrived = on_server(
        asgi_live_server,
        lambda: message_submit(author=setting["citizen"], draft=draft),
    )
    notice = watcher.locator("[data-queue-notice]")
    expect(notice).to_be_visible(timeout=LIVE)
    expect(notice).to_contain_text("1")
    expect(tab_count(watcher, "pending")).to_have_text("2")
    expect(watcher.locator(f"#queue-item-{arrived.pk}")).to_have_count(0)
    expect(announcer).to_contain_text("1", timeout=LIVE)
    expect(lamps_link).to_be_focused()
    shoot(watcher, "03-watcher-told-of-arrival")

    # Asked for, the new row is shown and takes the focus.
    watcher.locator("[data-queue-show]").focus()
    watcher.keyboard.press("Enter")
    new_row_link = watcher.locator(f"#queue-item-{arrived.pk} .queue-title a")
    expect(new_row_link).to_be_focused(timeout=LIVE)
    expect(watcher.locator(".queue-item")).to_have_count(2)
    expect(notice).to_be_hidden()
    shoot(watcher, "04-watcher-shows-arrival")

    assert watcher.evaluate("window.__samePage") is True
    bus_stop.refresh_from_db()
    assert bus_stop.status == MessageStatus.PUBLISHED


def test_the_queue_fits_a_phone(asgi_live_server, new_page, setting):
    """390 px: no sideways scrolling, every control at least 44 px high."""
    for minutes in (90, 30):
        pending(setting, f"江州大道公交站台何时修复（第{minutes}号）", minutes)
    for locale, language in (("zh-CN", "zh"), ("en-GB", "en")):
        page = new_page(locale=locale)
        page.set_viewport_size({"width": 390, "height": 844})
        log_in(page, asgi_live_server, "zhaomin")
        page.goto(f"{asgi_live_server.url}/moderation/")
        # The notice as a new arrival shows it, to measure it too.
        page.evaluate(
            "document.querySelector('[data-queue-notice]').hidden = false;"
            "document.querySelector('[data-queue-notice-text]').textContent ="
            " interpolate(ngettext('%(count)s new item for this page.',"
            " '%(count)s new items for this page.', 3), {count: 3}, true);"
        )
        shoot(page, f"05-queue-390-{language}")
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        small = page.evaluate(
            """selector => Array.from(document.querySelectorAll(selector))
               .filter(el => el.offsetParent !== null)
               .map(el => {
                 const box = el.getBoundingClientRect();
                 const label = el.labels && el.labels.length
                   ? Math.max(...Array.from(el.labels).map(
                       l => l.getBoundingClientRect().height)) : 0;
                 return [el.outerHTML.slice(0, 80), Math.max(box.height, label)];
               })
               .filter(([, height]) => height < 44)""",
            CONTROLS,
        )
        assert small == []


def test_the_focus_stays_in_the_list_when_its_row_is_decided(
    asgi_live_server, new_page, setting
):
    """The watcher's focused row is decided elsewhere: the focus moves to the
    next row, then, when the list is empty, to its heading; never to the
    page's top."""
    first = pending(setting, "江州大道公交站台何时修复", minutes_waiting=90)
    second = pending(setting, "幸福小区路灯不亮", minutes_waiting=30)
    watcher = new_page(locale="en-GB")
    log_in(watcher, asgi_live_server, "zhaomin")
    open_queue(watcher, base=asgi_live_server.url)
    first_box = watcher.locator(f"#select-{first.pk}")
    first_box.focus()
    first_box.check()

    on_server(
        asgi_live_server,
        lambda: message_reject(
            message=first, actor=setting["decider"], reason="abusive"
        ),
    )
    expect(watcher.locator(f"#queue-item-{first.pk}")).to_have_count(0, timeout=LIVE)
    # The same kind of control, one row on.
    expect(watcher.locator(f"#select-{second.pk}")).to_be_focused()
    announcer = watcher.locator("[data-queue-announcer]")
    expect(announcer).to_have_text(
        f"{first.reference} was decided and left this list.", timeout=LIVE
    )
    expect(watcher.locator("[data-queue-count]")).to_have_text("1 item")
    expect(tab_count(watcher, "rejected")).to_have_text("1")

    on_server(
        asgi_live_server,
        lambda: message_reject(
            message=second, actor=setting["decider"], reason="abusive"
        ),
    )
    expect(watcher.locator(".queue-item")).to_have_count(0, timeout=LIVE)
    expect(watcher.locator("#queue-heading")).to_be_focused()
    expect(watcher.locator("[data-queue-empty]")).to_be_visible()
    expect(watcher.locator("#bulk-form")).to_be_hidden()
    expect(tab_count(watcher, "pending")).to_have_text("0")
    expect(tab_count(watcher, "rejected")).to_have_text("2")
    shoot(watcher, "06-watcher-list-emptied-en")
    assert watcher.evaluate("window.__samePage") is True
