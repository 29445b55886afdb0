"""OpenDocument text (.odt): headings (``text:h``, by outline level) as ``#`` lines,
paragraphs, list items and table rows, read from ``content.xml`` with lxml;
metadata from ``meta.xml``.  Notes (footnotes) and tracked deletions are left out."""

from __future__ import annotations

from lxml import etree

from reader.corpus import UnreadableDocument
from reader.formats import Extraction
from reader.formats.limits import Budget, Deadline, open_zip, read_member
from reader.formats.xml import first_text, parse_xml

_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": _TEXT, "table": _TABLE,
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_H, _P, _LIST, _ITEM, _HEADER, _SECTION = (
    f"{{{_TEXT}}}{name}" for name in ("h", "p", "list", "list-item", "list-header", "section"))
_S, _TAB, _LINE_BREAK, _NOTE, _CHANGES = (
    f"{{{_TEXT}}}{name}" for name in ("s", "tab", "line-break", "note", "tracked-changes"))
_TABLE_ELEMENT, _ROW, _CELL = (f"{{{_TABLE}}}{name}" for name in ("table", "table-row", "table-cell"))


def extract(data: bytes, deadline: Deadline) -> Extraction:
    archive = open_zip(data, "OpenDocument file")
    names = set(archive.namelist())
    if "content.xml" not in names:
        raise UnreadableDocument("not an OpenDocument text (no content.xml inside)")
    budget = Budget()
    root = parse_xml(read_member(archive, "content.xml", budget, deadline), "OpenDocument file")
    body = root.find("office:body/office:text", _NS)
    blocks: list[str] = []
    if body is not None:
        _walk(body, blocks, "", deadline)
    text = "\n\n".join(blocks)
    if not text.strip():
        raise UnreadableDocument("no text (an empty OpenDocument file)")
    metadata: dict[str, str] = {}
    if "meta.xml" in names:
        meta = parse_xml(read_member(archive, "meta.xml", budget, deadline), "OpenDocument metadata")
        metadata = {
            "title": first_text(meta, ".//dc:title", _NS),
            "author": first_text(meta, ".//meta:initial-creator", _NS) or first_text(meta, ".//dc:creator", _NS),
            "date": (first_text(meta, ".//meta:creation-date", _NS) or first_text(meta, ".//dc:date", _NS))[:10],
        }
    return Extraction("odt", text, **metadata)


def _walk(container: etree._Element, blocks: list[str], prefix: str, deadline: Deadline) -> None:
    for element in container:
        tag = element.tag
        if tag == _H:
            level = element.get(f"{{{_TEXT}}}outline-level", "1")
            hashes = "#" * min(int(level) if level.isdigit() and int(level) > 0 else 1, 6)
            _add(blocks, f"{hashes} ", _inline(element))
        elif tag == _P:
            _add(blocks, prefix, _inline(element))
        elif tag == _LIST:
            _walk(element, blocks, "- ", deadline)
        elif tag in (_ITEM, _HEADER, _SECTION):
            _walk(element, blocks, prefix, deadline)
        elif tag == _TABLE_ELEMENT:
            deadline.check()
            for row in element.iter(_ROW):
                cells = [" ".join(_inline(cell).split()) for cell in row.iterfind("table:table-cell", _NS)]
                _add(blocks, "", " | ".join(cell for cell in cells if cell))


def _add(blocks: list[str], prefix: str, text: str) -> None:
    text = "\n".join(" ".join(line.split()) for line in text.split("\n"))
    if text.strip():
        blocks.append(prefix + text.strip())


def _inline(element: etree._Element) -> str:
    pieces: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == _S:
            count = child.get(f"{{{_TEXT}}}c", "1")
            pieces.append(" " * (int(count) if count.isdigit() else 1))
        elif tag == _TAB:
            pieces.append("\t")
        elif tag == _LINE_BREAK:
            pieces.append("\n")
        elif tag in (_NOTE, _CHANGES):
            pass
        elif tag in (_P, _H):
            pieces.append(" " + _inline(child))  # paragraphs inside a table cell
        elif isinstance(tag, str):
            pieces.append(_inline(child))
        pieces.append(child.tail or "")
    return "".join(pieces)
