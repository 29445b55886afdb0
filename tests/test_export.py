"""Notes exported as Markdown and as W3C Web Annotations, and imported back."""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import replace
from pathlib import Path

import pytest

from reader.anchoring import AnchorState
from reader.export import (
    ANNO_CONTEXT,
    NotesImportError,
    beside_document,
    notes_from_jsonld,
    notes_to_jsonld,
    notes_to_markdown,
    read_notes_file,
    write_atomically,
)
from reader.notes import COLOURS, Note, NoteKind, NoteStore
from reader.paths import DataLayout, resolve_collection
from reader.workspace import Workspace

A_TEXT = (
    "Grève générale — 罢工 ✊. The unions are seeking rest periods and increased turnaround "
    "times between shifts.\n\n"
    "# Not a heading\n> not a quote\n- not a list\n[bold]not markup[/bold]\n\n"
    "The strike vote was 99% in favour, and AI was on the table too.\n"
)
B_TEXT = "A second document, about safety on set.\nIt will be deleted.\n"
TRICKY_BODY = "[bold]loud[/bold] \x1b[31mred\x1b[0m\nline two\n\n> a quote in the note\x00 ✊"
BIG_BODY = ("Solidarité ✊ — 100 KB of notes. " * 3200)[:100_000]


def _workspace(root: Path, data_dir: Path) -> Workspace:
    return Workspace(resolve_collection(str(root)), DataLayout(data_dir))


def _passage(workspace: Workspace, rel_path: str, quote: str, body: str, **options) -> Note:
    document = workspace.read(rel_path)
    start = document.text.index(quote)
    return workspace.add_note(document, start, start + len(quote), body, **options)


@pytest.fixture
def source(make_docs, data_dir):
    """A workspace with every kind of note, in every state, and the notes as
    ``all_notes()`` gives them (what an export exports)."""
    root = make_docs({"a.txt": A_TEXT, "sub/b.md": B_TEXT})
    workspace = _workspace(root, data_dir)
    a, b = workspace.read("a.txt"), workspace.read("sub/b.md")
    passage = _passage(workspace, "a.txt", "turnaround", TRICKY_BODY, tags="#Turnaround safety",
                       colour="pink")
    _passage(workspace, "a.txt", "# Not a heading\n> not a quote", "markup in a quote",
             tags="strike", colour="blue")
    _passage(workspace, "a.txt", "Grève générale — 罢工", "", tags="ai", colour="green")  # highlight
    workspace.add_note(a, None, None, BIG_BODY, tags="strike turnaround", colour="purple")
    edited = workspace.notes.update(passage, body=TRICKY_BODY + "\nedited", colour="yellow")
    assert edited.version == 2
    _passage(workspace, "sub/b.md", "safety", "will lose its document")
    workspace.add_note(b, None, None, "about b")
    # The documents change on disk: a.txt gains a first line (its notes move),
    # b.md disappears (its notes keep their old path, "document missing").
    (root / "a.txt").write_text("A new first line.\n" + A_TEXT, encoding="utf-8")
    (root / "sub/b.md").unlink()
    notes = workspace.all_notes()
    states = {note.state for note in notes}
    assert {AnchorState.MOVED, AnchorState.MISSING, AnchorState.OK} <= states, states
    # States re-anchoring would give only with other edits: set them directly.
    base = next(note for note in notes if note.kind == NoteKind.PASSAGE and note.doc_path == "a.txt")
    extra = [
        replace(base, id=str(uuid.uuid4()), state=AnchorState.CHANGED, start=3, end=9, version=7),
        replace(base, id=str(uuid.uuid4()), state=AnchorState.ORPHANED, tags=()),
    ]
    return workspace, [*notes, *extra]


def _by_id(notes):
    return {note.id: note for note in notes}


# -- round trip -----------------------------------------------------------------


