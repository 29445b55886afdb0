"""Markdown styled in place (reader.markdown_spans): which characters get which
style, markers dimmed, the text and its offsets untouched; and the detection of
Markdown in .txt files."""

from __future__ import annotations

from pathlib import Path

from reader.markdown_spans import (
    LONG_LINE,
    MarkdownStyle as S,
    MarkdownStyler,
    is_markdown,
    looks_like_markdown,
)
from reader.outline import DocumentStructure

BUNDLED = Path(__file__).resolve().parent.parent / "documents"


def styled(text: str) -> list[tuple[str, str]]:
    """Each span of every line as (the characters it covers, its style)."""
    styler = MarkdownStyler(text, DocumentStructure(text, markdown=True))
    spans = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        spans += [(text[span.start:span.end], span.style.value) for span in styler.line_spans(start, end)]
        start = end + 1
    return spans


def test_heading_marker_dimmed_and_text_styled():
    assert styled("# Rest periods") == [("# ", "marker"), ("Rest periods", "heading1")]
    assert styled("### Meal *breaks* ###") == [
        ("### ", "marker"), ("Meal *breaks*", "heading"), (" ###", "marker"),
        ("*", "marker"), ("breaks", "italic"), ("*", "marker"),
    ]


def test_bold_italic_code_and_strike():
    assert styled("a **bold** and *it* and `co*de*` and ~~gone~~") == [
        ("`", "marker"), ("co*de*", "code"), ("`", "marker"),
        ("**", "marker"), ("bold", "bold"), ("**", "marker"),
        ("*", "marker"), ("it", "italic"), ("*", "marker"),
        ("~~", "marker"), ("gone", "strike"), ("~~", "marker"),
    ]


def test_underscores_inside_words_are_not_emphasis():
    assert styled("snake_case_name and __strong__ and _soft_") == [
        ("__", "marker"), ("strong", "bold"), ("__", "marker"),
        ("_", "marker"), ("soft", "italic"), ("_", "marker"),
    ]


def test_a_lone_asterisk_or_arithmetic_is_not_emphasis():
    assert styled("5 * 3 * 2 and a* b") == []


def test_links_keep_their_label_and_dim_the_target():
    assert styled("see [the contract](https://example.org/a_b_c) or <https://iatse.net>") == [
        ("[", "marker"), ("the contract", "link"), ("](https://example.org/a_b_c)", "marker"),
        ("<", "marker"), ("https://iatse.net", "link"), (">", "marker"),
    ]


def test_lists_quotes_and_rules():
    assert styled("- one\n  2. two\n> quoted **words**\n\n---") == [
        ("-", "list"), ("2.", "list"),
        ("> ", "marker"), ("quoted **words**", "quote"), ("**", "marker"), ("words", "bold"), ("**", "marker"),
        ("---", "rule"),
    ]


def test_setext_heading_and_its_underline():
    assert styled("Turnaround\n==========\nText") == [("Turnaround", "heading1"), ("==========", "marker")]
    assert styled("Meals\n---") == [("Meals", "heading"), ("---", "marker")]


def test_fenced_code_is_code_and_not_markdown():
    assert styled("```\n# not a heading **x**\n```") == [
        ("```", "marker"), ("# not a heading **x**", "code"), ("```", "marker"),
    ]


def test_document_text_that_looks_like_rich_markup_gets_no_style():
    assert styled("[bold]not bold[/bold] and [anvplayer video=1]") == []


def test_long_line_is_styled_only_around_the_part_drawn():
    text = "word " * (LONG_LINE // 5) + "**far**" + " word" * 10
    styler = MarkdownStyler(text, DocumentStructure(text, markdown=True))
    far = text.index("**far**")
    near_far = styler.spans_between(far - 10, far + 20)
    assert [(text[span.start:span.end], span.style) for span in near_far] == [
        ("**", S.MARKER), ("far", S.BOLD), ("**", S.MARKER),
    ]
    assert styler.spans_between(0, 80) == []


def test_detection_of_markdown_in_plain_text():
    assert is_markdown("notes.md", "no markers at all")
    assert is_markdown("NOTES.MARKDOWN", "")
    assert looks_like_markdown("# Title\n\nSome **bold** text.")
    assert looks_like_markdown("We want *our* share, said the **class union.**")
    assert not looks_like_markdown("A plain letter.\n- with a list\n> and a quote\n---\n")
    assert not looks_like_markdown("Only one *emphasis* here.")
    assert not looks_like_markdown("[anvplayer video=”5063786″ station=”998127″] 5 * 3")


def test_detection_on_the_bundled_documents():
    # The leaflet uses *our* and **class union.**; the others are plain text.
    found = {path.name: looks_like_markdown(path.read_text(encoding="utf-8")) for path in BUNDLED.glob("*.txt")}
    assert found == {
        "000_e3ada0fd6d1921fa.txt": True,
        "001_525fc1980ab55192.txt": False,
        "002_536f3595c117d20e.txt": False,
        "003_a46e3e2d94785f42.txt": False,
        "004_d8284c93e39c396c.txt": False,
    }
