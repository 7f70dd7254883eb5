"""The conversation half of the main window: the history in the store, the current branch in
the chat view, replies streamed from the worker into both.

``ConversationFlow`` is mixed into ``MainWindow``; it uses the window's ``store``, ``chat_view``,
``composer``, ``sidebar``, ``worker`` and signals.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Slot

from localchat.core.chat.messages import Message, Sampling
from localchat.core.errors import LocalChatError
from localchat.core.history.records import BranchPage, StoredMessage
from localchat.core.history.reply import ReplyWriter
from localchat.gui.chat_view import MessageItem

log = logging.getLogger(__name__)

PAGE = 50  # messages of a branch shown at once; "Show earlier" adds more


class ConversationFlow:
    """Not a QObject: the slots that the worker's signals reach stay on MainWindow, so Qt queues
    them onto the GUI thread (a plain method here would run on the worker's thread)."""
    # -- conversations (the history lives in the store; the view shows the current branch) ----
    @property
    def messages(self) -> list[Message]:
        """The current branch as chat messages (no system prompt)."""
        if self.conversation is None:
            return []
        return [m.as_chat() for m in self.store.branch(self.conversation.id)]

    def _open_initial_conversation(self) -> None:
        wanted = self.settings.last_conversation_id
        conversation = None
        try:
            if wanted is not None:
                try:
                    conversation = self.store.conversation(wanted)
                except LocalChatError:
                    conversation = None
            conversation = conversation or self.store.last_conversation()
        except LocalChatError as exc:
            self.show_error(str(exc))
        if conversation is not None:
            self.open_conversation(conversation.id)
        else:
            self.conversation_settings.set_values(self.system_prompt, self.sampling)

    @Slot(int)
    def open_conversation(self, conversation_id: int, page: BranchPage | None = None) -> None:
        if self.conversation is not None and self.conversation.id == conversation_id and page is None:
            return
        if self.generating:
            self.show_error("Stop the current reply before opening another conversation.")
            self.sidebar.select_conversation(self.conversation.id if self.conversation else None)
            return
        try:
            self.conversation = self.store.conversation(conversation_id)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.sampling = self.conversation.sampling
        self.system_prompt = self.conversation.system_prompt
        self.conversation_settings.set_values(self.system_prompt, self.sampling)
        self._page_count = PAGE
        self._show_branch(page)
        self.sidebar.select_conversation(conversation_id)
        self.settings = self.settings.with_(last_conversation_id=conversation_id)

    def new_chat(self) -> None:
        if self.generating:
            self.stop()
            return
        self.conversation = None
        self.chat_view.set_messages([])
        self.chat_view.set_earlier_available(False)
        self.sidebar.select_conversation(None)
        self.composer.input.setFocus()

    def _show_branch(self, page=None) -> None:
        if self.conversation is None:
            self.chat_view.set_messages([])
            return
        try:
            page = page or self.store.branch_page(self.conversation.id, count=self._page_count)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.chat_view.set_messages([self._item(m) for m in page.messages])
        self.chat_view.set_earlier_available(page.has_earlier)

    @staticmethod
    def _item(m: StoredMessage) -> MessageItem:
        stats = m.stats.summary if m.stats and m.stats.stop_reason != "error" else ""
        if m.partial and not stats:
            stats = "interrupted"
        return MessageItem(m.id, m.role, m.content, stats, m.sibling_index, m.sibling_count)

    @Slot()
    def _on_earlier_requested(self) -> None:
        self._page_count += PAGE
        self._show_branch()

    @Slot(int, int)
    def _on_search_hit(self, conversation_id: int, message_id: int) -> None:
        try:
            page = self.store.jump_to(message_id)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.open_conversation(conversation_id, page)
        self.chat_view.scroll_to_key(message_id)

    @Slot(int)
    def _on_conversation_deleted(self, conversation_id: int) -> None:
        if self.conversation is not None and self.conversation.id == conversation_id:
            self.new_chat()

    @Slot(str, object)
    def _on_conversation_settings_changed(self, system_prompt: str, sampling: Sampling) -> None:
        self.system_prompt, self.sampling = system_prompt, sampling
        if self.conversation is not None:
            try:
                self.conversation = self.store.update_conversation(
                    self.conversation.id, system_prompt=system_prompt, sampling=sampling)
            except LocalChatError as exc:
                self.show_error(str(exc))

    @Slot(str)
    def send(self, text: str) -> None:
        if self.generating or not text.strip():
            return
        if self.model_info is None:
            self.show_error("Load a model before sending a message.")
            return
        try:
            if self.conversation is None:
                self.conversation = self.store.create_conversation(
                    model=self.model_info.name, system_prompt=self.system_prompt, sampling=self.sampling)
                self.settings = self.settings.with_(last_conversation_id=self.conversation.id)
            self.store.add_user_message(self.conversation.id, text)
            writer = self.store.begin_reply(self.conversation.id, model=self.model_info.name)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self.sidebar.select_conversation(self.conversation.id)
        self._start_reply(writer)

    def _start_reply(self, writer: ReplyWriter) -> None:
        self._writer = writer
        self.generating = True
        self.show_error(None)
        self._show_branch()
        self.chat_view.set_actions_enabled(False)
        self.composer.set_generating(True)
        self.stats_label.setText("Generating…")
        self._save_timer.start()
        self.worker.generate_requested.emit(writer.prompt_messages(), self.sampling)

    @Slot()
    def stop(self) -> None:
        if self.generating:
            self.worker.cancel()

    def _save_partial_reply(self) -> None:
        if self._writer is not None:
            try:
                self._writer.save()
            except LocalChatError as exc:
                self.show_error(str(exc))

    def _model_name(self) -> str | None:
        return self.model_info.name if self.model_info else None

    def _can_act(self) -> bool:
        if self.generating or self.conversation is None:
            return False
        if self.model_info is None:
            self.show_error("Load a model first.")
            return False
        return True

    def _on_edit_submitted(self, message_id: int, text: str) -> None:
        if not self._can_act():
            return
        try:
            self.store.edit_message(message_id, text)
            writer = self.store.begin_reply(self.conversation.id, model=self._model_name())
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self._start_reply(writer)

    def _on_regenerate_requested(self, message_id: int) -> None:
        if not self._can_act():
            return
        try:
            writer = self.store.regenerate(message_id, model=self._model_name())
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self._start_reply(writer)

    def _on_sibling_requested(self, message_id: int, step: int) -> None:
        if self.generating:
            return
        try:
            self.store.switch_sibling(message_id, step)
        except LocalChatError as exc:
            self.show_error(str(exc))
            return
        self._show_branch()
