"""The Model Manager window: Recommended, Catalog, Search Hugging Face, Installed, Downloads.

It is a view on a ``DownloadCenter`` that the application owns: closing the window hides it and
every download goes on; the main window shows ``DownloadCenter.summary_changed`` in a small
``DownloadIndicator``. Network, hashing and disk scans all run off the GUI thread.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
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
from localchat.core.downloads.hub import HubGGUFFile, RemoteFile, fit_of_hub_file
from localchat.core.hardware import Hardware, detect_hardware
from localchat.core.models.catalog import KINDS, Catalog
from localchat.core.models.fit import Badge, FitLevel
from localchat.core.models.inventory import InstalledModel
from localchat.core.models.recommend import best_model, rank_models
from localchat.core.settings import save_hub_token, saved_hub_token, token_from_environment
from localchat.core.units import size_text
from localchat.gui.background import run_in_background
from localchat.gui.download_worker import DownloadCenter, DownloadControls
from localchat.gui.hub_search import HubSearchTab, NumberItem, badge_item, read_only_table


@dataclass(frozen=True)
class CatalogRow:
    """One catalog entry as the Recommended and Catalog tabs show it."""

    model_id: str
    name: str
    params: str  # "7B"
    quant: str
    size: int | None
    size_text: str  # as the first-start dialog and `localchat models list` show it
    files: tuple[RemoteFile, ...]
    badge: Badge | None = None  # fits / tight / too big, with the reason
    recommended: bool = False
    description: str = ""


RECOMMENDED = 5  # at most this many models on the Recommended tab


def catalog_rows(catalog: Catalog, hardware: Hardware) -> list[CatalogRow]:
    """The catalog's models judged for ``hardware``, best first (chat models, then the rest);
    the recommended ones are the best that fit with room to spare (else the best tight one)."""
    ranked = [r for kind in KINDS for r in rank_models(catalog, hardware, kind=kind)]
    chat = [r for r in ranked if r.entry.kind == "chat"]
    picks = [r for r in chat if r.verdict.level is FitLevel.FITS][:RECOMMENDED]
    if not picks and (best := best_model(chat)) is not None:
        picks = [best]
    chosen = {r.entry.id for r in picks}
    rows = []
    for r in ranked:
        e = r.entry
        rows.append(CatalogRow(e.id, e.name, f"{e.params_b:g}B", e.quant, e.size_bytes, e.size_text,
                               tuple(RemoteFile.of_entry(e).all_parts()),
                               r.badge, e.id in chosen, f"{r.headline}\n{e.description}"))
    return rows


class CatalogTab(QWidget):
    delete_requested = Signal(object)  # DownloadControls

    def __init__(self, center: DownloadCenter, *, recommended_only: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.recommended_only = recommended_only
        self.controls: dict[str, DownloadControls] = {}
        self.table = read_only_table(["Model", "Parameters", "Quantization", "Size", "Fit", ""])
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel("Loading the catalog…")
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)

    def show_rows(self, rows: list[CatalogRow], installed: set[str]) -> None:
        rows = [r for r in rows if r.recommended] if self.recommended_only else rows
        self.controls.clear()
        self.table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            name = QTableWidgetItem(row.name)
            name.setToolTip(row.description)
            self.table.setItem(i, 0, name)
            self.table.setItem(i, 1, QTableWidgetItem(row.params))
            self.table.setItem(i, 2, QTableWidgetItem(row.quant))
            size = NumberItem(row.size or 0, row.size_text)
            estimated = row.size_text.startswith("~")
            size.setToolTip("estimated from the parameters and the quantization" if estimated
                            else f"{row.size:,} bytes")
            self.table.setItem(i, 3, size)
            self.table.setItem(i, 4, badge_item(row.badge))
            controls = DownloadControls(self.center, list(row.files), model_id=row.model_id,
                                        installed=all(f.key in installed for f in row.files),
                                        name=row.name, badge=row.badge)
            controls.delete_requested.connect(lambda c=controls: self.delete_requested.emit(c))
            self.controls[row.model_id] = controls
            self.table.setCellWidget(i, 5, controls)
        self.table.resizeRowsToContents()
        if self.recommended_only and not rows:
            self.message.setText("Nothing in the catalog fits this computer well; see the Catalog tab.")
        else:
            self.message.setText("The models localchat suggests for this computer." if self.recommended_only
                                 else "Every model in localchat's catalog.")

    def show_error(self, text: str) -> None:
        self.message.setText(text)


class InstalledTab(QWidget):
    refreshed = Signal(int)  # how many models are listed
    message_shown = Signal(str)

    def __init__(self, center: DownloadCenter, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.models: list[InstalledModel] = []
        self.table = read_only_table(["Name", "Size on disk", "Source", "Last used"])
        self.message = QLabel("Drop .gguf files here to add them.")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        for text, slot in (("Add local file…", self.add_local_files), ("Verify", self.verify_selected),
                           ("Delete", self.delete_selected), ("Open folder", self.open_folder)):
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
            self.table.setItem(row, 3, QTableWidgetItem((m.last_used or "never")[:16].replace("T", " ")))
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
        files, _ = QFileDialog.getOpenFileNames(self, "Add GGUF model files", str(Path.home()),
                                                "GGUF models (*.gguf)")
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        for path in paths:
            self._say(f"Adding {path.name}…")
            run_in_background(lambda path=path: self.inventory.import_file(path),
                              lambda model: (self._say(f"Added {model.name}."), self.refresh()),
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
            return self._say("Select a model to verify.")
        self._say(f"Verifying {model.name}…")
        run_in_background(lambda: self.inventory.verify(model),
                          lambda text: self._say(f"{model.name} is intact.\n{text}"), self._show_error)

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
        parent, "Delete model",
        f"Delete {model.name} ({size_text(model.size_on_disk)})?\nIts file is removed from the disk.")
    if answer != QMessageBox.StandardButton.Yes:
        return
    rec = model.record
    keys = [f"{rec.repo_id}/{rec.repo_filename}"] if rec and rec.repo_id else []

    def forget(_result) -> None:
        center.discard(keys)  # a finished job would otherwise still show "Installed"
        done()

    run_in_background(lambda: center.queue.inventory.remove(model), forget,
                      lambda exc: QMessageBox.warning(parent, "Delete model", str(exc)))


class DownloadsPanel(QWidget):
    """Every download of this session and the interrupted ones of earlier sessions."""

    def __init__(self, center: DownloadCenter, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.rows: dict[str, DownloadControls] = {}
        self.table = read_only_table(["File", ""])
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        clear = QPushButton("Clear finished")
        clear.clicked.connect(self.clear_finished)
        head = QHBoxLayout()
        head.addWidget(QLabel("Downloads"))
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
            controls.buttons["Delete"].setText("Discard")
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
    each from its header on the Hub."""

    token_changed = Signal(str)  # the Hugging Face token typed in, now kept where huggingface_hub keeps it

    def __init__(self, center: DownloadCenter, *, catalog: Catalog | None = None,
                 hardware: Hardware | None = None, endpoint: str | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Model Manager")
        self.resize(1100, 720)
        self.center = center
        self.catalog_source = catalog
        self.hardware = hardware
        self.rows: list[CatalogRow] = []
        self.recommended = CatalogTab(center, recommended_only=True)
        self.catalog = CatalogTab(center, recommended_only=False)
        self.endpoint = endpoint
        self.search = HubSearchTab(center, endpoint=endpoint, judge_file=self.judge_file)
        self.installed = InstalledTab(center)
        self.downloads = DownloadsPanel(center)
        self.tabs = QTabWidget()
        for tab, title in ((self.recommended, "Recommended"), (self.catalog, "Catalog"),
                           (self.search, "Search Hugging Face"), (self.installed, "Installed")):
            self.tabs.addTab(tab, title)
        for tab in (self.recommended, self.catalog, self.search):
            tab.delete_requested.connect(self._on_delete_requested)
        token = QPushButton("Hugging Face token…")
        token.setToolTip("For gated models (Llama, Gemma, …): a read token from huggingface.co/settings/tokens")
        token.clicked.connect(self.ask_token)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(token)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 3)
        layout.addWidget(self.downloads, 1)
        center.installed.connect(self._on_installed)
        center.models_dir_changed.connect(self._on_models_dir_changed)
        self.refresh_catalog()
        self.installed.refresh()

    # -- catalog ----------------------------------------------------------------------------------
    def refresh_catalog(self) -> None:
        if self.catalog_source is None:
            for tab in (self.recommended, self.catalog):
                tab.show_error("The model catalog is not available.")
            return
        catalog, inventory = self.catalog_source, self.center.queue.inventory

        def load() -> tuple[list[CatalogRow], set[str], Hardware]:
            hardware = self.machine()
            installed = {f"{m.record.repo_id}/{m.record.repo_filename}" for m in inventory.scan()
                         if m.record and m.record.repo_id}
            return catalog_rows(catalog, hardware), installed, hardware

        run_in_background(load, self._show_catalog,
                          lambda exc: [t.show_error(str(exc)) for t in (self.recommended, self.catalog)])

    def _show_catalog(self, found: tuple[list[CatalogRow], set[str], Hardware]) -> None:
        self.rows, installed, self.hardware = found
        self.recommended.show_rows(self.rows, installed)
        self.catalog.show_rows(self.rows, installed)

    def machine(self) -> Hardware:
        """This computer, probed once (a few hundred ms: call it off the GUI thread)."""
        if self.hardware is None:
            self.hardware = detect_hardware()
        return self.hardware

    def judge_file(self, f: HubGGUFFile) -> Badge:
        """The fit badge of a file on the Hub, from its header (off the GUI thread)."""
        return fit_of_hub_file(f, self.machine(), endpoint=self.endpoint, token=self.center.queue.token).badge

    def refresh_installed(self) -> None:
        self.installed.refresh()

    def _on_installed(self, _path) -> None:
        self.refresh_installed()

    def _on_models_dir_changed(self, _path) -> None:
        self.refresh_installed()
        self.refresh_catalog()  # which catalog models are installed: those of the new folder

    # -- deleting and the token -------------------------------------------------------------------
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
        text = ("Gated models need a read token from huggingface.co/settings/tokens,\n"
                "after you accepted the model's terms on its page. It is kept where `hf auth login`\n"
                "keeps it, so the hf command uses it too. Leave empty to forget it.")
        if token_from_environment():
            text += "\n\nHF_TOKEN is set in the environment: it is used instead while it is set."
        token, ok = QInputDialog.getText(self, "Hugging Face token", text, QLineEdit.EchoMode.Password,
                                         saved_hub_token() or "")
        if ok:
            self.set_token(token.strip())

    def set_token(self, token: str) -> None:
        """Keep ``token`` (empty: forget it) as huggingface_hub does; every request from now on
        sends the one huggingface_hub finds, HF_TOKEN first."""
        try:
            save_hub_token(token)
        except OSError as exc:
            QMessageBox.warning(self, "Hugging Face token", f"The token could not be saved: {exc}")
            return
        self.center.queue.token = None
        self.token_changed.emit(token)
