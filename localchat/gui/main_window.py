"""The main window: model picker, conversation, composer, status bar."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QDockWidget, QFileDialog, QHBoxLayout, QLabel, QMainWindow, QProgressBar,
    QPushButton, QSplitter, QToolBar, QVBoxLayout, QWidget,
)

from localchat import __version__
from localchat.core.chat import Message, Sampling
from localchat.core.demo import install_demo_model
from localchat.core.engine import GenerationStats, ModelInfo
from localchat.core.errors import LocalChatError
from localchat.core.paths import DataPaths
from localchat.core.settings import Settings, load_settings, save_settings
from localchat.core.store import Store
from localchat.core.store_records import BranchPage, Conversation, StoredMessage
from localchat.core.store_reply import ReplyWriter
from localchat.gui.background import run_in_background
from localchat.gui.chat_view import ChatView, MessageItem
from localchat.gui.composer import Composer
from localchat.gui.conversation_settings import ConversationSettings
from localchat.gui.inference_worker import InferenceThread, LoadRequest
from localchat.gui.sidebar import ConversationSidebar

log = logging.getLogger(__name__)

OPEN_FILE_ITEM = "Open GGUF file…"
PAGE = 50  # messages of a branch shown at once; "Show earlier" adds more


def scan_models(models_dir: Path, with_demo: bool = True) -> list[Path]:
    """The GGUF files in the models folder, the demo model put there first if it is installed."""
    models_dir.mkdir(parents=True, exist_ok=True)
    if with_demo:
        install_demo_model(models_dir)
    return sorted(p for p in models_dir.glob("*.gguf") if p.is_file())


def apply_appearance(settings: Settings) -> None:
    """Theme and font size for the whole application."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication, QStyleFactory

    app = QApplication.instance()
    if app is None:
        return
    font = app.font()
    if font.pointSize() != settings.font_size:
        font.setPointSize(settings.font_size)
        app.setFont(font)
    if settings.theme == "system":
        app.setPalette(app.style().standardPalette())
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = app.style().standardPalette()
    if settings.theme == "dark":
        colors = {
            QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
            QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#2a2b2e",
            QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2d2e31",
            QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#8ab4f8",
            QPalette.ColorRole.HighlightedText: "#202124", QPalette.ColorRole.ToolTipBase: "#2d2e31",
            QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.Link: "#8ab4f8",
            QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        }
        for role, color in colors.items():
            palette.setColor(role, QColor(color))
    app.setPalette(palette)


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
        apply_appearance(self.settings)
        self.setWindowTitle("localchat")
        self.resize(1000, 720)
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode()))

        self.inference = InferenceThread() if batch_seconds is None else InferenceThread(batch_seconds)
        self.worker = self.inference.worker
        self.model_info: ModelInfo | None = None
        self.generating = False
        self.sampling = Sampling()
        self.system_prompt = ""
        self.conversation: Conversation | None = None
        self._writer: ReplyWriter | None = None
        self._page_count = PAGE
        self._reply_text = ""
        self._save_timer = QTimer(self, interval=1000)  # a stalled stream still gets saved
        self._save_timer.timeout.connect(self._save_partial_reply)
        self.store, store_problem = self._open_store(paths)
        self._install_demo = install_demo
        self._known_models: list[Path] = []

        self._build_ui()
        self._connect_worker()
        if store_problem:
            self.show_error(store_problem)
        elif self.store.recovery:
            self.show_error(self.store.recovery)
        self._open_initial_conversation()
        self.refresh_models()

    @staticmethod
    def _open_store(paths: DataPaths) -> tuple[Store, str | None]:
        """The history; if it cannot be opened where it belongs, a temporary one, and why."""
        try:
            return Store.open(paths.database), None
        except LocalChatError as exc:
            import tempfile

            log.error("history unavailable: %s", exc)
            fallback = Path(tempfile.mkdtemp(prefix="localchat-history-")) / "history.sqlite3"
            return Store.open(fallback), f"{exc}\nThis session's chats will not be kept."

    # -- layout --------------------------------------------------------------------------------
    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.new_chat_action)
        import_action = file_menu.addAction("Import conversation…")
        import_action.triggered.connect(self.sidebar.import_conversation)
        export_action = file_menu.addAction("Export conversation…")
        export_action.triggered.connect(
            lambda: self.conversation is not None and self.sidebar.export_conversation(self.conversation.id))
        file_menu.addSeparator()
        self.settings_action = file_menu.addAction("Settings…")
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.triggered.connect(self.open_settings)
        file_menu.addSeparator()
        quit_action = file_menu.addAction("Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        view_menu = bar.addMenu("&View")
        view_menu.addAction(self.settings_dock.toggleViewAction())
        help_menu = bar.addMenu("&Help")
        about = help_menu.addAction("About localchat")
        about.triggered.connect(self.show_about)

    def show_about(self) -> None:
        from localchat.gui.about import AboutDialog

        AboutDialog(self).exec()

    def open_settings(self) -> None:
        from localchat.core.build_info import build_info
        from localchat.core.engine import default_threads
        from localchat.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, str(self.paths.models), default_threads(),
                                build_info().gpu_offload, self)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())

    def apply_settings(self, new: Settings) -> None:
        """Take new app settings: appearance at once, the model reloaded when its options changed."""
        old, self.settings = self.settings, new
        self._save_settings()
        apply_appearance(new)
        if new.models_dir != old.models_dir:
            self.refresh_models()
        reload_keys = ("n_threads", "gpu_mode", "gpu_layers", "context_length")
        if self.model_info and any(getattr(old, k) != getattr(new, k) for k in reload_keys):
            self.load_model(self.model_info.path)

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
        self.new_chat_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)

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
        self.chat_view.sibling_requested.connect(self._on_sibling_requested)
        self.chat_view.earlier_requested.connect(self._on_earlier_requested)
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

        self.sidebar = ConversationSidebar(self.store, new_chat_action=self.new_chat_action)
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.message_chosen.connect(self._on_search_hit)
        self.sidebar.conversation_deleted.connect(self._on_conversation_deleted)
        self.sidebar.failed.connect(self.show_error)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.chat_column)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([240, 760])
        self.setCentralWidget(splitter)

        self.conversation_settings = ConversationSettings()
        self.conversation_settings.changed.connect(self._on_conversation_settings_changed)
        self.settings_dock = QDockWidget("Conversation settings", self)
        self.settings_dock.setObjectName("conversation-settings")
        self.settings_dock.setWidget(self.conversation_settings)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.settings_dock)
        self.settings_dock.hide()
        toolbar.addAction(self.settings_dock.toggleViewAction())
        self._build_menus()

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

    # -- conversations (the history lives in the store; the view shows the current branch) ----
    @property
    def messages(self) -> list[Message]:
        """The current branch as chat messages (no system prompt)."""
        if self.conversation is None:
            return []
        return [m.as_chat() for m in self.store.branch(self.conversation.id)]

    def _open_initial_conversation(self) -> None:
        wanted = self.settings.last_conversation_id
        conversation = None
        try:
            if wanted is not None:
                try:
                    conversation = self.store.conversation(wanted)
                except LocalChatError:
                    conversation = None
            conversation = conversation or self.store.last_conversation()
        except LocalChatError as exc:
            self.show_error(str(exc))
        if conversation is not None:
            self.open_conversation(conversation.id)
        else:
            self.conversation_settings.set_values(self.system_prompt, self.sampling)

    @Slot(int)
    def open_conversation(self, conversation_id: int, page: BranchPage | None = None) -> None:
        if self.conversation is not None and self.conversation.id == conversation_id and page is None:
            return
        if self.generating:
            self.show_error("Stop the current reply before opening another conversation.")
            self.sidebar.select_conversation(self.conversation.id if self.conversation else None)
            return
        try:
            self.conversation = self.store.conversation(conversation_id)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.sampling = self.conversation.sampling
        self.system_prompt = self.conversation.system_prompt
        self.conversation_settings.set_values(self.system_prompt, self.sampling)
        self._page_count = PAGE
        self._show_branch(page)
        self.sidebar.select_conversation(conversation_id)
        self.settings = self.settings.with_(last_conversation_id=conversation_id)

    def new_chat(self) -> None:
        if self.generating:
            self.stop()
            return
        self.conversation = None
        self.chat_view.set_messages([])
        self.chat_view.set_earlier_available(False)
        self.sidebar.select_conversation(None)
        self.composer.input.setFocus()

    def _show_branch(self, page=None) -> None:
        if self.conversation is None:
            self.chat_view.set_messages([])
            return
        try:
            page = page or self.store.branch_page(self.conversation.id, count=self._page_count)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.chat_view.set_messages([self._item(m) for m in page.messages])
        self.chat_view.set_earlier_available(page.has_earlier)

    @staticmethod
    def _item(m: StoredMessage) -> MessageItem:
        stats = m.stats.summary if m.stats and m.stats.stop_reason != "error" else ""
        if m.partial and not stats:
            stats = "interrupted"
        return MessageItem(m.id, m.role, m.content, stats, m.sibling_index, m.sibling_count)

    @Slot()
    def _on_earlier_requested(self) -> None:
        self._page_count += PAGE
        self._show_branch()

    @Slot(int, int)
    def _on_search_hit(self, conversation_id: int, message_id: int) -> None:
        try:
            page = self.store.jump_to(message_id)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.open_conversation(conversation_id, page)
        self.chat_view.scroll_to_key(message_id)

    @Slot(int)
    def _on_conversation_deleted(self, conversation_id: int) -> None:
        if self.conversation is not None and self.conversation.id == conversation_id:
            self.new_chat()

    @Slot(str, object)
    def _on_conversation_settings_changed(self, system_prompt: str, sampling: Sampling) -> None:
        self.system_prompt, self.sampling = system_prompt, sampling
        if self.conversation is not None:
            try:
                self.conversation = self.store.update_conversation(
                    self.conversation.id, system_prompt=system_prompt, sampling=sampling)
            except LocalChatError as exc:
                self.show_error(str(exc))

    @Slot(str)
    def send(self, text: str) -> None:
        if self.generating or not text.strip():
            return
        if self.model_info is None:
            self.show_error("Load a model before sending a message.")
            return
        try:
            if self.conversation is None:
                self.conversation = self.store.create_conversation(
                    model=self.model_info.name, system_prompt=self.system_prompt, sampling=self.sampling)
                self.settings = self.settings.with_(last_conversation_id=self.conversation.id)
            self.store.add_user_message(self.conversation.id, text)
            writer = self.store.begin_reply(self.conversation.id, model=self.model_info.name)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.sidebar.select_conversation(self.conversation.id)
        self._start_reply(writer)

    def _start_reply(self, writer: ReplyWriter) -> None:
        self._writer = writer
        self.generating = True
        self._reply_text = ""
        self.show_error(None)
        self._show_branch()
        self.chat_view.set_actions_enabled(False)
        self.composer.set_generating(True)
        self.stats_label.setText("Generating…")
        self._save_timer.start()
        self.worker.generate_requested.emit(writer.prompt_messages(), self.sampling)

    @Slot()
    def stop(self) -> None:
        if self.generating:
            self.worker.cancel()

    def _save_partial_reply(self) -> None:
        if self._writer is not None:
            try:
                self._writer.save()
            except LocalChatError as exc:
                self.show_error(str(exc))

    @Slot(str)
    def _on_token_received(self, text: str) -> None:
        self._reply_text += text
        if self._writer is not None:
            try:
                self._writer.append(text)
            except LocalChatError as exc:
                self.show_error(str(exc))
        bubble = self.chat_view.last_bubble()
        if bubble is not None:
            bubble.set_text(self._reply_text)
        self.reply_updated.emit(self._reply_text)

    @Slot(object)
    def _on_finished(self, stats: GenerationStats) -> None:
        self.generating = False
        self._save_timer.stop()
        writer, self._writer = self._writer, None
        bubble = self.chat_view.last_bubble()
        if writer is not None:
            try:
                saved = writer.finish(stats)
            except LocalChatError as exc:
                self.show_error(str(exc))
            else:
                if bubble is not None and bubble.item.key == saved.id:
                    bubble.update_item(self._item(saved))  # no rebuild: the scroll stays put
        if stats.error:
            self.show_error(stats.error)
        self.stats_label.setText(stats.summary if stats.stop_reason != "error" else "")
        self.composer.set_generating(False)
        self.chat_view.set_actions_enabled(True)
        self.composer.input.setFocus()
        self.reply_finished.emit(stats)

    def _model_name(self) -> str | None:
        return self.model_info.name if self.model_info else None

    def _can_act(self) -> bool:
        if self.generating or self.conversation is None:
            return False
        if self.model_info is None:
            self.show_error("Load a model first.")
            return False
        return True

    def _on_edit_submitted(self, message_id: int, text: str) -> None:
        if not self._can_act():
            return
        try:
            self.store.edit_message(message_id, text)
            writer = self.store.begin_reply(self.conversation.id, model=self._model_name())
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self._start_reply(writer)

    def _on_regenerate_requested(self, message_id: int) -> None:
        if not self._can_act():
            return
        try:
            writer = self.store.regenerate(message_id, model=self._model_name())
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self._start_reply(writer)

    def _on_sibling_requested(self, message_id: int, step: int) -> None:
        if self.generating:
            return
        try:
            self.store.switch_sibling(message_id, step)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self._show_branch()

    @Slot()
    def bring_to_front(self) -> None:
        self.showNormal()
        self.raise_()
        self.activateWindow()

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
        if self._writer is not None:  # the reply was cut by the close: keep what it had
            self._on_finished(GenerationStats("cancelled"))
        self.sidebar.shutdown()
        self.store.close()
        super().closeEvent(event)
