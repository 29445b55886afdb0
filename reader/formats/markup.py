"""HTML (and trafilatura's XML) to plain text blocks, headings kept as ``#`` lines.

One walker for every marked-up format: EPUB chapters, web pages when the article
extractor finds nothing, and the article trafilatura returns (its ``<head
rend="h2">``, ``<list>``/``<item>``, ``<quote>``, ``<lb/>`` tags).  Block elements
become paragraphs separated by a blank line; runs of white space inside a block
collapse to one space, as a browser shows them; ``<pre>`` keeps its lines.
"""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

_SKIPPED = frozenset({"script", "style", "noscript", "template", "svg", "math", "iframe", "object",
                      "select", "button", "input", "textarea", "form"})
#: Page furniture that is never the article (used when no extractor chose the article).
CHROME = frozenset({"nav", "header", "footer", "aside", "menu", "dialog"})
_BLOCKS = frozenset({
    "p", "div", "section", "article", "main", "body", "blockquote", "quote", "figure", "figcaption",
    "ul", "ol", "dl", "dt", "dd", "list", "table", "thead", "tbody", "tfoot", "caption", "address",
    "center", "hr", "fieldset", "details", "summary", "html", "doc", "text", "lg", "l",
})
_HEADINGS = {f"h{level}": level for level in range(1, 7)}
_ITEMS = frozenset({"li", "item"})
_ROWS = frozenset({"tr", "row"})
_CELLS = frozenset({"td", "th", "cell"})
_LINE_BREAKS = frozenset({"br", "lb"})


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # a comment or processing instruction
    return tag.rsplit("}", 1)[-1].lower()


class _Blocks:
    def __init__(self) -> None:
        self.blocks: list[str] = []
        self._pieces: list[str] = []

    def add(self, text: str | None) -> None:
        if text:
            self._pieces.append(text)

    def end_block(self, prefix: str = "", keep_lines: bool = False) -> None:
        joined = "".join(self._pieces)
        self._pieces = []
        if keep_lines:
            block = "\n".join(line.rstrip() for line in joined.split("\n")).strip("\n")
        else:
            block = "\n".join(" ".join(line.split()) for line in joined.split("\n") if line.strip())
        if block.strip():
            self.blocks.append(prefix + block)


def blocks_of(
    root: etree._Element, skip: frozenset[str] = frozenset(), check: Callable[[], None] = lambda: None,
) -> list[str]:
    """The text blocks under *root*: paragraphs, ``# `` headings, ``- `` list items.
    Elements named in *skip* are left out with everything inside them."""
    out = _Blocks()
    skipped = _SKIPPED | skip
    counter = [0]

    def walk(element: etree._Element) -> None:
        name = _local_name(element)
        counter[0] += 1
        if counter[0] % 2000 == 0:
            check()
        if name in skipped:
            return
        if not name:  # comments: only their tail is text
            return
        if name == "head" and not element.get("rend"):
            return  # an HTML document's <head>: metadata, read elsewhere
        if name in _HEADINGS or name == "head":
            level = _HEADINGS.get(name) or _heading_level(element.get("rend", ""))
            out.end_block()
            inline(element)
            out.end_block("#" * level + " ")
        elif name in _ITEMS:
            out.end_block()
            inline_blocks(element)
            out.end_block("- ")
        elif name in _ROWS:
            out.end_block()
            cells = [" ".join(element_text(child).split()) for child in element if _local_name(child) in _CELLS]
            out.add(" | ".join(cell for cell in cells if cell))
            out.end_block()
        elif name == "pre" or name == "code" and element.getparent() is not None \
                and _local_name(element.getparent()) not in ("p", "item", "li"):
            out.end_block()
            out.add("".join(element.itertext()))
            out.end_block(keep_lines=True)
        elif name in _LINE_BREAKS:
            out.add("\n")
        elif name in _BLOCKS:
            out.end_block()
            inline_blocks(element)
            out.end_block()
        else:
            inline_blocks(element)

    def inline(element: etree._Element) -> None:
        """The element's text, every descendant inline (inside a heading)."""
        out.add(" ".join("".join(_texts(element, skipped)).split()))

    def inline_blocks(element: etree._Element) -> None:
        out.add(element.text)
        for child in element:
            walk(child)
            out.add(child.tail)

    def element_text(element: etree._Element) -> str:
        return "".join(_texts(element, skipped))

    walk(root)
    out.end_block()
    return out.blocks


def _texts(element: etree._Element, skipped: frozenset[str]) -> list[str]:
    pieces: list[str] = []
    if _local_name(element) not in skipped:
        if isinstance(element.tag, str):
            pieces.append(element.text or "")
            for child in element:
                pieces.extend(_texts(child, skipped))
                pieces.append(child.tail or "")
    return pieces


def _heading_level(rend: str) -> int:
    digits = rend[1:2]
    return int(digits) if digits.isdigit() and 1 <= int(digits) <= 6 else 2


def parse_html(data: bytes | str) -> etree._Element | None:
    """Parse HTML or XHTML leniently; None when nothing could be parsed."""
    from lxml import html as lxml_html

    try:
        return lxml_html.document_fromstring(data)
    except (etree.ParserError, ValueError):
        return None


def meta_content(root: etree._Element, *names: str) -> str:
    """The first non-empty ``<meta>`` content among *names* (``name`` or ``property``)."""
    wanted = [name.lower() for name in names]
    found: dict[str, str] = {}
    for meta in root.iter("meta"):
        key = (meta.get("property") or meta.get("name") or "").lower()
        if key in wanted and key not in found and (meta.get("content") or "").strip():
            found[key] = " ".join(meta.get("content", "").split())
    return next((found[name] for name in wanted if name in found), "")
