"""Query latency: the reader, against ``grep -ril`` and SQLite FTS5 over the same files.

Every query of QUERIES is timed as the TUI runs a committed search,
``DocumentIndex.search(query, limit=200, spans_for=30)``: ranking, then hit spans
from the postings and a snippet (read from its file) for the first 30 results
(the list asks for the others' when it shows them).

The comparisons run in the same rounds, query by query (reader, FTS5, grep):

* ``grep -r -i -l -E PATTERN <corpus>`` in a subprocess (LC_ALL=C.UTF-8): a term
  is grepped as written; a phrase as its words with one space (grep cannot see a
  phrase broken across lines); ``negotiat*`` as ``negotiat[a-z]*``; a fuzzy term
  as the exact word (grep has no fuzzy match; the table says so).
* SQLite FTS5 (stdlib ``sqlite3``, ``tokenize='porter'``) built once over the same
  texts: ``MATCH`` ordered by ``bm25`` with ``LIMIT 200``, plus ``snippet()`` for
  the top 20.  A fuzzy term becomes the exact word (FTS5 has none); a prefix
  query matches the porter *stems*, so ``negotiat*`` finds nothing there (stems
  are ``negoti``): the row counts in the table show such differences.

Grep is slow, so it gets fewer rounds (``grep_runs``).
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.common import Figure, Report, log, open_workspace, percentile, timed
from bench.data import BenchData

SEARCH_LIMIT = 200  # reader.ui.app.SEARCH_LIMIT (not imported here: that pulls in Textual)
SPANS_FIRST = 30  # reader.ui.app.SPANS_FIRST: results whose hit spans come with the search
FTS5_SNIPPETS = 20
KINDS = ("term", "phrase", "wildcard", "fuzzy")
TARGET_KINDS = ("term", "phrase")  # the p99 target's query kinds


@dataclass(frozen=True)
class Query:
    kind: str
    text: str  # as typed in the reader
    grep: str  # grep -E pattern
    fts5: str  # FTS5 MATCH expression
    note: str = ""


QUERIES = (
    Query("term", "turnaround", "turnaround", "turnaround"),
    Query("term", "safety", "safety", "safety"),
    Query("term", "picket", "picket", "picket"),
    Query("term", "ga", "ga", "ga", "the commonest generated word: nearly every document"),
    Query("phrase", '"rest periods"', "rest periods", '"rest periods"', "rare phrase"),
    Query("phrase", '"strike vote"', "strike vote", '"strike vote"', "rare phrase"),
    Query("phrase", '"ga bi"', "ga bi", '"ga bi"', "common phrase"),
    Query("wildcard", "negotiat*", "negotiat[a-z]*", "negotiat*"),
    Query("wildcard", "wag*", "wag[a-z]*", "wag*"),
    Query("fuzzy", "hutchens~", "hutchens", "hutchens", "grep, FTS5: exact word"),
    Query("fuzzy", "solidarty~", "solidarty", "solidarty", "grep, FTS5: exact word"),
)


class Fts5:
    """An FTS5 table over the corpus, in ``<work>/fts5.sqlite3``."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def build(self, files: list[Path], root: Path) -> None:
        self.path.unlink(missing_ok=True)
        connection = sqlite3.connect(self.path)
        with connection:
            connection.execute(
                "CREATE VIRTUAL TABLE docs USING fts5(path UNINDEXED, title, content, tokenize='porter')"
            )
            rows = []
            for path in files:
                text = path.read_text(encoding="utf-8")
                rows.append((path.relative_to(root).as_posix(), text.lstrip().split("\n", 1)[0], text))
            connection.executemany("INSERT INTO docs (path, title, content) VALUES (?, ?, ?)", rows)
        connection.close()
        self.connection = sqlite3.connect(self.path, check_same_thread=False)

    def search(self, expression: str) -> int:
        rows = self.connection.execute(
            "SELECT path, bm25(docs) FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (expression, SEARCH_LIMIT),
        ).fetchall()
        self.connection.execute(
            "SELECT path, snippet(docs, 2, '[', ']', '…', 16) FROM docs WHERE docs MATCH ? "
            "ORDER BY bm25(docs) LIMIT ?",
            (expression, FTS5_SNIPPETS),
        ).fetchall()
        return len(rows)

    def close(self) -> None:
        self.connection.close()


