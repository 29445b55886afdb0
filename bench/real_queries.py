"""The ``real`` group: every query shape on a corpus of real English prose.

The corpus (:mod:`bench.real_text`: manual pages, package documentation, Python's
docs, cut into documents of ~2 kB) is built once per work folder, in
``<work>/real``, and indexed through the reader's own path.  Then:

* **build**: the reader's cold build of the first ``build_docs`` documents against
  a plain Whoosh writer over the same files (the ``build`` group's baseline), one
  pair; real prose has a larger vocabulary than the generated words;
* **queries**: each shape of :data:`QUERIES` as the TUI runs a committed search,
  ``search(query, limit=200)`` (ranking, spans for the shown results, snippets
  and, when little is found, "did you mean"), against SQLite FTS5 and
  ``grep -ril`` in the same rounds, query by query;
* **keystrokes**: :data:`TYPED` queries typed one character at a time, each prefix
  timed as search-as-you-type runs it (``search(prefix, limit=200, suggest=False)``).
"""

from __future__ import annotations

import json
import shutil
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import Figure, Report, build_index, log, open_workspace, percentile, timed
from bench.data import BenchData
from bench.index_build import plain_whoosh_build
from bench.queries import SEARCH_LIMIT, SPANS_FIRST, Fts5, grep_files


@dataclass(frozen=True)
class Shape:
    name: str
    text: str  # as typed in the reader
    fts5: str  # FTS5 MATCH expression
    grep: str  # grep -E pattern
    note: str = ""


QUERIES = (
    Shape("term_common", "file", "file", "file", "in about half the documents"),
    Shape("term_rare", "symlink", "symlink", "symlink"),
    Shape("and", "network interface", "network interface", "network.*interface|interface.*network",
          "grep: both words on one line"),
    Shape("phrase", '"regular expression"', '"regular expression"', "regular expression"),
    Shape("phrase_stop", '"the default value"', '"the default value"', "the default value",
          "stop words in a phrase"),
    Shape("wildcard_narrow", "hexadec*", "hexadec*", "hexadec[a-z]*"),
    Shape("wildcard_broad", "con*", "con*", "con[a-z]*", "FTS5 matches the porter stems"),
    Shape("fuzzy", "excepton~", "", "excepton", "FTS5: the OR of the words the reader expands it to; grep: the word"),
    Shape("or", "daemon OR service", "daemon OR service", "daemon|service"),
    Shape("hyphenated", "command-line", '"command line"', "command.line"),
    Shape("typo", "configuratoin", "configuratoin", "configuratoin", "no hits: the reader adds \"did you mean\""),
)
TYPED = ("network interface", '"regular expression"', "hexadec*", "excepton~", "daemon OR service")
FTS5_NAME = "fts5-real.sqlite3"


def prepare_real(data: BenchData, count: int, doc_bytes: int = 2000) -> tuple[Path, float]:
    """The real-text corpus under ``<work>/real`` (reused when built with the same
    size), and the seconds building it took (0 when reused)."""
    from bench.real_text import build_corpus

    folder = data.work / "real"
    manifest = data.work / "real-manifest.json"
    wanted = {"count": count, "doc_bytes": doc_bytes}
    try:
        if json.loads(manifest.read_text(encoding="utf-8")) == wanted and folder.is_dir():
            return folder, 0.0
    except (OSError, ValueError):
        pass
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    paths = build_corpus(folder, count, doc_bytes)
    manifest.write_text(json.dumps(wanted), encoding="utf-8")
    seconds = time.perf_counter() - started
    log(f"  real-text corpus: {len(paths)} documents in {seconds:.1f} s")
    return folder, seconds


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.txt"))


def _build_pair(data: BenchData, files: list[Path], root: Path, report: Report) -> None:
    """One cold build of *files* by the reader and one by a plain Whoosh writer."""
    scratch = data.work / "real-build"
    shutil.rmtree(scratch, ignore_errors=True)
    subset = scratch / "docs"
    for path in files:
        target = subset / path.relative_to(root)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    copied = _files(subset)
    elapsed, built = timed(lambda: build_index(subset, str(subset), scratch / "data"))
    built.index.wait_for_merge()
    built.close()
    reader_rate = built.documents / elapsed
    baseline_seconds, _ = timed(lambda: plain_whoosh_build(copied, subset, scratch / "plain"))
    baseline_rate = len(copied) / baseline_seconds
    log(f"  real build of {len(copied)}: reader {reader_rate:.0f} docs/s, plain Whoosh {baseline_rate:.0f} docs/s")
    report.add("real.build.reader.rate", Figure(f"reader cold build, {len(copied)} real-text documents",
                                                "docs/s", [reader_rate], better="higher"))
    report.add("real.build.baseline.rate", Figure(f"plain Whoosh writer, {len(copied)} real-text documents",
                                                  "docs/s", [baseline_rate], better="higher"))
    shutil.rmtree(scratch, ignore_errors=True)


def _fts5_fuzzy(index, shape: Shape) -> Shape:  # index: reader.index.DocumentIndex
    """*shape* with its FTS5 expression the OR of the words the reader's fuzzy term
    expands to in the text."""
    from dataclasses import replace

    word, _tilde, distance = shape.text.partition("~")
    vocabulary = index._vocabulary(index.searcher(), "content_exact")
    words = [found for found, _distance in vocabulary.within(word, int(distance or 1), 1)] or [word]
    return replace(shape, fts5=" OR ".join(f'"{found}"' for found in words))


