"""Indexing a text of many distinct words, against ordinary prose of the same size.

Issue 13: a 2.2 MB single line of 300,000 distinct words took 14.6 s to index.
What costs is the number of distinct terms (each is a posting list of its own in
two fields), not the single line: this benchmark indexes

  distinct  one line of N distinct generated words (default 300,000, ~2.2 MB)
  prose     a document of the same size from the benchmark's word model

each into a fresh index, interleaved (A, B, A, B, ...) so they share the noise,
and reports the medians of the process CPU time and of the wall time, and the
ratio distinct/prose.  CPU time is the figure to read on a shared machine.

    python -m bench.distinct_words [--words 300000] [--runs 3]

Writes bench/out/distinct_words.json.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import string
import sys
import tempfile
import time
from pathlib import Path

from bench.corpus_gen import generate_document
from reader.index import DocumentIndex

OUT_FILE = Path(__file__).resolve().parent / "out" / "distinct_words.json"


def distinct_words(count: int, seed: int = 7) -> str:
    """*count* distinct lower-case words of 4-9 letters, on one line."""
    rng = random.Random(seed)
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(4, 9))))
    ordered = sorted(words)
    rng.shuffle(ordered)
    return " ".join(ordered)


def index_once(folder: Path, scratch: Path) -> tuple[float, float]:
    """(CPU seconds, wall seconds) to build a fresh index of *folder*."""
    target = Path(tempfile.mkdtemp(dir=scratch))
    document_index = DocumentIndex(target / "index", folder, "bench")
    cpu, wall = time.process_time(), time.perf_counter()
    report = document_index.update()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    document_index.close()
    shutil.rmtree(target, ignore_errors=True)
    assert len(report.added) == 1, report.summary()
    return cpu, wall


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.distinct_words", description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=300_000, help="distinct words in the one-line text")
    parser.add_argument("--runs", type=int, default=3, help="builds of each document, interleaved")
    parser.add_argument("--out", type=Path, default=OUT_FILE)
    arguments = parser.parse_args(argv)
    scratch = Path(tempfile.mkdtemp(prefix="bench-distinct-"))
    try:
        distinct = scratch / "distinct"
        distinct.mkdir()
        (distinct / "words.txt").write_text(distinct_words(arguments.words), encoding="utf-8")
        size = (distinct / "words.txt").stat().st_size
        prose = scratch / "prose"
        generate_document(prose / "prose.txt", size, name="prose")
        samples: dict[str, list[tuple[float, float]]] = {"distinct": [], "prose": []}
        for _ in range(arguments.runs):
            for name, folder in (("distinct", distinct), ("prose", prose)):
                samples[name].append(index_once(folder, scratch))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    medians = {name: (statistics.median(cpu for cpu, _ in runs), statistics.median(wall for _, wall in runs))
               for name, runs in samples.items()}
    ratio = medians["distinct"][0] / medians["prose"][0]
    print(f"{'document':10} {'CPU s (median)':>15} {'wall s (median)':>16}")
    for name, (cpu, wall) in medians.items():
        print(f"{name:10} {cpu:15.2f} {wall:16.2f}")
    print(f"ratio distinct/prose (CPU): {ratio:.1f}x  ({arguments.words:,} distinct words, {size:,} bytes)")
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps({
        "benchmark": "distinct_words", "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "settings": {"words": arguments.words, "bytes": size, "runs": arguments.runs},
        "median_cpu_s": {name: cpu for name, (cpu, _) in medians.items()},
        "median_wall_s": {name: wall for name, (_, wall) in medians.items()},
        "ratio_distinct_to_prose_cpu": ratio, "samples": samples,
    }, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