def test_jsonld_round_trip_reproduces_every_field(source, tmp_path):
    workspace, notes = source
    assert {note.kind for note in notes} == set(NoteKind)
    assert {note.state for note in notes} >= {AnchorState.OK, AnchorState.MOVED, AnchorState.MISSING}
    text = notes_to_jsonld(notes, {"a.txt": "Document A"})
    imported = notes_from_jsonld(text)
    assert _by_id(imported) == _by_id(notes)  # every field of every note, dataclass equality

    # ... and through a fresh, empty data directory's store.
    fresh = NoteStore(tmp_path / "fresh" / "notes.sqlite3")
    try:
        assert fresh.merge(imported) == (len(notes), 0, 0)
        assert _by_id(fresh.all()) == _by_id(notes)
    finally:
        fresh.close()


def test_jsonld_shape(source):
    workspace, notes = source
    collection = json.loads(notes_to_jsonld(notes, {"a.txt": "Document A"}))
    assert collection["@context"] == ANNO_CONTEXT
    assert collection["type"] == "AnnotationCollection"
    assert collection["total"] == len(notes) == len(collection["first"]["items"])
    assert collection["first"]["type"] == "AnnotationPage"
    items = {item["id"]: item for item in collection["first"]["items"]}
    for note in notes:
        item = items[f"urn:uuid:{note.id}"]
        assert item["type"] == "Annotation"
        assert item["motivation"] == ("highlighting" if note.kind == NoteKind.HIGHLIGHT else "commenting")
        assert (item["created"], item["modified"]) == (note.created, note.updated)
        bodies = item.get("body", [])
        assert [b["value"] for b in bodies if b["purpose"] == "tagging"] == list(note.tags)
        comments = [b for b in bodies if b["purpose"] == "commenting"]
        assert comments == ([{"type": "TextualBody", "purpose": "commenting", "value": note.body,
                              "format": "text/plain"}] if note.body else [])
        target = item["target"]
        assert target["source"] == f"urn:iatse-reader:{note.collection}/{note.doc_path}"
        if note.kind == NoteKind.DOCUMENT:
            assert "selector" not in target
        else:
            assert target["selector"] == [
                {"type": "TextQuoteSelector", "exact": note.quote, "prefix": note.prefix,
                 "suffix": note.suffix},
                {"type": "TextPositionSelector", "start": note.start, "end": note.end},
            ]
        extension = item["iatse-reader"]
        assert extension["state"] == note.state.value and extension["version"] == note.version
        assert extension["originalPosition"] == {"start": note.orig_start, "end": note.orig_end}
    # Same notes, same file: the collection id comes from the content.
    assert notes_to_jsonld(list(reversed(notes)), {"a.txt": "Document A"}) == notes_to_jsonld(
        notes, {"a.txt": "Document A"})


def test_doc_uri_gives_the_source(source):
    workspace, notes = source
    root = workspace.collection.root
    text = notes_to_jsonld(notes, {}, doc_uri=lambda note: (root / note.doc_path).as_uri())
    sources = {item["target"]["source"] for item in json.loads(text)["first"]["items"]}
    assert sources == {(root / "a.txt").as_uri(), (root / "sub/b.md").as_uri()}


def test_deleted_notes_are_not_exported(source):
    workspace, notes = source
    tombstone = replace(notes[0], deleted="2024-01-01T00:00:00+00:00")
    exported = notes_from_jsonld(notes_to_jsonld([tombstone, *notes[1:]], {}))
    assert tombstone.id not in _by_id(exported)
    assert "No notes yet." in notes_to_markdown([tombstone], {})


def test_empty_export_round_trips():
    text = notes_to_jsonld([], {})
    assert json.loads(text)["total"] == 0
    assert notes_from_jsonld(text) == []


def test_single_annotation_page_and_bare_list_are_accepted(source):
    _workspace_, notes = source
    collection = json.loads(notes_to_jsonld(notes, {}))
    items = collection["first"]["items"]
    assert notes_from_jsonld(json.dumps(items)) == notes_from_jsonld(json.dumps(collection))
    assert notes_from_jsonld(json.dumps(items[1])) == [notes_from_jsonld(json.dumps(collection))[1]]
    page = {"@context": ANNO_CONTEXT, **collection["first"]}
    assert len(notes_from_jsonld(json.dumps(page))) == len(notes)


