"""App settings: appearance, models folder, threads, GPU offload, context length, the API server."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from localchat.core.models.defaults import DEFAULT_CONTEXT
from localchat.core.settings import DEFAULT_API_HOST, GPU_MODES, THEMES, Settings, is_loopback

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

        form.addRow(self._api_server_group(settings))

        standard = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(standard.Ok | standard.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._sync()

    def _api_server_group(self, settings: Settings) -> QGroupBox:
        self.api_server = QGroupBox("API server: let other apps use the model (OpenAI-compatible)")
        self.api_server.setCheckable(True)
        self.api_server.setChecked(settings.api_server)
        form = QFormLayout(self.api_server)
        self.api_host = QLineEdit(settings.api_host)
        self.api_host.setPlaceholderText(DEFAULT_API_HOST)
        self.api_host.setToolTip("127.0.0.1: only this computer can connect. 0.0.0.0 or this computer's "
                                 "address: other computers on the network too, with the API key.")
        form.addRow("Host", self.api_host)
        self.api_port = QSpinBox(minimum=0, maximum=65535, value=settings.api_port)
        self.api_port.setSpecialValueText("Any free port")
        form.addRow("Port", self.api_port)
        self.api_key = QLineEdit(settings.api_key or "")
        self.api_key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.api_key.setPlaceholderText("None")
        form.addRow("API key", self.api_key)
        self.api_cors = QLineEdit(" ".join(settings.api_cors_origins))
        self.api_cors.setPlaceholderText("None: web pages cannot call the API")
        self.api_cors.setToolTip("Origins of web pages allowed to call the API, separated by spaces or "
                                 "commas, e.g. http://localhost:3000")
        form.addRow("CORS origins", self.api_cors)
        self.api_problem = QLabel()
        self.api_problem.setWordWrap(True)
        self.api_problem.setObjectName("problem")  # the theme's danger colour
        form.addRow(self.api_problem)
        for edit in (self.api_host, self.api_key):
            edit.textChanged.connect(self._sync)
        self.api_server.toggled.connect(self._sync)
        return self.api_server

    def api_server_problem(self) -> str | None:
        """Why the API server's settings cannot be accepted; None when they can."""
        if not self.api_server.isChecked():
            return None
        host = self.api_host.text().strip() or DEFAULT_API_HOST
        if not is_loopback(host) and not self.api_key.text().strip():
            return (f"Serving on {host} lets other computers use this model: set an API key, "
                    f"or serve on {DEFAULT_API_HOST}.")
        return None

    def accept(self) -> None:
        if self.api_server_problem() is None:
            super().accept()

    def _sync(self) -> None:
        self.gpu_layers.setEnabled(self.gpu_mode.currentData() == "layers")
        problem = self.api_server_problem()
        self.api_problem.setText(problem or "")
        self.api_problem.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(problem is None)

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
            api_server=self.api_server.isChecked(),
            api_host=self.api_host.text().strip() or DEFAULT_API_HOST,
            api_port=self.api_port.value(),
            api_key=self.api_key.text().strip() or None,
            api_cors_origins=tuple(o for o in re.split(r"[\s,]+", self.api_cors.text()) if o),
        )
