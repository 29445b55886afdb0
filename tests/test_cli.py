"""The command line, called in-process (and once as ``python -m reader``)."""

from __future__ import annotations

import json
import uuid
import subprocess
import sys
from pathlib import Path

import pytest

from reader import __version__
from reader.cli import main

DOC_000 = "000_e3ada0fd6d1921fa.txt"
DOC_003 = "003_a46e3e2d94785f42.txt"
DOC_004 = "004_d8284c93e39c396c.txt"
REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(capsys, data_dir):
    """``run("search", "x")`` -> (exit code, stdout, stderr), always on the tmp data dir."""

    def runner(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()  # drop anything printed before
        code = main([*args, "--data-dir", str(data_dir)])
        out, err = capsys.readouterr()
        return code, out, err

    return runner


def test_search_json(run, data_dir):
    code, out, _err = run("search", "class union", "--json")
    assert code == 0
    payload = json.loads(out)
    assert payload["query"] == "class union"
    assert payload["suggestion"] is None
    results = payload["results"]
    assert isinstance(results, list)
    assert payload["total"] == len(results)
    assert {DOC_000, DOC_003} <= {item["path"] for item in results}
    for item in results:
        assert {"path", "title", "score", "snippet", "hits", "spans"} <= set(item)
        assert isinstance(item["score"], float | int)
        assert item["hits"] >= 1
        assert len(item["spans"]) == item["hits"]
        assert "\n" not in item["snippet"]
    assert (data_dir / "index").is_dir()  # the index went to the tmp data dir


def test_search_running_does_not_crash(run):
    code, _out, err = run("search", "running")
    assert code in (0, 1)
    assert "Traceback" not in err


def test_search_strikes_text_output(run):
    code, out, _err = run("search", "strikes")
    assert code == 0
    assert out.startswith("1. ")
    assert "score" in out and "hit" in out


def test_search_limit(run):
    code, out, _err = run("search", "strike", "--json", "--limit", "1")
    assert code == 0
    assert len(json.loads(out)["results"]) == 1


def test_search_bad_query_exits_2_with_one_line(run):
    code, out, err = run("search", "(((")
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("iatse-reader:")
    assert out == ""


def test_search_nothing_found_exits_1(run):
    code, out, _err = run("search", "zzzzqqq")
    assert code == 1
    assert "No documents match" in out


def test_search_nothing_found_json_has_no_results(run):
    code, out, _err = run("search", "zzzzqqq", "--json")
    assert code == 1
    assert json.loads(out)["results"] == []


def test_index_and_rebuild(run):
    code, out, _err = run("index")
    assert code == 0
    assert "5 added" in out
    assert f"added: {DOC_004}" in out
    code, out, _err = run("index")
    assert code == 0
    assert "0 added" in out and "5 unchanged" in out
    code, out, _err = run("index", "--rebuild")
    assert code == 0
    assert "rebuild requested" in out
    assert "5 added" in out


def test_location_options_before_the_subcommand(capsys, data_dir):
    code = main(["--data-dir", str(data_dir), "index"])
    assert code == 0
    assert "5 added" in capsys.readouterr().out
    assert (data_dir / "index").is_dir()


def test_data_dir_from_environment(capsys, data_dir, monkeypatch):
    monkeypatch.setenv("IATSE_READER_DATA_DIR", str(data_dir))
    assert main(["index"]) == 0
    assert (data_dir / "index").is_dir()


def test_notes_add_list_and_export(run, tmp_path):
    code, out, err = run("notes", "add", "--doc", DOC_004, "--quote", "turnaround", "--text", "hi")
    assert code == 0, err
    assert out.startswith("added passage note ")

    code, out, _err = run("notes", "list", "--json")
    assert code == 0
    notes = json.loads(out)
    assert len(notes) == 1
    (note,) = notes
    assert note["doc_path"] == DOC_004
    assert note["quote"] == "turnaround"
    assert note["body"] == "hi"
    assert note["state"] == "ok"
    assert isinstance(note["start"], int) and note["end"] == note["start"] + len("turnaround")
    assert note["title"].startswith("IATSE and AMPTP Negotiations")

    code, out, _err = run("notes", "list")
    assert code == 0
    assert f"{DOC_004}:{note['start']}-{note['end']}" in out and "hi" in out

    code, out, _err = run("notes", "export", "--format", "markdown")
    assert code == 0
    assert out.startswith("# Notes")
    assert "> turnaround" in out.splitlines()
    assert "hi" in out

    target = tmp_path / "notes.json"
    code, out, _err = run("notes", "export", "--format", "json", "-o", str(target))
    assert code == 0
    assert out == f"wrote 1 note to {target}\n"
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert exported["type"] == "AnnotationCollection" and exported["total"] == 1
    (item,) = exported["first"]["items"]
    assert item["id"] == f"urn:uuid:{note['id']}"
    assert item["target"]["source"] == f"urn:iatse-reader:bundled/{DOC_004}"
    assert item["target"]["selector"][0]["exact"] == "turnaround"
    assert [body["value"] for body in item["body"]] == ["hi"]


def test_notes_add_quote_absent_exits_2(run):
    code, _out, err = run("notes", "add", "--doc", DOC_004, "--quote", "not in this document xyz", "--text", "x")
    assert code == 2
    assert err.startswith("iatse-reader:")
    code, out, _err = run("notes", "list", "--json")
    assert json.loads(out) == []


def test_notes_add_missing_document_exits_2(run):
    code, _out, err = run("notes", "add", "--doc", "nope.txt", "--quote", "x", "--text", "x")
    assert code == 2
    assert err.startswith("iatse-reader:")


def test_notes_export_empty(run):
    code, out, _err = run("notes", "export")
    assert code == 0
    assert "No notes yet." in out


def test_empty_docs_folder(run, tmp_path):
    empty = tmp_path / "empty-docs"
    empty.mkdir()
    code, out, _err = run("--docs", str(empty), "index")
    assert code == 0
    assert "no readable" in out
    code, _out, _err = run("--docs", str(empty), "search", "strike")
    assert code == 1


def test_missing_docs_folder_exits_2(run, tmp_path):
    missing = tmp_path / "does-not-exist"
    for command in (["index"], ["search", "strike"]):
        code, _out, err = run("--docs", str(missing), *command)
        assert code == 2
        assert err.startswith("iatse-reader:") and "not found" in err
    assert not missing.exists()


def test_docs_folder_with_unreadable_files(run, make_docs):
    root = make_docs({"ok.txt": "Readable text about pickets\n", "bin.txt": b"\x00\x01"})
    code, out, _err = run("--docs", str(root), "index")
    assert code == 0
    assert "skipped: bin.txt" in out and "binary" in out
    code, out, _err = run("--docs", str(root), "search", "pickets", "--json")
    assert code == 0
    assert [item["path"] for item in json.loads(out)["results"]] == ["ok.txt"]


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_bad_arguments_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["search", "x", "--limit", "0"])
    assert exit_info.value.code == 2


