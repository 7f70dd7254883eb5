"""App settings: appearance, models folder, threads, GPU offload, context length."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from localchat.core.models.defaults import DEFAULT_CONTEXT
from localchat.core.settings import GPU_MODES, THEMES, Settings

GPU_MODE_LABELS = {"auto": "Auto (as many layers as fit)", "cpu": "CPU only",
                   "layers": "A number of layers", "all": "All layers"}


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings()`` returns the edited copy."""

    def __init__(self, settings: Settings, default_models_dir: str, default_threads: int,
                 gpu_available: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self._settings = settings
        form = QFormLayout(self)

        self.theme = QComboBox()
        for theme in THEMES:
            self.theme.addItem(theme.capitalize(), theme)
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        form.addRow("Theme", self.theme)

        self.font_size = QSpinBox(minimum=8, maximum=28, value=settings.font_size)
        form.addRow("Font size", self.font_size)

        self.models_dir = QLineEdit(settings.models_dir or "")
        self.models_dir.setPlaceholderText(default_models_dir)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.models_dir, 1)
        row.addWidget(browse)
        form.addRow("Models folder", row)

        self.threads = QSpinBox(minimum=0, maximum=256, value=settings.n_threads)
        self.threads.setSpecialValueText(f"Automatic ({default_threads})")
        form.addRow("CPU threads", self.threads)

        self.gpu_mode = QComboBox()
        for mode in GPU_MODES:
            self.gpu_mode.addItem(GPU_MODE_LABELS[mode], mode)
        self.gpu_mode.setCurrentIndex(GPU_MODES.index(settings.gpu_mode))
        self.gpu_layers = QSpinBox(minimum=0, maximum=999, value=settings.gpu_layers)
        self.gpu_mode.currentIndexChanged.connect(self._sync)
        if not gpu_available:
            self.gpu_mode.setToolTip("This build of llama.cpp cannot offload to a GPU (see the README "
                                     "for GPU builds); models run on the CPU.")
        form.addRow("GPU offload", self.gpu_mode)
        form.addRow("GPU layers", self.gpu_layers)

        self.context = QSpinBox(minimum=0, maximum=1_048_576, value=settings.context_length, singleStep=1024)
        self.context.setSpecialValueText("The model's default")
        self.context.setToolTip(f"0: a catalog model's own context; any other model's training context, "
                                f"up to {DEFAULT_CONTEXT:,} tokens")
        form.addRow("Context length (tokens)", self.context)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self._sync()

    def _sync(self) -> None:
        self.gpu_layers.setEnabled(self.gpu_mode.currentData() == "layers")

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Models folder", self.models_dir.text())
        if folder:
            self.models_dir.setText(folder)

    def result_settings(self) -> Settings:
        return self._settings.with_(
            theme=self.theme.currentData(),
            font_size=self.font_size.value(),
            models_dir=self.models_dir.text().strip() or None,
            n_threads=self.threads.value(),
            gpu_mode=self.gpu_mode.currentData(),
            gpu_layers=self.gpu_layers.value(),
            context_length=self.context.value(),
        )
