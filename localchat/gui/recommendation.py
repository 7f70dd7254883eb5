"""First start: the catalog's best models for this computer, and one click to download one.

"Mistral 7B Instruct v0.2 Q4_K_M needs 5.0 GiB; you have 12.0 GiB free" on top, then the models
that fit, best first, each with what it needs, where it would run and its fit badge. The
dialog only chooses: ``model_chosen`` carries the catalog id, and the window starts the
download. A model too big for this computer is listed only when nothing fits, and asks before
it is chosen. Detecting the hardware runs probes with timeouts, so it happens off the GUI
thread (``start``); a test or a caller with the data at hand uses ``show_ranking``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from localchat.core.models.catalog import Catalog
from localchat.core.models.fit import FitLevel
from localchat.core.models.recommend import Recommendation, best_model, rank_models
from localchat.core.units import size_text
from localchat.gui.background import run_in_background
from localchat.gui.hub_search import badge_item, read_only_table
from localchat.gui.memory_prompts import ask_download_anyway

SHOWN = 8  # rows: enough to choose from, few enough to read


class RecommendationDialog(QDialog):
    model_chosen = Signal(str)  # the catalog id of the model to download
    ranking_shown = Signal(int)  # rows shown, once the ranking is in

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Choose a model to start with")
        self.ranking: list[Recommendation] = []
        self.shown: list[Recommendation] = []

        layout = QVBoxLayout(self)
        self.machine = QLabel("Checking this computer's memory…")
        self.machine.setWordWrap(True)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.table = read_only_table(["Model", "Download", "Needs", "Runs on", "Context", "Fit"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._on_row_double_clicked)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        for widget in (self.machine, self.headline, self.reason, self.table):
            layout.addWidget(widget)

        buttons = QDialogButtonBox()
        self.download_button = QPushButton("Download")
        self.download_button.setEnabled(False)
        buttons.addButton(self.download_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Not now", QDialogButtonBox.ButtonRole.RejectRole)
        self.download_button.clicked.connect(self._on_download_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 420)

    # -- filling it --------------------------------------------------------------------------------
    def start(self, catalog: Catalog):
        """Detect this machine off the GUI thread, then rank ``catalog`` for it. Returns the
        background call (tests wait on its ``done``)."""
        def judge():
            from localchat.core.hardware import detect_hardware

            hardware = detect_hardware()
            return hardware.summary(), rank_models(catalog, hardware)

        return run_in_background(judge, lambda result: self.show_ranking(*result), self._on_failed)

    def show_ranking(self, machine_summary: str, ranking: list[Recommendation]) -> None:
        self.ranking = ranking
        self.machine.setText(f"This computer: {machine_summary}")
        best = best_model(ranking)
        if best is None:
            self.headline.setText("No model in the catalog fits this computer's memory.")
            self.reason.setText("Close other apps and try again, or add a model file you already have.")
        else:
            self.headline.setText(best.headline)
            self.reason.setText(best.verdict.reason)
        # the models that can run here, best first; the too-big ones only when nothing else is
        usable = [r for r in ranking if r.verdict.level is not FitLevel.TOO_BIG]
        self.shown = (usable or ranking)[:SHOWN]
        self.table.setRowCount(len(self.shown))
        for row, r in enumerate(self.shown):
            cells = [r.entry.display_name, r.entry.size_text, size_text(r.verdict.needs_bytes),
                     r.verdict.runs_on, f"{r.verdict.n_ctx:,}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{r.headline}\n{r.entry.description}")
                self.table.setItem(row, column, item)
            self.table.setItem(row, 5, badge_item(r.badge))
        if best is not None and best in self.shown:
            self.table.selectRow(self.shown.index(best))
        self.ranking_shown.emit(len(self.shown))

    def _on_failed(self, exc: Exception) -> None:
        self.machine.setText(f"localchat could not check this computer: {exc}")

    # -- choosing ------------------------------------------------------------------------------------
    def selected(self) -> Recommendation | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows else None

    def _on_selection_changed(self) -> None:
        self.download_button.setEnabled(self.selected() is not None)

    def _on_download_clicked(self) -> None:
        choice = self.selected()
        if choice is None:
            return
        if choice.verdict.level is FitLevel.TOO_BIG and not ask_download_anyway(
                self, choice.entry.display_name, choice.badge):
            return
        self.model_chosen.emit(choice.entry.id)
        self.accept()

    def _on_row_double_clicked(self, row: int, _column: int) -> None:
        self.table.selectRow(row)
        self._on_download_clicked()
