"""Notes out of the store and back in: Markdown for people, W3C Web Annotations
(JSON-LD) for tools and for moving notes between machines.

Markdown (:func:`notes_to_markdown`)
------------------------------------
One ``## Title`` section per document, in path order, with the document's path
under it; notes on the whole document first (under "About the whole
document"), then the passages in document order.  Each passage is a block quote,
then the note's text (Markdown output, so written Markdown in a note renders),
then one italic line: tags (``#strike #safety``), colour, state (when not ok),
the page in a paginated document (``p. 57``, ``pp. 57–58``) and position
(``characters 120–134``).  A highlight shows "(highlight)" in place
of text.  Notes whose document is gone stay under their old path, marked
"document missing".

Quotes are document text, never markup: every quote line is prefixed ``> `` and
escaped (``\\ ` * _ [ ] < ~ |`` and entities everywhere; ``# > - + =`` and
``1.`` at the start of a line; leading spaces become no-break spaces so they
cannot make a code block), so ``# heading``, ``> x``, ``- item`` and ``[bold]``
render literally and a line cannot leave the block quote.  A note's text is
shown as written, except that a code fence or raw-HTML block it leaves open is
closed (or escaped) so it cannot swallow the notes after it.  In both, terminal
control characters become their visible pictures (``ESC`` → ``␛``), as in the
reader.

JSON-LD (:func:`notes_to_jsonld`, :func:`notes_from_jsonld`)
------------------------------------------------------------
An ``AnnotationCollection`` (``"@context": "http://www.w3.org/ns/anno.jsonld"``)
with ``total`` and one embedded ``AnnotationPage`` (``first``) whose ``items``
are the notes, in the same order as the Markdown.  Each note is an
``Annotation``:

* ``id`` ``urn:uuid:<note id>``; ``motivation`` ``highlighting`` for highlights,
  else ``commenting``; ``created``/``modified`` the note's times, as stored;
* ``body``: a list of ``TextualBody``: the note's text (``purpose``
  ``commenting``, ``format`` ``text/plain``; absent when the text is empty, as
  for a highlight) and one ``purpose: tagging`` body per tag, in order;
* ``target.source``: the document, as a ``file://`` URI when the caller's
  *doc_uri* gives one, else ``urn:iatse-reader:<collection>/<doc path>``
  (percent-encoded); ``target.selector``: ``[TextQuoteSelector {exact, prefix,
  suffix}, TextPositionSelector {start, end}]`` — the quote as made and the
  current position (which for a ``changed`` note frames a passage that differs a
  little from the quote) — and, in a paginated document (a PDF), a third:
  ``FragmentSelector {conformsTo: RFC 3778, value: "page=57"}``, the PDF fragment
  identifier of the page the passage starts on, so PDF viewers and other tools
  can open the page.  Whole-document notes have no selector.
* ``"iatse-reader"``: everything else a lossless round trip needs:
  ``collection``, ``docPath``, ``docHash``, ``state``, ``version``, ``kind``,
  ``colour``, ``originalPosition {start, end}``, and ``title`` (informative; not
  read back).  W3C consumers ignore this unfamiliar key, as the model requires.

Deleted notes (tombstones) are never exported.  The collection's ``id`` is a
UUID derived from its content, so exporting the same notes twice gives the same
file.

Import accepts what the export writes, and, for notes cut out of such a file,
also a single ``AnnotationPage``, a bare JSON list of annotations or one
``Annotation``.  Every annotation must carry the ``"iatse-reader"`` section
(foreign annotations lack the collection and document path a note needs) and
is validated strictly — types, ids, selectors, kinds, colours, tags, times,
document paths (relative, no ``..``) and the note rules of :mod:`reader.notes`.
The first problem raises :class:`NotesImportError` with one line naming where
it is (``first.items[3].target.selector: …``), before anything is written.
Times are kept as written when in UTC with ``+00:00`` (what the store writes),
otherwise converted to that form, so the store's newer-wins merge compares
like with like.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import uuid
from collections.abc import Callable, Iterable, Mapping
from contextlib import suppress
from datetime import UTC, datetime
from itertools import groupby
from pathlib import Path, PurePosixPath
from urllib.parse import quote as percent_encode

from reader.anchoring import Anchor, AnchorState
from reader.corpus import NOTES_EXPORT_SUFFIX, clean_text
from reader.display import counted
from reader.notes import Note, NoteKind, NotesError, normalise_tags, validate_note
from reader.page_maps import PageRange, page_label

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
EXTENSION_KEY = "iatse-reader"
URN_PREFIX = "urn:iatse-reader:"
JSONLD_SUFFIX = ".notes.jsonld"
PDF_FRAGMENT_SPEC = "http://tools.ietf.org/rfc/rfc3778"  # "page=N" fragments of application/pdf
_UUID_PREFIX = "urn:uuid:"
_EXTENSION_FIELDS = frozenset(
    {"collection", "docPath", "docHash", "state", "version", "kind", "colour",
     "originalPosition", "title"}
)


class NotesImportError(NotesError):
    """A notes file that cannot be imported; the one-line message is for users."""


def document_order(note: Note) -> tuple:
    """By document path; in a document, whole-document notes first, then passages
    in the order they occur."""
    return (note.doc_path, note.kind != NoteKind.DOCUMENT, note.start, note.end, note.created,
            note.id)


def beside_document(document_path: Path, format_: str = "markdown") -> Path:
    """Where ``notes export --doc`` saves a document's notes: ``<file name>.notes.md``
    (or ``.notes.jsonld``) in the document's folder; the corpus scanner skips them."""
    suffix = NOTES_EXPORT_SUFFIX if format_ == "markdown" else JSONLD_SUFFIX
    return document_path.with_name(document_path.name + suffix)


