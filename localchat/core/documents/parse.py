"""Files to text: per page (PDF) and under their headings (DOCX, Markdown, reStructuredText,
HTML), with a status for each file.

``parse_file(path)`` never raises for a bad file: a corrupt PDF, a file that vanished, a binary
file or one too large comes back as a ``ParsedFile`` whose status and reason say so. A PDF page
with almost no text (a scan) is counted as needing OCR rather than indexed as empty; a PDF with
only such pages is ``NEEDS_OCR``.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from localchat.core.documents.store import FileStatus

log = logging.getLogger(__name__)

MAX_TEXT_BYTES = 20 * 1024 * 1024  # a text file larger than this is a log or a dump, not a document
MAX_BINARY_DOCUMENT_BYTES = 200 * 1024 * 1024  # PDF, DOCX
MIN_PAGE_CHARACTERS = 16  # a PDF page with fewer letters and digits is a scan or a picture
HEADING_SEPARATOR = " › "

MARKDOWN = {".md", ".markdown", ".mdown", ".mkd"}
RESTRUCTURED = {".rst", ".rest"}
HTML = {".html", ".htm", ".xhtml"}
BINARY_SUFFIXES = {
    ".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp", ".ico", ".zip", ".gz", ".bz2",
    ".xz", ".7z", ".rar", ".tar", ".exe", ".dll", ".so", ".dylib", ".o", ".a", ".pyc", ".class", ".jar",
    ".mp3", ".mp4", ".wav", ".flac", ".ogg", ".mov", ".avi", ".mkv", ".gguf", ".bin", ".safetensors",
    ".sqlite", ".sqlite3", ".db", ".woff", ".woff2", ".ttf", ".otf", ".iso", ".dmg", ".doc", ".xls",
    ".ppt", ".xlsx", ".pptx", ".odt",
}


@dataclass(frozen=True)
class Section:
    """A run of text under one heading path, on one page; ``start`` is its character offset
    in the file's text (in the page's text for a PDF)."""

    text: str
    heading: str = ""
    page: int | None = None
    start: int = 0


@dataclass
class ParsedFile:
    status: FileStatus
    sections: list[Section] = field(default_factory=list)
    reason: str | None = None
    pages: int | None = None
    kind: str = "text"  # "markdown", "pdf", ... which splitter suits it

    @property
    def text(self) -> str:
        return "\n\n".join(s.text for s in self.sections)


def parse_file(path: Path, data: bytes | None = None) -> ParsedFile:
    """Read ``path`` (or its bytes already read, ``data``) into sections and a status."""
    suffix = path.suffix.lower()
    try:
        if data is None:
            size = path.stat().st_size
            limit = MAX_BINARY_DOCUMENT_BYTES if suffix in (".pdf", ".docx") else MAX_TEXT_BYTES
            if size > limit:
                return ParsedFile(FileStatus.SKIPPED_LARGE, reason=f"larger than {limit // (1024 * 1024)} MB")
            data = path.read_bytes()
    except FileNotFoundError:
        return ParsedFile(FileStatus.FAILED, reason="the file was removed while it was being read")
    except OSError as exc:
        return ParsedFile(FileStatus.FAILED, reason=f"it cannot be read: {exc.strerror or exc}")
    if not data.strip():
        return ParsedFile(FileStatus.EMPTY, reason="the file is empty")
    try:
        if suffix == ".pdf":
            parsed = parse_pdf(data)
        elif suffix == ".docx":
            parsed = parse_docx(data)
        elif suffix in BINARY_SUFFIXES:
            return ParsedFile(FileStatus.SKIPPED_BINARY, reason=f"{suffix} files hold no text to index")
        else:
            text = decode_text(data)
            if text is None:
                return ParsedFile(FileStatus.SKIPPED_BINARY, reason="it is not text")
            if suffix in MARKDOWN:
                parsed = ParsedFile(FileStatus.INDEXED, markdown_sections(text), kind="markdown")
            elif suffix in RESTRUCTURED:
                parsed = ParsedFile(FileStatus.INDEXED, rst_sections(text))
            elif suffix in HTML:
                parsed = parse_html(data)
            else:
                parsed = ParsedFile(FileStatus.INDEXED, [Section(text)], kind="text")
    except Exception as exc:  # a parser's failure on one file must not stop the collection
        log.warning("could not parse %s: %s", path, exc)
        return ParsedFile(FileStatus.FAILED, reason=f"it could not be read as {suffix or 'text'}: {exc}")
    if parsed.status is FileStatus.INDEXED and not any(s.text.strip() for s in parsed.sections):
        return ParsedFile(FileStatus.EMPTY, reason="no text was found in it", pages=parsed.pages)
    return parsed


def decode_text(data: bytes) -> str | None:
    """The text of ``data``, or None when it looks binary (a NUL byte, or undecodable)."""
    if b"\x00" in data[:8192]:
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            return data.decode("utf-16")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text[:8192] if ord(c) < 32 and c not in "\t\n\r\f")
    return None if controls > len(text[:8192]) // 100 else text


# -- PDF -------------------------------------------------------------------------------------
def parse_pdf(data: bytes) -> ParsedFile:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        return ParsedFile(FileStatus.FAILED, reason=f"it is not a readable PDF ({exc})")
    try:
        sections, scanned = [], []
        for number in range(len(pdf)):
            page = pdf[number]
            textpage = page.get_textpage()
            text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
            textpage.close()
            page.close()
            if sum(c.isalnum() for c in text) < MIN_PAGE_CHARACTERS:
                scanned.append(number + 1)
                continue
            sections.append(Section(text, page=number + 1))
        pages = len(pdf)
    finally:
        pdf.close()
    if not sections:
        return ParsedFile(FileStatus.NEEDS_OCR, reason=f"none of its {pages} pages has text (a scan?): "
                          "it needs OCR", pages=pages, kind="pdf")
    reason = None
    if scanned:
        many = len(scanned) > 1
        reason = f"page{'s' if many else ''} {_ranges(scanned)} without text need{'' if many else 's'} OCR"
    return ParsedFile(FileStatus.INDEXED, sections, reason=reason, pages=pages, kind="pdf")


def _ranges(numbers: list[int]) -> str:
    parts, start = [], None
    for i, n in enumerate(numbers):
        if start is None:
            start = n
        if i + 1 == len(numbers) or numbers[i + 1] != n + 1:
            parts.append(str(start) if start == n else f"{start}–{n}")
            start = None
    return ", ".join(parts)


# -- headings --------------------------------------------------------------------------------
class _Headings:
    """The heading path at a point of a document: a heading of level n replaces those ≥ n."""

    def __init__(self) -> None:
        self.path: list[tuple[int, str]] = []

    def enter(self, level: int, title: str) -> None:
        self.path = [(lv, t) for lv, t in self.path if lv < level] + [(level, title.strip())]

    def __str__(self) -> str:
        return HEADING_SEPARATOR.join(t for _, t in self.path)


def _split_at_headings(text: str, headings: list[tuple[int, int, str]]) -> list[Section]:
    """Sections of ``text`` cut at ``headings`` (offset, level, title); each section keeps its
    heading line, so the passage reads as it does in the file."""
    sections, path, previous = [], _Headings(), 0
    for offset, level, title in headings + [(len(text), 0, "")]:
        body = text[previous:offset]
        if body.strip():
            sections.append(Section(body, str(path), start=previous))
        if level:
            path.enter(level, title)
        previous = offset
    return sections


_FENCE = re.compile(r"^(```|~~~)")
_ATX = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")


def markdown_sections(text: str) -> list[Section]:
    headings, offset, fenced = [], 0, False
    for line in text.splitlines(keepends=True):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and (m := _ATX.match(line)):
            headings.append((offset, len(m.group(1)), m.group(2)))
        offset += len(line)
    return _split_at_headings(text, headings)


_RST_ADORNMENT = re.compile(r"^([=\-~^\"'`#*+:.])\1{2,}\s*$")


def rst_sections(text: str) -> list[Section]:
    """reStructuredText titles: a line underlined (and maybe overlined) by a repeated
    character; the order in which adornments first appear gives their levels."""
    lines = text.splitlines(keepends=True)
    offsets, total = [], 0
    for line in lines:
        offsets.append(total)
        total += len(line)
    levels: dict[str, int] = {}
    headings = []
    for i in range(1, len(lines)):
        title, under = lines[i - 1].strip(), lines[i].rstrip("\r\n")
        if title and not _RST_ADORNMENT.match(lines[i - 1]) and _RST_ADORNMENT.match(under) \
                and len(under.strip()) >= len(title):
            over = i >= 2 and lines[i - 2].strip() == under.strip()
            key = ("over" if over else "") + under.strip()[0]
            level = levels.setdefault(key, len(levels) + 1)
            headings.append((offsets[i - 2] if over else offsets[i - 1], level, title))
    return _split_at_headings(text, headings)


# -- DOCX and HTML ---------------------------------------------------------------------------
_HEADING_STYLE = re.compile(r"^(?:Heading|Title)\s*(\d*)$", re.I)


def parse_docx(data: bytes) -> ParsedFile:
    import io
    import zipfile

    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        return ParsedFile(FileStatus.FAILED, reason=f"it is not a readable DOCX file ({exc})")
    parts: list[str] = []
    headings: list[tuple[int, int, str]] = []
    offset = 0
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):  # a table: one line per row, cells tab-separated
            text = "\n".join("\t".join(cell.text for cell in row.cells) for row in block.rows)
        else:
            text = block.text
            style = block.style.name if block.style is not None else ""
            if (m := _HEADING_STYLE.match(style)) and text.strip():
                headings.append((offset, int(m.group(1) or 1), text))
        if text.strip():
            parts.append(text + "\n\n")
            offset += len(text) + 2
    return ParsedFile(FileStatus.INDEXED, _split_at_headings("".join(parts), headings), kind="text")


_BLOCKS = {"p", "div", "section", "article", "li", "tr", "pre", "blockquote", "table", "ul", "ol", "dd", "dt",
           "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr", "header", "footer", "main", "figcaption"}


def parse_html(data: bytes) -> ParsedFile:
    """The visible text of an HTML page (lxml's parser: scripts, styles and the head left out),
    one block a paragraph, cut at h1–h6."""
    import lxml.html

    root = lxml.html.document_fromstring(data)
    for bad in root.xpath("//script|//style|//noscript|//template|//head"):
        bad.drop_tree()
    parts: list[str] = []
    headings: list[tuple[int, int, str]] = []
    offset = 0

    def add(text: str) -> None:
        nonlocal offset
        parts.append(text)
        offset += len(text)

    def walk(element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag in _BLOCKS:
            add("\n\n" if tag not in ("li", "tr", "br") else "\n")
        if re.fullmatch(r"h[1-6]", tag):
            title = " ".join(element.text_content().split())
            if title:
                headings.append((offset, int(tag[1]), title))
        if element.text and tag:
            add(element.text)
        for child in element:
            walk(child)
            if child.tail:
                add(child.tail)

    walk(root.body if root.find("body") is not None else root)
    return ParsedFile(FileStatus.INDEXED, _split_at_headings("".join(parts), headings), kind="text")
