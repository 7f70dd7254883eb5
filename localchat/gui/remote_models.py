"""The remote backends seen from the window: their models in the model picker, and a conversation
whose replies come from one of them.

Each backend's models are asked of it (``/v1/models``) off the GUI thread when the window starts
and when the backends change; a backend that cannot be asked shows why in its group, and the
window goes on with its other models. Picking a backend's model gives the ``ChatController`` a
``RemoteBackend`` for it, attached to the window's ``InferenceRelay``: its replies stream into
the conversation through the same signals, Stop and writer as a local model's, and each one is
kept with the model and backend that wrote it (``answered_by``). The backend's abilities are then
probed, once per model; what it lacks is greyed out in the window with the reason.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from localchat.core.backends.config import BackendConfig, BackendStore
from localchat.core.chat.messages import FormatKind
from localchat.core.errors import LocalChatError
from localchat.gui.background import run_in_background
from localchat.gui.model_picker import ModelState, RemoteGroup

if TYPE_CHECKING:
    from localchat.core.backends.probe import Capabilities
    from localchat.core.backends.remote import RemoteBackend
    from localchat.gui.main_window import MainWindow

log = logging.getLogger(__name__)


def _list_models(store: BackendStore, config: BackendConfig) -> tuple[tuple[str, ...], str | None]:
    """(its models, None), or ((), why they cannot be listed): an unreachable server is news for
    its group, not a fault of the window."""
    from localchat.core.backends.probe import list_models

    try:
        return list_models(config, store.key(config.name)), None
    except LocalChatError as exc:
        return (), str(exc)


def _open(store: BackendStore, config: BackendConfig, model: str, backend: RemoteBackend | None,
          caps: Capabilities | None) -> tuple[RemoteBackend, Capabilities]:
    """Off the GUI thread: the key (the keyring may be slow), the client (``openai`` imports) and
    what the model can do. The probe comes before any reply: some servers (llama-cpp-python's)
    end the reply they stream when another request comes."""
    from localchat.core.backends.probe import probe
    from localchat.core.backends.remote import RemoteBackend

    key = store.key(config.name)
    caps = caps or probe(config, key, model)
    return backend or RemoteBackend(config, key, model=model, stream_usage=caps.stream_usage,
                                    logprobs=caps.logprobs, schema_form=caps.schema_form).start(), caps


class RemoteModels(QObject):
    """The picker's backend groups and the window's choice of a backend's model."""

    listed = Signal()  # the groups changed (a backend's models came, or why not)
    chosen = Signal(str, str)  # backend, model: the next replies come from it
    probed = Signal(object)  # Capabilities of the chosen model, once known

    def __init__(self, window: MainWindow, store: BackendStore | None = None):
        super().__init__(window)
        self.window = window
        self.store = store or BackendStore(window.paths.root)
        self.groups: dict[str, RemoteGroup] = {}
        self.backends: dict[str, RemoteBackend] = {}  # started, one per backend, kept for the next pick
        self.capabilities: Capabilities | None = None  # of the model in use, once probed
        self._probed: dict[tuple[str, str], Capabilities] = {}
        self._round = 0  # answers of a listing that a newer one replaced are dropped
        self._choosing: tuple[str, str] | None = None
        self._status_before: str | None = None  # the status line from before a pick being asked
        window.model_picker.remote_chosen.connect(self.choose)
        window.model_picker.model_chosen.connect(lambda _path: self.local_chosen())
        window.models.ready.connect(lambda _info: self.local_chosen())

    @property
    def current(self) -> tuple[str, str] | None:
        """(backend, model) the conversation's replies come from; None for the local model."""
        remote = self.window.chat.remote
        return (remote.name, remote.model) if remote is not None else None

    # -- the picker's groups -------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the backends again and ask each one for its models, in the background."""
        configs = self.store.all()
        self._round += 1
        round_ = self._round
        self._forget_changed(configs)
        self.groups = {c.name: RemoteGroup(c.name, c.host, asking=True) for c in configs}
        self._show_groups()
        store = self.store
        for config in configs:
            run_in_background(lambda c=config: _list_models(store, c),
                              lambda listed, c=config: self._on_listed(round_, c, *listed),
                              lambda exc, c=config: self._on_listed(round_, c, (), str(exc)))

    def _on_listed(self, round_: int, config: BackendConfig, models: tuple[str, ...], error: str | None):
        if round_ != self._round:
            return
        if error:
            log.info("the models of %s could not be listed: %s", config.name, error)
        self.groups[config.name] = RemoteGroup(config.name, config.host, tuple(models), error)
        self._show_groups()

    def _show_groups(self) -> None:
        self.window.model_picker.set_remote_groups(list(self.groups.values()))
        self.listed.emit()

    def _forget_changed(self, configs: list[BackendConfig]) -> None:
        """Stop the backends removed or changed since (not the one a reply streams from)."""
        now = {c.name: c for c in configs}
        chat = self.window.chat
        for name, backend in list(self.backends.items()):
            if now.get(name) == backend.config or (backend is chat.remote and chat.generating):
                continue
            self._stop(self.backends.pop(name))
            self._probed = {k: v for k, v in self._probed.items() if k[0] != name}
            if backend is chat.remote:  # the conversation's backend: back to the local model, if any
                chat.set_model(chat.model)
                self.local_chosen()
                self._show_choice()
                self.window.show_error(self.tr("The backend {backend} was changed or removed: pick a model "
                                               "to go on.").format(backend=name))

    # -- the choice of a backend's model -------------------------------------------------------
    @Slot(str, str)
    def choose(self, name: str, model: str) -> None:
        """Replies come from ``name``'s ``model`` from now on (the first pick opens the backend
        in the background; nothing else waits for it)."""
        window = self.window
        if window.chat.generating:
            window.show_error(self.tr("Stop the current reply before switching models."))
            self._show_choice()
            return
        try:
            config = self.store.get(name)
        except LocalChatError as exc:
            window.show_error(str(exc))
            self._show_choice()
            return
        self._choosing = (name, model)
        backend, caps = self.backends.get(name), self._probed.get((name, model))
        if backend is not None and caps is not None:
            self._use(config, backend, model)
            return
        asking = self.tr("Asking {backend} what {model} can do…").format(backend=name, model=model)
        window.model_picker.show_remote(name, model)
        window.model_picker.set_state(ModelState.LOADING, asking)
        if self._status_before is None:
            self._status_before = window.model_status.text()
        window.model_status.setText(asking)
        window.composer.set_can_send(False, asking)
        store = self.store
        run_in_background(lambda: _open(store, config, model, backend, caps),
                          lambda opened: self._on_opened(config, model, *opened),
                          lambda exc: self._on_open_failed(name, model, str(exc)))

    def _on_opened(self, config: BackendConfig, model: str, backend: RemoteBackend, caps: Capabilities):
        self._probed[(config.name, model)] = caps
        kept = self.backends.get(config.name)
        if kept is not None and kept is not backend:  # opened twice by quick picks: keep one
            self._stop(backend)
            backend = kept
        self.backends[config.name] = backend
        if self._choosing == (config.name, model) and not self.window.chat.generating:
            self._use(config, backend, model)

    def _on_open_failed(self, name: str, model: str, message: str) -> None:
        if self._choosing != (name, model):
            return  # another pick came since
        self._choosing = None
        self.window.show_error(message)
        self._show_choice()

    def _use(self, config: BackendConfig, backend: RemoteBackend, model: str) -> None:
        window = self.window
        self._choosing = self._status_before = None
        window.models.cancel_load()  # a local model still loading would take the conversation back
        self.window.inference.attach(backend)
        window.chat.use_remote(backend, model)
        status = self.tr("{model} on {backend} ({url})").format(model=model, backend=config.name,
                                                                url=config.base_url)
        window.model_status.setText(status)
        window.model_picker.show_remote(config.name, model)
        window.model_picker.set_state(ModelState.READY, status)
        window.composer.set_can_send(True)
        window.composer.set_context(None, None)  # the server does not say its context size
        window.chat_view.set_notice(config.warning)
        window.show_error(None)
        window.chat_view.show_empty_state(has_model=True)
        caps = self._probed[(config.name, model)]
        backend.stream_usage = caps.stream_usage  # a server that refuses stream_options still streams
        backend.logprobs = caps.logprobs  # asked for only of a model that gives them
        backend.schema_form = caps.schema_form  # OpenAI's form or llama.cpp's, as this model takes
        self._apply(caps)
        self.chosen.emit(config.name, model)

    def _apply(self, caps: Capabilities | None) -> None:
        """What the model in use lacks, greyed out with the reason; a local model lacks nothing."""
        self.capabilities = caps
        reasons = {}
        if caps is not None and not caps.streaming:
            self.window.show_error(self.tr("{backend} did not stream a reply: {why}").format(
                backend=self.current[0], why=caps.missing.get("streaming") or self.tr("not offered")))
        if caps is not None and not caps.json_schema:
            why = caps.missing.get("json_schema") or self.tr("not offered")
            backend = self.current[0] if self.current else ""
            text = self.tr("{backend} does not accept a JSON schema: {why}")
            reasons[FormatKind.JSON_SCHEMA] = text.format(backend=backend, why=why)
        if caps is not None and not caps.grammar:
            why = caps.missing.get("grammar") or self.tr("not offered")
            backend = self.current[0] if self.current else ""
            text = self.tr("{backend} does not follow a grammar: {why}")
            reasons[FormatKind.GRAMMAR] = text.format(backend=backend, why=why)
        self.window.conversation_settings.set_unavailable_formats(reasons)
        if caps is not None:
            self.probed.emit(caps)

    def lacks(self, ability: str) -> str | None:
        """Why the model in use cannot give ``ability`` ("logprobs", "json_schema", "embeddings"),
        None when it can or when that is not known yet (a local model can)."""
        caps = self.capabilities
        if caps is None or self.current is None or getattr(caps, ability, True):
            return None
        return caps.missing.get(ability) or self.tr("not offered")

    def local_chosen(self) -> None:
        """A local model is the one again: everything it can do is offered."""
        self._choosing = None
        if self.capabilities is not None or self.window.conversation_settings.unavailable_formats:
            self.capabilities = None
            self.window.conversation_settings.set_unavailable_formats({})

    def _show_choice(self) -> None:
        """The picker shows what the conversation uses, after a pick that did not happen."""
        window, current = self.window, self.current
        if current is not None:
            status = self.tr("{model} on {backend}").format(model=current[1], backend=current[0])
            window.model_picker.show_remote(*current)
            window.model_picker.set_state(ModelState.READY, status)
        else:
            info = window.chat.model
            status = self._status_before or (info.name if info else self.tr("No model loaded"))
            window.model_picker.show_current(info.path if info else None)
            window.model_picker.set_state(ModelState.READY if info else ModelState.NONE, status)
        window.model_status.setText(status)
        self._status_before = None
        reason = window.chat.why_not_ready()
        window.composer.set_can_send(reason is None, reason or "")

    # -- lifetime ------------------------------------------------------------------------------
    def _stop(self, backend: RemoteBackend) -> None:
        self.window.inference.detach(backend)
        backend.stop(timeout=2.0)  # an idle backend's thread ends at once

    def shutdown(self) -> None:
        """The window closes: every backend's reply is cancelled and its thread ends."""
        self._round += 1
        for backend in self.backends.values():
            self._stop(backend)
        self.backends.clear()