# -- Markdown -------------------------------------------------------------------

_INLINE_SPECIAL = re.compile(r"[\\`*_\[\]<~|]|&(?=#?[0-9A-Za-z]+;)")
_BLOCK_START = re.compile(r"^(?:([#>+=-])|(\d{1,9})([.)]))")
_INDENT = re.compile(r"^[ \t]*")
_NBSP = "\u00a0"


def _escape_inline(text: str) -> str:
    return _INLINE_SPECIAL.sub(lambda match: "\\" + match.group(), text)


def _escape_line(line: str) -> str:
    """One line of document text, rendered literally by any Markdown renderer."""
    line = line.rstrip(" \t")  # trailing spaces would be a hard line break
    indent = _INDENT.match(line).group()
    rest = _escape_inline(line[len(indent):])
    rest = _BLOCK_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else m.group(2) + "\\" + m.group(3), rest, count=1
    )
    return indent.replace("\t", _NBSP * 4).replace(" ", _NBSP) + rest


def _block_quote(text: str) -> list[str]:
    lines = clean_text(text).strip("\n").split("\n")
    return [f"> {_escape_line(line)}" if line.strip() else ">" for line in lines]


_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
# CommonMark HTML blocks 1-5 run until an end marker, however many blank lines
# come first; unterminated, they would swallow the rest of the file.
_RAW_HTML = (
    (re.compile(r"^ {0,3}<(?:script|pre|style|textarea)(?:[\s>]|$)", re.I),
     re.compile(r"</(?:script|pre|style|textarea)>", re.I)),
    (re.compile(r"^ {0,3}<!--"), re.compile(r"-->")),
    (re.compile(r"^ {0,3}<\?"), re.compile(r"\?>")),
    (re.compile(r"^ {0,3}<![A-Za-z]"), re.compile(r">")),
    (re.compile(r"^ {0,3}<!\[CDATA\["), re.compile(r"\]\]>")),
)


def _contained_body(body: str) -> list[str]:
    """The note's text as written, with any code fence it leaves open closed and any
    unterminated raw-HTML block escaped, so it cannot swallow the next notes."""
    lines = clean_text(body).strip("\n").split("\n")
    result: list[str] = []
    fence: tuple[str, int] | None = None
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        match = _FENCE.match(line)
        if fence is not None:
            if (match and match.group(1)[0] == fence[0] and len(match.group(1)) >= fence[1]
                    and not match.group(2).strip()):
                fence = None
            result.append(line)
            continue
        if match and not (match.group(1)[0] == "`" and "`" in match.group(2)):
            fence = (match.group(1)[0], len(match.group(1)))
            result.append(line)
            continue
        for start, end in _RAW_HTML:
            if start.match(line):
                offset = start.match(line).end()
                if end.search(line, offset):
                    break
                closing = next((i for i in range(index, len(lines)) if end.search(lines[i])), None)
                if closing is None:
                    line = line.replace("<", "\\<", 1)
                else:  # a complete block: copy it through its end line
                    result.append(line)
                    result.extend(lines[index : closing + 1])
                    index = closing + 1
                    line = None
                break
        if line is not None:
            result.append(line)
    if fence is not None:
        result.append(fence[0] * fence[1])
    return result


