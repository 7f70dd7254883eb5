"""Prompt formats: a conversation turned into the text one model reads.

Instruction-tuned models carry a Jinja chat template in their GGUF; it is rendered in a sandbox
with a budget (``sandbox``). A template written by a stranger may fail: it may have no system
role (Gemma 2 raises "System role not supported"), not compile, or run past its budget. Then the
prompt is written, in this order, by the template with the system prompt put in the first user
message, by a built-in format that the model's special tokens name (``formats``), or as a plain
transcript, as for base models. Each fallback is decided once per model and per shape of
conversation (with a system prompt or without), and a one-line note says what was done and why.
"""

from __future__ import annotations

import enum
import logging
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from localchat.core.chat.formats import BuiltinFormat, format_for_tokens, merge_system
from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message
from localchat.core.chat.sandbox import RENDER_SECONDS, ChatTemplate, ChatTemplateError

log = logging.getLogger(__name__)

BASE_STOPS = ("\nUser:", "\nuser:", "\nAssistant:", "\n\n\n")

# Conversations rendered at load, one list per shape: a template that fails on them, leaves
# their text out or writes nothing is found before the first message, not at it.
PROBES = {
    False: ((Message(USER, "What is the capital of France?"),),
            (Message(USER, "What is the capital of France?"), Message(ASSISTANT, "Paris."),
             Message(USER, "And of Italy?"))),
    True: ((Message(SYSTEM, "Answer in one word."), Message(USER, "What is the capital of France?")),
           (Message(SYSTEM, "Answer in one word."), Message(USER, "What is the capital of France?"),
            Message(ASSISTANT, "Paris."), Message(USER, "And of Italy?"))),
}


class Strategy(enum.Enum):
    """How the prompt of one shape of conversation is written."""

    TEMPLATE = "the model's template"
    SYSTEM_MERGED = "the model's template, the system prompt in the first message"
    BUILTIN = "a built-in format"
    TRANSCRIPT = "a plain transcript"


@dataclass(frozen=True)
class Prompt:
    text: str
    stop: tuple[str, ...]  # strings that end the reply, besides the model's end-of-turn tokens
    strategy: Strategy


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


def output_limit(n_ctx: int, messages: Sequence[Message]) -> int:
    """The most characters a render may make: a few times the context window (at about four
    characters a token), more for a long conversation that will be cut to fit it."""
    return 16 * n_ctx + 4 * sum(len(m.content) for m in messages) + 4096


