"""The inference worker (core, a plain thread) seen from the window: its events as Qt signals.

``InferenceWorker`` calls its listeners on its own thread. ``InferenceRelay`` lives in the GUI
thread; its listener only puts the event in a queue and, when the queue was empty, emits a
signal that carries nothing, queued to the relay itself. The relay then takes the events out on
the GUI thread and emits its public signals there, in the order the events came, so every
receiver's slot runs on the GUI thread.

No Python object crosses threads through Qt. Queued signals with Python arguments, emitted from
a thread Qt did not start, are a known source of PySide6 crashes (PYSIDE-3124); a full test run
here once died of a segfault in the worker's pure Python code while the GUI thread was taking
such signals. The queue keeps the events under the GIL, and the one signal that crosses is empty.
"""

from __future__ import annotations

import threading
from collections import deque

from PySide6.QtCore import QObject, Qt, Signal, Slot

from localchat.core.inference.worker import (
    InferenceWorker,
    Job,
    ModelFailed,
    ModelLoaded,
    ModelLoading,
    ModelUnloaded,
    ReplyDelta,
    ReplyFinished,
    WorkerEvent,
)


class InferenceRelay(QObject):
    """Owns the worker: ``start`` it with the window, ``stop`` it when the window closes."""

    model_loading = Signal(object)  # LoadJob
    model_loaded = Signal(object, object, object)  # LoadJob, ModelInfo, ModelDefaults
    model_failed = Signal(object, str, bool)  # LoadJob, the message, whether it was cancelled
    reply_delta = Signal(object, str)  # ChatJob, a batch of reply text
    reply_finished = Signal(object, object)  # ChatJob, GenerationStats
    model_unloaded = Signal(object)  # UnloadJob
    _events_waiting = Signal()  # emitted on the worker's thread; carries nothing

    def __init__(self, worker: InferenceWorker, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = worker
        self._pending: deque[WorkerEvent] = deque()
        self._lock = threading.Lock()
        self._events_waiting.connect(self.deliver, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe = worker.subscribe(self._on_event)

    def start(self) -> "InferenceRelay":
        self.worker.start()
        return self

    def submit(self, job: Job) -> Job:
        return self.worker.submit(job)

    def cancel(self, job: Job | None = None) -> None:
        self.worker.cancel(job)

    def stop(self) -> bool:
        """Cancel every job and free the model on the worker's thread; the final events of the
        cancelled jobs are still on their way to the receivers (queued)."""
        stopped = self.worker.stop()
        self._unsubscribe()
        return stopped

    # -- the worker's thread -------------------------------------------------------------------
    def _on_event(self, event: WorkerEvent) -> None:
        with self._lock:
            was_empty = not self._pending
            self._pending.append(event)
        if was_empty:  # one wake-up for a run of events: a fast model does not flood the loop
            self._events_waiting.emit()

    # -- the GUI thread ------------------------------------------------------------------------
    @Slot()
    def deliver(self) -> None:
        """Emit the signals of every event that has come so far (the queued wake-up calls this;
        a window that closes calls it to take the last events before it ends a reply)."""
        while True:
            with self._lock:
                if not self._pending:
                    return
                event = self._pending.popleft()
            self._emit(event)

    def _emit(self, event: WorkerEvent) -> None:
        if isinstance(event, ReplyDelta):
            self.reply_delta.emit(event.job, event.text)
        elif isinstance(event, ReplyFinished):
            self.reply_finished.emit(event.job, event.stats)
        elif isinstance(event, ModelLoading):
            self.model_loading.emit(event.job)
        elif isinstance(event, ModelLoaded):
            self.model_loaded.emit(event.job, event.info, event.defaults)
        elif isinstance(event, ModelFailed):
            self.model_failed.emit(event.job, event.message, event.cancelled)
        elif isinstance(event, ModelUnloaded):
            self.model_unloaded.emit(event.job)
