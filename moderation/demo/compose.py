"""The text of a bulk message: a topic of its category, filled in.

Builds ``body_html`` as the Markdown renderer would, without calling it.
"""

import html
import random

from board.models import Message, Region

from . import text
from .topics import TOPICS


def compose_text(rng: random.Random, region: Region, slug: str):
    """(kind, title, paragraphs) from one topic of the category."""
    kind, title, details, request = rng.choice(TOPICS[slug])
    places = Places(rng, area=region.name)
    paragraphs = [
        rng.choice(text.OPENINGS),
        # The first detail sets the scene; some of the others follow, in order.
        details[0] + "".join(detail for detail in details[1:] if rng.random() < 0.7),
        request if rng.random() < 0.7 else rng.choice(text.REQUESTS),
    ]
    if rng.random() < 0.8:
        paragraphs.append(rng.choice(text.CLOSINGS))
    title = title.format_map(places)[: Message.TITLE_MAX_LENGTH]
    return kind, title, [paragraph.format_map(places) for paragraph in paragraphs]


class Places(dict):
    """Placeholder values, each drawn when a template first asks for it.

    A message names the same road or school wherever it mentions one.
    """

    def __init__(self, rng: random.Random, **values):
        super().__init__(values)
        self.rng = rng

    def __missing__(self, key: str):
        value = self.rng.choice(text.PLACES[key])
        if key == "road2" and value == self["road"]:  # a crossing of two roads
            return self.__missing__(key)
        self[key] = value
        return value


def compose_reply(rng: random.Random) -> list[str]:
    """The paragraphs of an office's final reply."""
    return [
        rng.choice(text.REPLY_OPENINGS),
        rng.choice(text.REPLY_ACTIONS),
        rng.choice(text.REPLY_CLOSINGS),
    ]


def paragraphs_html(paragraphs: list[str]) -> str:
    """What render_markdown makes of plain one-line paragraphs, ~100× faster.

    html.escape is what django.utils.html.escape runs, without its lazy
    wrapper.
    """
    return "".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in paragraphs)


def random_phone(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
