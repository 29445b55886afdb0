"""Helpers shared by the benchmarks: building an index the way the reader does,
timing A/B pairs, statistics, figures and targets, tables and the JSON report."""

from __future__ import annotations

import gc
import json
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from reader.paths import Collection, DataLayout
from reader.workspace import Workspace

REPO = Path(__file__).resolve().parent.parent
OUT_DIR = REPO / "bench" / "out"  # git-ignored


# -- building an index as the reader does ------------------------------------------


@dataclass
class BuiltIndex:
    workspace: Workspace
    documents: int
    build_seconds: float

    @property
    def index(self):  # -> reader.index.DocumentIndex
        return self.workspace.index

    def close(self) -> None:
        self.workspace.index.close()


def open_workspace(root: Path, key: str, data_dir: Path) -> Workspace:
    """A Workspace on *root* (collection *key*) with its data in *data_dir*, as the
    app makes one at start (nothing is opened yet)."""
    return Workspace(Collection(Path(root), key), DataLayout(Path(data_dir)))


def build_index(root: Path, key: str, data_dir: Path) -> BuiltIndex:
    """Open a Workspace on *root* (collection *key*) with its data in *data_dir*
    and bring its index up to date, as ``iatse-reader index`` does."""
    workspace = open_workspace(root, key, data_dir)
    started = time.perf_counter()
    report = workspace.index.update()
    elapsed = time.perf_counter() - started
    if report.busy:
        raise RuntimeError(f"index of {root} is locked by another process")
    return BuiltIndex(workspace, len(report.added) + len(report.updated) + report.unchanged, elapsed)


def folder_size(folder: Path) -> int:
    """Bytes in the files under *folder* (an index's size on disk)."""
    return sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file())


# -- timing -----------------------------------------------------------------------


def timed(function: Callable[[], object]) -> tuple[float, object]:
    """Seconds *function()* took, and what it returned (garbage collected first,
    so one run does not pay for the previous one's garbage)."""
    gc.collect()
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def alternate(
    runs: int, steps: Sequence[tuple[str, Callable[[int], float]]], log: Callable[[str], None] | None = None,
) -> dict[str, list[float]]:
    """Run each step once per round, in turn (A, B, A, B, ...), so that all share
    the machine's noise; each step gets the round number and returns its sample."""
    samples: dict[str, list[float]] = {name: [] for name, _step in steps}
    for round_ in range(runs):
        for name, step in steps:
            value = step(round_)
            samples[name].append(value)
            if log is not None:
                log(f"  run {round_ + 1}/{runs}  {name:<24} {value:10.4g}")
    return samples


def percentile(values: Iterable[float], fraction: float) -> float:
    """Nearest-rank percentile (p90 of 10 values is the 9th smallest; p99 of fewer
    than 100 values is the largest)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def log(message: str) -> None:
    """Progress goes to stderr; the tables go to stdout."""
    print(message, file=sys.stderr, flush=True)


# -- figures and targets -------------------------------------------------------------


@dataclass
class Figure:
    """One measured quantity: its samples and how to read them."""

    label: str
    unit: str  # "s", "ms", "docs/s", "MiB"
    samples: list[float]
    better: str = "lower"  # or "higher": the worst sample is the max or the min
    p99: bool = False  # also report the 99th percentile (latency distributions)
    note: str = ""
    constant: bool = False  # a fixed reference (one frame), not a measurement

    def __post_init__(self) -> None:
        if not self.samples:
            raise ValueError(f"figure {self.label!r} has no samples")

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def worst(self) -> float:
        return max(self.samples) if self.better == "lower" else min(self.samples)

    @property
    def best(self) -> float:
        return min(self.samples) if self.better == "lower" else max(self.samples)

    def stat(self, name: str) -> float:
        if name == "p99":
            return percentile(self.samples, 0.99)
        return {"median": self.median, "worst": self.worst, "best": self.best}[name]

    def to_json(self) -> dict[str, object]:
        summary: dict[str, object] = {
            "label": self.label, "unit": self.unit, "better": self.better, "runs": len(self.samples),
            "median": self.median, "worst": self.worst, "best": self.best,
        }
        if self.p99:
            summary["p99"] = self.stat("p99")
        if self.note:
            summary["note"] = self.note
        if self.constant:
            summary["constant"] = True
        summary["samples"] = list(self.samples)
        return summary


ONE_FRAME_MS = 16.0


def one_frame() -> Figure:
    return Figure("one frame at 60 Hz", "ms", [ONE_FRAME_MS], p99=True, constant=True, note="a fixed reference")


@dataclass
class Target:
    """``figures[numerator].stat / figures[denominator].stat  op  limit``; a limit of
    None makes it a ratio reported for information."""

    id: str
    what: str
    numerator: str
    denominator: str
    op: str  # "<=" or ">="
    limit: float | None
    stat: str = "median"

    def evaluate(self, figures: dict[str, Figure]) -> dict[str, object]:
        result: dict[str, object] = {
            "id": self.id, "what": self.what, "numerator": self.numerator, "denominator": self.denominator,
            "stat": self.stat, "op": self.op, "limit": self.limit,
        }
        if self.numerator not in figures or self.denominator not in figures:
            missing = [name for name in (self.numerator, self.denominator) if name not in figures]
            result.update(status="not measured", missing=missing, passed=None)
            return result
        top, bottom = figures[self.numerator], figures[self.denominator]
        numerator_value, denominator_value = top.stat(self.stat), bottom.stat(self.stat)
        ratio = numerator_value / denominator_value
        # The same ratio with each side's worst run (the spread of a noisy machine).
        worst_ratio = top.stat("worst") / bottom.stat("worst")
        if self.limit is None:
            passed, status = None, "info"
        else:
            passed = ratio <= self.limit if self.op == "<=" else ratio >= self.limit
            status = "pass" if passed else "FAIL"
        result.update(
            numerator_value=numerator_value, denominator_value=denominator_value, ratio=ratio,
            ratio_of_worst=worst_ratio, passed=passed, status=status,
        )
        return result


@dataclass
class Report:
    """What a benchmark run collects: figures by name, targets, per-group details."""

    figures: dict[str, Figure] = field(default_factory=dict)
    details: dict[str, object] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def add(self, name: str, figure: Figure) -> None:
        self.figures[name] = figure


# -- output ---------------------------------------------------------------------------


def format_value(value: float, unit: str) -> str:
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 10 else f"{value:.1f} s"
    if unit == "docs/s":
        return f"{value:.0f} docs/s"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:.3g} {unit}"


def print_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], title: str = "", left: Sequence[int] = (0, -1),
) -> None:
    """A plain-text table: the columns in *left* (default the first and the last,
    text) left-aligned, the others (numbers) right-aligned."""
    rows = [[str(cell) for cell in row] for row in rows]
    widths = [max(len(str(header)), *(len(row[i]) for row in rows)) if rows else len(str(header))
              for i, header in enumerate(headers)]
    lefts = {index % len(headers) for index in left}

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.ljust(widths[i]) if i in lefts else cell.rjust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    if title:
        print(title)
    print(line([str(header) for header in headers]))
    print(line(["-" * width for width in widths]))
    for row in rows:
        print(line(row))
    print()


def machine() -> dict[str, object]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "python": platform.python_version(), "platform": platform.platform(),
        "cpus": os.cpu_count(), "loadavg": list(load) if load else None,
    }


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def write_report(path: Path, payload: dict) -> None:
    """Write a benchmark's figures as JSON (bench/out/ is git-ignored)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
