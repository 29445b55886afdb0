"""Write the example exports in docs/: ``python scripts/export_example.py``.

Adds a handful of notes to the bundled documents in a throw-away data directory
(passage notes tagged #turnaround, #strike, #ai, #safety; a highlight; notes on a
whole document; every colour), then runs the real ``iatse-reader notes export``
twice and writes:

* docs/notes-example.md: ``notes export --format markdown``
* docs/notes-example.jsonld: ``notes export --format json`` (W3C Web Annotations)

So that the files change only when the export format does, the notes get fixed
ids and times (derived from their order here) before they are exported.
"""

from __future__ import annotations

import os
import sys
import tempfile
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from reader.cli import main  # noqa: E402
from reader.notes import NoteStore  # noqa: E402
from reader.paths import DOCS_DIR_ENV, DataLayout, resolve_collection  # noqa: E402
from reader.workspace import Workspace  # noqa: E402

OUT = ROOT / "docs"
FIRST_TIME = datetime(2024, 3, 15, 9, 0, tzinfo=UTC)
ID_NAMESPACE = uuid.UUID("6f1d3c2a-5b7e-4c1a-9e2d-8a4b3c2d1e0f")

# (document, quote or None for the whole document, note text ("" = highlight), tags, colour)
NOTES = [
    ("004_d8284c93e39c396c.txt", "seeking rest periods and increased “turnaround” times between shifts",
     "The core demand: time to sleep between shifts. Compare the New Mexico report on "
     "crashes on the drive home after long days.", "#turnaround #safety", "yellow"),
    ("004_d8284c93e39c396c.txt", "a resounding 99% vote to authorize a strike",
     "Strike authorization: **99%**. The producers still showed \"little sign of caving\".",
     "#strike", "pink"),
    ("004_d8284c93e39c396c.txt", None,
     "Variety's account of the talks, the week before the deadline: mostly what the two sides "
     "would *not* say.", "#strike", "purple"),
    ("002_536f3595c117d20e.txt", "car crashes that production crews have got into after long shifts",
     "", "#turnaround #safety", "green"),
    ("002_536f3595c117d20e.txt", "The strike would shut down 7 of the 9 productions in New Mexico",
     "What a strike would mean locally:\n\n- 7 of 9 productions stop\n- 60,000 workers nationally",
     "#strike", "pink"),
    ("001_525fc1980ab55192.txt",
     "the protection of workers' rights in the digital environment, including the use of "
     "generative artificial intelligence (AI)",
     "AI enters the crew contracts' agenda (2024), via the global union federation.", "#ai", "blue"),
    ("001_525fc1980ab55192.txt", "guarantee workers' rights to consent, meaningful participation and "
     "full transparency", "", "#ai", "blue"),
    ("000_e3ada0fd6d1921fa.txt", None,
     "A leaflet from the International Communist Party urging members to vote NO and strike.",
     "#strike", "yellow"),
    ("000_e3ada0fd6d1921fa.txt", "We call this the **class union.**",
     "The document's own Markdown (`**…**`) is kept as text in the quote.", "", "purple"),
    ("003_a46e3e2d94785f42.txt",
     "- are for combative, independent class struggle.\n- are for union democracy as a tool, not an end goal.",
     "A program as a bulleted list; the export shows the dashes, not a Markdown list.",
     "#strike", "green"),
    ("003_a46e3e2d94785f42.txt", "train AI models to replace us",
     "The tech workers' version of the AI fight.", "#ai", "yellow"),
]


def add_notes(workspace: Workspace) -> list:
    notes = []
    for doc_path, quote, text, tags, colour in NOTES:
        document = workspace.read(doc_path)
        if quote is None:
            notes.append(workspace.add_note(document, None, None, text, tags=tags, colour=colour))
            continue
        start = document.text.find(quote)
        if start == -1:
            raise SystemExit(f"{doc_path}: quote not found: {quote!r}")
        notes.append(workspace.add_note(document, start, start + len(quote), text, tags=tags,
                                        colour=colour))
    return notes


def with_fixed_ids_and_times(notes: list) -> list:
    fixed = []
    for number, note in enumerate(notes):
        moment = (FIRST_TIME + timedelta(minutes=7 * number)).isoformat(timespec="seconds")
        fixed.append(replace(note, id=str(uuid.uuid5(ID_NAMESPACE, f"example-note-{number}")),
                             created=moment, updated=moment))
    return fixed


def main_() -> None:
    os.environ.pop(DOCS_DIR_ENV, None)  # the bundled collection
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="iatse-reader-example-") as temporary:
        scratch = DataLayout(Path(temporary) / "scratch")
        workspace = Workspace(resolve_collection(None), scratch)
        notes = add_notes(workspace)
        workspace.notes.close()

        data_dir = Path(temporary) / "data"
        store = NoteStore(DataLayout(data_dir).notes_db)
        store.merge(with_fixed_ids_and_times(notes))
        store.close()

        for format_, name in (("markdown", "notes-example.md"), ("json", "notes-example.jsonld")):
            code = main(["notes", "export", "--format", format_, "-o", str(OUT / name),
                         "--data-dir", str(data_dir)])
            if code != 0:
                raise SystemExit(code)


if __name__ == "__main__":
    main_()
