"""Small real documents written in the tests: PDFs through pdfium, DOCX through python-docx."""

from __future__ import annotations

import ctypes
import io
from pathlib import Path
from typing import Sequence


def write_pdf(path: Path, pages: Sequence[Sequence[str]]) -> Path:
    """A PDF whose pages hold these lines of text (an empty page: a page without text)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument.new()
    for lines in pages:
        page = pdf.new_page(612, 792)
        for i, line in enumerate(lines):
            obj = raw.FPDFPageObj_NewTextObj(pdf.raw, b"Helvetica", ctypes.c_float(12))
            text = (line + "\x00").encode("utf-16-le")
            raw.FPDFText_SetText(obj, (ctypes.c_ushort * (len(text) // 2)).from_buffer_copy(text))
            raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, 72, 720 - 16 * i)
            raw.FPDFPage_InsertObject(page.raw, obj)
        raw.FPDFPage_GenerateContent(page.raw)
    out = io.BytesIO()
    pdf.save(out)
    path.write_bytes(out.getvalue())
    return path


def write_docx(path: Path, blocks: Sequence[tuple[str, str]]) -> Path:
    """A DOCX of (style, text) blocks: "h1", "h2" for headings, "p" for paragraphs."""
    import docx

    document = docx.Document()
    for style, text in blocks:
        if style.startswith("h"):
            document.add_heading(text, level=int(style[1:]))
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path
