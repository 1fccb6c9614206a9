"""The one policy for user HTML: what citizens type, what the board renders.

Citizen text is plain text with a small Markdown subset (paragraphs, line
breaks, lists, emphasis, links). ``render_markdown`` turns it into HTML and
``sanitize_html`` enforces the policy below on that HTML, or on any other
HTML that reaches a template.

Two engines enforce the same policy. bleach is the design's default, but
bleach 6.4 is its last release (security fixes included), so nh3 (ammonia)
can be selected with ``settings.ZHITONG_SANITIZER = "nh3"`` and must pass
the same tests.
"""

import threading
from functools import cache

import nh3
from bleach.html5lib_shim import BleachHTMLParser, Filter
from bleach.sanitizer import Cleaner
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from markdown_it import MarkdownIt

ENGINES = ("bleach", "nh3")

ALLOWED_TAGS = frozenset({"p", "br", "ul", "ol", "li", "em", "strong", "a"})
ALLOWED_ATTRIBUTES = {"a": frozenset({"href", "title"})}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
# Replaces any rel the input sets: user links are never endorsed (nofollow),
# are marked as user content (ugc) and cannot reach window.opener.
LINK_REL = "nofollow ugc noopener"
# Elements whose content is dropped along with the tag; other disallowed
# tags are stripped and their text kept.
DROPPED_CONTENT_TAGS = frozenset({"script", "style"})

# Markdown rules outside the subset. Disabled rules leave their source as
# plain text: "# title" is a paragraph, "![x](y)" never becomes an <img>.
MARKDOWN_DISABLED_RULES = (
    "blockquote",
    "code",
    "fence",
    "heading",
    "lheading",
    "hr",
    "html_block",
    "html_inline",
    "image",
    "backticks",
)


def render_markdown(text: str) -> str:
    """Render citizen text (Markdown subset) to policy-clean HTML.

    The result is safe to pass to ``mark_safe`` in templates.
    """
    return sanitize_html(_markdown().render(text or ""))


def sanitize_html(html: str) -> str:
    """Clean ``html`` with the engine named by ``settings.ZHITONG_SANITIZER``."""
    engine = getattr(settings, "ZHITONG_SANITIZER", "bleach")
    if engine == "bleach":
        return _clean_with_bleach(html or "")
    if engine == "nh3":
        return _clean_with_nh3(html or "")
    raise ImproperlyConfigured(
        f"ZHITONG_SANITIZER must be one of {', '.join(ENGINES)}, not {engine!r}."
    )


@cache
def _markdown() -> MarkdownIt:
    # "html": False escapes raw HTML typed by citizens instead of passing it
    # on; disabling the HTML rules as well keeps that true if the option
    # is ever flipped. linkify is off: it needs linkify-it-py, which the
    # project does not install.
    return MarkdownIt("commonmark", {"html": False, "breaks": True}).disable(
        list(MARKDOWN_DISABLED_RULES)
    )


def _clean_with_nh3(html: str) -> str:
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(ALLOWED_PROTOCOLS),
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags=set(DROPPED_CONTENT_TAGS),
    )


class _DropContentFilter(Filter):
    """Drop script and style elements together with their content.

    bleach strips a disallowed tag but keeps its text, which would turn
    ``<script>alert(1)</script>`` into visible "alert(1)".
    """

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            name = token.get("name")
            if name in DROPPED_CONTENT_TAGS:
                if token["type"] == "StartTag":
                    depth += 1
                    continue
                if token["type"] == "EndTag":
                    depth = max(depth - 1, 0)
                    continue
                if token["type"] == "EmptyTag":
                    continue
            if depth == 0:
                yield token


class _LinkRelFilter(Filter):
    """Give every link ``rel=LINK_REL``, as nh3's ``link_rel`` does."""

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] == "StartTag" and token["name"] == "a":
                attributes = {
                    key: value
                    for key, value in token["data"].items()
                    if key[1] != "rel"
                }
                attributes[(None, "rel")] = LINK_REL
                token["data"] = attributes
            yield token


class _Cleaner(Cleaner):
    """bleach's Cleaner with script and style content dropped.

    bleach's parser turns every disallowed tag into text while tokenizing,
    so a script's content would survive as visible text. This parser keeps
    script and style as elements and a filter drops them, content and all,
    before bleach's sanitizer sees the stream.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.parser = BleachHTMLParser(
            tags=frozenset(self.tags) | DROPPED_CONTENT_TAGS,
            strip=self.strip,
            consume_entities=False,
            namespaceHTMLElements=False,
        )
        tree_walker = self.walker
        self.walker = lambda tree: _DropContentFilter(tree_walker(tree))


# bleach's Cleaner is not thread-safe (its parser keeps state), so each
# thread builds its own once and reuses it.
_bleach_local = threading.local()


def _bleach_cleaner() -> Cleaner:
    cleaner = getattr(_bleach_local, "cleaner", None)
    if cleaner is None:
        cleaner = _Cleaner(
            tags=ALLOWED_TAGS,
            attributes={tag: list(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            protocols=ALLOWED_PROTOCOLS,
            strip=True,
            strip_comments=True,
            filters=[_LinkRelFilter],
        )
        _bleach_local.cleaner = cleaner
    return cleaner


def _clean_with_bleach(html: str) -> str:
    return _bleach_cleaner().clean(html)
