"""The window's conversation: a ``ChatSession`` (core) driven from the GUI thread, its replies
streamed by the inference worker (through the relay) into the chat view.

The rules of a conversation are the session's; this module decides what the view shows and
when: sending appends the question and the reply being written to the view, editing or
regenerating shows the branch again from the point that changed, and each batch of reply text is
appended to its bubble as it arrives.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from localchat.core.chat import structured
from localchat.core.chat.messages import USER, FormatKind, Message, Sampling
from localchat.core.chat.session import ChatSession, Turn
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.errors import LocalChatError
from localchat.core.history.records import BranchPage, Conversation, StoredMessage
from localchat.core.history.sources import sources_of
from localchat.core.history.store import PAGE_SIZE, Store
from localchat.core.inference.engine import ModelInfo
from localchat.core.inference.worker import ChatJob
from localchat.gui.chat.bubble import MessageItem
from localchat.gui.chat.relay import InferenceRelay
from localchat.gui.chat.sources import with_sources
from localchat.gui.chat.view import ChatView

log = logging.getLogger(__name__)

SAVE_INTERVAL_MS = 1000  # a stream that stalls is still saved this often
T = TypeVar("T")


class ModelState(enum.Enum):
    NONE = "none"
    LOADING = "loading"
    READY = "ready"


def message_item(m: StoredMessage) -> MessageItem:
    """How the view shows a stored message; a reply cut short without stats says so."""
    failed = m.stats is not None and m.stats.stop_reason is StopReason.ERROR
    stats = m.stats.summary if m.stats and not failed else ""
    if (m.partial or failed) and not stats:  # cut short: by a crash, or by the failure the banner said
        stats = QCoreApplication.translate("ChatController", "interrupted")
    check = m.validation  # a structured reply's check, kept with it
    pretty = None
    if check is not None and check.valid and check.kind != FormatKind.GRAMMAR.value:
        pretty = structured.pretty(m.content)
    return MessageItem(m.id, m.role, m.content, stats, m.sibling_index, m.sibling_count, model=m.model or "",
                       check=check.summary if check is not None else "",
                       check_ok=check.valid if check is not None else True, pretty=pretty)


class ChatController(QObject):
    """Owns the session and the reply being written. The window shows what it signals."""

    conversation_changed = Signal(object)  # the id of the conversation shown, None for a new chat
    reply_started = Signal()
    reply_updated = Signal(str)  # the reply text so far
    reply_finished = Signal(object)  # GenerationStats
    failed = Signal(str)  # a message for the person

    def __init__(self, store: Store, inference: InferenceRelay, view: ChatView,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store, self.inference, self.view = store, inference, view
        self.session = ChatSession(store)
        self.model: ModelInfo | None = None
        self.model_state = ModelState.NONE
        self.model_defaults = Sampling()  # the loaded model's: what a new chat starts with
        self.model_system_prompt: str | None = None  # a demo model's own; None keeps the one there is
        self.turn: Turn | None = None
        self.remote = None  # the RemoteBackend replies come from instead of the local model
        self._job: ChatJob | None = None
        # each reply written with its tokens' probabilities, this many alternatives a token (View ▸
        # Show token probabilities); None: without them
        self.logprobs: int | None = None
        self.documents = None  # ConversationDocuments (chat/retrieval.py): the collections it answers from
        self._passages: list | None = None  # a question's passages, found before its turn begins
        self._page_count = PAGE_SIZE
        self._save_timer = QTimer(self, interval=SAVE_INTERVAL_MS)
        self._save_timer.timeout.connect(self._on_save_due)
        # queued onto the GUI thread: this object lives there and the slots are its own
        inference.reply_delta.connect(self._on_reply_delta)
        inference.reply_finished.connect(self._on_reply_finished)
        view.edit_submitted.connect(self.edit)
        view.regenerate_requested.connect(self.regenerate)
        view.sibling_requested.connect(self.switch_branch)
        view.earlier_requested.connect(self.show_earlier)

    # -- state ---------------------------------------------------------------------------------
    @property
    def generating(self) -> bool:
        return self.turn is not None

    @property
    def conversation(self) -> Conversation | None:
        return self.session.conversation

    @property
    def messages(self) -> list[Message]:
        """The current branch as chat messages (no system prompt)."""
        return self._attempt(self.session.branch) or []

    def set_model(self, info: ModelInfo | None, *, loading: bool = False,
                  defaults: Sampling | None = None, system_prompt: str | None = None) -> None:
        """The model replies come from; ``defaults``, its sampling (its catalog entry's, else the
        app's), and ``system_prompt`` (a demo model's own) are what a new chat starts with. A
        saved conversation keeps its own. The replies come from the local model from now on."""
        self.remote = None
        self.model = info
        self.model_state = ModelState.READY if info else ModelState.LOADING if loading else ModelState.NONE
        self.session.model_name = info.name if info else None
        if defaults is not None:
            self.model_defaults = defaults
            self.model_system_prompt = system_prompt
            if self.session.conversation is None and not self.generating:
                self.session.new(sampling=defaults, system_prompt=system_prompt)

    def use_remote(self, backend, model: str) -> None:
        """Replies come from ``backend`` (a ``RemoteBackend``), its ``model``, until another model
        is picked; each one is kept with the model and the backend that wrote it."""
        from localchat.core.backends.config import answered_by

        backend.model = model
        self.remote = backend
        self.session.model_name = answered_by(model, backend.name)

    def why_not_ready(self) -> str | None:
        """Why a message cannot be sent now, said so that the person knows what to do."""
        if self.remote is not None:
            return None
        if self.model_state is ModelState.LOADING:
            return self.tr("The model is still loading.\nYour message can be sent as soon as it is ready.")
        if self.model_state is ModelState.NONE:
            return self.tr("No model is loaded.\nPick one in the Model list at the top, or download one with "
                           "Models ▸ Model Manager… (Ctrl+M).")
        return None

    def configure(self, system_prompt: str | None = None, sampling: Sampling | None = None) -> None:
        self._attempt(self.session.configure, system_prompt=system_prompt, sampling=sampling)

    # -- which conversation --------------------------------------------------------------------
    def open_initial(self, wanted: int | None) -> None:
        """The conversation shown last time, else the latest one, else a new chat."""
        conversation = None
        if wanted is not None:
            try:
                conversation = self.store.conversation(wanted)
            except LocalChatError:
                conversation = None  # deleted since: the latest one instead
        conversation = conversation or self._attempt(self.store.last_conversation)
        if conversation is not None:
            self.open(conversation.id)
        else:
            self.conversation_changed.emit(None)

    @Slot(int)
    def open(self, conversation_id: int, page: BranchPage | None = None) -> None:
        current = self.session.conversation_id
        if current == conversation_id and page is None:
            return
        if self.generating:
            self.failed.emit(self.tr("Stop the current reply before opening another conversation."))
            self.conversation_changed.emit(current)
            return
        if self._attempt(self.session.open, conversation_id) is None:
            return
        self._page_count = PAGE_SIZE
        self._show_branch(page)
        self.conversation_changed.emit(conversation_id)

    def new_chat(self) -> None:
        if self.generating:
            self.stop()
            return
        self.session.new(sampling=self.model_defaults, system_prompt=self.model_system_prompt)
        self.view.set_messages([])
        self.view.set_earlier_available(False)
        self.conversation_changed.emit(None)

    @Slot(int, int)
    def show_message(self, conversation_id: int, message_id: int) -> None:
        """A search result: its conversation, on the branch through it, scrolled to it."""
        if self.generating:
            self.failed.emit(self.tr("Stop the current reply before opening another conversation."))
            return
        page = self._attempt(self.store.jump_to, message_id)
        if page is not None:
            self.open(conversation_id, page)
            self.view.scroll_to_key(message_id)

    @Slot(int)
    def forget(self, conversation_id: int) -> None:
        """The conversation was deleted: if it is the one shown, a new chat takes its place."""
        if self.session.conversation_id == conversation_id:
            self.new_chat()

    @Slot()
    def show_earlier(self) -> None:
        self._page_count += PAGE_SIZE
        self._show_branch()

    # -- the actions that write a reply --------------------------------------------------------
    @Slot(str)
    def send(self, text: str) -> None:
        if self.generating or not text.strip():
            return
        reason = self.why_not_ready()
        if reason:
            self.failed.emit(reason)
            return
        if self._documents_first(text, lambda: self.send(text)):
            return
        created = self.session.conversation is None
        turn = self._attempt(self.session.send, text)
        if turn is not None:
            self._start(turn, with_question=True)
            if created:
                self.conversation_changed.emit(turn.conversation_id)

    @Slot(object, str)
    def edit(self, message_id: int, text: str) -> None:
        if self._can_act() and not self._documents_first(text, lambda: self.edit(message_id, text)):
            turn = self._attempt(self.session.edit, message_id, text)
            if turn is not None:
                self._start(turn, with_question=True, replacing=message_id)

    @Slot(object)
    def regenerate(self, message_id: int) -> None:
        if self._can_act() and not self._documents_first(self._question_of(message_id),
                                                         lambda: self.regenerate(message_id)):
            turn = self._attempt(self.session.regenerate, message_id)
            if turn is not None:
                self._start(turn, with_question=False, replacing=message_id)

    def branch_from_token(self, message_id: int, index: int, token_id: int) -> None:
        """A sibling of the reply ``message_id`` that keeps its first ``index`` tokens, then
        ``token_id`` (an alternative the model weighed there), and goes on writing from it."""
        if not self._can_act():
            return
        if self.remote is not None:
            self.failed.emit(self.tr("Branching from a token needs the model on this computer."))
            return
        turn = self._attempt(self.session.branch_from_token, message_id, index, token_id)
        if turn is not None:
            self._start(turn, with_question=False, replacing=message_id)

    @Slot(object, int)
    def switch_branch(self, message_id: int, step: int) -> None:
        if self.generating:
            return
        chosen = self._attempt(self.session.switch_branch, message_id, step)
        if chosen is None:
            return
        # the branch changes from this message on: the bubbles above it stay
        rest = self._attempt(lambda: self.store.branch_page(
            self.session.conversation_id, start=self.store.message(chosen).depth, count=self._page_count))
        if rest is None or rest.has_later or not self.view.truncate_from(message_id):
            self._show_branch()
            return
        for item in self._items(rest.messages):
            self.view.append_message(item)

    @Slot()
    def stop(self) -> None:
        if self.documents is not None:
            self.documents.cancel()  # a question still searching its documents is not sent
        if self._job is not None:
            self.inference.cancel(self._job)

    def shutdown(self) -> None:
        """The window closes and the worker has stopped: take the last batches it sent, then
        end a reply that it cut short; the reply keeps its text."""
        self.inference.deliver()
        if self.turn is not None:
            self._end(GenerationStats(StopReason.CANCELLED))

    # -- a reply's life ------------------------------------------------------------------------
    def _start(self, turn: Turn, *, with_question: bool, replacing: int | None = None) -> None:
        """Show the question and the empty reply, and ask the worker to write it."""
        self.turn = turn
        self.session.documents = None
        if self.documents is not None and turn.uses_documents:
            self.documents.turn_started(turn)  # its sources, kept with the reply at once
        try:
            reply = self.store.message(turn.message_id)
            items = [message_item(self.store.message(reply.parent_id))] if with_question else []
            if self.logprobs is not None and turn.sampling.logprobs is None:
                turn.sampling = turn.sampling.with_(logprobs=self.logprobs)
            self._job = self.inference.submit(ChatJob(turn.messages, turn.sampling, prefix=turn.prefix),
                                              self.remote)
        except LocalChatError as exc:
            self.failed.emit(str(exc))
            self.turn = None
            self._attempt(turn.interrupt)
            self._show_branch()
            return
        items.append(replace(message_item(reply), stats=""))  # being written, not interrupted
        if replacing is None or self.view.truncate_from(replacing):
            for item in items:
                self.view.append_message(item)
        else:  # the view did not show that point: the whole page again
            self._show_branch()
            if self.view.last_bubble() is not None:
                self.view.last_bubble().set_stats("")
        self.view.set_actions_enabled(False)
        self.view.follow_bottom()
        self._save_timer.start()
        self.reply_started.emit()

    @Slot(object, str)
    def _on_reply_delta(self, job: ChatJob, text: str) -> None:
        turn = self.turn
        if job is not self._job or turn is None:
            return  # a reply that has ended already (the window closed while it streamed)
        self._attempt(turn.feed, text)  # keeps the text even if saving it failed
        bubble = self.view.last_bubble()
        if bubble is not None and bubble.item.key == turn.message_id:
            bubble.append_text(text)
        self.reply_updated.emit(turn.text)

    @Slot(object, object)
    def _on_reply_finished(self, job: ChatJob, stats: GenerationStats) -> None:
        if job is self._job and self.turn is not None:
            self._end(stats)

    def _end(self, stats: GenerationStats) -> None:
        turn, self.turn, self._job = self.turn, None, None
        self._save_timer.stop()
        saved = self._attempt(turn.finish, stats)
        bubble = self.view.last_bubble()
        if saved is not None and bubble is not None and bubble.item.key == saved.id:
            bubble.update_item(self._items([saved])[0])  # no rebuild: the scroll position stays
        if stats.error:
            self.failed.emit(stats.error)
        self.view.set_actions_enabled(True)
        self.reply_finished.emit(stats)

    @Slot()
    def _on_save_due(self) -> None:
        if self.turn is not None:
            self._attempt(self.turn.save)

    # -- helpers -------------------------------------------------------------------------------
    def _can_act(self) -> bool:
        if self.generating or self.session.conversation is None:
            return False
        reason = self.why_not_ready()
        if reason:
            self.failed.emit(reason)
            return False
        return True

    def _show_branch(self, page: BranchPage | None = None) -> None:
        conversation_id = self.session.conversation_id
        if conversation_id is None:
            self.view.set_messages([])
            return
        page = page or self._attempt(self.store.branch_page, conversation_id, count=self._page_count)
        if page is not None:
            self.view.set_messages(self._items(page.messages))
            self.view.set_earlier_available(page.has_earlier)

    def _items(self, messages) -> list[MessageItem]:
        """How the view shows these messages, a reply answered from documents with its sources."""
        found = self._attempt(sources_of, self.store, [m.id for m in messages]) or {}
        return [with_sources(message_item(m), found.get(m.id)) for m in messages]

    def _question_of(self, reply_id: int) -> str:
        """The question a reply answers ("" where there is none to find)."""
        try:
            parent = self.store.message(reply_id).parent_id
            return self.store.message(parent).content if parent is not None else ""
        except LocalChatError:
            return ""

    def _documents_first(self, question: str, again: Callable[[], None]) -> bool:
        """With collections chosen, the question's passages are found off the GUI thread before
        its turn begins: True while that search runs; ``again()`` then acts, given them."""
        docs = self.documents
        if docs is None or not docs.chosen:
            return False
        if self._passages is not None:  # found: the turn about to begin is given them
            found, self._passages = self._passages, None
            self.session.documents = lambda _question, _messages: found
            return False
        if not docs.searching:
            def then(passages: list) -> None:
                self._passages = passages
                again()
                self._passages = None

            docs.search(question, self.messages + [Message(USER, question)], then,
                        n_ctx=self.model.n_ctx if self.model is not None else 4096,
                        reply_tokens=self.session.sampling.max_tokens)
        return True

    def _attempt(self, action: Callable[..., T], *args, **kwargs) -> T | None:
        """Run a history action; a failure the person can meet is shown, not raised."""
        try:
            return action(*args, **kwargs)
        except LocalChatError as exc:
            log.warning("%s", exc)
            self.failed.emit(str(exc))
            return None
