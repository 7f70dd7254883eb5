"""The strip above the conversation that says what went wrong, or what to do first."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from localchat.gui.theme import theme
from localchat.gui.theme.tokens import Space


class Banner(QWidget):
    """Hidden until there is something to say; its × dismisses it. Coloured by the theme
    (``QLabel#error`` in the stylesheet)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("error")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = QToolButton()
        self.dismiss_button.setToolTip(self.tr("Dismiss"))
        self.dismiss_button.setAccessibleName(self.tr("Dismiss"))
        self.dismiss_button.clicked.connect(lambda: self.show_message(None))
        row = QHBoxLayout(self)
        row.setContentsMargins(Space.M, Space.S, Space.M, 0)
        row.setSpacing(Space.XS)
        row.addWidget(self.label, 1)
        row.addWidget(self.dismiss_button, 0, Qt.AlignmentFlag.AlignTop)
        theme().changed.connect(self._on_theme_changed)
        self._on_theme_changed()
        self.hide()

    def _on_theme_changed(self) -> None:
        self.dismiss_button.setIcon(theme().icon("mdi6.close"))

    def show_message(self, message: str | None) -> None:
        self.label.setText(message or "")
        self.setVisible(bool(message))
