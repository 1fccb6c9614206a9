"""The pre-screen on Chinese text: badges and sorting, never a decision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from board.actions import message_edit, message_submit
from board.lifecycle import MessageStatus
from board.models import Message
from moderation.screening import (
    find_id_numbers,
    is_valid_id_number,
    mask_personal_data,
)
from tests.factories import MessageDraftFactory, ScreeningRuleFactory, UserFactory

pytestmark = pytest.mark.django_db

CLEAN_BODY = "我们小区门口的路灯已经坏了两周，晚上出行很不方便，请尽快安排维修。"


@pytest.fixture
def author(db):
    """A citizen whose account is old enough not to be flagged as new."""
    return UserFactory(citizen=True, date_joined=timezone.now() - timedelta(days=30))


def submit(author, body=CLEAN_BODY, title="路灯坏了"):
    message = message_submit(
        author=author, draft=MessageDraftFactory(title=title, body=body)
    )
    message.refresh_from_db()
    return message


def codes(message):
    return [finding["code"] for finding in message.prescreen_flags]


def test_a_clean_message_has_no_findings(author):
    message = submit(author)
    assert message.prescreen_flags == []
    assert message.prescreen_score == 0
    assert message.needs_second_approval is False
    assert message.status == MessageStatus.PENDING


def test_a_sensitive_word_is_found_in_chinese_text(author):
    ScreeningRuleFactory(pattern="法轮", label="敏感词")
    message = submit(author, body=f"有人在小区门口发法轮功传单。{CLEAN_BODY}")
    assert message.prescreen_flags == [
        {"code": "rule", "detail": "敏感词", "needs_second_approval": False}
    ]
    assert message.prescreen_score == 1
    # The pre-screen never decides: the message waits for a moderator.
    assert message.status == MessageStatus.PENDING


def test_a_word_in_the_title_counts_too(author):
    ScreeningRuleFactory(pattern="法轮", label="敏感词")
    assert codes(submit(author, title="法轮功传单")) == ["rule"]


def test_a_regular_expression_rule(author):
    ScreeningRuleFactory(pattern=r"代[开办].{0,4}发票", is_regex=True, label="发票广告")
    message = submit(author, body=f"{CLEAN_BODY}另：代开各类发票，价格优惠。")
    assert message.prescreen_flags[0]["detail"] == "发票广告"
    assert codes(submit(author)) == []


def test_inactive_and_broken_rules_are_ignored(author):
    ScreeningRuleFactory(pattern="路灯", is_active=False)
    ScreeningRuleFactory(pattern="路灯(", is_regex=True)
    assert codes(submit(author)) == []


def test_a_rule_can_ask_for_a_second_approval(author):
    ScreeningRuleFactory(pattern="法轮", label="敏感词", needs_second_approval=True)
    ScreeningRuleFactory(pattern="传单", label="传单")
    message = submit(author, body=f"小区门口有法轮功传单。{CLEAN_BODY}")
    assert message.needs_second_approval is True
    assert sorted(
        (f["detail"], f["needs_second_approval"]) for f in message.prescreen_flags
    ) == [("传单", False), ("敏感词", True)]
    assert message.prescreen_score == 2


def test_more_links_than_allowed_are_flagged(author, settings):
    settings.ZHITONG_PRESCREEN_MAX_LINKS = 2
    two = "详见 https://a.example/1 和 www.b.example/2 。"
    three = f"{two}还有 http://c.example/3 。"
    assert codes(submit(author, body=f"{CLEAN_BODY}{two}")) == []
    message = submit(author, body=f"投诉小区噪音问题。{three}")
    assert message.prescreen_flags == [
        {"code": "links", "detail": "3", "needs_second_approval": False}
    ]


def test_a_mobile_number_in_chinese_text_is_flagged(author):
    message = submit(author, body=f"{CLEAN_BODY}我的电话13912345678，随时联系。")
    assert codes(message) == ["phone"]


@pytest.mark.parametrize(
    "body",
    [
        "订单号20231234567已付款但未发货。",  # 11 digits, not 1[3-9]
        "订单号12345678901已付款但未发货。",  # 11 digits starting 12
        "快递单号7713912345678还没到。",  # a mobile hidden in a longer number
        "电话1391234567少了一位。",  # 10 digits
    ],
)
def test_numbers_that_are_not_mobiles_are_not_flagged(body, author):
    assert codes(submit(author, body=f"{CLEAN_BODY}{body}")) == []


def test_an_id_number_with_a_valid_checksum_is_flagged(author):
    message = submit(author, body=f"{CLEAN_BODY}我的身份证号11010519491231002X。")
    assert codes(message) == ["id_number"]
    assert codes(submit(author, body=f"{CLEAN_BODY}身份证440304199001011233")) == [
        "id_number"
    ]


def test_an_18_digit_number_with_a_wrong_checksum_is_not_an_id(author):
    message = submit(author, body=f"{CLEAN_BODY}流水号110105194912310021。")
    assert codes(message) == []


def test_an_email_address_is_flagged(author):
    message = submit(author, body=f"{CLEAN_BODY}回复请发邮箱zhangsan@example.com谢谢")
    assert codes(message) == ["email"]


def test_a_near_duplicate_of_the_same_authors_recent_text_is_flagged(author):
    first = submit(author)
    second = submit(author, body=CLEAN_BODY.replace("两周", "三周"))
    assert second.prescreen_flags == [
        {
            "code": "near_duplicate",
            "detail": first.reference,
            "needs_second_approval": False,
        }
    ]


def test_another_authors_similar_text_is_not_a_near_duplicate(author):
    submit(UserFactory(citizen=True, date_joined=author.date_joined))
    assert codes(submit(author)) == []


def test_the_same_authors_text_from_over_a_day_ago_is_not_a_near_duplicate(author):
    first = submit(author)
    Message.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=25)
    )
    assert codes(submit(author)) == []


def test_a_different_text_by_the_same_author_is_not_a_near_duplicate(author):
    submit(author)
    other = "菜市场门口的下水道堵塞，污水漫到路面，气味很大，希望有关部门尽快疏通。"
    assert codes(submit(author, body=other)) == []


def test_a_new_account_is_flagged(settings):
    settings.ZHITONG_PRESCREEN_NEW_ACCOUNT_DAYS = 7
    newcomer = UserFactory(citizen=True, date_joined=timezone.now() - timedelta(days=2))
    assert codes(submit(newcomer)) == ["new_account"]


def test_several_findings_add_up(author):
    ScreeningRuleFactory(pattern="法轮")
    message = submit(
        author, body="法轮功传单，电话13912345678，邮箱li@example.com，谢谢。"
    )
    assert codes(message) == ["rule", "phone", "email"]
    assert message.prescreen_score == 3


def test_an_edit_is_screened_again(author):
    message = submit(author)
    message_edit(
        message=message,
        actor=author,
        draft=MessageDraftFactory(
            addressee_official=message.addressee_official,
            body=f"{CLEAN_BODY}电话13912345678",
        ),
    )
    message.refresh_from_db()
    assert codes(message) == ["phone"]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("我的电话13912345678。", "我的电话139****5678。"),
        ("身份证11010519491231002X", "身份证110105********002X"),
        ("身份证11010519491231002x", "身份证110105********002x"),
        ("流水号110105194912310021", "流水号110105194912310021"),
        ("订单号20231234567", "订单号20231234567"),
        ("邮箱zhangsan@example.com", "邮箱z***@example.com"),
        (
            "联系13912345678或15800001111",
            "联系139****5678或158****1111",
        ),
        ("没有个人信息。", "没有个人信息。"),
    ],
)
def test_mask_personal_data(text, masked):
    assert mask_personal_data(text) == masked


def test_id_checksum():
    assert is_valid_id_number("11010519491231002", "X") is True
    assert is_valid_id_number("11010519491231002", "x") is True
    assert is_valid_id_number("11010519491231002", "1") is False
    assert find_id_numbers("甲11010519491231002X乙110105194912310021") == [
        "11010519491231002X"
    ]
