"""Issue 13, points 1-3: files that are not documents, paths outside the folder,
and text in legacy encodings.  Nothing may hang, nothing outside the documents
folder may be read or written, and Western European text must read right."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from reader import corpus
from reader.cli import main
from reader.corpus import UnreadableDocument, decode

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
needs_symlinks = pytest.mark.skipif(sys.platform == "win32", reason="symlinks need privileges on Windows")

GOOD = "Turnaround matters\n\nRest periods between shifts are ten hours.\n"


@pytest.fixture
def run(capsys, data_dir):
    def runner(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([*args, "--data-dir", str(data_dir)])
        out, err = capsys.readouterr()
        return code, out, err

    return runner


def _cli(args: list[str], data_dir: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a process of its own, so a hang fails the test (after
    *timeout*) instead of hanging the suite."""
    return subprocess.run(
        [sys.executable, "-m", "reader", *args, "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def _release_fifo(path: Path) -> None:
    """Let a reader blocked opening *path* (on code that blocks) go on."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(descriptor)


# -- 1. only regular files, a size limit, reading never blocks --------------------------

@needs_fifo
def test_a_named_pipe_in_the_folder_is_skipped_with_a_reason_by_index_and_search(make_docs, data_dir):
    docs = make_docs({"a.txt": GOOD})
    os.mkfifo(docs / "x.txt")
    try:
        indexed = _cli(["--docs", str(docs), "index"], data_dir)
        assert indexed.returncode == 0, indexed.stderr
        assert "added: a.txt" in indexed.stdout
        assert "skipped: x.txt (a named pipe, not a regular file)" in indexed.stdout
        searched = _cli(["--docs", str(docs), "search", "turnaround", "--json"], data_dir)
        assert searched.returncode == 0, searched.stderr
        assert [hit["path"] for hit in json.loads(searched.stdout)["results"]] == ["a.txt"]
    finally:
        _release_fifo(docs / "x.txt")


@needs_fifo
def test_reading_a_named_pipe_by_path_is_refused_at_once(make_docs):
    docs = make_docs({"a.txt": GOOD})
    os.mkfifo(docs / "x.txt")
    outcome: list[BaseException | object] = []

    def read() -> None:
        try:
            outcome.append(corpus.read_document_at(docs, "x.txt"))
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=10)
    _release_fifo(docs / "x.txt")
    assert outcome, "reading a named pipe blocked"
    assert isinstance(outcome[0], UnreadableDocument) and "named pipe" in str(outcome[0])


@needs_fifo
def test_read_file_bytes_checks_the_open_file_not_only_the_listing(tmp_path):
    # A file replaced by a pipe between the listing and the read: the read
    # itself opens without blocking and looks at what it opened.
    pipe = tmp_path / "swapped.txt"
    os.mkfifo(pipe)
    with pytest.raises(UnreadableDocument, match="named pipe"):
        corpus.read_file_bytes(pipe)


@needs_symlinks
def test_a_link_to_dev_zero_is_a_device_and_is_skipped(make_docs):
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    docs = make_docs({"a.txt": GOOD})
    (docs / "z.txt").symlink_to("/dev/zero")
    scan = corpus.scan(docs)
    assert [entry.rel_path for entry in scan.files] == ["a.txt"]
    assert [(problem.rel_path, problem.reason) for problem in scan.problems] == [
        ("z.txt", "a character device, not a regular file")
    ]
    with pytest.raises(UnreadableDocument, match="outside the documents folder"):
        corpus.read_document_at(docs, "z.txt")  # the device is outside the folder too
    with pytest.raises(UnreadableDocument, match="character device"):
        corpus.read_file_bytes(docs / "z.txt")


def test_a_file_over_the_size_limit_is_skipped_and_the_limit_is_named(make_docs, monkeypatch, run):
    docs = make_docs({"small.txt": GOOD, "big.txt": "word " * 1000})
    monkeypatch.setenv(corpus.MAX_FILE_MB_ENV, "0.002")  # 2,000 bytes
    scan = corpus.scan(docs)
    assert [entry.rel_path for entry in scan.files] == ["small.txt"]
    (problem,) = scan.problems
    assert problem.rel_path == "big.txt"
    assert problem.reason == "too large: 0.005 MB, over the 0.002 MB limit (set IATSE_READER_MAX_FILE_MB to change it)"
    with pytest.raises(UnreadableDocument, match="too large"):
        corpus.read_document_at(docs, "big.txt")
    code, out, _err = run("--docs", str(docs), "index")
    assert code == 0 and "skipped: big.txt (too large: 0.005 MB" in out and "added: small.txt" in out

    monkeypatch.setenv(corpus.MAX_FILE_MB_ENV, "1")
    assert [entry.rel_path for entry in corpus.scan(docs).files] == ["big.txt", "small.txt"]


@pytest.mark.parametrize("value", ["", "lots", "-3", "0", "nan", "inf"])
def test_a_bad_size_limit_falls_back_to_the_default(monkeypatch, value):
    monkeypatch.setenv(corpus.MAX_FILE_MB_ENV, value)
    assert corpus.max_file_bytes() == int(corpus.DEFAULT_MAX_FILE_MB * 1_000_000)


def test_a_file_that_grows_past_the_limit_after_the_stat_is_refused(tmp_path):
    path = tmp_path / "growing.txt"
    path.write_bytes(b"x" * 50)
    assert corpus.read_file_bytes(path, limit=50) == b"x" * 50
    with pytest.raises(UnreadableDocument, match="too large"):
        corpus.read_file_bytes(path, limit=49)


@needs_fifo
def test_the_start_up_check_does_not_take_a_pipe_for_a_document(make_docs, data_dir):
    from reader.index import DocumentIndex

    docs = make_docs({"a.txt": GOOD})
    document_index = DocumentIndex(data_dir / "index", docs, "k")
    try:
        assert document_index.update().added == ["a.txt"]
        os.mkfifo(docs / "x.txt")
        report = document_index.update()  # the fast check must not report "unchanged"
        assert [(skipped.rel_path, skipped.reason) for skipped in report.skipped] == [
            ("x.txt", "a named pipe, not a regular file")
        ]
        assert report.unchanged == 1
    finally:
        document_index.close()
        _release_fifo(docs / "x.txt")


# -- 2. nothing outside the documents folder -----------------------------------------

@pytest.fixture
def two_folders(make_docs):
    docs = make_docs({"a.txt": GOOD})
    other = make_docs({"a.txt": "Another folder\n\nSecret words here.\n"}, name="other")
    return docs, other


@pytest.mark.parametrize("doc", ["../other/a.txt", "{other}/a.txt", "/etc/hostname", "sub/../../other/a.txt"])
def test_notes_add_on_a_path_outside_the_folder_exits_2_and_saves_nothing(run, two_folders, doc):
    docs, other = two_folders
    doc = doc.format(other=other)
    code, out, err = run("--docs", str(docs), "notes", "add", "--doc", doc, "--text", "x")
    assert code == 2 and out == ""
    assert err == f"iatse-reader: {doc}: outside the documents folder {docs}\n"
    code, out, _err = run("--docs", str(docs), "notes", "list", "--json")
    assert code == 0 and json.loads(out) == []


def test_notes_export_doc_outside_the_folder_exits_2_and_writes_nothing(run, two_folders):
    docs, other = two_folders
    code, out, err = run("--docs", str(docs), "notes", "export", "--doc", "../other/a.txt")
    assert code == 2 and out == "" and "outside the documents folder" in err
    assert sorted(path.name for path in other.iterdir()) == ["a.txt"]


def test_a_path_inside_the_folder_still_works_absolute_or_with_dots(run, two_folders):
    docs, _other = two_folders
    for doc in (str(docs / "a.txt"), "./a.txt", "sub/../a.txt"):
        code, out, err = run("--docs", str(docs), "notes", "add", "--doc", doc, "--quote", "Rest")
        assert code == 0, err
        assert "on a.txt at" in out


@needs_symlinks
def test_a_link_to_a_file_outside_the_folder_is_not_a_document(run, two_folders):
    docs, other = two_folders
    (docs / "link.txt").symlink_to(other / "a.txt")
    (docs / "inside.txt").symlink_to(docs / "a.txt")  # a link within the folder is fine
    scan = corpus.scan(docs)
    assert [entry.rel_path for entry in scan.files] == ["a.txt", "inside.txt"]
    assert [(problem.rel_path, problem.reason) for problem in scan.problems] == [
        ("link.txt", "a link to a file outside the documents folder")
    ]
    code, out, _err = run("--docs", str(docs), "index")
    assert "skipped: link.txt (a link to a file outside the documents folder)" in out
    code, _out, _err = run("--docs", str(docs), "search", "secret")
    assert code == 1  # the outside file's words were never indexed
    code, _out, err = run("--docs", str(docs), "notes", "add", "--doc", "link.txt", "--text", "x")
    assert code == 2 and "outside the documents folder" in err
    code, _out, err = run("--docs", str(docs), "notes", "export", "--doc", "link.txt")
    assert code == 2 and "outside the documents folder" in err
    assert sorted(path.name for path in other.iterdir()) == ["a.txt"]


def test_read_document_at_refuses_paths_that_leave_the_folder(two_folders):
    docs, other = two_folders
    for rel_path in ("../other/a.txt", str(other / "a.txt")):
        with pytest.raises(UnreadableDocument, match="outside the documents folder"):
            corpus.read_document_at(docs, rel_path)


# -- 3. encodings: UTF-8 first, then Western European code pages --------------------

def test_latin1_french_reads_right_though_charset_normalizer_says_cp1250():
    text, encoding = decode("Grève générale à Paris".encode("latin-1"))
    assert text == "Grève générale à Paris"
    assert encoding == "cp1252"


def test_cp1252_naive_reads_right():
    assert decode("naïve".encode("cp1252")) == ("naïve", "cp1252")
    assert decode("The union said \u201cno deal\u201d \u2014 5\u20ac".encode("cp1252"))[0] == (
        "The union said \u201cno deal\u201d \u2014 5\u20ac"
    )


@pytest.mark.parametrize(("text", "encoding"), [
    ("Příliš žluťoučký kůň úpěl ďábelské ódy. Odbory vyhlásily stávku.", "cp1250"),
    ("Związek zawodowy ogłosił strajk generalny. Pracownicy żądają wyższych płac.", "cp1250"),
    ("A szakszervezet általános sztrájkot hirdetett, a különböző munkások bért követelnek.", "cp1250"),
    ("Sendika genel grev ilan etti. İşçiler daha yüksek ücret ve kısa vardiya istiyor.", "cp1254"),
    ("Die Gewerkschaft fordert höhere Löhne für Bühnenarbeiter. Straße", "cp1252"),
    ("La huelga general en España: los trabajadores exigen más salario.", "cp1252"),
])
def test_the_text_can_say_it_is_not_western(text, encoding):
    assert decode(text.encode(encoding)) == (text, encoding)


@pytest.mark.parametrize(("text", "encoding"), [
    ("Профсоюз объявил всеобщую забастовку. Рабочие требуют повышения зарплаты.", "cp1251"),
    ("Το συνδικάτο κήρυξε γενική απεργία.", "cp1253"),
])
def test_other_scripts_are_left_to_charset_normalizer(text, encoding):
    assert decode(text.encode(encoding))[0] == text


def test_utf16_with_a_bom_is_read():
    assert decode("Grève".encode("utf-16")) == ("Grève", "utf-16")  # the codec writes a BOM


def test_search_and_notes_find_latin1_text(run, make_docs, data_dir):
    docs = make_docs({"paris.txt": "Grève générale à Paris\n\nLes naïves.\n".encode("latin-1"),
                      "other.txt": GOOD})
    code, out, err = run("--docs", str(docs), "index", "--verbose")
    assert code == 0, err
    assert "added: paris.txt (cp1252)" in out and "added: other.txt (utf-8)" in out
    code, out, err = run("--docs", str(docs), "search", "grève", "--json")
    assert code == 0, err
    (hit,) = json.loads(out)["results"]
    assert hit["path"] == "paris.txt" and hit["title"] == "Grève générale à Paris"
    code, out, err = run("--docs", str(docs), "notes", "add", "--doc", "paris.txt", "--quote", "Grève",
                         "--text", "la grève")
    assert code == 0, err
    assert "on paris.txt at 0-5" in out


def test_index_without_verbose_does_not_name_encodings(run, make_docs):
    docs = make_docs({"paris.txt": "Grève générale à Paris\n".encode("latin-1")})
    code, out, _err = run("--docs", str(docs), "index")
    assert code == 0 and "added: paris.txt\n" in out and "cp1252" not in out


CZECH = "Stávka dělníků"  # too short to tell from cp1252 by itself


def test_catalog_encodings_table_overrides_detection_per_folder(make_docs):
    docs = make_docs({
        "praha/stavka.txt": CZECH.encode("cp1250"),
        "praha/deep/stavka.txt": CZECH.encode("cp1250"),
        "paris.txt": "Grève générale".encode("cp1252"),
        "utf8/plain.txt": "Grève in UTF-8 is read as UTF-8 whatever the catalog says",
        "catalog.toml": '[encodings]\n"praha" = "cp1250"\n"utf8" = "cp1250"\n',
    })
    assert decode(CZECH.encode("cp1250"))[0] != CZECH  # detection alone gets it wrong
    catalog = corpus.load_catalog(docs)
    scan = corpus.scan(docs)
    documents = {entry.rel_path: corpus.read_document(entry, catalog) for entry in scan.files}
    assert (documents["praha/stavka.txt"].text, documents["praha/stavka.txt"].encoding) == (CZECH, "cp1250")
    assert documents["praha/deep/stavka.txt"].text == CZECH
    assert documents["paris.txt"].text == "Grève générale"
    assert documents["utf8/plain.txt"].encoding == "utf-8"
    # Readers that pass no catalog (snippets) decode the same way.
    assert corpus.read_document_at(docs, "praha/stavka.txt").text == CZECH


def test_catalog_whole_collection_and_per_document_encodings(make_docs):
    docs = make_docs({
        "a.txt": CZECH.encode("cp1250"),
        "b.txt": "Grève".encode("cp1252"),
        "catalog.toml": '[encodings]\n"." = "cp1250"\n\n["b.txt"]\nencoding = "latin-1"\n',
    })
    catalog = corpus.load_catalog(docs)
    assert corpus.read_document_at(docs, "a.txt", catalog).text == CZECH
    assert corpus.read_document_at(docs, "b.txt", catalog).text == "Grève"
    assert corpus.read_document_at(docs, "b.txt", catalog).encoding == "iso8859-1"


def test_an_unknown_or_wrong_catalog_encoding_skips_the_file_with_the_reason(make_docs, run):
    docs = make_docs({
        "bad/a.txt": CZECH.encode("cp1250"),
        "wrong/b.txt": b"\x81\x81 not cp1252",
        "catalog.toml": '[encodings]\n"bad" = "klingon"\n"wrong" = "cp1252"\n',
    })
    code, out, _err = run("--docs", str(docs), "index")
    assert code == 0
    assert "skipped: bad/a.txt (catalog.toml names an unknown encoding: 'klingon')" in out
    assert "skipped: wrong/b.txt (not valid cp1252 (the encoding catalog.toml sets for it) at byte 0)" in out


# -- 6 (CLI half). tabs and control characters in titles and paths ---------------------

def test_display_line_keeps_length_and_shows_no_controls():
    from reader.display import display_line

    assert display_line("col1\tcol2") == "col1 col2"
    assert display_line("red \x1b[31m alert\r\nend") == "red ␛[31m alert  end"
    assert display_line("a\u202eb") == "a\ufffdb"
    for text in ("col1\tcol2", "x\x1b\x07\x85\u2028y", "plain"):
        assert len(display_line(text)) == len(text)


def test_search_prints_no_raw_tabs_or_escapes_in_titles_and_paths(run, make_docs):
    docs = make_docs({
        "table.txt": "col1\tcol2 of the turnaround table\n\nTurnaround rules.\n",
        "esc\x1b[2J.txt": "Escape hatch for the turnaround\n\nTurnaround again.\n",
    })
    code, out, err = run("--docs", str(docs), "search", "turnaround")
    assert code == 0, err
    assert "\t" not in out and "\x1b" not in out
    assert "col1 col2 of the turnaround table" in out
    assert "esc␛[2J.txt" in out
    code, out, _err = run("--docs", str(docs), "index", "--rebuild")
    assert "\x1b" not in out and "added: esc␛[2J.txt" in out
    code, out, _err = run("--docs", str(docs), "search", "turnaround", "--json")
    assert "col1\tcol2 of the turnaround table" in {hit["title"] for hit in json.loads(out)["results"]}


def test_the_parallel_build_decodes_with_the_catalog_encodings_too(make_docs, data_dir, monkeypatch):
    """The catalog travels to the worker processes by pickle: its [encodings] too."""
    import reader.index.parallel_build as parallel_build
    from reader.index import DocumentIndex

    files: dict[str, bytes | str] = {f"praha/{number}.txt": f"{CZECH} {number}".encode("cp1250")
                                     for number in range(6)}
    files["catalog.toml"] = '[encodings]\n"praha" = "cp1250"\n'
    docs = make_docs(files)
    monkeypatch.setattr(parallel_build, "PARALLEL_MIN_FILES", 4)
    monkeypatch.setattr(parallel_build, "_worker_count", lambda: 2)
    document_index = DocumentIndex(data_dir / "index", docs, "k")
    try:
        assert len(document_index.update().added) == 6
        assert len(document_index.search("dělníků", limit=None).hits) == 6
    finally:
        document_index.close()


@needs_fifo
@pytest.mark.parametrize("name", ["x.pdf", "x.html", "x.epub", "x.md"])
def test_a_pipe_with_any_document_suffix_is_skipped_and_never_opened(make_docs, name):
    docs = make_docs({"a.txt": GOOD})
    os.mkfifo(docs / name)
    try:
        scan = corpus.scan(docs)
        assert [entry.rel_path for entry in scan.files] == ["a.txt"]
        assert [(problem.rel_path, problem.reason) for problem in scan.problems] == [
            (name, "a named pipe, not a regular file")
        ]
        entry = corpus.FileEntry(name, docs / name, 0, 0)  # as if listed before it became a pipe
        with pytest.raises(UnreadableDocument, match="named pipe"):
            corpus.read_document(entry)
    finally:
        _release_fifo(docs / name)
