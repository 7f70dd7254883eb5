"""``localchat --self-test``: the window, a tiny model, a few tokens, exit 0 or 1.

It proves that an install works end to end: Qt starts (offscreen unless a platform is chosen),
llama.cpp loads a model and streams tokens into the window, and the API server (FastAPI under
uvicorn, whose modules a frozen bundle must carry) streams a chat completion from the same model
to the remote-backend client (the ``openai`` package). It writes its own tiny model into a
temporary data folder, so the person's models and history are never touched.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, QTimer, Slot

TIMEOUT_MS = 60_000


class _Watcher(QObject):
    """Follows the window: model loaded → send a message; reply finished → done."""

    def __init__(self, window, loop: QEventLoop):
        super().__init__()
        self.window, self.loop = window, loop
        self.stats = None
        self.error: str | None = None

    @Slot(object)
    def on_loaded(self, _info) -> None:
        # after the load: a new chat takes the loaded model's sampling
        self.window.sampling = self.window.sampling.with_(max_tokens=16, seed=1)
        self.window.send("Say something.")

    @Slot(str)
    def on_failed(self, message: str) -> None:
        self.error = message
        self.loop.quit()

    @Slot(object)
    def on_finished(self, stats) -> None:
        self.stats = stats
        self.loop.quit()


def run_self_test(_paths=None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from localchat.core.paths import DataPaths
    from localchat.core.testing.tiny_model import write_tiny_gguf
    from localchat.gui.app import make_application
    from localchat.gui.main_window import MainWindow

    app = make_application()
    with tempfile.TemporaryDirectory(prefix="localchat-self-test-") as tmp:
        paths = DataPaths(Path(tmp)).ensure()
        model = write_tiny_gguf(paths.models / "self-test.gguf")
        window = MainWindow(paths, install_demo=False)
        window.show()
        loop = QEventLoop()
        watcher = _Watcher(window, loop)
        window.model_ready.connect(watcher.on_loaded)
        window.model_load_failed.connect(watcher.on_failed)
        window.reply_finished.connect(watcher.on_finished)
        window.load_model(model)
        QTimer.singleShot(TIMEOUT_MS, loop.quit)
        loop.exec()
        stats = watcher.stats
        text = window.messages[-1].content if window.messages else ""
        api_problem = _api_problem(window.inference.worker) if stats is not None else None
        window.close()
        app.processEvents()
    if stats is not None and not stats.error and stats.completion_tokens > 0 and text and not api_problem:
        print(f"self-test passed: {stats.completion_tokens} tokens streamed into the window "
              f"({stats.tokens_per_s:.0f} tok/s) on Qt platform {app.platformName()}; "
              "the API server answered a remote backend")
        return 0
    reason = watcher.error or (stats.error if stats else "no reply within the time limit") or api_problem
    print(f"self-test FAILED: {reason}", file=sys.stderr)
    return 1


def _api_problem(worker) -> str | None:
    """Serve the window's model on a free local port and stream a short chat completion from it
    as a remote backend: FastAPI and uvicorn serve it, the ``openai`` client reads it. None when
    it answered, else what went wrong."""
    from localchat.core.backends.config import BackendConfig, normalise_url
    from localchat.core.backends.remote import RemoteBackend
    from localchat.core.chat.messages import USER, Message, Sampling
    from localchat.core.inference.worker import ChatJob, ReplyFinished
    from localchat.server.runner import ApiServer

    try:
        server = ApiServer(worker, port=0).start()
    except Exception as exc:  # a missing module in a bundle shows here
        return f"the API server did not start: {exc}"
    backend = None
    try:
        backend = RemoteBackend(BackendConfig("self-test", normalise_url(server.base_url)),
                                model=server.requests.model.id).start()
        finished = []
        backend.subscribe(lambda e: finished.append(e.stats) if isinstance(e, ReplyFinished) else None)
        job = backend.submit(ChatJob([Message(USER, "Say something.")], Sampling(max_tokens=4, seed=1)))
        if not job.done.wait(60):
            return "the API server did not answer within 60 s"
        stats = finished[0]
        if stats.error or not stats.completion_tokens:
            return f"the API server's reply failed: {stats.error or 'no tokens'}"
        return None
    except Exception as exc:
        return f"the API server did not answer: {exc}"
    finally:
        if backend is not None:
            backend.stop()
        server.stop()
