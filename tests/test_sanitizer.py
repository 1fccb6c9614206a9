"""One sanitizer policy, the same assertions for both engines."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ImproperlyConfigured

from board.sanitizer import (
    ALLOWED_TAGS,
    ENGINES,
    LINK_REL,
    render_markdown,
    sanitize_html,
)

BLOCK_TAGS = ("p", "ul", "ol", "li", "br")


@pytest.fixture(params=ENGINES)
def engine(request, settings):
    settings.ZHITONG_SANITIZER = request.param
    return request.param


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.comments: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        rendered = "".join(f' {name}="{value}"' for name, value in sorted(attrs))
        self.parts.append(f"<{tag}{rendered}>")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(data)
        self.text.append(data)

    def handle_comment(self, data):
        self.comments.append(data)
        self.parts.append(f"<!--{data}-->")


def _collect(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector


def canonical(html: str) -> str:
    """``html`` with the engines' harmless differences normalised.

    Attributes are sorted, ``<br/>`` is ``<br>``, entities are decoded,
    whitespace runs are one space and whitespace around block tags (bleach
    puts a newline where it strips a block element, nh3 does not) is gone.
    """
    joined = re.sub(r"\s+", " ", "".join(_collect(html).parts))
    blocks = "|".join(BLOCK_TAGS)
    return re.sub(rf"\s*(</?(?:{blocks})\b[^>]*>)\s*", r"\1", joined).strip()


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    return _collect(html).elements


def tags(html: str) -> set[str]:
    return {tag for tag, _ in elements(html)}


def text(html: str) -> str:
    return re.sub(r"\s+", " ", "".join(_collect(html).text)).strip()


def link(href: str, label: str) -> str:
    return f'<a href="{href}" rel="{LINK_REL}">{label}</a>'


# sanitize_html: scripts, handlers, styles


@pytest.mark.parametrize(
    "dirty",
    [
        '<p>before<script>alert("x")</script>after</p>',
        "<p>before<style>p { color: red }</style>after</p>",
        "<p>before<SCRIPT SRC=//evil.example/x.js></SCRIPT>after</p>",
        "<p>before<script>alert(1)</p>",
        "<p>before<svg><script>alert(1)</script></svg>after</p>",
    ],
)
def test_script_and_style_are_removed_with_their_content(engine, dirty):
    clean = sanitize_html(dirty)

    assert "alert" not in clean
    assert "color" not in clean
    assert "evil.example" not in clean
    assert tags(clean) == {"p"}
    assert text(clean) in {"beforeafter", "before"}


def test_event_handlers_and_style_attributes_are_removed(engine):
    dirty = (
        '<p style="color:red" onclick="steal()">hi '
        '<a href="https://example.org/" onerror="x()" onclick="y()" '
        'onmouseover="z()" style="position:fixed">there</a></p>'
    )

    clean = sanitize_html(dirty)

    assert canonical(clean) == f"<p>hi {link('https://example.org/', 'there')}</p>"


def test_comments_are_removed(engine):
    clean = sanitize_html("<p>a<!-- secret --><!--[if IE]><b>x</b><![endif]-->b</p>")

    assert canonical(clean) == "<p>ab</p>"
    assert _collect(clean).comments == []


# sanitize_html: links


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "jav&#x0A;ascript:alert(1)",
        "&#106;avascript:alert(1)",
        "  javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "VBScript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_dangerous_hrefs_are_removed(engine, href):
    clean = sanitize_html(f'<a href="{href}">click</a>')

    assert canonical(clean) == f'<a rel="{LINK_REL}">click</a>'


def test_entity_encoded_colon_never_yields_a_script_url(engine):
    clean = sanitize_html('<a href="javascript&colon;alert(1)">click</a>')

    # bleach keeps it as a harmless relative URL, nh3 drops it.
    [(tag, attributes)] = elements(clean)
    assert tag == "a"
    href = attributes.get("href") or ""
    assert urlsplit(href).scheme in {"", "http", "https", "mailto"}
    assert not re.sub(r"[\s\x00-\x1f]", "", href).lower().startswith("javascript:")


@pytest.mark.parametrize(
    "href",
    [
        "mailto:office@gov.example",
        "http://example.org/",
        "https://example.org/path?page=2&sort=new#top",
        "https://例子.测试/路径",
    ],
)
def test_mailto_http_and_https_links_are_kept(engine, href):
    clean = sanitize_html(f'<a href="{href.replace("&", "&amp;")}">link</a>')

    assert canonical(clean) == link(href, "link")


@pytest.mark.parametrize(
    "attributes",
    [
        "",
        'rel="me"',
        'rel="noreferrer"',
        'REL="me" target="_blank"',
        'rel="nofollow ugc noopener me"',
    ],
)
def test_rel_is_always_exactly_the_policy(engine, attributes):
    clean = sanitize_html(f'<a href="https://example.org/" {attributes}>x</a>')

    assert elements(clean) == [
        ("a", {"href": "https://example.org/", "rel": LINK_REL}),
    ]


def test_link_title_is_kept(engine):
    clean = sanitize_html('<a href="https://example.org/" title="Notice">x</a>')

    assert elements(clean) == [
        ("a", {"href": "https://example.org/", "title": "Notice", "rel": LINK_REL}),
    ]


# sanitize_html: tags


def test_disallowed_tags_are_stripped_and_their_text_kept(engine):
    dirty = (
        "<h1>Title</h1>"
        '<img src="x.png" onerror="alert(1)">'
        '<iframe src="https://evil.example/"></iframe>'
        '<svg onload="alert(1)"><circle r="4"></circle></svg>'
        "<table><tr><td>cell</td></tr></table>"
        "<form><input value=x><button>Send</button></form>"
        "<div><span>inside</span></div>"
    )

    clean = sanitize_html(dirty)

    assert tags(clean) == set()
    # bleach leaves a newline where it strips a block element, nh3 nothing.
    assert re.sub(r"\s", "", text(clean)) == "TitlecellSendinside"
    assert "alert" not in clean
    assert "evil.example" not in clean


def test_output_only_uses_the_allowed_tags(engine):
    dirty = (
        "<p><b>b</b><i>i</i><u>u</u><code>c</code><span>s</span>"
        "<em>e</em><strong>s</strong></p>"
        "<blockquote>q</blockquote><hr><h2>h</h2><pre>p</pre>"
    )

    clean = sanitize_html(dirty)

    assert tags(clean) <= ALLOWED_TAGS
    assert canonical(clean).startswith("<p>biucs<em>e</em><strong>s</strong></p>")
    assert re.sub(r"\s", "", text(clean)) == "biucsesqhp"


def test_emphasis_lists_paragraphs_and_breaks_are_kept(engine):
    allowed = (
        "<p><em>slowly</em> and <strong>loudly</strong><br/>next line</p>"
        "<ul><li>one</li><li>two</li></ul>"
        "<ol><li>first</li><li>second</li></ol>"
    )

    clean = sanitize_html(allowed)

    assert canonical(clean) == canonical(allowed)
    assert "<br>" in canonical(clean)


def test_chinese_text_passes_through_untouched(engine):
    chinese = "<p>市民来信：幸福路的路灯坏了三天，请尽快维修！“谢谢”——张三</p>"

    assert sanitize_html(chinese) == chinese


def test_text_is_escaped_not_interpreted(engine):
    clean = sanitize_html("a < b && c > d")

    assert clean == "a &lt; b &amp;&amp; c &gt; d"


def test_empty_input_gives_empty_output(engine):
    assert sanitize_html("") == ""
    assert render_markdown("") == ""


# render_markdown


def test_markdown_subset_renders(engine):
    source = (
        "Dear office, *please* fix **this**.\n"
        "Second line.\n"
        "\n"
        "- broken lamp\n"
        "- pothole\n"
        "\n"
        "1. first\n"
        "2. second\n"
        "\n"
        "See [the map](https://example.org/map) or <https://example.org/a>."
    )

    html = render_markdown(source)

    assert canonical(html) == (
        "<p>Dear office, <em>please</em> fix <strong>this</strong>.<br>"
        "Second line.</p>"
        "<ul><li>broken lamp</li><li>pothole</li></ul>"
        "<ol><li>first</li><li>second</li></ol>"
        f"<p>See {link('https://example.org/map', 'the map')} or "
        f"{link('https://example.org/a', 'https://example.org/a')}.</p>"
    )


@pytest.mark.parametrize(
    "raw",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<b onmouseover="alert(1)">bold</b>',
        '<a href="javascript:alert(1)">x</a>',
        "<!-- hidden -->",
    ],
)
def test_raw_html_in_markdown_is_shown_as_text(engine, raw):
    html = render_markdown(f"before {raw} after\n\n{raw}")

    assert tags(html) == {"p"}
    # Escaped, so the reader sees what was typed.
    assert text(html) == f"before {raw} after {raw}"
    assert "<" not in re.sub(r"</?p>", "", html)


def test_markdown_headings_images_and_code_are_plain_text(engine):
    source = (
        "# Title\n"
        "\n"
        "Sub\n"
        "===\n"
        "\n"
        "![lamp](https://example.org/lamp.png)\n"
        "\n"
        "    indented\n"
        "\n"
        "```\nfenced\n```\n"
        "\n"
        "> quoted\n"
        "\n"
        "---\n"
        "\n"
        "`code`"
    )

    html = render_markdown(source)

    assert tags(html) <= {"p", "br", "a"}
    assert {"h1", "h2", "img", "pre", "code", "blockquote", "hr"} & tags(html) == set()
    assert "# Title" in text(html)
    assert "> quoted" in text(html)
    assert "`code`" in text(html)


def test_markdown_script_links_are_not_linked(engine):
    html = render_markdown(
        "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) "
        "[c](vbscript:x) [d](data:text/html,x)"
    )

    # markdown-it refuses these targets, so they stay visible text.
    assert tags(html) == {"p"}
    assert text(html).startswith("[a](javascript:alert(1))")


def test_markdown_mailto_link(engine):
    html = render_markdown("[write to us](mailto:office@gov.example)")

    expected = link("mailto:office@gov.example", "write to us")
    assert canonical(html) == f"<p>{expected}</p>"


def test_markdown_chinese_text(engine):
    html = render_markdown("路灯坏了。\n请**尽快**维修！")

    assert canonical(html) == "<p>路灯坏了。<br>请<strong>尽快</strong>维修！</p>"


# Engine selection


def test_both_engines_are_offered():
    assert ENGINES == ("bleach", "nh3")


def test_engines_agree_on_a_mixed_document(settings):
    document = (
        '<p onclick="x">Hi <a href="https://example.org" rel="me">x</a>'
        "<script>bad()</script><em>e</em></p><h1>T</h1><ul><li>i</li></ul>"
    )
    outputs = set()
    for name in ENGINES:
        settings.ZHITONG_SANITIZER = name
        outputs.add(canonical(sanitize_html(document)))

    assert outputs == {
        f"<p>Hi {link('https://example.org', 'x')}<em>e</em></p>T<ul><li>i</li></ul>"
    }


def test_unknown_engine_is_a_configuration_error(settings):
    settings.ZHITONG_SANITIZER = "lxml"

    with pytest.raises(ImproperlyConfigured, match="ZHITONG_SANITIZER"):
        sanitize_html("<p>x</p>")
    with pytest.raises(ImproperlyConfigured, match="ZHITONG_SANITIZER"):
        render_markdown("x")
