"""The one thread that talks to llama.cpp.

``InferenceWorker`` lives in its own QThread and owns the only Engine (and so the only
``llama_cpp.Llama``). The GUI asks it for work through queued signals and gets plain data
back; it never calls llama.cpp itself. ``cancel()`` is the one method the GUI thread calls
directly: it only sets a flag that the generation loop checks between tokens.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QThread, Signal, Slot

from localchat.core.chat.messages import Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.errors import LocalChatError
from localchat.core.inference.engine import Engine

log = logging.getLogger(__name__)

BATCH_SECONDS = 0.03  # token text is sent to the GUI at most this often


@dataclass(frozen=True)
class LoadRequest:
    path: str
    n_ctx: int | None = None
    n_threads: int | None = None
    n_gpu_layers: int | None = 0  # None: "Auto", as many layers as the memory-fit plan puts on the GPU


def planned_gpu_layers(path: str, n_ctx: int | None) -> int:
    """The "Auto" GPU setting: the memory-fit plan for this file on this machine now. A CPU-only
    build of llama.cpp offloads nothing, so it skips the GPU probes."""
    from localchat.core.build_info import build_info
    from localchat.core.models.fit import plan_for_file

    if not build_info().gpu_offload:
        return 0
    return plan_for_file(path, n_ctx=n_ctx).n_gpu_layers


class InferenceWorker(QObject):
    # requests (queued into the worker thread)
    load_requested = Signal(object)  # LoadRequest
    generate_requested = Signal(object, object)  # list[Message], Sampling
    unload_requested = Signal()

    # results (queued back to the GUI thread)
    model_loading = Signal(str)  # path
    model_loaded = Signal(object)  # ModelInfo
    model_failed = Signal(str, str)  # path, human message
    token_received = Signal(str)  # a batch of reply text
    finished = Signal(object)  # GenerationStats
    busy_changed = Signal(bool)

    def __init__(self, batch_seconds: float = BATCH_SECONDS):
        super().__init__()
        self._engine = Engine()
        self._batch_seconds = batch_seconds
        self.load_requested.connect(self._on_load_requested)
        self.generate_requested.connect(self._on_generate_requested)
        self.unload_requested.connect(self._on_unload_requested)

    # -- called from the GUI thread ------------------------------------------------------------
    def cancel(self) -> None:
        self._engine.cancel()

    # -- run in the worker thread --------------------------------------------------------------
    @Slot(object)
    def _on_load_requested(self, request: LoadRequest) -> None:
        self.busy_changed.emit(True)
        self.model_loading.emit(request.path)
        try:
            n_gpu_layers = request.n_gpu_layers
            if n_gpu_layers is None:
                n_gpu_layers = planned_gpu_layers(request.path, request.n_ctx)
            info = self._engine.load(request.path, n_ctx=request.n_ctx, n_threads=request.n_threads,
                                     n_gpu_layers=n_gpu_layers)
        except LocalChatError as exc:
            log.warning("load failed: %s", exc)
            self.model_failed.emit(request.path, str(exc))
        except Exception as exc:  # anything else is a bug, but the app keeps running
            log.exception("unexpected error loading %s", request.path)
            self.model_failed.emit(request.path, f"Unexpected error while loading the model: {exc}")
        else:
            self.model_loaded.emit(info)
        finally:
            self.busy_changed.emit(False)

    @Slot(object, object)
    def _on_generate_requested(self, messages, sampling: Sampling) -> None:
        self.busy_changed.emit(True)
        pending: list[str] = []
        last_sent = time.perf_counter()
        stats = None
        try:
            for event in self._engine.stream_chat(messages, sampling):
                if isinstance(event, GenerationStats):
                    stats = event
                    break
                pending.append(event.text)
                now = time.perf_counter()
                if now - last_sent >= self._batch_seconds:
                    self.token_received.emit("".join(pending))
                    pending.clear()
                    last_sent = now
        except LocalChatError as exc:
            stats = GenerationStats("error", error=str(exc))
        except Exception as exc:
            log.exception("unexpected error while generating")
            stats = GenerationStats("error", error=f"Unexpected error while generating: {exc}")
        if pending:
            self.token_received.emit("".join(pending))
        self.finished.emit(stats)
        self.busy_changed.emit(False)

    @Slot()
    def _on_unload_requested(self) -> None:
        self._engine.close()

    @Slot()
    def shutdown(self) -> None:
        self._engine.close()


class InferenceThread:
    """Starts the worker in its own thread and stops both cleanly."""

    def __init__(self, batch_seconds: float = BATCH_SECONDS):
        self.thread = QThread()
        self.thread.setObjectName("inference")
        self.worker = InferenceWorker(batch_seconds)
        self.worker.moveToThread(self.thread)
        self.thread.start()

    def stop(self, timeout_ms: int = 30_000) -> bool:
        """Cancel any generation, free the model in its own thread, end the thread."""
        from PySide6.QtCore import QMetaObject, Qt

        if not self.thread.isRunning():
            return True
        self.worker.cancel()
        # runs after the current job, which the cancel ends within one token
        QMetaObject.invokeMethod(self.worker, "shutdown", Qt.ConnectionType.BlockingQueuedConnection)
        self.thread.quit()
        return self.thread.wait(timeout_ms)
