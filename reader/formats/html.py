"""Saved web pages: the article, not the navigation, banners and footers.

trafilatura finds the article and its metadata (title from ``og:title`` or
``<title>``, ``article:published_time``, the site name); ``favor_recall=True``
because its default precision mode was measured dropping real paragraphs.  Its
XML result goes through :mod:`reader.formats.markup`, so headings stay ``#`` lines.

When trafilatura finds no article (a page that is all list, a bare fragment) or
the file is too big for it to be quick, the whole body is read instead, less its
``nav``/``header``/``footer``/``aside``.
"""

from __future__ import annotations

import logging
import re

from reader.corpus import UnreadableDocument
from reader.formats import Extraction
from reader.formats.limits import Deadline
from reader.formats.markup import CHROME, blocks_of, meta_content, parse_html

#: Above this the article extractor is skipped (it takes ~1 s a megabyte): the body is read whole.
MAX_ARTICLE_BYTES = 4 * 1024 * 1024
#: Above this a web page is not read at all.
MAX_HTML_BYTES = 64 * 1024 * 1024


_NOT_A_LETTER = re.compile(r"[\W_]+")
#: Lines are checked against the page's <article> up to this many letters (each check a substring search).
MAX_ARTICLE_CHECK_CHARS = 200_000


def extract(data: bytes, deadline: Deadline) -> Extraction:
    if len(data) > MAX_HTML_BYTES:
        raise UnreadableDocument(f"a web page of {len(data) // (1024 * 1024)} MB is too large to read")
    root = parse_html(data)
    if root is None:
        raise UnreadableDocument("not readable as a web page")
    deadline.check()
    page_meta = _page_metadata(root)
    blocks: list[str] = []
    metadata: dict[str, str] = {}
    if len(data) <= MAX_ARTICLE_BYTES:
        blocks, metadata = _article(data)
        blocks = _within_the_article_element(blocks, root)
        deadline.check()
    if not blocks:
        body = root.find("body")
        blocks = blocks_of(body if body is not None else root, skip=CHROME, check=deadline.check)
    text = "\n\n".join(blocks)
    if not text.strip():
        raise UnreadableDocument("no text (a web page with nothing to read)")
    return Extraction(
        "html", text,
        title=metadata.get("title") or page_meta["title"],
        author=metadata.get("author") or page_meta["author"],
        date=metadata.get("date") or page_meta["date"],
        source=metadata.get("source") or page_meta["source"],
    )


def _article(data: bytes) -> tuple[list[str], dict[str, str]]:
    import trafilatura  # ~0.3 s to import: only when a web page is read

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # it logs every discarded block
    try:
        found = trafilatura.bare_extraction(
            data, favor_recall=True, with_metadata=True, include_comments=False, include_tables=True,
            include_images=False, deduplicate=False,
        )
    except Exception:  # a page that trips the extractor is still read, whole
        return [], {}
    if found is None or getattr(found, "body", None) is None:
        return [], {}
    metadata = {"title": found.title or "", "author": found.author or "", "date": found.date or "",
                "source": found.sitename or ""}
    return blocks_of(found.body), metadata


def _within_the_article_element(blocks: list[str], root: object) -> list[str]:
    """*blocks* less those outside the page's one ``<article>`` (else its one
    ``<main>``), when the page marks its article so.

    In recall mode trafilatura keeps the menu and a banner of a page whose article
    is short (two paragraphs: "Home", "Film", "Subscribe now…" came first).  A
    page that says where its article is settles it.  Only when that keeps most of
    the text: a page whose ``<article>`` is a teaser keeps what trafilatura found."""
    for tag in ("article", "main"):
        found = root.findall(f".//{tag}")  # type: ignore[attr-defined]
        if len(found) == 1:
            article = _squashed(found[0].text_content())
            break
    else:
        return blocks
    if len(article) > MAX_ARTICLE_CHECK_CHARS:
        return blocks  # a long article: trafilatura's precision holds, and a line search per line would not be quick
    kept = []
    for block in blocks:  # line by line: trafilatura may give the page as one block
        lines = [line for line in block.split("\n") if _squashed(line) in article]
        if lines:
            kept.append("\n".join(lines))
    if sum(map(len, kept)) * 2 < sum(map(len, blocks)):
        return blocks
    return kept


def _squashed(text: str) -> str:
    """Letters and digits only: the article's text and trafilatura's lines compare
    whatever the spacing and punctuation around inline elements (``<a>IATSE</a>,``,
    ``turn<b>around</b>``).  Every line of the article is found in it, so no line
    of the article is dropped; a menu word that also occurs in the article stays."""
    return _NOT_A_LETTER.sub("", text)


def _page_metadata(root: object) -> dict[str, str]:
    title_element = root.find(".//title")  # type: ignore[attr-defined]
    title = " ".join((title_element.text_content() if title_element is not None else "").split())
    return {
        "title": meta_content(root, "og:title", "twitter:title") or title,  # type: ignore[arg-type]
        "author": meta_content(root, "author", "article:author"),  # type: ignore[arg-type]
        "date": meta_content(root, "article:published_time", "date", "dc.date")[:10],  # type: ignore[arg-type]
        "source": meta_content(root, "og:site_name", "application-name"),  # type: ignore[arg-type]
    }
