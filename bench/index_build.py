"""Cold index build (reader vs a plain Whoosh writer) and the start-up incremental check.

Build: the reader's own path (a fresh data dir, ``Workspace`` → ``DocumentIndex.update``,
as ``iatse-reader index`` and the app's first start do) against the baseline the
issue names: a plain single-process Whoosh writer with default settings
(``ix.writer()``, one ``add_document`` per file with the reader's schema, one
commit) over the same files, in the same run, alternately.  The build is the slow
part, so pairs run while the projected time fits ``budget`` seconds (at least one).

Incremental: what the app does at every start, a fresh ``Workspace`` (so a fresh
``DocumentIndex`` opening the index) and ``update()``, when nothing changed, and
after 10 files were rewritten with changed content, alternately.  The files are
put back (and the index brought up to date, untimed) at the end, so later groups
see the generated corpus.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from bench.common import Figure, Report, alternate, build_index, folder_size, log, open_workspace, timed
from bench.data import BenchData

TOUCHED_FILES = 10
MIB = 1024 * 1024


def plain_whoosh_build(files: list[Path], root: Path, index_dir: Path) -> int:
    """The baseline: Whoosh's default writer, the reader's schema, one commit."""
    from whoosh import index

    from reader.index import make_schema

    index_dir.mkdir(parents=True, exist_ok=True)
    ix = index.create_in(str(index_dir), make_schema())
    writer = ix.writer()
    for path in files:
        text = path.read_text(encoding="utf-8")
        stat = path.stat()
        title = text.lstrip().split("\n", 1)[0]
        writer.add_document(
            path=path.relative_to(root).as_posix(), title=title, title_exact=title,
            content=text, content_exact=text, content_pairs=text, source="", note="", note_exact="",
            size=stat.st_size, mtime_ns=stat.st_mtime_ns,
        )
    writer.commit()
    ix.close()
    return len(files)


def run_build(data: BenchData, report: Report, runs: int, budget: float) -> None:
    """Figures build.reader.*, build.baseline.*; leaves the last reader index in
    ``data.data_10k``."""
    import reader.index  # Whoosh's import is not part of a build

    files = data.corpus_files()
    scratch = data.work / "build-runs"
    shutil.rmtree(scratch, ignore_errors=True)
    rates: dict[str, list[float]] = {"reader": [], "baseline": []}
    seconds: dict[str, list[float]] = {"reader": [], "baseline": []}
    sizes: dict[str, list[float]] = {"reader": [], "baseline": []}
    last_reader: Path | None = None
    started = time.perf_counter()
    pairs = 0
    while pairs < runs:
        if pairs and (time.perf_counter() - started) / pairs * (pairs + 1) > budget:
            log(f"  build: {runs - pairs} more pair(s) would not fit the {budget:.0f} s budget; stopping")
            break
        data_dir = scratch / f"reader-{pairs}"
        elapsed, built = timed(lambda: build_index(data.corpus, data.corpus_key, data_dir))
        built.close()
        index_dir = built.workspace.layout.index_dir(built.workspace.collection)
        rates["reader"].append(built.documents / elapsed)
        seconds["reader"].append(elapsed)
        sizes["reader"].append(folder_size(index_dir) / MIB)
        log(f"  build run {pairs + 1}: reader   {built.documents} docs in {elapsed:.1f} s")
        if last_reader is not None:
            shutil.rmtree(last_reader, ignore_errors=True)
        last_reader = data_dir

        plain_dir = scratch / f"plain-{pairs}"
        elapsed, count = timed(lambda: plain_whoosh_build(files, data.corpus, plain_dir))
        rates["baseline"].append(count / elapsed)
        seconds["baseline"].append(elapsed)
        sizes["baseline"].append(folder_size(plain_dir) / MIB)
        shutil.rmtree(plain_dir, ignore_errors=True)
        log(f"  build run {pairs + 1}: baseline {count} docs in {elapsed:.1f} s")
        pairs += 1

    assert last_reader is not None
    shutil.rmtree(data.data_10k, ignore_errors=True)
    last_reader.rename(data.data_10k)
    shutil.rmtree(scratch, ignore_errors=True)
    names = {"reader": "reader (Workspace → DocumentIndex.update)",
             "baseline": "plain Whoosh writer (defaults, one commit)"}
    for who, label in names.items():
        report.add(f"build.{who}.rate", Figure(f"cold build, {label}", "docs/s", rates[who], better="higher"))
        report.add(f"build.{who}.seconds", Figure(f"cold build time, {who}", "s", seconds[who]))
        report.add(f"build.{who}.size", Figure(f"index size on disk, {who}", "MiB", sizes[who]))
    report.details["build"] = {"documents": len(files), "pairs": pairs, "pairs_asked": runs, "budget_s": budget,
                               "reader_segments": segment_count(data.data_10k),
                               "reader_workers": reader.index.parallel_build._worker_count()}


def segment_count(data_dir: Path) -> int:
    """Segments in the index under *data_dir* (a build in workers leaves several;
    each costs every query a little)."""
    from whoosh import index

    (index_dir,) = (data_dir / "index").iterdir()
    ix = index.open_dir(str(index_dir))
    try:
        return len(ix._segments())
    finally:
        ix.close()


def ensure_index(data: BenchData) -> None:
    """The reader's index of the corpus, for groups run without the build group."""
    workspace = open_workspace(data.corpus, data.corpus_key, data.data_10k)
    try:
        report = workspace.index.update()
    finally:
        workspace.index.close()
    if report.changed:
        log(f"  brought the corpus index up to date (untimed): {report.summary()}")


def startup_check(data: BenchData) -> tuple[float, object]:
    """Seconds for what the app does at start: a fresh Workspace and DocumentIndex,
    then ``update()``."""
    def check() -> object:
        workspace = open_workspace(data.corpus, data.corpus_key, data.data_10k)
        try:
            return workspace.index.update()
        finally:
            workspace.index.close()

    elapsed, result = timed(check)
    return elapsed, result


def touched_paths(data: BenchData) -> list[Path]:
    files = data.corpus_files()
    count = min(TOUCHED_FILES, len(files))
    return [files[i * len(files) // count] for i in range(count)]


def run_incremental(data: BenchData, report: Report, runs: int) -> None:
    """Figures incremental.no_change, incremental.touched."""
    import reader.index  # noqa: F401

    ensure_index(data)
    paths = touched_paths(data)
    originals = {path: path.read_bytes() for path in paths}

    def no_change(_round: int) -> float:
        elapsed, result = startup_check(data)
        assert not result.changed, f"expected no change, got {result.summary()}"
        return elapsed

    def touched(round_: int) -> float:
        for path, original in originals.items():
            path.write_bytes(original + f"\nRevised by the benchmark, run {round_ + 1}.\n".encode())
        elapsed, result = startup_check(data)
        assert len(result.updated) == len(paths), f"expected {len(paths)} updated, got {result.summary()}"
        return elapsed

    try:
        samples = alternate(runs, [("no change", no_change), (f"{len(paths)} files touched", touched)],
                            log=lambda line: log(line.replace("  run", "  incremental run")))
    finally:
        for path, original in originals.items():
            path.write_bytes(original)
        ensure_index(data)
    report.add("incremental.no_change", Figure(
        f"start-up check, nothing changed ({len(data.corpus_files())} files)", "s", samples["no change"]))
    report.add("incremental.touched", Figure(
        f"start-up check, {len(paths)} files rewritten", "s", samples[f"{len(paths)} files touched"]))
