"""Word documents (.docx): paragraphs, headings as ``#`` lines, list items, tables.

Read straight from the zip with lxml (python-docx was measured slower, and its
tables and headings need the same walking anyway).  Headings are told by the
paragraph style's name in ``styles.xml`` (``heading 2``, ``Title``) or an outline
level; deleted revisions and field codes are left out.  Metadata comes from
``docProps/core.xml``.
"""

from __future__ import annotations

import re

from lxml import etree

from reader.corpus import UnreadableDocument
from reader.formats import Extraction
from reader.formats.limits import Budget, Deadline, open_zip, read_member
from reader.formats.xml import first_text, parse_xml

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {
    "w": _W,
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/",
    "dcterms": "http://purl.org/dc/terms/",
}
_P, _TBL, _SDT, _T, _TAB, _BR, _CR = (f"{{{_W}}}{name}" for name in ("p", "tbl", "sdt", "t", "tab", "br", "cr"))
_VAL = f"{{{_W}}}val"
_PSTYLE = f"{{{_W}}}pStyle"
_HEADING_NAME = re.compile(r"^heading\s*([1-9])$", re.IGNORECASE)
_PLAIN_STYLES = frozenset({"", "Normal", "BodyText", "Default", "Quote", "Caption", "NoSpacing"})


def extract(data: bytes, deadline: Deadline) -> Extraction:
    archive = open_zip(data, "Word document")
    names = set(archive.namelist())
    if "word/document.xml" not in names:
        raise UnreadableDocument("not a Word document (no word/document.xml inside)")
    budget = Budget()
    root = parse_xml(read_member(archive, "word/document.xml", budget, deadline), "Word document")
    used = {style.get(_VAL, "") for style in root.iter(_PSTYLE)}
    levels = {style_id: level for style_id in used if (level := _known_level(style_id)) is not None}
    if used - set(levels) - _PLAIN_STYLES and "word/styles.xml" in names:
        # A style the id does not explain (a localised "berschrift1", a custom one):
        # the names in styles.xml say (parsing it costs as much as a short document).
        levels.update(_style_levels(read_member(archive, "word/styles.xml", budget, deadline)))
    body = root.find("w:body", _NS)
    blocks: list[str] = []
    if body is not None:
        _walk(body, levels, blocks, deadline)
    text = "\n\n".join(blocks)
    if not text.strip():
        raise UnreadableDocument("no text (an empty Word document)")
    metadata: dict[str, str] = {}
    if "docProps/core.xml" in names:
        core = parse_xml(read_member(archive, "docProps/core.xml", budget, deadline), "Word properties")
        metadata = {"title": first_text(core, "dc:title", _NS), "author": first_text(core, "dc:creator", _NS),
                    "date": first_text(core, "dcterms:created", _NS)[:10]}
    return Extraction("docx", text, **metadata)


def _walk(container: etree._Element, levels: dict[str, int], blocks: list[str], deadline: Deadline) -> None:
    for element in container:
        if element.tag == _P:
            paragraph = _paragraph_text(element)
            if paragraph.strip():
                blocks.append(_prefix(element, levels) + paragraph.strip())
        elif element.tag == _TBL:
            deadline.check()
            for row in element.iterfind(".//w:tr", _NS):
                cells = [" ".join(_paragraph_text(cell).split()) for cell in row.iterfind("w:tc", _NS)]
                line = " | ".join(cell for cell in cells if cell)
                if line:
                    blocks.append(line)
        elif element.tag == _SDT:  # a content control: its content is ordinary body
            content = element.find("w:sdtContent", _NS)
            if content is not None:
                _walk(content, levels, blocks, deadline)


def _paragraph_text(element: etree._Element) -> str:
    pieces: list[str] = []
    for node in element.iter(_T, _TAB, _BR, _CR):  # w:delText and w:instrText are not these
        if node.tag == _T:
            pieces.append(node.text or "")
        elif node.tag == _TAB:
            pieces.append("\t")
        else:
            pieces.append("\n")
    return "".join(pieces)


def _prefix(paragraph: etree._Element, levels: dict[str, int]) -> str:
    properties = paragraph.find("w:pPr", _NS)
    if properties is None:
        return ""
    style = properties.find("w:pStyle", _NS)
    level = levels.get(style.get(_VAL, "")) if style is not None else None
    if level == _LIST_STYLE:
        return "- "
    outline = properties.find("w:outlineLvl", _NS)
    if level is None and outline is not None and (value := outline.get(_VAL, "")).isdigit() and int(value) < 9:
        level = int(value) + 1
    if level:
        return "#" * min(level, 6) + " "
    if properties.find("w:numPr", _NS) is not None:
        return "- "
    return ""


_LIST_STYLE = 0  # in the style levels: a list paragraph style ("List Bullet"), not a heading


def _known_level(style_id: str) -> int | None:
    """The level of Word's own English style ids (``Heading2``, ``Title``, ``ListBullet``)."""
    if match := _HEADING_NAME.match(style_id):
        return int(match.group(1))
    if style_id == "Title":
        return 1
    if style_id.startswith(("ListBullet", "ListNumber")):
        return _LIST_STYLE
    return None


def _style_levels(styles_xml: bytes) -> dict[str, int]:
    """Style id -> heading level, from the styles' names (ids are localised:
    ``berschrift1``), or :data:`_LIST_STYLE` for a style that numbers its paragraphs."""
    levels: dict[str, int] = {}
    try:
        root = parse_xml(styles_xml, "Word styles")
    except UnreadableDocument:
        return levels
    for style in root.iterfind("w:style", _NS):
        name_element = style.find("w:name", _NS)
        name = (name_element.get(_VAL, "") if name_element is not None else "").strip()
        style_id = style.get(f"{{{_W}}}styleId", "")
        if match := _HEADING_NAME.match(name):
            levels[style_id] = int(match.group(1))
        elif name.lower() == "title":
            levels[style_id] = 1
        elif style.find("w:pPr/w:numPr", _NS) is not None or name.lower().startswith(("list bullet", "list number")):
            levels[style_id] = _LIST_STYLE
    return levels
