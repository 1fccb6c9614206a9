"""The admin: reasons, rules and notices editable; the audit trail append-only."""

import pytest
from django.urls import reverse
from django.utils import timezone

from moderation.actions import (
    audit_record,
    email_domain_block,
    message_redact,
    message_reject,
    message_report,
    moderator_note_add,
    user_block,
)
from moderation.models import (
    AuditEvent,
    AuditVerb,
    BlockedEmailDomain,
    ModerationReason,
    ModeratorNote,
    OriginalContent,
    Report,
    ScreeningRule,
    SiteNotice,
    UserBlock,
)
from tests.factories import MessageFactory, PendingMessageFactory, UserFactory

pytestmark = pytest.mark.django_db


def admin_url(model, view, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args
    )


@pytest.fixture
def rejection(moderator):
    message = PendingMessageFactory()
    message_reject(message=message, actor=moderator, reason="abusive", note="辱骂他人")
    return AuditEvent.objects.get()


# --- The audit trail ---


def test_an_existing_audit_event_cannot_be_saved_or_deleted(rejection):
    rejection.reason = "改写历史"
    with pytest.raises(PermissionError):
        rejection.save()
    with pytest.raises(PermissionError):
        rejection.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=rejection.pk).update(reason="改写历史")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    rejection.refresh_from_db()
    assert rejection.reason == "辱骂他人"
    assert AuditEvent.objects.count() == 1


def test_the_audit_changelist_loads_and_filters(
    admin_client, rejection, moderator, moderator2
):
    other = audit_record(
        actor=moderator2,
        verb=AuditVerb.USER_BLOCKED,
        target_type="user",
        target_id="4242",
        reason="广告",
    )
    url = admin_url(AuditEvent, "changelist")

    def shown(**params):
        response = admin_client.get(url, params)
        assert response.status_code == 200
        return set(response.context["cl"].result_list)

    assert shown() == {rejection, other}
    assert shown(verb="rejected") == {rejection}
    assert shown(verb="approved") == set()
    assert shown(actor__id__exact=moderator2.pk) == {other}
    today = timezone.localdate()
    assert shown(
        created_at__year=today.year,
        created_at__month=today.month,
        created_at__day=today.day,
    ) == {rejection, other}
    assert shown(created_at__year=today.year - 1) == set()
    assert shown(q=rejection.message.reference) == {rejection}
    assert shown(q="4242") == {other}
    assert shown(q="辱骂") == {rejection}


def test_the_audit_changelist_offers_no_delete_action(admin_client, rejection):
    url = admin_url(AuditEvent, "changelist")
    response = admin_client.get(url)
    assert b"delete_selected" not in response.content
    assert response.context["has_add_permission"] is False
    response = admin_client.post(
        url, {"action": "delete_selected", "_selected_action": [rejection.pk]}
    )
    assert AuditEvent.objects.filter(pk=rejection.pk).exists() is True


def test_an_audit_event_is_shown_read_only(admin_client, rejection):
    url = admin_url(AuditEvent, "change", rejection.pk)
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert response.context["adminform"].form.fields == {}
    assert b'name="_save"' not in response.content
    assert "辱骂他人" in response.content.decode()

    response = admin_client.post(url, {"reason": "改写历史", "verb": "approved"})
    assert response.status_code == 403
    rejection.refresh_from_db()
    assert (rejection.reason, rejection.verb) == ("辱骂他人", "rejected")


def test_audit_events_cannot_be_added_or_deleted_in_the_admin(admin_client, rejection):
    assert admin_client.get(admin_url(AuditEvent, "add")).status_code == 403
    delete_url = admin_url(AuditEvent, "delete", rejection.pk)
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.filter(pk=rejection.pk).exists() is True


