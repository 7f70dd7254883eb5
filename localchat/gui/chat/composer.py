"""Where the person types: Enter sends, Shift+Enter starts a new line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget


class _Input(QPlainTextEdit):
    submit = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.submit.emit()
            return
        super().keyPressEvent(event)


class Composer(QWidget):
    send_requested = Signal(str)
    send_refused = Signal()  # Enter with a message while sending is not possible: the window says why
    stop_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.input = _Input()
        self.input.setPlaceholderText("Send a message (Enter to send, Shift+Enter for a new line)")
        self.input.setFixedHeight(80)
        self.input.submit.connect(self._on_submit)
        self.send_button = QPushButton("Send")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._on_submit)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setToolTip("Stop the reply (Esc)")
        self.stop_button.clicked.connect(self.stop_requested)
        self.stop_button.hide()
        buttons = QVBoxLayout()
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 0, 12, 12)
        row.addWidget(self.input, 1)
        row.addLayout(buttons)
        self._can_send = True

    def set_generating(self, generating: bool) -> None:
        """While a reply streams the input is disabled and Stop replaces Send."""
        self.input.setReadOnly(generating)
        self.input.setEnabled(not generating)
        self.send_button.setVisible(not generating)
        self.stop_button.setVisible(generating)

    def set_can_send(self, can_send: bool, reason: str = "") -> None:
        self._can_send = can_send
        self.send_button.setEnabled(can_send)
        self.send_button.setToolTip(reason)

    def _on_submit(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or not self.input.isEnabled():
            return
        if not self._can_send:
            self.send_refused.emit()  # the text stays, to be sent once a model is there
            return
        self.input.clear()
        self.send_requested.emit(text)
