"""reader/reading_state.py: what the reader remembers between runs."""

from __future__ import annotations

import json
import os

import pytest

from reader.reading_state import DAMAGED_FILE_NAME, MAX_POSITIONS, PaneChoices, ReadingState


def test_round_trip(tmp_path):
    path = tmp_path / "reading-state.json"
    state = ReadingState.load(path)
    assert state.problem is None and state.collections == {}
    collection = state.collection("bundled")
    collection.remember("a.txt", cursor=120, top=80, progress=0.42)
    collection.last_document = "a.txt"
    collection.sort_order = "date"
    collection.last_query = 'strike "rest periods"'
    state.theme = "nord"
    state.panes = PaneChoices(list_open=False, notes_open=True, focus_mode=True)
    assert state.save()
    again = ReadingState.load(path)
    assert again.problem is None
    position = again.collection("bundled").positions["a.txt"]
    assert (position.cursor, position.top, position.progress) == (120, 80, 0.42)
    assert again.collection("bundled").last_document == "a.txt"
    assert again.collection("bundled").sort_order == "date"
    assert again.collection("bundled").last_query == 'strike "rest periods"'
    assert again.theme == "nord"
    assert again.panes == PaneChoices(list_open=False, notes_open=True, focus_mode=True)
    assert again.collection("other").positions == {}  # collections are kept apart


@pytest.mark.parametrize("content", [b"{not json", b"[1, 2]", b'{"version": 99}', b"\xff\xfe\x00garbage",
                                     b'{"version": 1, "collections": []}'])
def test_a_damaged_file_is_set_aside_with_a_message(tmp_path, content):
    path = tmp_path / "reading-state.json"
    path.write_bytes(content)
    state = ReadingState.load(path)
    assert state.problem and "Starting afresh" in state.problem
    assert state.collections == {}
    assert (tmp_path / DAMAGED_FILE_NAME).read_bytes() == content  # kept, not lost
    assert not path.exists()
    assert state.save() and ReadingState.load(path).problem is None


def test_bad_entries_are_dropped_alone(tmp_path):
    path = tmp_path / "reading-state.json"
    path.write_text(json.dumps({
        "version": 1, "theme": 5, "panes": {"list_open": "yes", "notes_open": False},
        "collections": {"bundled": {
            "last_document": 3, "sort_order": "sideways", "last_query": ["x"],
            "positions": {
                "good.txt": {"cursor": 5, "top": 0, "progress": 0.5},
                "negative.txt": {"cursor": -1, "top": 0, "progress": 0.5},
                "strings.txt": {"cursor": "5", "top": 0, "progress": 0.5},
                "no-progress.txt": {"cursor": 5, "top": 0},
                "huge-progress.txt": {"cursor": 5, "top": 0, "progress": 7},
            },
        }, "weird": "not a table"},
    }), encoding="utf-8")
    state = ReadingState.load(path)
    assert state.problem is None
    collection = state.collection("bundled")
    assert sorted(collection.positions) == ["good.txt", "huge-progress.txt"]
    assert collection.positions["huge-progress.txt"].progress == 1.0
    assert (collection.last_document, collection.sort_order, collection.last_query) == (None, "rank", "")
    assert state.theme is None
    assert state.panes == PaneChoices(list_open=True, notes_open=False)
    assert "weird" not in state.collections


def test_the_write_is_atomic_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "data" / "reading-state.json"
    state = ReadingState.load(path)
    state.collection("c").remember("a.txt", 1, 0, 0.1)
    assert state.save()
    assert sorted(os.listdir(path.parent)) == ["reading-state.json"]
    before = path.read_text(encoding="utf-8")
    state.collection("c").remember("b.txt", 2, 0, 0.2)
    assert state.save()
    assert path.read_text(encoding="utf-8") != before
    assert sorted(os.listdir(path.parent)) == ["reading-state.json"]


def test_a_data_dir_that_cannot_be_written_keeps_the_state_in_memory(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data dir should be", encoding="utf-8")  # fails even for root
    state = ReadingState.load(blocker / "reading-state.json")
    state.collection("c").remember("a.txt", 1, 0, 0.1)
    assert not state.save()
    assert state.save_error
    assert state.collection("c").positions["a.txt"].cursor == 1


def test_the_oldest_positions_are_forgotten_past_the_limit(tmp_path):
    state = ReadingState.load(tmp_path / "reading-state.json")
    collection = state.collection("c")
    for number in range(MAX_POSITIONS + 3):
        collection.remember(f"{number}.txt", 0, 0, 0.0)
    assert len(collection.positions) == MAX_POSITIONS
    assert f"{MAX_POSITIONS + 2}.txt" in collection.positions
