"""The bilingual rule (board/languages.py), used by every model with a
Chinese and an English text."""

import pytest
from django.utils import translation

from board.languages import in_reader_language
from board.models import Region
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
