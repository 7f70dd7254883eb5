"""The parts of a conversation: messages and how the next token is sampled. Pure Python."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace

SYSTEM, USER, ASSISTANT = "system", "user", "assistant"


@dataclass(frozen=True)
class Message:
    role: str
    content: str


class FormatKind(str, enum.Enum):
    """What shape a reply must take. A ``str`` so that stored settings stay plain JSON text."""

    TEXT = "text"  # free text
    JSON = "json"  # any JSON object or array
    JSON_SCHEMA = "json_schema"  # JSON that follows ``ResponseFormat.source``, a JSON schema
    GRAMMAR = "grammar"  # text that follows ``ResponseFormat.source``, a llama.cpp GBNF grammar


@dataclass(frozen=True)
class ResponseFormat:
    """The shape a reply is held to while it is sampled, and checked against once it is written
    (``core/inference/grammar`` compiles it, ``core/chat/structured`` checks the reply).

    ``source``: the JSON schema as JSON text, or the GBNF grammar; "" for text and JSON.
    ``name``: what the schema describes (OpenAI's ``json_schema.name``), for the prompt.
    ``describe``: the system prompt tells the model the schema too (small models follow it
    better when they read it; the grammar holds them to it either way)."""

    kind: FormatKind = FormatKind.TEXT
    source: str = ""
    name: str = ""
    describe: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", FormatKind(self.kind))

    @property
    def is_structured(self) -> bool:
        return self.kind is not FormatKind.TEXT

    @classmethod
    def coerce(cls, value) -> "ResponseFormat":
        """From what JSON gives back (a dict, or nothing) or a ResponseFormat; an unknown shape
        is free text."""
        if isinstance(value, ResponseFormat):
            return value
        if isinstance(value, dict):
            known = {k: value[k] for k in ("kind", "source", "name", "describe") if k in value}
            try:
                return cls(**known)
            except (TypeError, ValueError):
                return cls()
        return cls()


TEXT = ResponseFormat()
MAX_LOGPROBS = 100  # alternatives a step: more is no help to read and costs a sort of the vocabulary


@dataclass(frozen=True)
class Sampling:
    """How the next token is chosen. Defaults follow llama.cpp's own chat defaults.

    ``stop``: strings that end the reply (besides the prompt format's own), never shown.
    ``presence_penalty`` / ``frequency_penalty``: OpenAI's, applied by llama.cpp's penalty
    sampler over the last 64 tokens; 0 leaves them off.
    ``response_format``: the shape the reply must take (free text by default).
    ``logprobs``: None, no probabilities (nothing is computed); N >= 0, each token's
    probability and its step's N most likely alternatives (``chat.tokens``), streamed and kept
    with the reply."""

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
    response_format: ResponseFormat = field(default=TEXT)
    logprobs: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "response_format", ResponseFormat.coerce(self.response_format))
        if self.logprobs is not None:  # stored settings are JSON: a number, or a damaged value
            try:
                object.__setattr__(self, "logprobs", max(0, min(MAX_LOGPROBS, int(self.logprobs))))
            except (TypeError, ValueError):
                object.__setattr__(self, "logprobs", None)
        # JSON (the history, an import, a request) gives a list, or one string
        stop = (self.stop,) if isinstance(self.stop, str) else tuple(self.stop or ())
        object.__setattr__(self, "stop", tuple(s for s in stop if isinstance(s, str) and s))

    def with_(self, **changes) -> "Sampling":
        return replace(self, **changes)
