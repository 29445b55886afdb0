"""A folder of PDFs and web pages in the app: listed at once by file name, then by
title once the index build has extracted them, with the bad files' reasons."""

from __future__ import annotations

from bench.format_files import make_html
from formats_helpers import contract_pdf

from .conftest import make_app, open_doc, run_app, screen_text, wait_for


def test_first_start_lists_files_by_name_then_by_their_titles(tmp_path):
    docs = tmp_path / "docs"
    contract_pdf(docs / "basic-agreement.pdf")
    contract_pdf(docs / "locked.pdf", encrypt="secret")
    make_html(docs / "variety.html", "Crew members ratify new contract", ["Members voted yes on Friday."])
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_for(pilot, lambda: app.index_ready, what="index ready", timeout=30)
        await wait_for(pilot, lambda: [row.title for row in app.documents] == [
            "Basic Agreement 2024", "Crew members ratify new contract"], what="titles after the build", timeout=30)
        await wait_for(pilot, lambda: "locked.pdf: password-protected" in screen_text(app),
                       what="the locked PDF's reason in the status")
        assert not app.workspace.listed_unread

    run_app(app, scenario)


def test_an_extracted_document_is_not_said_to_be_read_as_an_encoding(tmp_path):
    """"read as …" is for a text file's guessed code page: a PDF or web page has none."""
    docs = tmp_path / "docs"
    contract_pdf(docs / "basic-agreement.pdf")
    make_html(docs / "variety.html", "Crew members ratify new contract", ["Members voted yes on Friday."])
    app = make_app(tmp_path / "data", docs)

    async def scenario(pilot):
        await wait_for(pilot, lambda: app.index_ready and len(app.documents) == 2, what="index ready", timeout=30)
        for rel_path, title in (("basic-agreement.pdf", "Basic Agreement 2024"),
                                ("variety.html", "Crew members ratify new contract")):
            await open_doc(pilot, rel_path)
            await wait_for(pilot, lambda: app.status.message.startswith(title), what=f"{rel_path} opened")
            assert app.status.message == title

    run_app(app, scenario)