class PromptFormat:
    """Turns a conversation into prompt text for one model.

    A model without a template is a base model: it continues text rather than follows
    instructions, so it gets a plain transcript and stops where it would write the next turn.
    ``special_tokens`` says whether a text is one of the model's special tokens; it picks the
    built-in format a failing template falls back to. Not thread-safe: the engine's thread
    renders.
    """

    def __init__(self, template: str | None, bos_token: str = "", eos_token: str = "",
                 stop: Sequence[str] = (), *, special_tokens: Callable[[str], bool] | None = None,
                 n_ctx: int = 8192, seconds: float = RENDER_SECONDS):
        self.template = template
        self.bos_token = bos_token
        self.eos_token = eos_token
        self.stop = tuple(stop)
        self.n_ctx = n_ctx
        self.seconds = seconds
        self.builtin: BuiltinFormat | None = (
            format_for_tokens(special_tokens) if template is not None and special_tokens else None)
        self._compiled: ChatTemplate | None = None
        self._refused: ChatTemplateError | None = None  # the template is of no use at all
        self._chosen: dict[bool, Strategy] = {}  # by shape: has a system prompt
        self._notes: list[str] = []  # decisions not yet told
        self._told: set[str] = set()
        self._last: tuple[tuple, Prompt] | None = None
        if template is not None:
            try:
                self._compiled = ChatTemplate(template)
            except ChatTemplateError as exc:
                self._refuse(exc)

    @property
    def is_base_model(self) -> bool:
        return self.template is None

    # -- rendering -------------------------------------------------------------------------------
    def render(self, messages: Sequence[Message], add_generation_prompt: bool = True) -> str:
        return self.prompt(messages, add_generation_prompt).text

    def prompt(self, messages: Sequence[Message], add_generation_prompt: bool = True) -> Prompt:
        """The prompt for ``messages``; never raises for a template's failure."""
        key = (tuple(messages), add_generation_prompt)
        if self._last is not None and self._last[0] == key:  # the budget counted it, the stream renders it
            return self._last[1]
        prompt = self._decide(messages, add_generation_prompt, probe=False)
        self._last = (key, prompt)
        return prompt

    def check(self) -> str | None:
        """Render the probe conversations and decide, before the first message, how each shape
        of conversation is written; returns the note that says what was done, if anything."""
        for shape, probes in PROBES.items():
            for probe in probes:
                self._decide(probe, True, probe=True)
            self._chosen.setdefault(shape, Strategy.TRANSCRIPT if self.is_base_model else Strategy.TEMPLATE)
        return self.take_note()

    def take_note(self) -> str | None:
        """What was decided since the last call, in one line, or None."""
        notes = [n for n in dict.fromkeys(self._notes) if n not in self._told]
        self._notes = []
        self._told.update(notes)
        return " ".join(notes) or None

    def _decide(self, messages: Sequence[Message], add_generation_prompt: bool, *, probe: bool) -> Prompt:
        shape = any(m.role == SYSTEM for m in messages)
        if self.is_base_model:
            return Prompt(render_transcript(messages, add_generation_prompt), BASE_STOPS + self.stop,
                          Strategy.TRANSCRIPT)
        strategies = list(Strategy)
        chosen = self._chosen.get(shape, Strategy.TEMPLATE)
        failure: ChatTemplateError | None = None
        for strategy in strategies[strategies.index(chosen):]:
            if strategy in (Strategy.TEMPLATE, Strategy.SYSTEM_MERGED) and self._refused is not None:
                failure = failure or self._refused
                continue
            if strategy is Strategy.SYSTEM_MERGED and not shape:
                continue
            if strategy is Strategy.BUILTIN and self.builtin is None:
                continue
            try:
                prompt = self._write(strategy, messages, add_generation_prompt, probe)
            except ChatTemplateError as exc:
                log.warning("chat template failed with %s: %s", strategy.value, exc.reason)
                # a template that cannot write the simplest conversation is of no use for any
                if exc.fatal or (probe and not shape and strategy is Strategy.TEMPLATE):
                    self._refuse(exc)
                failure = exc
                continue
            if strategy is not chosen or shape not in self._chosen:
                self._chosen[shape] = strategy
                if strategy is not Strategy.TEMPLATE:
                    self._notes.append(self._note(shape, strategy, failure, at_load=probe))
            return prompt
        raise AssertionError("the transcript always renders")

    def _write(self, strategy: Strategy, messages: Sequence[Message], add_generation_prompt: bool,
               probe: bool) -> Prompt:
        if strategy is Strategy.TRANSCRIPT:
            return Prompt(render_transcript(messages, add_generation_prompt), BASE_STOPS + self.stop, strategy)
        if strategy is Strategy.BUILTIN:
            return Prompt(self.builtin.render(messages, add_generation_prompt),
                          self.builtin.stop + self.stop, strategy)
        given = merge_system(messages) if strategy is Strategy.SYSTEM_MERGED else messages
        text = self._compiled.render(
            output_limit(self.n_ctx, given), self.seconds,
            messages=[{"role": m.role, "content": m.content} for m in given],
            add_generation_prompt=add_generation_prompt, bos_token=self.bos_token, eos_token=self.eos_token)
        if not text.strip():
            raise ChatTemplateError("This model's chat template writes an empty prompt.",
                                    reason="it writes an empty prompt")
        if probe:
            missing = [m for m in given if m.content not in text]
            if missing:
                what = "the system prompt" if missing[0].role == SYSTEM else "the messages"
                raise ChatTemplateError(f"This model's chat template leaves out {what}.",
                                        reason=f"it leaves out {what}")
        return Prompt(text, self.stop, strategy)

    def _refuse(self, exc: ChatTemplateError) -> None:
        """The template is of no use for any conversation: every shape decides again."""
        if self._refused is None:
            log.warning("chat template refused: %s", exc)
        self._refused = exc
        self._chosen = {shape: s for shape, s in self._chosen.items()
                        if s not in (Strategy.TEMPLATE, Strategy.SYSTEM_MERGED)}

    # -- what is told ----------------------------------------------------------------------------
    def _instead(self, strategy: Strategy) -> str:
        if strategy is Strategy.BUILTIN:
            return f"in the {self.builtin.name} format its special tokens name"
        return "as a plain transcript, which it may follow poorly"

    def _note(self, shape: bool, strategy: Strategy, failure: ChatTemplateError | None,
              *, at_load: bool) -> str:
        reason = failure.reason if failure is not None else "it failed"
        if strategy is Strategy.SYSTEM_MERGED:
            return "This model's template has no system role: the system prompt was put in the first message."
        if self._refused is not None:
            return (f"This model's chat template cannot be used ({self._refused.reason}): its prompts "
                    f"are written {self._instead(strategy)}.")
        which = "with a system prompt" if shape else "without a system prompt"
        when = "" if at_load else " from now on"
        return (f"This model's template fails on conversations {which} ({reason}): those are{when} "
                f"written {self._instead(strategy)}.")


