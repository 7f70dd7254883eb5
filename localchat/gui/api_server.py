"""The window's API server: started and stopped as the settings say, shown in the status bar.

The server serves the window's own inference worker, so API requests wait in the same FIFO as
the window's replies. Starting imports the web framework and binds the port, and stopping waits
for uvicorn to let go of it: both run off the GUI thread, one at a time (a change that comes
meanwhile is applied when the running one ends). While the server runs, a timer reads how many
API requests are open, and the request log's new entries, every 250 ms; nothing else of the
server runs on the GUI thread. "Request log" in the status bar shows the entries of this session
(message contents only when Settings → API server says to keep them).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from enum import Enum
from typing import TYPE_CHECKING, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QStatusBar,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from localchat.core.errors import LocalChatError
from localchat.core.settings import ApiServerOptions
from localchat.gui.background import run_in_background

if TYPE_CHECKING:
    from localchat.core.inference.worker import InferenceWorker
    from localchat.server.request_log import LoggedRequest
    from localchat.server.requests import LoadJobFactory
    from localchat.server.runner import ApiServer

log = logging.getLogger(__name__)

POLL_MS = 250
KEEP_ENTRIES = 500  # request log entries the window keeps, across restarts of the server


class ServerState(Enum):
    OFF = "off"
    STARTING = "starting"
    RUNNING = "running"
    STOPPING = "stopping"


class ApiServerControl(QObject):
    """``apply(options)`` (None: off) from the settings; ``shutdown()`` before the worker stops."""

    started = Signal(str)  # the base URL
    stopped = Signal()
    failed = Signal(str)  # the message the window shows

    def __init__(self, worker: "InferenceWorker", window_busy: Callable[[], bool] = lambda: False,
                 parent: QObject | None = None, load_job: "LoadJobFactory | None" = None):
        """``window_busy``: whether the window's own reply holds the worker, so an API request
        is waiting rather than running; ``load_job``: how the window loads a model, used when a
        request names another installed model."""
        super().__init__(parent)
        self.worker = worker
        self._window_busy = window_busy
        self._load_job = load_job
        self.entries: deque[LoggedRequest] = deque(maxlen=KEEP_ENTRIES)
        self._seen = 0  # entries of the running server's log already taken
        self.log_dialog: RequestLogDialog | None = None
        self.state = ServerState.OFF
        self.server: "ApiServer | None" = None
        self._options: ApiServerOptions | None = None  # what the running server was made with
        self._wanted: ApiServerOptions | None = None
        self._failed_for: ApiServerOptions | None = None  # not retried until the settings change
        # the server a start on the pool thread made: shutdown() must find it even before that
        # start's result reaches the GUI thread
        self._lock = threading.Lock()
        self._live: "ApiServer | None" = None
        self._closed = False

        self.status_label = QLabel()
        self.status_label.setObjectName("api-server")
        self.cancel_button = QToolButton()
        self.cancel_button.setText(self.tr("Cancel API requests"))
        self.cancel_button.setToolTip(self.tr("Cancel every API request running or waiting; the window's "
                                              "own reply goes on"))
        self.cancel_button.clicked.connect(self.cancel_requests)
        self.log_button = QToolButton()
        self.log_button.setText(self.tr("Request log"))
        self.log_button.setToolTip(self.tr("Every API request of this session: time, endpoint, status, tokens, "
                                           "duration"))
        self.log_button.clicked.connect(self.show_log)
        self.status_label.hide()
        self.cancel_button.hide()
        self.log_button.hide()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._on_poll)

    def install(self, status_bar: QStatusBar) -> None:
        status_bar.addPermanentWidget(self.status_label)
        status_bar.addPermanentWidget(self.cancel_button)
        status_bar.addPermanentWidget(self.log_button)

    @property
    def base_url(self) -> str | None:
        return self.server.base_url if self.server is not None else None

    # -- the GUI thread ------------------------------------------------------------------------
    def apply(self, options: ApiServerOptions | None) -> None:
        """Serve as ``options`` say: start, stop, or restart with other options."""
        self._wanted = options
        if options != self._failed_for:
            self._failed_for = None
        self._advance()

    def _advance(self) -> None:
        if self._closed or self.state in (ServerState.STARTING, ServerState.STOPPING):
            return  # the change is applied when that one ends
        if self.server is not None and self._options != self._wanted:
            self._stop_in_background()
        elif self.server is None and self._wanted is not None and self._wanted != self._failed_for:
            self._start_in_background(self._wanted)

    def _start_in_background(self, options: ApiServerOptions) -> None:
        self.state = ServerState.STARTING
        worker, load_job = self.worker, self._load_job

        def start():
            from localchat.server.runner import ApiServer

            try:
                server = ApiServer(worker, **options.server_kwargs(), load_job=load_job).start()
            except LocalChatError as exc:
                return exc
            with self._lock:
                if self._closed:  # the window closed while this started
                    server.stop()
                    return None
                self._live = server
            return server

        run_in_background(start, lambda result: self._on_started(options, result),
                          lambda exc: self._on_started(options, LocalChatError(
                              self.tr("The API server could not start: {error}").format(error=exc),
                              self.tr("The log file has the details."))))

    def _on_started(self, options: ApiServerOptions, result) -> None:
        if self._closed:
            return  # the start stopped its own server; the window may be gone
        self.state = ServerState.OFF
        if isinstance(result, LocalChatError):
            log.warning("API server not started: %s", result.message)
            self._failed_for = options
            self.failed.emit(str(result))
        elif result is not None:
            self.server, self._options, self.state = result, options, ServerState.RUNNING
            self._seen = 0
            self.log_button.show()
            self._timer.start()
            self._on_poll()
            self.started.emit(result.base_url)
        self._advance()

    def _stop_in_background(self) -> None:
        server = self._take()
        self.state = ServerState.STOPPING
        run_in_background(server.stop, lambda _: self._on_stopped(),
                          lambda exc: self._on_stopped())

    def _on_stopped(self) -> None:
        if self._closed:
            return
        self.state = ServerState.OFF
        self.stopped.emit()
        self._advance()

    def _take(self) -> "ApiServer":
        """The running server, no longer shown as running."""
        self._read_log()
        server, self.server, self._options = self.server, None, None
        with self._lock:
            self._live = None
        self._timer.stop()
        self.status_label.hide()
        self.cancel_button.hide()
        return server

    @Slot()
    def cancel_requests(self) -> int:
        return self.server.requests.cancel_all() if self.server is not None else 0

    @Slot()
    def show_log(self) -> "RequestLogDialog":
        self._read_log()
        if self.log_dialog is None:
            parent = self.parent()
            self.log_dialog = RequestLogDialog(parent if isinstance(parent, QWidget) else None)
        self.log_dialog.show_entries(self.entries)
        self.log_dialog.show()
        self.log_dialog.raise_()
        return self.log_dialog

    def _read_log(self) -> None:
        if self.server is None:
            return
        new, self._seen = self.server.request_log.since(self._seen)
        if new:
            self.entries.extend(new)
            if self.log_dialog is not None and self.log_dialog.isVisible():
                self.log_dialog.show_entries(self.entries)

    @Slot()
    def _on_poll(self) -> None:
        if self.server is None:
            return
        self._read_log()
        open_requests = self.server.requests.in_flight
        if not open_requests:
            text = self.tr("API: {url}").format(url=self.server.base_url)
        elif self._window_busy():
            text = (self.tr("{count} API requests waiting") if open_requests > 1
                    else self.tr("{count} API request waiting")).format(count=open_requests)
        else:
            text = self.tr("API request running · {count} waiting").format(count=open_requests - 1)
        self.status_label.setText(text)
        self.status_label.setToolTip(self.tr("Serving the OpenAI-compatible API at {url}").format(
            url=self.server.base_url))
        self.status_label.show()
        self.cancel_button.setVisible(open_requests > 0)

    def shutdown(self) -> None:
        """Stop serving now, here: the window is closing and its worker stops next. A start still
        under way stops its server itself."""
        with self._lock:
            self._closed = True
            server, self._live = self._live, None
        self._timer.stop()
        self.server = None
        if server is not None:
            server.stop()


class RequestLogDialog(QDialog):
    """The API's requests of this session, newest first; a selected one shows its messages and
    reply when contents are kept."""

    COLUMNS = (QT_TRANSLATE_NOOP("RequestLogDialog", "Time"), QT_TRANSLATE_NOOP("RequestLogDialog", "Request"),
               QT_TRANSLATE_NOOP("RequestLogDialog", "Status"), QT_TRANSLATE_NOOP("RequestLogDialog", "Model"),
               QT_TRANSLATE_NOOP("RequestLogDialog", "Tokens in → out"),
               QT_TRANSLATE_NOOP("RequestLogDialog", "Duration"))

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("API request log"))
        self.resize(820, 460)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("RequestLogDialog", column) for column in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("API requests"))
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setAccessibleName(self.tr("The selected request's messages and reply"))
        self.details.setPlaceholderText(self.tr("Message contents are not kept. Settings → API server → "
                                                "\"Keep message contents in the request log\" keeps them."))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        layout.addWidget(buttons)
        self._shown: list[LoggedRequest] = []
        self.table.currentCellChanged.connect(lambda row, *_: self._show_details(row))

    def show_entries(self, entries) -> None:
        self._shown = list(reversed(entries))
        self.table.setRowCount(len(self._shown))
        for row, entry in enumerate(self._shown):
            cells = (time.strftime("%H:%M:%S", time.localtime(entry.at)), f"{entry.method} {entry.path}",
                     str(entry.status), entry.model or "",
                     f"{entry.prompt_tokens} → {entry.completion_tokens}", self.tr("{seconds} s").format(seconds=f"{entry.duration_s:.2f}"))
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._show_details(self.table.currentRow())

    def _show_details(self, row: int) -> None:
        entry = self._shown[row] if 0 <= row < len(self._shown) else None
        if entry is None or entry.request_text is None:
            self.details.clear()
            return
        self.details.setPlainText(f"{entry.request_text}\n\nassistant: {entry.reply_text or ''}")
