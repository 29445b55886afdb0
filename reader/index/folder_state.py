"""What the start-up check reads without opening Whoosh: the index's newest
generation, from its file names, and the documents folder's listing.

With the folder state of :mod:`reader.manifest` these tell an update that
nothing changed in a directory listing and a small file (see
:meth:`reader.index.document_index.DocumentIndex._unchanged_since_last_update`).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from reader import corpus
from reader.corpus import SkippedFile

_TOC_FILE = re.compile(r"_MAIN_(\d+)\.toc$")  # Whoosh's table of contents, one per generation


def _latest_generation(index_dir: Path) -> int | None:
    """The newest generation of the index in *index_dir* (what Whoosh opens),
    from the file names alone, or None without one."""
    try:
        names = os.listdir(index_dir)
    except OSError:
        return None
    generations = [int(match.group(1)) for name in names if (match := _TOC_FILE.match(name))]
    return max(generations, default=None)


def _folder_listing(root: Path) -> list[tuple[str, int, int]] | None:
    """(path, size, mtime_ns) of the files :func:`corpus.scan` lists, with less
    work per file (no records, no sorting): the start-up check's share of the
    10,000 stat calls.  None on any problem (scan() would report it), so the
    caller falls back to a full update."""
    problems: list[SkippedFile] = []
    listing: list[tuple[str, int, int]] = []
    try:
        for rel_path, _entry, stat in corpus.accepted_documents(root, problems, sort=False):
            listing.append((rel_path, stat.st_size, stat.st_mtime_ns))
    except OSError:
        return None
    return None if problems else listing