def test_the_admin_is_closed_to_non_staff(client, citizen, moderator):
    client.force_login(citizen)
    response = client.get(admin_url(AuditEvent, "changelist"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


# --- Reasons, rules and notices are edited here ---


def test_a_reason_code_is_read_only_once_created(admin_client):
    add = admin_client.get(admin_url(ModerationReason, "add"))
    assert "code" in add.context["adminform"].form.fields

    reason = ModerationReason.objects.get(code="abusive")
    url = admin_url(ModerationReason, "change", reason.pk)
    change = admin_client.get(url)
    assert "code" not in change.context["adminform"].form.fields
    response = admin_client.post(
        url,
        {
            "code": "rude",
            "title": "辱骂",
            "title_en": "Abusive language",
            "explanation": "留言含有辱骂内容。",
            "explanation_en": "The message is abusive.",
            "sort_order": 2,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    reason.refresh_from_db()
    assert (reason.code, reason.title_en) == ("abusive", "Abusive language")


def test_a_reason_can_be_added(admin_client):
    response = admin_client.post(
        admin_url(ModerationReason, "add"),
        {
            "code": "election",
            "title": "选举期间",
            "title_en": "Election period",
            "explanation": "选举期间暂停。",
            "explanation_en": "Paused during the election.",
            "sort_order": 9,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert ModerationReason.objects.filter(code="election").exists() is True


def rule_form(**changes):
    values = {"pattern": "代开发票", "label": "发票广告", "is_active": "on"}
    values.update(changes)
    return values


def test_a_screening_rule_with_a_broken_regex_is_a_form_error(admin_client):
    response = admin_client.post(
        admin_url(ScreeningRule, "add"), rule_form(pattern="代[开办", is_regex="on")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert list(errors) == ["pattern"]
    assert ScreeningRule.objects.exists() is False


def test_valid_screening_rules_are_saved(admin_client):
    url = admin_url(ScreeningRule, "add")
    response = admin_client.post(
        url, rule_form(pattern=r"代[开办].{0,4}发票", is_regex="on")
    )
    assert response.status_code == 302
    # Not a regular expression: any text is a word to look for.
    response = admin_client.post(url, rule_form(pattern="代[开", label="括号"))
    assert response.status_code == 302
    assert sorted(ScreeningRule.objects.values_list("pattern", "is_regex")) == [
        ("代[开", False),
        (r"代[开办].{0,4}发票", True),
    ]


def test_a_regex_rule_edited_into_a_broken_one_is_refused(admin_client):
    rule = ScreeningRule.objects.create(pattern="法轮", label="敏感词")
    response = admin_client.post(
        admin_url(ScreeningRule, "change", rule.pk),
        rule_form(pattern="(法轮", is_regex="on"),
    )
    assert response.status_code == 200
    rule.refresh_from_db()
    assert (rule.pattern, rule.is_regex) == ("法轮", False)


def test_a_site_notice_is_edited_in_the_admin(admin_client):
    response = admin_client.post(
        admin_url(SiteNotice, "add"),
        {
            "text": "近期留言较多，审核可能延迟。",
            "text_en": "Review is taking longer than usual.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    notice = SiteNotice.objects.get(text="近期留言较多，审核可能延迟。")
    response = admin_client.post(
        admin_url(SiteNotice, "change", notice.pk),
        {"text": "审核已恢复正常。", "text_en": "Back to normal.", "is_active": ""},
    )
    assert response.status_code == 302
    notice.refresh_from_db()
    assert (notice.text, notice.is_active) == ("审核已恢复正常。", False)


# --- Blocks, reports, notes and originals are browsable only ---


@pytest.fixture
def moderation_rows(moderator):
    message = MessageFactory(body="电话13912345678")
    message_report(message=message, reporter=UserFactory(citizen=True), reason="广告")
    moderator_note_add(message=message, actor=moderator, body="疑似广告")
    message_redact(message=message, actor=moderator)
    user_block(user=UserFactory(citizen=True), actor=moderator, reason="广告")
    email_domain_block(domain="spam.example", actor=moderator, reason="垃圾")
    return {
        UserBlock: UserBlock.objects.get(),
        BlockedEmailDomain: BlockedEmailDomain.objects.get(),
        Report: Report.objects.get(),
        ModeratorNote: ModeratorNote.objects.get(),
        OriginalContent: OriginalContent.objects.get(),
    }


@pytest.mark.parametrize(
    "model", [UserBlock, BlockedEmailDomain, Report, ModeratorNote, OriginalContent]
)
def test_read_only_models_can_be_browsed_but_not_changed(
    model, admin_client, moderation_rows
):
    row = moderation_rows[model]
    changelist = admin_client.get(admin_url(model, "changelist"))
    assert changelist.status_code == 200
    assert list(changelist.context["cl"].result_list) == [row]
    assert b"delete_selected" not in changelist.content

    change_url = admin_url(model, "change", row.pk)
    change = admin_client.get(change_url)
    assert change.status_code == 200
    assert change.context["adminform"].form.fields == {}
    assert admin_client.post(change_url, {}).status_code == 403
    assert admin_client.get(admin_url(model, "add")).status_code == 403
    delete_url = admin_url(model, "delete", row.pk)
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists() is True
