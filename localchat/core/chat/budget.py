"""Context budgeting: which messages of a conversation fit the model's context window."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message


@dataclass(frozen=True)
class Budget:
    """The messages that fit the context window, and how many older ones were left out."""

    messages: tuple[Message, ...]
    dropped: int
    prompt_tokens: int


def fit_to_context(
    messages: Sequence[Message],
    count_tokens: Callable[[Sequence[Message]], int],
    n_ctx: int,
    reply_reserve: int,
) -> Budget:
    """Drop the oldest turns (never the system prompt, never the last message) until the prompt
    plus ``reply_reserve`` tokens fit in ``n_ctx``. If even the last message alone does not fit,
    the budget still holds it and ``prompt_tokens`` tells the caller it is too long."""
    system = [m for m in messages if m.role == SYSTEM][:1]
    turns = [m for m in messages if m.role != SYSTEM]
    dropped = 0
    while True:
        kept = tuple(system + turns)
        used = count_tokens(kept)
        if used + reply_reserve <= n_ctx or len(turns) <= 1:
            return Budget(kept, dropped, used)
        # drop a whole exchange when possible so the transcript still alternates
        step = 2 if len(turns) > 2 and turns[0].role == USER and turns[1].role == ASSISTANT else 1
        turns = turns[step:]
        dropped += step
