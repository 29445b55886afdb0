"""EPUB books: the OPF spine in reading order, each chapter through the HTML walker.

Read with :mod:`zipfile` (EbookLib is AGPL), every member through
:func:`reader.formats.limits.read_member`, so a zip bomb is stopped.  A chapter
without a heading of its own gets its ``<title>`` as one, so chapters show as
``#`` lines.  Metadata: ``dc:title``, ``dc:creator``, ``dc:date``, ``dc:publisher``.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote

from reader.corpus import UnreadableDocument
from reader.formats import Extraction
from reader.formats.limits import Budget, Deadline, open_zip, read_member
from reader.formats.markup import blocks_of, parse_html
from reader.formats.xml import first_text, parse_xml

_NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}
_CHAPTER_TYPES = frozenset({"application/xhtml+xml", "text/html", "application/x-dtbook+xml"})


def extract(data: bytes, deadline: Deadline) -> Extraction:
    archive = open_zip(data, "EPUB")
    budget = Budget()
    container = parse_xml(read_member(archive, "META-INF/container.xml", budget, deadline), "EPUB container")
    rootfile = container.find(".//container:rootfile", _NS)
    opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
    if not opf_path:
        raise UnreadableDocument("damaged EPUB (no package file named in its container)")
    package = parse_xml(read_member(archive, opf_path, budget, deadline), "EPUB package")
    base = posixpath.dirname(opf_path)
    manifest = {
        item.get("id"): (posixpath.normpath(posixpath.join(base, unquote(item.get("href", "")))),
                         item.get("media-type", ""))
        for item in package.iterfind(".//opf:manifest/opf:item", _NS)
    }
    blocks: list[str] = []
    for itemref in package.iterfind(".//opf:spine/opf:itemref", _NS):
        deadline.check()
        href, media_type = manifest.get(itemref.get("idref"), ("", ""))
        if not href or media_type not in _CHAPTER_TYPES:
            continue
        try:
            chapter = read_member(archive, href, budget, deadline)
        except UnreadableDocument as error:
            if "missing" in str(error):
                continue  # a spine entry with no file: the rest of the book still reads
            raise
        blocks.extend(_chapter_blocks(chapter, deadline))
    text = "\n\n".join(blocks)
    if not text.strip():
        raise UnreadableDocument("no text (an EPUB with no readable chapters)")
    date = first_text(package, ".//dc:date", _NS)[:10]
    return Extraction(
        "epub", text,
        title=first_text(package, ".//dc:title", _NS),
        author=first_text(package, ".//dc:creator", _NS),
        date=date,
        source=first_text(package, ".//dc:publisher", _NS),
    )


def _chapter_blocks(chapter: bytes, deadline: Deadline) -> list[str]:
    root = parse_html(chapter)
    if root is None:
        return []
    body = root.find("body")
    blocks = blocks_of(body if body is not None else root, check=deadline.check)
    if blocks and not any(block.startswith("#") for block in blocks):
        title = root.find(".//title")
        label = " ".join(title.text_content().split()) if title is not None else ""
        if label:
            blocks.insert(0, f"# {label}")
    return blocks
