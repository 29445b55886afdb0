"""Web pages, EPUB, DOCX, ODT, RTF: text, headings as # lines, metadata; and the
bad-file matrix for archives and web pages."""

from __future__ import annotations

import io
import zipfile

import pytest

from bench.format_files import make_docx, make_epub, make_html, make_odt, make_rtf
from formats_helpers import read
from reader.corpus import UnreadableDocument
from reader.formats import limits, registry

ARTICLE = [
    "The first paragraph explains that members of the union voted to ratify the Basic Agreement "
    "by a wide margin on Friday, after weeks of talks.",
    "The second paragraph says the deal raises wages by seven percent in the first year and shores up "
    "the health and pension plans that had run short.",
    "A third paragraph quotes the president: \"This is a historic agreement for [bold]our members[/bold].\"",
]


def test_web_page_gives_the_article_and_its_metadata(tmp_path):
    path = make_html(tmp_path / "variety.html", "Crew members ratify new contract", ARTICLE,
                     author="Gene Maddaus", subheading="What the deal gives")
    document = read(path)
    assert document.text.startswith("# Crew members ratify new contract")
    assert "## What the deal gives" in document.text.splitlines()
    for paragraph in ARTICLE:
        assert paragraph in document.text  # recall mode: no real paragraph dropped
    for chrome in ("Subscribe now", "Privacy policy", "Most popular", "Home", "All rights reserved"):
        assert chrome not in document.text
    assert (document.title, document.date, document.source, document.author) == (
        "Crew members ratify new contract", "2024-07-26", "Variety", "Gene Maddaus")
    assert "[bold]our members[/bold]" in document.text  # document text is data, never markup


def test_catalog_overrides_extracted_metadata(tmp_path):
    from reader import corpus

    root = tmp_path / "docs"
    make_html(root / "page.html", "Extracted title", ARTICLE)
    (root / "catalog.toml").write_text('["page.html"]\ntitle = "Catalog title"\ndate = "2024-08-01"\n')
    entry = corpus.scan(root).files[0]
    document = corpus.read_document(entry, corpus.load_catalog(root))
    assert (document.title, document.date, document.source) == ("Catalog title", "2024-08-01", "Variety")


def test_a_fragment_without_an_article_is_read_whole(tmp_path):
    path = tmp_path / "list.htm"
    path.write_text("<ul><li>Rest period: ten hours</li><li>Meal period: six hours</li></ul>")
    assert read(path).text == "- Rest period: ten hours\n\n- Meal period: six hours"


def test_huge_web_page_is_read_whole_quickly(tmp_path, monkeypatch):
    from reader.formats import html

    monkeypatch.setattr(html, "MAX_ARTICLE_BYTES", 200_000)  # as a multi-megabyte page is
    body = "".join(f"<p>Paragraph {number} of a very long page about rest periods.</p>" for number in range(5000))
    path = tmp_path / "huge.html"
    path.write_text(f"<html><head><title>Huge</title></head><body><nav>Menu</nav>{body}</body></html>")
    document = read(path)
    assert document.title == "Huge"
    assert "Paragraph 4999 of a very long page" in document.text and "Menu" not in document.text


def test_web_page_over_the_size_limit_is_skipped(tmp_path, monkeypatch):
    from reader.formats import html

    monkeypatch.setattr(html, "MAX_HTML_BYTES", 1000)
    path = tmp_path / "big.html"
    path.write_text("<html><body>" + "<p>words</p>" * 200 + "</body></html>")
    with pytest.raises(UnreadableDocument, match="too large"):
        read(path)


def test_epub_chapters_in_spine_order_with_metadata(tmp_path):
    path = make_epub(tmp_path / "book.epub", [
        ("Chapter One: Organising", ["Workers met in the hall.", "They signed cards."]),
        ("Chapter Two: The Strike", ["The strike began at dawn."]),
    ], title="A History of the Local", author="J. Steward", publisher="Union Press")
    document = read(path)
    assert document.text == ("# Chapter One: Organising\n\nWorkers met in the hall.\n\nThey signed cards.\n\n"
                             "# Chapter Two: The Strike\n\nThe strike began at dawn.")
    assert (document.title, document.author, document.source, document.date) == (
        "A History of the Local", "J. Steward", "Union Press", "2021-03-01")
    assert document.pages == ()


def test_docx_headings_lists_tables_and_properties(tmp_path):
    path = make_docx(tmp_path / "memo.docx", [
        ("h1", "Grievance Memo"), ("p", "The employer failed to pay the meal penalty."),
        ("h2", "Remedy"), ("li", "Pay the penalty"), ("li", "Post the schedule"),
    ], title="Grievance 24-117", author="Shop Steward", table=[["Date", "Hours"], ["May 3", "14"]])
    document = read(path)
    assert document.text == ("# Grievance Memo\n\nThe employer failed to pay the meal penalty.\n\n## Remedy\n\n"
                             "- Pay the penalty\n\n- Post the schedule\n\nDate | Hours\n\nMay 3 | 14")
    assert (document.title, document.author) == ("Grievance 24-117", "Shop Steward")
    assert len(document.date) == 10


def test_odt_headings_lists_and_metadata(tmp_path):
    path = make_odt(tmp_path / "draft.odt", [
        ("h1", "Draft Proposal"), ("p", "Article 5 is amended  as follows."), ("h2", "Overtime"),
        ("li", "Double time after twelve hours"),
    ], title="Proposal Draft", author="Bargaining Committee")
    document = read(path)
    assert document.text == ("# Draft Proposal\n\nArticle 5 is amended as follows.\n\n## Overtime\n\n"
                             "- Double time after twelve hours")
    assert (document.title, document.author, document.date) == (
        "Proposal Draft", "Bargaining Committee", "2023-05-04")


