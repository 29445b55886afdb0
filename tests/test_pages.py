"""Pages everywhere: form-feed text is paginated, and every page citation (search
hits, notes, both exports) comes from the document's page map."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader import corpus
from reader.cli import main
from reader.corpus import Document, form_feed_pages, page_at
from reader.export import NotesImportError, PDF_FRAGMENT_SPEC, notes_from_jsonld, notes_to_jsonld, notes_to_markdown
from reader.page_maps import PageMaps, hits_pages_label, page_label, pages_of_spans, passage_pages
from reader.paths import DataLayout, resolve_collection
from reader.workspace import Workspace

# Three pages, as pdftotext writes them (every page ends with a form feed); the
# phrase "rest periods" runs from page 2 onto page 3.
PAGE_1 = "Memorandum of Agreement\n\nArticle 1. Scope.\nThis agreement covers the crews.\n"
PAGE_2 = "Article 10. Hours.\nMembers shall have rest\n"
PAGE_3 = "periods of ten hours between shifts.\nArticle 11. Meals.\n"
PAGED = f"{PAGE_1}\f{PAGE_2}\f{PAGE_3}\f"
ACROSS = "rest\n\nperiods"  # the line end before the page break, then the break itself
PLAIN = "A plain document without pages.\nMembers shall have rest periods too.\n"


def _workspace(root: Path, data_dir: Path) -> Workspace:
    return Workspace(resolve_collection(str(root)), DataLayout(data_dir))


@pytest.fixture
def docs(make_docs) -> Path:
    return make_docs({"paged.txt": PAGED, "plain.txt": PLAIN})


# -- form feeds -------------------------------------------------------------------


def test_form_feeds_become_newlines_and_page_starts():
    text, pages = form_feed_pages(PAGED)
    assert len(text) == len(PAGED)  # one for one: offsets are unchanged
    assert "\f" not in text
    assert pages == (0, len(PAGE_1) + 1, len(PAGE_1) + 1 + len(PAGE_2) + 1)
    assert text[pages[1]:].startswith("Article 10.")
    assert text[pages[2]:].startswith("periods of ten hours")


def test_text_after_the_last_form_feed_is_a_page_only_if_it_holds_text():
    assert form_feed_pages("one\ftwo")[1] == (0, 4)  # no final form feed: still two pages
    assert form_feed_pages("one\ftwo\f\n  \n")[1] == (0, 4)  # white space after the last one
    assert form_feed_pages("one\f\ftwo\f")[1] == (0, 4, 5)  # a blank page in the middle is a page
    assert form_feed_pages("only page\f")[1] == (0,)  # a one-page pdftotext file


def test_text_without_form_feeds_has_no_pages():
    assert form_feed_pages(PLAIN) == (PLAIN, ())


def test_page_offsets_hold_after_windows_line_endings():
    raw = "first\r\npage\r\n\fsecond\r\npage\r\n\f"
    text, pages = form_feed_pages(raw)
    clean = corpus.clean_text(text)
    assert pages == (0, len("first\npage\n\n"))
    assert clean[pages[1]:].startswith("second\npage")


def test_read_document_paginates_form_feed_text(make_docs):
    root = make_docs({"paged.txt": PAGED.replace("\n", "\r\n"), "plain.md": PLAIN})
    catalog: dict = {}
    paged = corpus.read_document_at(root, "paged.txt", catalog)
    assert len(paged.pages) == 3
    assert "\u240c" not in paged.text and "\f" not in paged.text  # not the control picture ␌
    assert paged.text[paged.pages[2]:].startswith("periods of ten hours")
    assert paged.page_at(paged.text.index("Memorandum")) == 1
    assert paged.page_at(paged.text.index("Meals")) == 3
    plain = corpus.read_document_at(root, "plain.md", catalog)
    assert plain.pages == () and plain.page_at(10) is None


def test_other_control_characters_are_still_pictures(make_docs):
    root = make_docs({"a.txt": "page one \x1b[31m\fpage two"})
    document = corpus.read_document_at(root, "a.txt")
    assert document.text == "page one \u241b[31m\npage two"
    assert document.pages == (0, 15)


# -- page arithmetic --------------------------------------------------------------


def test_pages_of_spans_and_passages():
    pages = (0, 100, 200)
    assert pages_of_spans(pages, [(5, 9), (99, 104), (250, 260)]) == [1, 1, 3]
    assert pages_of_spans((), [(5, 9)]) is None
    assert passage_pages(pages, 95, 105) == (1, 2)
    assert passage_pages(pages, 95, 100) == (1, 1)  # ends just before page 2
    assert passage_pages((), 1, 2) is None
    assert page_label((57, 57)) == "p. 57"
    assert page_label((57, 58)) == "pp. 57–58"
    assert hits_pages_label([3, 3]) == "p. 3"
    assert hits_pages_label([57, 3, 12]) == "pp. 3–57"
    assert page_at(pages, 200) == 3


# -- the page map cache -----------------------------------------------------------


def test_page_maps_decode_only_files_with_form_feeds_and_remember(docs, monkeypatch):
    reads: list[str] = []

    def read(rel_path: str) -> Document:  # other formats (a PDF) are read as documents
        reads.append(rel_path)
        stat = (docs / rel_path).stat()
        return Document(rel_path=rel_path, path=docs / rel_path, title="", text="x" * 300, content_hash="",
                        size=stat.st_size, mtime_ns=stat.st_mtime_ns, encoding="", pages=(0, 100, 200))

    decoded: list[bytes] = []
    real_decode = corpus.decode
    monkeypatch.setattr("reader.page_maps.decode",
                        lambda data, encoding=None: decoded.append(data) or real_decode(data, encoding))
    maps = PageMaps(docs, read)
    assert maps.get("plain.txt") == ()
    assert decoded == []  # no form-feed byte: never decoded
    pages = maps.get("paged.txt")
    assert pages == corpus.read_document_at(docs, "paged.txt").pages and len(pages) == 3
    assert len(decoded) == 1
    assert maps.get("paged.txt") == pages and len(decoded) == 1  # remembered

    (docs / "paged.txt").write_text("new first page\f" + PAGED, encoding="utf-8")
    assert len(maps.get("paged.txt")) == 4  # changed on disk: read again
    assert maps.get("gone.txt") == ()  # a page citation is never an error
    (docs / "bad.txt").write_bytes(b"\x00\x0c binary")
    assert maps.get("bad.txt") == ()
    assert reads == []
    (docs / "book.pdf").write_bytes(b"%PDF-1.7")
    assert maps.get("book.pdf") == (0, 100, 200) and reads == ["book.pdf"]
    assert maps.get("book.pdf") == (0, 100, 200) and reads == ["book.pdf"]


@pytest.mark.parametrize("encoded", [
    PAGED.encode("utf-8-sig"),
    PAGED.replace("\n", "\r\n").encode("utf-16"),
    ("Caf\u00e9 \u00e0 la page un\r\n\f" * 40 + "fin").encode("latin-1"),
    "\u2028line\fpage\u2029two\f".encode("utf-8"),
])
def test_page_maps_agree_with_read_document(make_docs, encoded):
    root = make_docs({"a.txt": encoded})
    maps = PageMaps(root, lambda rel_path: pytest.fail("plain text is not read as a document"))
    assert maps.get("a.txt") == corpus.read_document_at(root, "a.txt").pages != ()


def test_opening_a_document_fills_its_page_map(docs, data_dir):
    workspace = _workspace(docs, data_dir)
    document = workspace.read("paged.txt")
    workspace.page_maps._read = lambda rel_path: pytest.fail("read again")  # type: ignore[assignment]
    assert workspace.page_maps.get("paged.txt") == document.pages


# -- search -----------------------------------------------------------------------


def test_search_hits_carry_their_pages(docs, data_dir):
    workspace = _workspace(docs, data_dir)
    workspace.index.update()
    results = workspace.with_pages(workspace.index.search('"rest periods"'))
    by_path = {hit.rel_path: hit for hit in results.hits}
    paged, plain = by_path["paged.txt"], by_path["plain.txt"]
    document = workspace.read("paged.txt")
    ((start, end),) = paged.spans
    assert document.text[start:end] == ACROSS  # the phrase across the page break
    assert paged.pages == [2]
    assert plain.pages is None


def _cli(*args: str, docs: Path, data_dir: Path, capsys) -> tuple[int, str]:
    capsys.readouterr()
    code = main([*args, "--docs", str(docs), "--data-dir", str(data_dir)])
    return code, capsys.readouterr().out


def test_search_json_gives_pages_beside_spans(docs, data_dir, capsys):
    code, out = _cli("search", "members", "--json", docs=docs, data_dir=data_dir, capsys=capsys)
    assert code == 0
    results = {item["path"]: item for item in json.loads(out)["results"]}
    paged = results["paged.txt"]
    assert len(paged["pages"]) == len(paged["spans"]) == 1
    assert paged["pages"] == [2]
    assert results["plain.txt"]["pages"] is None

    code, out = _cli("search", "article", docs=docs, data_dir=data_dir, capsys=capsys)
    assert code == 0
    assert "paged.txt  score" in out and "3 hits  pp. 1–3" in out


# -- notes --------------------------------------------------------------------------


@pytest.fixture
def noted(docs, data_dir):
    """Notes on page 3, across pages 2–3, on the whole paged document, and on the
    plain document."""
    workspace = _workspace(docs, data_dir)
    paged, plain = workspace.read("paged.txt"), workspace.read("plain.txt")

    def passage(document: Document, quote: str, body: str):
        start = document.text.index(quote)
        return workspace.add_note(document, start, start + len(quote), body)

    notes = {
        "page 3": passage(paged, "Article 11. Meals.", "meals"),
        "across": passage(paged, ACROSS, "rest periods"),
        "whole": workspace.add_note(paged, None, None, "the whole agreement"),
        "plain": passage(plain, "rest periods too", "no pages here"),
    }
    return workspace, notes


def test_notes_list_json_gives_the_page(noted, docs, data_dir, capsys):
    _workspace_, notes = noted
    code, out = _cli("notes", "list", "--json", docs=docs, data_dir=data_dir, capsys=capsys)
    assert code == 0
    pages = {item["id"]: item["page"] for item in json.loads(out)}
    assert pages == {notes["page 3"].id: 3, notes["across"].id: 2, notes["whole"].id: None,
                     notes["plain"].id: None}
    code, out = _cli("notes", "list", docs=docs, data_dir=data_dir, capsys=capsys)
    assert "yellow · pp. 2–3]" in out and "yellow · p. 3]" in out


def test_markdown_export_cites_pages(noted, docs, data_dir, capsys):
    workspace, notes = noted
    code, out = _cli("notes", "export", "--format", "markdown", "-o", "-", docs=docs, data_dir=data_dir,
                     capsys=capsys)
    assert code == 0
    start = notes["page 3"].start
    assert f"*yellow · p. 3 · characters {start}–{start + len('Article 11. Meals.')}*" in out
    assert "*yellow · pp. 2–3 · characters" in out
    plain = notes["plain"]
    assert f"*yellow · characters {plain.start}–{plain.end}*" in out  # no pages, no page
    # The function on its own: without pages given, no page.
    assert "p. 3" not in notes_to_markdown(workspace.all_notes(), {})


def _selectors(collection: dict) -> dict[str, list[dict]]:
    return {item["id"].removeprefix("urn:uuid:"): item["target"].get("selector", [])
            for item in collection["first"]["items"]}


def test_jsonld_export_adds_a_pdf_page_selector_and_round_trips(noted, docs, data_dir, capsys):
    workspace, notes = noted
    code, out = _cli("notes", "export", "--format", "json", "-o", "-", docs=docs, data_dir=data_dir,
                     capsys=capsys)
    assert code == 0
    selectors = _selectors(json.loads(out))
    assert selectors[notes["page 3"].id][2] == {
        "type": "FragmentSelector", "conformsTo": "http://tools.ietf.org/rfc/rfc3778", "value": "page=3",
    }
    assert selectors[notes["across"].id][2]["value"] == "page=2"  # where the passage starts
    assert [selector["type"] for selector in selectors[notes["plain"].id]] == [
        "TextQuoteSelector", "TextPositionSelector"]
    assert selectors[notes["whole"].id] == []
    imported = notes_from_jsonld(out)
    assert {note.id: note for note in imported} == {note.id: note for note in workspace.all_notes()}


@pytest.mark.parametrize(("fragment", "message"), [
    ({"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT_SPEC, "value": "page=zero"},
     r"selector\[2\]\.value: expected page=N, found 'page=zero'"),
    ({"type": "FragmentSelector", "conformsTo": "http://www.w3.org/TR/media-frags/", "value": "t=10"},
     r"selector\[2\]\.conformsTo: only PDF page fragments"),
    ({"type": "FragmentSelector", "value": "page=3"}, r'selector\[2\]: missing "conformsTo"'),
])
def test_a_bad_page_selector_is_refused_with_one_line(noted, fragment, message):
    workspace, notes = noted
    collection = json.loads(notes_to_jsonld(workspace.all_notes(), {}))
    item = next(item for item in collection["first"]["items"] if item["id"].endswith(notes["plain"].id))
    item["target"]["selector"].append(fragment)
    with pytest.raises(NotesImportError, match=message) as error:
        notes_from_jsonld(json.dumps(collection))
    assert "\n" not in str(error.value)


def test_the_pages_bench_runs(capsys):
    from bench.pages import main as bench_pages

    assert bench_pages(["--docs", "20", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    assert "20 plain + 2 paginated documents + 1 PDFs" in out
    assert "search + pages, cold" in out and "ratio" in out


def test_notes_add_says_the_page(docs, data_dir, capsys):
    code, out = _cli("notes", "add", "--doc", "paged.txt", "--quote", "Article 11", "--text", "meals",
                     docs=docs, data_dir=data_dir, capsys=capsys)
    assert code == 0 and out.rstrip().endswith("(p. 3)")
    code, out = _cli("notes", "add", "--doc", "plain.txt", "--quote", "rest periods", "--text", "x",
                     docs=docs, data_dir=data_dir, capsys=capsys)
    assert code == 0 and "(p." not in out


# -- a PDF ------------------------------------------------------------------------


def test_a_pdf_cites_pages_in_search_notes_and_exports(tmp_path, data_dir, capsys):
    from formats_helpers import CROSSING_PHRASE, contract_pdf

    docs = tmp_path / "pdfs"
    contract_pdf(docs / "agreement.pdf")
    code, out = _cli("search", f'"{CROSSING_PHRASE}"', "--json", docs=docs, data_dir=data_dir, capsys=capsys)
    assert code == 0
    (result,) = json.loads(out)["results"]
    assert result["pages"] == [1]  # the phrase starts at the foot of page 1 and ends on page 2
    workspace = _workspace(docs, data_dir)
    document = workspace.read("agreement.pdf")
    assert len(document.pages) == 3
    start = document.text.index(CROSSING_PHRASE)
    workspace.add_note(document, start, start + len(CROSSING_PHRASE), "the time limit")
    code, out = _cli("notes", "list", "--json", docs=docs, data_dir=data_dir, capsys=capsys)
    assert [note["page"] for note in json.loads(out)] == [1]
    code, out = _cli("notes", "export", "-o", "-", docs=docs, data_dir=data_dir, capsys=capsys)
    assert "*yellow · pp. 1–2 · characters" in out
    code, out = _cli("notes", "export", "--format", "json", "-o", "-", docs=docs, data_dir=data_dir, capsys=capsys)
    (selectors,) = _selectors(json.loads(out)).values()
    assert selectors[2]["value"] == "page=1"


def test_page_maps_agree_with_read_document_when_the_catalog_sets_the_encoding(make_docs, data_dir):
    # The same decoding as the reader's (catalog.toml's encoding passed on), so the
    # offsets are the text's whatever the encoding's characters per byte.
    text = ("Caf\u00e9 \u2014 r\u00e9sum\u00e9 \u201cquoted\u201d\n\f" * 30) + "fin\f"
    root = make_docs({"a.txt": text.encode("cp1252"),
                      "catalog.toml": '["a.txt"]\nencoding = "cp1252"\n'})
    workspace = _workspace(root, data_dir)
    maps = PageMaps(root, lambda rel_path: pytest.fail("plain text is not read as a document"),
                    lambda: workspace.catalog)
    document = corpus.read_document_at(root, "a.txt")
    assert document.text.startswith("Caf\u00e9 \u2014")
    assert maps.get("a.txt") == document.pages and len(document.pages) == 31


def test_page_maps_never_block_on_a_pipe(tmp_path):
    import os

    root = tmp_path / "docs"
    root.mkdir()
    os.mkfifo(root / "fifo.txt")
    maps = PageMaps(root, lambda rel_path: pytest.fail("not a document"))
    assert maps.get("fifo.txt") == ()
    assert maps.get("../outside.txt") == ()
