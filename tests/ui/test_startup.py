"""Start-up: the list is painted from what was last indexed, then checked against
the folder; the index, the note store and the folder watch start after it."""

from __future__ import annotations

import asyncio

from reader.ui.app import DocumentsRemembered
from reader.ui.messages import DocumentsListed, IndexReady, NotesOpened
from reader.workspace import ListedDocument

from .conftest import SIZE, make_app, wait_for, wait_ready

FIRST = "First Bulletin\n\nThe strike vote is on Friday.\n"
SECOND = "Second Bulletin\n\nTurnaround times must be ten hours.\n"


def _run_recording(app, scenario) -> list[object]:
    """Run ``scenario(pilot, seen)`` and return *seen*: the messages the app
    handled, in order."""
    seen: list[object] = []

    async def main() -> None:
        async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
            await scenario(pilot, seen)

    asyncio.run(main())
    return seen


def _indexed(make_docs, tmp_path, files):
    root = make_docs(files)
    indexer = make_app(tmp_path / "data", root).workspace
    indexer.index.update()
    indexer.index.close()
    return root


def test_the_remembered_list_is_corrected_by_the_folder(make_docs, tmp_path):
    root = _indexed(make_docs, tmp_path, {"first.txt": FIRST, "second.txt": SECOND})
    (root / "first.txt").unlink()  # gone since it was indexed
    (root / "third.txt").write_text("Third Bulletin\n\nA rally.\n", encoding="utf-8")  # new
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot, seen):
        await wait_ready(pilot)
        await wait_for(pilot, lambda: app.document_list.rel_paths == ["second.txt", "third.txt"],
                       what="the list as the folder is now")

    seen = _run_recording(app, scenario)
    remembered = [m for m in seen if isinstance(m, DocumentsRemembered)]
    assert [d.rel_path for d in remembered[0].documents] == ["first.txt", "second.txt"]
    assert remembered[0].documents[0] == ListedDocument("first.txt", "First Bulletin")
    assert "Documents (2)" in str(app.document_list.border_title)
    assert "third.txt" in [d.rel_path for d in app.documents]
    assert "first.txt" not in [d.rel_path for d in app.documents]
    assert not app.status.message.endswith("checking the folder…")


def test_the_index_and_notes_start_after_the_first_list(make_docs, tmp_path):
    root = _indexed(make_docs, tmp_path, {"first.txt": FIRST, "second.txt": SECOND})
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot, seen):
        await wait_ready(pilot, min_rows=2)
        await wait_for(pilot, lambda: any(type(m) is DocumentsListed for m in seen), what="the folder checked")

    seen = _run_recording(app, scenario)
    kinds = [type(m) for m in seen if isinstance(m, (DocumentsListed, IndexReady, NotesOpened))]
    assert kinds[0] is DocumentsRemembered
    assert DocumentsListed in kinds  # the folder was checked too
    assert kinds.index(IndexReady) > 0 and kinds.index(NotesOpened) > 0
    assert app.document_list.rel_paths == ["first.txt", "second.txt"]


def test_without_an_index_the_folder_is_listed_first(make_docs, tmp_path):
    root = make_docs({"first.txt": FIRST})
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot, seen):
        await wait_ready(pilot)

    seen = _run_recording(app, scenario)
    listed = [m for m in seen if isinstance(m, DocumentsListed)]
    assert not any(isinstance(m, DocumentsRemembered) for m in listed)
    assert [d.rel_path for d in listed[0].documents] == ["first.txt"]
    assert app.document_list.rel_paths == ["first.txt"]
