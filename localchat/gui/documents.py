"""Documents: the collections to chat with, each file's status, indexing progress; a widget the
window mounts as a panel and Settings as its Documents page.

Nothing slow runs on the GUI thread: the index is read and written by ``run_in_background``
calls (each with its own connection) and indexing runs on the ``IndexingService``'s thread,
whose events come back through an ``Inbox``. Collections ticked "Use in chat" are the ones a
conversation searches (``chat_collections``; ``chat_collections_changed`` says when they change).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

import shiboken6
from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from localchat.core.documents.service import (
    IndexingFailed,
    IndexingFinished,
    IndexingProgress,
    IndexingService,
)
from localchat.core.documents.store import DocumentRecord, DocumentStore
from localchat.core.errors import LocalChatError
from localchat.gui.background import BackgroundCall, run_in_background
from localchat.gui.inbox import Inbox

log = logging.getLogger(__name__)


def eta_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if seconds < 90:
        return QCoreApplication.translate("DocumentsPanel", " · about {seconds} s left").format(
            seconds=max(1, round(seconds)))
    return QCoreApplication.translate("DocumentsPanel", " · about {minutes} min left").format(
        minutes=round(seconds / 60))


class FilesModel(QAbstractTableModel):
    """The files of one collection: status, passages, path and why."""

    HEADERS = (QT_TRANSLATE_NOOP("FilesModel", "Status"), QT_TRANSLATE_NOOP("FilesModel", "Passages"),
               QT_TRANSLATE_NOOP("FilesModel", "File"), QT_TRANSLATE_NOOP("FilesModel", "Why"))

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[DocumentRecord] = []

    def set_rows(self, rows: list[DocumentRecord]) -> None:
        self.beginResetModel()
        self.rows = sorted(rows, key=lambda d: d.path)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt's name
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return QCoreApplication.translate("FilesModel", self.HEADERS[section])
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self.rows[index.row()]
        return (row.status.value, str(row.chunks), row.path, row.reason or "")[index.column()]


class DocumentsPanel(QWidget):
    """Collections, their files and their indexing; ``close_service()`` before the worker stops."""

    chat_collections_changed = Signal()
    collections_listed = Signal(list)  # the names of the collections there are, after each read
    indexing_finished = Signal(str)  # a collection's run ended (finished, paused or failed)

    def __init__(self, index_path: Path, worker, embedding_model: Callable[[], object], parent=None,
                 *, watch: bool = True):
        super().__init__(parent)
        self.index_path = Path(index_path)
        self._inbox = Inbox(self._on_event, self)
        self.service = IndexingService(self.index_path, embedding_model, worker, self._inbox.post,
                                       watch=watch).start()
        self._progress: dict[str, str] = {}  # collection → its progress line while indexing
        self._summaries: dict[str, str] = {}
        self._paused: set[str] = set()
        self._chosen: set[str] = set()
        self._alive = True  # until close_service: reads that end later are dropped
        self._refreshes = 0  # reads of the collections started: only the latest is shown

        self.collections = QListWidget()
        self.collections.setAccessibleName(self.tr("Collections"))
        self.collections.currentItemChanged.connect(self._on_selection)
        self.collections.itemChanged.connect(self._on_item_changed)
        self.status = QLabel(self.tr("No collections yet: add a folder to chat with its documents."))
        self.status.setWordWrap(True)
        self.new_button = QPushButton(self.tr("New collection…"))
        self.add_folder_button = QPushButton(self.tr("Add folder…"))
        self.add_files_button = QPushButton(self.tr("Add files…"))
        self.index_button = QPushButton(self.tr("Index now"))
        self.pause_button = QPushButton(self.tr("Pause"))
        self.remove_button = QPushButton(self.tr("Remove"))
        self.new_button.clicked.connect(self._on_new)
        self.add_folder_button.clicked.connect(self._on_add_folder)
        self.add_files_button.clicked.connect(self._on_add_files)
        self.index_button.clicked.connect(lambda: self.index(self.current()))
        self.pause_button.clicked.connect(self._on_pause)
        self.remove_button.clicked.connect(lambda: self.remove(self.current()))
        self.files = FilesModel(self)
        self.table = QTableView()
        self.table.setModel(self.files)
        self.table.setAccessibleName(self.tr("Files of the collection"))
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(self._on_open_file)

        buttons = QHBoxLayout()
        for button in (self.new_button, self.add_folder_button, self.add_files_button, self.index_button,
                       self.pause_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.collections, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 2)
        self._sync_buttons()
        self.refresh(reconcile=True)

    # -- reading the index (off the GUI thread) -------------------------------------------------
    def _read(self, fn: Callable[[DocumentStore], object],
              on_done: Callable[[object], None]) -> BackgroundCall:
        path = self.index_path

        def work():
            with DocumentStore.open(path) as store:
                return fn(store)

        def done(value) -> None:  # a read may end after the panel was closed and deleted
            if self._alive and shiboken6.isValid(self):
                on_done(value)

        def failed(exc: Exception) -> None:
            if self._alive and shiboken6.isValid(self):
                self._on_failed(exc)

        return run_in_background(work, done, failed)

    def refresh(self, *, reconcile: bool = False) -> BackgroundCall:
        """Read the collections and their counts again; ``reconcile`` also asks the service to
        look for what changed in every collection (at start)."""

        def read(store):
            rows = []
            for c in store.collections():
                p = store.progress(c.id)
                rows.append((c.name, c.paused, p.files, p.chunks, p.queued, dict(p.by_status)))
            return rows

        self._refreshes += 1
        turn = self._refreshes

        def show(rows) -> None:
            if reconcile:
                for name, *_ in rows:
                    self.service.request(name)
            if turn != self._refreshes:  # a later read is under way: these counts may be older
                return
            current = self.current()
            self.collections.blockSignals(True)
            self.collections.clear()
            for name, paused, files, chunks, queued, by_status in rows:
                states = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items()) if s != "indexed")
                summary = self.tr("{files} files · {chunks} passages").format(files=f"{files:,}",
                                                                            chunks=f"{chunks:,}")
                summary += f" · {states}" if states else ""
                if queued:
                    summary += self.tr(" · {count} to index").format(count=f"{queued:,}")
                self._summaries[name] = summary + (self.tr(" · paused") if paused else "")
                (self._paused.add if paused else self._paused.discard)(name)
                item = QListWidgetItem(f"{name}\n{self._summaries[name]}")
                item.setData(Qt.ItemDataRole.UserRole, name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name in self._chosen else Qt.CheckState.Unchecked)
                item.setToolTip(self.tr("Tick to use this collection in the conversation"))
                self.collections.addItem(item)
                if name == current or (current is None and self.collections.count() == 1):
                    self.collections.setCurrentItem(item)
            self.collections.blockSignals(False)
            known = {r[0] for r in rows}
            self.collections_listed.emit(sorted(known))
            if self._chosen - known:
                self._chosen &= known
                self.chat_collections_changed.emit()
            self._on_selection()

        return self._read(read, show)

    def _load_files(self, name: str) -> None:
        self._read(lambda store: list(store.documents(store.collection(name).id).values()),
                   lambda rows: self.files.set_rows(rows) if self.current() == name else None)

    # -- actions ----------------------------------------------------------------------------------
    def current(self) -> str | None:
        item = self.collections.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def chat_collections(self) -> list[str]:
        """The collections ticked "Use in chat", for the conversation's ``DocumentContext``."""
        return sorted(self._chosen)

    def set_chat_collections(self, names) -> None:
        """Tick these (the conversation shown uses them), untick the others; no signal."""
        self._chosen = set(names)
        self.collections.blockSignals(True)
        for row in range(self.collections.count()):
            item = self.collections.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in self._chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.collections.blockSignals(False)

    def add_collection(self, name: str, paths: list[str | Path]) -> BackgroundCall:
        """Make ``name`` (or add to it) with these folders and files, then index it."""

        def done(_):
            self.service.sources_changed()
            self.service.request(name)
            self.refresh()

        return self._read(lambda store: store.add_collection(name, paths), done)

    def index(self, name: str | None) -> None:
        if name is None:
            return
        if name in self._paused:
            self.resume(name)
            return
        self.service.request(name)

    def pause(self, name: str) -> BackgroundCall:
        self._paused.add(name)
        self._sync_buttons()
        return self._read(lambda store: store.set_paused(name, True), lambda _: self.refresh())

    def resume(self, name: str) -> BackgroundCall:
        self._paused.discard(name)
        self._sync_buttons()

        def done(_):
            self.service.request(name)
            self.refresh()

        return self._read(lambda store: store.set_paused(name, False), done)

    def remove(self, name: str | None) -> BackgroundCall | None:
        if name is None:
            return None
        self._chosen.discard(name)

        def done(_):
            self.service.sources_changed()
            self.files.set_rows([])
            self.refresh()

        return self._read(lambda store: store.remove_collection(name), done)

    def close_service(self) -> None:
        self._alive = False
        self.service.stop()

    # -- slots ------------------------------------------------------------------------------------
    def _on_new(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("New collection"), self.tr("Name of the collection:"))
        if ok and name.strip():
            folder = QFileDialog.getExistingDirectory(self, self.tr("Folder of documents"))
            if folder:
                self.add_collection(name.strip(), [folder])

    def _on_add_folder(self) -> None:
        name = self.current()
        if name is None:
            self._on_new()
            return
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder to {name}").format(name=name))
        if folder:
            self.add_collection(name, [folder])

    def _on_add_files(self) -> None:
        name = self.current()
        if name is None:
            return
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("Add files to {name}").format(name=name))
        if files:
            self.add_collection(name, files)

    def _on_pause(self) -> None:
        name = self.current()
        if name is not None:
            (self.resume if name in self._paused else self.pause)(name)

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        before = set(self._chosen)
        if item.checkState() == Qt.CheckState.Checked:
            self._chosen.add(name)
        else:
            self._chosen.discard(name)
        if before != self._chosen:
            self.chat_collections_changed.emit()

    def _on_selection(self, *_args) -> None:
        name = self.current()
        self._sync_buttons()
        if name is None:
            self.status.setText(self.tr("No collections yet: add a folder to chat with its documents."))
            self.files.set_rows([])
            return
        self.status.setText(self._progress.get(name) or self._summaries.get(name, ""))
        self._load_files(name)

    def _on_open_file(self, index: QModelIndex) -> None:
        path = self.files.rows[index.row()].path
        QDesktopServices.openUrl(QUrl.fromLocalFile(path))

    def _on_failed(self, exc: Exception) -> None:
        self.status.setText(str(exc) if isinstance(exc, LocalChatError)
                            else self.tr("Unexpected error: {error}").format(error=exc))

    def _on_event(self, event) -> None:
        name = event.collection
        if isinstance(event, IndexingProgress):
            line = self.tr("Indexing {name}: {done}/{total} files · {chunks} passages")
            self._progress[name] = line.format(
                name=name, done=f"{event.done:,}", total=f"{event.total:,}",
                chunks=f"{event.chunks:,}") + eta_text(event.eta_s)
        elif isinstance(event, IndexingFinished):
            self._progress.pop(name, None)
            self.refresh()
            self.indexing_finished.emit(name)
        elif isinstance(event, IndexingFailed):
            self._progress[name] = self.tr("Indexing {name} stopped: {reason}").format(name=name,
                                                                                       reason=event.message)
            self.indexing_finished.emit(name)
        line = self._progress.get(name) or self._summaries.get(name, "")
        for row in range(self.collections.count()):  # each collection's line shows its own progress
            item = self.collections.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name and item.text() != f"{name}\n{line}":
                self.collections.blockSignals(True)
                item.setText(f"{name}\n{line}")
                self.collections.blockSignals(False)
        if name == self.current() and self.status.text() != line:  # a new text lays the panel out again
            self.status.setText(line)

    def _sync_buttons(self) -> None:
        name = self.current()
        for button in (self.add_files_button, self.index_button, self.pause_button, self.remove_button):
            button.setEnabled(name is not None)
        self.pause_button.setText(self.tr("Resume") if name in self._paused else self.tr("Pause"))
