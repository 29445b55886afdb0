"""Heading detection (reader.outline): Markdown ATX and setext, plain-text
headings, fenced code, and the lazy scan."""

from __future__ import annotations

from reader import outline
from reader.outline import DocumentStructure, Heading, filter_headings


def titles(text: str, markdown: bool) -> list[tuple[int, str]]:
    return [(heading.level, heading.title) for heading in DocumentStructure(text, markdown).scan_all()]


def test_markdown_atx_and_setext_headings_with_levels():
    text = (
        "# The contract\n\nIntro.\n\n## Rest periods ##\n\nText.\n\n"
        "Turnaround\n==========\n\nMore.\n\nMeal breaks\n-----------\n\n###### Deep\n"
    )
    assert titles(text, markdown=True) == [
        (1, "The contract"), (2, "Rest periods"), (1, "Turnaround"), (2, "Meal breaks"), (6, "Deep"),
    ]


def test_heading_offsets_are_line_starts():
    text = "Intro.\n\n## Wages\n\nPay.\nTitle\n===\n"
    headings = DocumentStructure(text, markdown=True).scan_all()
    assert [text[heading.offset:heading.offset + 8] for heading in headings] == ["## Wages", "Title\n=="]


def test_a_rule_after_a_blank_line_and_hashes_in_code_are_not_headings():
    text = "Para.\n\n---\n\n```sh\n# not a heading\n```\n\n#hashtag is not one either\n\n# Real\n"
    assert titles(text, markdown=True) == [(1, "Real")]


def test_plain_text_headings_articles_sections_and_all_caps_lines():
    text = (
        "AGREEMENT BETWEEN THE PARTIES\n\n"
        "This agreement is made in 2021 between the union and the producers.\n\n"
        "ARTICLE 12 WAGES\n\nThe wages are paid weekly.\n\n"
        "Section 3.1 Rest periods\n\nA rest period of ten hours.\n\n"
        "Chapter IV\n\nNo. 2021\n\nIt was A BIG DAY for the union.\n"
    )
    assert titles(text, markdown=False) == [
        (2, "AGREEMENT BETWEEN THE PARTIES"), (1, "ARTICLE 12 WAGES"), (1, "Section 3.1 Rest periods"),
        (1, "Chapter IV"),
    ]


def test_plain_text_keeps_atx_lines_from_converted_formats_but_not_setext():
    text = "# Chapter One\n\nText.\nNot a heading\n-------------\n"
    assert titles(text, markdown=False) == [(1, "Chapter One")]


def test_long_lines_of_capitals_are_not_headings():
    shout = "THE UNION DEMANDS " * 10
    assert titles(shout + "\n", markdown=False) == []


def test_scan_is_lazy_and_heading_at_finds_the_section(monkeypatch):
    monkeypatch.setattr(outline, "SCAN_CHARS", 1_000)
    body = "".join(f"## Part {number}\n\n" + "Some words of the part.\n" * 100 for number in range(50))
    structure = DocumentStructure(body, markdown=True)
    inside_part_3 = body.index("## Part 3\n") + 50
    heading = structure.heading_at(inside_part_3)
    assert heading == Heading(body.index("## Part 3\n"), 2, "Part 3")
    assert not structure.complete and structure.scanned < len(body) // 4
    assert len(structure.scan_all()) == 50 and structure.complete
    assert structure.heading_at(0) == Heading(0, 2, "Part 0")


def test_heading_at_before_the_first_heading_is_none():
    structure = DocumentStructure("Intro\n\n# One\n", markdown=True)
    assert structure.heading_at(2) is None


def test_fences_across_scan_chunks(monkeypatch):
    monkeypatch.setattr(outline, "SCAN_CHARS", 10)
    text = "a\n```\n# code\n" + "x = 1\n" * 20 + "```\n# After\n"
    structure = DocumentStructure(text, markdown=True)
    assert structure.in_fence(text.index("x = 1"))
    assert not structure.in_fence(text.index("# After"))
    assert [heading.title for heading in structure.scan_all()] == ["After"]


def test_an_unclosed_fence_runs_to_the_end():
    text = "# Top\n```\n# inside\n"
    structure = DocumentStructure(text, markdown=True)
    assert structure.in_fence(text.index("# inside"))
    assert [heading.title for heading in structure.scan_all()] == ["Top"]


def test_filter_headings_matches_every_word_in_any_case():
    headings = [Heading(0, 1, "Rest periods"), Heading(10, 2, "Meal periods and rest"), Heading(20, 1, "Wages")]
    assert [heading.title for heading in filter_headings(headings, "REST period")] == [
        "Rest periods", "Meal periods and rest",
    ]
    assert filter_headings(headings, "") == headings
