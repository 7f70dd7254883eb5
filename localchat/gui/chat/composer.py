"""Where the person types: Enter sends, Shift+Enter starts a new line. The box grows with the text
from one line to ``MAX_LINES``; one round button at its right sends, or stops the reply."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from localchat.gui.theme import theme
from localchat.gui.theme.tokens import CHAT_MAX_PX, Space, Type

MAX_LINES = 8
BUTTON_PX = 32


class _Input(QPlainTextEdit):
    submit = Signal()
    metrics_changed = Signal()  # its font or style changed: its lines have another height

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self.metrics_changed.emit()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.metrics_changed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
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
        self.frame = QFrame()
        self.frame.setObjectName("composer")
        self.frame.setMaximumWidth(CHAT_MAX_PX)
        self.input = _Input()
        self.input.setPlaceholderText(self.tr("Send a message"))
        self.input.setToolTip(self.tr("Enter sends, Shift+Enter starts a new line"))
        self.input.setAccessibleName(self.tr("Message"))
        self.input.setTabChangesFocus(True)  # Tab leaves the box: the window stays usable by keyboard
        self.input.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.input.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.input.submit.connect(self._on_submit)
        self.input.textChanged.connect(self._fit_height)
        self.input.metrics_changed.connect(self._fit_height)
        self.send_button = QToolButton()
        self.send_button.setObjectName("send")
        self.send_button.setFixedSize(BUTTON_PX, BUTTON_PX)
        self.send_button.setIconSize(QSize(BUTTON_PX // 2 + 2, BUTTON_PX // 2 + 2))
        self.send_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.send_button.clicked.connect(self._on_button)
        inside = QHBoxLayout(self.frame)
        inside.setContentsMargins(Space.M, Space.S, Space.S, Space.S)
        inside.setSpacing(Space.S)
        inside.addWidget(self.input, 1)
        inside.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        # how much of the model's context the conversation fills, under the box at its right
        self.context_label = QLabel()
        self.context_label.setObjectName("muted")
        self.context_label.setToolTip(self.tr("How much of the model's context this conversation fills; "
                                              "past it, the oldest turns are left out"))
        self.context_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.context_label.hide()
        column = QVBoxLayout()
        column.setSpacing(2)
        self.chips = QHBoxLayout()  # above the box: what the next message uses (its documents)
        self.chips.setContentsMargins(0, 0, 0, 0)
        self.chips.addStretch(1)
        column.addLayout(self.chips)
        column.addWidget(self.frame)
        column.addWidget(self.context_label)
        outer = QHBoxLayout(self)  # centred under the conversation, as wide as its column
        outer.setContentsMargins(Space.L, Space.S, Space.L, Space.M)
        outer.addStretch(1)
        outer.addLayout(column, 100)
        outer.addStretch(1)
        self._can_send = True
        self._reason = ""
        self.generating = False
        theme().changed.connect(self._on_theme_changed)
        self._on_theme_changed()

    # -- state ---------------------------------------------------------------------------------
    def set_generating(self, generating: bool) -> None:
        """While a reply streams the input is disabled and the button stops the reply."""
        self.generating = generating
        self.input.setReadOnly(generating)
        self.input.setEnabled(not generating)
        self._show_button()

    def set_can_send(self, can_send: bool, reason: str = "") -> None:
        self._can_send, self._reason = can_send, reason
        self._show_button()

    def _show_button(self) -> None:
        button = self.send_button
        if self.generating:
            name, tip = self.tr("Stop"), self.tr("Stop the reply (Esc)")
        else:
            name, tip = self.tr("Send"), self._reason or self.tr("Send (Enter)")
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setEnabled(self.generating or self._can_send)
        c = theme().colors
        button.setIcon(theme().icon("mdi6.stop" if self.generating else "mdi6.arrow-up", color=c.on_accent))

    @Slot()
    def _on_theme_changed(self) -> None:
        self._show_button()
        self._fit_height()

    @Slot()
    def _fit_height(self) -> None:
        """One line when empty, up to MAX_LINES as the text grows; past that it scrolls."""
        lines = self.input.document().documentLayout().documentSize().height()
        lines = max(1, min(MAX_LINES, int(lines)))
        margin = self.input.document().documentMargin()
        frame = self.input.frameWidth() + self.input.contentsMargins().top()
        self.input.setFixedHeight(int(lines * self.input.fontMetrics().lineSpacing() + 2 * (margin + frame)) + 2)

    def set_context(self, used: int | None, size: int | None) -> None:
        """"1,204 / 4,096 tokens" under the box; None hides it (a new chat, no model)."""
        if not used or not size:
            self.context_label.hide()
            return
        self.context_label.setText(self.tr("{used} / {size} tokens").format(used=f"{used:,}", size=f"{size:,}"))
        small = self.context_label.font()
        small.setPointSizeF(theme().base_point_size() * Type.SMALL)
        self.context_label.setFont(small)
        self.context_label.show()

    def add_chip(self, chip: QWidget) -> None:
        """A chip above the box, after those there are."""
        self.chips.insertWidget(self.chips.count() - 1, chip)

    def set_text(self, text: str) -> None:
        """Put ``text`` in the box (an example prompt), ready to send or change."""
        self.input.setPlainText(text)
        cursor = self.input.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.input.setTextCursor(cursor)
        self.input.setFocus()

    # -- actions -------------------------------------------------------------------------------
    @Slot()
    def _on_button(self) -> None:
        if self.generating:
            self.stop_requested.emit()
        else:
            self._on_submit()

    def _on_submit(self) -> None:
        text = self.input.toPlainText().strip()
        if not text or not self.input.isEnabled():
            return
        if not self._can_send:
            self.send_refused.emit()  # the text stays, to be sent once a model is there
            return
        self.input.clear()
        self.send_requested.emit(text)
