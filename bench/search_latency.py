"""Keystroke-to-results: how long search-as-you-type takes per keystroke.

For each query in QUERIES, typed one character at a time, every prefix is one
keystroke, timed as the TUI's call ``index.search(prefix, limit=200, suggest=False)`` (ranking
plus highlight spans plus snippets, which read the result files).  A prefix the
language rejects (``"rest per`` has an unclosed quote) raises QueryError; the
time to that error counts too, since it is what the user waits for.

Two corpora, each indexed in a fresh temporary data directory through
Workspace (as the reader does): the five bundled documents, and a generated
corpus (bench/corpus_gen.py, 2,000 files of ~2 kB by default).  Every query is
typed R times (round-robin over corpora so they share the machine's noise).

Read the **ratio generated/bundled of the medians**: the bundled corpus is the
baseline measured in the same run, so the ratio says what corpus size costs,
whatever the machine.  The TUI waits a fixed 150 ms debounce after the last
keystroke before it searches; that is context, not added to any figure.

    python -m bench.search_latency [--docs 2000] [--runs 3] [--out FILE]
    python -m bench.search_latency --docs 50 --runs 1     (tiny, seconds)

Prints a table and writes JSON (default bench/out/search_latency.json).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/search_latency.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import build_index, percentile, write_report
from bench.corpus_gen import DEFAULT_SEED, generate_corpus

REPO = Path(__file__).resolve().parent.parent
DEFAULT_OUT = REPO / "bench" / "out" / "search_latency.json"
SEARCH_LIMIT = 200  # reader.ui.app.SEARCH_LIMIT (not imported: that pulls in Textual)
DEBOUNCE_MS = 150  # reader.ui.search_bar.DEBOUNCE_SECONDS
QUERIES = ("turnaround", "strike vote", '"rest periods"', "negotiat*", "hutchens~", "safety OR wages")


def keystrokes(query: str) -> list[str]:
    """What the search bar holds after each keystroke of typing *query*."""
    return [query[:length] for length in range(1, len(query) + 1)]


def time_keystroke(document_index, text: str) -> tuple[float, str]:
    """Seconds for one keystroke's search, and its outcome ("results" or "error")."""
    from reader.query import QueryError

    started = time.perf_counter()
    try:
        document_index.search(text, limit=SEARCH_LIMIT, suggest=False)
        outcome = "results"
    except QueryError:
        outcome = "error"
    return time.perf_counter() - started, outcome


def summarise(samples: list[dict[str, object]]) -> dict[str, object]:
    times_ms = [float(sample["ms"]) for sample in samples]
    per_query: dict[str, dict[str, float]] = {}
    for query in QUERIES:
        mine = [float(s["ms"]) for s in samples if s["query"] == query]
        if mine:
            per_query[query] = {"median_ms": statistics.median(mine), "worst_ms": max(mine)}
    return {
        "keystrokes": len(times_ms),
        "errors": sum(1 for sample in samples if sample["outcome"] == "error"),
        "median_ms": statistics.median(times_ms),
        "p90_ms": percentile(times_ms, 0.9),
        "worst_ms": max(times_ms),
        "best_ms": min(times_ms),
        "per_query": per_query,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Keystroke-to-results time of search as you type.")
    parser.add_argument("--docs", type=int, default=2000, help="documents in the generated corpus (default 2000)")
    parser.add_argument("--runs", type=int, default=3, help="times each query is typed (default 3)")
    parser.add_argument("--size", type=int, default=2000, help="approximate bytes per generated document")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON output (default {DEFAULT_OUT})")
    arguments = parser.parse_args(argv)
    if arguments.docs < 1 or arguments.runs < 1:
        parser.error("--docs and --runs must be at least 1")

    from reader.paths import BUNDLED_COLLECTION_KEY, bundled_documents_dir

    with tempfile.TemporaryDirectory(prefix="iatse-bench-search-") as scratch:
        scratch_dir = Path(scratch)
        generated_root = scratch_dir / "generated"
        started = time.perf_counter()
        generate_corpus(generated_root, arguments.docs, arguments.size, arguments.seed)
        generate_seconds = time.perf_counter() - started
        print(f"generated {arguments.docs} documents in {generate_seconds:.1f} s", file=sys.stderr)

        corpora = {
            "bundled": build_index(bundled_documents_dir(), BUNDLED_COLLECTION_KEY, scratch_dir / "data-bundled"),
            "generated": build_index(generated_root, str(generated_root), scratch_dir / "data-generated"),
        }
        for name, built in corpora.items():
            print(f"indexed {name}: {built.documents} documents in {built.build_seconds:.1f} s", file=sys.stderr)

        samples: dict[str, list[dict[str, object]]] = {name: [] for name in corpora}
        try:
            for name, built in corpora.items():  # untimed warm-up: first searcher, caches
                for query in QUERIES:
                    time_keystroke(built.index, query)
            for run in range(arguments.runs):
                for query in QUERIES:
                    for name, built in corpora.items():
                        for text in keystrokes(query):
                            seconds, outcome = time_keystroke(built.index, text)
                            samples[name].append(
                                {"run": run, "query": query, "text": text, "ms": seconds * 1000, "outcome": outcome}
                            )
                print(f"run {run + 1}/{arguments.runs} done", file=sys.stderr)
        finally:
            for built in corpora.values():
                built.close()

    summaries = {name: summarise(samples[name]) for name in corpora}
    base, big = summaries["bundled"], summaries["generated"]
    ratios = {
        "median": big["median_ms"] / base["median_ms"],
        "p90": big["p90_ms"] / base["p90_ms"],
        "worst": big["worst_ms"] / base["worst_ms"],
    }

    print()
    print(
        f"Keystroke-to-results, index.search(prefix, limit={SEARCH_LIMIT}, suggest=False); "
        f"{len(QUERIES)} queries typed {arguments.runs}x, every prefix one keystroke"
    )
    print(f"{'corpus':<10} {'docs':>6} {'keys':>5} {'errors':>6} {'median':>9} {'p90':>9} {'worst':>9} {'index':>8}")
    for name, summary in summaries.items():
        print(
            f"{name:<10} {corpora[name].documents:>6} {summary['keystrokes']:>5} {summary['errors']:>6} "
            f"{summary['median_ms']:>6.1f} ms {summary['p90_ms']:>6.1f} ms {summary['worst_ms']:>6.1f} ms "
            f"{corpora[name].build_seconds:>6.1f} s"
        )
    print(
        f"ratio generated/bundled: median {ratios['median']:.1f}x, p90 {ratios['p90']:.1f}x, "
        f"worst {ratios['worst']:.1f}x"
    )
    print("per query (generated corpus), median / worst:")
    for query, figures in big["per_query"].items():
        print(f"  {query:<18} {figures['median_ms']:7.1f} ms {figures['worst_ms']:7.1f} ms")
    print(f"(context: the TUI searches {DEBOUNCE_MS} ms after the last keystroke; not included above)")

    payload = {
        "benchmark": "search_latency",
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "platform": platform.platform()},
        "settings": {
            "docs": arguments.docs, "runs": arguments.runs, "size_bytes": arguments.size,
            "seed": arguments.seed, "limit": SEARCH_LIMIT, "queries": list(QUERIES),
            "debounce_ms": DEBOUNCE_MS,
        },
        "corpora": {
            name: {"documents": corpora[name].documents, "index_seconds": corpora[name].build_seconds, **summary}
            for name, summary in summaries.items()
        },
        "ratio_generated_to_bundled": ratios,
        "samples": samples,
    }
    write_report(arguments.out, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
