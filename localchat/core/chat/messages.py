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
    """How the next token is chosen. Defaults follow llama.cpp's own chat defaults."""

    temperature: float = 0.7
    top_p: float = 0.95
    top_k: int = 40
    min_p: float = 0.05
    repeat_penalty: float = 1.1
    max_tokens: int = 1024
    seed: int | None = None

    def with_(self, **changes) -> "Sampling":
        return replace(self, **changes)
