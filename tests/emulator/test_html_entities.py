"""Telegram HTML parsing: entities with UTF-16 offsets and TDLib-worded errors."""

from __future__ import annotations

import pytest

from emulator.html_entities import HtmlParseError, parse_html, strip_text, utf16_len


def test_bold_and_link_entities_use_utf16_offsets() -> None:
    text, entities = parse_html('😀 <b>Звіт</b> <a href="https://rada.gov.ua">тут</a>')
    assert text == "😀 Звіт тут"
    assert entities == [
        {"offset": 3, "length": 4, "type": "bold"},
        {"offset": 8, "length": 3, "type": "text_link", "url": "https://rada.gov.ua"},
    ]


def test_html_entities_are_decoded() -> None:
    text, entities = parse_html("a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &#8470;")
    assert text == 'a < b && c > d "q" №'
    assert entities == []


def test_pre_with_language_code_becomes_one_pre_entity() -> None:
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre>')
    assert text == "x = 1"
    assert entities == [{"offset": 0, "length": 5, "type": "pre", "language": "python"}]


def test_nested_spoiler_blockquote_and_code() -> None:
    source = (
        '<blockquote expandable><tg-spoiler>s</tg-spoiler> <span class="tg-spoiler">t</span>'
        "</blockquote><code>c</code>"
    )
    text, entities = parse_html(source)
    assert text == "s tc"
    types = [e["type"] for e in entities]
    assert types == ["expandable_blockquote", "spoiler", "spoiler", "code"]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("Звіт <div>", 'Unsupported start tag "div" at byte offset 9'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("a <b", "Unclosed start tag at byte offset 2"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ('<span class="x">y</span>', 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("Tom & Jerry", 'Character "&" must be escaped as "&amp;" at byte offset 4'),
    ],
)
def test_malformed_html_is_rejected_with_telegram_reason(source: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(source)
    assert str(caught.value) == reason


def test_bare_ampersand_passes_when_not_strict_like_real_telegram() -> None:
    assert parse_html("Tom & Jerry", strict_ampersand=False) == ("Tom & Jerry", [])


def test_strip_shifts_and_clips_entities() -> None:
    text, entities = strip_text("  ab ", [{"type": "bold", "offset": 1, "length": 3}])
    assert text == "ab"
    assert entities == [{"type": "bold", "offset": 0, "length": 2}]
    assert utf16_len("😀a") == 3
