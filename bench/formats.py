"""The ``formats`` group: PDFs, web pages, Word files and EPUBs through the reader.

The bench makes a mixed corpus (``bench.format_files``, with the seeded word model
of ``bench.corpus_gen``): by default 200 PDFs of 20 pages, 500 web pages, 100 DOCX
and 50 EPUB, one 300-page PDF, one 10 kB text file, and as many ``.txt`` files as
the mixed corpus has files (the text case of the start-up check).  Figures, each
against a baseline in the same run, alternately:

* ``formats.build.reader``: cold build of the mixed corpus (fresh data dir, empty
  extraction cache), ``Workspace`` → ``DocumentIndex.update()``, as
  ``iatse-reader index`` does: extraction, text flow, cache writes and indexing;
  ``formats.build.extract``: the chosen libraries alone extracting the same files
  with the same number of processes (PDFium's page text, trafilatura's article,
  lxml over the DOCX XML and the EPUB chapters), nothing written.
* ``formats.build.reader_extract``: the reader's own reading of the same files
  (extraction, cleaning, text flow, cache writes) without the index, the same
  processes: what the reader adds over the libraries, apart from Whoosh.
* ``formats.open.pdf300``: ``Workspace.read`` of the 300-page PDF once it is in the
  extraction cache; ``formats.open.text10k``: the 10 kB text file;
  ``formats.open.pdf300_as_text``: a text file holding the same text as the PDF.
* ``formats.tui_open.{pdf300,text10k}``: the same two opened in the reader (the
  app under Pilot), from the request until the text is on screen and painted: the
  open a user waits for, and the figure the issue's ≤ 2× target is checked on.
* ``formats.check.mixed``: the start-up check of the unchanged mixed folder (a
  fresh ``Workspace``, ``update()``); ``formats.check.text``: the same for a
  folder of as many text files.
* ``formats.pdf.pages_per_second``: the PDFs' pages over the seconds the reader's
  extraction (``reader.formats.reading.extract_file``, one process) takes, and
  ``formats.pdf.pdfium_pages_per_second`` for PDFium alone.
"""

from __future__ import annotations

import json
import random
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.common import Figure, Report, alternate, log, open_workspace, timed
from bench.corpus_gen import DEFAULT_SEED, WordModel


@dataclass(frozen=True)
class FormatSizes:
    pdfs: int = 200
    pdf_pages: int = 20
    html: int = 500
    docx: int = 100
    epub: int = 50
    big_pdf_pages: int = 300
    seed: int = DEFAULT_SEED


# -- the corpus ---------------------------------------------------------------------

def _pdf_pages(model: WordModel, rng: random.Random, pages: int) -> list[list[str]]:
    import textwrap

    result: list[list[str]] = []
    carry: list[str] = []
    for _ in range(pages):
        lines = carry
        while len(lines) < 46:
            lines.extend(textwrap.wrap(" ".join(model.sentence(rng) for _ in range(rng.randint(2, 6))), 86))
            lines.append("")
        result.append(lines[:46])
        carry = lines[46:]  # the paragraph goes on on the next page
    return result