def test_rtf_text_and_info(tmp_path):
    path = make_rtf(tmp_path / "letter.rtf", ["Dear members,", "The vote is on Friday. Café at noon."],
                    title="Letter to Members", author="The President")
    document = read(path)
    assert document.text == "Dear members,\n\nThe vote is on Friday. Café at noon."
    assert (document.title, document.author, document.date) == ("Letter to Members", "The President", "2022-06-09")


# -- bad files ------------------------------------------------------------------------

def test_random_bytes_docx_is_skipped_with_a_reason(tmp_path):
    path = tmp_path / "memo.docx"
    path.write_bytes(bytes((index * 7919) % 256 for index in range(5000)))
    with pytest.raises(UnreadableDocument, match="not a Word document"):
        read(path)


def test_a_zip_that_is_not_a_word_document_says_so(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    path = tmp_path / "memo.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnreadableDocument, match="zip archive, but not a Word document"):
        read(path)


def test_zip_bomb_is_stopped_at_the_uncompressed_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_UNCOMPRESSED_BYTES", 5 * 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"<w:document>" + b" " * (40 * 1024 * 1024))
    assert len(buffer.getvalue()) < 200_000  # 40 MB packed small: a bomb in miniature
    path = tmp_path / "bomb.docx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(UnreadableDocument, match="zip bomb"):
        read(path)


def test_truncated_epub_is_skipped(tmp_path):
    whole = make_epub(tmp_path / "whole.epub", [("One", ["Text."])], title="T").read_bytes()
    path = tmp_path / "cut.epub"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(UnreadableDocument):
        read(path)


def test_time_limit_stops_a_slow_extraction(tmp_path, monkeypatch):
    import time

    from reader.formats import rtf

    def slow(data, deadline):
        while True:  # a pathological file: pure Python that never returns
            time.sleep(0.01)

    monkeypatch.setattr(limits, "SECONDS_PER_FILE", 0.3)
    monkeypatch.setattr(rtf, "extract", slow)
    path = make_rtf(tmp_path / "slow.rtf", ["text"])
    started = time.monotonic()
    with pytest.raises(UnreadableDocument, match="took longer than 0.3 s"):
        read(path)
    assert time.monotonic() - started < 5


def test_deadline_stops_extraction_off_the_main_thread(tmp_path, monkeypatch):
    from concurrent.futures import ThreadPoolExecutor

    from reader.formats import epub

    monkeypatch.setattr(limits, "SECONDS_PER_FILE", 0.0)
    path = make_epub(tmp_path / "book.epub", [("One", ["Text."])], title="T")
    with ThreadPoolExecutor(1) as pool:  # no signals there: the cooperative deadline holds
        with pytest.raises(UnreadableDocument, match="took longer"):
            pool.submit(read, path).result(timeout=30)
    assert epub  # the module that checked the deadline


def test_every_extracted_suffix_is_a_document_suffix():
    from reader import corpus

    assert set(registry.SUFFIX_KINDS) == set(corpus.EXTRACTED_SUFFIXES)
    assert corpus.is_document_name("Contract.PDF") and corpus.is_document_name("book.epub")


@pytest.mark.parametrize("data, kind", [
    (b"%PDF-1.7\n...", "pdf"), (b"{\\rtf1\\ansi hello}", "rtf"), (b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
    (b"plain words", None),
])
def test_sniffing_tells_formats_by_content(data, kind):
    assert registry.sniff(data) == kind


def test_docx_heading_with_a_localised_style_id_is_told_by_its_name(tmp_path):
    english = make_docx(tmp_path / "en.docx", [("h1", "Beschwerde"), ("p", "Text des Schreibens.")])
    localised = tmp_path / "de.docx"
    with zipfile.ZipFile(english) as source, zipfile.ZipFile(localised, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename in ("word/document.xml", "word/styles.xml"):
                data = data.replace(b'w:styleId="Heading1"', b'w:styleId="berschrift1"').replace(
                    b'w:val="Heading1"', b'w:val="berschrift1"')
            target.writestr(item, data)
    assert read(localised).text == "# Beschwerde\n\nText des Schreibens."


def test_a_short_article_comes_without_the_menu_and_banner_around_it(tmp_path):
    """trafilatura's recall mode keeps the menu of a page whose article is short;
    the page's one <article> says what is the article."""
    path = make_html(tmp_path / "short.html", "Crew members ratify new contract",
                     ["Members voted yes on Friday.", "The turnaround rule holds."])
    document = read(path)
    lines = document.text.splitlines()
    assert lines[0].lstrip("# ") == "Crew members ratify new contract"
    assert "Members voted yes on Friday." in lines and "The turnaround rule holds." in lines
    for chrome in ("Home", "Film", "TV", "Music", "Subscribe now", "Most popular", "All rights reserved"):
        assert chrome not in document.text


def test_a_page_whose_article_element_is_a_teaser_keeps_the_text_found(tmp_path):
    from reader.formats.html import _within_the_article_element
    from reader.formats.markup import parse_html

    root = parse_html("<html><body><article><p>Teaser only.</p></article>"
                      "<div><p>" + "The long body of the story. " * 20 + "</p></div></body></html>")
    blocks = ["Teaser only.", "The long body of the story. " * 20]
    assert _within_the_article_element(blocks, root) == blocks
