"""The Model Manager window: Recommended, Catalog, Search Hugging Face, Installed, Downloads.

It is a view on a ``DownloadCenter`` that the application owns: closing the window hides it and
every download goes on; the main window shows ``DownloadCenter.summary_changed`` in a small
``DownloadIndicator``. Network, hashing and disk scans all run off the GUI thread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QCoreApplication, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from localchat.core.downloads.events import JobState
from localchat.core.downloads.hub import HubGGUFFile
from localchat.core.hardware import Hardware, detect_hardware
from localchat.core.models.catalog import Catalog
from localchat.core.models.fit import FitLevel
from localchat.core.models.inventory import InstalledModel
from localchat.core.models.recommend import SpeedPreference
from localchat.core.models.speed import Calibration
from localchat.core.settings import save_hub_token, saved_hub_token, token_from_environment
from localchat.core.units import size_text
from localchat.gui.background import run_in_background
from localchat.gui.catalog_status import CatalogStatus, new_since_last_look
from localchat.gui.download_worker import DownloadCenter, DownloadControls
from localchat.gui.hub_search import FileVerdict, HubSearchTab, NumberItem, read_only_table
from localchat.gui.model_cards import CatalogRow, CatalogTab, catalog_rows


class InstalledTab(QWidget):
    refreshed = Signal(int)  # how many models are listed
    message_shown = Signal(str)

    def __init__(self, center: DownloadCenter, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.models: list[InstalledModel] = []
        self.table = read_only_table([self.tr("Name"), self.tr("Size on disk"), self.tr("Source"), self.tr("Last used")])
        self.message = QLabel(self.tr("Drop .gguf files here to add them."))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for text, slot in ((self.tr("Add local file…"), self.add_local_files),
                           (self.tr("Verify"), self.verify_selected),
                           (self.tr("Delete"), self.delete_selected), (self.tr("Open folder"), self.open_folder)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        self.setAcceptDrops(True)

    @property
    def inventory(self):
        """The queue's: a change of the models folder shows here at the next refresh."""
        return self.center.queue.inventory

    def refresh(self) -> None:
        run_in_background(self.inventory.scan, self._show, self._show_error)

    def _show(self, models: list[InstalledModel]) -> None:
        self.models = models
        self.table.setRowCount(len(models))
        for row, m in enumerate(models):
            name = QTableWidgetItem(m.name)
            name.setToolTip(str(m.path))
            self.table.setItem(row, 0, name)
            self.table.setItem(row, 1, NumberItem(m.size_on_disk, size_text(m.size_on_disk)))
            self.table.setItem(row, 2, QTableWidgetItem(m.source_text))
            self.table.setItem(row, 3, QTableWidgetItem((m.last_used or self.tr("never"))[:16].replace("T", " ")))
        self.refreshed.emit(len(models))

    def _show_error(self, exc: Exception) -> None:
        self.message.setText(str(exc))
        self.message_shown.emit(str(exc))

    def _say(self, text: str) -> None:
        self.message.setText(text)
        self.message_shown.emit(text)

    def selected(self) -> InstalledModel | None:
        rows = self.table.selectionModel().selectedRows()
        return self.models[rows[0].row()] if rows else None

    # -- actions --------------------------------------------------------------------------------
    def add_local_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add GGUF model files"), str(Path.home()),
                                                self.tr("GGUF models (*.gguf)"))
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        for path in paths:
            self._say(self.tr("Adding {name}…").format(name=path.name))
            run_in_background(lambda path=path: self.inventory.import_file(path),
                              lambda model: (self._say(self.tr("Added {name}.").format(name=model.name)), self.refresh()),
                              self._show_error)

    def dragEnterEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if any(u.toLocalFile().lower().endswith(".gguf") for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt's name
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls()
                 if u.toLocalFile().lower().endswith(".gguf")]
        event.acceptProposedAction()
        self.import_files(paths)

    def verify_selected(self) -> None:
        model = self.selected()
        if model is None:
            return self._say(self.tr("Select a model to verify."))
        self._say(self.tr("Verifying {name}…").format(name=model.name))
        run_in_background(lambda: self.inventory.verify(model),
                          lambda text: self._say(self.tr("{name} is intact.\n{details}").format(name=model.name, details=text)), self._show_error)

    def delete_selected(self) -> None:
        model = self.selected()
        if model is not None:
            delete_model(self, self.center, model, self.refresh)

    def open_folder(self) -> None:
        self.inventory.models_dir.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.inventory.models_dir)))


