"""A reply being streamed into the history, saved as it grows."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Callable

from localchat.core.chat.messages import Message
from localchat.core.chat.stats import GenerationStats
from localchat.core.history.records import StoredMessage

if TYPE_CHECKING:
    from localchat.core.history.store import Store

SAVE_INTERVAL_S = 1.0


class ReplyWriter:
    """An assistant reply being streamed into the store.

    ``append`` each batch of text; it saves when ``interval_s`` has passed since the last save, so
    a crash loses at most that much. Call ``save()`` from a timer too if batches can stall.
    ``finish(stats)`` stores the final text and stats at once."""

    def __init__(self, store: Store, message: StoredMessage, *,
                 interval_s: float = SAVE_INTERVAL_S, clock: Callable[[], float] = time.monotonic):
        self._store = store
        self.message = message
        self._parts: list[str] = [message.content]
        self._unsaved = False
        self._interval_s = interval_s
        self._clock = clock
        self._last_save = clock()

    @property
    def message_id(self) -> int:
        return self.message.id

    @property
    def conversation_id(self) -> int:
        return self.message.conversation_id

    @property
    def parent_id(self) -> int | None:
        return self.message.parent_id

    @property
    def text(self) -> str:
        if len(self._parts) > 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0]

    def prompt_messages(self) -> list[Message]:
        """The system prompt and the branch this reply answers, for ``Engine.stream_chat``."""
        return self._store.prompt_messages(self.conversation_id, self.parent_id)

    def append(self, text: str) -> bool:
        """Add streamed text; returns True when this call saved."""
        if text:
            self._parts.append(text)
            self._unsaved = True
        if self._unsaved and self._clock() - self._last_save >= self._interval_s:
            self.save()
            return True
        return False

    def save(self) -> None:
        if self._unsaved:
            self._store.save_reply_text(self.message_id, self.text)
            self._unsaved = False
        self._last_save = self._clock()

    def finish(self, stats: GenerationStats | None = None) -> StoredMessage:
        self.message = self._store.finish_reply(self.message_id, self.text, stats)
        self._unsaved = False
        return self.message
