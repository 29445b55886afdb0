"""Issue 13 in the TUI: a named pipe in the folder must not hang the reader, the
encoding a document was read in is shown when it is not UTF-8, and counts read
as English ("1 document matches", "1 hit", "0 notes")."""

from __future__ import annotations

import os

import pytest

from tests.ui.conftest import make_app, open_doc, run_app, search, wait_for, wait_ready

PARIS = "Grève générale à Paris\n\nLa grève des machinistes continue.\n"


def _release_fifo(path) -> None:
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    os.close(descriptor)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_does_not_hang_the_reader_and_latin1_reads_right(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "paris.txt").write_bytes(PARIS.encode("latin-1"))
    (docs / "rest.txt").write_text("Rest periods\n\nTen hours of turnaround.\n", encoding="utf-8")
    os.mkfifo(docs / "x.txt")
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        try:
            await wait_ready(pilot, min_rows=2)
            await wait_for(pilot, lambda: "x.txt" in app.status.message, what="the skipped pipe reported")
            assert "named pipe" in app.status.message
            assert sorted(app.document_list.rel_paths) == ["paris.txt", "rest.txt"]

            await search(pilot, "grève")
            assert app.status.message.startswith("1 document matches grève (2 hits).")
            await open_doc(pilot, "paris.txt")
            assert app.reader.open_document.text == PARIS
            await wait_for(pilot, lambda: "read as cp1252" in app.status.message, what="the encoding shown")
            assert app.status.message == "Grève générale à Paris · 2 hits for grève · read as cp1252"

            await open_doc(pilot, "rest.txt")  # UTF-8 is not worth a word
            await wait_for(pilot, lambda: app.status.message.startswith("Rest periods"), what="rest.txt")
            assert "read as" not in app.status.message
        finally:
            _release_fifo(docs / "x.txt")  # on code that blocks, let the blocked worker end

    run_app(app, scenario)


def test_deleting_the_last_note_says_so_in_english(tmp_path):
    from reader.ui.confirm_dialog import ConfirmDialog

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "rest.txt").write_text("Rest periods\n\nTen hours of turnaround.\n", encoding="utf-8")
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "rest.txt")
        app.workspace.add_note(app.reader.open_document, None, None, "about the whole text")
        panel = app.notes_panel
        app.open_document("rest.txt")  # again: the panel lists the note
        await wait_for(pilot, lambda: len(panel.notes) == 1, what="the note listed")
        panel.focus()
        panel.highlighted = 0
        await pilot.pause()
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the confirmation")
        await pilot.press("y")
        await wait_for(pilot, lambda: panel.notes == [], what="note deleted")
        await wait_for(pilot, lambda: "Note deleted" in app.status.message, what="the status")
        assert app.status.message == "Note deleted (u undoes it); 0 notes on this document."

    run_app(app, scenario)
