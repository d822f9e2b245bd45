"""Tests of ccmetrics.text.escape_markdown.

The reference is markdown-it-py, a published CommonMark implementation (the
syntax Streamlit's renderer, micromark/remark, follows): an escaped value
rendered by it must give back the characters of the value as text, with no
element of its own (no <em>, <a>, <img>, <code>, heading, list or HTML).
"""

from __future__ import annotations

import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ccmetrics.text import WORD_JOINER, escape_markdown

#: Streamlit's Markdown is CommonMark plus GFM tables and strikethrough.
RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])

PAYLOADS = [
    "**b**",
    "![x](http://127.0.0.1:9/p.png)",
    "[l](https://e.example)",
    "<img src=x onerror=alert(1)>",
    "$x$",
    "```\nfence\n```",
    ":red[x]",
    ":material/home:",
    ":smile:",
    "_a_ *b* ~~c~~",
    "# heading",
    "1. item",
    "- item",
    "> quote",
    "a | b",
    "&lt;b&gt; &amp;",
    "\\*",
    "<https://e.example>",
    "    indented",
    "---",
    "- - -",
    "## h2",
    "3) item",
]


def rendered_text(markdown: str) -> str:
    """The HTML markdown-it makes of one paragraph, without its <p> wrapper."""
    out = RENDERER.render(markdown).strip()
    assert out.startswith("<p>") and out.endswith("</p>"), out
    return out[3:-4]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_an_escaped_payload_renders_as_its_own_text(payload):
    escaped = escape_markdown(payload)
    inner = rendered_text(f"Agent {escaped} is new")
    assert "<" not in inner.replace("&lt;", ""), inner  # no element of its own
    expected = " ".join(payload.split("\n"))  # line breaks become spaces
    assert shown(inner) == f"Agent {expected} is new"


#: GFM's autolink literals (mdast-util-gfm-autolink-literal, which Streamlit runs on
#: the text after parsing): a bare URL, ``www.`` or an e-mail address.
AUTOLINK = re.compile(r"(https?://|www\.)[-.\w]+|[-.\w+]+@[-\w]+(\.[-\w]+)+", re.IGNORECASE)


def shown(inner_html: str) -> str:
    """What a reader sees: the text, without the invisible word joiners."""
    return html.unescape(inner_html).replace(WORD_JOINER, "")


@pytest.mark.parametrize(
    "payload", ["see http://127.0.0.1:9/p.png", "www.e.example", "mail@e.example", "HTTPS://E.EX"]
)
def test_bare_urls_and_addresses_are_no_autolink(payload):
    text = html.unescape(rendered_text(escape_markdown(payload)))
    assert AUTOLINK.search(payload)
    assert not AUTOLINK.search(text)
    assert text.replace(WORD_JOINER, "") == payload


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("template", ["{}", "- {}", "> {}", "**{}**"])
def test_a_payload_at_the_start_of_a_line_is_no_block(payload, template):
    escaped = escape_markdown(payload)
    out = RENDERER.render(template.format(escaped))
    tags = set(re.findall(r"<(\w+)", out))
    allowed = {
        "{}": {"p"},
        "- {}": {"ul", "li"},
        "> {}": {"blockquote", "p"},
        "**{}**": {"p", "strong"},
    }
    assert tags <= allowed[template], out
    text = re.sub(r"<[^>]+>", "", out).strip()
    assert shown(text) == " ".join(payload.split("\n")).strip()


def test_no_streamlit_directive_icon_or_math_survives():
    for payload in (":red[x]", ":material/home:", ":smile:", "$x$", "$$x$$"):
        escaped = escape_markdown(payload)
        # directives, icons and emoji all start at a colon before a letter
        assert not re.search(r":[A-Za-z_+/-]", escaped)
        assert not re.search(r"(?<!\\)\$", escaped)  # every dollar escaped
    assert escape_markdown(":red[x]") == "&#58;red\\[x\\]"
    assert escape_markdown("**b**") == "\\*\\*b\\*\\*"


def test_plain_names_and_chinese_text_are_unchanged():
    for name in ("A0312", "Team North", "投诉", "张三 李四", "数据2025年"):
        assert escape_markdown(name) == name
    assert escape_markdown(None) == ""
    assert escape_markdown(12.5) == "12.5"
    # punctuation that means nothing once [ ] * _ ` are escaped stays as it is
    assert escape_markdown("Data plan (GPRS) / bad.csv!") == "Data plan (GPRS) / bad.csv!"
    assert escape_markdown("#3 -1 +2") == "#3 -1 +2"
    sentence = (
        "Volume driver: offered +87% at 09:00; 92% were category=Data plan & segment=Prepaid."
    )
    assert escape_markdown(sentence) == sentence


def test_line_breaks_and_control_characters_become_one_space():
    assert escape_markdown("a\r\n\x00b\u2028c") == "a b c"


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40))
def test_any_text_renders_as_itself(value):
    escaped = escape_markdown(value)
    expected = re.sub(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+", " ", value)
    out = RENDERER.render(f"x {escaped} x")
    inner = out.strip()
    if not (inner.startswith("<p>") and inner.endswith("</p>")):
        pytest.fail(f"{value!r} rendered as {out!r}")
    assert shown(inner[3:-4]) == f"x {expected} x".replace(WORD_JOINER, "")
