"""The window's model side: the models folder (watched, scanned), which model is loaded, and the
outcome of every load: the person's pick, the last model at start, a finished download, a load an
API request asked for, and the "load anyway?" question when memory is short."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal, Slot

from localchat.core.errors import LocalChatError
from localchat.core.inference.engine import ModelInfo
from localchat.core.inference.worker import LoadJob
from localchat.core.models.defaults import ModelDefaults
from localchat.core.models.demo import demo_of, first_model
from localchat.core.settings import resolve_run_options
from localchat.gui.background import run_in_background
from localchat.gui.memory_prompts import ask_load_anyway
from localchat.gui.model_picker import ModelState, scan_models

if TYPE_CHECKING:
    from localchat.gui.main_window import MainWindow

log = logging.getLogger(__name__)

RESCAN_DELAY_MS = 400  # a file being copied into the models folder changes it many times


class ModelController(QObject):
    """Drives the window's model picker, status line, busy line and "load anyway?" bar from the
    inference worker's load events, and tells the ``ChatController`` which model it chats with.

    It reads the window's settings, catalog and inventory (they change while it runs) and shows
    its messages in the window's banner."""

    ready = Signal(object)  # ModelInfo, once the window shows it
    load_failed = Signal(str)  # the message shown

    def __init__(self, window: MainWindow, *, install_demo: bool):
        super().__init__(window)
        self.window = window
        self.inference, self.chat = window.inference, window.chat
        self.picker, self.status = window.model_picker, window.model_status
        self.memory_bar = window.memory_bar
        self.progress = window.model_picker.progress  # a busy line under the model's name
        self.install_demo = install_demo
        self.notes: list[str] = []  # what the notice above the chat says of the model
        self.load_job: LoadJob | None = None  # the load the window waits for
        self._status_before_api_load = ""  # shown again when an API request's load did not happen
        self._load_by_person = True  # whether that load may ask in a dialog
        # the model and its status line from before the load: a load refused before it started
        # (a "no" to "load anyway?") leaves them as they were
        self._kept: tuple[ModelInfo | None, str] = (None, self.tr("No model loaded"))
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _path: self._rescan_timer.start())
        self._rescan_timer = QTimer(self, singleShot=True, interval=RESCAN_DELAY_MS)
        self._rescan_timer.timeout.connect(self.refresh)
        self.memory_bar.load_anyway.connect(lambda path: self.load(path, confirmed=True))
        self.picker.model_chosen.connect(self.load)
        # queued onto the GUI thread: this object lives there and these are its own slots
        self.inference.model_loading.connect(self._on_model_loading)
        self.inference.model_loaded.connect(self._on_model_loaded)
        self.inference.model_failed.connect(self._on_model_failed)
        self.watch_models_dir()

    @property
    def models_dir(self) -> Path:
        return self.window.models_dir

    @property
    def busy(self) -> bool:
        """A load is under way or a reply is streaming: nothing should load by itself now."""
        return self.load_job is not None or self.chat.generating

    def _show_error(self, message: str | None) -> None:
        self.window.show_error(message)

    # -- the models folder ---------------------------------------------------------------------
    def watch_models_dir(self) -> None:
        """A file copied into the models folder by hand appears in the picker without a restart."""
        if self._watcher.directories():
            self._watcher.removePaths(self._watcher.directories())
        try:
            self.models_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.warning("cannot create the models folder %s: %s", self.models_dir, exc)
            return
        if not self._watcher.addPath(str(self.models_dir)):
            log.warning("the models folder %s cannot be watched", self.models_dir)

    def refresh(self):
        """Scan the models folder off the GUI thread (the demo model may be written there)."""
        models_dir, with_demo = self.models_dir, self.install_demo
        def failed(exc):
            self._show_error(self.tr("Could not read the models folder: {reason}").format(reason=exc))

        return run_in_background(lambda: scan_models(models_dir, with_demo), self._on_models_scanned, failed)

    def _on_models_scanned(self, paths: list[Path]) -> None:
        self.picker.set_scanned(self.models_dir, paths)
        if self.chat.model is None and self.chat.remote is None and self.load_job is None:
            last = resolve_run_options(self.window.paths, self.window.settings).last_model
            if last is not None:
                self.load(last, by_person=False)
            elif paths:
                self.load(first_model(paths), by_person=False)  # the demo assistant first
        self.update_empty_state()

    def add_file(self, path: str | Path) -> None:
        """A GGUF file from elsewhere: linked or copied into the models folder, as the Installed
        tab adds one, then loaded. One already in the folder is loaded as it is."""
        path = Path(path)
        if path.suffix.lower() != ".gguf":
            self._show_error(self.tr("{name} is not a GGUF model file: only .gguf files can be added. "
                                     "Download GGUF models from the Model Manager (Ctrl+M).").format(
                name=path.name))
            return
        if path.parent == self.models_dir:
            self.load(path)
            return
        inventory = self.window.downloads.queue.inventory
        self.status.setText(self.tr("Adding {name} to the models folder…").format(name=path.name))
        run_in_background(lambda: inventory.import_file(path), self._on_model_file_added,
                          lambda exc: self._show_error(self.tr("Could not add {name}: {reason}").format(
                              name=path.name, reason=exc)))

    def add_files(self, files: list[Path]) -> None:
        """Files dropped on the window: the first model loads; the others are added for later."""
        models = [f for f in files if f.suffix.lower() == ".gguf"]
        refused = [f for f in files if f.suffix.lower() != ".gguf"]
        if refused:
            self.add_file(refused[0])  # says why it is refused
        for model in models[:1]:
            self.add_file(model)
        inventory = self.window.downloads.queue.inventory
        for other in models[1:]:
            run_in_background(lambda other=other: inventory.import_file(other), lambda _m: self.refresh(),
                              lambda exc: self._show_error(str(exc)))

    def _on_model_file_added(self, model) -> None:
        self.refresh()
        self.load(model.path)

    def use_demo_model(self) -> None:
        """The empty state's "Use the small demo model now"."""
        from localchat.core.models.demo import install_instruct_model

        models_dir = self.models_dir
        run_in_background(lambda: install_instruct_model(models_dir), self._on_demo_installed,
                          lambda exc: self._show_error(str(exc)))

    def _on_demo_installed(self, path) -> None:
        if path is None:
            self._show_error(self.tr("The demo model is not installed with this copy of localchat. "
                                     "Choose a model in the Model Manager (Ctrl+M)."))
            return
        self.refresh()
        self.load(path)

    @Slot(object)
    def on_model_installed(self, path) -> None:
        """A download finished: loaded when there is no model, offered when chatting with a demo."""
        self.refresh()
        if self.busy or self.chat.remote is not None:  # chatting with a remote backend's model
            return
        if self.chat.model is None:
            self.load(path, by_person=False)
        elif demo_of(self.chat.model.path) is not None:
            # asked after this slot, which runs inside the delivery of download events
            QTimer.singleShot(0, lambda: self._offer_switch(path))

    def _offer_switch(self, path) -> None:
        from localchat.gui.recommendation import offer_switch

        current = self.chat.model.path if self.chat.model else None
        if not self.busy and offer_switch(self.window, path, current):
            self.load(path, by_person=True)

    def update_empty_state(self) -> None:
        chat = self.chat
        has_model = chat.model is not None or chat.remote is not None or self.load_job is not None
        self.window.chat_view.show_empty_state(has_model=has_model)

    # -- loads ---------------------------------------------------------------------------------
    def api_load_job(self, path: Path) -> LoadJob:
        """The load an API request naming another installed model gets: the window's own (its
        settings, its catalog). Called on the server's thread: it reads, never changes, the window."""
        options = resolve_run_options(self.window.paths, self.window.settings)
        return LoadJob(str(path), **options.load_options(), catalog=self.window.catalog)

    def cancel_load(self) -> None:
        """A load under way is dropped (a remote backend's model was picked meanwhile)."""
        if self.load_job is not None:
            self.inference.cancel(self.load_job)
            self.load_job = None
            self.progress.hide()

    def load(self, path: str | Path, *, by_person: bool = True, confirmed: bool = False) -> None:
        """Load ``path``; a load still under way is cancelled (the person picked another).

        Unless ``confirmed``, a model that needs more memory than is free now asks first: in a
        dialog when the person asked for it, in the bar above the conversation when the load
        came by itself (the last model at start, a finished download)."""
        if self.chat.generating:
            self._show_error(self.tr("Stop the current reply before switching models."))
            return
        if self.load_job is not None:
            self.inference.cancel(self.load_job)
        else:
            self._kept = (self.chat.model, self.status.text())
        self.memory_bar.clear()
        options = resolve_run_options(self.window.paths, self.window.settings)
        try:
            self.load_job = self.inference.submit(LoadJob(str(path), **options.load_options(),
                                                          catalog=self.window.catalog,
                                                          ask_first=not confirmed))
        except LocalChatError as exc:
            self._show_error(str(exc))
            return
        self._load_by_person = by_person
        self.chat.set_model(None, loading=True)  # the load closes the model there was
        self.window.composer.set_can_send(False, self.tr("The model is loading"))
        self.picker.show_current(path)
        self.picker.set_state(ModelState.LOADING)
        self.update_empty_state()

    @Slot(object)
    def _on_model_loading(self, job: LoadJob) -> None:
        if job is self.load_job:
            self.status.setText(self.tr("Loading {name}…").format(name=Path(job.path).name))
            self.progress.show()
        elif self.load_job is None:  # an API request named another installed model
            self._status_before_api_load = self.status.text()
            self.status.setText(self.tr("Loading {name} for an API request…").format(
                name=Path(job.path).name))
            self.progress.show()

    @Slot(object, object, object)
    def _on_model_loaded(self, job: LoadJob, info: ModelInfo, defaults: ModelDefaults) -> None:
        for_api = job is not self.load_job
        if for_api and self.load_job is not None:
            return  # a load that another pick replaced: that one comes next
        # else ours, or one an API request asked for: the window shows (and chats with) that model
        window = self.window
        self.load_job = None
        self.chat.set_model(info, defaults=defaults.sampling, system_prompt=defaults.system_prompt)
        window.conversation_settings.set_model_defaults(defaults.sampling, defaults.source)
        session = self.chat.session
        window.conversation_settings.set_values(session.system_prompt, session.sampling)
        self.progress.hide()
        self._show_error(None)
        self.status.setText(self.tr("{name} · {device} · {threads} threads · context {context} · "
                                    "loaded in {seconds} s").format(
            name=info.name, device=info.device_summary, threads=info.n_threads, context=info.n_ctx,
            seconds=f"{info.load_s:.1f}") + (self.tr(" · loaded for an API request") if for_api else ""))
        if info.offload_note:
            self._show_error(info.offload_note)
        if Path(info.path).parent == self.models_dir:  # "Last used" on the Installed tab
            inventory = window.downloads.queue.inventory
            run_in_background(lambda: inventory.mark_used(Path(info.path)), lambda _: None)
        self.notes = [note for note in (
            self.tr("{name} is a base model: it continues text rather than follows instructions, "
                    "so its replies may wander. Pick an instruction-tuned (chat) model for an assistant."
                    ).format(
                name=info.name) if info.is_base_model else None,
            info.template_note) if note]
        window.chat_view.set_notice("\n".join(self.notes) or None)
        window.composer.set_can_send(True)
        if not for_api:  # the model to load at the next start is the person's choice
            window.remember(last_model=info.path)
        self.picker.show_current(info.path)
        self.picker.set_state(ModelState.READY, self.status.text())
        self.update_empty_state()
        self.ready.emit(info)

    def add_note(self, note: str) -> None:
        """A template that failed only on a later conversation: said once, beside the others."""
        self.notes.append(note)
        self.window.chat_view.set_notice("\n".join(self.notes))

    @Slot(object, str, bool)
    def _on_model_failed(self, job: LoadJob, message: str, cancelled: bool) -> None:
        if job is not self.load_job and self.load_job is None and not cancelled:
            self._on_api_load_failed(job, message)
            return
        if job is not self.load_job or cancelled:
            return  # replaced by another pick, or the window is closing: nothing to tell
        self.load_job = None
        if job.memory_question is not None:
            self._on_memory_question(job)
            return
        self.chat.set_model(None)
        self.progress.hide()
        self.status.setText(self.tr("No model loaded"))
        self._show_error(self.tr("Could not load {name}: {reason}").format(
            name=Path(job.path).name, reason=message))
        self.window.composer.set_can_send(False, self.tr("Load a model first"))
        self.picker.show_current(job.path)  # named, with the failure's icon and reason
        self.picker.set_state(ModelState.FAILED, self.window.error_banner.text())
        self.update_empty_state()
        self.load_failed.emit(self.window.error_banner.text())

    def _on_api_load_failed(self, job: LoadJob, message: str) -> None:
        """An API request's load did not happen. When it never began (a damaged file, too big for
        the free memory) the model there was stays; otherwise there is no model now. Either way
        the window says why."""
        self.progress.hide()
        name = Path(job.path).name
        reason = str(job.memory_question) if job.memory_question is not None else message
        if self.inference.worker.engine.model is not None:
            self.status.setText(self._status_before_api_load)
            self._show_error(self.tr("An API request asked for {name}, which could not load: {reason} "
                                     "The model loaded before stays.").format(name=name, reason=reason))
            return
        self.chat.set_model(None)
        self.status.setText(self.tr("No model loaded"))
        self._show_error(self.tr("An API request asked for {name}, which could not load: {reason}").format(
            name=name, reason=reason))
        self.window.composer.set_can_send(False, self.tr("Load a model first"))
        self.picker.show_current(None)
        self.update_empty_state()

    def _on_memory_question(self, job: LoadJob) -> None:
        """The load stopped before it began, so the model there was is still loaded: show it
        again, then ask (after this slot: the dialog must not run inside the relay's delivery)."""
        info, status = self._kept
        self.progress.hide()
        self.chat.set_model(info)
        self.status.setText(status)
        self.window.composer.set_can_send(info is not None, "" if info else self.tr("Load a model first"))
        self.picker.show_current(info.path if info else None)
        self.picker.set_state(ModelState.READY if info else ModelState.NONE, status)
        self.update_empty_state()
        if not self._load_by_person:
            self.memory_bar.show_question(job.path, job.memory_question)
            return

        def ask() -> None:
            # none picked since
            if self.load_job is None and ask_load_anyway(self.window, job.memory_question):
                self.load(job.path, confirmed=True)

        QTimer.singleShot(0, ask)
