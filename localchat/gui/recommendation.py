"""First start: this computer in one line, the model that suits it best with its speed and size
and a Download button, and "Chat with the small demo model now" so the first question gets an
answer while the download runs.

Below the recommendation, the models that fit, best first, each with what it needs, where it
would run, how fast it would write and its fit badge. The dialog only chooses: ``model_chosen``
carries the catalog id, and the window starts the download; ``demo_chosen`` asks for the demo
assistant. A model too big for this computer is listed only when nothing fits, and asks before
it is chosen. Detecting the hardware and measuring this machine's speed (once, a few seconds)
run off the GUI thread (``start``); a test or a caller with the data at hand uses
``show_ranking``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Callable

import shiboken6
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from localchat.core.models.catalog import Catalog
from localchat.core.models.demo import demo_of
from localchat.core.models.fit import FitLevel
from localchat.core.models.recommend import Recommendation, SpeedPreference, best_model, rank_models
from localchat.core.units import size_text, speed_text
from localchat.gui.background import run_in_background
from localchat.gui.hub_search import badge_item, read_only_table
from localchat.gui.memory_prompts import ask_download_anyway

if TYPE_CHECKING:
    from localchat.core.hardware import Hardware
    from localchat.core.models.speed import Calibration

SHOWN = 8  # rows: enough to choose from, few enough to read
COLUMNS = [QT_TRANSLATE_NOOP("RecommendationDialog", "Model"),
           QT_TRANSLATE_NOOP("RecommendationDialog", "Download"),
           QT_TRANSLATE_NOOP("RecommendationDialog", "Needs"),
           QT_TRANSLATE_NOOP("RecommendationDialog", "Runs on"),
           QT_TRANSLATE_NOOP("RecommendationDialog", "Context"),
           QT_TRANSLATE_NOOP("RecommendationDialog", "Fit"),
           QT_TRANSLATE_NOOP("RecommendationDialog", "Speed here")]


class RecommendationDialog(QDialog):
    model_chosen = Signal(str)  # the catalog id of the model to download
    demo_chosen = Signal()  # "Chat with the small demo model now"
    ranking_shown = Signal(int)  # rows shown, once the ranking is in

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Choose a model to start with"))
        self.ranking: list[Recommendation] = []
        self.shown: list[Recommendation] = []
        self.best: Recommendation | None = None
        self.measuring = None  # the background measurement of this machine, when one runs
        self.machine_summary = ""  # this computer in one line, once detected
        self._chosen_by_person = False
        self._selecting = False

        layout = QVBoxLayout(self)
        self.machine = QLabel(self.tr("Checking this computer's memory and speed (a few seconds, once)…"))
        self.machine.setWordWrap(True)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        # "Llama 3.2 3B: ~14 tokens/s here; larger models fit but would run under 4 tokens/s"
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.why.setTextFormat(Qt.TextFormat.PlainText)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.preference = QComboBox()
        for choice in SpeedPreference:
            self.preference.addItem(choice.label, choice)
        self.preference.setCurrentIndex(list(SpeedPreference).index(SpeedPreference.BALANCED))
        self.preference.setToolTip(self.tr(
            "Prefer quality: a larger model at ~4 tokens/s is fine. "
            "Prefer speed: ~16 tokens/s or more. Balanced: ~8, reading speed."))
        self.preference.currentIndexChanged.connect(self._on_preference_changed)
        self.download_button = QPushButton(self.tr("Download"))
        self.download_button.setEnabled(False)
        self.download_button.setDefault(True)
        self.download_button.clicked.connect(self._on_download_clicked)
        self.demo_button = QPushButton(self.tr("Chat with the small demo model now"))
        self.demo_button.setToolTip(self.tr(
            "SmolLM2 135M Instruct comes with localchat: it answers at once while "
            "the download runs; it knows little and errs often."))
        self.demo_button.clicked.connect(self._on_demo_clicked)
        self.later_button = QPushButton(self.tr("Not now"))
        self.later_button.clicked.connect(self.reject)
        actions = QHBoxLayout()
        actions.addWidget(self.download_button)
        actions.addWidget(self.demo_button)
        actions.addStretch(1)
        actions.addWidget(QLabel(self.tr("Recommend")))
        actions.addWidget(self.preference)

        self.others = QLabel(self.tr("Other models that fit:"))
        self.table = read_only_table([QCoreApplication.translate("RecommendationDialog", c) for c in COLUMNS])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(self._on_row_double_clicked)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        for widget in (self.machine, self.headline, self.why, self.reason):
            layout.addWidget(widget)
        layout.addLayout(actions)
        layout.addWidget(self.others)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.later_button)
        layout.addLayout(bottom)
        self.resize(820, 480)

    @property
    def preferred(self) -> SpeedPreference:
        return self.preference.currentData()

    # -- filling it --------------------------------------------------------------------------------
    def start(self, catalog: Catalog, data_root: Path | None = None, *,
              calibrate: Callable[[Path, Hardware], Calibration] | None = None):
        """Detect this machine off the GUI thread and rank ``catalog`` for it at once, with the
        speeds measured before (kept in ``data_root``, the data folder) or estimated; when this
        machine was not measured yet, measure it (seconds, once: ``calibrate``, the window's
        inference worker, else here) and rank again with what was measured. Returns the first
        background call (tests wait on its ``done``)."""
        from localchat.core.paths import resolve_data_paths

        root = data_root or resolve_data_paths().root

        def judge():
            from localchat.core.hardware import detect_hardware
            from localchat.core.models.calibration import current_calibration

            hardware = detect_hardware()
            calibration = current_calibration(root, hardware)
            return hardware, calibration, rank_models(catalog, hardware, calibration=calibration)

        def judged(result) -> None:
            if not shiboken6.isValid(self):  # the dialog closed while its machine was judged
                return
            hardware, calibration, ranking = result
            self.show_ranking(machine_line(hardware, calibration), ranking)
            if not calibration.measured:
                self.measuring = run_in_background(lambda: measure(hardware), measured, self._on_failed)

        def measure(hardware):
            from localchat.core.models.calibration import ensure_calibration

            calibration = (calibrate or ensure_calibration)(root, hardware)
            return hardware, calibration, rank_models(catalog, hardware, calibration=calibration)

        def measured(result) -> None:
            if not shiboken6.isValid(self):  # closed during the measurement (seconds)
                return
            hardware, calibration, ranking = result
            self.show_ranking(machine_line(hardware, calibration), ranking)

        return run_in_background(judge, judged, self._on_failed)

    def show_ranking(self, machine_summary: str, ranking: list[Recommendation]) -> None:
        """Show ``ranking``; a model the person selected stays selected (speeds measured after
        the first ranking show up without taking their choice away)."""
        chosen = self.selected() if self._chosen_by_person else None
        self.ranking = ranking
        self.machine_summary = machine_summary
        self.machine.setText(self.tr("This computer: {summary}").format(summary=machine_summary))
        self.best = best = best_model(ranking, self.preferred)
        if best is None:
            self.headline.setText(self.tr("No model in the catalog fits this computer's memory."))
            self.why.setText("")
            self.reason.setText(self.tr(
                "Close other apps and try again, or add a model file you already have."))
        else:
            speed = f" · {best.speed_text}" if best.speed_text else ""
            self.headline.setText(self.tr("{headline}{speed} · {size} download").format(
                headline=best.headline, speed=speed, size=best.entry.size_text))
            self.why.setText(best.why)
            ttft = self.tr(" Its {ttft}.").format(ttft=best.speed.ttft_text) if best.speed else ""
            self.reason.setText(best.verdict.reason + ttft)
        self.download_button.setText(self.tr("Download {name}").format(name=best.entry.display_name) if best
                                     else self.tr("Download"))
        # the models that can run here, best first; the too-big ones only when nothing else is
        usable = [r for r in ranking if r.verdict.level is not FitLevel.TOO_BIG]
        shown = usable or ranking
        if best is not None:  # the recommendation first, as it is found in the ranking
            shown = [r for r in shown if r.entry.id == best.entry.id] + [r for r in shown
                                                                          if r.entry.id != best.entry.id]
        self.shown = shown[:SHOWN]
        self.table.setRowCount(len(self.shown))
        for row, r in enumerate(self.shown):
            cells = [r.entry.display_name, r.entry.size_text, size_text(r.verdict.needs_bytes),
                     r.verdict.runs_on, f"{r.verdict.n_ctx:,}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"{r.headline}\n{r.entry.description}")
                self.table.setItem(row, column, item)
            self.table.setItem(row, 5, badge_item(r.badge))
            speed = QTableWidgetItem(r.speed_text)
            if r.speed is not None:
                speed.setToolTip(r.speed.ttft_text)
            self.table.setItem(row, 6, speed)
        ids = [r.entry.id for r in self.shown]
        self._selecting = True
        if chosen is not None and chosen.entry.id in ids:
            self.table.selectRow(ids.index(chosen.entry.id))
        elif self.shown:
            self.table.selectRow(0)
        self._selecting = False
        self.ranking_shown.emit(len(self.shown))

    def _on_preference_changed(self, _index: int) -> None:
        if self.ranking:
            self._chosen_by_person = False  # the new preference's recommendation is selected
            self.show_ranking(self.machine_summary, self.ranking)

    def _on_failed(self, exc: Exception) -> None:
        self.machine.setText(self.tr("localchat could not check this computer: {error}").format(error=exc))

    # -- choosing ------------------------------------------------------------------------------------
    def selected(self) -> Recommendation | None:
        rows = self.table.selectionModel().selectedRows()
        return self.shown[rows[0].row()] if rows else None

    def _on_selection_changed(self) -> None:
        if not self._selecting:
            self._chosen_by_person = True
        choice = self.selected()
        self.download_button.setEnabled(choice is not None)
        if choice is not None:
            self.download_button.setText(self.tr("Download {name} ({size})").format(
                name=choice.entry.display_name, size=choice.entry.size_text))

    def _on_download_clicked(self) -> None:
        choice = self.selected()
        if choice is None:
            return
        if choice.verdict.level is FitLevel.TOO_BIG and not ask_download_anyway(
                self, choice.entry.display_name, choice.badge):
            return
        self.model_chosen.emit(choice.entry.id)
        self.accept()

    def _on_demo_clicked(self) -> None:
        self.demo_chosen.emit()
        self.reject()

    def _on_row_double_clicked(self, row: int, _column: int) -> None:
        self.table.selectRow(row)
        self._on_download_clicked()


def machine_line(hardware, calibration) -> str:
    """This computer in one line: its memory, cores, GPU, and the memory speed measured."""
    text = hardware.summary()
    if calibration is not None and calibration.measured:
        text += QCoreApplication.translate("RecommendationDialog", ", reads memory at {speed}").format(
            speed=speed_text(calibration.cpu_bandwidth))
    return text


def offer_switch(parent: QWidget | None, installed: str | Path, current: str | Path | None,
                 speed_text: str = "") -> bool:
    """A download just finished while the person chats with a demo model: ask whether to
    switch to the new model now. True: load it. Another model of the person's own is not
    replaced uninvited, so nothing is asked then (False); with no model loaded, True."""
    if current is None:
        return True
    if demo_of(current) is None or Path(installed) == Path(current):
        return False
    name = Path(installed).stem
    speed = QCoreApplication.translate("RecommendationDialog", " It should write {speed} here.").format(
        speed=speed_text) if speed_text else ""
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("RecommendationDialog", "Download finished"),
        QCoreApplication.translate("RecommendationDialog", "{name} is downloaded.{speed} Switch to it now? "
                                   "The conversation so far stays in the history.").format(
            name=name, speed=speed),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes)
    return answer == QMessageBox.StandardButton.Yes
