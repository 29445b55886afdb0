"""Extracted formats in the reader: listed, cached, indexed, searched, annotated,
and bad files reported as skipped with their reasons."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import reader.index.parallel_build as parallel_build
from bench.format_files import make_docx, make_epub, make_html, make_pdf, make_rtf
from formats_helpers import CROSSING_PHRASE, contract_pdf, read
from reader import corpus, formats
from reader.anchoring import AnchorState
from reader.cli import main
from reader.formats import pdf as pdf_format
from reader.formats import reading
from reader.paths import Collection, DataLayout
from reader.workspace import Workspace


def _workspace(root: Path, data_dir: Path) -> Workspace:
    return Workspace(Collection(root, str(root)), DataLayout(data_dir))


@pytest.fixture
def mixed_folder(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    contract_pdf(root / "contracts" / "basic-agreement.pdf")
    make_html(root / "news" / "variety.html", "Crew members ratify new contract",
              ["Members voted to ratify the agreement by a wide margin on Friday."])
    make_docx(root / "memo.docx", [("h1", "Grievance Memo"), ("p", "The meal penalty was not paid.")])
    make_epub(root / "book.epub", [("Chapter One", ["Workers met in the hall."])], title="Local History")
    make_rtf(root / "letter.rtf", ["The vote is on Friday."], title="Letter")
    (root / "notes.txt").write_text("Plain text stays plain.\n", encoding="utf-8")
    contract_pdf(root / "locked.pdf", encrypt="secret")
    make_pdf(root / "scan.pdf", [[]], header="", page_numbers=False, text_layer=False)
    (root / "noise.docx").write_bytes(b"\x13\x37" * 500)
    return root


EXPECTED_SKIPS = {
    "locked.pdf": "password-protected",
    "scan.pdf": "no text layer (scanned?)",
    "noise.docx": "not a Word document (its content is not in that format)",
}


def test_scan_lists_every_format(mixed_folder):
    listed = [entry.rel_path for entry in corpus.scan(mixed_folder).files]
    assert listed == ["book.epub", "contracts/basic-agreement.pdf", "letter.rtf", "locked.pdf", "memo.docx",
                      "news/variety.html", "noise.docx", "notes.txt", "scan.pdf"]


def test_the_document_list_shows_titles_and_skips_bad_files_with_reasons(mixed_folder, tmp_path, monkeypatch):
    workspace = _workspace(mixed_folder, tmp_path / "data")
    with monkeypatch.context() as patched:  # before the first build: nothing is extracted to list
        patched.setattr(reading, "extract_file", lambda *args: pytest.fail("extracted while listing"))
        listed, skipped = workspace.list_documents()
    assert {row.rel_path: row.title for row in listed}["contracts/basic-agreement.pdf"] == "basic-agreement.pdf"
    assert "locked.pdf" in {row.rel_path for row in listed} and skipped == [] and workspace.listed_unread
    workspace.index.update()
    listed, skipped = workspace.list_documents({})  # as if the manifest were lost: from the extraction cache
    assert not workspace.listed_unread
    titles = {row.rel_path: row.title for row in listed}
    assert titles["contracts/basic-agreement.pdf"] == "Basic Agreement 2024"
    assert titles["news/variety.html"] == "Crew members ratify new contract"
    assert titles["book.epub"] == "Local History"
    assert {problem.rel_path: problem.reason for problem in skipped} == EXPECTED_SKIPS


def test_cli_index_reports_bad_files_as_skipped_and_searches_find_the_rest(mixed_folder, tmp_path, capsys):
    data_dir = tmp_path / "data"
    assert main(["--docs", str(mixed_folder), "--data-dir", str(data_dir), "index"]) == 0
    out = capsys.readouterr().out
    for rel_path, reason in EXPECTED_SKIPS.items():
        assert f"skipped: {rel_path} ({reason})" in out
    assert "Traceback" not in out
    assert main(["--docs", str(mixed_folder), "--data-dir", str(data_dir), "search", f'"{CROSSING_PHRASE}"']) == 0
    assert "contracts/basic-agreement.pdf" in capsys.readouterr().out


def test_a_phrase_across_a_page_break_is_found_with_its_span(mixed_folder, tmp_path):
    workspace = _workspace(mixed_folder, tmp_path / "data")
    workspace.index.update()
    results = workspace.index.search(f'"{CROSSING_PHRASE}"')
    assert [hit.rel_path for hit in results.hits] == ["contracts/basic-agreement.pdf"]
    document = workspace.read("contracts/basic-agreement.pdf")
    (start, end), = results.hits[0].spans
    assert document.text[start:end].lower() == CROSSING_PHRASE
    assert (document.page_at(start), document.page_at(end - 1)) == (1, 2)
    assert results.hits[0].snippet  # read from the cache, not re-extracted
    assert workspace.index.search("negotiation").hits[0].rel_path == "contracts/basic-agreement.pdf"


def test_parallel_build_extracts_in_the_workers_and_reports_skips(mixed_folder, tmp_path, monkeypatch):
    monkeypatch.setattr(parallel_build, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(parallel_build, "_worker_count", lambda: 2)
    workspace = _workspace(mixed_folder, tmp_path / "data")
    report = workspace.index.update()
    assert {problem.rel_path: problem.reason for problem in report.skipped} == EXPECTED_SKIPS
    assert len(report.added) == 6
    assert workspace.index.search(f'"{CROSSING_PHRASE}"').hits[0].rel_path == "contracts/basic-agreement.pdf"
    assert list((tmp_path / "data" / "extracted").glob("*.txt"))  # the workers filled the cache


def test_files_over_the_time_limit_in_worker_processes_are_skipped_not_hung(tmp_path, monkeypatch):
    from reader.formats import limits

    root = tmp_path / "docs"
    contract_pdf(root / "contract.pdf")
    make_html(root / "page.html", "A page", ["Members voted yes."])
    (root / "plain.txt").write_text("Text files have no time limit.\n", encoding="utf-8")
    monkeypatch.setattr(parallel_build, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(parallel_build, "_worker_count", lambda: 2)
    # A limit no extraction can meet: every extracted file runs out of time, in the
    # spawned workers (which read the limit from the environment at import).
    monkeypatch.setenv(limits.SECONDS_ENV, "0.000001")
    report = _workspace(root, tmp_path / "data").index.update()
    assert report.added == ["plain.txt"]
    assert sorted((problem.rel_path, problem.reason) for problem in report.skipped) == [
        ("contract.pdf", "took longer than 1e-06 s to read; skipped"),
        ("page.html", "took longer than 1e-06 s to read; skipped")]


def test_the_cache_serves_a_reopen_without_extracting(tmp_path, monkeypatch):
    path = contract_pdf(tmp_path / "docs" / "contract.pdf")
    cache = tmp_path / "data" / "extracted"
    first = read(path, cache=cache)

    def no_extraction(*args, **kwargs):
        raise AssertionError("extracted again")

    monkeypatch.setattr(reading, "extract_file", no_extraction)
    again = read(path, cache=cache)
    assert (again.text, again.pages, again.title, again.author, again.content_hash) == (
        first.text, first.pages, first.title, first.author, first.content_hash)
    moved = tmp_path / "elsewhere" / "renamed.pdf"
    moved.parent.mkdir()
    shutil.copy2(path, moved)  # another path: found by content, still no extraction
    assert read(moved, cache=cache).content_hash == first.content_hash


def test_unreadable_files_are_remembered_too(tmp_path, monkeypatch):
    path = contract_pdf(tmp_path / "locked.pdf", encrypt="secret")
    cache = tmp_path / "extracted"
    with pytest.raises(corpus.UnreadableDocument):
        read(path, cache=cache)
    monkeypatch.setattr(reading, "extract_file", lambda *args: pytest.fail("extracted again"))
    with pytest.raises(corpus.UnreadableDocument, match="password-protected"):
        read(path, cache=cache)


def test_a_damaged_cache_entry_is_read_again(tmp_path):
    path = contract_pdf(tmp_path / "contract.pdf")
    cache = tmp_path / "extracted"
    first = read(path, cache=cache)
    for text_file in cache.glob("*.txt"):
        text_file.write_text("half a te", encoding="utf-8")
    assert read(path, cache=cache).text == first.text


def test_content_hash_follows_bytes_and_extractor_version_not_the_name(tmp_path, monkeypatch):
    path = contract_pdf(tmp_path / "a.pdf")
    copy = tmp_path / "b.pdf"
    shutil.copy(path, copy)
    original = read(path).content_hash
    assert read(copy).content_hash == original
    assert original != corpus.content_hash(path.read_bytes())  # not the bytes alone
    monkeypatch.setitem(formats.EXTRACTOR_VERSIONS, "html", formats.EXTRACTOR_VERSIONS["html"] + 1)
    assert read(path).content_hash == original  # another format's new extractor: nothing changes
    monkeypatch.setitem(formats.EXTRACTOR_VERSIONS, "pdf", formats.EXTRACTOR_VERSIONS["pdf"] + 1)
    assert read(path).content_hash != original


def test_notes_add_on_a_pdf_from_the_command_line(tmp_path, capsys):
    root = tmp_path / "docs"
    contract_pdf(root / "contract.pdf")
    where = ["--docs", str(root), "--data-dir", str(tmp_path / "data")]
    assert main(["notes", "add", "--doc", "contract.pdf", "--quote", CROSSING_PHRASE, "--text", "Art. 1", *where]) == 0
    capsys.readouterr()
    assert main(["notes", "list", "--json", *where]) == 0
    import json

    (note,) = json.loads(capsys.readouterr().out)
    assert (note["quote"], note["body"], note["state"]) == (CROSSING_PHRASE, "Art. 1", "ok")


def test_text_files_are_read_as_before(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_bytes(b"Title line here\r\nbody \x1b[31m\n")
    document = read(path, cache=tmp_path / "extracted")
    assert document.text == "Title line here\nbody \u241b[31m\n"
    assert document.content_hash == corpus.content_hash(path.read_bytes())
    assert document.pages == () and not (tmp_path / "extracted").exists()


def test_a_note_on_a_pdf_survives_a_new_extractor_version(tmp_path, monkeypatch):
    root = tmp_path / "docs"
    contract_pdf(root / "contract.pdf")
    workspace = _workspace(root, tmp_path / "data")
    document = workspace.read("contract.pdf")
    quote = "continue its negotiation of the overtime rules"
    start = document.text.index(quote)
    note = workspace.add_note(document, start, start + len(quote), "Article 2: cite in the grievance")

    # A new extractor version whose text differs (a preface, a changed word).
    original = pdf_format.pages_to_text

    def better(raw_pages, check=lambda: None):
        text, pages = original(raw_pages, check)
        preface = "Preface added by the new extractor.\n\n"
        return preface + text.replace("Wages are set out", "Wages are listed"), (0,) + tuple(
            page + len(preface) - (2 if page > text.index("Wages are set out") else 0) for page in pages[1:])

    monkeypatch.setattr(pdf_format, "pages_to_text", better)
    monkeypatch.setitem(formats.EXTRACTOR_VERSIONS, "pdf", formats.EXTRACTOR_VERSIONS["pdf"] + 1)
    fresh = _workspace(root, tmp_path / "data")
    reread = fresh.read("contract.pdf")
    assert reread.content_hash != document.content_hash and reread.text.startswith("Preface")
    (moved,) = fresh.notes_for(reread)
    assert moved.id == note.id
    assert moved.state in (AnchorState.MOVED, AnchorState.CHANGED)
    assert reread.text[moved.start:moved.end] == quote
    assert (reread.page_at(moved.start), reread.page_at(moved.end - 1)) == (2, 3)


def test_formats_still_at_version_1_keep_the_content_hash_they_always_had(tmp_path):
    """A new extractor for one format (web pages, version 2) must not change the
    content hash of a PDF read before it: that hash is the PDF's index entry and
    the document hash its notes were made on."""
    import hashlib

    pdf = contract_pdf(tmp_path / "a.pdf")
    page = make_html(tmp_path / "b.html", "A title", ["A paragraph of the article."])
    legacy = "\0iatse-reader extractor 1".encode("ascii")
    assert formats.extractor_version("pdf") == 1 and formats.extractor_version("html") == 2
    assert read(pdf).content_hash == hashlib.sha256(pdf.read_bytes() + legacy).hexdigest()
    assert read(page).content_hash != hashlib.sha256(page.read_bytes() + legacy).hexdigest()