# -- passages from the person's documents ------------------------------------------------------
@dataclass(frozen=True)
class Passage:
    """A passage of a document put into the prompt, cited in the reply as ``[number]``."""

    number: int
    path: str
    text: str
    page: int | None = None
    heading: str = ""

    @property
    def title(self) -> str:
        from pathlib import PurePath

        name = PurePath(self.path).name
        return f"{name}, page {self.page}" if self.page is not None else name

    @property
    def url(self) -> str:
        """The document's file URL, at its page for a PDF (``#page=N``, which PDF viewers and
        browsers follow): what a click on the source opens."""
        from pathlib import PurePath

        return PurePath(self.path).as_uri() + (f"#page={self.page}" if self.page is not None else "")

    @property
    def excerpt(self) -> str:
        text = " ".join(self.text.split())
        return text if len(text) <= 160 else text[:157].rstrip() + "…"


CITE_INSTRUCTIONS = (
    "Answer from the numbered passages below, taken from the user's documents. After each "
    "sentence that uses a passage, cite it by its number in square brackets, like [1]. If the "
    "passages do not answer the question, say so.")
NOTHING_FOUND = ("No passage of the user's documents is relevant to this question. Say that "
                 "nothing in the documents answers it, then answer only if you know, saying "
                 "that it is not from the documents.")


def with_passages(messages: Sequence[Message], passages: Sequence[Passage]) -> list[Message]:
    """The prompt with the passages put before the person's last message (only in what the
    model reads: the history keeps the message as written). No passages: the model is told
    that nothing relevant was found, rather than given padding."""
    messages = list(messages)
    last = max((i for i, m in enumerate(messages) if m.role == USER), default=None)
    if last is None:
        return messages
    if passages:
        blocks = "\n\n".join(f"[{p.number}] {p.title}" + (f" — {p.heading}" if p.heading else "")
                             + f"\n{p.text.strip()}" for p in passages)
        context = f"{CITE_INSTRUCTIONS}\n\n{blocks}\n\nQuestion: "
    else:
        context = f"{NOTHING_FOUND}\n\nQuestion: "
    messages[last] = Message(USER, context + messages[last].content)
    return messages


_CITATION = re.compile(r"\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]")


@dataclass(frozen=True)
class Citations:
    """The ``[n]`` of a reply checked against the passages it was given."""

    cited: tuple[int, ...]  # numbers that name a passage, in order of first use
    unknown: tuple[int, ...]  # numbers that point nowhere
    unsupported: tuple[int, ...] = ()  # cited by sentences that share no content word with the passage

    def marked(self, reply: str) -> str:
        """The reply with each citation that points nowhere marked ``[n?]``."""
        bad = set(self.unknown)

        def mark(m: re.Match) -> str:
            numbers = [int(n) for n in re.split(r"\s*,\s*", m.group(1))]
            return "[" + ", ".join(f"{n}?" if n in bad else str(n) for n in numbers) + "]"

        return _CITATION.sub(mark, reply) if bad else reply


_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}|\d+", re.UNICODE)  # words of 4+ letters, and numbers
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def _words(text: str) -> set[str]:
    return {w.lower()[:6] for w in _CONTENT_WORD.findall(text)}  # a crude stem: "islands" is "island"


def check_citations(reply: str, passages: Sequence[Passage]) -> Citations:
    """Which ``[n]`` name a passage, which point nowhere, and which are cited by a sentence
    that shares no content word (or number) with the passage it names."""
    by_number = {p.number: p for p in passages}
    seen: list[int] = []
    support: dict[int, bool] = {}
    for sentence in _SENTENCE_END.split(reply):
        numbers = [int(n) for m in _CITATION.finditer(sentence) for n in re.split(r"\s*,\s*", m.group(1))]
        words = _words(_CITATION.sub(" ", sentence))
        for n in numbers:
            seen.append(n)
            if n in by_number:
                support[n] = support.get(n, False) or bool(words & _words(by_number[n].text))
    seen = list(dict.fromkeys(seen))
    return Citations(tuple(n for n in seen if n in by_number), tuple(n for n in seen if n not in by_number),
                     tuple(n for n in seen if n in by_number and not support[n]))