def _one_line(text: str) -> str:
    return " ".join(clean_text(text).split())


def _code_span(text: str) -> str:
    text = _one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    padding = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{padding}{text}{padding}{ticks}"


def _heading(text: str) -> str:
    heading = _escape_inline(_one_line(text))
    return heading[:-1] + "\\#" if heading.endswith("#") else heading


def _details_line(note: Note, pages: PageRange | None = None) -> str:
    parts: list[str] = []
    if note.tags:
        parts.append(" ".join(f"#{tag}" for tag in note.tags))
    parts.append(note.colour)
    if note.state != AnchorState.OK:
        parts.append(note.state.label)
    if pages is not None:
        parts.append(page_label(pages))
    if note.kind != NoteKind.DOCUMENT:
        parts.append(f"characters {note.start}–{note.end}")
    return f"*{_escape_inline(' · '.join(parts))}*"


def notes_to_markdown(notes: Iterable[Note], titles: Mapping[str, str],
                      pages: Mapping[str, PageRange] | None = None) -> str:
    """The notes as a Markdown document (see the module docstring).  *titles* maps
    document paths to titles; a path missing from it is shown as its own title.
    *pages* gives the pages of notes (by id) in paginated documents."""
    pages = pages or {}
    ordered = sorted((note for note in notes if note.deleted is None), key=document_order)
    lines = ["# Notes", ""]
    if not ordered:
        lines.append("No notes yet.")
    for doc_path, group in groupby(ordered, key=lambda note: note.doc_path):
        notes_here = list(group)
        missing = all(note.state == AnchorState.MISSING for note in notes_here)
        where = _code_span(doc_path) + (" — document missing" if missing else "")
        lines += [f"## {_heading(titles.get(doc_path) or doc_path)}", "", where, ""]
        whole = [note for note in notes_here if note.kind == NoteKind.DOCUMENT]
        passages = [note for note in notes_here if note.kind != NoteKind.DOCUMENT]
        if whole:
            lines += ["### About the whole document", ""]
        for note in whole:
            lines += [*_contained_body(note.body), "", _details_line(note), ""]
        if whole and passages:
            lines += ["### Passages", ""]
        for note in passages:
            body = _contained_body(note.body) if note.body.strip() else ["(highlight)"]
            lines += [*_block_quote(note.quote), "", *body, "", _details_line(note, pages.get(note.id)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# -- JSON-LD out ------------------------------------------------------------------


def document_urn(collection: str, doc_path: str) -> str:
    return URN_PREFIX + percent_encode(f"{collection}/{doc_path}", safe="/:@!$&'()*+,;=-._~")


def _annotation(note: Note, title: str, source: str, pages: PageRange | None) -> dict[str, object]:
    bodies: list[dict[str, str]] = []
    if note.body:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": note.body,
                       "format": "text/plain"})
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in note.tags]
    target: dict[str, object] = {"source": source}
    if note.kind != NoteKind.DOCUMENT:
        selectors: list[dict[str, object]] = [
            {"type": "TextQuoteSelector", "exact": note.quote, "prefix": note.prefix,
             "suffix": note.suffix},
            {"type": "TextPositionSelector", "start": note.start, "end": note.end},
        ]
        if pages is not None:  # the page the passage starts on, as a PDF viewer opens it
            selectors.append({"type": "FragmentSelector", "conformsTo": PDF_FRAGMENT_SPEC,
                              "value": f"page={pages[0]}"})
        target["selector"] = selectors
    annotation: dict[str, object] = {
        "id": _UUID_PREFIX + note.id,
        "type": "Annotation",
        "motivation": "highlighting" if note.kind == NoteKind.HIGHLIGHT else "commenting",
        "created": note.created,
        "modified": note.updated,
    }
    if bodies:
        annotation["body"] = bodies
    annotation["target"] = target
    annotation[EXTENSION_KEY] = {
        "collection": note.collection,
        "docPath": note.doc_path,
        "docHash": note.doc_hash,
        "state": note.state.value,
        "version": note.version,
        "kind": note.kind.value,
        "colour": note.colour,
        "originalPosition": {"start": note.orig_start, "end": note.orig_end},
        "title": title,
    }
    return annotation


