"""Finding, decoding and cleaning documents; titles and the catalog."""

from __future__ import annotations

from pathlib import Path

import pytest

from reader import corpus
from reader.corpus import UnreadableDocument, clean_text, decode, read_document, scan, title_from_text

DOC_001 = "001_525fc1980ab55192.txt"
DOC_002 = "002_536f3595c117d20e.txt"
BUNDLED = [
    "000_e3ada0fd6d1921fa.txt",
    DOC_001,
    DOC_002,
    "003_a46e3e2d94785f42.txt",
    "004_d8284c93e39c396c.txt",
]


def _entry(root: Path, rel_path: str) -> corpus.FileEntry:
    (match,) = [entry for entry in scan(root).files if entry.rel_path == rel_path]
    return match


# -- scan ------------------------------------------------------------------------


def test_scan_is_recursive_sorted_and_only_txt_md(make_docs):
    root = make_docs(
        {
            "b.txt": "b",
            "a.md": "a",
            "sub/deeper/c.TXT": "c",
            "sub/z.md": "z",
            "notes.rst": "no",
            "image.png": b"\x89PNG",
            "README": "no suffix",
            ".hidden.txt": "hidden file",
            ".git/config.txt": "hidden folder",
            "sub/.cache/x.md": "hidden nested folder",
            "doc.txt.bak": "backup",
        }
    )
    result = scan(root)
    assert [entry.rel_path for entry in result.files] == ["a.md", "b.txt", "sub/deeper/c.TXT", "sub/z.md"]
    assert result.problems == []
    first = result.files[0]
    assert first.path == root / "a.md"
    assert first.size == 1
    assert first.mtime_ns == (root / "a.md").stat().st_mtime_ns


def test_scan_of_missing_folder_reports_a_problem(tmp_path):
    result = scan(tmp_path / "nope")
    assert result.files == []
    assert len(result.problems) == 1
    assert "not a folder" in result.problems[0].reason


def test_scan_of_empty_folder_is_empty(make_docs):
    result = scan(make_docs({}))
    assert result.files == [] and result.problems == []


def test_scan_of_bundled_documents(bundled_root):
    assert [entry.rel_path for entry in scan(bundled_root).files] == BUNDLED


# -- decode ------------------------------------------------------------------------


def test_decode_utf8():
    text, encoding = decode("Café – “quoted”".encode("utf-8"))
    assert text == "Café – “quoted”"
    assert encoding == "utf-8"


def test_decode_utf8_bom_is_removed():
    text, encoding = decode(b"\xef\xbb\xbfHello BOM")
    assert text == "Hello BOM"
    assert not text.startswith("\ufeff")
    assert encoding == "utf-8"


def test_decode_cp1252_text():
    data = b"Caf\xe9 na\xefve \x93quoted\x94 text. " + (
        b"The workers at the caf\xe9 went on strike for better wages and fair conditions. " * 4
    )
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, encoding = decode(data)
    assert "Café" in text
    assert "“quoted”" in text
    assert encoding.lower() != "utf-8"


def test_decode_binary_with_nul_is_unreadable():
    with pytest.raises(UnreadableDocument, match="binary"):
        decode(b"PK\x03\x04\x00\x00some zip-like \x00 bytes")


def test_decode_empty_is_unreadable():
    with pytest.raises(UnreadableDocument, match="empty"):
        decode(b"")


def test_read_document_binary_and_empty_files(make_docs):
    root = make_docs({"bin.txt": b"abc\x00def", "empty.txt": b"", "blank.md": "  \n\t\n"})
    with pytest.raises(UnreadableDocument, match="binary"):
        read_document(_entry(root, "bin.txt"))
    with pytest.raises(UnreadableDocument, match="empty"):
        read_document(_entry(root, "empty.txt"))
    with pytest.raises(UnreadableDocument, match="white space"):
        read_document(_entry(root, "blank.md"))


def test_read_document_at_missing_file(tmp_path):
    with pytest.raises(UnreadableDocument, match="cannot read"):
        corpus.read_document_at(tmp_path, "missing.txt")


# -- clean_text --------------------------------------------------------------------


def test_clean_text_normalises_line_endings():
    assert clean_text("a\r\nb\rc\u2028d\u2029e\n") == "a\nb\nc\nd\ne\n"


def test_clean_text_makes_escape_visible_and_keeps_offsets():
    raw = "\x1b[31mred\x1b[0m"
    cleaned = clean_text(raw)
    assert cleaned == "␛[31mred␛[0m"
    assert len(cleaned) == len(raw)
    assert cleaned.index("red") == raw.index("red")


