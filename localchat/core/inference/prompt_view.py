"""The prompt as the model sees it: the text the chat template wrote, its tokens, how many each
message takes, how full the context is and what the context budget would leave out next.

It needs the loaded model's tokenizer and template, so it runs on the inference worker
(``worker.PromptViewJob``), through the same steps as a reply (the response format's
description, the context budget, the template in its sandbox, the tokens the KV cache keeps).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Sequence

from localchat.core.chat.budget import fit_to_context
from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message, Sampling
from localchat.core.chat.prompt import PromptFormat
from localchat.core.chat.structured import with_description
from localchat.core.inference import llama as native

if TYPE_CHECKING:
    from llama_cpp import Llama

TEMPLATE = -1  # a token the template wrote after the last message (the reply's opening)


@dataclass(frozen=True)
class PromptToken:
    id: int
    piece: bytes  # its bytes; a special token as the vocabulary spells it
    special: bool  # a control token (BOS, <|im_start|>): the template's, never text
    message: int  # the index of the message it belongs to (its markup included); TEMPLATE after the last

    @property
    def text(self) -> str:
        return self.piece.decode("utf-8", "replace")


@dataclass(frozen=True)
class MessageTokens:
    """One message of the conversation and its share of the prompt."""

    index: int  # in ``PromptView.messages``
    role: str
    tokens: int  # 0 for a message left out
    dropped: bool  # left out now to fit the context
    drops_next: bool  # the first the budget leaves out when the conversation grows


@dataclass(frozen=True)
class PromptView:
    messages: tuple[Message, ...]  # what the model reads, before the budget (system prompt first)
    text: str  # what the template wrote for the messages that fit
    tokens: tuple[PromptToken, ...]
    counts: tuple[MessageTokens, ...]  # one per message
    n_ctx: int
    reply_reserve: int  # tokens kept free for the reply when the budget fits the prompt

    @property
    def used(self) -> int:
        """Context tokens the prompt takes."""
        return len(self.tokens)

    @property
    def dropped(self) -> int:
        return sum(1 for c in self.counts if c.dropped)

    @property
    def drops_next(self) -> tuple[int, ...]:
        """The messages (indices) the budget leaves out first when the conversation grows."""
        return tuple(c.index for c in self.counts if c.drops_next)

    @property
    def template_tokens(self) -> int:
        """Tokens after the last message: the template's opening of the reply."""
        return sum(1 for t in self.tokens if t.message == TEMPLATE)


def build_view(llm: "Llama", fmt: PromptFormat, tokens_of: Callable[[str], list[int]],
               count_tokens: Callable[[Sequence[Message]], int], messages: Sequence[Message],
               sampling: Sampling) -> PromptView:
    """The view of the prompt a reply to ``messages`` would be written from, made as
    ``ReplyGenerator.stream`` makes that prompt. ``tokens_of``: the prompt text's tokens as the
    engine would evaluate them."""
    messages = tuple(with_description(messages, sampling.response_format))
    n_ctx = llm.n_ctx()
    reserve = min(sampling.max_tokens, n_ctx // 4)
    budget = fit_to_context(messages, count_tokens, n_ctx, reserve)
    text = fmt.prompt(budget.messages).text  # a template's note stays for the next reply to tell
    ids = tokens_of(text)
    is_control = native.control_token(llm)
    pieces = [llm.detokenize([t], special=True) for t in ids]

    kept = _kept_indices(messages, budget.dropped)
    owners = _owners(pieces, [messages[i].content for i in kept])
    tokens = tuple(PromptToken(t, p, is_control(t), kept[o] if o >= 0 else TEMPLATE)
                   for t, p, o in zip(ids, pieces, owners))
    per_message = {i: 0 for i in kept}
    for token in tokens:
        if token.message != TEMPLATE:
            per_message[token.message] += 1
    next_out = set(_next_dropped(messages, kept))
    counts = tuple(MessageTokens(i, m.role, per_message.get(i, 0), i not in per_message, i in next_out)
                   for i, m in enumerate(messages))
    return PromptView(messages, text, tokens, counts, n_ctx, reserve)


def _kept_indices(messages: Sequence[Message], dropped: int) -> list[int]:
    """The indices of the messages the budget keeps (``fit_to_context``: the first system
    prompt, then the turns after the ``dropped`` oldest)."""
    system = [i for i, m in enumerate(messages) if m.role == SYSTEM][:1]
    turns = [i for i, m in enumerate(messages) if m.role != SYSTEM]
    return system + turns[dropped:]


def _next_dropped(messages: Sequence[Message], kept: list[int]) -> list[int]:
    """What ``fit_to_context`` leaves out next: the oldest exchange (or message) kept, never
    the last message."""
    turns = [i for i in kept if messages[i].role != SYSTEM]
    if len(turns) <= 1:
        return []
    step = 2 if (len(turns) > 2 and messages[turns[0]].role == USER
                 and messages[turns[1]].role == ASSISTANT) else 1
    return turns[:step]


def _owners(pieces: Sequence[bytes], contents: Sequence[str]) -> list[int]:
    """For each token, the position (in ``contents``) of the message it belongs to: a message
    owns the tokens from the end of the one before it to the end of its own text, so its role
    markup counts as its own; -1 after the last message's text."""
    data = b"".join(pieces)
    ends: list[int] = []
    at = 0
    for content in contents:
        needle = content.strip().encode("utf-8")
        found = data.find(needle, at) if needle else -1
        at = found + len(needle) if found >= 0 else at
        ends.append(at)
    owners, start, j = [], 0, 0
    for piece in pieces:
        while j < len(ends) and start >= ends[j]:
            j += 1
        owners.append(j if j < len(ends) else -1)
        start += len(piece)
    return owners
