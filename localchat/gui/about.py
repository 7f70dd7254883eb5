"""Help → About: the version, which llama.cpp build this is, and what it found in the CPU/GPU.

A bug report needs exactly these facts, so the dialog can copy them as plain text.
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from localchat import APP_NAME, __version__
from localchat.core.build_info import BuildInfo, build_info

ICON_SVG = Path(__file__).with_name("icons") / "localchat.svg"

_VARIANT_NOTES = {
    "CPU": "runs on the processor only",
    "CUDA": "offloads layers to NVIDIA GPUs",
    "Metal": "offloads layers to the Apple GPU",
    "Vulkan": "offloads layers to Vulkan GPUs (AMD, Intel, NVIDIA)",
}


def app_icon() -> QIcon:
    """The localchat icon (scalable), for windows and dialogs."""
    return QIcon(str(ICON_SVG))


class AboutDialog(QDialog):
    """Shows the version and build; ``Copy details`` puts the same facts on the clipboard."""

    def __init__(self, parent: QWidget | None = None, info: BuildInfo | None = None):
        super().__init__(parent)
        self.info = info or build_info()
        self.setWindowTitle(self.tr("About {app}").format(app=APP_NAME))
        self.setWindowIcon(app_icon())

        layout = QVBoxLayout(self)
        header = QLabel()
        header.setPixmap(app_icon().pixmap(64, 64))
        self.title = title = QLabel(f"<h2>{APP_NAME} {__version__}</h2>" + self.tr(
            "Chat with language models that run entirely on your own computer."))
        title.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(header)
        top.addWidget(title, 1)
        layout.addLayout(top)

        form = QFormLayout()
        note = _VARIANT_NOTES.get(self.info.variant, "offloads layers to a GPU")
        self.variant_label = QLabel(self.tr("{variant} build ({note})").format(variant=self.info.variant, note=note))
        form.addRow(self.tr("Build"), self.variant_label)
        form.addRow("llama.cpp", QLabel(f"llama-cpp-python {self.info.llama_cpp_version}"))
        form.addRow(self.tr("GPU offload"), QLabel(self.tr("available") if self.info.gpu_offload
                                                   else self.tr("not in this build")))
        form.addRow("Qt", QLabel(qVersion() + f" (PySide6 {pyside_version})"))
        form.addRow("Python", QLabel(self.tr("{version} on {system}").format(
            version=platform.python_version(), system=platform.platform(terse=True))))
        for row in range(form.rowCount()):
            item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if item and isinstance(item.widget(), QLabel):
                item.widget().setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addLayout(form)

        layout.addWidget(QLabel(self.tr("llama.cpp system info (CPU features and backends it was built with):")))
        self.system_info = QPlainTextEdit(self._system_info_lines())
        self.system_info.setReadOnly(True)
        self.system_info.setMinimumHeight(120)
        layout.addWidget(self.system_info, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(self.tr("Copy details"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_clicked)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(520, 420)

    def _system_info_lines(self) -> str:
        # llama.cpp prints one long "CPU : SSE3 = 1 | AVX = 1 | ..." line; one feature a line reads better
        parts = [p.strip() for p in self.info.system_info.split("|") if p.strip()]
        return "\n".join(parts) or "(llama.cpp reported nothing)"

    def details_text(self) -> str:
        """The facts as plain text, for a bug report."""
        return (f"{APP_NAME} {__version__}\n"
                f"build: {self.info.variant}, llama-cpp-python {self.info.llama_cpp_version}, "
                f"GPU offload {'yes' if self.info.gpu_offload else 'no'}\n"
                f"Qt {qVersion()}, PySide6 {pyside_version}, Python {platform.python_version()}, "
                f"{platform.platform()}\n"
                f"llama.cpp system info: {self.info.system_info}")

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())
        self.copy_button.setText(self.tr("Copied"))
