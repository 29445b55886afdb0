"""A reload of the open document (changed on disk) keeps the selection, by offsets,
as it keeps the cursor: the folder watcher must not drop what the user selected."""

from __future__ import annotations

from .conftest import make_app, open_doc, run_app, select_text, wait_for, wait_ready

TEXT = "Contract summary\n\nMeal breaks every six hours.\nTen hours of rest between shifts.\n"


def test_a_reload_keeps_the_selection(make_docs, tmp_path):
    root = make_docs({"contract.txt": TEXT})
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        span = await select_text(pilot, "Ten hours of rest")
        (root / "contract.txt").write_text(TEXT + "Signed on Friday.\n", encoding="utf-8")
        reader = app.reader
        await wait_for(pilot, lambda: "Signed on Friday" in reader.open_document.text, what="the reload")
        assert reader.selected_span() == span
        assert reader.selected_text() == "Ten hours of rest"

    run_app(app, scenario)


def test_a_reload_of_a_shorter_file_keeps_what_is_left_of_the_selection(make_docs, tmp_path):
    root = make_docs({"contract.txt": TEXT})
    app = make_app(tmp_path / "data", root)

    async def scenario(pilot):
        await wait_ready(pilot)
        await open_doc(pilot, "contract.txt")
        start, _end = await select_text(pilot, "rest between shifts.")
        (root / "contract.txt").write_text(TEXT[: start + 4], encoding="utf-8")
        reader = app.reader
        await wait_for(pilot, lambda: len(reader.open_document.text) == start + 4, what="the reload")
        assert reader.selected_span() == (start, start + 4)

    run_app(app, scenario)
