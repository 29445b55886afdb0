"""The command line, called in-process (and once as ``python -m reader``)."""

from __future__ import annotations

import json
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
    assert "added note" in out

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
    assert "wrote 1 notes" in out
    exported = json.loads(target.read_text(encoding="utf-8"))
    assert [(n["document"], n["quote"], n["text"], n["state"]) for n in exported] == [
        (DOC_004, "turnaround", "hi", "ok")
    ]


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
