"""The prompt as the model sees it (a reply's "Show prompt"): the exact text the chat template
wrote, its tokens with their boundaries and ids (the template's special tokens marked), and how
many tokens each message takes of the context.

The view is computed by the inference worker (``PromptViewJob``: it needs the loaded model's
tokenizer and template); a pool thread waits for it and the result reaches the GUI thread through
``run_in_background``'s inbox (``fetch_prompt_view``), never through a signal of a plain thread.
"""

from __future__ import annotations

import html
from typing import Callable, Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from localchat.core.chat.messages import Message, Sampling
from localchat.core.errors import LocalChatError
from localchat.core.inference.prompt_view import TEMPLATE, PromptView
from localchat.core.inference.worker import InferenceWorker, PromptViewJob
from localchat.gui.background import BackgroundCall, run_in_background
from localchat.gui.chat.token_view import mix, shown_piece
from localchat.gui.theme import theme

WAIT_S = 120  # a prompt view waits behind the reply being written, at most this long


def fetch_prompt_view(worker: InferenceWorker, messages: Sequence[Message], sampling: Sampling,
                      on_done: Callable[[PromptView], None],
                      on_failed: Callable[[Exception], None]) -> BackgroundCall:
    """Ask the worker for the prompt a reply to ``messages`` is written from; ``on_done(view)``
    or ``on_failed(error)`` runs on the GUI thread."""
    job = worker.submit(PromptViewJob(list(messages), sampling))

    def wait() -> PromptView:
        if not job.done.wait(WAIT_S):
            worker.cancel(job)
            raise LocalChatError(
                QCoreApplication.translate("PromptDialog", "The model did not show its prompt in time."),
                QCoreApplication.translate("PromptDialog",
                                           "Try again once the reply being written has ended."))
        if job.error is not None or job.view is None:
            raise LocalChatError(job.error or QCoreApplication.translate("PromptDialog",
                                                                         "The prompt could not be shown."))
        return job.view

    return run_in_background(wait, on_done, on_failed)


def role_name(role: str) -> str:
    names = {"system": QCoreApplication.translate("PromptDialog", "System"),
             "user": QCoreApplication.translate("PromptDialog", "You"),
             "assistant": QCoreApplication.translate("PromptDialog", "Assistant")}
    return names.get(role, role)


def boundaries_html(view: PromptView) -> str:
    """Each token on a tint of its own (two alternate), the template's special tokens bold in the
    accent colour, so that where one token ends and the next begins can be seen."""
    c = theme().colors
    tints = (mix(c.accent, c.bg, 0.10), mix(c.accent, c.bg, 0.22))
    parts = []
    for i, token in enumerate(view.tokens):
        text = html.escape(token.text or "·")
        if token.special:
            parts.append(f'<span style="background-color: {c.surface2}; color: {c.accent}; '
                         f'font-weight: 600;">{text}</span>')
        else:
            parts.append(f'<span style="background-color: {tints[i % 2]}; color: {c.text};">{text}</span>')
    return f'<div style="white-space: pre-wrap; color: {c.text};">{"".join(parts)}</div>'


class PromptDialog(QDialog):
    """Shows one ``PromptView``."""

    def __init__(self, view: PromptView, model: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.view = view
        self.setWindowTitle(self.tr("The prompt as the model sees it"))
        layout = QVBoxLayout(self)
        summary = self.tr("{used} of {n_ctx} context tokens, {messages} messages; {reserve} tokens kept free "
                          "for the reply").format(used=f"{view.used:,}", n_ctx=f"{view.n_ctx:,}",
                                                  messages=len(view.messages),
                                                  reserve=f"{view.reply_reserve:,}")
        if model:
            summary = self.tr("As {model} reads it: {summary}").format(model=model, summary=summary)
        if view.dropped:
            summary += "\n" + self.tr("{n} oldest messages are left out to fit the context.").format(
                n=view.dropped)
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)

        self.counts = QTableWidget(len(view.counts) + 1, 3)
        self.counts.setAccessibleName(self.tr("Tokens per message"))
        self.counts.setHorizontalHeaderLabels([self.tr("Message"), self.tr("Tokens"), self.tr("Context")])
        self.counts.verticalHeader().hide()
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, count in enumerate(view.counts):
            message = view.messages[count.index]
            first = " ".join(message.content.split())[:60]
            note = (self.tr("left out") if count.dropped else
                    self.tr("left out next when the conversation grows") if count.drops_next else "")
            cells = (f"{role_name(count.role)}: {first}", f"{count.tokens:,}", note)
            for col, text in enumerate(cells):
                self.counts.setItem(row, col, QTableWidgetItem(text))
        last = len(view.counts)
        for col, text in enumerate((self.tr("The template's opening of the reply"),
                                    f"{view.template_tokens:,}", "")):
            self.counts.setItem(last, col, QTableWidgetItem(text))
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts.resizeColumnsToContents()
        self.counts.setMaximumHeight(180)
        layout.addWidget(self.counts)

        self.tabs = QTabWidget()
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.text = QPlainTextEdit(view.text)
        self.text.setReadOnly(True)
        self.text.setFont(mono)
        self.text.setAccessibleName(self.tr("The text the template wrote"))
        self.tabs.addTab(self.text, self.tr("Text"))
        self.boundaries = QTextBrowser()
        self.boundaries.setFont(mono)
        self.boundaries.setHtml(boundaries_html(view))
        self.boundaries.setAccessibleName(self.tr("The tokens, one tint each"))
        self.tabs.addTab(self.boundaries, self.tr("Tokens"))
        self.table = QTableWidget(len(view.tokens), 4)
        self.table.setAccessibleName(self.tr("Each token's id"))
        self.table.setHorizontalHeaderLabels([self.tr("Token"), self.tr("Id"), self.tr("Kind"),
                                              self.tr("Message")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        special, text_kind = self.tr("special"), self.tr("text")
        for row, token in enumerate(view.tokens):
            owner = (self.tr("the reply's opening") if token.message == TEMPLATE
                     else role_name(view.messages[token.message].role) + f" #{token.message + 1}")
            cells = (shown_piece(token.text), str(token.id), special if token.special else text_kind, owner)
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.tabs.addTab(self.table, self.tr("Token ids"))
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 640)

    @property
    def special_count(self) -> int:
        return sum(1 for t in self.view.tokens if t.special)
