"""The model list of the toolbar: the models folder's models, files opened from elsewhere, and
"Open GGUF file…"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QFileDialog, QWidget

from localchat.core.models.demo import install_demo_model
from localchat.core.models.inventory import ModelInventory

OPEN_FILE_ITEM = "Open GGUF file…"


def scan_models(models_dir: Path, with_demo: bool = True) -> list[Path]:
    """The models in the models folder (a split model by its first part), the demo model put
    there first if it is installed."""
    models_dir.mkdir(parents=True, exist_ok=True)
    if with_demo:
        install_demo_model(models_dir)
    return [m.path for m in ModelInventory(models_dir).scan()]


class ModelPicker(QComboBox):
    """Emits ``model_chosen`` with the path the person picked; shows the current model."""

    model_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setMinimumWidth(320)
        self.setPlaceholderText("Pick a model")
        self.models: list[Path] = []
        self.models_dir: Path | None = None
        self._current: str | None = None
        self.activated.connect(self._on_activated)
        self._fill()

    def set_scanned(self, models_dir: Path, paths: list[Path]) -> None:
        """The models folder's models; files opened from elsewhere stay next to them."""
        outside = [p for p in self.models if p not in paths and p.parent != models_dir]
        self.models_dir = models_dir
        self.models = list(paths) + outside
        self._fill()

    def show_current(self, path: str | Path | None) -> None:
        """The model loaded or loading (``path`` is added to the list if it is not there)."""
        if path is not None and Path(path) not in self.models:
            self.models.append(Path(path))
        self._current = str(path) if path is not None else None
        self._fill()

    def open_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a GGUF model", str(self.models_dir or ""),
                                              "GGUF models (*.gguf);;All files (*)")
        if path:
            self.model_chosen.emit(path)
        else:
            self._fill()

    @Slot(int)
    def _on_activated(self, index: int) -> None:
        path = self.itemData(index)
        if path is None:
            self.open_file()
        else:
            self.model_chosen.emit(path)

    def _fill(self) -> None:
        self.blockSignals(True)
        self.clear()
        for path in self.models:
            self.addItem(path.stem, str(path))
        self.insertSeparator(self.count())
        self.addItem(OPEN_FILE_ITEM, None)
        self.setCurrentIndex(self.findData(self._current) if self._current else -1)
        self.blockSignals(False)
