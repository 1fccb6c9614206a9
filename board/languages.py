"""The bilingual rule, written once: Chinese is the site's language, English
the second; a text kept in both is shown in English only to readers of the
English interface, and only where an English text was given."""

from functools import cache

from django.db.models import Choices
from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def in_reader_language(chinese: str, english: str) -> str:
    """The English text for readers of English when there is one; else the
    Chinese."""
    return english if english and is_english() else chinese


def choice_labels(choices: type[Choices]) -> dict[str, str]:
    """Every label of ``choices`` in the reader's language, translated once
    per language. Django's ``get_FOO_display`` builds a dict of every choice
    and hashes each lazy label on every call: the timeline's verbs cost a
    message page ~0.5 ms that way, a notification's kind a quarter of a
    1,000-follower fan-out."""
    return _labels(choices, get_language())


def choice_label(choices: type[Choices], value: str) -> str:
    """The label of ``value`` (the value itself when it is no choice)."""
    return choice_labels(choices).get(value, value)


@cache
def _labels(choices: type[Choices], language: str | None) -> dict[str, str]:
    # ``language`` keys the cache: str() translates into the active one.
    return {value: str(label) for value, label in choices.choices}
