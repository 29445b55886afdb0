"""PDF: text, page map, metadata, hyphens, running heads, and the bad PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.format_files import make_html, make_pdf
from formats_helpers import CROSSING_PHRASE, contract_pdf, read
from reader.corpus import UnreadableDocument


@pytest.fixture(scope="module")
def contract(tmp_path_factory: pytest.TempPathFactory):
    return read(contract_pdf(tmp_path_factory.mktemp("pdf") / "contract.pdf"))


def test_text_is_reflowed_into_paragraphs_with_headings_apart(contract):
    paragraphs = contract.text.split("\n\n")
    assert paragraphs[0] == "ARTICLE 1. RECOGNITION"
    assert paragraphs[1] == ("The Producer recognises the Union as the exclusive bargaining representative of all "
                             "employees covered by this Agreement, and agrees that the first call of every day is "
                             "paid at the scale rate.")
    assert "ARTICLE 2. WAGES" in paragraphs
    assert "\r" not in contract.text and "\ufffe" not in contract.text and "\ufb01" not in contract.text


def test_running_headers_and_page_numbers_are_gone(contract):
    assert "Basic Agreement 2024" not in contract.text  # the header, with its page number
    assert not any(line.strip().isdigit() for line in contract.text.splitlines())


def test_page_map_points_at_each_pages_first_words(contract):
    assert len(contract.pages) == 3 and contract.pages[0] == 0
    assert contract.text[contract.pages[1]:].startswith("filed within thirty days")
    assert contract.text[contract.pages[2]:].startswith("tiation of the overtime rules")
    assert contract.page_at(contract.text.index("ARTICLE 3")) == 3
    assert contract.page_at(contract.text.index("ARTICLE 2")) == 2


def test_a_sentence_across_a_page_break_reads_as_one(contract):
    assert CROSSING_PHRASE in contract.text
    start = contract.text.index(CROSSING_PHRASE)
    assert contract.page_at(start) == 1 and contract.page_at(start + len(CROSSING_PHRASE)) == 2


def test_hyphens_at_line_ends_join_words_and_keep_compounds(contract):
    assert "continue its negotiation of the overtime rules" in contract.text  # across a page break too
    assert "nego-" not in contract.text
    assert "a contractor who is self-employed is not" in contract.text


def test_metadata_fills_title_and_author(contract):
    assert contract.title == "Basic Agreement 2024"
    assert contract.author == "IATSE Local 600"
    assert contract.date == "2000-01-01"  # reportlab's invariant mode fixes the creation date
    assert (contract.kind, contract.encoding) == ("pdf", "")


def test_a_pdf_without_a_title_takes_its_first_meaningful_line(tmp_path):
    body = ["The parties agree that every employee shall have a rest period of ten hours between",
            "the end of one day's work and the start of the next, and that a shorter rest is paid",
            "at double time until the ten hours have passed."]
    path = make_pdf(tmp_path / "untitled.pdf", [["Memorandum of Agreement on Rest Periods", "", *body]],
                    header="", page_numbers=False)  # reportlab then calls it "untitled"
    assert read(path).title == "Memorandum of Agreement on Rest Periods"


def test_password_protected_pdf_is_skipped_with_the_reason(tmp_path):
    path = contract_pdf(tmp_path / "locked.pdf", encrypt="secret")
    with pytest.raises(UnreadableDocument, match="^password-protected$"):
        read(path)


def test_pdf_encrypted_with_an_empty_password_opens(tmp_path):
    assert CROSSING_PHRASE in read(contract_pdf(tmp_path / "open.pdf", encrypt="")).text


def test_pdf_without_a_text_layer_says_so(tmp_path):
    path = make_pdf(tmp_path / "scan.pdf", [[], []], header="", page_numbers=False, text_layer=False)
    with pytest.raises(UnreadableDocument, match=r"no text layer \(scanned\?\)"):
        read(path)


@pytest.mark.parametrize("keep", [0.1, 0.5, 0.9])
def test_truncated_pdf_is_skipped_or_read_never_a_crash(tmp_path, keep):
    whole = contract_pdf(tmp_path / "whole.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(whole[: int(len(whole) * keep)])
    try:
        document = read(path)
    except UnreadableDocument as error:
        assert "PDF" in str(error) or "text layer" in str(error)
    else:  # PDFium repairs what it can
        assert document.pages[0] == 0


def test_a_pdf_that_is_really_a_web_page_is_read_as_one(tmp_path):
    page = make_html(tmp_path / "page.html", "Crew members ratify contract", ["The members voted yes."])
    disguised = tmp_path / "report.pdf"
    disguised.write_bytes(page.read_bytes())
    document = read(disguised)
    assert (document.kind, document.encoding) == ("html", "") and "The members voted yes." in document.text


def test_random_bytes_named_pdf_are_skipped(tmp_path):
    path = tmp_path / "noise.pdf"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(UnreadableDocument, match="not a PDF"):
        read(path)


def test_a_300_page_pdf_has_300_pages(tmp_path):
    words = ["wages", "hours", "rest", "meals", "travel", "holidays", "safety", "grievances", "seniority"]
    pages = [[f"Section {number}. This page is about {words[number % 9]} and {words[number // 9 % 9]}",
              f"and {words[number // 81]}, in the words of the parties."] for number in range(300)]
    document = read(make_pdf(tmp_path / "book.pdf", pages))
    assert len(document.pages) == 300
    assert document.text[document.pages[299]:].startswith("Section 299.")