def notes_to_jsonld(
    notes: Iterable[Note], titles: Mapping[str, str], *,
    doc_uri: Callable[[Note], str | None] | None = None,
    pages: Mapping[str, PageRange] | None = None,
) -> str:
    """The notes as a W3C ``AnnotationCollection`` (see the module docstring).
    *doc_uri* gives a note's document as a ``file://`` URI, or None for the
    ``urn:iatse-reader:`` name; *pages* the pages of notes (by id) in paginated
    documents."""
    pages = pages or {}
    items = []
    for note in sorted((note for note in notes if note.deleted is None), key=document_order):
        source = (doc_uri(note) if doc_uri else None) or document_urn(note.collection, note.doc_path)
        items.append(_annotation(note, titles.get(note.doc_path, ""), source, pages.get(note.id)))
    digest = uuid.uuid5(uuid.NAMESPACE_URL, json.dumps(items, sort_keys=True, ensure_ascii=False))
    collection: dict[str, object] = {
        "@context": ANNO_CONTEXT,
        "id": f"{_UUID_PREFIX}{digest}",
        "type": "AnnotationCollection",
        "label": "Notes from iatse-reader",
        "total": len(items),
    }
    if items:  # the model: an empty collection has no pages
        page_id = f"{_UUID_PREFIX}{uuid.uuid5(digest, 'page-1')}"
        collection["first"] = {"id": page_id, "type": "AnnotationPage", "startIndex": 0,
                               "items": items}
        collection["last"] = page_id
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


# -- JSON-LD in -------------------------------------------------------------------

_JSON_TYPES = {dict: "an object", list: "a list", str: "a string", int: "a whole number",
               bool: "true/false", float: "a number", type(None): "null"}