def test_times_in_other_utc_forms_are_normalised():
    note = Note("0b7b8f0e-8b44-4f5e-9b0a-3d9f3f3c2a11", "bundled", "a.txt", "h", "q", "", "", 0, 1,
                "b", AnchorState.OK, "2024-05-01T12:00:00+00:00", "2024-05-02T12:00:00+00:00", 1,
                orig_start=0, orig_end=1)
    item = json.loads(notes_to_jsonld([note], {}))["first"]["items"][0]
    item["modified"] = "2024-05-02T14:00:00+02:00"
    item["created"] = "2024-05-01T12:00:00Z"
    (imported,) = notes_from_jsonld(json.dumps(item))
    assert imported == note


# -- merging ---------------------------------------------------------------------


def test_import_twice_adds_nothing_newer_updates_older_does_not(source, tmp_path):
    workspace, _notes = source
    notes = workspace.notes.all(workspace.collection.key)
    old_file = notes_to_jsonld(notes, {})
    target = NoteStore(tmp_path / "target" / "notes.sqlite3")
    try:
        assert target.merge(notes_from_jsonld(old_file)) == (len(notes), 0, 0)
        assert target.merge(notes_from_jsonld(old_file)) == (0, 0, len(notes))
        assert len(target.all()) == len(notes)

        edited = workspace.notes.update(notes[0], body="edited on the other machine")
        new_file = notes_to_jsonld(workspace.notes.all(workspace.collection.key), {})
        assert target.merge(notes_from_jsonld(new_file)) == (0, 1, len(notes) - 1)
        assert target.get(edited.id) == edited

        assert target.merge(notes_from_jsonld(old_file)) == (0, 0, len(notes))  # older: ignored
        assert target.get(edited.id).body == "edited on the other machine"
        assert len(target.all()) == len(notes)
    finally:
        target.close()


# -- bad files -------------------------------------------------------------------


def _valid_collection() -> dict:
    note = Note("0b7b8f0e-8b44-4f5e-9b0a-3d9f3f3c2a11", "bundled", "a.txt", "h", "turnaround",
                "increased ", " times", 10, 20, "rest", AnchorState.OK,
                "2024-05-01T12:00:00+00:00", "2024-05-01T12:00:00+00:00", 1, tags=("strike",),
                orig_start=10, orig_end=20)
    second = replace(note, id="1c8c9f1f-9c55-4a6f-8c1b-4e0a4a4d3b22", start=30, end=40,
                     orig_start=30, orig_end=40)
    return json.loads(notes_to_jsonld([note, second], {}))


class _Raw(str):
    """The file's whole text, instead of an edit of a valid export."""


def _broken(edit) -> str:
    collection = _valid_collection()
    result = edit(collection)
    return str(result) if isinstance(result, _Raw) else json.dumps(collection)


def _first(collection) -> dict:
    return collection["first"]["items"][0]


def _second(collection) -> dict:
    return collection["first"]["items"][1]


