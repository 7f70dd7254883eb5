"""The "Search Hugging Face" tab: GGUF repos by text, their files (one per quantization) with
a fit verdict and the predicted speed here, each from the file's header on the Hub."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from localchat.core.downloads.hub import HubGGUFFile, HubModel, list_gguf_files, search_models
from localchat.core.models.fit import Badge, FitLevel
from localchat.core.units import size_text
from localchat.gui.background import run_in_background
from localchat.gui.download_worker import DownloadCenter, DownloadControls


@dataclass(frozen=True)
class FileVerdict:
    """What a file on the Hub would be here: its fit badge and predicted speed."""

    badge: Badge | None
    speed_text: str = ""  # "~14 tokens/s"; "" when unknown or too big
    speed_tip: str = ""  # the time to first token, and what the figure comes from


JudgeFile = Callable[[HubGGUFFile], "FileVerdict | Badge | None"]  # a file on the Hub, from its header
SORTS = {QT_TRANSLATE_NOOP("HubSearchTab", "Most downloaded"): "downloads",
         QT_TRANSLATE_NOOP("HubSearchTab", "Most liked"): "likes"}


class NumberItem(QTableWidgetItem):
    """A cell that sorts by its number, not its text."""

    def __init__(self, value: int, text: str | None = None):
        super().__init__(text if text is not None else f"{value:,}")
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other) -> bool:
        return self.value < getattr(other, "value", 0)


def badge_item(badge: Badge | None) -> QTableWidgetItem:
    """A fit badge cell: "Fits" / "Tight" / "Too big", the reason on hover; a model that does
    not fit in bold (the theme's colours, none of its own)."""
    if badge is None:
        return QTableWidgetItem(QCoreApplication.translate("HubSearchTab", "unknown"))
    item = QTableWidgetItem(badge.text)
    item.setToolTip(badge.reason)
    if badge.level is FitLevel.TOO_BIG:
        font = item.font()
        font.setBold(True)
        item.setFont(font)
    return item


def read_only_table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table


class HubSearchTab(QWidget):
    results_shown = Signal(int)  # how many repos were found
    files_shown = Signal(str, int)  # repo, how many GGUF models it has
    verdict_shown = Signal(str, object)  # file, its badge (None: unknown)
    failed = Signal(str)  # the message shown
    delete_requested = Signal(object)  # the DownloadControls of an installed model

    def __init__(self, center: DownloadCenter, *, endpoint: str | None = None,
                 judge_file: JudgeFile | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.endpoint = endpoint
        self.judge_file = judge_file
        self.repo_id: str | None = None
        self.controls: dict[str, DownloadControls] = {}

        self.query = QLineEdit()
        self.query.setPlaceholderText(
            self.tr("Search GGUF models on Hugging Face, e.g. llama 8b instruct"))
        self.query.returnPressed.connect(self.search)
        self.sort = QComboBox()
        for label, key in SORTS.items():
            self.sort.addItem(QCoreApplication.translate("HubSearchTab", label), key)
        self.sort.currentIndexChanged.connect(self.search)
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.clicked.connect(self.search)
        bar = QHBoxLayout()
        bar.addWidget(self.query, 1)
        bar.addWidget(self.sort)
        bar.addWidget(self.search_button)

        self.results = read_only_table([self.tr("Repository"), self.tr("Downloads"), self.tr("Likes"),
                                        self.tr("Access")])
        self.results.setSortingEnabled(True)
        self.results.itemSelectionChanged.connect(self._on_repo_selected)
        self.files = read_only_table([self.tr("File"), self.tr("Quantization"), self.tr("Size"),
                                      self.tr("Fit"), self.tr("Speed here"), ""])
        self.files.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.results)
        split.addWidget(self.files)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(split, 1)

    # -- search ---------------------------------------------------------------------------------
    def search(self) -> None:
        text, sort = self.query.text(), self.sort.currentData()
        token = self.center.queue.token
        self.message.setText(self.tr("Searching…"))
        self.search_button.setEnabled(False)
        run_in_background(lambda: search_models(text, sort=sort, endpoint=self.endpoint, token=token),
                          lambda models: self._show_results(models, sort), self._show_error)

    def _show_results(self, models: list[HubModel], sort: str) -> None:
        self.search_button.setEnabled(True)
        self.results.setSortingEnabled(False)
        self.results.setRowCount(len(models))
        for row, m in enumerate(models):
            self.results.setItem(row, 0, QTableWidgetItem(m.repo_id))
            self.results.setItem(row, 1, NumberItem(m.downloads))
            self.results.setItem(row, 2, NumberItem(m.likes))
            self.results.setItem(row, 3, QTableWidgetItem(self.tr("gated: needs a token") if m.gated
                                                           else self.tr("open")))
        self.results.setSortingEnabled(True)  # a click on a header sorts; start as the Hub did
        self.results.sortItems(1 if sort == "downloads" else 2, Qt.SortOrder.DescendingOrder)
        self.message.setText("" if models else self.tr("No GGUF models match; try fewer words."))
        self.results_shown.emit(len(models))

    def _show_error(self, exc: Exception) -> None:
        self.search_button.setEnabled(True)
        self.message.setText(str(exc))
        self.failed.emit(str(exc))

    def result_repos(self) -> list[str]:
        return [self.results.item(r, 0).text() for r in range(self.results.rowCount())]

    # -- a repo's files -------------------------------------------------------------------------
    def _on_repo_selected(self) -> None:
        rows = self.results.selectionModel().selectedRows()
        if rows:
            self.open_repo(self.results.item(rows[0].row(), 0).text())

    def open_repo(self, repo_id: str) -> None:
        self.repo_id = repo_id
        token = self.center.queue.token
        self.message.setText(self.tr("Listing the files of {repo}…").format(repo=repo_id))
        inventory = self.center.queue.inventory

        def fetch() -> tuple[list[HubGGUFFile], list[bool]]:
            files = list_gguf_files(repo_id, endpoint=self.endpoint, token=token)
            return files, [inventory.installed_download(repo_id, f.parts[0], f.sha256s[0]) is not None
                           for f in files]

        run_in_background(fetch, lambda found: self._show_files(repo_id, *found), self._show_error)

    def _show_files(self, repo_id: str, files: list[HubGGUFFile], installed: list[bool]) -> None:
        if repo_id != self.repo_id:
            return  # another repo was opened meanwhile
        self.controls.clear()
        self.files.setRowCount(len(files))
        for row, f in enumerate(files):
            name = f.filename.rsplit("/", 1)[-1]
            if len(f.parts) > 1:
                extra = len(f.parts) - 1
                name += (self.tr(" (+{count} part)") if extra == 1 else self.tr(" (+{count} parts)")).format(
                    count=extra)
            self.files.setItem(row, 0, QTableWidgetItem(name))
            self.files.setItem(row, 1, QTableWidgetItem(f.quant or "?"))
            self.files.setItem(row, 2, NumberItem(f.size or 0, size_text(f.size) if f.size else "?"))
            self.files.setItem(row, 3, QTableWidgetItem(self.tr("checking…") if self.judge_file
                                                        else self.tr("unknown")))
            self.files.setItem(row, 4, QTableWidgetItem(""))
            controls = DownloadControls(self.center, f.remote_files(), installed=installed[row])
            controls.delete_requested.connect(lambda c=controls: self.delete_requested.emit(c))
            self.controls[f.filename] = controls
            self.files.setCellWidget(row, 5, controls)
        self.files.resizeRowsToContents()
        self.message.setText("" if files else self.tr("{repo} has no GGUF files.").format(repo=repo_id))
        self.files_shown.emit(repo_id, len(files))
        if self.judge_file is not None:
            for row, f in enumerate(files):
                run_in_background(lambda f=f: self.judge_file(f),
                                  lambda badge, row=row, f=f: self._show_verdict(repo_id, row, f, badge),
                                  lambda exc, row=row, f=f: self._show_verdict(repo_id, row, f, None, exc))

    def _show_verdict(self, repo_id: str, row: int, f: HubGGUFFile, verdict,
                      exc: Exception | None = None) -> None:
        if repo_id != self.repo_id:
            return
        if not isinstance(verdict, FileVerdict):
            verdict = FileVerdict(verdict)
        badge = verdict.badge
        item = badge_item(badge)
        if exc is not None:
            item.setToolTip(self.tr("The file's header could not be read: {error}").format(error=exc))
        self.files.setItem(row, 3, item)
        speed = QTableWidgetItem(verdict.speed_text)
        speed.setToolTip(verdict.speed_tip)
        self.files.setItem(row, 4, speed)
        if f.filename in self.controls:
            self.controls[f.filename].set_badge(badge)  # a file too big for here asks before it downloads
        self.verdict_shown.emit(f.filename, badge)