def _describe(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _fail(where: str, message: str) -> NotesImportError:
    return NotesImportError(f"{where}: {message}" if where else message)


def _check_text(value: str, where: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise _fail(where, "contains an invalid character (a lone surrogate)") from None
    return value


def _field(obj: Mapping[str, object], key: str, where: str, expected: type, *,
           required: bool = True, default: object = None) -> object:
    path = f"{where}.{key}" if where else key
    if key not in obj:
        if required:
            raise _fail(where or "the file", f'missing "{key}"')
        return default
    value = obj[key]
    if expected is int:
        valid = isinstance(value, int) and not isinstance(value, bool)
    else:
        valid = isinstance(value, expected)
    if not valid:
        raise _fail(path, f"expected {_JSON_TYPES[expected]}, found {_describe(value)}")
    if isinstance(value, str):
        _check_text(value, path)
    return value


def _types(obj: Mapping[str, object]) -> list[str]:
    value = obj.get("type", obj.get("@type"))
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _reject_constant(name: str) -> object:
    raise NotesImportError(f"not valid JSON: {name} is not a JSON number")


def _parse_json(text: str) -> object:
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise NotesImportError("the file is empty")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise NotesImportError(
            f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        raise NotesImportError("not valid JSON: nested too deeply") from None


def _check_context(obj: Mapping[str, object], where: str) -> None:
    if "@context" not in obj:
        return
    context = obj["@context"]
    contexts = context if isinstance(context, list) else [context]
    if ANNO_CONTEXT not in contexts and ANNO_CONTEXT.replace("http:", "https:") not in contexts:
        raise _fail(where, f"not W3C Web Annotations: its @context does not include {ANNO_CONTEXT}")


def _not_ours(value: object) -> NotesImportError:
    if isinstance(value, dict):
        keys = ", ".join(list(value)[:5]) or "none"
        found = f"an object with keys {keys}" if value else "an empty object"
        if _types(value):
            found = f'an object of type {", ".join(_types(value))}'
    else:
        found = _describe(value)
    return NotesImportError(
        f"not an iatse-reader notes export: expected a W3C AnnotationCollection (JSON-LD), "
        f"found {found}"
    )


def _annotations_in(data: object) -> list[tuple[str, object]]:
    """(where, annotation) for every annotation the file holds."""
    if isinstance(data, list):
        if data and not all(isinstance(item, dict) for item in data):
            strays = sorted({_describe(item) for item in data if not isinstance(item, dict)})
            raise NotesImportError(
                "not an iatse-reader notes export: expected a W3C AnnotationCollection or a "
                f"list of annotations, found a list holding {' and '.join(strays)}"
            )
        return [(f"[{index}]", item) for index, item in enumerate(data)]
    if not isinstance(data, dict):
        raise _not_ours(data)
    types = _types(data)
    if "AnnotationCollection" in types:
        _check_context(data, "")
        total = _field(data, "total", "", int, required=False)
        first = data.get("first")
        if first is None:
            if total not in (None, 0):
                raise NotesImportError(f'the collection says "total": {total} but holds no page')
            return []
        if isinstance(first, str):
            raise NotesImportError(
                'the collection\'s annotations are not in the file ("first" is only a link)'
            )
        if not isinstance(first, dict) or "AnnotationPage" not in _types(first):
            raise _fail("first", "expected an embedded AnnotationPage")
        if first.get("next") is not None:
            raise _fail("first", "collections of more than one page are not supported")
        items = _field(first, "items", "first", list)
        if total is not None and total != len(items):
            raise NotesImportError(
                f'the collection says "total": {total} but holds {counted(len(items), "annotation")} '
                "(is the file cut short?)"
            )
        return [(f"first.items[{index}]", item) for index, item in enumerate(items)]
    if "AnnotationPage" in types:
        _check_context(data, "")
        items = _field(data, "items", "", list)
        return [(f"items[{index}]", item) for index, item in enumerate(items)]
    if "Annotation" in types:
        _check_context(data, "")
        return [("annotation", data)]
    raise _not_ours(data)


def _timestamp(value: str, where: str) -> str:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _fail(where, f"not a date and time: {value!r}") from None
    if moment.tzinfo is None:
        raise _fail(where, f"a time without a time zone: {value!r}")
    if value.endswith("+00:00"):
        return value  # as the store writes it: kept exactly
    return moment.astimezone(UTC).isoformat()


def _note_id(value: str, where: str) -> str:
    if not value.startswith(_UUID_PREFIX):
        raise _fail(where, f"expected urn:uuid:…, found {value[:60]!r}")
    try:
        return str(uuid.UUID(value.removeprefix(_UUID_PREFIX)))
    except ValueError:
        raise _fail(where, f"not a UUID: {value[:60]!r}") from None


def _doc_path(value: str, where: str) -> str:
    path = PurePosixPath(value)
    if (not value or path.is_absolute() or ".." in path.parts or path.as_posix() != value
            or "\\" in value or clean_text(value) != value):
        raise _fail(where, f"not a document path inside a collection: {value[:100]!r}")
    return value


def _choice(value: str, choices: Iterable[str], where: str) -> str:
    options = list(choices)
    if value not in options:
        raise _fail(where, f"{value!r} is not one of {', '.join(options)}")
    return value


def _position(obj: Mapping[str, object], where: str, *, passage: bool) -> tuple[int, int]:
    start = _field(obj, "start", where, int)
    end = _field(obj, "end", where, int)
    if passage and not 0 <= start < end:
        raise _fail(where, f"start {start} and end {end} do not frame a passage")
    if not passage and (start, end) != (0, 0):
        raise _fail(where, "a whole-document note has no position (expected 0 and 0)")
    return start, end


_PAGE_FRAGMENT = re.compile(r"page=([1-9][0-9]{0,8})")


def _page_fragment(selector: Mapping[str, object], where: str) -> int:
    """The page of a ``FragmentSelector`` as the export writes it (RFC 3778 ``page=N``)."""
    conforms_to = _field(selector, "conformsTo", where, str)
    if conforms_to.rstrip("/") not in (PDF_FRAGMENT_SPEC, PDF_FRAGMENT_SPEC.replace("http:", "https:")):
        raise _fail(f"{where}.conformsTo", f"only PDF page fragments ({PDF_FRAGMENT_SPEC}) are "
                                           f"understood, found {conforms_to[:80]!r}")
    value = _field(selector, "value", where, str)
    match = _PAGE_FRAGMENT.fullmatch(value)
    if match is None:
        raise _fail(f"{where}.value", f"expected page=N, found {value[:40]!r}")
    return int(match.group(1))


def _selectors(target: Mapping[str, object], where: str) -> tuple[Anchor, str]:
    if "selector" not in target:
        raise _fail(where, 'missing "selector" (a passage note needs its quote and position)')
    selectors = target["selector"]
    selectors = selectors if isinstance(selectors, list) else [selectors]
    by_type: dict[str, tuple[Mapping[str, object], str]] = {}
    for index, selector in enumerate(selectors):
        place = f"{where}.selector[{index}]"
        if not isinstance(selector, dict):
            raise _fail(place, f"expected a selector object, found {_describe(selector)}")
        kind = _field(selector, "type", place, str)
        if kind not in ("TextQuoteSelector", "TextPositionSelector", "FragmentSelector"):
            raise _fail(place, f"{kind} is not understood (only TextQuoteSelector, "
                               "TextPositionSelector and FragmentSelector)")
        if kind == "FragmentSelector":  # the page: checked, not kept (the position gives it)
            _page_fragment(selector, place)
        if kind in by_type:
            raise _fail(place, f"a second {kind}")
        by_type[kind] = (selector, place)
    for needed in ("TextQuoteSelector", "TextPositionSelector"):
        if needed not in by_type:
            raise _fail(f"{where}.selector", f"missing the {needed}")
    quote, quote_where = by_type["TextQuoteSelector"]
    exact = _field(quote, "exact", quote_where, str)
    if not exact:
        raise _fail(f"{quote_where}.exact", "the quote is empty")
    prefix = _field(quote, "prefix", quote_where, str, required=False, default="")
    suffix = _field(quote, "suffix", quote_where, str, required=False, default="")
    position, position_where = by_type["TextPositionSelector"]
    start, end = _position(position, position_where, passage=True)
    return Anchor(start, end, exact, prefix, suffix), f"{where}.selector"


def _bodies(annotation: Mapping[str, object], where: str) -> tuple[str | None, tuple[str, ...]]:
    raw = annotation.get("body", [])
    bodies = raw if isinstance(raw, list) else [raw]
    text: str | None = None
    tags: dict[str, None] = {}
    for index, body in enumerate(bodies):
        place = f"{where}.body[{index}]" if isinstance(raw, list) else f"{where}.body"
        if not isinstance(body, dict):
            raise _fail(place, f"expected a TextualBody object, found {_describe(body)}")
        if "TextualBody" not in _types(body):
            raise _fail(place, "only TextualBody bodies are understood")
        purpose = _field(body, "purpose", place, str)
        value = _field(body, "value", place, str)
        if purpose == "commenting":
            body_format = _field(body, "format", place, str, required=False, default="text/plain")
            if body_format != "text/plain":
                raise _fail(f"{place}.format", f"expected text/plain, found {body_format!r}")
            if text is not None:
                raise _fail(place, "a second commenting body (a note has one text)")
            text = value
        elif purpose == "tagging":
            tag = normalise_tags([value])
            if len(tag) != 1 or len(value.split()) != 1:
                raise _fail(f"{place}.value", f"not a tag: {value!r}")
            tags.setdefault(tag[0], None)
        else:
            raise _fail(f"{place}.purpose", f"{purpose!r} is not commenting or tagging")
    return text, tuple(tags)


def _note_from_annotation(annotation: object, where: str) -> Note:
    if not isinstance(annotation, dict):
        raise _fail(where, f"expected a W3C Annotation object, found {_describe(annotation)}")
    if "Annotation" not in _types(annotation):
        raise _fail(where, 'not a W3C Annotation (no "type": "Annotation")')
    _check_context(annotation, where)
    if EXTENSION_KEY not in annotation:
        raise _fail(where, f'a W3C annotation not exported by iatse-reader (no "{EXTENSION_KEY}" '
                           "section with its collection and document); it cannot be imported")
    extension = _field(annotation, EXTENSION_KEY, where, dict)
    ext_where = f"{where}.{EXTENSION_KEY}"
    unknown = sorted(set(extension) - _EXTENSION_FIELDS)
    if unknown:
        raise _fail(ext_where, f"unknown {'field' if len(unknown) == 1 else 'fields'} {', '.join(unknown)} (from a newer iatse-reader?)")

    note_id = _note_id(_field(annotation, "id", where, str), f"{where}.id")
    created = _timestamp(_field(annotation, "created", where, str), f"{where}.created")
    updated = _timestamp(_field(annotation, "modified", where, str), f"{where}.modified")
    motivation = _choice(_field(annotation, "motivation", where, str),
                         ("commenting", "highlighting"), f"{where}.motivation")
    kind = NoteKind(_choice(_field(extension, "kind", ext_where, str),
                            [kind.value for kind in NoteKind], f"{ext_where}.kind"))
    if (kind == NoteKind.HIGHLIGHT) != (motivation == "highlighting"):
        raise _fail(f"{where}.motivation", f"{motivation!r} does not fit a {kind.value} note")
    state = AnchorState(_choice(_field(extension, "state", ext_where, str),
                                [state.value for state in AnchorState], f"{ext_where}.state"))
    collection = _field(extension, "collection", ext_where, str)
    if not collection:
        raise _fail(f"{ext_where}.collection", "empty")
    doc_path = _doc_path(_field(extension, "docPath", ext_where, str), f"{ext_where}.docPath")
    doc_hash = _field(extension, "docHash", ext_where, str)
    if not doc_hash:
        raise _fail(f"{ext_where}.docHash", "empty")
    version = _field(extension, "version", ext_where, int)
    if version < 1:
        raise _fail(f"{ext_where}.version", f"must be at least 1, found {version}")
    colour = _field(extension, "colour", ext_where, str)
    _field(extension, "title", ext_where, str, required=False)
    original = _field(extension, "originalPosition", ext_where, dict)
    orig_start, orig_end = _position(original, f"{ext_where}.originalPosition",
                                     passage=kind != NoteKind.DOCUMENT)

    text, tags = _bodies(annotation, where)
    target = _field(annotation, "target", where, dict)
    _field(target, "source", f"{where}.target", str)
    if kind == NoteKind.DOCUMENT:
        if "selector" in target:
            raise _fail(f"{where}.target.selector", "a whole-document note has no selector")
        anchor = None
    else:
        anchor, _ = _selectors(target, f"{where}.target")
    body = text or ""
    try:
        validate_note(kind, body, anchor, colour)
    except NotesError as error:
        raise _fail(where, str(error)) from None
    anchor = anchor or Anchor(0, 0, "", "", "")
    return Note(
        id=note_id, collection=collection, doc_path=doc_path, doc_hash=doc_hash,
        quote=anchor.exact, prefix=anchor.prefix, suffix=anchor.suffix, start=anchor.start,
        end=anchor.end, body=body, state=state, created=created, updated=updated,
        version=version, kind=kind, tags=tags, colour=colour, orig_start=orig_start,
        orig_end=orig_end,
    )


def notes_from_jsonld(text: str) -> list[Note]:
    """The notes in an export written by :func:`notes_to_jsonld`, all validated;
    raises :class:`NotesImportError` at the first problem (nothing is written here,
    so an import that fails imports nothing)."""
    notes: list[Note] = []
    seen: dict[str, str] = {}
    for where, annotation in _annotations_in(_parse_json(text)):
        note = _note_from_annotation(annotation, where)
        if note.id in seen:
            raise _fail(where, f"the note {note.id} is also {seen[note.id]}")
        seen[note.id] = where
        notes.append(note)
    return notes


def read_notes_file(path: Path) -> list[Note]:
    """:func:`notes_from_jsonld` on a file; every problem (unreadable, not UTF-8,
    not an export) is a :class:`NotesImportError` naming the file."""
    from reader.corpus import UnreadableDocument, read_file_bytes

    try:  # a named pipe or a device given by mistake is refused, never waited on
        data = read_file_bytes(path)
    except UnreadableDocument as error:
        raise NotesImportError(f"cannot read {path}: {error}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotesImportError(f"{path}: not UTF-8 text (byte {error.start})") from None
    try:
        return notes_from_jsonld(text)
    except NotesImportError as error:
        raise NotesImportError(f"{path}: {error}") from None


# -- writing files ----------------------------------------------------------------


def _umask() -> int:
    with suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    return 0o022


def write_atomically(path: Path, text: str) -> None:
    """Write *text* (UTF-8) to *path* through a hidden temporary file in the same
    folder, synced, then :func:`os.replace`: the file is either the old one or the
    complete new one, never half-written.  Raises :class:`OSError`."""
    path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o666 & ~_umask()
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp",
                                             dir=path.parent)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    with suppress(OSError):  # make the rename itself durable
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
