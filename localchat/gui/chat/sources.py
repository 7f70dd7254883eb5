"""Under a reply answered from documents: "Sources", the passages it was given (file, page,
excerpt), which of them it cited, and any citation that points to no passage; a click on a
source opens its file.

Opening a file: the system's application for it (``QDesktopServices``). A PDF opens at the
passage's page where a viewer can be told the page: on Linux, Evince, Okular or Zathura when one
is installed (each takes the page on its command line); elsewhere the system's PDF application
opens the file at its start, since neither Windows' shell nor macOS' ``open`` passes a page to
it, and the page stays written in the source's line.
"""

from __future__ import annotations

import html
import logging
import shutil
import sys
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QProcess, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from localchat.core.chat.prompt import Citations, Passage
from localchat.core.history.sources import ReplySources
from localchat.gui.theme import theme

log = logging.getLogger(__name__)

# (program, its arguments for a file at a 1-based page)
PDF_VIEWERS = (
    ("evince", lambda path, page: [f"--page-index={page}", path]),
    ("okular", lambda path, page: ["-p", str(page), path]),
    ("zathura", lambda path, page: ["-P", str(page), path]),
)


@dataclass(frozen=True)
class ShownSources:
    """A reply's sources and its citations checked against them (on the text as written)."""

    sources: ReplySources
    citations: Citations


def with_sources(item, sources: ReplySources | None):
    """A reply's ``MessageItem`` with its sources, each citation that points nowhere marked
    ``[n?]`` in its text."""
    if sources is None:
        return item
    citations = sources.citations(item.text)
    return replace(item, text=citations.marked(item.text), sources=ShownSources(sources, citations))


def pdf_page_command(path: str, page: int) -> tuple[str, list[str]] | None:
    """A viewer and its arguments that open ``path`` at ``page``, where there is one."""
    if not sys.platform.startswith("linux"):
        return None
    for program, arguments in PDF_VIEWERS:
        found = shutil.which(program)
        if found:
            return found, arguments(path, page)
    return None


def open_source(passage: Passage) -> bool:
    """Open the passage's file (a PDF at its page where a viewer can be told it)."""
    if passage.page is not None and passage.path.lower().endswith(".pdf"):
        command = pdf_page_command(passage.path, passage.page)
        if command is not None and QProcess.startDetached(*command)[0]:
            return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(passage.path))


class SourcesView(QWidget):
    """The sources of one reply; hidden for a reply that did not use documents."""

    source_opened = Signal(object)  # the Passage whose file was opened

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("sources")
        self.setAccessibleName(self.tr("Sources"))
        self.sources: ReplySources | None = None
        self.citations = Citations((), ())
        self.title = QLabel()
        self.title.setObjectName("who")
        self.list = QLabel()
        self.list.setWordWrap(True)
        self.list.setOpenExternalLinks(False)
        self.list.linkActivated.connect(self._on_link)
        self.problems = QLabel()
        self.problems.setObjectName("problem")
        self.problems.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(2)
        for w in (self.title, self.list, self.problems):
            layout.addWidget(w)
        self.hide()

    def show_sources(self, shown: ShownSources | ReplySources | None, reply: str = "") -> None:
        """``shown`` from ``with_sources``, or bare sources whose citations are read in ``reply``."""
        if isinstance(shown, ReplySources):
            shown = ShownSources(shown, shown.citations(reply))
        self.sources = shown.sources if shown is not None else None
        if shown is None:
            self.hide()
            return
        sources, self.citations = shown.sources, shown.citations
        if not sources.passages:
            self.title.setText(self.tr("Sources: no passage of the documents was relevant to the question."))
            self.list.hide()
        else:
            self.title.setText(self.tr("Sources"))
            self.list.setText(self._rows(sources.passages))
            self.list.show()
        problems = []
        if self.citations.unknown:
            problems.append(self.tr("{citations} point to no passage.").format(
                citations=", ".join(f"[{n}]" for n in self.citations.unknown)))
        if self.citations.unsupported:
            problems.append(self.tr("Check {citations}: the sentence citing it shares no words with the "
                                    "passage.").format(
                citations=", ".join(f"[{n}]" for n in self.citations.unsupported)))
        self.problems.setText(" ".join(problems))
        self.problems.setVisible(bool(problems))
        self.show()

    def _rows(self, passages: tuple[Passage, ...]) -> str:
        c = theme().colors
        rows = []
        for p in passages:
            name = html.escape(Path(p.path).name)
            where = name if p.page is None else self.tr("{name}, page {page}").format(name=name, page=p.page)
            cited = p.number in self.citations.cited
            not_cited = html.escape(self.tr("(not cited)"))
            mark = "" if cited else f" <span style='color:{c.muted}'>{not_cited}</span>"
            rows.append(f"[{p.number}] <a href='source:{p.number}' style='color:{c.accent}'>{where}</a>{mark}"
                        f"<br><span style='color:{c.muted}'>{html.escape(p.excerpt)}</span>")
        return "<br>".join(rows)

    def passage(self, number: int) -> Passage | None:
        if self.sources is None:
            return None
        return next((p for p in self.sources.passages if p.number == number), None)

    @Slot(str)
    def _on_link(self, href: str) -> None:
        if not href.startswith("source:"):
            return
        passage = self.passage(int(href.split(":", 1)[1]))
        if passage is None:
            return
        if not open_source(passage):
            log.warning("could not open %s", passage.path)
        self.source_opened.emit(passage)
