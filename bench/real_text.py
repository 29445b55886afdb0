"""A corpus of real English prose, cut from text already on the machine.

No downloads: the paragraphs come from, in this order,

1. the English manual pages (``/usr/share/man/man[1-9]``, roff, gzipped or not),
   the requests stripped and the inline escapes dropped;
2. the plain-text documentation of Debian's packages (``/usr/share/doc``:
   READMEs, NEWS, changelogs, copyright files; gzipped or not);
3. Python's own documentation: ``pydoc_data.topics`` (the language reference's
   topics, shipped with every CPython) and the standard library's docstrings.

Sources 1 and 2 exist on a Debian-like machine; 3 on any machine with Python,
so ``--tiny`` (40 documents) works on a clean CI runner.  A paragraph is kept
when it reads as prose (a dozen words or more, mostly words of letters, with
common English words among them: see :func:`is_prose`), once (repeated
licence texts are kept a single time).  Paragraphs are packed, in source order,
into documents of about ``doc_bytes``; each starts with a title line naming its
source.  Same machine, same bytes.

    python -m bench.real_text FOLDER --count 10000
"""

from __future__ import annotations

import argparse
import ast
import gzip
import hashlib
import re
import sys
import sysconfig
from collections.abc import Iterator
from pathlib import Path

MAN_ROOT = Path("/usr/share/man")
DOC_ROOT = Path("/usr/share/doc")
DOCS_PER_FOLDER = 100
_COMMON = frozenset("the a an of to and in is it that for with as on be are this by or not from can".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")

# -- roff ---------------------------------------------------------------------------

# Macros whose arguments are running text (font changes, mdoc's inline macros).
_TEXT_MACROS = frozenset(
    "B I R BR BI IB IR RB RI SM SB Nm Ar Fl Pa Xr Em Sy Dq Ql Va Ev Cm Li Nd Dv Er Fn Fa Ft Op Sq Pq".split()
)
_BREAK_MACROS = frozenset("PP P LP TP IP HP SH SS Sh Ss Pp Bl El Bd Ed It sp br nf fi TH Dt".split())
_ESCAPES = re.compile(
    r"\\(?:f(?:\[[^\]]*\]|\(..|.)|s[-+]?\d+|\*(?:\[[^\]]*\]|\(..|.)|\((..)|\[([^\]]*)\]|[&|^%:cdu]|(.))"
)
_NAMED = {"em": "—", "en": "–", "hy": "-", "lq": "“", "rq": "”", "oq": "‘", "cq": "’", "aq": "'",
          "dq": '"', "bu": "•", "co": "©", "rg": "®", "mi": "-", "ti": "~", "ha": "^", "at": "@"}


def _escape(match: re.Match[str]) -> str:
    named = match.group(1) or match.group(2)
    if named is not None:
        return _NAMED.get(named, "")
    other = match.group(3)
    if other is None:
        return ""
    return {"-": "-", "e": "\\", " ": " ", "~": " ", "0": " ", "'": "'", "`": "`", ".": "."}.get(other, "")


def roff_paragraphs(source: str) -> Iterator[str]:
    """The running text of a manual page, paragraph by paragraph."""
    lines: list[str] = []
    for raw in source.splitlines():
        if raw.startswith((".", "'")):
            parts = raw[1:].split(None, 1)
            macro = parts[0] if parts else ""
            if macro in _TEXT_MACROS and len(parts) > 1:
                lines.append(_ESCAPES.sub(_escape, parts[1].replace('"', "")))
            elif macro in _BREAK_MACROS or macro.startswith("\\\""):
                if lines:
                    yield " ".join(lines)
                    lines = []
            continue
        if not raw.strip():
            if lines:
                yield " ".join(lines)
                lines = []
            continue
        lines.append(_ESCAPES.sub(_escape, raw))
    if lines:
        yield " ".join(lines)


def text_paragraphs(source: str) -> Iterator[str]:
    for block in re.split(r"\n\s*\n", source):
        yield " ".join(block.split())


# -- prose -------------------------------------------------------------------------


def is_prose(paragraph: str) -> bool:
    """A dozen words or more, four in five made of letters, and at least one in
    ten a common English word (code, tables and lists of options fail this)."""
    tokens = paragraph.split()
    if len(tokens) < 12:
        return False
    words = [token for token in tokens if _WORD.fullmatch(token.strip(".,;:!?()\"'"))]
    if len(words) < 0.8 * len(tokens):
        return False
    common = sum(1 for word in words if word.lower().strip(".,;:!?()\"'") in _COMMON)
    return common >= 0.1 * len(tokens)


def _read(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".gz":
        data = gzip.decompress(data)
    return data.decode("utf-8", errors="replace")


def _man_pages() -> Iterator[tuple[str, Iterator[str]]]:
    for section in sorted(MAN_ROOT.glob("man[1-9]")):
        for path in sorted(section.iterdir()):
            if path.is_file():
                name = path.name.removesuffix(".gz")
                stem, _dot, number = name.rpartition(".")
                try:
                    yield f"{stem}({number})", roff_paragraphs(_read(path))
                except (OSError, EOFError, gzip.BadGzipFile):
                    continue


def _package_docs() -> Iterator[tuple[str, Iterator[str]]]:
    if not DOC_ROOT.is_dir():
        return
    for path in sorted(DOC_ROOT.rglob("*")):
        if not path.is_file() or path.suffix not in ("", ".gz", ".txt", ".md", ".Debian", ".rst"):
            continue
        try:
            yield f"{path.parent.name}/{path.name.removesuffix('.gz')}", text_paragraphs(_read(path))
        except (OSError, EOFError, gzip.BadGzipFile):
            continue


def _python_docs() -> Iterator[tuple[str, Iterator[str]]]:
    try:
        from pydoc_data.topics import topics
    except ImportError:  # a Python without its docs
        topics = {}
    for name in sorted(topics):
        yield f"Python reference: {name}", text_paragraphs(topics[name])
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    for path in sorted(stdlib.glob("*.py")):
        try:
            tree = ast.parse(path.read_text(encoding="utf-8"))
        except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
            continue
        docstrings = [ast.get_docstring(node) or "" for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))]
        yield f"Python module {path.stem}", (p for text in docstrings for p in text_paragraphs(text))


