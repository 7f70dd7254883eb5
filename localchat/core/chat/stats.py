"""What a reply stream yields: pieces of text as they arrive, then one final record."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Union

from localchat.core.chat.structured import ReplyCheck
from localchat.core.chat.tokens import ReplyTokens, TokenChoice


class StopReason(str, enum.Enum):
    """Why a reply ended. A ``str`` so that stored records stay plain JSON text."""

    EOS = "eos"  # the model ended its turn, or a stop string was written
    LENGTH = "length"  # the token limit or the context window was reached
    INCOMPLETE = "incomplete"  # the token limit was reached inside a structure (JSON, a grammar)
    CANCELLED = "cancelled"  # Stop, a closed window or a cancelled request
    ERROR = "error"  # generation failed; ``GenerationStats.error`` says why


@dataclass(frozen=True)
class TokenEvent:
    """A piece of reply text, as it arrives."""

    text: str


@dataclass(frozen=True)
class GenerationStats:
    """The final record of one reply."""

    stop_reason: StopReason
    prompt_tokens: int = 0
    evaluated_prompt_tokens: int = 0  # prompt tokens not found in the KV cache
    completion_tokens: int = 0
    time_to_first_token_s: float = 0.0
    tokens_per_s: float = 0.0
    total_s: float = 0.0
    dropped_messages: int = 0
    error: str | None = None
    template_note: str | None = None  # how this model's prompts are written now, when this reply changed it
    validation: ReplyCheck | None = None  # a structured reply checked against its format; None for text
    # the reply's tokens with their probabilities, when the sampling asked for them (``logprobs``)
    tokens: ReplyTokens | None = None

    def __post_init__(self) -> None:
        # records read back from JSON (the history, an import) carry the reason as text
        object.__setattr__(self, "stop_reason", StopReason(self.stop_reason))
        object.__setattr__(self, "validation", ReplyCheck.coerce(self.validation))

    def without_tokens(self) -> "GenerationStats":
        """The record without its tokens (they are stored apart, in a BLOB)."""
        return self if self.tokens is None else replace(self, tokens=None)

    @property
    def summary(self) -> str:
        parts = [f"{self.tokens_per_s:.1f} tok/s", f"TTFT {self.time_to_first_token_s * 1000:.0f} ms",
                 f"{self.completion_tokens} tokens"]
        if self.stop_reason is not StopReason.EOS:
            parts.append(self.stop_reason.value)
        if self.dropped_messages:
            parts.append(f"{self.dropped_messages} oldest messages left out to fit the context")
        return " · ".join(parts)


# A ``TokenChoice`` comes before the text of its token when the sampling asks for probabilities.
StreamEvent = Union[TokenEvent, TokenChoice, GenerationStats]
