"""The near-duplicate pre-screen: right on Chinese text, bounded in cost, and
worked out before the submission takes the reference counter's lock."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from board import hooks
from board.actions import message_submit
from board.actions import messages as message_actions
from moderation import screening
from moderation.screening import normalise_for_comparison, similarity
from tests.factories import MessageDraftFactory, UserFactory

pytestmark = pytest.mark.django_db


def chinese_text(seed: int, length: int = 3000) -> str:
    """Chinese text without spaces, with a full stop every 20 characters."""
    rng = random.Random(seed)
    characters = [chr(0x4E00 + rng.randrange(3000)) for _ in range(length)]
    for position in range(19, length, 20):
        characters[position] = "。"
    return "".join(characters)


def changed(text: str, share: float, seed: int = 0) -> str:
    """``text`` with ``share`` of its characters replaced, scattered."""
    rng = random.Random(seed)
    characters = list(text)
    for position in rng.sample(range(len(text)), int(len(text) * share)):
        characters[position] = "改"
    return "".join(characters)


@pytest.fixture
def author(db):
    return UserFactory(citizen=True, date_joined=timezone.now() - timedelta(days=30))


def submit(author, body):
    message = message_submit(author=author, draft=MessageDraftFactory(body=body))
    message.refresh_from_db()
    return message


def codes(message):
    return [finding["code"] for finding in message.prescreen_flags]


def test_a_long_chinese_near_copy_is_flagged_and_an_unrelated_text_is_not(author):
    first = submit(author, chinese_text(1))

    copy = submit(author, changed(chinese_text(1), 0.04))
    other = submit(author, chinese_text(2))

    assert copy.prescreen_flags == [
        {
            "code": "near_duplicate",
            "detail": first.reference,
            "needs_second_approval": False,
        }
    ]
    assert codes(other) == []


def test_spacing_punctuation_and_full_width_forms_do_not_hide_a_copy(author):
    first = submit(
        author, "小区ABC门口的路灯已经坏了两周，晚上出行很不方便，请尽快维修。"
    )

    copy = submit(
        author, "小区ａｂｃ 门口的路灯 已经坏了两周!!晚上出行很不方便... 请尽快维修"
    )

    assert copy.prescreen_flags[0]["detail"] == first.reference


def test_moved_paragraphs_still_count_as_copied():
    first, second = chinese_text(3, 600), chinese_text(4, 600)
    assert similarity(first + second, second + first) > 0.99


def test_similarity_follows_the_share_of_text_in_common():
    text = normalise_for_comparison(chinese_text(5, 1000))
    assert similarity(text, text) == 1.0
    # Appending 40 % more text: 2 * 1000 / 2400, as SequenceMatcher says.
    appended = text + normalise_for_comparison(chinese_text(6, 400))
    assert similarity(text, appended) == pytest.approx(
        2 * len(text) / (len(text) + len(appended))
    )
    assert similarity("", "") == 1.0
    assert similarity("路灯", "路灯") == 1.0
    assert similarity("路灯", "水管") == 0.0


def test_the_number_of_messages_compared_is_bounded(author, settings, monkeypatch):
    settings.ZHITONG_PRESCREEN_DUPLICATE_HISTORY = 3
    for seed in range(6):
        submit(author, chinese_text(seed, 300))
    compared = []
    original = screening._similarity

    def counting(*args):
        compared.append(args[-1])
        return original(*args)

    monkeypatch.setattr(screening, "_similarity", counting)

    submit(author, chinese_text(99, 300))

    assert len(compared) == 3


def test_the_newest_messages_are_the_ones_compared(author):
    # Twenty unrelated messages, then the one that is copied: only the
    # newest twenty are compared, and the copy is among them.
    for seed in range(20):
        submit(author, chinese_text(seed, 200))
    newest = submit(author, chinese_text(100, 200))

    copy = submit(author, changed(chinese_text(100, 200), 0.02))

    assert copy.prescreen_flags[0]["detail"] == newest.reference


def test_screening_runs_before_the_reference_counter_is_locked(author, monkeypatch):
    calls = []
    original_reference_next = message_actions.reference_next

    def reference_next(**kwargs):
        calls.append("reference_next")
        return original_reference_next(**kwargs)

    def screener(message, author):
        calls.append("screen")

    monkeypatch.setattr(message_actions, "reference_next", reference_next)
    monkeypatch.setattr(hooks, "submission_screeners", [screener])

    submit(author, "路灯坏了两周，请尽快维修。")

    assert calls == ["screen", "reference_next"]
