"""Messages, prompt assembly and context-window budgeting. Pure Python, no llama.cpp."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Callable, Sequence

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


@dataclass(frozen=True)
class PromptFormat:
    """Turns a conversation into prompt text for one model.

    Instruction-tuned models carry a Jinja chat template in their GGUF metadata; it is rendered
    in a sandbox. A model without one is a base model: it continues text rather than follows
    instructions, so it gets a plain transcript and stops where it would write the next turn.
    """

    template: str | None
    bos_token: str = ""
    eos_token: str = ""
    stop: tuple[str, ...] = field(default=())

    @property
    def is_base_model(self) -> bool:
        return self.template is None

    @property
    def stop_strings(self) -> tuple[str, ...]:
        if self.is_base_model:
            return ("\nUser:", "\nuser:", "\nAssistant:", "\n\n\n") + self.stop
        return self.stop

    def render(self, messages: Sequence[Message], add_generation_prompt: bool = True) -> str:
        if self.template is None:
            return render_transcript(messages, add_generation_prompt)
        return _render_jinja(self.template, messages, add_generation_prompt,
                             self.bos_token, self.eos_token)


def render_transcript(messages: Sequence[Message], add_generation_prompt: bool = True) -> str:
    lines = []
    for m in messages:
        if m.role == SYSTEM:
            lines.append(m.content.strip() + "\n")
        else:
            speaker = "User" if m.role == USER else "Assistant"
            lines.append(f"{speaker}: {m.content.strip()}\n")
    text = "".join(lines)
    if add_generation_prompt:
        text += "Assistant:"
    return text


_jinja_cache: dict[str, object] = {}


def _render_jinja(template: str, messages: Sequence[Message], add_generation_prompt: bool,
                  bos_token: str, eos_token: str) -> str:
    from jinja2.exceptions import TemplateError
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    compiled = _jinja_cache.get(template)
    if compiled is None:
        def raise_exception(message: str) -> None:
            raise TemplateError(message)

        env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
        env.globals["raise_exception"] = raise_exception
        env.globals["strftime_now"] = lambda fmt: datetime.now().strftime(fmt)
        compiled = env.from_string(template)
        _jinja_cache[template] = compiled
    return compiled.render(  # type: ignore[attr-defined]
        messages=[{"role": m.role, "content": m.content} for m in messages],
        add_generation_prompt=add_generation_prompt,
        bos_token=bos_token,
        eos_token=eos_token,
    )


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
