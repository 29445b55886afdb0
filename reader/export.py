"""Notes exported as Markdown (for people) or JSON (for scripts)."""

from __future__ import annotations

import json
from itertools import groupby

from reader.notes import Note


def notes_to_markdown(notes: list[Note], titles: dict[str, str]) -> str:
    lines = ["# Notes", ""]
    if not notes:
        lines.append("No notes yet.")
    ordered = sorted(notes, key=lambda note: (note.doc_path, note.start))
    for doc_path, group in groupby(ordered, key=lambda note: note.doc_path):
        lines += [f"## {titles.get(doc_path, doc_path)}", "", f"`{doc_path}`", ""]
        for note in group:
            lines += [f"> {line}" if line else ">" for line in note.quote.splitlines() or [""]]
            state = "" if note.state.value == "ok" else f", {note.state.value}"
            lines += ["", note.body or "(highlight)", "",
                      f"*characters {note.start}–{note.end}{state}, {note.updated}*", ""]
    return "\n".join(lines).rstrip() + "\n"


def notes_to_json(notes: list[Note], titles: dict[str, str]) -> str:
    payload = [
        {
            "id": note.id, "document": note.doc_path, "title": titles.get(note.doc_path, ""),
            "quote": note.quote, "prefix": note.prefix, "suffix": note.suffix,
            "start": note.start, "end": note.end, "text": note.body, "state": note.state.value,
            "document_hash": note.doc_hash, "created": note.created, "updated": note.updated,
        }
        for note in notes
    ]
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
