"""The command line: a thin shell over the core.

Exit codes: 0 success (``search``: results found), 1 ``search`` found nothing,
2 a bad query or bad arguments, or (``notes``) a document or file that cannot be
read or written, an invalid import file, or notes that cannot be saved (a
one-line message on stderr; a failed import imports nothing).
The TUI is imported only when it is opened, so ``iatse-reader search`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import asdict
from pathlib import Path

from reader import __version__
from reader.paths import DataLayout, resolve_collection, resolve_data_dir

EXIT_OK, EXIT_NOTHING_FOUND, EXIT_USAGE = 0, 1, 2


def _add_location_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    # On subcommands the defaults are suppressed so a value given before the
    # subcommand is not overwritten by the subcommand's default.
    default = None if top_level else argparse.SUPPRESS
    parser.add_argument(
        "--docs", metavar="DIR", default=default,
        help="folder of documents (text, Markdown, PDF, web pages, EPUB, Word, OpenDocument, RTF), "
        "read recursively; `iatse-reader DIR` says the same (env IATSE_READER_DOCS; "
        "default: the bundled IATSE collection)",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default,
        help="where the index and notes live (env IATSE_READER_DATA_DIR; "
        "default: the platform's user data dir)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="iatse-reader",
        description="Read, search and annotate a collection of labour documents. "
        "With no command, opens the terminal reader; `iatse-reader DIR` opens it on the "
        "documents in DIR (the same as --docs DIR, and a command may follow: "
        "`iatse-reader DIR search QUERY`).",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config", metavar="FILE", default=None,
        help="the reader's config.toml: key bindings and reading measure (env IATSE_READER_CONFIG; "
        "default: config.toml in the platform's user config dir)",
    )
    _add_location_options(parser, top_level=True)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    search = commands.add_parser(
        "search", help="search the documents and print ranked results",
        description="Search with Whoosh query syntax: words (all must match), OR, NOT or "
        '-word, "phrases" ("rest periods"~3 for slop), wild*, fuzzy~ / fuzzy~2, and the '
        "fields title:, source:, note:. --json prints {query, total, suggestion, results}, "
        "each result with its match spans ([start, end] offsets in the document text). "
        "Exit 0 with results, 1 with none, 2 on a bad query.",
    )
    search.add_argument("query", help="the query (quote it for the shell)")
    search.add_argument("--limit", type=_positive_int, default=10, help="most results to show (default 10)")
    search.add_argument("--json", action="store_true", help="print JSON for scripts")
    _add_location_options(search, top_level=False)

    index = commands.add_parser("index", help="bring the search index up to date and say what changed")
    index.add_argument("--rebuild", action="store_true", help="delete the index and build it anew")
    index.add_argument("--verbose", "-v", action="store_true",
                       help="also name the encoding each added or updated document was read in")
    _add_location_options(index, top_level=False)

    notes = commands.add_parser(
        "notes", help="list, add, export and import notes",
        description="Notes are re-attached to the documents as they are on disk before they are "
        "listed or exported. Exit 0 on success, 2 on bad arguments, an unreadable or invalid "
        "file, or notes that cannot be saved (one line on stderr).",
    )
    _add_location_options(notes, top_level=False)
    notes_commands = notes.add_subparsers(dest="notes_command", metavar="NOTES_COMMAND", required=True)
    notes_list = notes_commands.add_parser(
        "list", help="list the notes of this collection",
        description="List the notes of this collection with their kind, state and tags. --json "
        "prints a list of objects with id, collection, doc_path, title, kind, quote, prefix, "
        "suffix, start, end (current offsets), orig_start, orig_end (as made), state, body, "
        "tags, colour, created, updated, version and doc_hash.",
    )
    notes_list.add_argument("--json", action="store_true", help="print JSON for scripts")
    _add_location_options(notes_list, top_level=False)
    notes_add = notes_commands.add_parser(
        "add", help="add a note on the first occurrence of a passage, or on a whole document",
        description="Without --quote the note is about the whole document; with --quote and "
        "no (or empty) --text it is a highlight.",
    )
    notes_add.add_argument("--doc", required=True, metavar="PATH", help="document path, relative to the documents folder")
    notes_add.add_argument("--quote", metavar="TEXT", help="the passage, exactly as in the document (its first occurrence is used); omit for a note on the whole document")
    notes_add.add_argument("--text", default="", metavar="NOTE", help="the note; empty or omitted with --quote: a highlight")
    notes_add.add_argument("--tags", default="", metavar="TAGS", help='tags, e.g. "#strike #safety" or strike,safety')
    notes_add.add_argument("--colour", "--color", dest="colour", default="yellow", metavar="COLOUR",
                           help="yellow, green, blue, pink or purple (default yellow)")
    _add_location_options(notes_add, top_level=False)
    notes_export = notes_commands.add_parser(
        "export", help="export the notes as Markdown or W3C Web Annotations (JSON-LD)",
        description="Export this collection's notes: markdown for people, json for a W3C Web "
        "Annotation collection (JSON-LD) that `notes import` reads back. Without --doc the "
        "export goes to stdout; with --doc only that document's notes are exported, by default "
        "into <document>.notes.md (or .notes.jsonld) beside the document. -o - is stdout. "
        "Files are replaced whole, never half-written.",
    )
    notes_export.add_argument("--format", choices=("markdown", "json"), default="markdown")
    notes_export.add_argument("-o", "--output", metavar="FILE", help="write to FILE (- for stdout)")
    notes_export.add_argument("--doc", metavar="PATH", help="only this document's notes (path relative to the documents folder)")
    _add_location_options(notes_export, top_level=False)
    notes_import = notes_commands.add_parser(
        "import", help="import notes from a JSON export",
        description="Import the notes in a file written by `notes export --format json`, all or "
        "nothing: new notes are added, notes already here are replaced only by a newer copy. "
        "Notes of other collections are imported too (they show there).",
    )
    notes_import.add_argument("file", metavar="FILE.json", help="the export to import")
    _add_location_options(notes_import, top_level=False)
    return parser


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _fail(message: str, code: int = EXIT_USAGE) -> int:
    print(f"iatse-reader: {message}", file=sys.stderr)
    return code


def _workspace(arguments: argparse.Namespace):  # -> Workspace, imported lazily
    from reader.workspace import Workspace

    collection = resolve_collection(getattr(arguments, "docs", None))
    layout = DataLayout(resolve_data_dir(getattr(arguments, "data_dir", None)))
    return Workspace(collection, layout)


def _check_collection(workspace) -> str | None:
    root = workspace.collection.root
    if not root.is_dir():
        return f"documents folder not found: {root}"
    return None


def _run_search(arguments: argparse.Namespace) -> int:
    from reader.index import IndexUnavailable, QueryError
    from reader.page_maps import hits_pages_label

    workspace = _workspace(arguments)
    if problem := _check_collection(workspace):
        return _fail(problem)
    try:
        document_index = workspace.index
        document_index.check_query(arguments.query)
        report = document_index.update()
    except QueryError as error:
        return _fail(str(error))
    except IndexUnavailable as error:
        return _fail(str(error))
    if workspace.index_warning:
        print(f"iatse-reader: {workspace.index_warning}", file=sys.stderr)
    if report.rebuilt_because and not arguments.json:
        print(f"iatse-reader: index: {report.rebuilt_because}", file=sys.stderr)
    results = workspace.with_pages(document_index.search(arguments.query, limit=arguments.limit))
    if arguments.json:
        payload = {
            "query": results.query,
            "total": results.total,
            "suggestion": results.suggestion,
            "results": [
                {
                    "path": hit.rel_path, "title": hit.title, "score": round(hit.score, 4),
                    "hits": hit.hits, "snippet": hit.snippet, "source": hit.source,
                    "date": hit.date, "spans": [list(span) for span in hit.spans], "pages": hit.pages,
                    "note_hits": hit.note_hits, "via_notes": hit.via_notes,
                }
                for hit in results.hits
            ],
        }
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif not results.hits:
        print(f"No documents match {arguments.query!r}.")
        if results.suggestion:
            print(f"Did you mean: {results.suggestion}")
    else:
        from reader.display import display_line  # a tab or an escape in a title is not obeyed

        for rank, hit in enumerate(results.hits, start=1):
            hits = f"{hit.hits} hit{'s' if hit.hits != 1 else ''}"
            print(f"{rank}. {display_line(hit.title)}")
            on_pages = f"  {hits_pages_label(hit.pages)}" if hit.pages else ""
            print(f"   {display_line(hit.rel_path)}  score {hit.score:.2f}  {hits}{on_pages}")
            if hit.snippet:
                print(f"   {'✎ note: ' if hit.via_notes else ''}{display_line(hit.snippet)}")
        if results.suggestion:
            print(f"Did you mean: {results.suggestion}")
    return EXIT_OK if results.hits else EXIT_NOTHING_FOUND


def _run_index(arguments: argparse.Namespace) -> int:
    from reader.display import display_line
    from reader.index import IndexUnavailable

    workspace = _workspace(arguments)
    if problem := _check_collection(workspace):
        return _fail(problem)
    try:
        report = workspace.index.update(rebuild=arguments.rebuild)
        workspace.index.wait_for_merge()  # the index this command leaves is merged
    except IndexUnavailable as error:
        return _fail(str(error))
    if workspace.index_warning:
        print(f"warning: {workspace.index_warning}")
    if report.rebuilt_because:
        print(f"index: {report.rebuilt_because}")
    if report.busy:
        print("index: another iatse-reader is updating this index; nothing written")
    for label, paths in (("added", report.added), ("updated", report.updated), ("removed", report.removed)):
        for path in paths:
            encoding = f" ({_encoding_of(workspace, path)})" if arguments.verbose and label != "removed" else ""
            print(f"{label}: {display_line(path)}{encoding}")
    for skipped in report.skipped:
        print(f"skipped: {display_line(skipped.rel_path)} ({display_line(skipped.reason)})")
    print(report.summary())
    if not (report.added or report.updated or report.unchanged):
        print(f"note: no readable documents (text, PDF, web page, EPUB, Word, OpenDocument, RTF) in "
              f"{workspace.collection.root}")
    return EXIT_OK


def _encoding_of(workspace, rel_path: str) -> str:
    from reader.corpus import UnreadableDocument

    try:
        document = workspace.read(rel_path)
    except UnreadableDocument as error:  # changed since it was indexed
        return str(error)
    return document.encoding or f"extracted from {document.kind}"


def _note_payload(note, title: str, pages: tuple[int, int] | None) -> dict[str, object]:
    payload = asdict(note)
    del payload["deleted"]  # listed notes are never deleted
    payload["state"] = note.state.value
    payload["title"] = title
    payload["page"] = pages[0] if pages else None  # where the passage starts; None: no pages
    return payload


class _OutsideTheFolder(Exception):
    pass


def _doc_rel_path(workspace, value: str) -> str:
    """A --doc value as a path relative to the documents folder (relative to it,
    or absolute inside it; ``./`` and ``..`` are resolved).  Raises
    :class:`_OutsideTheFolder` for a path that leaves the folder, by ``..``, by
    being elsewhere, or by a link to a file elsewhere: no command reads or writes
    outside the collection."""
    from reader.corpus import UnreadableDocument, resolve_inside

    root = workspace.collection.root
    path = Path(value).expanduser()
    candidate = path if path.is_absolute() else root / path
    relative = None
    for inside, folder in ((os.path.normpath(candidate), os.path.normpath(root)),
                           (os.path.realpath(candidate), os.path.realpath(root))):
        with suppress(ValueError):
            relative = Path(inside).relative_to(folder).as_posix()
            break
    if relative is None or relative == ".":
        raise _OutsideTheFolder(f"{value}: outside the documents folder {root}")
    try:
        resolve_inside(root, relative)  # a link in the folder to a file elsewhere
    except UnreadableDocument:
        raise _OutsideTheFolder(f"{value}: outside the documents folder {root}") from None
    return relative


def _titles(workspace, notes) -> dict[str, str]:
    """Titles of the documents the notes are on (documents that are gone have none)."""
    from reader.anchoring import AnchorState
    from reader.corpus import UnreadableDocument

    titles: dict[str, str] = {}
    for doc_path in sorted({note.doc_path for note in notes if note.state != AnchorState.MISSING}):
        with suppress(UnreadableDocument):
            titles[doc_path] = workspace.read(doc_path).title
    return titles


def _run_notes(arguments: argparse.Namespace) -> int:
    workspace = _workspace(arguments)
    handler = {"add": _run_notes_add, "list": _run_notes_list, "export": _run_notes_export,
               "import": _run_notes_import}[arguments.notes_command]
    return handler(workspace, arguments)


def _run_notes_add(workspace, arguments: argparse.Namespace) -> int:
    from reader.corpus import UnreadableDocument
    from reader.notes import NotesError
    from reader.page_maps import page_label, passage_pages

    try:
        rel_path = _doc_rel_path(workspace, arguments.doc)
    except _OutsideTheFolder as error:
        return _fail(str(error))
    try:
        document = workspace.read(rel_path)
    except UnreadableDocument as error:
        return _fail(f"{arguments.doc}: {error}")
    start = end = None
    if arguments.quote is not None:
        if not arguments.quote:
            return _fail("--quote is empty; leave it out for a note on the whole document")
        start = document.text.find(arguments.quote)
        if start == -1:
            return _fail(f"the passage {arguments.quote!r} is not in {arguments.doc}")
        end = start + len(arguments.quote)
    try:
        note = workspace.add_note(document, start, end, arguments.text, tags=arguments.tags,
                                  colour=arguments.colour)
    except NotesError as error:
        return _fail(str(error))
    where = "the whole document" if start is None else f"{note.start}-{note.end}"
    pages = passage_pages(document.pages, note.start, note.end) if start is not None else None
    if pages is not None:
        where += f" ({page_label(pages)})"
    print(f"added {note.kind.value} note {note.id} on {document.rel_path} at {where}")
    return EXIT_OK


def _run_notes_list(workspace, arguments: argparse.Namespace) -> int:
    from reader.export import document_order
    from reader.notes import NoteKind
    from reader.page_maps import page_label

    notes = sorted(workspace.all_notes(), key=document_order)
    titles = _titles(workspace, notes)
    pages = workspace.note_pages(notes)
    if arguments.json:
        payload = [_note_payload(note, titles.get(note.doc_path, ""), pages.get(note.id)) for note in notes]
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif not notes:
        print("No notes yet.")
    else:
        for note in notes:
            details = [note.kind.value if note.kind != NoteKind.DOCUMENT else "whole document"]
            if note.state.value != "ok":
                details.append(note.state.label)
            if note.tags:
                details.append(" ".join(f"#{tag}" for tag in note.tags))
            details.append(note.colour)
            if note.id in pages:
                details.append(page_label(pages[note.id]))
            where = note.doc_path if note.kind == NoteKind.DOCUMENT else (
                f"{note.doc_path}:{note.start}-{note.end}"
            )
            print(f"{_one_line(where, 200)}  [{_one_line(' · '.join(details), 200)}]")
            if note.kind != NoteKind.DOCUMENT:
                print(f"    “{_one_line(note.quote, 60)}”")
            print(f"    {_one_line(note.body, 100) if note.body.strip() else '(highlight)'}")
    if workspace.notes.read_only_reason:
        print(f"iatse-reader: notes are read-only: {workspace.notes.read_only_reason}", file=sys.stderr)
    return EXIT_OK


def _bundled_inside_package(workspace) -> bool:
    import reader

    return workspace.collection.is_bundled and workspace.collection.root.resolve() == (
        Path(reader.__file__).resolve().parent / "documents"
    )


def _run_notes_export(workspace, arguments: argparse.Namespace) -> int:
    from reader.corpus import UnreadableDocument
    from reader.export import beside_document, notes_to_jsonld, notes_to_markdown, write_atomically

    notes = workspace.all_notes()
    output_path = arguments.output
    beside = False
    if arguments.doc:
        try:
            rel_path = _doc_rel_path(workspace, arguments.doc)
        except _OutsideTheFolder as error:
            return _fail(str(error))
        notes = [note for note in notes if note.doc_path == rel_path]
        try:
            document = workspace.read(rel_path)
        except UnreadableDocument as error:
            if not notes:
                return _fail(f"{arguments.doc}: {error}")
            document = None
        if output_path is None:
            if document is None:
                return _fail(f"{rel_path} is no longer in {workspace.collection.root}, so its "
                             "notes cannot be saved beside it; use -o FILE (or -o - to print them)")
            if _bundled_inside_package(workspace):
                return _fail("the bundled documents live inside the installed package, where a "
                             "file would be lost on reinstalling; use -o FILE (or -o - to print)")
            output_path = str(beside_document(document.path, arguments.format))
            beside = True
    titles = _titles(workspace, notes)
    if arguments.format == "json":
        def doc_uri(note):  # the bundled documents move with the package: no file:// URI
            if workspace.collection.is_bundled or note.collection != workspace.collection.key:
                return None
            return (workspace.collection.root / note.doc_path).as_uri()

        output = notes_to_jsonld(notes, titles, doc_uri=doc_uri, pages=workspace.note_pages(notes))
    else:
        output = notes_to_markdown(notes, titles, pages=workspace.note_pages(notes))
    if output_path is None or output_path == "-":
        sys.stdout.write(output)
        return EXIT_OK
    try:
        write_atomically(Path(output_path), output)
    except OSError as error:
        reason = error.strerror or str(error)
        if beside:
            return _fail(f"cannot write {output_path} beside the document ({reason}); "
                         "choose another place with -o FILE")
        return _fail(f"cannot write {output_path}: {reason}")
    print(f"wrote {len(notes)} note{'s' if len(notes) != 1 else ''} to {output_path}")
    return EXIT_OK


def _run_notes_import(workspace, arguments: argparse.Namespace) -> int:
    from reader.export import read_notes_file
    from reader.notes import NotesError

    try:
        notes = read_notes_file(Path(arguments.file))
    except NotesError as error:
        return _fail(f"{error}; nothing was imported")
    if workspace.notes.read_only_reason:
        return _fail(f"notes are read-only: {workspace.notes.read_only_reason}; nothing was imported")
    try:
        added, updated, unchanged = workspace.notes.merge(notes)
    except NotesError as error:
        return _fail(f"{error} Nothing was imported.")
    print(f"imported {added} new, {updated} updated, {unchanged} unchanged")
    elsewhere = sorted({note.collection for note in notes} - {workspace.collection.key})
    if elsewhere:
        count = sum(note.collection in elsewhere for note in notes)
        names = ", ".join(elsewhere)
        print(f"{count} of them belong to other collections ({names}); they show when the reader "
              "opens those documents (--docs DIR, or the bundled collection without it)")
    return EXIT_OK


def _one_line(text: str, width: int) -> str:
    from reader.corpus import clean_text  # control characters shown, never obeyed

    flat = " ".join(clean_text(text).split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _run_tui(arguments: argparse.Namespace) -> int:
    workspace = _workspace(arguments)
    if problem := _check_collection(workspace):
        return _fail(problem)
    from reader.ui.app import ReaderApp
    from reader.ui.keymap import load_app_config

    ReaderApp(workspace, load_app_config(arguments.config)).run()
    return EXIT_OK


_SEARCH_OPTIONS = {"--limit", "--json", "--docs", "--data-dir", "-h", "--help"}


def _protect_negated_query(argv: list[str]) -> list[str]:
    """`search -strike` means the query "-strike" (NOT strike), not an option:
    move a search argument that starts with '-' and is no option behind `--`."""
    if "search" not in argv or "--" in argv:
        return argv
    position = argv.index("search") + 1
    for index_, argument in enumerate(argv[position:], start=position):
        option = argument.split("=", 1)[0]
        if argument.startswith("-") and option not in _SEARCH_OPTIONS and not argument[1:].isdigit():
            return [*argv[:index_], *argv[index_ + 1 :], "--", argument]
    return argv


COMMANDS = ("search", "index", "notes")
_OPTIONS_WITH_A_VALUE = ("--docs", "--data-dir", "--config")


def _folder_as_docs(argv: list[str]) -> list[str]:
    """``iatse-reader ~/contracts`` is ``iatse-reader --docs ~/contracts``: a first
    word that is not a command names the documents folder (as ``less FILE`` names
    its file), and a command may follow it (``iatse-reader ~/contracts search x``)."""
    index_ = 0
    while index_ < len(argv):
        argument = argv[index_]
        if argument == "--":
            return argv
        if argument in _OPTIONS_WITH_A_VALUE:
            index_ += 2
            continue
        if argument.startswith("-"):
            index_ += 1
            continue
        if argument in COMMANDS:
            return argv
        return [*argv[:index_], "--docs", argument, *argv[index_ + 1 :]]
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = build_parser().parse_args(_protect_negated_query(_folder_as_docs(argv)))
    handlers = {"search": _run_search, "index": _run_index, "notes": _run_notes}
    handler = handlers.get(arguments.command, _run_tui)
    try:
        return handler(arguments)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `iatse-reader search x | head`
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
