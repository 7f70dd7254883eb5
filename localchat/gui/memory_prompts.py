"""The questions asked before a model that may not fit: a load that needs more memory than is
free now, and a download of a model too big for this computer.

A load the person asked for asks in a dialog. A load that came by itself (the last model at
start, a model whose download just finished) must not pop a dialog at someone who did not ask:
it waits in a bar above the conversation, with a Load anyway button.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from localchat.core.models.fit import SWAP_WARNING, Badge, LowMemoryError


def load_question_text(question: LowMemoryError) -> str:
    """"x.gguf needs 9.3 GiB of memory; 6.1 GiB is free now. Other apps may slow down or the
    system may swap. Load anyway?\""""
    return f"{question.message} {SWAP_WARNING} " + QCoreApplication.translate("MemoryPrompts", "Load anyway?")


def ask_load_anyway(parent: QWidget | None, question: LowMemoryError) -> bool:
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("MemoryPrompts", "Not enough free memory"), load_question_text(question),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def ask_download_anyway(parent: QWidget | None, name: str, badge: Badge) -> bool:
    """Before downloading a model the fit says is too big for this computer."""
    answer = QMessageBox.question(
        parent, QCoreApplication.translate("MemoryPrompts", "Too big for this computer"),
        QCoreApplication.translate("MemoryPrompts", "{name}: {reason}\n\nIt will not load here unless the computer "
                                   "gets more memory. Download it anyway?").format(name=name, reason=badge.reason),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


class LoadAnywayBar(QWidget):
    """"Not loaded: x.gguf needs 9.3 GiB of memory; 6.1 GiB is free now. …" [Load anyway]
    [Not now]. Hidden until a load that came by itself waits for a yes."""

    load_anyway = Signal(str)  # the model file to load

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.path: str | None = None
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.setObjectName("warn")  # coloured by the theme's stylesheet
        self.load_button = QPushButton(self.tr("Load anyway"))
        self.load_button.clicked.connect(self._on_load)
        later = QPushButton(self.tr("Not now"))
        later.clicked.connect(self.clear)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 0)
        row.addWidget(self.label, 1)
        row.addWidget(self.load_button)
        row.addWidget(later)
        self.hide()

    def show_question(self, path: str, question: LowMemoryError) -> None:
        self.path = path
        self.label.setText(self.tr("Not loaded: {reason}").format(reason=f"{question.message} {SWAP_WARNING}"))
        self.show()

    def clear(self) -> None:
        self.path = None
        self.hide()

    def _on_load(self) -> None:
        path = self.path
        self.clear()
        if path is not None:
            self.load_anyway.emit(path)
