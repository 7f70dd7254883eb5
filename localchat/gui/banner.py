"""The strip above the conversation that says what went wrong, or what to do first."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget


class Banner(QWidget):
    """Hidden until there is something to say; Dismiss hides it again."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("error")
        self.label.setWordWrap(True)
        self.label.setStyleSheet("background-color: #f8d7da; color: #58151c; padding: 6px;")
        dismiss = QPushButton("Dismiss")
        dismiss.clicked.connect(lambda: self.show_message(None))
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 6, 12, 0)
        row.addWidget(self.label, 1)
        row.addWidget(dismiss)
        self.hide()

    def show_message(self, message: str | None) -> None:
        self.label.setText(message or "")
        self.setVisible(bool(message))