def grep_files(root: Path, pattern: str) -> int:
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    completed = subprocess.run(
        ["grep", "-r", "-i", "-l", "-E", pattern, str(root)], capture_output=True, text=True, env=env,
    )
    if completed.returncode not in (0, 1):
        raise RuntimeError(f"grep {pattern!r} failed: {completed.stderr.strip()}")
    return len(completed.stdout.splitlines())


def run_queries(data: BenchData, report: Report, runs: int, grep_runs: int) -> None:
    """Figures query.{reader,fts5,grep}.{all,term_phrase,<kind>}, fts5.build."""
    import reader.index  # noqa: F401  (Whoosh imported before any timing)

    files = data.corpus_files()
    fts5 = Fts5(data.work / "fts5.sqlite3")
    elapsed, _ = timed(lambda: fts5.build(files, data.corpus))
    report.add("fts5.build.rate", Figure("FTS5 build (porter), one run, context", "docs/s",
                                         [len(files) / elapsed], better="higher"))
    log(f"  FTS5 table built in {elapsed:.1f} s")
    workspace = open_workspace(data.corpus, data.corpus_key, data.data_10k)
    index = workspace.index
    index.update()
    engines = {
        "reader": lambda query: index.search(query.text, limit=SEARCH_LIMIT, spans_for=SPANS_FIRST).total,
        "fts5": lambda query: fts5.search(query.fts5),
        "grep": lambda query: grep_files(data.corpus, query.grep),
    }
    samples: dict[str, dict[str, list[float]]] = {name: {q.text: [] for q in QUERIES} for name in engines}
    found: dict[str, dict[str, int]] = {name: {} for name in engines}
    try:
        for query in QUERIES:  # untimed warm-up: first searcher, page cache
            for name, engine in engines.items():
                found[name][query.text] = engine(query)
        for round_ in range(max(runs, grep_runs)):
            for query in QUERIES:
                for name, engine in engines.items():
                    if round_ >= (grep_runs if name == "grep" else runs):
                        continue
                    started = time.perf_counter()
                    engine(query)
                    samples[name][query.text].append((time.perf_counter() - started) * 1000)
            log(f"  query round {round_ + 1}/{max(runs, grep_runs)} done")
    finally:
        index.close()
        fts5.close()

    labels = {"reader": "reader search(limit=200)", "fts5": "SQLite FTS5", "grep": "grep -ril"}
    for name in engines:
        def pooled(kinds: tuple[str, ...]) -> list[float]:
            return [value for query in QUERIES if query.kind in kinds for value in samples[name][query.text]]

        report.add(f"query.{name}.all", Figure(f"{labels[name]}, all {len(QUERIES)} queries", "ms",
                                               pooled(KINDS), p99=True))
        report.add(f"query.{name}.term_phrase", Figure(f"{labels[name]}, term and phrase queries", "ms",
                                                       pooled(TARGET_KINDS), p99=True))
        for kind in KINDS:
            report.add(f"query.{name}.{kind}", Figure(f"{labels[name]}, {kind} queries", "ms",
                                                      pooled((kind,)), p99=True))
    per_query = []
    for query in QUERIES:
        row: dict[str, object] = {"query": query.text, "kind": query.kind, "grep_pattern": query.grep,
                                  "fts5_match": query.fts5, "note": query.note}
        for name in engines:
            values = samples[name][query.text]
            row[name] = {"median_ms": statistics.median(values), "p99_ms": percentile(values, 0.99),
                         "worst_ms": max(values), "runs": len(values), "found": found[name][query.text]}
        per_query.append(row)
    report.details["queries"] = {
        "limit": SEARCH_LIMIT, "fts5_snippets": FTS5_SNIPPETS, "runs": runs, "grep_runs": grep_runs,
        "found": "reader: matching documents (total); fts5: rows returned (LIMIT 200); grep: files listed",
        "per_query": per_query,
    }
