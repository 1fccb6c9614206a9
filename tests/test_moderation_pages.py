"""The moderators' HTML pages, the public transparency page, the site notice,
and what citizens see of moderation on a message's page."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from board.lifecycle import MessageStatus
from board.models import IntakeChannel, Message, MessageEvent
from moderation.actions import message_reject, queue_item_claim
from moderation.context_processors import QUEUE_IS_BEHIND_CACHE_KEY
from moderation.models import (
    AuditEvent,
    AuditVerb,
    BlockedEmailDomain,
    ModeratorNote,
    OriginalContent,
    Report,
    SiteNotice,
    UserBlock,
)
from tests.factories import (
    CategoryFactory,
    DepartmentFactory,
    MessageFactory,
    OfficialFactory,
    RegionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def forget_queue_health():
    # tests/conftest.py forgets it before each test; the site notice's tests
    # also forget it midway.
    # Not cache.clear(): on Redis that flushes the whole database, the keys
    # of the other test workers included (their presence marks, tickets).
    cache.delete(QUEUE_IS_BEHIND_CACHE_KEY)


@pytest.fixture
def moderator2(db):
    return UserFactory(moderator=True, username="moderator2")


@pytest.fixture
def moderator_client(client, moderator):
    client.force_login(moderator)
    return client


def pending_message(hours_waiting=3, **kwargs):
    return MessageFactory(
        status=MessageStatus.PENDING,
        submitted_for_review_at=timezone.now() - timedelta(hours=hours_waiting),
        **kwargs,
    )


def item_url(message):
    return reverse("moderation:item", args=[message.pk])


def action_url(message, action):
    return reverse("moderation:item_action", args=[message.pk, action])


def seen(message):
    message.refresh_from_db()
    return message.updated_at.isoformat()


def flashes(response):
    return [str(flash) for flash in get_messages(response.wsgi_request)]


def audit_verbs(message):
    return list(
        AuditEvent.objects.filter(message=message)
        .order_by("pk")
        .values_list("verb", flat=True)
    )


# --- Who may see the pages ---

MODERATION_GETS = ["queue", "dashboard", "blocks", "intake"]
MODERATION_POSTS = ["user_block", "user_unblock", "domain_block", "domain_unblock"]
ITEM_ACTIONS = ["approve", "reject", "hide", "note", "take_over", "release"]


@pytest.mark.parametrize("role", ["citizen", "official"])
def test_moderation_pages_are_404_to_citizens_and_officials(client, role):
    client.force_login(UserFactory(**{role: True}))
    message = pending_message()
    for name in MODERATION_GETS:
        assert client.get(reverse(f"moderation:{name}")).status_code == 404, name
    for name in MODERATION_POSTS:
        assert client.post(reverse(f"moderation:{name}")).status_code == 404, name
    assert client.get(item_url(message)).status_code == 404
    for action in ITEM_ACTIONS:
        response = client.post(action_url(message, action), {"body": "x"})
        assert response.status_code == 404, action
    message.refresh_from_db()
    assert message.claimed_by is None
    assert AuditEvent.objects.count() == 0


def test_moderation_pages_send_anonymous_visitors_to_log_in(client):
    message = pending_message()
    urls = [reverse(f"moderation:{name}") for name in MODERATION_GETS]
    urls.append(item_url(message))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url
    for url in [reverse(f"moderation:{name}") for name in MODERATION_POSTS] + [
        action_url(message, action) for action in ITEM_ACTIONS
    ]:
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_moderation_link_is_shown_to_moderators_only(client, moderator, citizen):
    queue_url = reverse("moderation:queue")
    client.force_login(citizen)
    assert f'href="{queue_url}"' not in client.get("/").content.decode()
    client.force_login(moderator)
    assert f'href="{queue_url}"' in client.get("/").content.decode()


# --- The queue ---


def test_queue_shows_pending_items_with_age_findings_and_claims(
    moderator_client, moderator2
):
    overdue = pending_message(
        hours_waiting=30,
        title="超期的留言",
        prescreen_flags=[
            {"code": "phone", "detail": "", "needs_second_approval": False},
            {"code": "rule", "detail": "敏感词", "needs_second_approval": True},
        ],
        prescreen_score=2,
        needs_second_approval=True,
    )
    fresh = pending_message(hours_waiting=3, title="新的留言")
    queue_item_claim(message=fresh, actor=moderator2)
    MessageFactory(title="已公开的留言")

    response = moderator_client.get(reverse("moderation:queue"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "超期的留言" in html
    assert "新的留言" in html
    assert "已公开的留言" not in html
    rows = {row["pk"]: row for row in response.context["rows"]}
    assert rows[overdue.pk]["is_overdue"] is True
    assert rows[fresh.pk]["is_overdue"] is False
    assert "3" in rows[fresh.pk]["waiting"]
    assert [finding["code"] for finding in rows[overdue.pk]["findings"]] == [
        "phone",
        "rule",
    ]
    assert "敏感词" in html
    assert rows[fresh.pk]["holder"] == str(moderator2)
    assert "moderator2" in html
    assert 'class="wait overdue"' in html
    counts = {tab["name"]: tab["count"] for tab in response.context["tabs"]}
    assert counts["pending"] == 2
    assert counts["flagged"] == 0


def test_queue_filters_by_kind_and_region_and_sorts_by_risk(moderator_client):
    province = RegionFactory()
    city = RegionFactory(parent=province)
    in_city = pending_message(region=city, kind="help", hours_waiting=2)
    risky = pending_message(kind="complaint", prescreen_score=3, hours_waiting=1)
    plain = pending_message(kind="complaint", hours_waiting=5)
    url = reverse("moderation:queue")

    def listed(params):
        response = moderator_client.get(url, params)
        return [row["pk"] for row in response.context["rows"]]

    assert listed({"kind": "help"}) == [in_city.pk]
    assert listed({"region": province.pk}) == [in_city.pk]
    assert listed({}) == [plain.pk, in_city.pk, risky.pk]
    assert listed({"sort": "risk"})[0] == risky.pk
    assert listed({"region": "nonsense", "queue": "nope"}) == listed({})


def test_flagged_queue_counts_open_reports(moderator_client, settings):
    settings.ZHITONG_REPORTS_TO_FLAG = 1
    message = MessageFactory(title="被举报的留言", flagged_at=timezone.now())
    Report.objects.create(message=message, reporter=UserFactory(), reason="广告")
    response = moderator_client.get(reverse("moderation:queue"), {"queue": "flagged"})
    rows = response.context["rows"]
    assert [row["pk"] for row in rows] == [message.pk]
    assert rows[0]["open_reports"] == 1
    assert response.context["queue"] == "flagged"


def test_bulk_approve_skips_and_reports_an_item_someone_else_holds(
    moderator_client, moderator2
):
    first, second, held = (pending_message() for _ in range(3))
    queue_item_claim(message=held, actor=moderator2)

    response = moderator_client.post(
        reverse("moderation:queue") + "?queue=pending",
        {"messages": [first.pk, second.pk, held.pk], "decision": "approve"},
    )

    assert response.status_code == 302
    for message in (first, second, held):
        message.refresh_from_db()
    assert first.status == second.status == MessageStatus.PUBLISHED
    assert held.status == MessageStatus.PENDING
    assert held.claimed_by == moderator2
    texts = flashes(response)
    assert any(held.reference in text and "moderator2" in text for text in texts)
    assert not any(first.reference in text for text in texts)
    assert AuditEvent.objects.filter(verb=AuditVerb.APPROVED).count() == 2


def test_bulk_reject_needs_a_reason_and_the_note_other_requires(moderator_client):
    message = pending_message()
    url = reverse("moderation:queue")
    response = moderator_client.post(
        url, {"messages": [message.pk], "decision": "reject"}
    )
    assert response.status_code == 400
    assert "reason" in response.context["bulk_form"].errors
    response = moderator_client.post(
        url, {"messages": [message.pk], "decision": "reject", "reason": "other"}
    )
    assert response.status_code == 400
    assert "note" in response.context["bulk_form"].errors
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING

    response = moderator_client.post(
        url,
        {"messages": [message.pk], "decision": "reject", "reason": "advertising"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert message.moderation_reason == "advertising"


# --- One item: claims ---


def test_opening_an_item_claims_it_and_a_second_moderator_sees_the_holder(
    client, moderator, moderator2
):
    message = pending_message(contact_phone="13800138000")
    client.force_login(moderator)
    response = client.get(item_url(message))
    assert response.status_code == 200
    assert response.context["held_by_me"] is True
    assert "13800138000" in response.content.decode()
    message.refresh_from_db()
    assert message.claimed_by == moderator
    assert message.claim_expires_at > timezone.now()
    assert audit_verbs(message) == [AuditVerb.CLAIMED]

    client.force_login(moderator2)
    response = client.get(item_url(message))
    assert response.status_code == 200
    assert response.context["held_by_other"] is True
    assert response.context["holder"] == moderator
    html = response.content.decode()
    assert moderator.username in html
    assert action_url(message, "take_over") in html
    # Someone else's claim hides the decision forms.
    assert action_url(message, "approve") not in html
    message.refresh_from_db()
    assert message.claimed_by == moderator


def test_take_over_is_explicit_and_audited(client, moderator, moderator2):
    message = pending_message()
    queue_item_claim(message=message, actor=moderator)
    client.force_login(moderator2)

    response = client.post(action_url(message, "take_over"))

    assert response.status_code == 302
    assert response["Location"] == item_url(message)
    message.refresh_from_db()
    assert message.claimed_by == moderator2
    takeover = AuditEvent.objects.get(verb=AuditVerb.TAKEN_OVER)
    assert takeover.actor == moderator2
    assert takeover.extra["old"] == {"claimed_by": moderator.pk}


def test_release_gives_the_item_back(moderator_client, moderator):
    message = pending_message()
    moderator_client.get(item_url(message))
    response = moderator_client.post(action_url(message, "release"))
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.claimed_by is None
    assert AuditVerb.RELEASED in audit_verbs(message)


def test_acting_on_an_item_someone_else_holds_is_a_409(client, moderator, moderator2):
    message = pending_message()
    queue_item_claim(message=message, actor=moderator2)
    client.force_login(moderator)
    response = client.post(
        action_url(message, "reject"),
        {"seen_updated_at": seen(message), "reason": "advertising"},
    )
    assert response.status_code == 409
    assert "moderator2" in response.content.decode()
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


# --- One item: decisions ---


def test_approve_routes_to_the_chosen_addressee_and_category(moderator_client):
    province = RegionFactory()
    city = RegionFactory(parent=province)
    department = DepartmentFactory(region=province, name="省交通厅")
    elsewhere = OfficialFactory(name="外地官员")
    category = CategoryFactory(slug="transport", name="交通出行")
    message = pending_message(region=city)

    page = moderator_client.get(item_url(message))
    choices = page.context["forms"]["approve"].fields["addressee"].choices
    values = [value for _group, options in choices[1:] for value, _label in options]
    assert f"d:{department.pk}" in values
    assert f"o:{message.addressee_official_id}" in values
    assert f"o:{elsewhere.pk}" not in values

    response = moderator_client.post(
        action_url(message, "approve"),
        {
            "seen_updated_at": seen(message),
            "addressee": f"d:{department.pk}",
            "category": category.pk,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue") + "?queue=pending"
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED
    assert message.addressee_department == department
    assert message.addressee_official is None
    assert message.category == category
    assert message.claimed_by is None
    approved = AuditEvent.objects.get(verb=AuditVerb.APPROVED)
    assert approved.extra["new"]["addressee_department"] == department.pk
    assert message.events.filter(verb=MessageEvent.Verb.ROUTED).exists()


def test_approve_with_an_addressee_outside_the_region_is_a_form_error(
    moderator_client,
):
    message = pending_message()
    elsewhere = OfficialFactory()
    response = moderator_client.post(
        action_url(message, "approve"),
        {
            "seen_updated_at": seen(message),
            "addressee": f"o:{elsewhere.pk}",
            "category": message.category_id,
        },
    )
    assert response.status_code == 400
    assert "addressee" in response.context["forms"]["approve"].errors
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_an_item_needing_two_approvals_stays_pending_after_the_first(
    client, moderator, moderator2
):
    message = pending_message(needs_second_approval=True)
    for actor in (moderator, moderator2):
        client.force_login(actor)
        client.get(item_url(message))
        response = client.post(
            action_url(message, "approve"),
            {
                "seen_updated_at": seen(message),
                "addressee": f"o:{message.addressee_official_id}",
                "category": message.category_id,
            },
        )
        assert response.status_code == 302
        message.refresh_from_db()
        if actor == moderator:
            assert message.status == MessageStatus.PENDING
            assert message.first_approved_by == moderator
    assert message.status == MessageStatus.PUBLISHED


def test_reject_with_a_reason(moderator_client):
    message = pending_message()
    moderator_client.get(item_url(message))
    response = moderator_client.post(
        action_url(message, "reject"),
        {"seen_updated_at": seen(message), "reason": "abusive", "note": "第二段"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED
    assert message.moderation_reason == "abusive"
    assert message.moderation_note == "第二段"
    rejected = AuditEvent.objects.get(verb=AuditVerb.REJECTED)
    assert rejected.extra["new"]["reason"] == "abusive"
    assert rejected.reason == "第二段"


def test_reject_other_without_a_note_is_a_form_error_and_changes_nothing(
    moderator_client,
):
    message = pending_message()
    moderator_client.get(item_url(message))
    before = audit_verbs(message)
    response = moderator_client.post(
        action_url(message, "reject"),
        {"seen_updated_at": seen(message), "reason": "other", "note": "  "},
    )
    assert response.status_code == 400
    assert "note" in response.context["forms"]["reject"].errors
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING
    assert message.moderation_reason == ""
    assert audit_verbs(message) == before


def test_a_stale_form_is_refused_not_applied(moderator_client):
    message = pending_message()
    moderator_client.get(item_url(message))
    loaded = seen(message)
    # Something changes the item after the form was loaded.
    Message.objects.filter(pk=message.pk).update(
        updated_at=timezone.now() + timedelta(seconds=1)
    )
    response = moderator_client.post(
        action_url(message, "approve"),
        {
            "seen_updated_at": loaded,
            "addressee": f"o:{message.addressee_official_id}",
            "category": message.category_id,
        },
    )
    assert response.status_code == 409
    errors = response.context["forms"]["approve"].non_field_errors()
    assert errors
    assert errors[0] in response.content.decode()
    # The re-rendered page carries the current version.
    assert response.context["seen_updated_at"] == seen(message)
    message.refresh_from_db()
    assert message.status == MessageStatus.PENDING


def test_a_stale_hide_form_is_refused_too(moderator_client):
    message = MessageFactory()
    moderator_client.get(item_url(message))
    loaded = seen(message)
    Message.objects.filter(pk=message.pk).update(
        updated_at=timezone.now() + timedelta(seconds=1)
    )
    response = moderator_client.post(
        action_url(message, "hide"),
        {"seen_updated_at": loaded, "reason": "advertising"},
    )
    assert response.status_code == 409
    message.refresh_from_db()
    assert message.status == MessageStatus.PUBLISHED


def test_request_changes_needs_a_note(moderator_client):
    message = pending_message()
    moderator_client.get(item_url(message))
    response = moderator_client.post(
        action_url(message, "request_changes"), {"seen_updated_at": seen(message)}
    )
    assert response.status_code == 400
    response = moderator_client.post(
        action_url(message, "request_changes"),
        {"seen_updated_at": seen(message), "note": "请补充具体地址。"},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.CHANGES_REQUESTED
    assert AuditVerb.CHANGES_REQUESTED in audit_verbs(message)


def test_redact_is_prefilled_with_masked_text_and_keeps_the_original(
    moderator_client,
):
    message = MessageFactory(
        body="我的电话是13800138000，请联系。", body_html="<p>original</p>"
    )
    page = moderator_client.get(item_url(message))
    initial = page.context["forms"]["redact"].initial
    assert "138****8000" in initial["body"]
    assert "13800138000" not in initial["body"]

    response = moderator_client.post(
        action_url(message, "redact"),
        {
            "seen_updated_at": seen(message),
            "title": message.title,
            "body": "我的电话是138****8000，请联系。",
            "note": "手机号",
        },
    )

    assert response.status_code == 302
    message.refresh_from_db()
    assert message.is_redacted is True
    assert "138****8000" in message.public_body
    assert OriginalContent.objects.get(message=message).body == (
        "我的电话是13800138000，请联系。"
    )
    assert AuditVerb.REDACTED in audit_verbs(message)
    page = moderator_client.get(item_url(message))
    assert "13800138000" in page.content.decode()
    assert list(page.context["originals"])


def test_mark_duplicate_by_reference_links_both_pages(moderator_client, client):
    original = MessageFactory(title="原留言")
    message = pending_message(author=original.author)
    moderator_client.get(item_url(message))

    response = moderator_client.post(
        action_url(message, "duplicate"),
        {"seen_updated_at": seen(message), "of": "ZT-1999-000001"},
    )
    assert response.status_code == 400
    assert "of" in response.context["forms"]["duplicate"].errors
    message.refresh_from_db()
    assert message.duplicate_of is None

    response = moderator_client.post(
        action_url(message, "duplicate"),
        {"seen_updated_at": seen(message), "of": original.reference.lower()},
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.duplicate_of == original
    assert message.status == MessageStatus.REJECTED
    assert AuditVerb.MARKED_DUPLICATE in audit_verbs(message)

    client.force_login(original.author)
    duplicate_page = client.get(message.get_absolute_url()).content.decode()
    assert original.get_absolute_url() in duplicate_page
    original_page = client.get(original.get_absolute_url()).content.decode()
    assert message.reference in original_page
    # The public does not see the rejected duplicate.
    client.logout()
    assert (
        message.reference
        not in client.get(original.get_absolute_url()).content.decode()
    )


def test_hide_and_restore(moderator_client):
    message = MessageFactory(status=MessageStatus.ACCEPTED)
    moderator_client.get(item_url(message))
    response = moderator_client.post(
        action_url(message, "hide"),
        {"seen_updated_at": seen(message), "reason": "illegal", "note": "违法"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?queue=pending")
    message.refresh_from_db()
    assert message.status == MessageStatus.HIDDEN
    assert message.moderation_reason == "illegal"

    page = moderator_client.get(item_url(message))
    assert "restore" in page.context["forms"]
    response = moderator_client.post(
        action_url(message, "restore"), {"seen_updated_at": seen(message)}
    )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == MessageStatus.ACCEPTED
    verbs = [verb for verb in audit_verbs(message) if verb != AuditVerb.CLAIMED]
    assert verbs == [AuditVerb.HIDDEN, AuditVerb.RESTORED]


def test_hiding_an_already_rejected_message_is_a_visible_error(moderator_client):
    message = MessageFactory(status=MessageStatus.REJECTED)
    response = moderator_client.post(
        action_url(message, "hide"),
        {"seen_updated_at": seen(message), "reason": "advertising"},
    )
    assert response.status_code == 409
    assert response.context["forms"]["hide"].non_field_errors()
    message.refresh_from_db()
    assert message.status == MessageStatus.REJECTED


def test_resolving_reports_on_a_flagged_message(moderator_client):
    message = MessageFactory(flagged_at=timezone.now())
    for _ in range(3):
        Report.objects.create(message=message, reporter=UserFactory(), reason="广告")
    page = moderator_client.get(item_url(message))
    assert "resolve" in page.context["forms"]
    assert len(page.context["reports"]) == 3

    response = moderator_client.post(
        action_url(message, "resolve"),
        {"seen_updated_at": seen(message), "resolution": "hide"},
    )
    assert response.status_code == 400
    assert "reason" in response.context["forms"]["resolve"].errors

    response = moderator_client.post(
        action_url(message, "resolve"),
        {"seen_updated_at": seen(message), "resolution": "keep", "note": "无问题"},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("?queue=flagged")
    message.refresh_from_db()
    assert message.flagged_at is None
    assert message.status == MessageStatus.PUBLISHED
    assert not Report.objects.filter(resolved_at__isnull=True).exists()
    assert AuditVerb.REPORT_RESOLVED in audit_verbs(message)


def test_moderator_notes(moderator_client, moderator):
    message = pending_message()
    response = moderator_client.post(action_url(message, "note"), {"body": "  "})
    assert response.status_code == 400
    response = moderator_client.post(
        action_url(message, "note"), {"body": "作者之前也发过类似内容"}
    )
    assert response.status_code == 302
    assert response["Location"] == item_url(message)
    note = ModeratorNote.objects.get(message=message)
    assert note.author == moderator
    assert AuditVerb.NOTE_ADDED in audit_verbs(message)
    assert (
        "作者之前也发过类似内容"
        in moderator_client.get(item_url(message)).content.decode()
    )


def test_unknown_item_action_is_404(moderator_client):
    message = pending_message()
    response = moderator_client.post(action_url(message, "publish-everything"))
    assert response.status_code == 404


# --- Dashboard, blocks, intake ---


def test_dashboard_shows_the_queue_health(moderator_client):
    pending_message(hours_waiting=30)
    pending_message(hours_waiting=2)
    response = moderator_client.get(reverse("moderation:dashboard"))
    assert response.status_code == 200
    health = response.context["health"]
    assert health.waiting == 2
    assert health.over_deadline == 1
    assert response.context["oldest_is_overdue"] is True
    assert "30" in response.context["oldest"]
    assert 'data-figure="over-deadline">1<' in response.content.decode()


def test_block_and_unblock_a_user(moderator_client, citizen):
    url = reverse("moderation:user_block")
    response = moderator_client.post(url, {"user": "nobody-here", "reason": "垃圾"})
    assert response.status_code == 400
    assert "user" in response.context["user_block_form"].errors

    response = moderator_client.post(
        url, {"user": citizen.username, "reason": "连续发送广告"}
    )
    assert response.status_code == 302
    block = UserBlock.objects.get(user=citizen, lifted_at__isnull=True)
    assert block.reason == "连续发送广告"
    page = moderator_client.get(reverse("moderation:blocks"))
    assert "连续发送广告" in page.content.decode()

    response = moderator_client.post(url, {"user": citizen.username, "reason": "again"})
    assert response.status_code == 400

    response = moderator_client.post(
        reverse("moderation:user_unblock"), {"user": citizen.pk}
    )
    assert response.status_code == 302
    assert not UserBlock.objects.filter(lifted_at__isnull=True).exists()
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == [AuditVerb.USER_BLOCKED, AuditVerb.USER_UNBLOCKED]


def test_block_and_unblock_an_email_domain(moderator_client):
    url = reverse("moderation:domain_block")
    response = moderator_client.post(url, {"domain": "not a domain", "reason": "x"})
    assert response.status_code == 400
    assert "domain" in response.context["domain_block_form"].errors

    response = moderator_client.post(
        url, {"domain": "@Spam.Example", "reason": "批量注册"}
    )
    assert response.status_code == 302
    assert BlockedEmailDomain.objects.get().domain == "spam.example"

    response = moderator_client.post(
        reverse("moderation:domain_unblock"), {"domain": "spam.example"}
    )
    assert response.status_code == 302
    assert not BlockedEmailDomain.objects.exists()
    verbs = list(AuditEvent.objects.order_by("pk").values_list("verb", flat=True))
    assert verbs == [AuditVerb.DOMAIN_BLOCKED, AuditVerb.DOMAIN_UNBLOCKED]


def intake_data(official, **extra):
    return {
        "channel": "phone",
        "region": official.region_id,
        "addressee": f"o:{official.pk}",
        "category": CategoryFactory().pk,
        "kind": "help",
        "title": "电话反映：小区停水",
        "body": "市民来电反映小区已停水两天。",
        "is_public": "1",
        "note": "2026-03-02 上午来电",
        **extra,
    }


def test_staff_intake_for_a_citizen_with_an_account(moderator_client, moderator):
    official = OfficialFactory()
    citizen = UserFactory(citizen=True, username="laozhang")
    response = moderator_client.post(
        reverse("moderation:intake"), intake_data(official, citizen="laozhang")
    )
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.author == citizen
    assert message.intake_channel == IntakeChannel.PHONE
    assert message.intake_by == moderator
    assert message.status == MessageStatus.PENDING
    event = message.events.get()
    assert event.verb == MessageEvent.Verb.ENTERED_BY_STAFF
    assert AuditEvent.objects.get().verb == AuditVerb.STAFF_INTAKE


def test_staff_intake_without_an_account_makes_the_moderator_the_author(
    moderator_client, moderator
):
    official = OfficialFactory()
    url = reverse("moderation:intake")
    assert moderator_client.get(url).status_code == 200
    response = moderator_client.post(url, intake_data(official, citizen="ghost"))
    assert response.status_code == 400
    assert "citizen" in response.context["form"].errors
    response = moderator_client.post(url, intake_data(official, channel="web"))
    assert response.status_code == 400
    assert not Message.objects.exists()

    response = moderator_client.post(url, intake_data(official))
    assert response.status_code == 302
    assert Message.objects.get().author == moderator


# --- Public: transparency, site notice ---


def test_transparency_page_shows_monthly_figures_to_anyone(client, moderator):
    for _ in range(2):
        MessageFactory()
    rejected = pending_message()
    message_reject(message=rejected, actor=moderator, reason="advertising")
    other = pending_message()
    message_reject(message=other, actor=moderator, reason="other", note="说明")

    response = client.get(reverse("transparency"))

    assert response.status_code == 200
    month = response.context["months"][0]
    assert month["received"] == 4
    assert month["published"] == 2
    assert month["rejected_total"] == 2
    assert dict(month["rejected"]) == {"广告或垃圾信息": 1, "其他原因": 1}
    assert month["median_review"]
    html = response.content.decode()
    assert "广告或垃圾信息" in html
    assert "说明" not in html


def test_site_notice_appears_while_an_item_is_over_the_deadline(client):
    SiteNotice.objects.create(
        text="近期留言较多，审核可能延迟。", text_en="Reviews are delayed."
    )
    pending_message(hours_waiting=2)
    assert "近期留言较多" not in client.get("/").content.decode()

    forget_queue_health()
    pending_message(hours_waiting=25)
    html = client.get("/").content.decode()
    assert "近期留言较多，审核可能延迟。" in html
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reviews are delayed." in english


def test_site_notice_is_cached_for_a_minute(client):
    SiteNotice.objects.create(text="延迟", text_en="Delay")
    pending_message(hours_waiting=25)
    client.get("/")
    Message.objects.all().delete()
    # The queue caught up, but the cached health still says it is behind.
    assert "延迟" in client.get("/").content.decode()
    forget_queue_health()
    assert "延迟" not in client.get("/").content.decode()


# --- The message page: reports and what the author is told ---


def test_a_signed_in_user_reports_a_message_once(client, other_citizen):
    message = MessageFactory()
    client.force_login(other_citizen)
    page = client.get(message.get_absolute_url())
    assert page.context["can_report"] is True
    report_url = reverse("message_report", args=[message.pk])
    assert report_url in page.content.decode()

    response = client.post(report_url, {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["report_form"].errors

    response = client.post(report_url, {"reason": "含有广告"})
    assert response.status_code == 302
    assert Report.objects.get().reason == "含有广告"
    page = client.get(message.get_absolute_url())
    assert page.context["has_reported"] is True
    assert report_url not in page.content.decode()

    response = client.post(report_url, {"reason": "再次举报"})
    assert response.status_code == 302
    assert Report.objects.count() == 1
    assert flashes(response)


def test_the_author_and_anonymous_visitors_get_no_report_form(client):
    message = MessageFactory()
    report_url = reverse("message_report", args=[message.pk])
    assert report_url not in client.get(message.get_absolute_url()).content.decode()
    response = client.post(report_url, {"reason": "x"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    client.force_login(message.author)
    assert client.get(message.get_absolute_url()).context["can_report"] is False
    response = client.post(report_url, {"reason": "自己举报自己"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_third_report_sends_a_message_to_the_flagged_queue(client, settings):
    settings.ZHITONG_REPORTS_TO_FLAG = 3
    message = MessageFactory()
    for _ in range(3):
        client.force_login(UserFactory(citizen=True))
        client.post(reverse("message_report", args=[message.pk]), {"reason": "广告"})
    message.refresh_from_db()
    assert message.flagged_at is not None


def test_the_author_of_a_rejected_message_sees_the_reason_explained(
    client, moderator, other_citizen
):
    message = pending_message()
    message_reject(message=message, actor=moderator, reason="abusive", note="第三段")

    client.force_login(message.author)
    html = client.get(message.get_absolute_url()).content.decode()
    assert "含有辱骂或人身攻击" in html
    assert "欢迎您修改后重新提交" in html
    assert "第三段" in html

    client.force_login(other_citizen)
    assert client.get(message.get_absolute_url()).status_code == 404


def test_the_author_sees_the_requested_changes_and_can_edit(client, moderator):
    message = pending_message()
    client.force_login(moderator)
    client.post(
        action_url(message, "request_changes"),
        {"seen_updated_at": seen(message), "note": "请补充发生的时间。"},
    )
    client.force_login(message.author)
    response = client.get(message.get_absolute_url())
    html = response.content.decode()
    assert "请补充发生的时间。" in html
    assert reverse("board:message_edit", args=[message.pk]) in html


def test_a_redacted_message_says_so_to_the_public(client):
    message = MessageFactory(
        body="电话13800138000",
        is_redacted=True,
        public_title="公开标题",
        public_body="电话138****8000",
        public_body_html="<p>电话138****8000</p>",
    )
    response = client.get(message.get_absolute_url())
    html = response.content.decode()
    assert "138****8000" in html
    assert "13800138000" not in html
    assert 'class="moderation-notice"' in html
