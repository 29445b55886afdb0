"""The TUI in-process (Textual's ``App.run_test`` + Pilot, 140x45, headless).

Opening a big document: a collection of two documents made by the same word model,
``big.txt`` (~10 MB) and ``small.txt`` (~10 kB), indexed through the reader's path
(the time is reported for context).  In one running ``ReaderApp`` the query
``strike`` is searched (thousands of hits in the big document), then the two
documents are opened alternately; each time:

* **open**: from ``app.open_document(path)`` (what Enter on the list calls) until
  the reading view holds that document and its hit spans (``app.reader.open_document``,
  ``app.reader.hit_spans``, polled every millisecond), then one ``pilot.pause(0)``:
  pending messages handled and the screen painted;
* **scroll**: ``home`` (untimed), then a ``pagedown`` key event, until the reading
  view's ``scroll_y`` changed, then ``pilot.pause(0)``;
* **end**: then an ``end`` key event, until the cursor is at the end of the text,
  then ``pilot.pause(0)``: a freshly opened document is laid out only as far as
  the screen needs, so this is the cost of laying out all of it, reported for
  information.
* **resize**: ``home``, then the terminal resized (140 to 124 columns and back,
  so the reading view's text column changes width), timed from
  ``pilot.resize_terminal`` until the reading view is laid out at the new width
  and the screen painted.  The view keeps its place and lays out again only what
  the screen needs, so a resize at the top of a 10 MB book costs what it does in a
  10 kB text.  **resize_mid**: the same with the view at the middle of the
  document (reported for information: the rows above the screen are laid out
  again too, see bench/README.md).

The document list: two apps run side by side, one on the 10,000-document corpus
and one on the five bundled documents; in turn, each gets ``down``, ``up``,
``pagedown``, ``pageup`` (so the cursor always moves), each timed from the key
event until the list's ``cursor_row`` changed and the screen was painted.

Keys are posted as ``events.Key`` messages to the app, as the terminal driver
does: ``Pilot.press`` adds ~40 ms of idle-waiting per key, which would hide the
difference.  The widget attributes relied on are listed in ``UI`` below.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from bench.common import Figure, Report, build_index, log, open_workspace
from bench.data import BIG_NAME, SMALL_NAME, BenchData

SIZE = (140, 45)
RESIZE_WIDTH = 124  # and back to SIZE: the reading view's text column changes width both ways
OPEN_QUERY = "strike"
WAIT_TIMEOUT = 120.0
LIST_KEYS = ("down", "up", "pagedown", "pageup")


class UI:
    """What the benchmark reads of the app: one place to fix if the UI changes."""

    def __init__(self, app) -> None:
        self.app = app

    def _get(self, getter, what: str):
        try:
            return getter()
        except AttributeError as error:
            raise RuntimeError(f"bench/tui.py: the app no longer exposes {what} ({error})") from error

    @property
    def index_ready(self) -> bool:
        return self._get(lambda: self.app.index_ready, "app.index_ready")

    @property
    def rows(self) -> int:
        return self._get(lambda: self.app.document_list.row_count, "app.document_list.row_count")

    @property
    def cursor_row(self) -> int:
        return self._get(lambda: self.app.document_list.cursor_row, "app.document_list.cursor_row")

    def results_for(self, query: str) -> bool:
        return self._get(lambda: self.app.query_text == query and self.app.document_list.showing_results,
                         "app.query_text / app.document_list.showing_results")

    def open_path(self) -> str | None:
        document = self._get(lambda: self.app.reader.open_document, "app.reader.open_document")
        return None if document is None else document.rel_path

    @property
    def hit_count(self) -> int:
        return len(self._get(lambda: self.app.reader.hit_spans, "app.reader.hit_spans"))

    @property
    def reader_at_end(self) -> bool:
        return self._get(lambda: self.app.reader.cursor_offset == len(self.app.reader.text),
                         "app.reader.cursor_offset / app.reader.text")

    @property
    def reader_scroll(self) -> float:
        return self._get(lambda: self.app.reader.scroll_y, "app.reader.scroll_y")

    @property
    def reader_wrap_width(self) -> int:
        return self._get(lambda: self.app.reader._layout.width, "app.reader._layout.width")

    def reader_to_middle(self) -> None:
        """Cursor and top of the screen at the middle of the open document."""
        self._get(lambda: self.app.reader.show_position(len(self.app.reader.text) // 2,
                                                        len(self.app.reader.text) // 2),
                  "app.reader.show_position / app.reader.text")

    def search(self, query: str) -> None:
        self._get(lambda: self.app.search(query, commit=True), "app.search(query, commit=True)")

    def open(self, rel_path: str) -> None:
        self._get(lambda: self.app.open_document(rel_path), "app.open_document(rel_path)")

    def focus_reader(self) -> None:
        self._get(lambda: self.app.reader.focus(), "app.reader")

    def clear_search(self) -> None:
        """Back to the list of all documents: a query the app restored from its last
        run (the startup group searches in these data dirs) is dropped, and its
        results, if still coming, are stale."""
        self._get(lambda: self.app.clear_search(), "app.clear_search")

    @property
    def showing_documents(self) -> bool:
        return self._get(lambda: not self.app.document_list.showing_results and self.app.query_text is None,
                         "app.document_list.showing_results / app.query_text")

    def focus_list_top(self) -> None:
        self._get(lambda: self.app.document_list.focus(), "app.document_list")
        self._get(lambda: self.app.document_list.move_cursor(row=0), "app.document_list.move_cursor")

    def list_state(self) -> str:
        """The list and the focus as they stand: what a timeout reports."""
        app, listing = self.app, self.app.document_list
        return (f"focused {app.focused!r}, screens {len(app.screen_stack)}, cursor {listing.cursor_row} "
                f"of {listing.row_count}, list display {listing.display}, size {listing.size}, "
                f"results {listing.showing_results}, terminal {app.size}")

    def key(self, key: str) -> None:
        from textual import events

        self.app.post_message(events.Key(key, None))


def make_app(root: Path, key: str, data_dir: Path):
    from reader.ui.app import ReaderApp

    return ReaderApp(open_workspace(root, key, data_dir))


async def until(predicate, what: str, timeout: float = WAIT_TIMEOUT, state=None) -> None:
    """Wait for *predicate*; on a timeout say what *state()* (the app as it stands) shows."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            seen = f" ({state()})" if state is not None else ""
            raise RuntimeError(f"bench/tui.py: timed out waiting for {what}{seen}")
        await asyncio.sleep(0.001)


