"""PDF page text made readable: unit tests of reader.formats.textflow."""

from __future__ import annotations

from reader.formats.textflow import drop_running_lines, join_hyphenated, normalise_characters, pages_to_text

FULL = "x" * 70  # a full line of the page's measure


def test_ligatures_soft_hyphens_and_pdfium_line_ends_are_normalised():
    assert normalise_characters("\ufb01rst \ufb02oor of\u00adfice\r\nnext\rlast") == "first floor office\nnext\nlast"


def test_pdfium_hyphen_marker_becomes_a_line_end_hyphen():
    # PDFium glues the next line (here the page number) onto a line-end hyphen.
    assert normalise_characters("continue its nego\ufffe2") == "continue its nego-\n2"


def test_headers_with_a_changing_page_number_and_bare_numbers_are_dropped():
    bodies = ["Wages are paid weekly.", "Rest periods of ten hours.", "Meal penalties apply.", "Signed."]
    pages = [[f"User Manual 2.1    {number}", body, f"- {number} -"]
             for number, body in zip((9, 57, 58, 120), bodies)]
    assert drop_running_lines(pages) == [[body] for body in bodies]


def test_a_line_that_repeats_on_few_pages_is_kept():
    pages = [["Title page", "intro"], ["Chapter", "body one"], ["Chapter", "body two"], ["Other", "end"],
             ["More", "text"]]
    assert drop_running_lines(pages)[1] == ["Chapter", "body one"]


def test_a_single_page_keeps_its_numbers():
    assert drop_running_lines([["2024", "Text of the page."]]) == [["2024", "Text of the page."]]


def test_lines_reflow_into_paragraphs_ended_by_short_lines_and_list_items():
    item = "(a) an item that runs on " + "y" * 45
    page = [FULL, FULL, "end of it.", FULL, FULL, item, FULL, "end."]
    text, starts = pages_to_text(["\n".join(page)])
    assert text.split("\n\n") == [f"{FULL} {FULL} end of it.", f"{FULL} {FULL}", f"{item} {FULL} end."]
    assert starts == (0,)


def test_hyphen_join_follows_the_documents_own_words():
    text, removed = join_hyphenated("they nego-\ntiate; a self-\nemployed grip; co-\nworkers; the coworkers")
    assert text == "they negotiate; a self-employed grip; coworkers; the coworkers"
    assert [count for _, count in removed] == [2, 1, 2]
    kept, _ = join_hyphenated("a well-\nknown fact, well-known")
    assert kept == "a well-known fact, well-known"


def test_a_sentence_across_a_page_break_is_one_paragraph_and_page_starts_follow():
    pages = [f"Head 1\n{FULL}\nthe grievance shall be\n1", f"Head 2\nfiled within thirty days.\n{FULL}\n2",
             f"Head 3\nNew paragraph on a new page.\n3"]
    text, starts = pages_to_text(pages)
    assert "the grievance shall be filed within thirty days." in text
    assert text[starts[1]:].startswith("filed within")
    assert text[starts[2]:].startswith("New paragraph")
    assert text[starts[2] - 2:starts[2]] == "\n\n"


def test_a_word_hyphenated_across_a_page_break_is_joined_and_the_page_start_moves_with_it():
    pages = [f"Head 1\n{FULL}\nthe committee shall continue its nego-\n1",
             "Head 2\ntiation of the rules.\n2", "Head 3\nNegotiation resumes.\n3"]
    text, starts = pages_to_text(pages)
    assert "continue its negotiation of the rules." in text
    assert text[starts[1]:].startswith("tiation of the rules.")
    assert text[starts[2]:].startswith("Negotiation resumes.")


def test_empty_pages_keep_their_place_in_the_page_map():
    text, starts = pages_to_text(["Head\nFirst page text.\n1", "Head\n2", "Head\nThird page text.\n3"])
    assert len(starts) == 3
    assert text[starts[2]:] == "Third page text."
    assert starts[1] <= starts[2]
