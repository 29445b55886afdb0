"""A child process for the durability tests: adds notes in a loop and reports each
one on stdout only after ``NoteStore.add`` has returned (i.e. committed).

Usage: ``python note_writer.py DB NAME COUNT [EXPECTED_TOTAL]``.  COUNT 0 means
"until killed".  With EXPECTED_TOTAL, after writing it waits until the store holds
that many notes (the other writers' too) and prints ``seen N``.
"""

from __future__ import annotations

import sys
import time
from itertools import count
from pathlib import Path

from reader.anchoring import make_anchor
from reader.notes import NoteStore

TEXT = "Members voted to authorise a strike over turnaround times and rest periods.\n"


def main() -> int:
    db, name, how_many = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    expected_total = int(sys.argv[4]) if len(sys.argv) > 4 else None
    store = NoteStore(db)
    if store.read_only:
        print(f"read-only: {store.read_only_reason}", flush=True)
        return 1
    anchor = make_anchor(TEXT, TEXT.index("strike"), TEXT.index("strike") + len("strike"))
    numbers = count() if how_many == 0 else range(how_many)
    for number in numbers:
        note = store.add("c", "doc.txt", "hash", anchor, f"{name} note {number}", tags=name)
        print(f"saved {note.id}", flush=True)
    if expected_total is not None:
        deadline = time.monotonic() + 30
        while len(store.all()) < expected_total and time.monotonic() < deadline:
            time.sleep(0.05)
        print("seen " + " ".join(note.id for note in store.all()), flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
