"""axe-core in a real Chromium over every page of every role, in Chinese and
English: no serious or critical WCAG 2 A/AA violation anywhere (#14).

axe runs from the vendored copy (tests/browser/vendor/axe-core, from npm's
axe-core; package.json's ``vendor`` script refreshes it), so CI needs no npm.
One context per role and language, signed in once; the pages of a role are
visited in it one after another.
"""

import importlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import Notification, NotificationKind
from board.statistics import statistics_rebuild
from moderation.models import ModerationReason
from tests.factories import (
    TEST_PASSWORD,
    CategoryFactory,
    DepartmentFactory,
    OfficialFactory,
    PendingMessageFactory,
    RegionFactory,
    ReplyFactory,
    RoutedMessageFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
LOCALES = {"zh-hans": "zh-CN", "en": "en-GB"}
BLOCKING_IMPACTS = ("serious", "critical")
SIGNED_IN = "(signed in)"

# Every element that fails a rule: the rule, its impact, the element's CSS
# path and the first line of what would fix it. WCAG 2.0 A and AA rules only.
RUN_AXE = """
async () => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa"] },
    resultTypes: ["violations"],
  });
  return results.violations.flatMap((violation) =>
    violation.nodes.map((node) => ({
      rule: violation.id,
      impact: node.impact || violation.impact,
      target: node.target.join(" "),
      summary: (node.failureSummary || "")
        .split("\\n").slice(0, 2).join(" ").replace(/\\s+/g, " "),
    }))
  );
}
"""


def ensure_reasons():
    """Transactional tests flush the reasons the data migration wrote; the
    moderation item's reject form lists them."""
    migration = importlib.import_module("moderation.migrations.0002_reasons")
    for order, (code, title, title_en, explanation, explanation_en) in enumerate(
        migration.REASONS
    ):
        ModerationReason.objects.get_or_create(
            code=code,
            defaults={
                "title": title,
                "title_en": title_en,
                "explanation": explanation,
                "explanation_en": explanation_en,
                "requires_note": code == "other",
                "sort_order": order,
            },
        )


@pytest.fixture
def demo():
    """A city with a department and its official, a citizen whose message was
    answered, one routed message in the inbox, one waiting for review."""
    ensure_reasons()
    province = RegionFactory(name="江南省", name_en="Jiangnan")
    city = RegionFactory(name="江州市", name_en="Jiangzhou", parent=province)
    department = DepartmentFactory(
        name="江州市交通运输局", name_en="Jiangzhou Transport Bureau", region=city
    )
    official = OfficialFactory(
        name="李明",
        title="江州市交通运输局局长",
        title_en="Director, Jiangzhou Transport Bureau",
        region=city,
        department=department,
        user=UserFactory(username="liming", official=True),
    )
    citizen = UserFactory(username="wangfang", citizen=True)
    category = CategoryFactory(slug="transport", name="交通出行", name_en="Transport")
    addressed = {
        "region": city,
        "addressee_official": official,
        "category": category,
    }
    answered = RoutedMessageFactory(
        author=citizen,
        title="江州大道公交站台顶棚损坏",
        body="江州大道公交站台顶棚损坏，雨天无法候车。请问何时修复？",
        body_html="<p>江州大道公交站台顶棚损坏，雨天无法候车。请问何时修复？</p>",
        status=MessageStatus.REPLIED,
        **addressed,
    )
    ReplyFactory(
        message=answered,
        author=official.user,
        body="站台顶棚已于本周修复，感谢您的监督。",
        body_html="<p>站台顶棚已于本周修复，感谢您的监督。</p>\n",
    )
    waiting = RoutedMessageFactory(
        title="幸福小区路灯不亮",
        body="幸福小区路灯已经坏了两周，晚上很黑。",
        body_html="<p>幸福小区路灯已经坏了两周，晚上很黑。</p>",
        **addressed,
    )
    pending = PendingMessageFactory(
        author=citizen,
        title="老旧小区加装电梯进展",
        body="请问老旧小区加装电梯的申请进展如何？",
        body_html="<p>请问老旧小区加装电梯的申请进展如何？</p>",
        submitted_for_review_at=timezone.now(),
        **addressed,
    )
    # The row only: its push would need the event loop Playwright holds.
    Notification.objects.create(
        recipient=citizen, kind=NotificationKind.MESSAGE_ROUTED, message=answered
    )
    statistics_rebuild()
    return {
        "city": city,
        "official": official,
        "citizen": citizen,
        "moderator": UserFactory(username="zhaomin", moderator=True),
        # 长辈模式: larger type and its own colours, checked too.
        "elder": UserFactory(username="laozhang", citizen=True, elder_mode=True),
        "answered": answered,
        "waiting": waiting,
        "pending": pending,
    }


def pages_by_role(demo) -> dict[str, tuple[str | None, list[str]]]:
    """Each role's user (None: anonymous) and every page it has."""
    answered = demo["answered"]
    return {
        "anonymous": (
            None,
            [
                "/",
                f"/?region={demo['city'].pk}",
                "/?q=公交站台",
                answered.get_absolute_url(),
                f"/officials/{demo['official'].pk}/",
                "/officials/",
                f"/regions/{demo['city'].pk}/",
                "/stats/",
                "/open-data/",
                "/transparency/",
                "/accounts/login/",
                "/accounts/signup/",
                "/guidelines/",
            ],
        ),
        "citizen": (
            demo["citizen"],
            [
                "/",
                # The author's page: the follow-up and rating forms.
                answered.get_absolute_url(),
                "/messages/new/",
                "/me/messages/",
                "/notifications/",
                "/notifications/settings/",
                "/me/data/",
            ],
        ),
        "citizen-elder-mode": (
            demo["elder"],
            [
                "/",
                answered.get_absolute_url(),
                f"/officials/{demo['official'].pk}/",
                "/messages/new/",
                "/me/messages/",
            ],
        ),
        "moderator": (
            demo["moderator"],
            ["/moderation/", f"/moderation/messages/{demo['pending'].pk}/"],
        ),
        "official": (
            demo["official"].user,
            ["/inbox/", f"/inbox/messages/{demo['waiting'].pk}/"],
        ),
    }


def sign_in(page, base, user) -> None:
    """Through the login form, so the first page shows the "signed in" flash
    message (the flash list is checked too)."""
    page.goto(f"{base}/accounts/login/")
    page.locator("input[name=login]").fill(user.username)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def page_violations(page) -> tuple[str, list[dict]]:
    """How the page that is open answered ("/path/ en", with " elder" in
    elder mode), and its blocking violations."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(RUN_AXE)
    html = page.locator("html")
    answer = f"{urlsplit(page.url).path} {html.get_attribute('lang')}"
    if "elder" in (html.get_attribute("class") or "").split():
        answer += " elder"
    return answer, [v for v in found if v["impact"] in BLOCKING_IMPACTS]


@pytest.mark.parametrize(
    "role",
    ["anonymous", "citizen", "citizen-elder-mode", "moderator", "official"],
)
def test_every_page_has_no_serious_accessibility_violation(
    role, asgi_live_server, browser, demo
):
    base = asgi_live_server.url
    user, paths = pages_by_role(demo)[role]
    blocking, answers, expected = [], {}, {}
    elder = " elder" if user is not None and user.elder_mode else ""
    for language, locale in LOCALES.items():
        # axe is added as a script tag: the page's CSP would refuse it.
        context = browser.new_context(
            locale=locale, viewport={"width": 1280, "height": 900}, bypass_csp=True
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        visits = list(paths)
        if user is not None:
            # The page a sign-in lands on, with its flash message.
            visits.insert(0, SIGNED_IN)
        try:
            for path in visits:
                if path == SIGNED_IN:
                    sign_in(page, base, user)
                    status = 200
                else:
                    status = page.goto(f"{base}{path}", wait_until="load").status
                answer, violations = page_violations(page)
                key = f"{path} [{language}]"
                answers[key] = f"{status} {answer}"
                landing = "/me/messages/" if path == SIGNED_IN else path
                expected[key] = f"200 {urlsplit(landing).path} {language}{elder}"
                blocking += [
                    f"{key} {v['rule']} ({v['impact']}) at {v['target']}: "
                    f"{v['summary']}"
                    for v in violations
                ]
        finally:
            context.close()
    # And each page was itself, in the language asked for, seen by the role:
    # not a 404 nor a redirect to the login page.
    problems = blocking + [
        f"{key} answered {answers[key]!r}, not {answer!r}"
        for key, answer in expected.items()
        if answers[key] != answer
    ]
    assert problems == [], "\n".join(problems)