def generate(folder: Path, sizes: FormatSizes) -> dict[str, list[Path]]:
    """Write the mixed corpus under *folder*/mixed, the text twin under *folder*/text
    and the open test files under *folder*/open; reuse them when *sizes* match."""
    from bench.format_files import make_docx, make_epub, make_html, make_pdf

    manifest = folder / "manifest.json"
    try:
        if json.loads(manifest.read_text(encoding="utf-8")) == asdict(sizes):
            return _listing(folder)
    except (OSError, ValueError):
        pass
    shutil.rmtree(folder, ignore_errors=True)
    model = WordModel(sizes.seed)
    mixed = folder / "mixed"
    started = time.perf_counter()
    for number in range(sizes.pdfs):
        rng = random.Random(f"pdf-{number}")
        make_pdf(mixed / "pdf" / f"contract_{number:04}.pdf", _pdf_pages(model, rng, sizes.pdf_pages),
                 title=model.sentence(rng)[:60], author="Bench Local")
    for number in range(sizes.html):
        rng = random.Random(f"html-{number}")
        make_html(mixed / "web" / f"page_{number:04}.html", model.sentence(rng)[:70],
                  [model.paragraph(rng).replace("\n", " ") for _ in range(rng.randint(4, 12))],
                  subheading=model.sentence(rng)[:40])
    for number in range(sizes.docx):
        rng = random.Random(f"docx-{number}")
        blocks = [("h1", model.sentence(rng)[:60])]
        for _ in range(rng.randint(10, 30)):
            blocks.append(("h2", model.sentence(rng)[:40]) if rng.random() < 0.15
                          else ("p", model.paragraph(rng).replace("\n", " ")))
        make_docx(mixed / "office" / f"memo_{number:04}.docx", blocks, title=blocks[0][1])
    for number in range(sizes.epub):
        rng = random.Random(f"epub-{number}")
        chapters = [(model.sentence(rng)[:40], [model.paragraph(rng).replace("\n", " ") for _ in range(20)])
                    for _ in range(rng.randint(5, 12))]
        make_epub(mixed / "books" / f"book_{number:04}.epub", chapters, title=model.sentence(rng)[:50])
    count = sum(1 for _ in mixed.rglob("*.*"))
    for number in range(count):  # the text case of the start-up check: as many files
        path = folder / "text" / f"part_{number // 100:03}" / f"doc_{number:05}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(model.document(random.Random(f"text-{number}"), 2000), encoding="utf-8")
    opened = folder / "open"
    make_pdf(opened / "book300.pdf", _pdf_pages(model, random.Random("big"), sizes.big_pdf_pages), title="Big")
    (opened / "small.txt").write_text(model.document(random.Random("small"), 10_000), encoding="utf-8")
    log(f"  generated {count} mixed files and their text twin in {time.perf_counter() - started:.1f} s")
    manifest.write_text(json.dumps(asdict(sizes)), encoding="utf-8")
    return _listing(folder)


def _listing(folder: Path) -> dict[str, list[Path]]:
    return {"mixed": sorted(path for path in (folder / "mixed").rglob("*.*")),
            "pdf": sorted((folder / "mixed" / "pdf").glob("*.pdf"))}


# -- the libraries alone ---------------------------------------------------------------

def extract_alone(path_name: str) -> int:
    """What the chosen libraries do for one file, nothing more; returns characters."""
    path = Path(path_name)
    data = path.read_bytes()
    suffix = path.suffix
    if suffix == ".pdf":
        import pypdfium2

        document = pypdfium2.PdfDocument(data)
        total = 0
        for index in range(len(document)):
            page = document[index]
            text_page = page.get_textpage()
            total += len(text_page.get_text_range())
            text_page.close()
            page.close()
        document.close()
        return total
    if suffix == ".html":
        import trafilatura

        found = trafilatura.bare_extraction(data, favor_recall=True, with_metadata=True, include_comments=False,
                                            include_tables=True, include_images=False, deduplicate=False)
        return len(found.text or "") if found is not None else 0
    import io
    import zipfile

    from lxml import etree, html

    archive = zipfile.ZipFile(io.BytesIO(data))
    if suffix == ".docx":
        return len("".join(etree.fromstring(archive.read("word/document.xml")).itertext()))
    total = 0  # EPUB: every XHTML member, as the spine lists them
    for name in archive.namelist():
        if name.endswith(".xhtml"):
            total += len(html.document_fromstring(archive.read(name)).text_content())
    return total


