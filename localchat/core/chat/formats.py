"""Prompt formats written in Python, for models whose own template cannot be used.

A model's special tokens say which format it was trained on: ``<|im_start|>`` is ChatML,
``<|start_header_id|>`` Llama 3, ``<start_of_turn>`` Gemma, ``[INST]`` Mistral, ``<|user|>``
Phi-3. Each format here writes what that family's published template writes, without Jinja, so
it cannot fail. The tokenizer adds the model's BOS token, as it does for any prompt that does not
start with one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message


def merge_system(messages: Sequence[Message]) -> list[Message]:
    """The conversation with its system prompt put at the start of the first user message, for
    templates and formats that have no system role."""
    system = "\n\n".join(m.content for m in messages if m.role == SYSTEM)
    rest = [m for m in messages if m.role != SYSTEM]
    if not system:
        return rest
    if rest and rest[0].role == USER:
        return [Message(USER, f"{system}\n\n{rest[0].content}"), *rest[1:]]
    return [Message(USER, system), *rest]


@dataclass(frozen=True)
class BuiltinFormat:
    name: str
    markers: tuple[str, ...]  # the special tokens a model of this family has
    write: Callable[[Sequence[Message], bool], str]
    stop: tuple[str, ...]

    def render(self, messages: Sequence[Message], add_generation_prompt: bool = True) -> str:
        return self.write(messages, add_generation_prompt)


def _chatml(messages: Sequence[Message], add_generation_prompt: bool) -> str:
    text = "".join(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages)
    return text + ("<|im_start|>assistant\n" if add_generation_prompt else "")


def _llama3(messages: Sequence[Message], add_generation_prompt: bool) -> str:
    text = "".join(f"<|start_header_id|>{m.role}<|end_header_id|>\n\n{m.content.strip()}<|eot_id|>"
                   for m in messages)
    return text + ("<|start_header_id|>assistant<|end_header_id|>\n\n" if add_generation_prompt else "")


def _gemma(messages: Sequence[Message], add_generation_prompt: bool) -> str:
    text = "".join(f"<start_of_turn>{'model' if m.role == ASSISTANT else 'user'}\n{m.content.strip()}"
                   "<end_of_turn>\n" for m in merge_system(messages))
    return text + ("<start_of_turn>model\n" if add_generation_prompt else "")


def _mistral(messages: Sequence[Message], add_generation_prompt: bool) -> str:
    parts = []
    for m in merge_system(messages):
        parts.append(f"[INST] {m.content} [/INST]" if m.role == USER else f"{m.content}</s>")
    return "".join(parts)  # the reply follows [/INST] whether asked for or not


def _phi3(messages: Sequence[Message], add_generation_prompt: bool) -> str:
    text = "".join(f"<|{m.role}|>\n{m.content}<|end|>\n" for m in messages)
    return text + ("<|assistant|>\n" if add_generation_prompt else "")


BUILTIN_FORMATS = (
    BuiltinFormat("Llama 3", ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"), _llama3,
                  ("<|eot_id|>",)),
    BuiltinFormat("Gemma", ("<start_of_turn>", "<end_of_turn>"), _gemma, ("<end_of_turn>",)),
    BuiltinFormat("ChatML", ("<|im_start|>", "<|im_end|>"), _chatml, ("<|im_end|>",)),
    BuiltinFormat("Phi-3", ("<|user|>", "<|assistant|>", "<|end|>"), _phi3, ("<|end|>",)),
    BuiltinFormat("Mistral", ("[INST]", "[/INST]"), _mistral, ("[INST]",)),
)


def format_for_tokens(is_special: Callable[[str], bool]) -> BuiltinFormat | None:
    """The first format whose markers are all special tokens of the model (``is_special``
    says whether a text is one), or None."""
    for fmt in BUILTIN_FORMATS:
        if all(is_special(marker) for marker in fmt.markers):
            return fmt
    return None
