"""Property tests of the one HTML policy (board/sanitizer.py), both engines:
whatever text goes in, rendering never raises and the output has no
<script>, no on* attribute, no tag outside the policy and no link but
http(s), mailto or a relative one."""

import html
import os
import re
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from board.sanitizer import ALLOWED_TAGS, ENGINES, render_markdown, sanitize_html

# Pieces attackers use, mixed with arbitrary text so the fuzzer also cuts
# them apart, nests and repeats them.
FRAGMENTS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js>",
    "<scr<script>ipt>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="java\tscript:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](vbscript:msgbox)",
    "[x](data:text/html,<script>alert(1)</script>)",
    "<a href='https://ok.example' onclick='alert(1)'>x</a>",
    '<p style="background:url(javascript:alert(1))">',
    "<iframe src=//evil.example></iframe>",
    "<!--",
    "-->",
    "<![CDATA[",
    "<math><mi xlink:href=javascript:alert(1)>",
    "<form><button formaction=javascript:alert(1)>",
    "<details open ontoggle=alert(1)>",
    "*",
    "_",
    "- ",
    "\n\n",
    "<",
    ">",
    '"',
    "'",
    "&",
    "`",
    "](",
    ")",
    "[",
]
TEXT = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=12
).map("".join)
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def assert_policy_clean(output: str) -> None:
    assert "<script" not in output.lower()
    parser = _Elements()
    parser.feed(output)
    parser.close()
    for tag, attributes in parser.elements:
        assert tag in ALLOWED_TAGS, output
        for name, value in attributes:
            assert not name.lower().startswith("on"), output
            if name == "href":
                # What a browser reads: entities decoded, whitespace and
                # control characters dropped, case ignored.
                target = re.sub(r"[\x00-\x20]", "", html.unescape(value or ""))
                scheme = re.match(r"([a-zA-Z][a-zA-Z0-9+.-]*):", target)
                assert scheme is None or scheme[1].lower() in SAFE_SCHEMES, output


# make fuzz raises the count (ZHITONG_PROPERTY_EXAMPLES) and explores anew
# each run; the suite repeats the same examples.
DEEP = "ZHITONG_PROPERTY_EXAMPLES" in os.environ
PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("ZHITONG_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    database=None,
    derandomize=not DEEP,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@pytest.fixture(params=ENGINES)
def engine(request, settings):
    settings.ZHITONG_SANITIZER = request.param
    return request.param


@PROPERTY_SETTINGS
@given(text=TEXT)
def test_rendered_markdown_is_policy_clean(engine, text):
    assert_policy_clean(render_markdown(text))


@PROPERTY_SETTINGS
@given(text=TEXT)
def test_sanitized_html_is_policy_clean(engine, text):
    assert_policy_clean(sanitize_html(text))


@PROPERTY_SETTINGS
@given(text=st.text(max_size=200))
def test_any_unicode_renders(engine, text):
    assert_policy_clean(render_markdown(text))


@PROPERTY_SETTINGS
@given(text=TEXT)
def test_sanitizing_clean_output_changes_nothing_unsafe(engine, text):
    # Clean output stays clean when cleaned again (templates may do so).
    assert_policy_clean(sanitize_html(render_markdown(text)))