def extract_with_reader(job: tuple[str, str]) -> int:
    """What the reader's build does for one file, less the index: read, extract,
    clean, reflow, write the extraction cache; returns characters."""
    from reader import corpus

    path_name, cache = job
    path = Path(path_name)
    stat = path.stat()
    try:
        document = corpus.read_document(corpus.FileEntry(path.name, path, stat.st_size, stat.st_mtime_ns),
                                        extraction_cache=Path(cache))
    except corpus.UnreadableDocument:
        return 0
    return len(document.text)


def _run_all(function, jobs: list, workers: int) -> float:
    started = time.perf_counter()
    if workers > 1:
        import multiprocessing

        with multiprocessing.get_context("spawn").Pool(workers) as pool:
            sum(pool.imap(function, jobs, chunksize=8))
    else:
        for job in jobs:
            function(job)
    return time.perf_counter() - started


# -- the group -------------------------------------------------------------------------

def run_formats(work: Path, report: Report, sizes: FormatSizes, runs: int) -> None:
    from reader.index.parallel_build import _workers_for
    from reader.formats import reading

    folder = work / "formats"
    log("  generating the mixed corpus (or reusing it)")
    files = generate(folder, sizes)
    mixed = files["mixed"]
    workers = _workers_for(len(mixed))
    scratch = folder / "runs"
    shutil.rmtree(scratch, ignore_errors=True)
    documents: list[int] = []

    def reader_build(round_: int) -> float:
        workspace = open_workspace(folder / "mixed", "bench-formats", scratch / f"data-{round_}")
        elapsed, built = timed(workspace.index.update)
        documents.append(len(built.added))
        workspace.index.close()
        if round_ < runs - 1:
            shutil.rmtree(scratch / f"data-{round_}", ignore_errors=True)
        return elapsed

    # Warm the imports (PDFium, trafilatura, lxml) in this process, as a real build's second file would.
    extract_alone(str(files["pdf"][0]))
    names = [str(path) for path in mixed]

    def reader_extract(round_: int) -> float:
        cache = scratch / f"extract-{round_}"
        elapsed = _run_all(extract_with_reader, [(name, str(cache)) for name in names], workers)
        shutil.rmtree(cache, ignore_errors=True)
        return elapsed

    samples = alternate(runs, [("reader", reader_build), ("extract", lambda _: _run_all(extract_alone, names, workers)),
                               ("reader_extract", reader_extract)], log=log)
    report.add("formats.build.reader", Figure(
        f"cold build of {len(mixed)} mixed files ({workers} process(es))", "s", samples["reader"]))
    report.add("formats.build.extract", Figure(
        f"the libraries alone extracting the same files ({workers} process(es))", "s", samples["extract"]))
    report.add("formats.build.reader_extract", Figure(
        f"the reader's extraction of the same files, cache written, no index ({workers} process(es))", "s",
        samples["reader_extract"]))
    data_dir = scratch / f"data-{runs - 1}"

    # Opening from the cache, against text files.
    opened = folder / "open"
    workspace = open_workspace(opened, "bench-formats-open", data_dir)
    big = workspace.read("book300.pdf")  # extracts and fills the cache (untimed)
    (opened / "same-text.txt").write_text(big.text, encoding="utf-8")
    open_runs = max(5, runs * 10)
    samples = alternate(open_runs, [
        ("pdf300", lambda _: 1000 * timed(lambda: workspace.read("book300.pdf"))[0]),
        ("text10k", lambda _: 1000 * timed(lambda: workspace.read("small.txt"))[0]),
        ("pdf300_as_text", lambda _: 1000 * timed(lambda: workspace.read("same-text.txt"))[0]),
    ])
    report.add("formats.open.pdf300", Figure(
        f"open a {len(big.pages)}-page PDF ({len(big.text) // 1000} kB of text) from the extraction cache",
        "ms", samples["pdf300"]))
    report.add("formats.open.text10k", Figure("open a 10 kB text file", "ms", samples["text10k"]))
    report.add("formats.open.pdf300_as_text", Figure(
        "open a text file holding the 300-page PDF's text", "ms", samples["pdf300_as_text"]))

    _open_in_reader(opened, data_dir, report, open_runs)

    # The start-up check of an unchanged folder: mixed formats against text.
    text_data = scratch / "data-text"
    open_workspace(folder / "text", "bench-formats-text", text_data).index.update()  # untimed build

    def check(root: Path, key: str, data: Path) -> float:
        fresh = open_workspace(root, key, data)
        elapsed, result = timed(fresh.index.update)
        assert not result.changed, "the start-up check found changes in an unchanged folder"
        fresh.index.close()
        return elapsed

    samples = alternate(max(3, runs * 5), [
        ("mixed", lambda _: check(folder / "mixed", "bench-formats", data_dir)),
        ("text", lambda _: check(folder / "text", "bench-formats-text", text_data)),
    ])
    report.add("formats.check.mixed", Figure(f"start-up check, {len(mixed)} unchanged mixed files", "s",
                                             samples["mixed"]))
    report.add("formats.check.text", Figure(f"start-up check, {len(mixed)} unchanged text files", "s",
                                            samples["text"]))

    # PDF pages per second, one process: the reader's extraction and PDFium alone.
    pdfs = files["pdf"]
    pages = sizes.pdfs * sizes.pdf_pages

    def reader_pdfs(_: int) -> float:
        elapsed, _result = timed(lambda: [reading.extract_file(path.read_bytes(), path.name) for path in pdfs])
        return pages / elapsed

    def pdfium_pdfs(_: int) -> float:
        elapsed, _result = timed(lambda: [extract_alone(str(path)) for path in pdfs])
        return pages / elapsed

    samples = alternate(runs, [("reader", reader_pdfs), ("pdfium", pdfium_pdfs)])
    report.add("formats.pdf.pages_per_second", Figure(
        "PDF pages per second, the reader's extraction (one process)", "pages/s", samples["reader"], better="higher"))
    report.add("formats.pdf.pdfium_pages_per_second", Figure(
        "PDF pages per second, PDFium alone (one process)", "pages/s", samples["pdfium"], better="higher"))
    report.details["formats"] = {"sizes": asdict(sizes), "files": len(mixed), "workers": workers,
                                 "indexed": documents, "big_pdf_pages": len(big.pages),
                                 "big_pdf_text_chars": len(big.text)}


