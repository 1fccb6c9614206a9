"""The bilingual rule (board/languages.py), used by every model with a
Chinese and an English text."""

import pytest
from django.utils import translation

from board.languages import choice_label, in_reader_language
from board.models import MessageEvent, Region
from moderation.models import ModerationReason


@pytest.mark.parametrize(
    ("language", "english", "shown"),
    [
        ("zh-hans", "Traffic", "交通"),
        ("en", "Traffic", "Traffic"),
        ("en", "", "交通"),  # no English text: the Chinese, never a blank
    ],
)
def test_in_reader_language(language, english, shown):
    with translation.override(language):
        assert in_reader_language("交通", english) == shown


def test_models_follow_the_rule():
    region = Region(name="杭州市", name_en="Hangzhou")
    reason = ModerationReason(title="广告", title_en="", explanation="x")
    with translation.override("en"):
        assert region.display_name == "Hangzhou"
        assert reason.display_title == "广告"
    with translation.override("zh-hans"):
        assert region.display_name == "杭州市"


def test_choice_label_follows_the_reader_s_language():
    """Labels are translated once per language and per set of choices, and
    still follow a switch of language within one process."""
    verb = MessageEvent.Verb.PUBLISHED
    for language in ("zh-hans", "en", "zh-hans"):
        with translation.override(language):
            assert choice_label(MessageEvent.Verb, verb) == str(verb.label)
            assert MessageEvent(verb=verb).verb_label == str(verb.label)
    with translation.override("en"):
        assert choice_label(MessageEvent.Verb, verb) == "Approved and routed"
    # A value that is no longer a choice (an old row) shows as it is stored.
    assert choice_label(MessageEvent.Verb, "retired_verb") == "retired_verb"
