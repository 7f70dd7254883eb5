"""The main window: model picker, conversation, composer, status bar, and what joins them."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSizePolicy,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.downloads.hub import RemoteFile
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.errors import LocalChatError
from localchat.core.hardware import Hardware
from localchat.core.history.records import Conversation
from localchat.core.history.store import Store
from localchat.core.inference.engine import ModelInfo
from localchat.core.inference.worker import BATCH_SECONDS, InferenceWorker
from localchat.core.models.catalog import Catalog
from localchat.core.models.catalog_update import CatalogUpdate, UpdateOutcome
from localchat.core.models.speed import Calibration
from localchat.core.paths import DataPaths
from localchat.core.settings import Settings, api_server_options, load_settings, models_folder, save_settings
from localchat.gui.api_server import ApiServerControl
from localchat.gui.appearance import apply_appearance
from localchat.gui.background import run_in_background
from localchat.gui.banner import Banner
from localchat.gui.catalog_status import CatalogRefresher
from localchat.gui.chat.composer import Composer
from localchat.gui.chat.controller import ChatController
from localchat.gui.chat.relay import InferenceRelay
from localchat.gui.chat.view import ChatView
from localchat.gui.conversation_settings import ConversationSettings
from localchat.gui.download_worker import DownloadCenter, DownloadIndicator
from localchat.gui.memory_prompts import LoadAnywayBar
from localchat.gui.menus import build_menus
from localchat.gui.model_controller import ModelController
from localchat.gui.model_manager import ModelManager
from localchat.gui.model_picker import ModelPicker
from localchat.gui.remote_models import RemoteModels
from localchat.gui.sidebar import ConversationSidebar
from localchat.gui.theme import theme
from localchat.gui.theme.tokens import ICON_PX, SIDEBAR_PX
from localchat.gui.window_documents import WindowDocuments

log = logging.getLogger(__name__)

COPIED_MS = 2000  # how long the status bar says "Copied"


def _spacer() -> QWidget:
    spacer = QWidget()
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    return spacer


class MainWindow(QMainWindow):
    """Layout and wiring: the model side (picker, loads, settings) is here; the conversation is
    the ``ChatController``'s (``self.chat``)."""

    # Emitted on the GUI thread once the window has shown the change (tests and the self-test
    # wait on these rather than on the worker's cross-thread signals).
    model_ready = Signal(object)  # ModelInfo
    model_load_failed = Signal(str)  # the message shown
    reply_updated = Signal(str)  # the reply text so far
    reply_finished = Signal(object)  # GenerationStats

    def __init__(self, paths: DataPaths, *, install_demo: bool = True, batch_seconds: float | None = None,
                 welcome: bool | None = None, hub_endpoint: str | None = None):
        """``install_demo``: put the demo model in the models folder; ``welcome``: show the
        first-start recommendation (default: like ``install_demo``); ``hub_endpoint``: another
        Hugging Face endpoint (HF_ENDPOINT is honoured without it)."""
        super().__init__()
        self.paths = paths
        self.settings: Settings = load_settings(paths.settings)
        apply_appearance(self.settings)
        self.setWindowTitle("localchat")
        self.resize(1000, 720)
        if self.settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.settings.window_geometry.encode()))

        self.inference = InferenceRelay(InferenceWorker(
            batch_seconds=BATCH_SECONDS if batch_seconds is None else batch_seconds), self)
        self._context_of: int | None = None  # the conversation the context meter measured
        self.store, store_problem = self._open_store(paths)
        self.catalog_state = None  # CatalogState once read: its date, where it came from, what is new
        self.catalog_refresher = CatalogRefresher(paths, self)
        self.catalog_refresher.updated.connect(self._on_catalog_updated)
        self.catalog, catalog_problem = self._load_catalog()
        # no token given: huggingface_hub sends its own, HF_TOKEN else the one `hf auth login` saved
        self.downloads = DownloadCenter(DownloadQueue(self.models_dir, paths.downloads,
                                                      endpoint=hub_endpoint))
        self._hub_endpoint = hub_endpoint
        self.model_manager: ModelManager | None = None

        self._build_ui(install_demo)
        self.inference.start()
        self.api_server.apply(api_server_options(self.paths, self.settings))
        problems = [store_problem or self.store.recovery, catalog_problem]
        if any(problems):
            self.show_error("\n".join(p for p in problems if p))
        self.chat.open_initial(self.settings.last_conversation_id)
        self.refresh_models()
        self.remote_models.refresh()
        QTimer.singleShot(0, self.catalog_refresher.start)  # in its own thread; nothing waits on it
        if (install_demo if welcome is None else welcome) and not self.settings.first_start_done:
            QTimer.singleShot(0, self.show_welcome)

    def _load_catalog(self) -> tuple[Catalog | None, str | None]:
        """The catalog in use, from the disk alone: the last verified download, else the shipped one."""
        try:
            self.catalog_state = self.catalog_refresher.current()
            catalog = self.catalog_state.catalog
        except LocalChatError as exc:
            log.error("catalog unavailable: %s", exc)
            return None, str(exc)
        for problem in catalog.problems:
            log.warning("catalog entry skipped: %s", problem)
        return catalog, None

    @Slot(object)
    def _on_catalog_updated(self, update: CatalogUpdate) -> None:
        self.catalog_state = update.state
        if self.model_manager is not None:
            self.model_manager.catalog_status.show_update(update)
        if update.outcome is UpdateOutcome.ADOPTED:
            self.catalog = update.state.catalog
            if self.model_manager is not None:
                self.model_manager.catalog_source = self.catalog
                self.model_manager.show_catalog_state(update.state)
                self.model_manager.refresh_catalog()

    def _check_catalog_now(self) -> None:
        """The Model Manager's "Check now"."""
        if self.catalog_refresher.start(force=True) and self.model_manager is not None:
            self.model_manager.catalog_status.show_checking()

    # -- model manager and first start ---------------------------------------------------------
    def open_model_manager(self) -> ModelManager:
        if self.model_manager is None:
            self.model_manager = ModelManager(self.downloads, catalog=self.catalog,
                                              calibrate=self._calibrate,
                                              endpoint=self._hub_endpoint, data_root=self.paths.root)
            self.model_manager.load_requested.connect(self.load_model)
            self.model_manager.catalog_status.check_requested.connect(self._check_catalog_now)
            self.model_manager.closed.connect(self._on_model_manager_closed)
            if self.catalog_state is not None:
                self.model_manager.show_catalog_state(self.catalog_state)
        self.model_manager.show()
        self.model_manager.raise_()
        self.model_manager.activateWindow()
        return self.model_manager

    def _on_model_manager_closed(self) -> None:
        """The person has seen the list: the entries marked new are no longer new next time."""
        from localchat.gui.catalog_status import mark_looked

        state = self.catalog_state
        if state is not None and state.new_ids:
            paths = self.paths
            run_in_background(lambda: mark_looked(paths, state), lambda _: None)

    def show_welcome(self):
        """First start: the models that suit this computer, one click to download."""
        from localchat.gui.recommendation import RecommendationDialog

        self.remember(first_start_done=True)
        if self.catalog is None:
            return None
        dialog = RecommendationDialog(self)
        dialog.model_chosen.connect(self._on_recommended_model_chosen)
        dialog.demo_chosen.connect(self.models.use_demo_model)
        dialog.start(self.catalog, data_root=self.paths.root, calibrate=self._calibrate)
        dialog.show()
        self.welcome_dialog = dialog
        return dialog

    @Slot(str)
    def _on_recommended_model_chosen(self, entry_id: str) -> None:
        entry = self.catalog.get(entry_id) if self.catalog else None
        if entry is None:
            return
        self.downloads.download(RemoteFile.of_entry(entry).all_parts(), model_id=entry.id)
        self.open_model_manager()

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
    def open_settings(self) -> None:
        from localchat.core.build_info import build_info
        from localchat.core.inference.engine import default_threads
        from localchat.gui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, str(self.paths.models), default_threads(),
                                build_info().gpu_offload, self, data_root=self.paths.root)
        if dialog.exec():
            self.apply_settings(dialog.result_settings())
        self.remote_models.refresh()  # backends may have been added or removed there

    def apply_settings(self, new: Settings) -> None:
        """Take new app settings: appearance at once, the model reloaded when its options changed."""
        old, self.settings = self.settings, new
        self._save_settings()
        apply_appearance(new)
        if new.models_dir != old.models_dir:
            self.downloads.set_models_dir(self.models_dir)  # downloads, the Installed tab
            self.models.watch_models_dir()
            self.models.refresh()
        reload_keys = ("n_threads", "gpu_mode", "gpu_layers", "context_length")
        if self.model_info and any(getattr(old, k) != getattr(new, k) for k in reload_keys):
            self.load_model(self.model_info.path)
        self.api_server.apply(api_server_options(self.paths, new))

    def _build_ui(self, install_demo: bool) -> None:
        t = theme()
        toolbar = QToolBar(self.tr("Model"))
        toolbar.setObjectName("top-bar")
        toolbar.setMovable(False)
        toolbar.setIconSize(QSize(ICON_PX, ICON_PX))
        self.toolbar = toolbar
        self.addToolBar(toolbar)
        self.sidebar_action = QAction(self.tr("Conversations"), self, checkable=True, checked=True)
        self.sidebar_action.setShortcut(QKeySequence("Ctrl+B"))
        self.sidebar_action.setProperty("icon_name", "mdi6.dock-left")
        self.sidebar_action.setToolTip(self.tr("Show or hide the conversations (Ctrl+B)"))
        toolbar.addAction(self.sidebar_action)
        self.new_chat_action = QAction(self.tr("New chat"), self)
        self.new_chat_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_chat_action.setProperty("icon_name", "mdi6.square-edit-outline")
        self.new_chat_action.setToolTip(self.tr("New chat (Ctrl+N)"))
        self.new_chat_action.triggered.connect(self.new_chat)
        toolbar.addAction(self.new_chat_action)
        self.new_chat_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        toolbar.addWidget(_spacer())
        self.model_picker = ModelPicker()
        toolbar.addWidget(self.model_picker)
        toolbar.addWidget(_spacer())
        self.settings_action = QAction(self.tr("Settings…"), self)
        self.settings_action.setProperty("icon_name", "mdi6.cog-outline")
        self.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.open_settings)

        self.banner = Banner()
        self.error_banner = self.banner.label
        self.memory_bar = LoadAnywayBar()

        self.chat_view = ChatView()
        self.chat = ChatController(self.store, self.inference, self.chat_view, self)
        self.chat.conversation_changed.connect(self._on_conversation_changed)
        self.chat.reply_started.connect(self._on_reply_started)
        self.chat.reply_updated.connect(self.reply_updated)
        self.chat.reply_finished.connect(self._on_reply_finished)
        self.chat.failed.connect(self.show_error)
        self.chat_view.copied.connect(lambda _text: self.statusBar().showMessage(self.tr("Copied"), COPIED_MS))
        self.chat_view.empty.prompt_chosen.connect(lambda text: self.composer.set_text(text))
        self.chat_view.empty.demo_requested.connect(lambda: self.models.use_demo_model())
        self.chat_view.empty.models_requested.connect(self._on_models_requested)
        self.composer = Composer()
        self.composer.send_requested.connect(self.chat.send)
        self.composer.send_refused.connect(self._on_send_refused)
        self.composer.stop_requested.connect(self.chat.stop)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, activated=self.chat.stop)

        self.chat_column = QWidget()
        column = QVBoxLayout(self.chat_column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.banner)
        column.addWidget(self.memory_bar)
        column.addWidget(self.chat_view, 1)
        column.addWidget(self.composer)

        self.sidebar = ConversationSidebar(self.store, new_chat_action=self.new_chat_action)
        self.sidebar_action.toggled.connect(self.sidebar.setVisible)
        self.sidebar.conversation_selected.connect(self.chat.open)
        self.sidebar.message_chosen.connect(self.chat.show_message)
        self.sidebar.conversation_deleted.connect(self.chat.forget)
        self.sidebar.failed.connect(self.show_error)
        splitter = QSplitter()
        splitter.addWidget(self.sidebar)
        splitter.addWidget(self.chat_column)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([SIDEBAR_PX, 1000 - SIDEBAR_PX])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)

        self.conversation_settings = ConversationSettings()
        self.conversation_settings.changed.connect(self.chat.configure)
        self.settings_dock = QDockWidget(self.tr("Conversation settings"), self)
        self.settings_dock.setObjectName("conversation-settings")
        self.settings_dock.setWidget(self.conversation_settings)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.settings_dock)
        self.settings_dock.hide()
        dock_action = self.settings_dock.toggleViewAction()
        dock_action.setProperty("icon_name", "mdi6.tune-variant")
        dock_action.setToolTip(self.tr("Conversation settings: system prompt and sampling"))
        toolbar.addAction(dock_action)
        toolbar.addAction(self.settings_action)
        build_menus(self)
        self.documents = WindowDocuments(self)  # the Documents panel and dock, the composer's chip
        self._update_icons()
        t.changed.connect(self._update_icons)

        status = self.statusBar()
        self.model_status = QLabel(self.tr("No model loaded"))
        self.load_progress = self.model_picker.progress  # a busy line under the model's name
        self.stats_label = QLabel()
        status.addWidget(self.model_status, 1)
        status.addPermanentWidget(self.stats_label)
        self.download_indicator = DownloadIndicator(self.downloads)
        self.download_indicator.clicked.connect(self.open_model_manager)
        status.addPermanentWidget(self.download_indicator)
        self.api_server = ApiServerControl(self.inference.worker, lambda: self.chat.generating, self,
                                           load_job=lambda path: self.models.api_load_job(path))
        self.api_server.failed.connect(self.show_error)
        self.api_server.install(status)
        self.composer.set_can_send(False, self.tr("Load a model first"))
        self.setAcceptDrops(True)  # a .gguf dropped on the window is added and loaded
        self.models = ModelController(self, install_demo=install_demo)
        self.models.ready.connect(self.model_ready)
        self.models.load_failed.connect(self.model_load_failed)
        self.downloads.installed.connect(self.models.on_model_installed)
        self.remote_models = RemoteModels(self)  # the backends' models in the picker, replies from one
        from localchat.gui.chat.under_the_hood import UnderTheHood

        self.under_the_hood = UnderTheHood(self)  # token probabilities, the prompt, another model's reply

    def _update_icons(self) -> None:
        t = theme()
        for action in self.findChildren(QAction):
            name = action.property("icon_name")
            if name:
                action.setIcon(t.icon(name))

    # -- models (the ModelController's) -------------------------------------------------------
    @property
    def models_dir(self) -> Path:
        return models_folder(self.paths, self.settings)

    def load_model(self, path: str | Path, *, by_person: bool = True, confirmed: bool = False) -> None:
        self.models.load(path, by_person=by_person, confirmed=confirmed)

    def refresh_models(self):
        return self.models.refresh()

    def add_model_file(self, path: str | Path) -> None:
        self.models.add_file(path)

    def use_demo_model(self) -> None:
        self.models.use_demo_model()

    def _calibrate(self, data_root: Path, hardware: Hardware) -> Calibration:
        """This machine's speed figures, measured by the inference worker when none are kept
        (waits for it: the Model Manager and the welcome call it off the GUI thread)."""
        from localchat.core.models.calibration import calibrate

        return calibrate(self.inference.worker, data_root, hardware)

    def remember(self, **changes) -> None:
        """Settings the window keeps by itself (the last model, the last conversation), saved now."""
        self.settings = self.settings.with_(**changes)
        self._save_settings()

    @Slot()
    def _on_models_requested(self) -> None:
        if self.catalog is not None and self.show_welcome() is not None:
            return
        self.open_model_manager()

    # -- drag and drop -------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.models.add_files(files)

    # -- conversation --------------------------------------------------------------------------
    @property
    def model_info(self) -> ModelInfo | None:
        return self.chat.model

    @property
    def conversation(self) -> Conversation | None:
        return self.chat.conversation

    @property
    def messages(self) -> list[Message]:
        return self.chat.messages

    @property
    def generating(self) -> bool:
        return self.chat.generating

    @property
    def sampling(self) -> Sampling:
        return self.chat.session.sampling

    @sampling.setter
    def sampling(self, sampling: Sampling) -> None:
        self.chat.configure(sampling=sampling)
        self.conversation_settings.set_values(self.chat.session.system_prompt, sampling)

    def send(self, text: str) -> None:
        self.chat.send(text)

    def stop(self) -> None:
        self.chat.stop()

    def new_chat(self) -> None:
        self.chat.new_chat()
        self.composer.input.setFocus()

    def open_conversation(self, conversation_id: int) -> None:
        self.chat.open(conversation_id)

    def focus_search(self) -> None:
        """Ctrl+F: the sidebar's message search (the sidebar shows if it was hidden)."""
        self.sidebar_action.setChecked(True)
        self.sidebar.search_box.setFocus()
        self.sidebar.search_box.selectAll()

    def show_error(self, message: str | None) -> None:
        self.banner.show_message(message)

    @Slot()
    def _on_send_refused(self) -> None:
        self.show_error(self.chat.why_not_ready() or self.tr("The message cannot be sent now."))

    @Slot(object)
    def _on_conversation_changed(self, conversation_id: int | None) -> None:
        self.sidebar.select_conversation(conversation_id)
        if conversation_id is None or conversation_id != self._context_of:
            self.composer.set_context(None, None)  # known again after this conversation's next reply
        self._context_of = conversation_id
        if conversation_id is not None:
            self.settings = self.settings.with_(last_conversation_id=conversation_id)
        session = self.chat.session
        self.conversation_settings.set_values(session.system_prompt, session.sampling)

    @Slot()
    def _on_reply_started(self) -> None:
        self.show_error(None)
        self.composer.set_generating(True)
        self.stats_label.setText(self.tr("Generating…"))

    @Slot(object)
    def _on_reply_finished(self, stats: GenerationStats) -> None:
        self.stats_label.setText(stats.summary if stats.stop_reason is not StopReason.ERROR else "")
        if stats.prompt_tokens and self.model_info is not None and self.chat.remote is None:
            self.composer.set_context(stats.prompt_tokens + stats.completion_tokens, self.model_info.n_ctx)
        if stats.template_note:  # the template failed only now, on this conversation: said once
            self.models.add_note(stats.template_note)
        self.composer.set_generating(False)
        self.composer.input.setFocus()
        self.reply_finished.emit(stats)

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

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings = self.settings.with_(window_geometry=bytes(self.saveGeometry().toBase64()).decode())
        self._save_settings()
        self.api_server.shutdown()  # before the worker: its requests end as cancelled replies
        self.documents.close()  # indexing ends between two files, before the worker stops
        self.inference.stop()  # cancels a load or a reply, and frees the model on its own thread
        self.remote_models.shutdown()
        self.chat.shutdown()  # a reply cut by the close keeps what it had
        self.sidebar.shutdown()
        self.store.close()
        self.downloads.close()  # partial downloads resume at the next start
        if self.model_manager is not None:
            self.model_manager.close()
        super().closeEvent(event)
