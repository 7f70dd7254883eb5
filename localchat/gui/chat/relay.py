"""The inference worker (core, a plain thread) seen from the window: its events as Qt signals.

``InferenceWorker`` calls its listeners on its own thread. ``InferenceRelay`` lives in the GUI
thread; its listener posts each event to an ``Inbox`` (no Python object crosses threads through
Qt), which hands them back on the GUI thread, where the relay emits its public signals in the
order the events came, so every receiver's slot runs on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal, Slot

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
from localchat.gui.inbox import Inbox


class InferenceRelay(QObject):
    """Owns the worker: ``start`` it with the window, ``stop`` it when the window closes."""

    model_loading = Signal(object)  # LoadJob
    model_loaded = Signal(object, object, object)  # LoadJob, ModelInfo, ModelDefaults
    model_failed = Signal(object, str, bool)  # LoadJob, the message, whether it was cancelled
    reply_delta = Signal(object, str)  # ChatJob, a batch of reply text
    reply_finished = Signal(object, object)  # ChatJob, GenerationStats
    model_unloaded = Signal(object)  # UnloadJob

    def __init__(self, worker: InferenceWorker, parent: QObject | None = None):
        super().__init__(parent)
        self.worker = worker
        self._inbox = Inbox(self._emit, self)
        self._unsubscribe = worker.subscribe(self._inbox.post)
        self._remotes: dict[object, object] = {}  # RemoteBackend -> its unsubscribe
        self._remote_jobs: dict[Job, object] = {}  # a job sent to a remote backend -> that backend

    def start(self) -> "InferenceRelay":
        self.worker.start()
        return self

    def attach(self, backend) -> None:
        """A remote backend's events come through this relay too (once, however often asked)."""
        if backend not in self._remotes:
            self._remotes[backend] = backend.subscribe(self._inbox.post)

    def detach(self, backend) -> None:
        unsubscribe = self._remotes.pop(backend, None)
        if unsubscribe is not None:
            unsubscribe()

    def submit(self, job: Job, backend=None) -> Job:
        """``job`` to the worker, or to ``backend`` (a remote one, attached here first)."""
        if backend is None:
            return self.worker.submit(job)
        self.attach(backend)
        self._remote_jobs[job] = backend
        try:
            return backend.submit(job)
        except Exception:
            self._remote_jobs.pop(job, None)
            raise

    def cancel(self, job: Job | None = None) -> None:
        backend = self._remote_jobs.get(job) if job is not None else None
        if backend is not None:
            backend.cancel(job)
        else:
            self.worker.cancel(job)

    def stop(self) -> bool:
        """Cancel every job and free the model on the worker's thread; the final events of the
        cancelled jobs are still on their way to the receivers (queued)."""
        stopped = self.worker.stop()
        self._unsubscribe()
        for backend in list(self._remotes):
            backend.cancel()  # a remote reply ends as cancelled too; its backend stops with its owner
        return stopped

    @Slot()
    def deliver(self) -> None:
        """Emit the signals of every event that has come so far (a window that closes calls it to
        take the last events before it ends a reply)."""
        self._inbox.deliver()

    def _emit(self, event: WorkerEvent) -> None:
        if isinstance(event, ReplyDelta):
            self.reply_delta.emit(event.job, event.text)
        elif isinstance(event, ReplyFinished):
            self._remote_jobs.pop(event.job, None)
            self.reply_finished.emit(event.job, event.stats)
        elif isinstance(event, ModelLoading):
            self.model_loading.emit(event.job)
        elif isinstance(event, ModelLoaded):
            self.model_loaded.emit(event.job, event.info, event.defaults)
        elif isinstance(event, ModelFailed):
            self.model_failed.emit(event.job, event.message, event.cancelled)
        elif isinstance(event, ModelUnloaded):
            self.model_unloaded.emit(event.job)