def test_python_dash_m_reader_subprocess(data_dir):
    completed = subprocess.run(
        [sys.executable, "-m", "reader", "search", "turnaround", "--data-dir", str(data_dir)],
        capture_output=True, text=True, timeout=120, cwd=REPO_ROOT,
    )
    assert completed.returncode == 0, completed.stderr
    assert "Negotiations" in completed.stdout
    assert DOC_004 in completed.stdout


def test_search_query_starting_with_minus_is_a_query_not_an_option(run):
    code, out, _err = run("search", "-vote strike", "--json")
    assert code == 0
    paths = {item["path"] for item in json.loads(out)["results"]}
    # 000 and 004 say "vote"; 002 and 003 say "strike" without it.
    assert paths == {"002_536f3595c117d20e.txt", "003_a46e3e2d94785f42.txt"}
    code, _out, err = run("search", "-strike")
    assert code == 2 and "Nothing to search for" in err


# -- notes: kinds, tags, re-anchoring, export beside the document, import --------------

NOTES_DOC = "Rest periods matter.\n\nThe turnaround time between shifts is ten hours.\n"


@pytest.fixture
def docs(make_docs):
    return make_docs({"a.txt": NOTES_DOC, "sub/b.md": "# B\n\nSafety on set.\n"})


def _notes(run, *args) -> list[dict]:
    code, out, err = run("notes", "list", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def _count_notes(data_dir) -> int:
    from reader.notes import NoteStore

    store = NoteStore(data_dir / "notes.sqlite3")
    try:
        return len(store.all())
    finally:
        store.close()


def test_notes_add_kinds_tags_and_colour(run, docs):
    where = ("--docs", str(docs))
    code, out, err = run(*where, "notes", "add", "--doc", "a.txt", "--quote", "turnaround",
                         "--text", "ten hours!", "--tags", "#Turnaround, safety", "--colour", "green")
    assert code == 0, err
    assert out.startswith("added passage note")
    code, out, err = run(*where, "notes", "add", "--doc", "a.txt", "--quote", "Rest periods", "--text", "")
    assert code == 0 and out.startswith("added highlight note"), err
    code, out, err = run(*where, "notes", "add", "--doc", "./sub/b.md", "--text", "about B", "--color", "blue")
    assert code == 0 and out.startswith("added document note") and "the whole document" in out, err

    notes = {note["kind"]: note for note in _notes(run, *where)}
    assert set(notes) == {"passage", "highlight", "document"}
    assert notes["passage"]["tags"] == ["turnaround", "safety"] and notes["passage"]["colour"] == "green"
    assert notes["highlight"]["body"] == "" and notes["highlight"]["quote"] == "Rest periods"
    document = notes["document"]
    assert (document["doc_path"], document["quote"], document["start"], document["end"]) == ("sub/b.md", "", 0, 0)
    assert document["colour"] == "blue"
    for note in notes.values():
        assert {"id", "collection", "doc_path", "title", "kind", "quote", "prefix", "suffix", "start",
                "end", "orig_start", "orig_end", "state", "body", "tags", "colour", "created",
                "updated", "version", "doc_hash"} <= set(note)
        assert note["version"] == 1 and note["state"] == "ok"

    code, out, _err = run(*where, "notes", "list")
    assert code == 0
    assert "a.txt:" in out and "[passage · #turnaround #safety · green]" in out
    assert "[highlight · yellow]" in out and "(highlight)" in out
    assert "sub/b.md  [whole document · blue]" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--quote", "turnaround", "--text", "x", "--colour", "red"), "Unknown colour 'red'"),
        (("--quote", "", "--text", "x"), "--quote is empty"),
        (("--text", ""), "The note is empty"),  # a whole-document note needs text
    ],
)
def test_notes_add_refusals_exit_2(run, docs, args, message):
    code, _out, err = run("--docs", str(docs), "notes", "add", "--doc", "a.txt", *args)
    assert code == 2
    assert err.startswith("iatse-reader:") and message in err and len(err.splitlines()) == 1
    assert _notes(run, "--docs", str(docs)) == []


