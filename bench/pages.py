"""What page citations add to a search: ``index.search`` alone against the same
search with each hit's pages (``Workspace.with_pages``), as the TUI and
``search --json`` run it.

The corpus: generated ``.txt`` files (bench/corpus_gen.py, ~2 kB, no pages), a
tenth as many paginated ones (20 pages of ~2 kB split by form feeds, as
``pdftotext`` writes) and a fortieth as many 20-page PDFs (bench/format_files.py;
their text comes from the extraction cache the index build filled), indexed
through a Workspace as the reader does.  Each
query runs, in the same rounds (so the three share the machine's noise):

* ``search``: ``index.search(query, limit=200)``, the baseline;
* ``search + pages, cold``: the same plus the page maps from a fresh cache (each
  result's file stat-ed and, if it is plain text, its bytes searched for a form
  feed; the paginated ones decoded);
* ``search + pages, warm``: the page maps already known (typing on, or a re-run).

Read the ratios to the baseline.

    python -m bench.pages [--docs 2000] [--runs 5]      (needs the [test] extras: reportlab)
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as `python bench/pages.py`
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import build_index
from bench.corpus_gen import DEFAULT_SEED, WordModel, generate_corpus

SEARCH_LIMIT = 200  # reader.ui.app.SEARCH_LIMIT (not imported: that pulls in Textual)
PAGES_PER_DOCUMENT = 20
PAGE_BYTES = 2000
QUERIES = ("turnaround", "strike vote", '"rest periods"', "safety OR wages")


def generate_paginated(folder: Path, count: int, seed: int = DEFAULT_SEED) -> None:
    model = WordModel(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        rng = random.Random(f"{seed}-paged-{number}")
        pages = [model.document(rng, PAGE_BYTES) for _page in range(PAGES_PER_DOCUMENT)]
        (folder / f"paged_{number:05d}.txt").write_text("\f".join(pages) + "\f", encoding="utf-8")


def generate_pdfs(folder: Path, count: int, seed: int = DEFAULT_SEED) -> None:
    from bench.format_files import make_pdf, wrap_lines

    model = WordModel(seed)
    for number in range(count):
        rng = random.Random(f"{seed}-pdf-{number}")
        pages = [wrap_lines([model.paragraph(rng) for _paragraph in range(4)])[:40]
                 for _page in range(PAGES_PER_DOCUMENT)]
        make_pdf(folder / f"book_{number:05d}.pdf", pages, title=f"Book {number}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=2000, help="plain documents (a tenth as many paginated)")
    parser.add_argument("--runs", type=int, default=5)
    arguments = parser.parse_args(argv)

    from reader.page_maps import PageMaps

    with tempfile.TemporaryDirectory(prefix="iatse-bench-pages-") as temporary:
        root = Path(temporary) / "docs"
        generate_corpus(root / "plain", arguments.docs)
        generate_paginated(root / "paged", max(arguments.docs // 10, 1))
        generate_pdfs(root / "pdf", max(arguments.docs // 40, 1))
        built = build_index(root, "bench-pages", Path(temporary) / "data")
        workspace, index = built.workspace, built.index
        samples: dict[str, list[float]] = {
            name: [] for name in ("search", "cold", "warm", "cold pages only", "warm pages only")}
        results_per_query: dict[str, int] = {}
        for _round in range(arguments.runs):
            for query in QUERIES:
                started = time.perf_counter()
                results = index.search(query, limit=SEARCH_LIMIT)
                samples["search"].append(time.perf_counter() - started)
                results_per_query[query] = len(results.hits)
                workspace.page_maps = PageMaps(root, workspace.read)  # nothing known
                for state in ("cold", "warm"):
                    started = time.perf_counter()
                    found = index.search(query, limit=SEARCH_LIMIT)
                    searched = time.perf_counter()
                    workspace.with_pages(found)
                    samples[state].append(time.perf_counter() - started)
                    samples[f"{state} pages only"].append(time.perf_counter() - searched)
        built.close()

    base = statistics.median(samples["search"])
    print(f"{arguments.docs} plain + {max(arguments.docs // 10, 1)} paginated documents "
          f"+ {max(arguments.docs // 40, 1)} PDFs; "
          f"results per query: {results_per_query}; {arguments.runs} runs")
    for name, label in (("search", "search"), ("cold", "search + pages, cold"), ("warm", "search + pages, warm"),
                        ("cold pages only", "  of which pages, cold"), ("warm pages only", "  of which pages, warm")):
        median = statistics.median(samples[name])
        print(f"  {label:<22} median {median * 1000:7.1f} ms   ratio {median / base:5.2f}×")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
