"""A deterministic synthetic corpus for benchmarks (no downloads).

The word model: a fixed vocabulary of a few thousand made-up words (built from
syllables by a seeded ``random.Random``), drawn with Zipf-like weights (the
word of rank r has weight 1/r**1.1), plus a sprinkling of real domain words
(strike, turnaround, negotiations, ...) so that benchmark queries find
something.  Sentences of 5-18 words make paragraphs of 2-6 sentences, wrapped
at 80 characters; each document opens with a title line.  The same seed, count
and size give byte-for-byte the same files.

    generate_corpus(folder, 2000)     # 2,000 ~2 kB .txt files, 100 per subfolder
    generate_document(path, 10_000_000)   # one ~10 MB document
    python -m bench.corpus_gen FOLDER [--count N] [--size BYTES] [--seed S]
"""

from __future__ import annotations

import argparse
import itertools
import random
import textwrap
from pathlib import Path

DEFAULT_SEED = 20211004
VOCABULARY_SIZE = 3000
FILES_PER_FOLDER = 100
WRAP_WIDTH = 80
DOMAIN_RATE = 0.04  # share of words that are real domain words

DOMAIN_WORDS = (
    "strike", "strikes", "striking", "turnaround", "negotiations", "negotiate", "negotiator",
    "safety", "AMPTP", "IATSE", "union", "unions", "wages", "wage", "vote", "rest", "periods",
    "crew", "contract", "producers", "studios", "picket", "solidarity", "workers", "hours",
    "Hutchins", "streaming", "residuals", "bargaining", "leadership",
)
_ONSETS = ("b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "z",
           "br", "ch", "dr", "gl", "pl", "sh", "st", "th", "tr")
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ea", "io", "ou")
_CODAS = ("", "", "", "n", "r", "s", "t", "l", "m", "nd", "st", "ck")


def make_vocabulary(seed: int = DEFAULT_SEED, size: int = VOCABULARY_SIZE) -> list[str]:
    """*size* distinct synthetic words, most frequent first."""
    rng = random.Random(f"vocabulary-{seed}")
    words: list[str] = []
    seen: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((1, 2, 2, 2, 3, 3, 4))
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables))
        if word not in seen:
            seen.add(word)
            words.append(word)
    # Short words are the frequent ones, as in real text.
    words.sort(key=len)
    return words


class WordModel:
    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self.vocabulary = make_vocabulary(seed)
        weights = [1.0 / (rank ** 1.1) for rank in range(1, len(self.vocabulary) + 1)]
        self._cumulative = list(itertools.accumulate(weights))

    def word(self, rng: random.Random) -> str:
        if rng.random() < DOMAIN_RATE:
            return rng.choice(DOMAIN_WORDS)
        return rng.choices(self.vocabulary, cum_weights=self._cumulative, k=1)[0]

    def sentence(self, rng: random.Random) -> str:
        words = [self.word(rng) for _ in range(rng.randint(5, 18))]
        words[0] = words[0][:1].upper() + words[0][1:]
        if len(words) > 8 and rng.random() < 0.4:
            words[rng.randint(2, len(words) - 3)] += ","
        return " ".join(words) + rng.choice((".", ".", ".", "!", "?"))

    def paragraph(self, rng: random.Random) -> str:
        text = " ".join(self.sentence(rng) for _ in range(rng.randint(2, 6)))
        return textwrap.fill(text, width=WRAP_WIDTH)

    def document(self, rng: random.Random, size_bytes: int) -> str:
        title = " ".join(self.word(rng) for _ in range(rng.randint(3, 8)))
        parts = [title[:1].upper() + title[1:]]
        length = len(parts[0])
        while length < size_bytes:
            paragraph = self.paragraph(rng)
            parts.append(paragraph)
            length += len(paragraph) + 2
        return "\n\n".join(parts) + "\n"


def corpus_path(folder: Path, number: int) -> Path:
    """Where :func:`generate_corpus` writes file *number*."""
    return Path(folder) / f"part_{number // FILES_PER_FOLDER:03d}" / f"doc_{number:05d}.txt"


def _generate_files(folder: Path, numbers: range, size_bytes: int, seed: int) -> list[Path]:
    model = WordModel(seed)
    paths: list[Path] = []
    for number in numbers:
        rng = random.Random(f"{seed}-{number}")  # each file independent of the count
        path = corpus_path(folder, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(model.document(rng, size_bytes), encoding="utf-8")
        paths.append(path)
    return paths


def generate_corpus(
    folder: Path, count: int, size_bytes: int = 2000, seed: int = DEFAULT_SEED, workers: int = 1,
) -> list[Path]:
    """Write *count* ``.txt`` files of about *size_bytes* each under *folder*,
    ``FILES_PER_FOLDER`` per subfolder; returns their paths.  Deterministic: each
    file depends only on the seed and its number, so ``workers`` processes write
    the same bytes as one."""
    folder = Path(folder)
    if workers <= 1 or count < 2 * FILES_PER_FOLDER:
        return _generate_files(folder, range(count), size_bytes, seed)
    from concurrent.futures import ProcessPoolExecutor

    step = max(FILES_PER_FOLDER, -(-count // (4 * workers)))
    chunks = [range(start, min(count, start + step)) for start in range(0, count, step)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        parts = pool.map(_generate_files, [folder] * len(chunks), chunks,
                         [size_bytes] * len(chunks), [seed] * len(chunks))
        return [path for part in parts for path in part]


def generate_document(path: Path, size_bytes: int, seed: int = DEFAULT_SEED, name: str = "") -> Path:
    """One document of about *size_bytes* made by the same word model as the corpus
    (a 10 MB book-length one, or a 10 kB one to compare it with); *name* picks its
    own random stream, so documents of different names differ.  Deterministic."""
    path = Path(path)
    rng = random.Random(f"{seed}-document-{name or path.stem}-{size_bytes}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(WordModel(seed).document(rng, size_bytes), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--size", type=int, default=2000, help="approximate bytes per file")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--workers", type=int, default=1, help="processes (same bytes whatever the number)")
    arguments = parser.parse_args(argv)
    paths = generate_corpus(arguments.folder, arguments.count, arguments.size, arguments.seed, arguments.workers)
    print(f"wrote {len(paths)} files under {arguments.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
