"""What the model does, shown in the window: View ▸ Show token probabilities (each token of a reply
coloured by its probability, its alternatives a hover or a key away, a click on one a branch from
there), a reply's "Show prompt", the context meter's note of what the budget leaves out next, and
"Ask another model" on a person's message.

``UnderTheHood`` adds these to the bubbles the chat view shows (``ChatView.bubble_added``) and
drives them through the window's ``ChatController`` and inference worker; the widgets are in
``token_view``, ``prompt_dialog`` and ``compare``.

The toggle is the window's, not a conversation's: while it is on, every reply is written with its
tokens' probabilities (``Sampling.logprobs``, ``TOP_K`` alternatives a token) and kept with them;
replies saved so with them show them again after a restart. A saved reply's tokens are read from
the history on the GUI thread: one row by its primary key, a BLOB of about 60 bytes a token,
read and unpacked in about a millisecond for a thousand tokens.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton

from localchat.core.chat.messages import ASSISTANT, USER
from localchat.core.chat.tokens import ReplyTokens
from localchat.core.errors import LocalChatError
from localchat.gui.chat.bubble import MessageBubble
from localchat.gui.chat.compare import AskAnotherModel
from localchat.gui.chat.prompt_dialog import PromptDialog, fetch_prompt_view
from localchat.gui.chat.token_view import TokenView
from localchat.gui.theme import theme
from localchat.gui.theme.tokens import ICON_PX

if TYPE_CHECKING:
    from localchat.core.inference.prompt_view import PromptView
    from localchat.gui.main_window import MainWindow

log = logging.getLogger(__name__)

TOP_K = 10  # alternatives kept a token
SETTING = "token_probabilities"  # in Settings.extra: the toggle, kept for the next start
NEAR_FULL = 0.75  # the meter names what is left out next once the prompt and reply reserve fill this much


class UnderTheHood(QObject):
    """Owns View ▸ Show token probabilities and the bubbles' extra actions."""

    tokens_shown = Signal(object)  # the MessageBubble whose tokens are shown now
    prompt_shown = Signal(object)  # the PromptDialog, once open
    context_measured = Signal(object)  # the PromptView of the next reply, once the meter shows it
    failed = Signal(str)

    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window, self.chat = window, window.chat
        self.action = QAction(self.tr("Show token probabilities"), window, checkable=True)
        self.action.setToolTip(self.tr("Colour each token of a reply by how likely the model found it, "
                                       "and show what else it weighed there"))
        self.action.setStatusTip(self.action.toolTip())
        self.action.toggled.connect(self._on_toggled)
        menu = getattr(window, "view_menu", None)
        if menu is not None:
            menu.addSeparator()
            menu.setToolTipsVisible(True)
            menu.addAction(self.action)
        self.why_unavailable = ""
        self.prompt_dialog: PromptDialog | None = None
        self.compare = AskAnotherModel(window)
        self.compare.failed.connect(window.show_error)
        self.failed.connect(window.show_error)
        view = window.chat_view
        view.bubble_added.connect(self._decorate)
        for bubble in view.bubbles:
            self._decorate(bubble)
        self.chat.reply_started.connect(self._on_reply_started)
        self.chat.reply_finished.connect(self._on_reply_finished)
        self.chat.conversation_changed.connect(self._on_conversation_changed)
        window.models.ready.connect(self._on_local_model)
        window.remote_models.probed.connect(self._on_probed)
        self._measuring: int | None = None  # the conversation the meter is being measured for
        self.action.setChecked(bool(window.settings.extra.get(SETTING)))
        self.action.toggled.connect(self._remember)

    # -- the toggle ----------------------------------------------------------------------------
    @property
    def on(self) -> bool:
        return self.action.isChecked() and self.action.isEnabled()

    def set_shown(self, shown: bool) -> None:
        self.action.setChecked(shown)

    @Slot(bool)
    def _remember(self, checked: bool) -> None:
        self.window.remember(extra={**self.window.settings.extra, SETTING: checked})

    @Slot(bool)
    def _on_toggled(self, _checked: bool) -> None:
        self.chat.logprobs = TOP_K if self.on else None
        for bubble in self.window.chat_view.bubbles:
            if self.on:
                self._show_tokens(bubble)
            else:
                self._hide_tokens(bubble)

    def set_unavailable(self, reason: str) -> None:
        """Grey the toggle out with ``reason`` (a backend without probabilities); "" offers it."""
        self.why_unavailable = reason
        self.action.setEnabled(not reason)
        self.action.setToolTip(reason or self.tr("Colour each token of a reply by how likely the model "
                                                 "found it, and show what else it weighed there"))
        self.action.setStatusTip(self.action.toolTip())
        self._on_toggled(self.action.isChecked())

    @Slot(object)
    def _on_local_model(self, _info) -> None:
        self.set_unavailable("")

    @Slot(object)
    def _on_probed(self, caps) -> None:
        if getattr(caps, "logprobs", True):
            self.set_unavailable("")
            return
        current = self.window.remote_models.current
        why = self.window.remote_models.lacks("logprobs") or self.tr("not offered")
        self.set_unavailable(self.tr("{backend} gives no token probabilities: {why}").format(
            backend=current[0] if current else "", why=why))

    # -- the bubbles ---------------------------------------------------------------------------
    @Slot(object)
    def _decorate(self, bubble: MessageBubble) -> None:
        if getattr(bubble, "hood_buttons", None) is not None:
            return
        bubble.hood_buttons = []
        key = bubble.item.key
        if bubble.item.role == ASSISTANT:
            button = self._button(bubble, "mdi6.code-tags", self.tr("Show the prompt as the model sees it"))
            button.clicked.connect(lambda: self.show_prompt(key))
            bubble.prompt_button = button
            if self.on:
                self._show_tokens(bubble)
        elif bubble.item.role == USER:
            button = self._button(bubble, "mdi6.compare-horizontal",
                                  self.tr("Ask another model (both replies kept, side by side)"))
            menu = QMenu(button)
            menu.aboutToShow.connect(lambda: self._fill_models(menu, key))
            button.setMenu(menu)
            button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
            bubble.compare_button = button

    def _button(self, bubble: MessageBubble, icon: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName("action")
        button.setProperty("icon_name", icon)  # the bubble's refresh_style follows the theme
        button.setIcon(theme().icon(icon))
        button.setIconSize(QSize(ICON_PX, ICON_PX))
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        button.setEnabled(not self.chat.generating)
        bubble.actions.layout().addWidget(button)
        bubble.hood_buttons.append(button)
        return button

    def _fill_models(self, menu: QMenu, question_id) -> None:
        menu.clear()
        others = self.compare.others()
        if not others:
            menu.addAction(self.tr("No other model is installed")).setEnabled(False)
        for path in others:
            action = menu.addAction(Path(path).stem)
            action.triggered.connect(lambda _=False, p=path: self.compare.ask(question_id, p))

    def token_view(self, bubble: MessageBubble) -> TokenView | None:
        return getattr(bubble, "token_view", None)

    def _show_tokens(self, bubble: MessageBubble, tokens: ReplyTokens | None = None) -> None:
        key = bubble.item.key
        if bubble.item.role != ASSISTANT or not isinstance(key, int):
            return
        if tokens is None:
            try:
                tokens = self.chat.store.reply_tokens(key)
            except LocalChatError as exc:
                log.warning("%s", exc)
                return
        if tokens is None or not len(tokens):
            return
        view = self.token_view(bubble)
        if view is None:
            view = TokenView(tokens, bubble)
            view.alternative_chosen.connect(lambda index, token, key=key: self.branch(key, index, token))
            layout = bubble.layout()
            layout.insertWidget(layout.indexOf(bubble.body) + 1, view)
            bubble.token_view = view
        else:
            view.set_tokens(tokens)
        view.set_can_branch(*self._can_branch(bubble))
        view.show()
        bubble.body.hide()
        self.tokens_shown.emit(bubble)

    def _hide_tokens(self, bubble: MessageBubble) -> None:
        view = self.token_view(bubble)
        if view is not None:
            view.hide()
            bubble.body.show()

    def _can_branch(self, bubble: MessageBubble) -> tuple[bool, str]:
        view = self.token_view(bubble)
        if view is not None and view.tokens.from_server:
            return False, self.tr("These tokens came from a remote server, named by their text: a "
                                  "branch from one needs a reply written on this computer.")
        if self.chat.generating:
            return False, self.tr("Wait for the reply being written to end.")
        if self.chat.remote is not None:
            return False, self.tr("Branching from a token needs the model on this computer.")
        model = self.chat.model.name if self.chat.model else None
        if bubble.item.model and model and bubble.item.model != model:
            return False, self.tr("Load {model} to branch from its tokens.").format(model=bubble.item.model)
        return True, ""

    def branch(self, message_id: int, index: int, token_id: int) -> None:
        """A click on an alternative: a sibling reply from there (streamed like any reply)."""
        self.chat.branch_from_token(message_id, index, token_id)

    @Slot()
    def _on_reply_started(self) -> None:
        for bubble in self.window.chat_view.bubbles:
            for button in getattr(bubble, "hood_buttons", None) or ():
                button.setEnabled(False)
            view = self.token_view(bubble)
            if view is not None:
                view.set_can_branch(*self._can_branch(bubble))

    @Slot(object)
    def _on_reply_finished(self, stats) -> None:
        for bubble in self.window.chat_view.bubbles:
            for button in getattr(bubble, "hood_buttons", None) or ():
                button.setEnabled(True)
            view = self.token_view(bubble)
            if view is not None:
                view.set_can_branch(*self._can_branch(bubble))
        last = self.window.chat_view.last_bubble()
        if self.on and last is not None and stats.tokens is not None and last.item.role == ASSISTANT:
            self._show_tokens(last, stats.tokens)
        self.measure_context()

    @Slot(object)
    def _on_conversation_changed(self, conversation_id) -> None:
        if conversation_id is not None and not self.chat.generating:
            self.measure_context()

    # -- the prompt ----------------------------------------------------------------------------
    def _local_model(self) -> bool:
        return self.chat.remote is None and self.chat.model is not None

    def show_prompt(self, message_id: int) -> None:
        """The reply's prompt as the loaded model sees it, in a dialog."""
        if not self._local_model():
            self.failed.emit(self.tr("The prompt as the model sees it needs a model loaded on this "
                                     "computer."))
            return
        try:
            messages = self.chat.session.prompt_for(message_id)
            job = fetch_prompt_view(self.window.inference.worker, messages, self.chat.session.sampling,
                                    self._on_prompt_view, lambda exc: self.failed.emit(str(exc)))
        except LocalChatError as exc:
            self.failed.emit(str(exc))
            return
        self._prompt_call = job

    def _on_prompt_view(self, view: PromptView) -> None:
        model = self.chat.model.name if self.chat.model else ""
        if self.prompt_dialog is not None:
            self.prompt_dialog.close()
        self.prompt_dialog = PromptDialog(view, model, self.window)
        self.prompt_dialog.show()
        self.prompt_shown.emit(self.prompt_dialog)

    # -- the context meter ---------------------------------------------------------------------
    def measure_context(self) -> None:
        """The meter under the composer from the next reply's prompt: tokens used of the context,
        and what the budget leaves out next when that is near."""
        conversation = self.chat.session.conversation_id
        if conversation is None or not self._local_model():
            return
        try:
            messages = self.chat.session.prompt_for(None)
            self._measuring = conversation
            self._meter_call = fetch_prompt_view(
                self.window.inference.worker, messages, self.chat.session.sampling,
                lambda view, c=conversation: self._on_measured(c, view),
                lambda exc: log.info("context not measured: %s", exc))
        except LocalChatError as exc:
            log.info("context not measured: %s", exc)

    def _on_measured(self, conversation: int, view: PromptView) -> None:
        if conversation != self.chat.session.conversation_id or self.chat.generating:
            return  # another conversation is shown now, or the next reply is being written
        composer = self.window.composer
        composer.set_context(view.used, view.n_ctx)
        label = composer.context_label
        note = self.context_note(view)
        tip = self.tr("How much of the model's context this conversation fills; past it, the oldest "
                      "turns are left out")
        if view.drops_next:
            tip += "\n" + self.tr("Left out next: {what}").format(what=self._describe(view, view.drops_next))
        if note:
            label.setText(label.text() + " · " + note)
        label.setToolTip(tip)
        self.context_measured.emit(view)

    def context_note(self, view: PromptView) -> str:
        if view.dropped:
            text = self.tr("{n} oldest messages left out").format(n=view.dropped)
            if view.drops_next:
                text += "; " + self.tr("next: {what}").format(what=self._describe(view, view.drops_next))
            return text
        if view.drops_next and view.used + view.reply_reserve >= NEAR_FULL * view.n_ctx:
            return self.tr("left out next: {what}").format(what=self._describe(view, view.drops_next))
        return ""

    def _describe(self, view: PromptView, indices) -> str:
        first = view.messages[indices[0]]
        who = self.tr("your message") if first.role == USER else self.tr("a reply")
        words = " ".join(first.content.split())
        snippet = words[:30] + ("…" if len(words) > 30 else "")
        text = f"{who} “{snippet}”"
        if len(indices) > 1:
            text += " " + self.tr("and its reply")
        return text
