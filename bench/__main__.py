"""``python -m bench``: the whole benchmark, one command (see bench/README.md).

Generates its data (10,000 documents of ~2 kB, one of ~10 MB and one of ~10 kB),
measures every figure of issue 5 with its baseline in the same run, prints the
tables and the targets (each a ratio with pass/FAIL), and writes the JSON to
``bench/out/bench.json``.

    python -m bench                       # full size, well under 10 minutes on 2 cores
    python -m bench --tiny                # seconds: 40 documents, 0.2 MB, one run each
    python -m bench --only queries,tui --work /tmp/bench-work   # some groups, data kept
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/__main__.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    OUT_DIR, Report, Target, format_value, log, machine, now, one_frame, print_table, write_report,
)
from bench.data import Parameters, prepare  # noqa: E402
from bench import real_queries  # noqa: E402

GROUPS = ("build", "incremental", "queries", "real", "startup", "open", "list", "formats")
TINY = {
    "docs": 40, "big_mb": 0.2, "build_runs": 1, "runs": 1, "query_runs": 1, "grep_runs": 1,
    "startup_runs": 1, "warmup": 0, "open_runs": 1, "list_rounds": 1, "real_docs": 40, "real_build_docs": 40,
    "format_pdfs": 3, "format_pdf_pages": 3, "format_html": 4, "format_docx": 2, "format_epub": 2,
    "format_big_pages": 30, "format_runs": 1,
}
TIME_LIMIT_S = 600

TARGETS = (
    Target("cold build", "reader ≥ 2× a plain Whoosh writer (docs/s)",
           "build.reader.rate", "build.baseline.rate", ">=", 2.0),
    Target("no-change check", "start-up index check, nothing changed ≤ 0.2× blank app start-up",
           "incremental.no_change", "startup.blank", "<=", 0.2),
    Target("10 files touched", "start-up index check after 10 files changed / blank app start-up",
           "incremental.touched", "startup.blank", "<=", None),
    Target("query p99", "p99 of term and phrase queries ≤ one frame (16 ms)",
           "query.reader.term_phrase", "constant.frame", "<=", 1.0, stat="p99"),
    Target("vs grep", "grep -ril / reader, term and phrase queries ≥ 20×",
           "query.grep.term_phrase", "query.reader.term_phrase", ">=", 20.0),
    Target("vs grep, all", "grep -ril / reader, all queries",
           "query.grep.all", "query.reader.all", ">=", None),
    Target("vs FTS5", "SQLite FTS5 / reader, term and phrase queries",
           "query.fts5.term_phrase", "query.reader.term_phrase", "<=", None),
    Target("vs FTS5, all", "SQLite FTS5 / reader, all queries",
           "query.fts5.all", "query.reader.all", "<=", None),
    *real_queries.targets(),
    Target("start-up 10k", "start-up with the generated corpus (10,000 docs) ≤ 1.5× blank app",
           "startup.big", "startup.blank", "<=", 1.5),
    Target("start-up bundled", "start-up with the 5 bundled documents ≤ 1.3× blank app",
           "startup.bundled", "startup.blank", "<=", 1.3),
    Target("start-up 10k/bundled", "start-up, generated corpus / bundled",
           "startup.big", "startup.bundled", "<=", None),
    Target("open big", "open the big (10 MB) document with its hits ≤ 2× the 10 kB one",
           "open.big", "open.small", "<=", 2.0),
    Target("scroll big", "page down in the big (10 MB) document ≤ 2× the 10 kB one",
           "scroll.big", "scroll.small", "<=", 2.0),
    Target("end of big", "End key in the big document (lays the whole book out once) / in the 10 kB one",
           "end.big", "end.small", "<=", None),
    Target("resize big", "resize the terminal, the big (10 MB) document at its top ≤ 2× the 10 kB one",
           "resize.big", "resize.small", "<=", 2.0),
    Target("resize big, middle", "resize the terminal, the big document at its middle / the 10 kB one",
           "resize_mid.big", "resize_mid.small", "<=", None),
    Target("peak RSS", "peak RSS, generated corpus after a search / blank app",
           "rss.big", "rss.blank", "<=", None),
    Target("list keys", "document list, key to repaint: generated corpus (10,000 rows) / 5 rows",
           "list.big", "list.bundled", "<=", None),
    Target("list keys p99", "document list, key to repaint p99: generated corpus / 5 rows",
           "list.big", "list.bundled", "<=", None, stat="p99"),
    Target("formats build", "cold build of the mixed corpus ≤ 1.3× the libraries alone extracting it",
           "formats.build.reader", "formats.build.extract", "<=", 1.3),
    Target("formats extraction", "the reader's extraction without the index / the libraries alone",
           "formats.build.reader_extract", "formats.build.extract", "<=", None),
    Target("open PDF in reader", "open a 300-page PDF in the reader, from the cache ≤ 2× a 10 kB text file",
           "formats.tui_open.pdf300", "formats.tui_open.text10k", "<=", 2.0),
    Target("read PDF cached", "Workspace.read of a 300-page PDF from the cache / of a 10 kB text file (core only)",
           "formats.open.pdf300", "formats.open.text10k", "<=", None),
    Target("open PDF vs its text", "open a 300-page PDF from the cache / a text file of the same text",
           "formats.open.pdf300", "formats.open.pdf300_as_text", "<=", None),
    Target("formats check", "start-up check, unchanged mixed folder / as many text files",
           "formats.check.mixed", "formats.check.text", "<=", None),
    Target("PDF pages/s", "PDF pages per second, the reader's extraction / PDFium alone",
           "formats.pdf.pages_per_second", "formats.pdf.pdfium_pages_per_second", ">=", None),
)


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    size = parser.add_argument_group("data")
    size.add_argument("--docs", type=int, default=10_000, help="generated documents (default 10000)")
    size.add_argument("--doc-bytes", type=int, default=2000, help="bytes per generated document (default 2000)")
    size.add_argument("--big-mb", type=float, default=10.0, help="size of the big document in MB (default 10)")
    size.add_argument("--seed", type=int, default=Parameters.__dataclass_fields__["seed"].default)
    runs = parser.add_argument_group("runs")
    runs.add_argument("--build-runs", type=int, default=2, help="cold build pairs, reader + baseline (default 2)")
    runs.add_argument("--build-budget", type=float, default=330.0,
                      help="seconds the build pairs may take: another pair runs only if it fits (default 330)")
    runs.add_argument("--runs", type=int, default=5, help="incremental check runs of each kind (default 5)")
    runs.add_argument("--query-runs", type=int, default=10, help="runs of each query, reader and FTS5 (default 10)")
    runs.add_argument("--grep-runs", type=int, default=3, help="runs of each query with grep (default 3)")
    size.add_argument("--real-docs", type=int, default=10_000,
                      help="documents of real prose for the real group (default 10000)")
    size.add_argument("--real-build-docs", type=int, default=1000,
                      help="real-text documents in the real group's build pair (default 1000)")
    runs.add_argument("--startup-runs", type=int, default=5, help="timed start-ups of each command (default 5)")
    runs.add_argument("--warmup", type=int, default=1, help="untimed start-ups of each command first (default 1)")
    runs.add_argument("--open-runs", type=int, default=9, help="opens of each document (default 9)")
    runs.add_argument("--list-rounds", type=int, default=10, help="rounds of 4 keys in each list (default 10)")
    formats = parser.add_argument_group("formats group")
    formats.add_argument("--format-pdfs", type=int, default=200, help="PDFs in the mixed corpus (default 200)")
    formats.add_argument("--format-pdf-pages", type=int, default=20, help="pages per PDF (default 20)")
    formats.add_argument("--format-html", type=int, default=500, help="web pages (default 500)")
    formats.add_argument("--format-docx", type=int, default=100, help="Word files (default 100)")
    formats.add_argument("--format-epub", type=int, default=50, help="EPUB books (default 50)")
    formats.add_argument("--format-big-pages", type=int, default=300, help="pages of the PDF opened (default 300)")
    formats.add_argument("--format-runs", type=int, default=1,
                         help="rounds of the cold builds (each ~2.5 min at full size; default 1)")
    parser.add_argument("--tiny", action="store_true",
                        help="a quick check that everything runs: " + ", ".join(f"{k}={v}" for k, v in TINY.items()))
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups to run (default all: {','.join(GROUPS)})")
    parser.add_argument("--work", type=Path,
                        help="keep the generated data and indexes here and reuse them (default: a temporary folder)")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "bench.json", help="JSON output (default bench/out/bench.json)")
    preview, _ = parser.parse_known_args(argv)
    if preview.tiny:
        parser.set_defaults(**TINY)
    arguments = parser.parse_args(argv)
    arguments.groups = [group.strip() for group in arguments.only.split(",") if group.strip()]
    unknown = set(arguments.groups) - set(GROUPS)
    if unknown:
        parser.error(f"unknown group(s) {', '.join(sorted(unknown))}; choose from {', '.join(GROUPS)}")
    for name in ("docs", "build_runs", "runs", "query_runs", "grep_runs", "startup_runs", "open_runs", "list_rounds",
                 "real_docs", "real_build_docs"):
        if getattr(arguments, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    return arguments


def run(arguments: argparse.Namespace, work: Path) -> tuple[Report, float]:
    from bench import index_build, queries, startup, tui

    parameters = Parameters(arguments.docs, arguments.doc_bytes, int(arguments.big_mb * 1e6), arguments.seed)
    data = prepare(work, parameters)
    report = Report()
    report.add("constant.frame", one_frame())
    groups = arguments.groups
    needs_index = {"incremental", "queries", "startup", "list"}
    group_seconds: dict[str, float] = {}

    def group(name: str, function, *args) -> None:
        log(f"[{name}]")
        started = time.perf_counter()
        function(*args)
        group_seconds[name] = time.perf_counter() - started
        log(f"[{name}] {group_seconds[name]:.1f} s")

    if "build" in groups:
        group("build", index_build.run_build, data, report, arguments.build_runs, arguments.build_budget)
    elif needs_index & set(groups):
        log("[index] building or checking the corpus index (untimed; the build group was not asked for)")
        index_build.ensure_index(data)
    if "incremental" in groups:
        group("incremental", index_build.run_incremental, data, report, arguments.runs)
    if "queries" in groups:
        group("queries", queries.run_queries, data, report, arguments.query_runs, arguments.grep_runs)
    if "real" in groups:
        group("real", real_queries.run_real, data, report, arguments.real_docs, arguments.query_runs,
              arguments.grep_runs, arguments.real_build_docs)
    if "startup" in groups:
        group("startup", startup.run_group, data, report, arguments.startup_runs, arguments.warmup)
    if "open" in groups:
        group("open", tui.run_open, data, report, arguments.open_runs)
    if "list" in groups:
        group("list", tui.run_list, data, report, arguments.list_rounds)
    if "formats" in groups:
        from bench import formats

        sizes = formats.FormatSizes(arguments.format_pdfs, arguments.format_pdf_pages, arguments.format_html,
                                    arguments.format_docx, arguments.format_epub, arguments.format_big_pages)
        group("formats", formats.run_formats, work, report, sizes, arguments.format_runs)
    report.details["group_seconds"] = group_seconds
    report.details["data"] = {
        "documents": arguments.docs, "doc_bytes": arguments.doc_bytes, "big_bytes": parameters.big_bytes,
        "seed": arguments.seed, "generate_seconds": data.generate_seconds,
    }
    return report, data.generate_seconds


def print_report(report: Report, targets: list[dict[str, object]], total: float) -> None:
    rows = []
    for name, figure in report.figures.items():
        if figure.constant:
            continue
        p99 = format_value(figure.stat("p99"), figure.unit) if figure.p99 else ""
        rows.append([name, format_value(figure.median, figure.unit), p99, format_value(figure.worst, figure.unit),
                     len(figure.samples), figure.label])
    print()
    print_table(["figure", "median", "p99", "worst", "runs", "what"], rows, title="Figures (worst: slowest run)")

    if "queries" in report.details:
        rows = []
        for row in report.details["queries"]["per_query"]:
            reader, fts5, grep = row["reader"], row["fts5"], row["grep"]
            rows.append([
                row["query"], row["kind"],
                f"{reader['median_ms']:.1f}", f"{reader['p99_ms']:.1f}", reader["found"],
                f"{fts5['median_ms']:.1f}", fts5["found"],
                f"{grep['median_ms']:.0f}", grep["found"],
                f"{grep['median_ms'] / reader['median_ms']:.1f}×", f"{fts5['median_ms'] / reader['median_ms']:.2f}×",
                row["note"],
            ])
        print_table(
            ["query", "kind", "reader ms", "p99", "docs", "fts5 ms", "rows", "grep ms", "files",
             "grep/reader", "fts5/reader", "note"],
            rows, title="Queries (medians; reader p99 over its runs; docs = matches, rows ≤ 200, files = grep -l)",
            left=(0, 1, -1),
        )

    if "real" in report.details:
        rows = []
        for row in report.details["real"]["per_query"]:
            reader, fts5, grep = row["reader"], row["fts5"], row["grep"]
            rows.append([
                row["shape"], row["query"], f"{reader['median_ms']:.1f}", f"{reader['p99_ms']:.1f}", reader["found"],
                f"{fts5['median_ms']:.1f}", fts5["found"], f"{grep['median_ms']:.0f}", grep["found"],
                f"{reader['median_ms'] / fts5['median_ms']:.2f}×", row["suggestion"] or "", row["note"],
            ])
        real = report.details["real"]
        print_table(
            ["shape", "query", "reader ms", "p99", "docs", "fts5 ms", "rows", "grep ms", "files", "reader/fts5",
             "did you mean", "note"],
            rows, left=(0, 1, -2, -1),
            title=f"Real text ({real['documents']} documents, {real['segments']} segment(s); medians)",
        )

    rows = []
    for target in targets:
        if target["status"] == "not measured":
            rows.append([target["id"], "", "", "", "", "not measured", target["what"]])
            continue
        limit = "" if target["limit"] is None else f"{target['op']} {target['limit']:g}"
        rows.append([target["id"], f"{target['ratio']:.2f}", f"{target['ratio_of_worst']:.2f}",
                     target["stat"], limit, target["status"], target["what"]])
    print_table(["target", "ratio", "of worst", "stat", "limit", "result", "what"], rows, left=(0, 3, 5, 6),
                title="Targets (ratio = numerator / denominator, both measured in this run)")
    passed = sum(1 for target in targets if target["passed"] is True)
    failed = sum(1 for target in targets if target["passed"] is False)
    print(f"targets: {passed} pass, {failed} fail; total wall time {total:.0f} s "
          f"({'within' if total <= TIME_LIMIT_S else 'OVER'} the {TIME_LIMIT_S} s budget)")


def main(argv: list[str] | None = None) -> int:
    arguments = parse(argv)
    started = time.perf_counter()
    when = now()
    scratch = None
    if arguments.work is None:
        scratch = tempfile.mkdtemp(prefix="iatse-bench-")
        work = Path(scratch)
    else:
        work = arguments.work
    try:
        report, _generate_seconds = run(arguments, work)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)
    total = time.perf_counter() - started
    targets = [target.evaluate(report.figures) for target in TARGETS]
    print_report(report, targets, total)
    settings = {key: value for key, value in vars(arguments).items() if key not in ("out", "work", "only")}
    payload = {
        "benchmark": "iatse-reader issue 5",
        "when": when,
        "machine": machine(),
        "settings": settings,
        "total_seconds": total,
        "figures": {name: figure.to_json() for name, figure in report.figures.items()},
        "targets": targets,
        "details": report.details,
    }
    write_report(arguments.out, payload)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
