"""The conversation's documents in the window: which collections it answers from (kept with the
conversation in the history), and the search for a question's passages, off the GUI thread.

``ChatController.send`` (and edit, regenerate) asks ``search(question, messages, then)`` first
when collections are chosen: a pool thread opens the index, the question is embedded by the
inference worker (an ``EmbedJob``, which goes before indexing batches), the collections are
searched and the passages packed into what the context leaves; ``then(passages)`` runs on the
GUI thread and the turn begins with them. The window never waits for any of it.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Callable, Sequence

from PySide6.QtCore import QObject, Signal

from localchat.core.chat.messages import Message
from localchat.core.chat.prompt import Passage
from localchat.core.errors import LocalChatError
from localchat.core.history import sources as history_sources
from localchat.gui.background import BackgroundCall, run_in_background

log = logging.getLogger(__name__)


class CachedModel:
    """The embedding model, found (and the demo's MiniLM converted) once, on whichever thread
    asks first: the indexer's or a search's, never the GUI thread."""

    def __init__(self, find: Callable[[], object]):
        self._find = find
        self._found = None
        self._lock = threading.Lock()

    def __call__(self):
        with self._lock:
            if self._found is None:
                self._found = self._find()
            return self._found


class ConversationDocuments(QObject):
    """The collections of the conversation shown, and the searches for its questions."""

    chosen_changed = Signal(list)  # the collections the conversation now answers from
    searching_changed = Signal(bool)
    failed = Signal(str)

    def __init__(self, store, index_path: Path, worker, embedding_model: Callable[[], object],
                 parent: QObject | None = None):
        super().__init__(parent)
        self.store = store  # the history, on the GUI thread
        self.index_path = Path(index_path)
        self.worker = worker
        self.embedding_model = embedding_model
        self.chosen: list[str] = []
        self.conversation_id: int | None = None
        self._search: BackgroundCall | None = None
        self._generation = 0  # a search overtaken (stopped, another conversation) is dropped

    @property
    def searching(self) -> bool:
        return self._search is not None

    # -- which collections ---------------------------------------------------------------------
    def set_chosen(self, names: Sequence[str]) -> None:
        """The person ticked collections: the conversation shown keeps them (a new chat, once
        its first message creates it)."""
        chosen = sorted(set(names))
        if chosen == self.chosen:
            return
        self.chosen = chosen
        if self.conversation_id is not None:
            self._remember(self.conversation_id)
        self.chosen_changed.emit(list(self.chosen))

    def show_conversation(self, conversation_id: int | None) -> None:
        """Another conversation is shown: its own collections. A new chat keeps the ones of the
        conversation before it, so several chats over the same documents need no ticking."""
        if conversation_id == self.conversation_id:
            return
        self.cancel()
        self.conversation_id = conversation_id
        if conversation_id is None:
            return
        try:
            stored = history_sources.collections_of(self.store, conversation_id)
        except LocalChatError as exc:
            self.failed.emit(str(exc))
            return
        stored = stored or ()  # None: a conversation from before documents, or that never chose
        if list(stored) != self.chosen:
            self.chosen = list(stored)
            self.chosen_changed.emit(list(self.chosen))

    def conversation_created(self, conversation_id: int) -> None:
        """The first message of a new chat created ``conversation_id``: it keeps the chip's choice."""
        self._remember(conversation_id)

    def _remember(self, conversation_id: int) -> None:
        try:
            history_sources.set_collections(self.store, conversation_id, self.chosen)
        except LocalChatError as exc:
            self.failed.emit(str(exc))

    # -- a question's passages -----------------------------------------------------------------
    def search(self, question: str, messages: Sequence[Message], then: Callable[[list[Passage]], None], *,
               n_ctx: int, reply_tokens: int) -> None:
        """Find the question's passages in a pool thread; ``then(passages)`` on the GUI thread."""
        from localchat.core.documents.context import DocumentContext, worker_query_embed
        from localchat.core.documents.store import DocumentStore

        names, path, worker, find = list(self.chosen), self.index_path, self.worker, self.embedding_model
        messages = list(messages)
        self._generation += 1
        generation = self._generation

        def work() -> list[Passage]:
            model = find()
            with DocumentStore.open(path) as docs:
                context = DocumentContext(docs, names, model, worker_query_embed(worker, model),
                                          n_ctx=n_ctx, reply_tokens=reply_tokens)
                return list(context(question, messages))

        def done(passages: list[Passage]) -> None:
            if generation == self._generation:
                self._finish()
                then(passages)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                self._finish()
                message = str(exc) if isinstance(exc, LocalChatError) else self.tr(
                    "The documents could not be searched: {error}").format(error=exc)
                self.failed.emit(message)

        self._search = run_in_background(work, done, failed)
        self.searching_changed.emit(True)

    def cancel(self) -> None:
        """Stop waiting for the search under way: its passages are dropped."""
        if self._search is not None:
            self._generation += 1
            self._finish()

    def _finish(self) -> None:
        self._search = None
        self.searching_changed.emit(False)

    def turn_started(self, turn) -> None:
        """A reply begins with the passages found: they are its sources, in the history at once
        (a reply cut short keeps them too); a conversation its question created keeps the choice."""
        if turn.conversation_id != self.conversation_id:
            self.conversation_created(turn.conversation_id)
        try:
            history_sources.save_sources(self.store, turn.message_id,
                                         history_sources.ReplySources(tuple(turn.passages)))
        except LocalChatError as exc:
            self.failed.emit(str(exc))
