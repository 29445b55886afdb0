"""Parsing XML from inside archives safely: no entities resolved, nothing fetched."""

from __future__ import annotations

from lxml import etree

from reader.corpus import UnreadableDocument

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


def parse_xml(data: bytes, what: str) -> etree._Element:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as error:
        raise UnreadableDocument(f"damaged {what} ({error})") from error
    if root is None:
        raise UnreadableDocument(f"damaged {what} (no XML)")
    return root


def first_text(root: etree._Element, path: str, namespaces: dict[str, str]) -> str:
    """The white-space-collapsed text of the first element at *path*, or ""."""
    element = root.find(path, namespaces)
    return " ".join("".join(element.itertext()).split()) if element is not None else ""
