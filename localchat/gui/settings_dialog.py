"""App settings: appearance, models folder, threads, GPU offload, context length, the API server,
and the remote backends (their own page: they are kept apart from the settings, with their keys)."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtWidgets import (
    QCheckBox,
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
from localchat.gui.i18n import LANGUAGES, language_setting
from localchat.gui.i18n import SETTING as LANGUAGE_SETTING

GPU_MODE_LABELS = {"auto": QT_TRANSLATE_NOOP("SettingsDialog", "Auto (as many layers as fit)"),
                   "cpu": QT_TRANSLATE_NOOP("SettingsDialog", "CPU only"),
                   "layers": QT_TRANSLATE_NOOP("SettingsDialog", "A number of layers"),
                   "all": QT_TRANSLATE_NOOP("SettingsDialog", "All layers")}
THEME_LABELS = {"system": QT_TRANSLATE_NOOP("SettingsDialog", "As the system (follows it)"),
                "light": QT_TRANSLATE_NOOP("SettingsDialog", "Light"),
                "dark": QT_TRANSLATE_NOOP("SettingsDialog", "Dark")}


class SettingsDialog(QDialog):
    """Edits a copy of the settings; ``result_settings()`` returns the edited copy."""

    def __init__(self, settings: Settings, default_models_dir: str, default_threads: int,
                 gpu_available: bool, parent: QWidget | None = None, *, data_root: Path | None = None):
        """``data_root``: the data folder, whose remote backends "Remote backends…" edits."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._settings = settings
        self._data_root = data_root
        self.backends_dialog: QDialog | None = None
        form = QFormLayout(self)

        self.theme = QComboBox()
        for theme in THEMES:
            self.theme.addItem(self.tr(THEME_LABELS[theme]), theme)
        self.theme.setCurrentIndex(THEMES.index(settings.theme))
        form.addRow(self.tr("Theme"), self.theme)

        self.font_size = QSpinBox(minimum=8, maximum=28, value=settings.font_size)
        self.font_size.setToolTip(self.tr("The size of all text, messages and code included"))
        form.addRow(self.tr("Font size"), self.font_size)

        self.language = QComboBox()
        self.language.addItem(self.tr("As the system"), None)
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(language_setting(settings))))
        self.language.setToolTip(self.tr("Shown from the next start of localchat"))
        form.addRow(self.tr("Language"), self.language)

        self.models_dir = QLineEdit(settings.models_dir or "")
        self.models_dir.setPlaceholderText(default_models_dir)
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.models_dir, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Models folder"), row)

        self.threads = QSpinBox(minimum=0, maximum=256, value=settings.n_threads)
        self.threads.setSpecialValueText(self.tr("Automatic ({count})").format(count=default_threads))
        form.addRow(self.tr("CPU threads"), self.threads)

        self.gpu_mode = QComboBox()
        for mode in GPU_MODES:
            self.gpu_mode.addItem(self.tr(GPU_MODE_LABELS[mode]), mode)
        self.gpu_mode.setCurrentIndex(GPU_MODES.index(settings.gpu_mode))
        self.gpu_layers = QSpinBox(minimum=0, maximum=999, value=settings.gpu_layers)
        self.gpu_mode.currentIndexChanged.connect(self._sync)
        if not gpu_available:
            self.gpu_mode.setToolTip(self.tr("This build of llama.cpp cannot offload to a GPU (see the README "
                                             "for GPU builds); models run on the CPU."))
        form.addRow(self.tr("GPU offload"), self.gpu_mode)
        form.addRow(self.tr("GPU layers"), self.gpu_layers)

        self.context = QSpinBox(minimum=0, maximum=1_048_576, value=settings.context_length, singleStep=1024)
        self.context.setSpecialValueText(self.tr("The model's default"))
        self.context.setToolTip(self.tr("0: a catalog model's own context; any other model's training context, "
                                        "up to {count} tokens").format(count=f"{DEFAULT_CONTEXT:,}"))
        form.addRow(self.tr("Context length (tokens)"), self.context)

        form.addRow(self._api_server_group(settings))

        if data_root is not None:
            backends = QPushButton(self.tr("Remote backends…"))
            backends.setToolTip(self.tr("Servers on other computers that speak OpenAI's API (Ollama, vLLM, "
                                        "llama-server, LM Studio, another localchat)"))
            backends.clicked.connect(self.show_backends)
            form.addRow(self.tr("Other computers"), backends)

        standard = QDialogButtonBox.StandardButton
        self.buttons = QDialogButtonBox(standard.Ok | standard.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)
        self._sync()

    def _api_server_group(self, settings: Settings) -> QGroupBox:
        self.api_server = QGroupBox(self.tr("API server: let other apps use the model (OpenAI-compatible)"))
        self.api_server.setCheckable(True)
        self.api_server.setChecked(settings.api_server)
        form = QFormLayout(self.api_server)
        self.api_host = QLineEdit(settings.api_host)
        self.api_host.setPlaceholderText(DEFAULT_API_HOST)
        self.api_host.setToolTip(self.tr("127.0.0.1: only this computer can connect. 0.0.0.0 or this "
                                         "computer's address: other computers on the network too, with the API key."))
        form.addRow(self.tr("Host"), self.api_host)
        self.api_port = QSpinBox(minimum=0, maximum=65535, value=settings.api_port)
        self.api_port.setSpecialValueText(self.tr("Any free port"))
        form.addRow(self.tr("Port"), self.api_port)
        self.api_key = QLineEdit(settings.api_key or "")
        self.api_key.setEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        self.api_key.setPlaceholderText(self.tr("None"))
        form.addRow(self.tr("API key"), self.api_key)
        self.api_cors = QLineEdit(" ".join(settings.api_cors_origins))
        self.api_cors.setPlaceholderText(self.tr("None: web pages cannot call the API"))
        self.api_cors.setToolTip(self.tr("Origins of web pages allowed to call the API, separated by spaces or "
                                         "commas, e.g. http://localhost:3000"))
        form.addRow(self.tr("CORS origins"), self.api_cors)
        self.api_log_contents = QCheckBox(self.tr("Keep message contents in the request log"))
        self.api_log_contents.setChecked(settings.api_log_contents)
        self.api_log_contents.setToolTip(self.tr("Off: the log keeps only each request's time, endpoint, "
                                                 "status, tokens and duration"))
        form.addRow(self.api_log_contents)
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
            return self.tr("Serving on {host} lets other computers use this model: set an API key, "
                           "or serve on {local}.").format(host=host, local=DEFAULT_API_HOST)
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
        folder = QFileDialog.getExistingDirectory(self, self.tr("Models folder"), self.models_dir.text())
        if folder:
            self.models_dir.setText(folder)

    def result_settings(self) -> Settings:
        extra = {k: v for k, v in self._settings.extra.items() if k != LANGUAGE_SETTING}
        if self.language.currentData():
            extra[LANGUAGE_SETTING] = self.language.currentData()
        return self._settings.with_(
            extra=extra,
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
            api_log_contents=self.api_log_contents.isChecked(),
        )

    def show_backends(self) -> QDialog:
        """The remote backends' page in a dialog of its own (changes there apply at once)."""
        from PySide6.QtWidgets import QVBoxLayout

        from localchat.gui.backends import BackendsPage

        if self.backends_dialog is None:
            self.backends_dialog = QDialog(self)
            self.backends_dialog.setWindowTitle(self.tr("Remote backends"))
            layout = QVBoxLayout(self.backends_dialog)
            self.backends_page = BackendsPage(self._data_root, self.backends_dialog)
            layout.addWidget(self.backends_page)
            close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
            close.rejected.connect(self.backends_dialog.close)
            layout.addWidget(close)
        self.backends_dialog.show()
        return self.backends_dialog
