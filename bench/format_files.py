"""Files in every extracted format, made from plain text: for the tests and the
``formats`` bench group (no fixtures to download).

PDFs come from reportlab with the Vera font it ships (so ``ﬁ`` ligatures render),
each page with a running header that carries the page number and a bare page
number at the foot, as real contracts have; DOCX from python-docx; EPUB and ODT
are zip files written here; RTF and HTML are text.  Needs the ``[test]`` extras.
"""

from __future__ import annotations

import textwrap
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape

Block = tuple[str, str]  # ("h1".."h3" | "p" | "li", text)


def wrap_lines(paragraphs: Sequence[str], width: int = 78) -> list[str]:
    """*paragraphs* wrapped to *width* columns, one blank line between them (what a
    PDF page shows: the blank is vertical space, which PDFium does not report)."""
    lines: list[str] = []
    for paragraph in paragraphs:
        lines.extend(textwrap.wrap(paragraph, width, break_on_hyphens=False) or [""])
        lines.append("")
    return lines[:-1]


def make_pdf(
    path: Path, pages: Sequence[Sequence[str]], *, title: str = "", author: str = "",
    header: str = "Basic Agreement 2024", page_numbers: bool = True, encrypt: str | None = None,
    text_layer: bool = True,
) -> Path:
    """A PDF with one page per list of lines; *header* (followed by the page number)
    at the top of every page and the bare page number at the foot."""
    import reportlab
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "Vera" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("Vera", str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf = canvas.Canvas(str(path), pagesize=letter, encrypt=encrypt, invariant=True)
    if title:
        pdf.setTitle(title)
    if author:
        pdf.setAuthor(author)
    for number, lines in enumerate(pages, start=1):
        if header:
            pdf.setFont("Vera", 8)
            pdf.drawString(72, 750, f"{header}        {number}")
        if text_layer:
            pdf.setFont("Vera", 10)
            y = 720.0
            for line in lines:
                if line:
                    pdf.drawString(72, y, line)
                y -= 13
        else:  # a "scan": shapes, no text
            for row in range(20):
                pdf.rect(72, 700 - row * 30, 400, 12, fill=1)
        if page_numbers:
            pdf.setFont("Vera", 8)
            pdf.drawString(300, 40, str(number))
        pdf.showPage()
    pdf.save()
    return path


def make_docx(path: Path, blocks: Sequence[Block], *, title: str = "", author: str = "",
              table: Sequence[Sequence[str]] = ()) -> Path:
    import docx

    document = docx.Document()
    for kind, text in blocks:
        if kind.startswith("h"):
            document.add_heading(text, level=int(kind[1:]))
        elif kind == "li":
            document.add_paragraph(text, style="List Bullet")
        else:
            document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, values in zip(grid.rows, table):
            for cell, value in zip(row.cells, values):
                cell.text = value
    document.core_properties.title = title
    document.core_properties.author = author
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def make_odt(path: Path, blocks: Sequence[Block], *, title: str = "", author: str = "") -> Path:
    body = []
    for kind, text in blocks:
        if kind.startswith("h"):
            body.append(f'<text:h text:outline-level="{kind[1:]}">{escape(text)}</text:h>')
        elif kind == "li":
            body.append(f"<text:list><text:list-item><text:p>{escape(text)}</text:p></text:list-item></text:list>")
        else:
            body.append(f"<text:p>{escape(text)}</text:p>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2">'
        f'<office:body><office:text>{"".join(body)}</office:text></office:body></office:document-content>'
    )
    meta = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/">'
        f"<office:meta><dc:title>{escape(title)}</dc:title><meta:initial-creator>{escape(author)}"
        "</meta:initial-creator><meta:creation-date>2023-05-04T10:00:00</meta:creation-date></office:meta>"
        "</office:document-meta>"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", content)
        archive.writestr("meta.xml", meta)
        archive.writestr("META-INF/manifest.xml", "<manifest/>")
    return path


def make_epub(path: Path, chapters: Sequence[tuple[str, Sequence[str]]], *, title: str = "",
              author: str = "", publisher: str = "", date: str = "2021-03-01") -> Path:
    """An EPUB with one XHTML file per (chapter title, paragraphs), in spine order."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/epub+zip")
        archive.writestr("META-INF/container.xml", (
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>'
            "</rootfiles></container>"))
        items, refs = [], []
        for number, (heading, paragraphs) in enumerate(chapters, start=1):
            name = f"text/chapter{number}.xhtml"
            paras = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
            archive.writestr(f"OEBPS/{name}", (
                '<?xml version="1.0" encoding="utf-8"?><html xmlns="http://www.w3.org/1999/xhtml">'
                f"<head><title>{escape(heading)}</title></head><body><h1>{escape(heading)}</h1>{paras}</body></html>"))
            items.append(f'<item id="c{number}" href="{name}" media-type="application/xhtml+xml"/>')
            refs.append(f'<itemref idref="c{number}"/>')
        # The spine lists the chapters in reverse of the manifest: reading order is the spine's.
        archive.writestr("OEBPS/content.opf", (
            '<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0">'
            '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(author)}</dc:creator>"
            f"<dc:publisher>{escape(publisher)}</dc:publisher><dc:date>{date}</dc:date></metadata>"
            f'<manifest>{"".join(reversed(items))}</manifest><spine>{"".join(refs)}</spine></package>'))
    return path


def make_rtf(path: Path, paragraphs: Sequence[str], *, title: str = "", author: str = "") -> Path:
    def rtf_escape(text: str) -> str:
        text = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
        return "".join(character if ord(character) < 128 else f"\\u{ord(character)}?" for character in text)

    body = "".join(f"{rtf_escape(paragraph)}\\par\n" for paragraph in paragraphs)
    info = f"{{\\info{{\\title {rtf_escape(title)}}}{{\\author {rtf_escape(author)}}}{{\\creatim\\yr2022\\mo6\\dy9}}}}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{{\\rtf1\\ansi\\deff0{{\\fonttbl{{\\f0 Times;}}}}{info}\n{body}}}", encoding="ascii")
    return path


def make_html(path: Path, title: str, paragraphs: Sequence[str], *, site: str = "Variety",
              published: str = "2024-07-26T10:00:00Z", author: str = "", subheading: str = "") -> Path:
    """A saved news page: navigation, a banner and a footer around the article."""
    paras = "".join(f"<p>{escape(paragraph)}</p>" for paragraph in paragraphs)
    middle = len(paragraphs) // 2
    if subheading:
        paras = ("".join(f"<p>{escape(p)}</p>" for p in paragraphs[:middle]) + f"<h2>{escape(subheading)}</h2>"
                 + "".join(f"<p>{escape(p)}</p>" for p in paragraphs[middle:]))
    html = (
        f"<!DOCTYPE html><html><head><title>{escape(title)} | {escape(site)}</title>"
        f'<meta property="og:title" content="{escape(title)}"><meta property="og:site_name" content="{escape(site)}">'
        f'<meta property="article:published_time" content="{published}"><meta name="author" content="{escape(author)}">'
        "</head><body>"
        '<nav><ul><li><a href="/">Home</a></li><li><a href="/film">Film</a></li><li><a href="/tv">TV</a></li>'
        '<li><a href="/music">Music</a></li></ul></nav><div class="promo">Subscribe now and save on every issue.</div>'
        f'<main><article><h1>{escape(title)}</h1>{paras}</article></main>'
        '<aside><h3>Most popular</h3><ul><li><a href="/a">A story everyone read</a></li></ul></aside>'
        f"<footer><p>Copyright 2024 {escape(site)} Media, LLC. All rights reserved.</p>"
        '<a href="/privacy">Privacy policy</a></footer></body></html>'
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    return path
