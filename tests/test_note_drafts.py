"""The unsaved note kept on disk until it is saved or discarded."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader.note_drafts import DraftFile, SavedDraft

DRAFT = SavedDraft("doc.txt", "half a thought", "#strike", "blue", start=3, end=9, quote="voted ")


def test_a_kept_draft_is_found_by_a_new_run_until_it_is_cleared(tmp_path: Path):
    DraftFile(tmp_path, "collection").save(DRAFT, 1)
    later_run = DraftFile(tmp_path, "collection")
    assert later_run.load() == DRAFT
    later_run.clear(0)
    assert later_run.load() is None
    assert list((tmp_path / "drafts").iterdir()) == []  # no temporary files left either


def test_each_collection_has_its_own_draft(tmp_path: Path):
    DraftFile(tmp_path, "one").save(DRAFT, 1)
    assert DraftFile(tmp_path, "two").load() is None


def test_a_write_older_than_a_clear_is_dropped(tmp_path: Path):
    drafts = DraftFile(tmp_path, "collection")
    drafts.save(DRAFT, 1)
    drafts.clear(3)  # saved as a note
    drafts.save(SavedDraft("doc.txt", "stale", "", "yellow"), 2)  # a slow thread, late
    assert drafts.load() is None


def test_an_unreadable_draft_file_is_kept_aside_and_explained(tmp_path: Path):
    drafts = DraftFile(tmp_path, "collection")
    drafts.path.parent.mkdir(parents=True)
    drafts.path.write_text('{"draft": {"doc_path": "a.txt"', encoding="utf-8")
    with pytest.raises(ValueError, match="kept as"):
        drafts.load()
    assert drafts.path.with_suffix(".unreadable").read_text(encoding="utf-8").startswith('{"draft"')
    assert drafts.load() is None
