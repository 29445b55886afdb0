"""The benchmark's data: generated once per work folder, deterministically.

    <work>/
      manifest.json        the parameters the data was generated with
      corpus/              N documents of ~2 kB (bench/corpus_gen.py), 100 per subfolder
      big/big.txt          one document of ~M MB, same word model
      big/small.txt        one of ~10 kB, made the same way (the baseline for big.txt)
      data-10k/            the reader's data dir for corpus/ (index built by the build group)
      data-big/            the reader's data dir for big/
      data-bundled/        the reader's data dir for the five bundled documents

A work folder given with ``--work`` is reused when its manifest matches (handy
when measuring one group again); otherwise everything is generated afresh.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import log
from bench.corpus_gen import DEFAULT_SEED, generate_corpus, generate_document

SMALL_DOCUMENT_BYTES = 10_000
BIG_NAME, SMALL_NAME = "big.txt", "small.txt"


@dataclass(frozen=True)
class Parameters:
    docs: int
    doc_bytes: int
    big_bytes: int
    seed: int = DEFAULT_SEED


@dataclass(frozen=True)
class BenchData:
    work: Path
    parameters: Parameters
    generate_seconds: float

    @property
    def corpus(self) -> Path:
        return self.work / "corpus"

    @property
    def corpus_key(self) -> str:
        # The key the CLI gives a --docs folder (its resolved path): the TUI run in
        # tmux with --docs must find the index the benchmark built.
        return str(self.corpus)

    @property
    def big_folder(self) -> Path:
        return self.work / "big"

    @property
    def data_10k(self) -> Path:
        return self.work / "data-10k"

    @property
    def data_big(self) -> Path:
        return self.work / "data-big"

    @property
    def data_bundled(self) -> Path:
        return self.work / "data-bundled"

    def corpus_files(self) -> list[Path]:
        return sorted(self.corpus.rglob("*.txt"))


def prepare(work: Path, parameters: Parameters, workers: int = 2) -> BenchData:
    """Generate the data under *work* (resolved), or reuse it if it was generated
    with the same parameters."""
    work = Path(work).resolve()
    manifest = work / "manifest.json"
    wanted = asdict(parameters)
    try:
        if json.loads(manifest.read_text(encoding="utf-8")) == wanted:
            log(f"reusing the data in {work}")
            return BenchData(work, parameters, 0.0)
    except (OSError, ValueError):
        pass
    if work.exists() and any(work.iterdir()):
        if not manifest.exists():  # never empty a folder the benchmark did not make
            raise SystemExit(f"bench: {work} is not empty and holds no benchmark data (no manifest.json)")
        for child in work.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    work.mkdir(parents=True, exist_ok=True)
    manifest.write_text(json.dumps({"generating": True}), encoding="utf-8")  # ours, even if interrupted
    started = time.perf_counter()
    log(f"generating {parameters.docs} documents of ~{parameters.doc_bytes} bytes "
        f"and one of ~{parameters.big_bytes / 1e6:g} MB in {work} ...")
    generate_corpus(work / "corpus", parameters.docs, parameters.doc_bytes, parameters.seed, workers=workers)
    generate_document(work / "big" / BIG_NAME, parameters.big_bytes, parameters.seed, name="big")
    generate_document(work / "big" / SMALL_NAME, SMALL_DOCUMENT_BYTES, parameters.seed, name="small")
    seconds = time.perf_counter() - started
    manifest.write_text(json.dumps(wanted), encoding="utf-8")
    log(f"generated in {seconds:.1f} s")
    return BenchData(work, parameters, seconds)
