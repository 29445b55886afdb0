"""Helpers shared by the benchmarks: building an index the way the reader does."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from reader.paths import Collection, DataLayout
from reader.workspace import Workspace


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


def build_index(root: Path, key: str, data_dir: Path) -> BuiltIndex:
    """Open a Workspace on *root* (collection *key*) with its data in *data_dir*
    and bring its index up to date, as ``iatse-reader index`` does."""
    workspace = Workspace(Collection(Path(root), key), DataLayout(Path(data_dir)))
    started = time.perf_counter()
    report = workspace.index.update()
    elapsed = time.perf_counter() - started
    if report.busy:
        raise RuntimeError(f"index of {root} is locked by another process")
    return BuiltIndex(workspace, len(report.added) + len(report.updated) + report.unchanged, elapsed)


def write_report(path: Path, payload: dict) -> None:
    """Write a benchmark's figures as JSON (bench/out/ is git-ignored)."""
    import json

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {path}")
