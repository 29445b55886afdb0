"""Documents added, changed, removed or renamed while the reader is open show up
in the list, the index and the reader within seconds, without a restart."""

from __future__ import annotations

from pathlib import Path

from .conftest import make_app, open_doc, run_app, screen_text, search, select_text, wait_for, wait_ready, write_note

FIRST = "First Bulletin\n\nThe strike vote is on Friday.\n"
SECOND = "Second Bulletin\n\nTurnaround times must be ten hours.\n"


def _collection(make_docs) -> Path:
    return make_docs({"first.txt": FIRST, "second.txt": SECOND})


def test_added_changed_and_removed_files_appear_while_open(make_docs, tmp_path):
    root = _collection(make_docs)
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot):
        await wait_ready(pilot, min_rows=2)
        (root / "third.md").write_text("# Third Bulletin\n\nA zanzibarian solidarity rally.\n")
        await wait_for(pilot, lambda: "third.md" in app.document_list.rel_paths, what="the new file listed")
        await search(pilot, "zanzibarian")
        await wait_for(pilot, lambda: app.document_list.rel_paths == ["third.md"], what="the new file found")

        (root / "second.txt").write_text(SECOND + "\nA zanzibarian delegation joined.\n")
        await wait_for(
            pilot, lambda: set(app.document_list.rel_paths) == {"third.md", "second.txt"},
            what="the open search to pick up the changed file",
        )

        (root / "third.md").unlink()
        await wait_for(pilot, lambda: app.document_list.rel_paths == ["second.txt"],
                       what="the removed file gone from the results")

    run_app(app, scenario)


def test_open_document_changed_on_disk_is_reloaded_with_its_notes_reanchored(make_docs, tmp_path):
    root = _collection(make_docs)
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot):
        await wait_ready(pilot, min_rows=2)
        await open_doc(pilot, "first.txt")
        await select_text(pilot, "strike vote")
        await write_note(pilot, "vote day")
        (root / "first.txt").write_text("First Bulletin\n\nUPDATE: moved.\nThe strike vote is on Friday.\n")
        reader = app.reader
        await wait_for(pilot, lambda: "UPDATE" in reader.open_document.text, what="the reader reloaded")
        await wait_for(pilot, lambda: app.notes_panel.notes and app.notes_panel.notes[0].state.value == "moved",
                       what="the note re-anchored")
        note = app.notes_panel.notes[0]
        assert reader.open_document.text[note.start : note.end] == "strike vote"
        assert reader.styles_at(note.start), "the moved note is not marked at its new place"

        (root / "first.txt").unlink()
        await wait_for(pilot, lambda: "first.txt" not in app.document_list.rel_paths, what="removed from the list")
        assert reader.open_document.rel_path == "first.txt"  # still shown, notes kept
        assert [n.body for n in app.workspace.notes.all()] == ["vote day"]

    run_app(app, scenario)


def test_renamed_file_is_listed_under_its_new_name_and_keeps_its_notes(make_docs, tmp_path):
    root = _collection(make_docs)
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot):
        await wait_ready(pilot, min_rows=2)
        await open_doc(pilot, "second.txt")
        await select_text(pilot, "ten hours")
        await write_note(pilot, "rest")
        (root / "second.txt").rename(root / "renamed.txt")
        await wait_for(pilot, lambda: set(app.document_list.rel_paths) == {"first.txt", "renamed.txt"},
                       what="the rename listed")
        await open_doc(pilot, "renamed.txt")
        await wait_for(pilot, lambda: [n.body for n in app.notes_panel.notes] == ["rest"],
                       what="the note followed the file")

    run_app(app, scenario)


def test_a_long_list_is_listed_at_once_and_draws_only_the_entries_on_screen(make_docs, tmp_path):
    count = 1200
    root = make_docs({f"d{number:05}.txt": f"Bulletin {number}\n\ntext {number}\n" for number in range(count)})
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot):
        listing = app.document_list
        await wait_for(pilot, lambda: listing.row_count == count, timeout=30, what="every row")
        await pilot.pause()
        assert len(set(listing.rel_paths)) == count
        assert f"Documents ({count})" in str(listing.border_title)
        # Only what was on screen was built: 45 lines show ~20 entries.
        assert 0 < len(listing._entries) < 40
        listing.focus()
        await pilot.press("end")
        assert listing.cursor_row == count - 1
        await pilot.pause()
        assert f"Bulletin {count - 1}" in screen_text(app)
        await pilot.press("s")  # by title: the cursor stays on its document
        assert listing.selected_rel_path == f"d{count - 1:05}.txt"
        await pilot.pause()
        assert f"Bulletin {count - 1}" in screen_text(app)
        assert len(listing._entries) < 80

    run_app(app, scenario)


def test_a_change_seen_while_the_index_is_busy_is_indexed_when_it_is_free(make_docs, tmp_path, monkeypatch):
    """An update that finds the index locked (a cancelled update still finishing,
    the CLI, a second copy) writes nothing: the app must try again, or the change
    on disk stays unindexed until the next one."""
    import reader.ui.app as app_module
    from reader.results import IndexReport

    monkeypatch.setattr(app_module, "INDEX_BUSY_PAUSE_SECONDS", 0.01, raising=False)
    root = _collection(make_docs)
    app = make_app(tmp_path / "data", root)
    busy_answers: list[int] = []

    async def scenario(pilot):
        await wait_ready(pilot, min_rows=2)
        index = app.workspace.index
        real_update = index.update

        def update_busy_twice(*args, **kwargs):
            if len(busy_answers) < 2:
                busy_answers.append(1)
                return IndexReport(busy=True)
            return real_update(*args, **kwargs)

        index.update = update_busy_twice
        (root / "third.md").write_text("# Third Bulletin\n\nA zanzibarian solidarity rally.\n")
        await wait_for(pilot, lambda: len(busy_answers) == 2, what="two busy answers")
        await search(pilot, "zanzibarian")
        await wait_for(pilot, lambda: app.document_list.rel_paths == ["third.md"], what="the new file indexed")

    run_app(app, scenario)
