"""The bilingual rule, written once: Chinese is the site's language, English
the second; a text kept in both is shown in English only to readers of the
English interface, and only where an English text was given."""

from django.utils.translation import get_language


def is_english() -> bool:
    return (get_language() or "").startswith("en")


def in_reader_language(chinese: str, english: str) -> str:
    """The English text for readers of English when there is one; else the
    Chinese."""
    return english if english and is_english() else chinese
