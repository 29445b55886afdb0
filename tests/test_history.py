"""The search history: dedupe, cap, atomic saves, and never failing on a bad file or dir."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from reader.history import MAX_ENTRIES, QueryHistory
from reader.paths import DataLayout


def test_history_file_lives_in_the_data_dir(tmp_path):
    assert DataLayout(tmp_path).history_file == tmp_path / "history.json"


def test_add_dedupes_by_moving_a_repeat_to_the_newest_position():
    history = QueryHistory()
    for query in ["strike", "vote", "  strike ", "turnaround", "", "   "]:
        history.add(query)
    assert history.entries == ["vote", "strike", "turnaround"]


def test_history_keeps_only_the_newest_entries():
    history = QueryHistory()
    for number in range(MAX_ENTRIES + 25):
        history.add(f"query {number}")
    assert MAX_ENTRIES == 200
    assert len(history) == MAX_ENTRIES
    assert history.entries[0] == "query 25"
    assert history.entries[-1] == f"query {MAX_ENTRIES + 24}"


def test_save_and_load_round_trip(tmp_path):
    path = tmp_path / "data" / "history.json"  # the data dir does not exist yet
    history = QueryHistory.load(path)
    assert history.entries == []
    for query in ['"rest periods"', "strike OR walkout", "café ✓"]:
        history.add(query)
    assert history.save() is True
    assert history.save_error is None
    assert QueryHistory.load(path).entries == ['"rest periods"', "strike OR walkout", "café ✓"]
    assert json.loads(path.read_text(encoding="utf-8"))["queries"][-1] == "café ✓"
    assert [p.name for p in path.parent.iterdir()] == ["history.json"], "a temp file was left behind"


def test_loading_an_over_long_file_keeps_the_newest(tmp_path):
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"version": 1, "queries": [f"q{n}" for n in range(300)]}), encoding="utf-8")
    entries = QueryHistory.load(path).entries
    assert len(entries) == MAX_ENTRIES and entries[-1] == "q299"


@pytest.mark.parametrize(
    "content",
    [b"", b"{not json", b"\xff\xfe\x00garbage", b"[1, 2, 3]", b'{"queries": "strike"}', b"null"],
)
def test_a_corrupt_file_loads_as_empty_history(tmp_path, content):
    path = tmp_path / "history.json"
    path.write_bytes(content)
    history = QueryHistory.load(path)
    assert history.entries == []
    history.add("strike")  # and it still works, and can overwrite the bad file
    assert history.save()
    assert QueryHistory.load(path).entries == ["strike"]


def test_non_string_entries_are_skipped(tmp_path):
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"queries": ["strike", 3, None, ["x"], "vote"]}), encoding="utf-8")
    assert QueryHistory.load(path).entries == ["strike", "vote"]


def test_a_failed_replace_keeps_the_old_file_and_the_memory(tmp_path, monkeypatch):
    path = tmp_path / "history.json"
    history = QueryHistory.load(path)
    history.add("first")
    assert history.save()

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(os, "replace", refuse)
    history.add("second")
    assert history.save() is False  # no exception
    assert history.save_error and "Permission denied" in history.save_error
    assert history.entries == ["first", "second"]
    monkeypatch.undo()
    assert QueryHistory.load(path).entries == ["first"], "the old file was damaged"
    assert [p.name for p in tmp_path.iterdir()] == ["history.json"], "the temp file was left behind"


def test_an_unwritable_data_dir_does_not_raise(tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    history = QueryHistory.load(tmp_path / "history.json")
    history.add("strike")
    assert history.save() is False
    assert history.entries == ["strike"]
    assert not (tmp_path / "history.json").exists()


def test_an_unreadable_file_loads_as_empty(tmp_path, monkeypatch):
    path = tmp_path / "history.json"
    path.write_text('{"queries": ["strike"]}', encoding="utf-8")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_text", refuse)
    assert QueryHistory.load(path).entries == []
