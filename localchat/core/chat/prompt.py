"""Prompt formats: a conversation turned into the text one model reads.

Instruction-tuned models carry a Jinja chat template in their GGUF; it is rendered in a sandbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from localchat.core.chat.messages import SYSTEM, USER, Message


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
