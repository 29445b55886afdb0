"""cProfile of the slow paths ``python -m bench`` times, to see where the time goes.

    python -m bench.profile build        [--work DIR]   # cold build: reader path, then the plain writer
    python -m bench.profile incremental  [--work DIR]   # the start-up check, nothing changed
    python -m bench.profile startup      [--work DIR]   # the list worker, then the app's main thread to first rows
    python -m bench.profile query [QUERY ...]           # DocumentIndex.search(QUERY, limit=200)
    python -m bench.profile open         [--work DIR]   # the big document: reading, spans, showing, page down

It uses (and if needed generates) the same data as ``python -m bench`` in
``--work`` (default <tmp>/iatse-bench-work, kept), at ``--docs``/``--big-mb``.  Work the app
does in thread workers is profiled by calling the same functions on the main
thread (cProfile sees one thread); the app's own main-thread share is profiled
around a Pilot run.  Prints the top entries by cumulative and by own time, and
saves each profile as ``bench/out/profile-<name>.prof`` (for ``snakeviz`` or
``python -m pstats``).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import OUT_DIR, build_index, open_workspace
from bench.data import BIG_NAME, Parameters, prepare

TOP = 18


def show(profile: cProfile.Profile, name: str, seconds: float, top: int) -> None:
    path = OUT_DIR / f"profile-{name}.prof"
    path.parent.mkdir(parents=True, exist_ok=True)
    profile.dump_stats(path)
    for order in ("cumulative", "tottime"):
        buffer = io.StringIO()
        stats = pstats.Stats(profile, stream=buffer).strip_dirs().sort_stats(order)
        stats.print_stats(top)
        lines = buffer.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if line.lstrip().startswith("ncalls"))
        print(f"== {name}: {seconds:.2f} s wall (profiled), top {top} by {order} ==")
        print("\n".join(line for line in lines[start:] if line.strip()))
        print()
    print(f"saved {path}\n")


def profiled(name: str, function, top: int):
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    try:
        result = function()
    finally:
        profile.disable()
    show(profile, name, time.perf_counter() - started, top)
    return result


def profile_build(data, top: int) -> None:
    from bench.index_build import plain_whoosh_build

    scratch = data.work / "profile-build"
    shutil.rmtree(scratch, ignore_errors=True)
    try:
        profiled("build-reader", lambda: build_index(data.corpus, data.corpus_key, scratch / "data").close(), top)
        profiled("build-baseline", lambda: plain_whoosh_build(data.corpus_files(), data.corpus, scratch / "plain"), top)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def profile_incremental(data, top: int) -> None:
    from bench.index_build import ensure_index, startup_check

    ensure_index(data)
    startup_check(data)  # warm: the page cache, Whoosh imported
    profiled("incremental-no-change", lambda: startup_check(data), top)


def _app_until(app, condition, action=None):
    from bench.tui import SIZE, until

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            if action is not None:
                await action(app, pilot)
            await until(lambda: condition(app), "the condition")
            await pilot.pause(0)

    return lambda: asyncio.run(scenario())


def profile_startup(data, top: int) -> None:
    from bench.index_build import ensure_index
    from bench.tui import make_app

    ensure_index(data)
    workspace = open_workspace(data.corpus, data.corpus_key, data.data_10k)
    profiled("startup-list-worker", workspace.list_documents, top)  # the app runs this in a thread
    count = len(data.corpus_files())
    app = make_app(data.corpus, data.corpus_key, data.data_10k)
    profiled("startup-main-thread", _app_until(app, lambda app: app.document_list.row_count >= count), top)


def profile_query(data, queries: list[str], top: int, runs: int = 5) -> None:
    from bench.index_build import ensure_index
    from bench.queries import SEARCH_LIMIT

    ensure_index(data)
    workspace = open_workspace(data.corpus, data.corpus_key, data.data_10k)
    index = workspace.index
    for query in queries:
        index.search(query, limit=SEARCH_LIMIT)  # warm
        name = "query-" + "".join(ch if ch.isalnum() else "_" for ch in query).strip("_")
        profiled(f"{name}-x{runs}", lambda: [index.search(query, limit=SEARCH_LIMIT) for _ in range(runs)], top)
    index.close()


def profile_open(data, top: int) -> None:
    from bench.tui import OPEN_QUERY, UI, make_app, until

    root = data.big_folder
    built = build_index(root, str(root), data.data_big)
    workspace = built.workspace
    document = profiled("open-read", lambda: workspace.read(BIG_NAME), top)
    spans = profiled("open-hit-spans", lambda: workspace.index.hit_spans(OPEN_QUERY, BIG_NAME), top)
    print(f"{len(document.text)} characters, {len(spans)} hits\n")
    built.close()

    app = make_app(root, str(root), data.data_big)

    async def scenario() -> None:
        from bench.tui import SIZE

        ui = UI(app)
        async with app.run_test(size=SIZE) as pilot:
            await until(lambda: ui.index_ready and ui.rows >= 2, "ready")
            ui.search(OPEN_QUERY)
            await until(lambda: ui.results_for(OPEN_QUERY), "results")
            await pilot.pause(0)
            profile = cProfile.Profile()
            started = time.perf_counter()
            profile.enable()
            ui.open(BIG_NAME)
            await until(lambda: ui.open_path() == BIG_NAME and ui.hit_count == len(spans), "open")
            await pilot.pause(0)
            profile.disable()
            show(profile, "open-main-thread", time.perf_counter() - started, top)
            ui.focus_reader()
            ui.key("home")
            await until(lambda: ui.reader_scroll == 0, "top")
            await pilot.pause(0)
            profile = cProfile.Profile()
            started = time.perf_counter()
            profile.enable()
            ui.key("pagedown")
            await until(lambda: ui.reader_scroll > 0, "paged down")
            await pilot.pause(0)
            profile.disable()
            show(profile, "scroll-main-thread", time.perf_counter() - started, top)

    asyncio.run(scenario())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("build", "incremental", "startup", "query", "open"))
    parser.add_argument("queries", nargs="*", help="for `query`: the queries (default: turnaround and \"ga bi\")")
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "iatse-bench-work")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--big-mb", type=float, default=10.0)
    parser.add_argument("--top", type=int, default=TOP)
    arguments = parser.parse_args(argv)
    data = prepare(arguments.work, Parameters(arguments.docs, 2000, int(arguments.big_mb * 1e6)))
    if arguments.what == "build":
        profile_build(data, arguments.top)
    elif arguments.what == "incremental":
        profile_incremental(data, arguments.top)
    elif arguments.what == "startup":
        profile_startup(data, arguments.top)
    elif arguments.what == "query":
        profile_query(data, arguments.queries or ["turnaround", '"ga bi"'], arguments.top)
    else:
        profile_open(data, arguments.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