def test_colour_help_lists_every_colour(capsys):
    from reader.notes import COLOURS

    with pytest.raises(SystemExit):
        main(["notes", "add", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert all(colour in help_text for colour in COLOURS)


def test_notes_list_json_follows_the_document_edited_on_disk(run, docs):
    where = ("--docs", str(docs))
    assert run(*where, "notes", "add", "--doc", "a.txt", "--quote", "turnaround", "--text", "t")[0] == 0
    (before,) = _notes(run, *where)
    (docs / "a.txt").write_text("A new first paragraph.\n\n" + (docs / "a.txt").read_text(), encoding="utf-8")

    (after,) = _notes(run, *where)
    shift = len("A new first paragraph.\n\n")
    assert after["state"] == "moved"
    assert (after["start"], after["end"]) == (before["start"] + shift, before["end"] + shift)
    assert (after["orig_start"], after["orig_end"]) == (before["start"], before["end"])
    assert after["quote"] == before["quote"] == "turnaround"
    code, out, _err = run(*where, "notes", "list")
    assert f"a.txt:{after['start']}-{after['end']}  [passage · moved · yellow]" in out

    (docs / "a.txt").unlink()  # the document is gone: its note stays, "document missing"
    (missing,) = _notes(run, *where)
    assert missing["state"] == "missing" and missing["id"] == before["id"]
    code, out, _err = run(*where, "notes", "export")
    assert code == 0 and "`a.txt` — document missing" in out


def test_notes_export_doc_writes_beside_the_document(run, docs):
    where = ("--docs", str(docs))
    run(*where, "notes", "add", "--doc", "a.txt", "--quote", "turnaround", "--text", "on a")
    run(*where, "notes", "add", "--doc", "sub/b.md", "--quote", "Safety", "--text", "on b")

    code, out, err = run(*where, "notes", "export", "--doc", "sub/b.md")
    assert code == 0, err
    written = docs / "sub" / "b.md.notes.md"
    assert out == f"wrote 1 note to {written}\n"
    markdown = written.read_text(encoding="utf-8")
    assert "> Safety" in markdown.splitlines() and "on b" in markdown and "on a" not in markdown
    assert sorted(path.name for path in written.parent.iterdir()) == ["b.md", "b.md.notes.md"]  # no temp file

    code, out, _err = run(*where, "notes", "export", "--doc", "a.txt", "--format", "json")
    assert code == 0
    exported = json.loads((docs / "a.txt.notes.jsonld").read_text(encoding="utf-8"))
    (item,) = exported["first"]["items"]
    assert item["target"]["source"] == (docs / "a.txt").as_uri()

    # The exports are not documents.
    code, out, _err = run(*where, "index")
    assert code == 0 and "2 added" in out and "notes.md" not in out and "jsonld" not in out
    code, out, _err = run(*where, "search", "Safety", "--json")
    assert [item["path"] for item in json.loads(out)["results"]] == ["sub/b.md"]

    code, out, _err = run(*where, "notes", "export", "--doc", "sub/b.md", "-o", "-")
    assert code == 0 and out == markdown  # -o - is stdout, and the same text


def test_notes_export_doc_into_a_read_only_folder_fails_clearly(run, docs, monkeypatch):
    import os
    import tempfile

    run("--docs", str(docs), "notes", "add", "--doc", "a.txt", "--quote", "turnaround", "--text", "t")
    real_mkstemp = tempfile.mkstemp

    def read_only_mkstemp(*args, dir=None, **kwargs):  # root ignores permission bits
        if dir is not None and os.path.realpath(dir) == os.path.realpath(docs):
            raise PermissionError(13, "Permission denied")
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", read_only_mkstemp)
    code, out, err = run("--docs", str(docs), "notes", "export", "--doc", "a.txt")
    assert code == 2 and out == ""
    assert "Permission denied" in err and "-o FILE" in err and len(err.splitlines()) == 1
    assert not (docs / "a.txt.notes.md").exists()


def test_notes_export_doc_unknown_document_exits_2(run, docs):
    code, _out, err = run("--docs", str(docs), "notes", "export", "--doc", "nope.txt")
    assert code == 2 and err.startswith("iatse-reader: nope.txt")


def test_notes_export_doc_of_the_bundled_documents_needs_o(run, monkeypatch):
    from reader import cli

    run("notes", "add", "--doc", DOC_004, "--quote", "turnaround", "--text", "t")
    monkeypatch.setattr(cli, "_bundled_inside_package", lambda workspace: True)
    code, _out, err = run("notes", "export", "--doc", DOC_004)
    assert code == 2 and "-o FILE" in err


def test_notes_export_import_round_trip_between_data_dirs(capsys, docs, tmp_path):
    def cli(data_dir, *args):
        capsys.readouterr()
        code = main(["--docs", str(docs), "--data-dir", str(data_dir), *args])
        out, err = capsys.readouterr()
        return code, out, err

    first, second = tmp_path / "first-data", tmp_path / "second-data"
    cli(first, "notes", "add", "--doc", "a.txt", "--quote", "turnaround", "--text", "ünïcode ✊ [bold]",
        "--tags", "strike")
    cli(first, "notes", "add", "--doc", "a.txt", "--quote", "Rest periods")
    cli(first, "notes", "add", "--doc", "sub/b.md", "--text", "whole doc")
    export = tmp_path / "notes.json"
    assert cli(first, "notes", "export", "--format", "json", "-o", str(export))[0] == 0

    code, out, err = cli(second, "notes", "import", str(export))
    assert (code, out) == (0, "imported 3 new, 0 updated, 0 unchanged\n"), err
    code, out, _err = cli(second, "notes", "import", str(export))
    assert out == "imported 0 new, 0 updated, 3 unchanged\n"
    listed = lambda data_dir: sorted(json.loads(cli(data_dir, "notes", "list", "--json")[1]),  # noqa: E731
                                     key=lambda note: note["id"])
    assert listed(second) == listed(first)


def test_notes_import_of_another_collection_says_so(run, capsys, docs, data_dir, tmp_path):
    run("--docs", str(docs), "notes", "add", "--doc", "a.txt", "--quote", "turnaround", "--text", "t")
    export = tmp_path / "notes.json"
    run("--docs", str(docs), "notes", "export", "--format", "json", "-o", str(export))
    code, out, _err = main(["notes", "import", str(export), "--data-dir", str(tmp_path / "other")]), *capsys.readouterr()
    assert code == 0
    assert "imported 1 new" in out and "1 of them belong to other collections" in out and str(docs) in out


@pytest.mark.parametrize(
    "content",
    [
        '{"@context": "http://www.w3.org/ns/anno.jsonld", "type": ',  # corrupt
        '{"foo": 1}',  # foreign JSON
        "[1, 2, 3]",
        "not json at all",
    ],
)
def test_notes_import_bad_file_exits_2_and_imports_nothing(run, data_dir, tmp_path, content):
    run("notes", "add", "--doc", DOC_004, "--quote", "turnaround", "--text", "kept")
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    code, out, err = run("notes", "import", str(bad))
    assert code == 2 and out == ""
    assert err.startswith(f"iatse-reader: {bad}: ") and "nothing was imported" in err
    assert len(err.splitlines()) == 1
    assert _count_notes(data_dir) == 1


def test_notes_import_is_all_or_nothing(run, data_dir, tmp_path):
    run("notes", "add", "--doc", DOC_004, "--quote", "turnaround", "--text", "one")
    run("notes", "add", "--doc", DOC_004, "--quote", "strike", "--text", "two")
    export = tmp_path / "notes.json"
    run("notes", "export", "--format", "json", "-o", str(export))
    collection = json.loads(export.read_text(encoding="utf-8"))
    for item in collection["first"]["items"]:
        item["id"] = f"urn:uuid:{uuid.uuid4()}"  # new notes...
    del collection["first"]["items"][1]["target"]["selector"][1]["end"]  # ...the last one broken
    export.write_text(json.dumps(collection), encoding="utf-8")

    code, _out, err = run("notes", "import", str(export))
    assert code == 2 and "first.items[1]" in err and 'missing "end"' in err
    assert _count_notes(data_dir) == 2  # not even the valid first one


def test_notes_import_into_a_read_only_store_exits_2(run, data_dir, tmp_path, monkeypatch):
    import os

    run("notes", "add", "--doc", DOC_004, "--quote", "turnaround", "--text", "one")
    export = tmp_path / "notes.json"
    run("notes", "export", "--format", "json", "-o", str(export))
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, *a, **k: False if mode & os.W_OK and
                        os.path.realpath(path).startswith(os.path.realpath(data_dir))
                        else real_access(path, mode, *a, **k))
    code, out, err = run("notes", "import", str(export))
    assert code == 2 and out == ""
    assert "read-only" in err and "nothing was imported" in err


def test_notes_import_missing_file_exits_2(run, tmp_path):
    code, _out, err = run("notes", "import", str(tmp_path / "nope.json"))
    assert code == 2 and "cannot read" in err


def test_notes_import_of_a_named_pipe_exits_2_at_once(run, tmp_path):
    """A pipe given by mistake is refused, never waited on (a read would block for good)."""
    import os

    pipe = tmp_path / "notes.json"
    os.mkfifo(pipe)
    code, out, err = run("notes", "import", str(pipe))
    assert code == 2 and out == ""
    assert "cannot read" in err and "named pipe" in err


def test_a_folder_as_the_first_word_is_the_documents_folder(run, docs, monkeypatch):
    from reader import cli

    code, out, err = run(str(docs), "search", "safety", "--json")
    assert code == 0, err
    assert [result["path"] for result in json.loads(out)["results"]] == ["sub/b.md"]
    code, out, err = run(str(docs.parent / "nowhere"), "search", "safety")
    assert code == 2 and "documents folder not found" in err
    # With no command it opens the reader on that folder.
    opened: list[object] = []
    monkeypatch.setattr(cli, "_run_tui", lambda arguments: opened.append(arguments.docs) or 0)
    assert run(str(docs))[0] == 0 and opened == [str(docs)]
    # Options and their values before it are skipped; a command word stays a command.
    assert cli._folder_as_docs(["--data-dir", "d", "x"]) == ["--data-dir", "d", "--docs", "x"]
    assert cli._folder_as_docs(["search", "x"]) == ["search", "x"]
    assert cli._folder_as_docs(["--", "x"]) == ["--", "x"]