def prose(sources: list[str] | None = None) -> Iterator[tuple[str, str]]:
    """(source name, paragraph) of every prose paragraph, each text once."""
    seen: set[bytes] = set()
    makers = {"man": _man_pages, "doc": _package_docs, "python": _python_docs}
    for kind in sources or list(makers):
        for name, paragraphs in makers[kind]():
            for paragraph in paragraphs:
                if not is_prose(paragraph):
                    continue
                digest = hashlib.blake2b(paragraph.encode("utf-8"), digest_size=12).digest()
                if digest in seen:
                    continue
                seen.add(digest)
                yield name, paragraph


def build_corpus(folder: Path, count: int, doc_bytes: int = 2000,
                 sources: list[str] | None = None) -> list[Path]:
    """Write up to *count* documents of about *doc_bytes* of prose under *folder*
    (100 a subfolder); fewer if the machine has less text.  Returns their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    body: list[str] = []
    size, source = 0, ""

    def flush() -> None:
        nonlocal body, size
        number = len(written)
        path = folder / f"part{number // DOCS_PER_FOLDER:03}" / f"doc{number:05}.txt"
        path.parent.mkdir(exist_ok=True)
        title = f"{source}: {' '.join(body[0].split()[:8])}"
        path.write_text(title + "\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
        written.append(path)
        body, size = [], 0

    for name, paragraph in prose(sources):
        if body and name != source and size >= doc_bytes // 2:
            flush()  # a document keeps to one source when it can
        if len(written) >= count:
            break
        source = name if not body else source
        body.append(paragraph)
        size += len(paragraph) + 2
        if size >= doc_bytes:
            flush()
            if len(written) >= count:
                break
    if body and len(written) < count:
        flush()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--doc-bytes", type=int, default=2000)
    arguments = parser.parse_args(argv)
    paths = build_corpus(arguments.folder, arguments.count, arguments.doc_bytes)
    print(f"wrote {len(paths)} documents under {arguments.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