def run_real(data: BenchData, report: Report, count: int, runs: int, grep_runs: int, build_docs: int) -> None:
    """Figures real.{reader,fts5,grep}.<shape>, real.reader.all, real.keystroke,
    real.build.{reader,baseline}.rate."""
    import reader.index  # noqa: F401  (Whoosh imported before any timing)
    from reader.query import QueryError

    root, corpus_seconds = prepare_real(data, count)
    files = _files(root)
    _build_pair(data, files[:build_docs], root, report)

    workspace = open_workspace(root, str(root), data.work / "data-real")
    index = workspace.index
    started = time.perf_counter()
    update = index.update()
    index.wait_for_merge()
    index_seconds = time.perf_counter() - started
    segments = len(index.ix._segments())
    log(f"  real-text index: {len(update.added)} added, {update.unchanged} unchanged in {index_seconds:.1f} s; "
        f"{segments} segment(s)")
    fts5 = Fts5(data.work / FTS5_NAME)
    fts5.build(files, root)
    # FTS5 has no fuzzy terms: it is given the words the reader expands the term to,
    # as an application on FTS5 with a word list of its own would search.
    shapes = [_fts5_fuzzy(index, shape) if shape.name == "fuzzy" else shape for shape in QUERIES]

    suggestions: dict[str, str | None] = {}

    def reader_search(shape: Shape) -> int:
        results = index.search(shape.text, limit=SEARCH_LIMIT, spans_for=SPANS_FIRST)
        suggestions[shape.name] = results.suggestion
        return results.total

    engines = {
        "reader": reader_search,
        "fts5": lambda shape: fts5.search(shape.fts5),
        "grep": lambda shape: grep_files(root, shape.grep),
    }
    samples: dict[str, dict[str, list[float]]] = {name: {s.name: [] for s in shapes} for name in engines}
    found: dict[str, dict[str, int]] = {name: {} for name in engines}
    keystrokes: list[dict[str, object]] = []
    try:
        for shape in shapes:  # untimed warm-up
            for name, engine in engines.items():
                found[name][shape.name] = engine(shape)
        for round_ in range(max(runs, grep_runs)):
            for shape in shapes:
                for name, engine in engines.items():
                    if round_ >= (grep_runs if name == "grep" else runs):
                        continue
                    started = time.perf_counter()
                    engine(shape)
                    samples[name][shape.name].append((time.perf_counter() - started) * 1000)
            log(f"  real query round {round_ + 1}/{max(runs, grep_runs)} done")
        for text in TYPED:
            for length in range(1, len(text) + 1):
                prefix = text[:length]
                started = time.perf_counter()
                try:
                    index.search(prefix, limit=SEARCH_LIMIT, suggest=False, spans_for=SPANS_FIRST)
                    outcome = "results"
                except QueryError:
                    outcome = "error"
                keystrokes.append({"text": prefix, "ms": (time.perf_counter() - started) * 1000,
                                   "outcome": outcome})
    finally:
        index.close()
        fts5.close()

    labels = {"reader": "reader search(limit=200)", "fts5": "SQLite FTS5", "grep": "grep -ril"}
    for name in engines:
        for shape in QUERIES:
            report.add(f"real.{name}.{shape.name}",
                       Figure(f"{labels[name]}, real text, {shape.text}", "ms", samples[name][shape.name], p99=True))
        report.add(f"real.{name}.all", Figure(f"{labels[name]}, real text, every shape", "ms",
                                              [v for s in QUERIES for v in samples[name][s.name]], p99=True))
    report.add("real.keystroke", Figure("search-as-you-type keystroke, real text", "ms",
                                        [float(k["ms"]) for k in keystrokes], p99=True))
    report.add("constant.keystroke", Figure("a keystroke's budget", "ms", [50.0], constant=True,
                                            note="a fixed reference"))
    per_query = []
    for shape in shapes:
        row: dict[str, object] = {"shape": shape.name, "query": shape.text, "fts5_match": shape.fts5,
                                  "grep_pattern": shape.grep, "note": shape.note,
                                  "suggestion": suggestions.get(shape.name)}
        for name in engines:
            values = samples[name][shape.name]
            row[name] = {"median_ms": statistics.median(values), "p99_ms": percentile(values, 0.99),
                         "worst_ms": max(values), "runs": len(values), "found": found[name][shape.name]}
        per_query.append(row)
    report.details["real"] = {
        "documents": len(files), "corpus_seconds": corpus_seconds, "index_seconds": index_seconds,
        "segments": segments, "runs": runs, "grep_runs": grep_runs, "per_query": per_query,
        "keystrokes": keystrokes,
    }


def targets():  # -> tuple[Target, ...]
    from bench.common import Target

    per_shape = tuple(
        Target(f"real {shape.name}/fts5", f"real text: {shape.text} median ≤ 3× SQLite FTS5's",
               f"real.reader.{shape.name}", f"real.fts5.{shape.name}", "<=", 3.0)
        for shape in QUERIES
    )
    return per_shape + (
        Target("real typo/term", "real text: a typo's committed search (with did you mean) ≤ 3× a rare term's",
               "real.reader.typo", "real.reader.term_rare", "<=", 3.0),
        Target("real p99", "real text: p99 over every shape ≤ one frame (16 ms)",
               "real.reader.all", "constant.frame", "<=", 1.0, stat="p99"),
        Target("real keystroke", "real text: slowest search-as-you-type keystroke ≤ 50 ms",
               "real.keystroke", "constant.keystroke", "<=", 1.0, stat="worst"),
        Target("real build", "real text: reader cold build ≥ 2× a plain Whoosh writer (docs/s)",
               "real.build.reader.rate", "real.build.baseline.rate", ">=", 2.0),
    )
