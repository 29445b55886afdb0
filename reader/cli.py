"""The command line: a thin shell over the core.

Exit codes: 0 success (``search``: results found), 1 ``search`` found nothing,
2 a bad query or bad arguments (a one-line message on stderr).
The TUI is imported only when it is opened, so ``iatse-reader search`` starts fast.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
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
        help="folder of .txt/.md documents, read recursively (env IATSE_READER_DOCS; "
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
        "With no command, opens the terminal reader.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
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
    _add_location_options(index, top_level=False)

    notes = commands.add_parser("notes", help="list, add and export notes")
    _add_location_options(notes, top_level=False)
    notes_commands = notes.add_subparsers(dest="notes_command", metavar="NOTES_COMMAND", required=True)
    notes_list = notes_commands.add_parser("list", help="list the notes of this collection")
    notes_list.add_argument("--json", action="store_true", help="print JSON for scripts")
    _add_location_options(notes_list, top_level=False)
    notes_add = notes_commands.add_parser(
        "add", help="add a note on the first occurrence of a passage in a document"
    )
    notes_add.add_argument("--doc", required=True, metavar="PATH", help="document path, relative to the documents folder")
    notes_add.add_argument("--quote", required=True, metavar="TEXT", help="the passage, exactly as in the document")
    notes_add.add_argument("--text", required=True, metavar="NOTE", help="the note")
    _add_location_options(notes_add, top_level=False)
    notes_export = notes_commands.add_parser("export", help="export the notes as Markdown or JSON")
    notes_export.add_argument("--format", choices=("markdown", "json"), default="markdown")
    notes_export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    _add_location_options(notes_export, top_level=False)
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
    results = document_index.search(arguments.query, limit=arguments.limit)
    if arguments.json:
        payload = {
            "query": results.query,
            "total": results.total,
            "suggestion": results.suggestion,
            "results": [
                {
                    "path": hit.rel_path, "title": hit.title, "score": round(hit.score, 4),
                    "hits": hit.hits, "snippet": hit.snippet, "source": hit.source,
                    "date": hit.date, "spans": [list(span) for span in hit.spans],
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
        for rank, hit in enumerate(results.hits, start=1):
            hits = f"{hit.hits} hit{'s' if hit.hits != 1 else ''}"
            print(f"{rank}. {hit.title}")
            print(f"   {hit.rel_path}  score {hit.score:.2f}  {hits}")
            if hit.snippet:
                print(f"   {'✎ note: ' if hit.via_notes else ''}{hit.snippet}")
        if results.suggestion:
            print(f"Did you mean: {results.suggestion}")
    return EXIT_OK if results.hits else EXIT_NOTHING_FOUND


def _run_index(arguments: argparse.Namespace) -> int:
    from reader.index import IndexUnavailable

    workspace = _workspace(arguments)
    if problem := _check_collection(workspace):
        return _fail(problem)
    try:
        report = workspace.index.update(rebuild=arguments.rebuild)
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
            print(f"{label}: {path}")
    for skipped in report.skipped:
        print(f"skipped: {skipped.rel_path} ({skipped.reason})")
    print(report.summary())
    if not (report.added or report.updated or report.unchanged):
        print(f"note: no readable .txt or .md documents in {workspace.collection.root}")
    return EXIT_OK


def _note_payload(note, title: str) -> dict[str, object]:
    payload = asdict(note)
    payload["state"] = note.state.value
    payload["title"] = title
    return payload


def _run_notes(arguments: argparse.Namespace) -> int:
    from reader.corpus import UnreadableDocument
    from reader.notes import NotesError

    workspace = _workspace(arguments)
    if arguments.notes_command == "add":
        try:
            document = workspace.read(arguments.doc)
        except UnreadableDocument as error:
            return _fail(f"{arguments.doc}: {error}")
        start = document.text.find(arguments.quote)
        if not arguments.quote or start == -1:
            return _fail(f"the passage {arguments.quote!r} is not in {arguments.doc}")
        try:
            note = workspace.add_note(document, start, start + len(arguments.quote), arguments.text)
        except NotesError as error:
            return _fail(str(error))
        print(f"added note {note.id} on {document.rel_path} at {note.start}-{note.end}")
        return EXIT_OK

    notes = workspace.all_notes()
    titles = {note.doc_path: _title_of(workspace, note.doc_path) for note in notes}
    if arguments.notes_command == "list":
        if arguments.json:
            print(json.dumps([_note_payload(n, titles[n.doc_path]) for n in notes], ensure_ascii=False, indent=2))
        elif not notes:
            print("No notes yet.")
        else:
            for note in notes:
                state = "" if note.state.value == "ok" else f" [{note.state.value}]"
                print(f"{note.doc_path}:{note.start}-{note.end}{state}  “{_one_line(note.quote, 60)}”")
                print(f"    {_one_line(note.body, 100)}")
        if workspace.notes.read_only_reason:
            print(f"iatse-reader: notes are read-only: {workspace.notes.read_only_reason}", file=sys.stderr)
        return EXIT_OK

    from reader.export import notes_to_json, notes_to_markdown

    if arguments.format == "json":
        output = notes_to_json(notes, titles)
    else:
        output = notes_to_markdown(notes, titles)
    if arguments.output:
        try:
            Path(arguments.output).write_text(output, encoding="utf-8")
        except OSError as error:
            return _fail(f"cannot write {arguments.output}: {error.strerror or error}")
        print(f"wrote {len(notes)} notes to {arguments.output}")
    else:
        sys.stdout.write(output)
    return EXIT_OK


def _title_of(workspace, rel_path: str) -> str:
    from reader.corpus import UnreadableDocument

    try:
        return workspace.read(rel_path).title
    except UnreadableDocument:
        return f"{rel_path} (document missing)"


def _one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _run_tui(arguments: argparse.Namespace) -> int:
    workspace = _workspace(arguments)
    if problem := _check_collection(workspace):
        return _fail(problem)
    from reader.ui.app import ReaderApp

    ReaderApp(workspace).run()
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


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    arguments = build_parser().parse_args(_protect_negated_query(argv))
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