def _open_in_reader(opened: Path, data_dir: Path, report: Report, runs: int) -> None:
    """Figures formats.tui_open.{pdf300,text10k}: the open as a reader sees it, from
    the request until the document is on screen and painted (as ``open big`` in
    bench/tui.py measures it), with the PDF's extraction already cached."""
    import asyncio

    from bench.tui import UI, make_app, timed_until, until, wait_ready

    names = {"pdf300": "book300.pdf", "text10k": "small.txt"}
    samples: dict[str, list[float]] = {stem: [] for stem in names}

    async def scenario() -> None:
        app = make_app(opened, "bench-formats-open", data_dir)
        ui = UI(app)
        async with app.run_test(size=(140, 45)) as pilot:
            await wait_ready(ui, len(list(opened.iterdir())))
            for _round in range(runs):
                for stem, name in names.items():
                    samples[stem].append(1000 * await timed_until(
                        pilot, lambda: ui.open(name),
                        lambda: ui.open_path() == name and app.reader.text != "", f"{name} open"))
                    ui.open("same-text.txt")  # so the next open of *name* is a real open
                    await until(lambda: ui.open_path() == "same-text.txt", "same-text.txt open")

    asyncio.run(scenario())
    report.add("formats.tui_open.pdf300", Figure(
        "open the 300-page PDF in the reader (cached): request to painted", "ms", samples["pdf300"]))
    report.add("formats.tui_open.text10k", Figure(
        "open a 10 kB text file in the reader: request to painted", "ms", samples["text10k"]))