async def wait_ready(ui: UI, rows: int) -> None:
    await until(lambda: ui.index_ready and ui.rows >= rows, f"{rows} rows and the index")


async def timed_until(pilot, action, predicate, what: str, state=None) -> float:
    """Seconds from *action()* until *predicate()* holds and the screen is painted."""
    started = time.perf_counter()
    action()
    await until(predicate, what, state=state)
    await pilot.pause(0)  # handle what is pending and paint
    return time.perf_counter() - started


def run_open(data: BenchData, report: Report, runs: int) -> None:
    """Figures open.{big,small}, scroll.{big,small}, and big.index (context)."""
    root = data.big_folder
    built = build_index(root, str(root), data.data_big)
    expected = {name: len(built.index.hit_spans(OPEN_QUERY, name)) for name in (BIG_NAME, SMALL_NAME)}
    built.close()
    log(f"  indexed the big-document collection in {built.build_seconds:.1f} s; hits for "
        f"{OPEN_QUERY!r}: {expected}")
    samples: dict[str, list[float]] = {
        f"{what}.{name}": [] for what in ("open", "scroll", "end", "resize", "resize_mid") for name in expected
    }

    async def resized(pilot, ui: UI, width: int) -> float:
        before = ui.reader_wrap_width
        started = time.perf_counter()
        await pilot.resize_terminal(width, SIZE[1])
        await until(lambda: ui.reader_wrap_width != before, f"the reader laid out at {width} columns")
        await pilot.pause(0)
        return time.perf_counter() - started

    async def scenario() -> None:
        app = make_app(root, str(root), data.data_big)
        ui = UI(app)
        async with app.run_test(size=SIZE) as pilot:
            await wait_ready(ui, 2)
            ui.search(OPEN_QUERY)
            await until(lambda: ui.results_for(OPEN_QUERY), f"results for {OPEN_QUERY!r}")
            await pilot.pause(0)
            for round_ in range(runs):
                for name in (BIG_NAME, SMALL_NAME):
                    opened = await timed_until(
                        pilot, lambda: ui.open(name),
                        lambda: ui.open_path() == name and ui.hit_count == expected[name], f"{name} open",
                    )
                    ui.focus_reader()
                    ui.key("home")
                    await until(lambda: ui.reader_scroll == 0, "the reader at the top")
                    await pilot.pause(0)
                    scrolled = await timed_until(
                        pilot, lambda: ui.key("pagedown"), lambda: ui.reader_scroll > 0, f"{name} paged down",
                    )
                    ended = await timed_until(pilot, lambda: ui.key("end"), lambda: ui.reader_at_end, f"{name} end")
                    ui.key("home")
                    await until(lambda: ui.reader_scroll == 0, "the reader at the top")
                    await pilot.pause(0)
                    resize = [await resized(pilot, ui, width) for width in (RESIZE_WIDTH, SIZE[0])]
                    ui.reader_to_middle()
                    await until(lambda: ui.reader_scroll > 0, "the reader in the middle")
                    await pilot.pause(0)
                    resize_mid = [await resized(pilot, ui, width) for width in (RESIZE_WIDTH, SIZE[0])]
                    samples[f"open.{name}"].append(opened)
                    samples[f"scroll.{name}"].append(scrolled)
                    samples[f"end.{name}"].append(ended)
                    samples[f"resize.{name}"].extend(resize)
                    samples[f"resize_mid.{name}"].extend(resize_mid)
                    log(f"  tui run {round_ + 1}/{runs}  {name:<9} open {opened * 1000:7.0f} ms  "
                        f"page down {scrolled * 1000:6.0f} ms  end {ended * 1000:6.0f} ms  "
                        f"resize {max(resize) * 1000:6.0f} ms  in the middle {max(resize_mid) * 1000:6.0f} ms")

    asyncio.run(scenario())
    big_mb = (root / BIG_NAME).stat().st_size / 1e6
    small_kb = (root / SMALL_NAME).stat().st_size / 1e3
    sizes = {BIG_NAME: f"{big_mb:.1f} MB", SMALL_NAME: f"{small_kb:.0f} kB"}
    for name, stem in ((BIG_NAME, "big"), (SMALL_NAME, "small")):
        report.add(f"open.{stem}", Figure(
            f"open {sizes[name]} document with {expected[name]} hits for {OPEN_QUERY!r}", "s", samples[f"open.{name}"]))
        report.add(f"scroll.{stem}", Figure(f"page down in the {sizes[name]} document", "s",
                                            samples[f"scroll.{name}"]))
        report.add(f"end.{stem}", Figure(f"End key in the {sizes[name]} document", "s", samples[f"end.{name}"]))
        report.add(f"resize.{stem}", Figure(f"resize the terminal, the {sizes[name]} document at its top", "s",
                                            samples[f"resize.{name}"]))
        report.add(f"resize_mid.{stem}", Figure(f"resize the terminal, the {sizes[name]} document at its middle",
                                                "s", samples[f"resize_mid.{name}"]))
    report.add("big.index", Figure(f"index the {sizes[BIG_NAME]} + {sizes[SMALL_NAME]} documents, one run, context",
                                   "s", [built.build_seconds]))
    report.details["open"] = {"query": OPEN_QUERY, "hits": expected, "runs": runs}


