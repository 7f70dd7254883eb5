"""Each format read into text a passage can cite: pages, headings, and a status for every file."""

from __future__ import annotations

import pytest

from localchat.core.documents.parse import HEADING_SEPARATOR as SEP
from localchat.core.documents.parse import parse_file
from localchat.core.documents.store import FileStatus

from .make_files import write_docx, write_pdf


def test_a_pdf_is_read_per_page_and_a_page_without_text_is_said_to_need_ocr(tmp_path):
    path = write_pdf(tmp_path / "report.pdf", [["Quokkas live on Rottnest Island."], [],
                                               ["The third page is about Paris."]])
    parsed = parse_file(path)
    assert parsed.status is FileStatus.INDEXED
    assert parsed.pages == 3
    assert [(s.page, s.text.strip()) for s in parsed.sections] == [
        (1, "Quokkas live on Rottnest Island."), (3, "The third page is about Paris.")]
    assert parsed.reason == "page 2 without text needs OCR"


def test_a_pdf_of_scans_only_needs_ocr_and_is_not_indexed_as_empty(tmp_path):
    parsed = parse_file(write_pdf(tmp_path / "scan.pdf", [[], []]))
    assert parsed.status is FileStatus.NEEDS_OCR
    assert not parsed.sections
    assert "OCR" in parsed.reason


@pytest.mark.parametrize("data", [b"%PDF-1.7\n1 0 obj garbage", b"not a pdf at all, just text"])
def test_a_corrupt_pdf_fails_with_its_reason(tmp_path, data):
    path = tmp_path / "broken.pdf"
    path.write_bytes(data)
    parsed = parse_file(path)
    assert parsed.status is FileStatus.FAILED
    assert "PDF" in parsed.reason


def test_a_docx_keeps_its_headings_as_a_path(tmp_path):
    path = write_docx(tmp_path / "guide.docx", [
        ("h1", "Animals"), ("p", "An introduction to animals."),
        ("h2", "Marsupials"), ("p", "Quokkas are marsupials."),
        ("h1", "Cities"), ("p", "Paris is a city.")])
    parsed = parse_file(path)
    assert parsed.status is FileStatus.INDEXED
    by_heading = {s.heading: s.text for s in parsed.sections}
    assert "Quokkas are marsupials." in by_heading[f"Animals{SEP}Marsupials"]
    assert "Paris is a city." in by_heading["Cities"]
    for section in parsed.sections:  # offsets point into the document's text
        assert parsed.text.count(section.text.strip()) >= 1


def test_a_corrupt_docx_fails_with_its_reason(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    parsed = parse_file(path)
    assert parsed.status is FileStatus.FAILED
    assert "DOCX" in parsed.reason


def test_markdown_headings_are_a_path_and_code_fences_are_not_headings(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# Travel\n\nIntro.\n\n## France\n\nParis.\n\n```sh\n# not a heading\n```\n\n"
                    "## Italy\n\nRome.\n", encoding="utf-8")
    parsed = parse_file(path)
    headings = [s.heading for s in parsed.sections]
    assert headings == ["Travel", f"Travel{SEP}France", f"Travel{SEP}Italy"]
    assert "# not a heading" in parsed.sections[1].text
    text = path.read_text(encoding="utf-8")
    for s in parsed.sections:
        assert text[s.start:s.start + len(s.text)] == s.text


def test_restructuredtext_titles_are_headings(tmp_path):
    path = tmp_path / "doc.rst"
    path.write_text("=====\nGuide\n=====\n\nIntro.\n\nInstall\n-------\n\npip install it.\n\n"
                    "Usage\n-----\n\nRun it.\n", encoding="utf-8")
    headings = [s.heading for s in parse_file(path).sections]
    assert headings == ["Guide", f"Guide{SEP}Install", f"Guide{SEP}Usage"]


def test_html_is_read_by_a_parser_without_scripts_styles_or_markup(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><head><title>T</title><style>p{color:red}</style></head><body>"
                    "<h1>Wildlife</h1><p>Quokkas &amp; wallabies<br>live here.</p>"
                    "<script>var secret = 1;</script><h2>Birds</h2><p>Black swans.</p></body></html>",
                    encoding="utf-8")
    parsed = parse_file(path)
    text = parsed.text
    assert "Quokkas & wallabies" in text and "live here." in text
    assert "secret" not in text and "color" not in text and "<p>" not in text
    assert [s.heading for s in parsed.sections] == ["Wildlife", f"Wildlife{SEP}Birds"]


def test_source_code_and_text_are_read_as_they_are(tmp_path):
    path = tmp_path / "tool.py"
    path.write_text("def quokka():\n    return 'hello'\n", encoding="utf-8")
    parsed = parse_file(path)
    assert parsed.status is FileStatus.INDEXED
    assert parsed.text == path.read_text()


@pytest.mark.parametrize(("name", "data", "status"), [
    ("empty.txt", b"", FileStatus.EMPTY),
    ("blank.md", b"  \n\n  ", FileStatus.EMPTY),
    ("image.png", b"\x89PNG\r\n\x1a\n\x00\x00", FileStatus.SKIPPED_BINARY),
    ("data.bin2", b"\x00\x01\x02\x03" * 100, FileStatus.SKIPPED_BINARY),
])
def test_empty_and_binary_files_get_a_status_not_an_empty_index(tmp_path, name, data, status):
    path = tmp_path / name
    path.write_bytes(data)
    parsed = parse_file(path)
    assert parsed.status is status
    assert parsed.reason


def test_a_file_that_vanished_fails_with_a_reason(tmp_path):
    parsed = parse_file(tmp_path / "gone.txt")
    assert parsed.status is FileStatus.FAILED
    assert "removed" in parsed.reason


def test_a_text_file_too_large_is_skipped(tmp_path, monkeypatch):
    from localchat.core.documents import parse

    monkeypatch.setattr(parse, "MAX_TEXT_BYTES", 100)
    path = tmp_path / "log.txt"
    path.write_text("x" * 200)
    assert parse_file(path).status is FileStatus.SKIPPED_LARGE
