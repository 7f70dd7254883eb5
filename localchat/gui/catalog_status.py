"""The model catalog's status for the Model Manager: its date, "N new models", why a download was refused.

``CatalogStatus.show_state(state)`` shows a ``CatalogState`` (``core.models.catalog_update``);
``new_since_last_look(state)`` tells which entries to mark as new, and ``mark_looked`` forgets
them once the person has seen the list. ``CatalogRefresher`` gives the catalog to use at once,
from the disk, and asks the server off the GUI thread; its result comes back through an
``Inbox`` and ``updated`` is emitted on the GUI thread, so start-up never waits on the network.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from localchat.core.errors import LocalChatError
from localchat.core.models.catalog_update import (
    CatalogOrigin,
    CatalogState,
    CatalogUpdate,
    UpdateOutcome,
    current_catalog,
    mark_seen,
    update_catalog,
)
from localchat.gui.inbox import Inbox

if TYPE_CHECKING:
    import ssl

    from localchat.core.paths import DataPaths

log = logging.getLogger(__name__)
# DESIGN.md's warn_bg / warn_text, light and dark
_WARN = {False: ("#FFF4CC", "#5C4500"), True: ("#3A2F0B", "#F2CC60")}


def new_since_last_look(state: CatalogState) -> frozenset[str]:
    """The ids of the entries the person has not seen yet (mark these in the list)."""
    return state.new_ids


def mark_looked(paths: DataPaths, state: CatalogState) -> None:
    """The person has seen the list: its entries are no longer new."""
    mark_seen(paths, state.catalog)


class CatalogStatus(QWidget):
    """Two muted lines above the catalog and, when the last download was refused, why."""

    check_requested = Signal()  # the person asked to check for a newer catalog now

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.date = QLabel()
        self.date.setObjectName("catalogDate")
        self.new = QLabel()
        self.new.setObjectName("catalogNew")
        self.note = QLabel()  # the last check could not reach the server
        self.note.setObjectName("catalogNote")
        self.note.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setObjectName("catalogProblem")
        self.problem.setWordWrap(True)
        self.check = QPushButton(self.tr("Check for new models"))
        self.check.clicked.connect(self.check_requested)
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        for label in (self.date, self.note):
            label.setStyleSheet(f"color: {muted};")
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        bg, fg = _WARN[dark]
        self.problem.setStyleSheet(f"background-color: {bg}; color: {fg}; padding: 6px; border-radius: 8px;")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.date, 1)
        top.addWidget(self.new)
        top.addWidget(self.check)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.note)
        column.addWidget(self.problem)
        self.note.hide()
        self.problem.hide()
        self.new.hide()

    def show_state(self, state: CatalogState) -> None:
        if state.origin is CatalogOrigin.DOWNLOADED:
            date = self.tr("Catalog of {date}, downloaded")
        else:
            date = self.tr("Catalog of {date}, shipped with localchat")
        self.date.setText(date.format(date=state.catalog.published_text))
        self.date.setToolTip(state.summary)
        count = len(state.new_ids)
        new = self.tr("{count} new model") if count == 1 else self.tr("{count} new models")
        self.new.setText(new.format(count=count))
        self.new.setToolTip("\n".join(e.display_name for e in state.new_entries))
        self.new.setVisible(count > 0)
        self.problem.setText(self.tr("The last catalog download was refused: {reason}").format(reason=state.rejected)
                             if state.rejected else "")
        self.problem.setVisible(bool(state.rejected))
        self.note.hide()

    def show_update(self, update: CatalogUpdate) -> None:
        """A finished check: the state after it, and a note when the server could not be asked."""
        self.show_state(update.state)
        self.check.setEnabled(True)
        if update.outcome is UpdateOutcome.UNREACHABLE:
            self.note.setText(self.tr("Could not check for a newer catalog: {reason}").format(reason=update.reason))
            self.note.show()

    def show_checking(self) -> None:
        self.check.setEnabled(False)


class CatalogRefresher(QObject):
    """The catalog in use at once (``current()``, the disk only) and its refresh in the background
    (``start()``): ``updated(CatalogUpdate)`` is emitted on the GUI thread when it is done, or
    ``failed(str)`` when it could not even start (a bad address)."""

    updated = Signal(object)
    failed = Signal(str)

    def __init__(self, paths: DataPaths, parent: QObject | None = None, *, url: str | None = None,
                 verify: ssl.SSLContext | None = None):
        super().__init__(parent)
        self.paths, self.url, self.verify = paths, url, verify
        self._inbox = Inbox(self._on_result, self)
        self._running = False  # until its result is delivered here, on the GUI thread

    def current(self) -> CatalogState:
        return current_catalog(self.paths)

    @property
    def running(self) -> bool:
        return self._running

    def start(self, *, force: bool = False) -> bool:
        """Ask the server in a thread of its own (never the GUI's); False when a check runs already.
        The thread is a daemon: closing the app does not wait on a slow server."""
        if self.running:
            return False
        paths, url, verify, inbox = self.paths, self.url, self.verify, self._inbox

        def refresh() -> None:
            try:
                result: CatalogUpdate | LocalChatError = update_catalog(paths, url, force=force, verify=verify)
            except LocalChatError as exc:
                result = exc
            except Exception as exc:  # a bug: logged, and said in a sentence
                log.exception("catalog refresh failed")
                result = LocalChatError(QCoreApplication.translate(
                    "CatalogRefresher", "The catalog check failed unexpectedly: {error}.").format(error=exc))
            try:
                inbox.post(result)
            except RuntimeError:  # the window closed while the server was asked
                log.info("catalog refresh finished after its window closed")

        self._running = True
        threading.Thread(target=refresh, name="catalog-refresh", daemon=True).start()
        return True

    def _on_result(self, result: CatalogUpdate | LocalChatError) -> None:
        self._running = False
        if isinstance(result, CatalogUpdate):
            self.updated.emit(result)
        else:
            self.failed.emit(str(result))
