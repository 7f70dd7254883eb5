"""The parts of a conversation: messages and how the next token is sampled. Pure Python."""

from __future__ import annotations

from dataclasses import dataclass, replace

SYSTEM, USER, ASSISTANT = "system", "user", "assistant"


@dataclass(frozen=True)
class Message:
    role: str
    content: str


@dataclass(frozen=True)
class Sampling:
    """How the next token is chosen. Defaults follow llama.cpp's own chat defaults.

    ``stop``: strings that end the reply (besides the prompt format's own), never shown.
    ``presence_penalty`` / ``frequency_penalty``: OpenAI's, applied by llama.cpp's penalty
    sampler over the last 64 tokens; 0 leaves them off."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 1024
    seed: int | None = None
    stop: tuple[str, ...] = ()
    presence_penalty: float = 0.0
    frequency_penalty: float = 0.0

    def __post_init__(self) -> None:
        # JSON (the history, an import, a request) gives a list, or one string
        stop = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())
        object.__setattr__(self, "stop", tuple(s for s in stop if isinstance(s, str) and s))

    def with_(self, **changes) -> "Sampling":
        return replace(self, **changes)
