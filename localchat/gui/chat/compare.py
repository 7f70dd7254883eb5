"""Base and assistant side by side: "Ask another model" on a person's message sends the same
conversation to a second installed model and shows both replies in two columns.

The second model is loaded after the first (the window's one worker holds one model), through the
window's ``ModelController``; its reply is a regeneration of the first one, so both are kept as
sibling branches (‹ n/m ›), each labelled with the model that wrote it. The second model stays
loaded afterwards, as the model picker says.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from localchat.core.chat.messages import ASSISTANT
from localchat.core.errors import LocalChatError

if TYPE_CHECKING:
    from localchat.gui.main_window import MainWindow


class Column(QWidget):
    """One model's reply: its name above it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel()
        self.title.setObjectName("who")
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.stats = QLabel()
        self.stats.setObjectName("stats")
        self.stats.setWordWrap(True)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.stats)

    def show_reply(self, model: str, text: str, stats: str = "") -> None:
        self.title.setText(model)
        self.text.setAccessibleName(self.tr("The reply of {model}").format(model=model))
        if self.text.toPlainText() != text:
            self.text.setPlainText(text)
        self.stats.setText(stats)


class CompareDialog(QDialog):
    """The question, then the two replies in two columns."""

    def __init__(self, question: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Two models, one question"))
        self.setWindowModality(Qt.WindowModality.NonModal)
        layout = QVBoxLayout(self)
        asked = " ".join(question.split())[:300]
        self.question = QLabel(self.tr("You asked: {question}").format(question=asked))
        self.question.setWordWrap(True)
        layout.addWidget(self.question)
        row = QHBoxLayout()
        self.columns = (Column(), Column())
        for column in self.columns:
            row.addWidget(column, 1)
        layout.addLayout(row, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(900, 560)


class AskAnotherModel(QObject):
    """The flow of one comparison: load the other model, regenerate the reply, fill the columns.
    ``compared(first_id, second_id)`` once the second reply has ended; ``failed(message)``."""

    compared = Signal(int, int)
    failed = Signal(str)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window
        self.dialog: CompareDialog | None = None
        self._reply_id: int | None = None  # the first model's reply, waiting for the second model
        self._second_id: int | None = None  # the second reply, being written
        self.first_id = -1  # the first model's reply of the last comparison
        window.models.ready.connect(self._on_model_ready)
        window.models.load_failed.connect(self._on_load_failed)
        window.chat.reply_updated.connect(self._on_reply_updated)
        window.chat.reply_finished.connect(self._on_reply_finished)

    @property
    def busy(self) -> bool:
        return self._reply_id is not None or self._second_id is not None

    def others(self) -> list[Path]:
        """The installed models to ask: every one in the picker but the loaded one."""
        current = self.window.chat.model.path if self.window.chat.model else None
        return [Path(p) for p in getattr(self.window.model_picker, "models", [])
                if current is None or Path(p) != Path(current)]

    def reply_to(self, question_id: int) -> int | None:
        """The reply to the person's message ``question_id`` on the branch shown."""
        chat = self.window.chat
        if chat.conversation is None:
            return None
        branch = chat.store.branch(chat.conversation.id)
        return next((m.id for m in branch if m.parent_id == question_id and m.role == ASSISTANT), None)

    def ask(self, question_id: int, path: str | Path) -> CompareDialog | None:
        window, chat = self.window, self.window.chat
        if chat.generating or self.busy:
            self.failed.emit(self.tr("Wait for the reply being written to end first."))
            return None
        if chat.remote is not None:
            self.failed.emit(self.tr("Asking another model needs models on this computer; pick one in "
                                     "the Model list first."))
            return None
        reply_id = self.reply_to(question_id)
        if reply_id is None:
            self.failed.emit(self.tr("This message has no reply to compare with yet."))
            return None
        try:
            first = chat.store.message(reply_id)
            question = chat.store.message(question_id).content
        except LocalChatError as exc:
            self.failed.emit(str(exc))
            return None
        self.dialog = CompareDialog(question, window)
        self.dialog.columns[0].show_reply(first.model or self.tr("Assistant"), first.content,
                                          first.stats.summary if first.stats else "")
        self.dialog.columns[1].show_reply(Path(path).stem, "", self.tr("Loading the model…"))
        self.dialog.show()
        self._reply_id = self.first_id = reply_id
        window.load_model(path)
        if window.models.load_job is None:  # refused at once (the banner says why)
            self._reply_id = None
        return self.dialog

    @Slot(object)
    def _on_model_ready(self, info) -> None:
        reply_id, self._reply_id = self._reply_id, None
        if reply_id is None:
            return
        chat = self.window.chat
        chat.regenerate(reply_id)
        if chat.turn is None:  # refused: the controller said why
            return
        self._second_id = chat.turn.message_id
        if self.dialog is not None:
            self.dialog.columns[1].show_reply(info.name, "", self.tr("Writing…"))

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        if self._reply_id is not None:
            self._reply_id = None
            if self.dialog is not None:
                self.dialog.columns[1].stats.setText(message)
            self.failed.emit(message)

    @Slot(str)
    def _on_reply_updated(self, text: str) -> None:
        if self._second_id is not None and self.dialog is not None:
            column = self.dialog.columns[1]
            column.show_reply(column.title.text(), text, self.tr("Writing…"))

    @Slot(object)
    def _on_reply_finished(self, stats) -> None:
        second, self._second_id = self._second_id, None
        if second is None:
            return
        try:
            reply = self.window.chat.store.message(second)
        except LocalChatError as exc:
            self.failed.emit(str(exc))
            return
        if self.dialog is not None:
            self.dialog.columns[1].show_reply(reply.model or "", reply.content,
                                              stats.summary if stats.error is None else stats.error)
        self.compared.emit(self.first_id, second)
