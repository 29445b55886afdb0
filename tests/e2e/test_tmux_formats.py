"""End to end: a folder of PDFs, web pages and office files in the installed
command, in tmux: the list shows their titles and the bad files' reasons; a phrase
that runs across a PDF page break is found, opened and stepped to."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bench.format_files import make_docx, make_html
from formats_helpers import CROSSING_PHRASE, contract_pdf

from .test_tmux import START_TIMEOUT, Tmux, _all_on_screen, reader_command

pytestmark = pytest.mark.e2e


def test_pdf_phrase_across_a_page_break_is_found_and_shown(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    contract_pdf(docs / "basic-agreement.pdf")
    contract_pdf(docs / "locked.pdf", encrypt="secret")
    make_html(docs / "variety.html", "Crew members ratify new contract", ["Members voted yes on Friday."])
    make_docx(docs / "memo.docx", [("h1", "Grievance Memo"), ("p", "The meal penalty was not paid.")])
    data_dir = tmp_path / "data"
    tmux = Tmux(tmp_path)
    try:
        tmux.start("pdf", [str(reader_command()), "--docs", str(docs), "--data-dir", str(data_dir)])
        tmux.wait_for_screen("pdf", _all_on_screen("Basic Agreement 2024", "Crew members ratify new contract",
                                                   "Grievance Memo", "password-protected"),
                             what="the titles of the PDF, page and memo, and the locked PDF's reason",
                             timeout=START_TIMEOUT)
        tmux.send_keys("pdf", "/")
        tmux.wait_for_screen("pdf", "Clear search", what="the search bar to take the focus")
        tmux.send_keys("pdf", f'"{CROSSING_PHRASE}"', literal=True)
        tmux.send_keys("pdf", "Enter")
        tmux.wait_for_screen("pdf", "Results (1)")
        tmux.send_keys("pdf", "Enter")
        tmux.wait_for_screen("pdf", "1 hit for", what="the PDF open with its hit")
        tmux.send_keys("pdf", "n")
        screen = tmux.wait_for_screen("pdf", "hit 1 of 1")
        # The sentence reads whole across the page break (one paragraph, no page
        # number or running header between), and the hit is lit: the phrase starts
        # a styled run of its own, the "grievance." before it does not.
        # (At 80 columns the reader may wrap the sentence: its rows are read joined.)
        rows = [line.strip("│▁▂▃▄▅▆▇█ ") for line in screen.splitlines()]
        assert "rate is a grievance. Every grievance shall be" in " ".join(rows), screen
        assert "filed within thirty days of the event" in screen, screen
        assert "Basic Agreement 2024        2" not in screen and "Traceback" not in screen
        styled = tmux.run("capture-pane", "-e", "-p", "-t", "pdf").stdout
        # (the cursor, in reverse video, may sit on the hit's first letter)
        assert re.search(r"Every (\x1b\[[0-9;]*m)+g?(\x1b\[[0-9;]*m)*rievance shall be", styled), styled
        assert not re.search(r"\x1b\[[0-9;]*m(\x1b\[[0-9;]*m)*grievance\.", styled)
    finally:
        tmux.kill_server()
