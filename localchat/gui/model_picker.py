"""The model list of the toolbar: the models folder's models, files opened from elsewhere, each
remote backend's models in a group of its own (or why they cannot be listed), and "Open GGUF
file…"."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QProgressBar, QWidget

from localchat.core.models.demo import install_demo_models
from localchat.core.models.inventory import ModelInventory
from localchat.gui.theme import theme

OPEN_FILE_ITEM = QT_TRANSLATE_NOOP("ModelPicker", "Open GGUF file…")
PROGRESS_PX = 2
REMOTE_KEY = "remote:"  # the item data of a backend's model: remote:BACKEND:MODEL


@dataclass(frozen=True)
class RemoteGroup:
    """One backend as the picker shows it: its models, or that they are being asked for, or why
    they cannot be (the server is unreachable, refused the key…)."""

    name: str
    host: str
    models: tuple[str, ...] = ()
    error: str | None = None
    asking: bool = False


def remote_key(backend: str, model: str) -> str:
    return f"{REMOTE_KEY}{backend}:{model}"


def parse_remote_key(key: str) -> tuple[str, str] | None:
    """(backend, model) of a backend model's item data (a backend's name has no ':')."""
    if not key.startswith(REMOTE_KEY):
        return None
    backend, _, model = key[len(REMOTE_KEY):].partition(":")
    return backend, model


class ModelState(enum.Enum):
    NONE = "none"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


# (icon, colour token) of each state, shown at the left of the model's name
_STATE_ICONS = {ModelState.LOADING: ("mdi6.progress-clock", "muted"), ModelState.READY: ("mdi6.check-circle", "success"),
                ModelState.FAILED: ("mdi6.alert-circle", "danger")}


def scan_models(models_dir: Path, with_demo: bool = True) -> list[Path]:
    """The chat models in the models folder (a split model by its first part), the demo models
    put there first if they are installed. Embedding models (documents') are left out: they
    cannot chat."""
    from localchat.core.documents.embed import is_embedding_file

    models_dir.mkdir(parents=True, exist_ok=True)
    if with_demo:
        install_demo_models(models_dir)  # the assistant and the base model
    return [m.path for m in ModelInventory(models_dir).scan() if not is_embedding_file(m.path)]


class ModelPicker(QComboBox):
    """Emits ``model_chosen`` with the path the person picked, ``remote_chosen`` with a backend's
    name and model id; shows the current model."""

    model_chosen = Signal(str)
    remote_chosen = Signal(str, str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumWidth(320)
        self.setPlaceholderText(self.tr("Pick a model"))
        self.setAccessibleName(self.tr("Model"))
        self.models: list[Path] = []
        self.models_dir: Path | None = None
        self.remote_groups: list[RemoteGroup] = []
        self._current: str | None = None
        self.state = ModelState.NONE
        self._detail = ""
        # loading: a thin busy line along the picker's bottom edge (llama.cpp reports no progress)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName(self.tr("Loading the model"))
        self.progress.hide()
        self.activated.connect(self._on_activated)
        theme().changed.connect(self._fill)
        self._fill()

    def set_state(self, state: ModelState, detail: str = "") -> None:
        """Loading (a busy line), ready or failed (an icon by the name); ``detail`` as the tooltip."""
        self.state, self._detail = state, detail
        self.progress.setVisible(state is ModelState.LOADING)
        self._fill()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.progress.setGeometry(6, self.height() - PROGRESS_PX - 1, self.width() - 12, PROGRESS_PX)

    def set_scanned(self, models_dir: Path, paths: list[Path]) -> None:
        """The models folder's models; files opened from elsewhere stay next to them."""
        outside = [p for p in self.models if p not in paths and p.parent != models_dir]
        self.models_dir = models_dir
        self.models = list(paths) + outside
        self._fill()

    def set_remote_groups(self, groups: list[RemoteGroup]) -> None:
        """The backends' groups, below this computer's models."""
        self.remote_groups = list(groups)
        self._fill()

    def show_remote(self, backend: str, model: str) -> None:
        """A backend's model is the one replies come from."""
        self._current = remote_key(backend, model)
        self._fill()

    def show_current(self, path: str | Path | None) -> None:
        """The model loaded or loading (``path`` is added to the list if it is not there)."""
        if path is not None and Path(path) not in self.models:
            self.models.append(Path(path))
        self._current = str(path) if path is not None else None
        self._fill()

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open a GGUF model"), str(self.models_dir or ""),
                                              self.tr("GGUF models (*.gguf);;All files (*)"))
        if path:
            self.model_chosen.emit(path)
        else:
            self._fill()

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        path = self.itemData(index)
        remote = parse_remote_key(path) if path else None
        if path is None:
            self.open_file()
        elif remote is not None:
            self.remote_chosen.emit(*remote)
        elif path:  # "" is a group's heading or note
            self.model_chosen.emit(path)

    def _fill(self) -> None:
        self.blockSignals(True)
        self.clear()
        if self.remote_groups:
            self._add_note(self.tr("This computer"), heading=True)
        for path in self.models:
            self.addItem(path.stem, str(path))
        for group in self.remote_groups:
            self._add_note(f"{group.name} — {group.host}", heading=True)
            if group.asking:
                self._add_note(self.tr("asking for its models…"))
            elif group.error:  # its first sentence; the whole message in the tooltip
                short = group.error.split(". ", 1)[0].rstrip(".")
                self._add_note(self.tr("unavailable: {reason}").format(reason=short), tooltip=group.error)
            elif not group.models:
                self._add_note(self.tr("no models"))
            for model in group.models if not group.error else ():
                self.addItem(model, remote_key(group.name, model))
                self.setItemData(self.count() - 1, self.tr("{model} on {backend} ({host})").format(
                    model=model, backend=group.name, host=group.host), Qt.ItemDataRole.ToolTipRole)
        self.insertSeparator(self.count())
        self.addItem(QCoreApplication.translate("ModelPicker", OPEN_FILE_ITEM), None)
        current = self.findData(self._current) if self._current else -1
        self.setCurrentIndex(current)
        if current >= 0 and self.state in _STATE_ICONS:
            name, token = _STATE_ICONS[self.state]
            color = getattr(theme().colors, token)
            self.setItemIcon(current, theme().icon(name, color=color))
        state = {ModelState.LOADING: self.tr("loading"), ModelState.READY: self.tr("ready"),
                 ModelState.FAILED: self.tr("failed"), ModelState.NONE: self.tr("no model")}[self.state]
        self.setToolTip(self._detail or state)
        self.setAccessibleDescription(state)
        self.blockSignals(False)

    def _add_note(self, text: str, *, heading: bool = False, tooltip: str = "") -> None:
        """A line that cannot be picked: a group's heading, or what its models are not."""
        self.addItem(text, "")
        item = self.model().item(self.count() - 1)
        item.setFlags(Qt.ItemFlag.NoItemFlags)
        if heading:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        if tooltip:
            item.setToolTip(tooltip)
