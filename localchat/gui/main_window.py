"""The main window: model picker, conversation, composer, status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QProgressBar, QPushButton,
    QToolBar, QVBoxLayout, QWidget,
)

from localchat import __version__
from localchat.core.chat import ASSISTANT, USER, Message, Sampling
from localchat.core.demo import install_demo_model
from localchat.core.engine import GenerationStats, ModelInfo
from localchat.core.paths import DataPaths
from localchat.core.settings import Settings, load_settings, save_settings
from localchat.gui.background import run_in_background
from localchat.gui.chat_view import ChatView, MessageItem
from localchat.gui.composer import Composer
from localchat.gui.inference_worker import InferenceThread, LoadRequest

log = logging.getLogger(__name__)

OPEN_FILE_ITEM = "Open GGUF file…"


def scan_models(models_dir: Path, with_demo: bool = True) -> list[Path]:
    """The GGUF files in the models folder, the demo model put there first if it is installed."""
    models_dir.mkdir(parents=True, exist_ok=True)
    if with_demo:
        install_demo_model(models_dir)
    return sorted(p for p in models_dir.glob("*.gguf") if p.is_file())


class MainWindow(QMainWindow):
    # Emitted on the GUI thread once the window has shown the change (tests and the self-test
    # wait on these rather than on the worker's cross-thread signals).
    model_ready = Signal(object)  # ModelInfo
    model_load_failed = Signal(str)  # the message shown
    reply_updated = Signal(str)  # the reply text so far
    reply_finished = Signal(object)  # GenerationStats

    def __init__(self, paths: DataPaths, *, install_demo: bool = True, batch_seconds: float | None = None):
        super().__init__()
        self.paths = paths
        self.settings: Settings = load_settings(paths.settings)
        self.setWindowTitle("localchat")
        self.resize(1000, 720)
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode()))

        self.inference = InferenceThread() if batch_seconds is None else InferenceThread(batch_seconds)
        self.worker = self.inference.worker
        self.model_info: ModelInfo | None = None
        self.generating = False
        self.messages: list[Message] = []
        self.sampling = Sampling()
        self._reply_text = ""
        self._install_demo = install_demo
        self._known_models: list[Path] = []

        self._build_ui()
        self._connect_worker()
        self.refresh_models()

    # -- layout --------------------------------------------------------------------------------
    def _build_ui(self) -> None:
        toolbar = QToolBar("Model")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        toolbar.addWidget(QLabel(" Model: "))
        self.model_picker = QComboBox()
        self.model_picker.setMinimumWidth(320)
        self.model_picker.setPlaceholderText("Pick a model")
        self.model_picker.activated.connect(self._on_model_picked)
        toolbar.addWidget(self.model_picker)
        self.new_chat_action = QAction("New chat", self)
        self.new_chat_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_chat_action.triggered.connect(self.new_chat)
        toolbar.addAction(self.new_chat_action)

        self.error_banner = QLabel()
        self.error_banner.setObjectName("error")
        self.error_banner.setWordWrap(True)
        self.error_banner.setStyleSheet("background-color: #f8d7da; color: #58151c; padding: 6px;")
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(lambda: self.show_error(None))
        self._error_row = QWidget()
        row = QHBoxLayout(self._error_row)
        row.setContentsMargins(12, 6, 12, 0)
        row.addWidget(self.error_banner, 1)
        row.addWidget(dismiss)
        self._error_row.hide()

        self.chat_view = ChatView()
        self.chat_view.edit_submitted.connect(self._on_edit_submitted)
        self.chat_view.regenerate_requested.connect(self._on_regenerate_requested)
        self.composer = Composer()
        self.composer.send_requested.connect(self.send)
        self.composer.stop_requested.connect(self.stop)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.stop)

        self.chat_column = QWidget()
        column = QVBoxLayout(self.chat_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self._error_row)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.composer)
        self.setCentralWidget(self.chat_column)

        status = self.statusBar()
        self.model_status = QLabel("No model loaded")
        self.load_progress = QProgressBar()
        self.load_progress.setRange(0, 0)  # llama.cpp reports no progress: a busy bar
        self.load_progress.setMaximumWidth(120)
        self.load_progress.hide()
        self.stats_label = QLabel()
        status.addWidget(self.model_status, 1)
        status.addWidget(self.load_progress)
        status.addPermanentWidget(self.stats_label)
        self.composer.set_can_send(False, "Load a model first")

    def _connect_worker(self) -> None:
        w = self.worker
        w.model_loading.connect(self._on_model_loading)
        w.model_loaded.connect(self._on_model_loaded)
        w.model_failed.connect(self._on_model_failed)
        w.token_received.connect(self._on_token_received)
        w.finished.connect(self._on_finished)

    # -- models --------------------------------------------------------------------------------
    @property
    def models_dir(self) -> Path:
        return Path(self.settings.models_dir) if self.settings.models_dir else self.paths.models

    def refresh_models(self):
        """Scan the models folder off the GUI thread (the demo model may be written there)."""
        models_dir, with_demo = self.models_dir, self._install_demo
        return run_in_background(lambda: scan_models(models_dir, with_demo), self._on_models_scanned,
                                 lambda exc: self.show_error(f"Could not read the models folder: {exc}"))

    def _on_models_scanned(self, paths: list[Path]) -> None:
        # files opened from elsewhere stay in the list next to the models folder's own
        outside = [p for p in self._known_models if p not in paths and p.parent != self.models_dir]
        self._known_models = list(paths) + outside
        self._fill_picker()
        if self.model_info is None and not self.worker_busy_loading:
            last = self.settings.last_model
            if last and Path(last).exists():
                self.load_model(last)
            elif paths:
                self.load_model(paths[0])

    worker_busy_loading = False

    def _fill_picker(self) -> None:
        self.model_picker.blockSignals(True)
        self.model_picker.clear()
        for path in self._known_models:
            self.model_picker.addItem(path.stem, str(path))
        self.model_picker.insertSeparator(self.model_picker.count())
        self.model_picker.addItem(OPEN_FILE_ITEM, None)
        current = self.model_info.path if self.model_info else None
        index = self.model_picker.findData(current) if current else -1
        self.model_picker.setCurrentIndex(index)
        self.model_picker.blockSignals(False)

    @Slot(int)
    def _on_model_picked(self, index: int) -> None:
        path = self.model_picker.itemData(index)
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Open a GGUF model", str(self.models_dir),
                                                  "GGUF models (*.gguf);;All files (*)")
            if not path:
                self._fill_picker()
                return
        self.load_model(path)

    def load_model(self, path: str | Path) -> None:
        if self.generating:
            self.show_error("Stop the current reply before switching models.")
            return
        path = Path(path)
        if path not in self._known_models:
            self._known_models.append(path)
            self._fill_picker()
        s = self.settings
        n_gpu_layers = s.gpu_layers_for(planned=0, n_layers=None)
        self.worker_busy_loading = True
        self.worker.load_requested.emit(LoadRequest(
            str(path), n_ctx=s.context_length or None, n_threads=s.n_threads or None,
            n_gpu_layers=n_gpu_layers))

    @Slot(str)
    def _on_model_loading(self, path: str) -> None:
        self.model_status.setText(f"Loading {Path(path).name}…")
        self.load_progress.show()
        self.composer.set_can_send(False, "The model is loading")

    @Slot(object)
    def _on_model_loaded(self, info: ModelInfo) -> None:
        self.worker_busy_loading = False
        self.model_info = info
        self.load_progress.hide()
        self.show_error(None)
        device = f"GPU ({info.n_gpu_layers} layers)" if info.n_gpu_layers else "CPU"
        self.model_status.setText(
            f"{info.name} · {device} · {info.n_threads} threads · context {info.n_ctx} · "
            f"loaded in {info.load_s:.1f} s")
        self.chat_view.set_notice(
            f"{info.name} is a base model: it continues text rather than follows instructions, "
            "so its replies may wander. Pick an instruction-tuned (chat) model for an assistant."
            if info.is_base_model else None)
        self.composer.set_can_send(True)
        self.settings = self.settings.with_(last_model=info.path)
        self._save_settings()
        self._fill_picker()
        self.model_ready.emit(info)

    @Slot(str, str)
    def _on_model_failed(self, path: str, message: str) -> None:
        self.worker_busy_loading = False
        self.model_info = None
        self.load_progress.hide()
        self.model_status.setText("No model loaded")
        self.show_error(f"Could not load {Path(path).name}: {message}")
        self.composer.set_can_send(False, "Load a model first")
        self._fill_picker()
        self.model_load_failed.emit(self.error_banner.text())

    # -- conversation --------------------------------------------------------------------------
    def show_error(self, message: str | None) -> None:
        self.error_banner.setText(message or "")
        self._error_row.setVisible(bool(message))

    def new_chat(self) -> None:
        if self.generating:
            self.stop()
            return
        self.messages = []
        self.chat_view.set_messages([])

    @Slot(str)
    def send(self, text: str) -> None:
        if self.generating or not text.strip():
            return
        if self.model_info is None:
            self.show_error("Load a model before sending a message.")
            return
        self.messages.append(Message(USER, text))
        self.chat_view.append_message(MessageItem(len(self.messages) - 1, USER, text))
        self._start_reply()

    def _start_reply(self) -> None:
        self.generating = True
        self._reply_text = ""
        self.show_error(None)
        self.chat_view.append_message(MessageItem(len(self.messages), ASSISTANT, ""))
        self.chat_view.set_actions_enabled(False)
        self.composer.set_generating(True)
        self.stats_label.setText("Generating…")
        self.worker.generate_requested.emit(list(self.messages), self.sampling)

    @Slot()
    def stop(self) -> None:
        if self.generating:
            self.worker.cancel()

    @Slot(str)
    def _on_token_received(self, text: str) -> None:
        self._reply_text += text
        bubble = self.chat_view.last_bubble()
        if bubble is not None:
            bubble.set_text(self._reply_text)
        self.reply_updated.emit(self._reply_text)

    @Slot(object)
    def _on_finished(self, stats: GenerationStats) -> None:
        self.generating = False
        if self._reply_text:
            self.messages.append(Message(ASSISTANT, self._reply_text))
        bubble = self.chat_view.last_bubble()
        if bubble is not None:
            bubble.set_stats(stats.summary if stats.stop_reason != "error" else "")
        if stats.error:
            self.show_error(stats.error)
        self.stats_label.setText(stats.summary if stats.stop_reason != "error" else "")
        self.composer.set_generating(False)
        self.chat_view.set_actions_enabled(True)
        self.composer.input.setFocus()
        self.reply_finished.emit(stats)

    def _on_edit_submitted(self, key: int, text: str) -> None:
        if self.generating:
            return
        self.messages = self.messages[:key] + [Message(USER, text)]
        self._rebuild_view()
        self._start_reply()

    def _on_regenerate_requested(self, key: int) -> None:
        if self.generating:
            return
        self.messages = self.messages[:key]
        self._rebuild_view()
        self._start_reply()

    def _rebuild_view(self) -> None:
        self.chat_view.set_messages([MessageItem(i, m.role, m.content) for i, m in enumerate(self.messages)])

    # -- lifetime ------------------------------------------------------------------------------
    def _save_settings(self) -> None:
        try:
            save_settings(self.paths.settings, self.settings)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        self.settings = self.settings.with_(window_geometry=bytes(self.saveGeometry().toBase64()).decode())
        self._save_settings()
        self.inference.stop()
        super().closeEvent(event)

    @staticmethod
    def about_text() -> str:
        from localchat.core.build_info import build_info

        info = build_info()
        return (f"localchat {__version__}\n{info.variant} build, llama-cpp-python {info.llama_cpp_version}\n"
                f"{info.system_info}")