BAD_FILES = {
    "corrupt JSON": (lambda c: _Raw('{"@context": "http://www.w3.org/ns/anno.jsonld",\n  "type": '),
                     r"^not valid JSON: .* at line 2 column \d+$"),
    "empty file": (lambda c: _Raw(""), "the file is empty"),
    "foreign object": (lambda c: _Raw('{"foo": 1}'), r"not an iatse-reader notes export: .*keys foo"),
    "list of numbers": (lambda c: _Raw("[1, 2, 3]"), r"not an iatse-reader notes export: .*whole number"),
    "a string": (lambda c: _Raw('"notes"'), r"not an iatse-reader notes export: .*found a string"),
    "NaN": (lambda c: _Raw('{"total": NaN}'), "NaN is not a JSON number"),
    "other context": (lambda c: c.update({"@context": "https://schema.org"}),
                      "does not include http://www.w3.org/ns/anno.jsonld"),
    "no position selector": (lambda c: _second(c)["target"]["selector"].pop(),
                             r"^first\.items\[1\]\.target\.selector: missing the TextPositionSelector$"),
    "no exact": (lambda c: _second(c)["target"]["selector"][0].pop("exact"),
                 r'^first\.items\[1\]\.target\.selector\[0\]: missing "exact"$'),
    "no selector": (lambda c: _second(c)["target"].pop("selector"),
                    r'^first\.items\[1\]\.target: missing "selector"'),
    "start as text": (lambda c: _second(c)["target"]["selector"][1].update(start="10"),
                      r"first\.items\[1\]\.target\.selector\[1\]\.start: expected a whole number, found a string"),
    "end before start": (lambda c: _second(c)["target"]["selector"][1].update(end=5),
                         r"do not frame a passage"),
    "foreign W3C annotation": (lambda c: _second(c).pop("iatse-reader"),
                               r"^first\.items\[1\]: a W3C annotation not exported by iatse-reader"),
    "version as text": (lambda c: _first(c)["iatse-reader"].update(version="2"),
                        r"first\.items\[0\]\.iatse-reader\.version: expected a whole number"),
    "boolean version": (lambda c: _first(c)["iatse-reader"].update(version=True),
                        r"version: expected a whole number, found true/false"),
    "unknown state": (lambda c: _first(c)["iatse-reader"].update(state="lost"),
                      r"'lost' is not one of ok, moved, changed, orphaned, missing"),
    "unknown colour": (lambda c: _first(c)["iatse-reader"].update(colour="red"),
                       r"first\.items\[0\]: Unknown colour 'red'"),
    "unknown extension field": (lambda c: _first(c)["iatse-reader"].update(future=1),
                                r"unknown field future"),
    "path outside the collection": (lambda c: _first(c)["iatse-reader"].update(docPath="../../etc/passwd"),
                                    r"docPath: not a document path inside a collection"),
    "absolute path": (lambda c: _first(c)["iatse-reader"].update(docPath="/etc/passwd"),
                      r"docPath: not a document path"),
    "not a uuid": (lambda c: _first(c).update(id="urn:uuid:nope"), r"first\.items\[0\]\.id: not a UUID"),
    "http id": (lambda c: _first(c).update(id="http://example.org/anno1"), r"expected urn:uuid:"),
    "duplicate id": (lambda c: _second(c).update(id=_first(c)["id"]), r"first\.items\[1\]: the note .* is also first\.items\[0\]"),
    "bad time": (lambda c: _first(c).update(modified="yesterday"), r"modified: not a date and time"),
    "time without zone": (lambda c: _first(c).update(created="2024-05-01T12:00:00"), r"without a time zone"),
    "empty passage note": (lambda c: _first(c).pop("body"), r"first\.items\[0\]: The note is empty"),
    "motivation mismatch": (lambda c: _first(c).update(motivation="highlighting"),
                            r"'highlighting' does not fit a passage note"),
    "two texts": (lambda c: _first(c)["body"].append(dict(_first(c)["body"][0])),
                  r"body\[2\]: a second commenting body"),
    "tag with spaces": (lambda c: _first(c)["body"][1].update(value="two words"), r"not a tag"),
    "html body": (lambda c: _first(c)["body"][0].update(format="text/html"), r"expected text/plain"),
    "total mismatch": (lambda c: c.update(total=3), r'says "total": 3 but holds 2'),
    "linked page": (lambda c: c.update(first="http://example.org/page1"), r"only a link"),
    "two pages": (lambda c: c["first"].update(next="urn:uuid:x"), r"more than one page"),
    "lone surrogate": (lambda c: _Raw(json.dumps(c).replace('"rest"', '"\\ud800"')), r"lone surrogate"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_bad_files_are_refused_with_one_clear_line(name):
    edit, message = BAD_FILES[name]
    text = _broken(edit)
    with pytest.raises(NotesImportError) as error:
        notes_from_jsonld(text)
    assert "\n" not in str(error.value)
    assert re.search(message, str(error.value)), str(error.value)


def test_valid_collection_helper_is_valid():
    assert len(notes_from_jsonld(json.dumps(_valid_collection()))) == 2


def test_read_notes_file_names_the_file(tmp_path):
    path = tmp_path / "notes.json"
    path.write_bytes(b"\xff\xfe not utf-8")
    with pytest.raises(NotesImportError, match=r"notes\.json: not UTF-8"):
        read_notes_file(path)
    with pytest.raises(NotesImportError, match=r"cannot read .*missing\.json"):
        read_notes_file(tmp_path / "missing.json")
    path.write_text('{"foo": 1}', encoding="utf-8")
    with pytest.raises(NotesImportError, match=r"notes\.json: not an iatse-reader notes export"):
        read_notes_file(path)


# -- Markdown --------------------------------------------------------------------


def _note(quote: str, body: str, **changes) -> Note:
    note = Note(str(uuid.uuid4()), "bundled", "a.txt", "h", quote, "", "", 10, 10 + len(quote), body,
                AnchorState.OK, "2024-05-01T12:00:00+00:00", "2024-05-01T12:00:00+00:00", 1,
                orig_start=10, orig_end=10 + len(quote))
    return replace(note, **changes)


TRICKY_QUOTE = ("# heading\n> x\n- item\n+ plus\n1. one\n===\n    indented code?\n"
                "[bold]markup[/bold] and *stars* and `ticks` and <b>html</b> &amp;\n\nsecond paragraph")


def _quote_blocks(markdown: str) -> list[list[str]]:
    """Runs of consecutive lines starting with '>'."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in markdown.split("\n"):
        if line.startswith(">"):
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    return blocks


def test_markdown_quote_lines_stay_in_the_block_quote():
    markdown = notes_to_markdown([_note(TRICKY_QUOTE, "my note")], {"a.txt": "Doc A"})
    (block,) = _quote_blocks(markdown)
    assert len(block) == TRICKY_QUOTE.count("\n") + 1  # every quote line, blank ones as ">"
    assert all(line == ">" or line.startswith("> ") for line in block)
    assert "> \\# heading" in block and "> \\> x" in block and "> \\- item" in block
    assert "> 1\\. one" in block and "> \\===" in block
    assert any("\\[bold\\]markup\\[/bold\\]" in line for line in block)


def test_markdown_renders_quotes_literally():
    markdown_it = pytest.importorskip("markdown_it")
    notes = [_note(TRICKY_QUOTE, "note one"), _note("[bold]x[/bold]", "note two", start=900, end=914)]
    html = markdown_it.MarkdownIt("commonmark").render(notes_to_markdown(notes, {"a.txt": "Doc A"}))
    quotes = re.findall(r"<blockquote>(.*?)</blockquote>", html, re.S)
    assert len(quotes) == 2
    first = quotes[0]
    for forbidden in ("<h1>", "<h2>", "<ul>", "<ol>", "<pre>", "<code>", "<em>", "<b>", "<blockquote>", "<a "):
        assert forbidden not in first, forbidden
    text = re.sub(r"<[^>]+>", "", first).replace("\u00a0", " ")
    for literal in ("# heading", "&gt; x", "- item", "+ plus", "1. one", "===", "indented code?",
                    "[bold]markup[/bold]", "*stars*", "`ticks`", "&lt;b&gt;html&lt;/b&gt;",
                    "&amp;amp;", "second paragraph"):
        assert literal in text, literal
    assert "[bold]x[/bold]" in quotes[1]


def test_markdown_body_cannot_swallow_the_next_notes():
    markdown_it = pytest.importorskip("markdown_it")
    notes = [
        _note("first", "```python\nnever closed", start=1, end=6),
        _note("second", "<!-- an unclosed comment", start=20, end=26),
        _note("third", "~~~\nalso open", start=40, end=45),
        _note("fourth", "fine", start=60, end=66),
    ]
    html = markdown_it.MarkdownIt("commonmark").render(notes_to_markdown(notes, {}))
    assert len(re.findall(r"<blockquote>", html)) == 4
    assert "characters 60–66" in html
    assert "<pre><code class=\"language-python\">never closed" in html  # the body is still Markdown


def test_markdown_layout_and_details(source):
    workspace, notes = source
    markdown = notes_to_markdown(notes, {"a.txt": "Document A"})
    assert markdown.startswith("# Notes\n")
    assert markdown.index("## Document A") < markdown.index("## sub/b.md")  # by path
    a_section = markdown[markdown.index("## Document A"): markdown.index("## sub/b.md")]
    b_section = markdown[markdown.index("## sub/b.md"):]
    assert "`sub/b.md` — document missing" in b_section
    assert "document missing" in b_section and "document missing" not in a_section
    # Whole-document notes first, then passages in document order.
    assert a_section.index("### About the whole document") < a_section.index("### Passages")
    positions = [a_section.index(text) for text in (
        "Solidarité", "### Passages", "changed · characters 3–9*", "> Grève",
        "#safety · yellow · moved · characters", "> \\# Not a heading")]
    assert positions == sorted(positions)
    assert "(highlight)" in a_section
    assert "*#turnaround #safety · yellow · moved · characters" in a_section
    assert "*#strike #turnaround · purple*" in a_section
    assert "\x1b" not in markdown and "\x00" not in markdown
    assert "␛[31mred" in markdown  # control characters are shown, not obeyed
    assert "[bold]loud[/bold]" in markdown  # a note's own text is written as is


def test_markdown_details_show_changed_and_orphaned():
    markdown = notes_to_markdown(
        [_note("a", "x", state=AnchorState.CHANGED), _note("b", "y", state=AnchorState.ORPHANED,
                                                           start=50, end=51, colour=COLOURS[2])],
        {},
    )
    assert "*yellow · changed · characters 10–11*" in markdown
    assert f"*{COLOURS[2]} · orphaned · characters 50–51*" in markdown


# -- files -----------------------------------------------------------------------


def test_beside_document_names():
    assert beside_document(Path("/d/a.txt")) == Path("/d/a.txt.notes.md")
    assert beside_document(Path("/d/a.txt"), "json") == Path("/d/a.txt.notes.jsonld")


def test_write_atomically_replaces_whole_file_and_leaves_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "out.md"
    write_atomically(target, "first ✊\n")
    assert target.read_text(encoding="utf-8") == "first ✊\n"
    write_atomically(target, "second\n")
    assert target.read_text(encoding="utf-8") == "second\n"

    import reader.export

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reader.export.os, "replace", broken_replace)
    with pytest.raises(OSError):
        write_atomically(target, "third\n")
    assert target.read_text(encoding="utf-8") == "second\n"  # the old file, whole
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out.md"]


def test_the_examples_in_docs_are_current_exports():
    """docs/notes-example.* (written by scripts/export_example.py) still import and
    render: regenerate them when the format changes."""
    docs = Path(__file__).resolve().parent.parent / "docs"
    notes = read_notes_file(docs / "notes-example.jsonld")
    assert {note.kind for note in notes} == set(NoteKind) and {note.colour for note in notes} == set(COLOURS)
    markdown = (docs / "notes-example.md").read_text(encoding="utf-8")
    assert markdown == notes_to_markdown(notes, _titles_in(docs / "notes-example.jsonld"))


def _titles_in(path: Path) -> dict[str, str]:
    items = json.loads(path.read_text(encoding="utf-8"))["first"]["items"]
    return {item["iatse-reader"]["docPath"]: item["iatse-reader"]["title"] for item in items}