def delete_model(parent: QWidget, center: DownloadCenter, model: InstalledModel,
                 done: Callable[[], None]) -> None:
    """Ask, then delete the model's files (off the GUI thread)."""
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("ModelManager", "Delete model"),
        QCoreApplication.translate("ModelManager", "Delete {name} ({size})?\nIts file is removed from the disk.")
        .format(name=model.name, size=size_text(model.size_on_disk)))
    if answer != QMessageBox.StandardButton.Yes:
        return
    rec = model.record
    keys = [f"{rec.repo_id}/{rec.repo_filename}"] if rec and rec.repo_id else []

    def forget(_result) -> None:
        center.discard(keys)  # a finished job would otherwise still show "Installed"
        done()

    run_in_background(lambda: center.queue.inventory.remove(model), forget,
                      lambda exc: QMessageBox.warning(parent, QCoreApplication.translate("ModelManager", "Delete model"),
                                                     str(exc)))


class DownloadsPanel(QWidget):
    """Every download of this session and the interrupted ones of earlier sessions."""

    def __init__(self, center: DownloadCenter, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.rows: dict[str, DownloadControls] = {}
        self.table = read_only_table([self.tr("File"), ""])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        clear = QPushButton(self.tr("Clear finished"))
        clear.clicked.connect(self.clear_finished)
        head = QHBoxLayout()
        head.addWidget(QLabel(self.tr("Downloads")))
        head.addStretch(1)
        head.addWidget(clear)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(head)
        layout.addWidget(self.table)
        center.job_changed.connect(self._on_job_changed)
        self.rebuild()

    def _on_job_changed(self, key: str) -> None:
        if (key in self.rows) != (self.center.job(key) is not None):
            self.rebuild()

    def rebuild(self) -> None:
        jobs = self.center.jobs()
        self.rows.clear()
        self.table.setRowCount(len(jobs))
        for i, job in enumerate(jobs):
            name = QTableWidgetItem(job.remote.basename)
            name.setToolTip(job.key)
            self.table.setItem(i, 0, name)
            controls = DownloadControls(self.center, [job.remote], model_id=job.model_id)
            controls.buttons["Delete"].setText(self.tr("Discard"))
            self.rows[job.key] = controls
            self.table.setCellWidget(i, 1, controls)
        self.table.resizeRowsToContents()
        self.setVisible(bool(jobs))

    def clear_finished(self) -> None:
        self.center.discard([j.key for j in self.center.jobs() if j.state == JobState.FINISHED])


class ModelManager(QWidget):
    """A top-level window. Construct once and keep it: ``show()`` to open, closing hides it.

    ``catalog`` fills the Recommended and Catalog tabs, judged for ``hardware`` (detected off the
    GUI thread when not given); the files of a repo on the Search tab are judged for it too,
    each from its header on the Hub. Speeds come from ``calibration``; without one, from the
    one kept in ``data_root`` (the data folder), measured there in the background the first time
    when this is the real machine (no ``hardware`` given), else from assumed figures.
    ``calibrate(data_root, hardware)`` measures (the window's: a job of its inference worker)."""

    token_changed = Signal(str)  # the Hugging Face token typed in, now kept where huggingface_hub keeps it
    load_requested = Signal(object)  # Path of an installed model the person asked to load
    closed = Signal()  # the window was closed (hidden): the person has seen the list

    def __init__(self, center: DownloadCenter, *, catalog: Catalog | None = None,
                 hardware: Hardware | None = None, endpoint: str | None = None,
                 calibration: Calibration | None = None, data_root: Path | None = None,
                 calibrate: Callable[[Path, Hardware], Calibration] | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Model Manager"))
        self.resize(1100, 720)
        self.center = center
        self.catalog_source = catalog
        self.hardware = hardware
        self.calibration = calibration
        self._measure = calibration is None and hardware is None  # the real machine: measure it once
        self._calibrate = calibrate
        self.data_root = data_root
        self.rows: list[CatalogRow] = []
        self.recommended = CatalogTab(center, recommended_only=True)
        self.catalog = CatalogTab(center, recommended_only=False)
        self.endpoint = endpoint
        self.search = HubSearchTab(center, endpoint=endpoint, judge_file=self.judge_file)
        self.installed = InstalledTab(center)
        self.downloads = DownloadsPanel(center)
        self.catalog_status = CatalogStatus()  # the catalog's date and origin, what is new, a refusal
        self.tabs = QTabWidget()
        for tab, title in ((self.recommended, self.tr("Recommended")), (self.catalog, self.tr("Catalog")),
                           (self.search, self.tr("Search Hugging Face")), (self.installed, self.tr("Installed"))):
            self.tabs.addTab(tab, title)
        for tab in (self.recommended, self.catalog, self.search):
            tab.delete_requested.connect(self._on_delete_requested)
        for tab in (self.recommended, self.catalog):
            tab.load_requested.connect(self._on_load_requested)
        token = QPushButton(self.tr("Hugging Face token…"))
        token.setToolTip(self.tr("For gated models (Llama, Gemma, …): a read token from huggingface.co/settings/tokens"))
        token.clicked.connect(self.ask_token)
        self.preference = QComboBox()
        for choice in SpeedPreference:
            self.preference.addItem(choice.label, choice)
        self.preference.setCurrentIndex(list(SpeedPreference).index(SpeedPreference.BALANCED))
        self.preference.setToolTip(self.tr("Prefer quality: a larger model at ~4 tokens/s is fine. "
                                           "Prefer speed: ~16 tokens/s or more. Balanced: ~8."))
        self.preference.currentIndexChanged.connect(lambda _i: self.refresh_catalog())
        self.machine_line = QLabel()
        self.machine_line.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.machine_line, 1)
        top.addWidget(QLabel(self.tr("Recommend")))
        top.addWidget(self.preference)
        top.addWidget(token)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.catalog_status)
        layout.addWidget(self.tabs, 3)
        layout.addWidget(self.downloads, 1)
        center.installed.connect(self._on_installed)
        center.models_dir_changed.connect(self._on_models_dir_changed)
        self.refresh_catalog()
        self.installed.refresh()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().closeEvent(event)
        self.closed.emit()

    # -- catalog ----------------------------------------------------------------------------------
    def show_catalog_state(self, state) -> None:
        """Which catalog is in use (a CatalogState): its date and origin above the tabs, its new
        entries marked on their cards."""
        self.catalog_status.show_state(state)
        for tab in (self.recommended, self.catalog):
            tab.new_ids = new_since_last_look(state)
            tab._render()

    def refresh_catalog(self) -> None:
        if self.catalog_source is None:
            for tab in (self.recommended, self.catalog):
                tab.show_error(self.tr("The model catalog is not available."))
            return
        catalog, inventory = self.catalog_source, self.center.queue.inventory
        preference = self.preference.currentData()

        def load() -> tuple[list[CatalogRow], set[str], Hardware]:
            hardware = self.machine()
            calibration = self.speed_calibration()
            installed = {f"{m.record.repo_id}/{m.record.repo_filename}" for m in inventory.scan()
                         if m.record and m.record.repo_id}
            return catalog_rows(catalog, hardware, calibration, preference), installed, hardware

        run_in_background(load, self._show_catalog,
                          lambda exc: [t.show_error(str(exc)) for t in (self.recommended, self.catalog)])

    def _show_catalog(self, found: tuple[list[CatalogRow], set[str], Hardware]) -> None:
        self.rows, installed, self.hardware = found
        self.recommended.show_rows(self.rows, installed)
        self.catalog.show_rows(self.rows, installed)
        measured = self.calibration is not None and self.calibration.measured
        line = (self.tr("This computer: {summary}") if measured
                else self.tr("This computer: {summary} · speeds estimated until it is measured"))
        self.machine_line.setText(line.format(summary=self.hardware.summary()))

    def speed_calibration(self) -> Calibration:
        """The figures speeds are predicted with (off the GUI thread: it may measure, seconds)."""
        if self.calibration is not None:
            return self.calibration
        from localchat.core.models.calibration import current_calibration, ensure_calibration
        from localchat.core.paths import resolve_data_paths

        root = self.data_root or resolve_data_paths().root
        if self._measure:
            self.calibration = (self._calibrate or ensure_calibration)(root, self.machine())
        else:
            self.calibration = current_calibration(root, self.machine())
        return self.calibration

    def machine(self) -> Hardware:
        """This computer, probed once (a few hundred ms: call it off the GUI thread)."""
        if self.hardware is None:
            self.hardware = detect_hardware()
        return self.hardware

    def judge_file(self, f: HubGGUFFile) -> FileVerdict:
        """The fit badge and predicted speed of a file on the Hub, from its header (off the GUI
        thread)."""
        from dataclasses import replace

        from localchat.core.downloads.remote_header import read_hub
        from localchat.core.models.facts import ModelFacts
        from localchat.core.models.fit import fit_model
        from localchat.core.models.speed import predict_speed

        token = self.center.queue.token
        headers = [read_hub(f.repo_id, part, revision=f.revision, endpoint=self.endpoint, token=token)
                   for part in f.parts]
        facts = headers[0]
        if len(headers) > 1:  # each part lists only its own tensors
            facts = replace(facts, tensors=tuple(t for h in headers for t in h.tensors))
        verdict = fit_model(facts, self.machine())
        model = ModelFacts.from_gguf(facts)
        if verdict.level is FitLevel.TOO_BIG or not model.has_kv_cache:  # an embedding model writes nothing
            return FileVerdict(verdict.badge)
        speed = predict_speed(model, self.speed_calibration(), n_gpu_layers=verdict.n_gpu_layers)
        return FileVerdict(verdict.badge, speed.text, f"{verdict.runs_on}: {speed.ttft_text}")

    def refresh_installed(self) -> None:
        self.installed.refresh()

    def _on_installed(self, _path) -> None:
        self.refresh_installed()

    def _on_models_dir_changed(self, _path) -> None:
        self.refresh_installed()
        self.refresh_catalog()  # which catalog models are installed: those of the new folder

    # -- deleting and the token -------------------------------------------------------------------
    def _on_load_requested(self, controls: DownloadControls) -> None:
        key = controls.remotes[0].key

        def loaded(model: InstalledModel | None) -> None:
            if model is None:
                controls.set_installed(False)
            else:
                self.load_requested.emit(model.path)

        run_in_background(lambda: self.center.queue.inventory.find(key), loaded)

    def _on_delete_requested(self, controls: DownloadControls) -> None:
        key = controls.remotes[0].key
        run_in_background(lambda: self.center.queue.inventory.find(key),
                          lambda model: self._delete(controls, model))

    def _delete(self, controls: DownloadControls, model: InstalledModel | None) -> None:
        if model is None:  # already gone from the disk
            controls.set_installed(False)
            return
        delete_model(self, self.center, model,
                     lambda: (controls.set_installed(False), self.refresh_installed()))

    def ask_token(self) -> None:
        text = self.tr("Gated models need a read token from huggingface.co/settings/tokens,\n"
                       "after you accepted the model's terms on its page. It is kept where `hf auth login`\n"
                       "keeps it, so the hf command uses it too. Leave empty to forget it.")
        if token_from_environment():
            text += "\n\n" + self.tr("HF_TOKEN is set in the environment: it is used instead while it is set.")
        token, ok = QInputDialog.getText(self, self.tr("Hugging Face token"), text, QLineEdit.EchoMode.Password,
                                         saved_hub_token() or "")
        if ok:
            self.set_token(token.strip())

    def set_token(self, token: str) -> None:
        """Keep ``token`` (empty: forget it) as huggingface_hub does; every request from now on
        sends the one huggingface_hub finds, HF_TOKEN first."""
        try:
            save_hub_token(token)
        except OSError as exc:
            QMessageBox.warning(self, self.tr("Hugging Face token"),
                                self.tr("The token could not be saved: {error}").format(error=exc))
            return
        self.center.queue.token = None
        self.token_changed.emit(token)