def test_clean_text_other_controls_but_not_tab_or_newline():
    cleaned = clean_text("a\x00b\x07c\x7fd\x85e\tf\ng")
    assert cleaned == "a␀b␇c\u2421d\ufffde\tf\ng"
    assert not any(ord(ch) < 0x20 and ch not in "\t\n" for ch in cleaned)


def test_clean_text_leaves_markup_alone():
    assert clean_text("[bold]not bold[/bold] [red]x[/]") == "[bold]not bold[/bold] [red]x[/]"


def test_read_document_cleans_crlf_and_escapes(make_docs):
    root = make_docs({"esc.txt": b"Escape sequences here\r\n\x1b[31mred\x1b[0m [bold]\r\n"})
    document = read_document(_entry(root, "esc.txt"))
    assert document.text == "Escape sequences here\n␛[31mred␛[0m [bold]\n"
    assert "\r" not in document.text and "\x1b" not in document.text


# -- titles and catalog ----------------------------------------------------------------


def test_title_skips_blank_and_masthead_lines():
    text = "\n\n  \nmedia,\nentertainment\n& arts\n\nNyon, 14 March 2024\n\nThe Real Title Here\nbody"
    assert title_from_text(text, fallback="fb") == "The Real Title Here"


def test_title_strips_markdown_heading_and_truncates():
    assert title_from_text("# Heading of the document\n", "fb") == "Heading of the document"
    long_title = title_from_text("word " * 60, "fb")
    assert len(long_title) <= corpus.MAX_TITLE_LENGTH
    assert long_title.endswith("…")


def test_title_falls_back_to_file_stem(make_docs):
    root = make_docs({"short-words.txt": "a b\n\nx\n"})
    assert read_document(_entry(root, "short-words.txt")).title == "short-words"


def test_bundled_001_title_without_catalog(bundled_root):
    document = read_document(_entry(bundled_root, DOC_001))  # no catalog passed
    assert document.title.startswith("Crew Unions")
    assert document.source == "" and document.date == ""


def test_catalog_gives_title_source_and_date(bundled_root):
    catalog = corpus.load_catalog(bundled_root)
    assert sorted(catalog) == BUNDLED
    document = read_document(_entry(bundled_root, DOC_001), catalog)
    assert document.title == "The Global Community of Entertainment Unions Stands in Support of IATSE"
    assert document.source == "UNI Global Union, Media, Entertainment & Arts"
    assert document.date == "2024-03-14"
    kob = read_document(_entry(bundled_root, DOC_002), catalog)
    assert kob.title == "Film workers in New Mexico set for strike Monday"
    assert kob.source.startswith("KOB")


def test_broken_catalog_is_ignored(make_docs):
    root = make_docs({"catalog.toml": "this is = = not toml [", "doc.txt": "A Title From The Text\nbody"})
    assert corpus.load_catalog(root) == {}
    assert read_document(_entry(root, "doc.txt"), corpus.load_catalog(root)).title == "A Title From The Text"


def test_kob_document_keeps_shortcode_literally(bundled_root):
    document = read_document(_entry(bundled_root, DOC_002), corpus.load_catalog(bundled_root))
    assert "[anvplayer video=”5063786″ station=”998127″]" in document.text
    assert document.encoding == "utf-8"


def test_content_hash_is_of_the_bytes(bundled_root):
    entry = _entry(bundled_root, DOC_002)
    document = read_document(entry)
    assert document.content_hash == corpus.content_hash(entry.path.read_bytes())
    assert len(document.content_hash) == 64


def test_clean_text_fast_paths_agree_with_the_full_clean():
    # Plain ASCII is returned as is; one control character anywhere, or a CR at
    # the very end of a long text, still takes the full path.
    plain = "word " * 50_000
    assert clean_text(plain) is plain
    assert clean_text(plain + "\x1b") == plain + "\u241b"
    assert clean_text(plain + "\r") == plain + "\n"
    assert clean_text("caf\u00e9\x07") == "caf\u00e9\u2407"


def test_title_is_found_near_the_top_of_a_long_text():
    assert title_from_text("\n" * 3 + "A Long Contract Title\n" + "body text\n" * 100_000, "f") == (
        "A Long Contract Title"
    )


def test_a_document_repr_leaves_out_its_text(tmp_path):
    # Textual's @work repr-s worker arguments; a book's text must not be in it.
    path = tmp_path / "book.txt"
    path.write_text("Title line here\n" + "word " * 10_000, encoding="utf-8")
    stat = path.stat()
    document = read_document(corpus.FileEntry("book.txt", path, stat.st_size, stat.st_mtime_ns))
    assert "word word" not in repr(document)
    assert "book.txt" in repr(document)