def run_list(data: BenchData, report: Report, rounds: int) -> None:
    """Figures list.big, list.bundled (ms per key press)."""
    from reader.paths import BUNDLED_COLLECTION_KEY, bundled_documents_dir

    count = len(data.corpus_files())
    subjects = {
        "big": (data.corpus, data.corpus_key, data.data_10k, count),
        "bundled": (bundled_documents_dir(), BUNDLED_COLLECTION_KEY, data.data_bundled, 5),
    }
    samples: dict[str, dict[str, list[float]]] = {name: {key: [] for key in LIST_KEYS} for name in subjects}

    async def scenario() -> None:
        apps = {name: make_app(root, key, data_dir) for name, (root, key, data_dir, _rows) in subjects.items()}
        async with apps["big"].run_test(size=SIZE) as big_pilot, apps["bundled"].run_test(size=SIZE) as small_pilot:
            pilots = {"big": big_pilot, "bundled": small_pilot}
            for name, app in apps.items():
                ui = UI(app)
                await wait_ready(ui, subjects[name][3])
                # The figure is the list of all documents.  The query restored from
                # the startup group's run would otherwise replace it with its results
                # (cursor back on row 0) whenever they arrive, maybe mid-keys: CI once
                # waited for a pageup from row 0.
                ui.clear_search()
                await until(lambda: ui.showing_documents and ui.rows == subjects[name][3],
                            f"the {name} list of all documents", state=ui.list_state)
                ui.focus_list_top()
                await pilots[name].pause(0)
            for round_ in range(rounds):
                for key in LIST_KEYS:
                    for name, app in apps.items():  # interleaved: the same key on each list in turn
                        ui = UI(app)
                        before = ui.cursor_row
                        seconds = await timed_until(
                            pilots[name], lambda: ui.key(key), lambda: ui.cursor_row != before,
                            f"{key} in the {name} list, from row {before}", state=ui.list_state,
                        )
                        samples[name][key].append(seconds * 1000)
            log(f"  list: {rounds} rounds of {', '.join(LIST_KEYS)} on {count} and 5 rows done")

    asyncio.run(scenario())
    for name, rows in (("big", count), ("bundled", 5)):
        pooled = [value for key in LIST_KEYS for value in samples[name][key]]
        report.add(f"list.{name}", Figure(f"document list with {rows} rows: key to repaint "
                                          f"({', '.join(LIST_KEYS)})", "ms", pooled, p99=True))
    report.details["list"] = {
        "rounds": rounds, "keys": list(LIST_KEYS),
        "per_key_ms": {name: {key: values for key, values in per_key.items()} for name, per_key in samples.items()},
    }
