"""The passages a question gets, packed into the prompt's token budget.

The budget is the context window less the conversation (system prompt and history), the room
for the answer and the instructions. Passages go in best first; a passage's whole document
goes in its place when it fits (a short note reads better whole than cut), each document once.
Tokens are estimated at four characters each: the chat model's tokenizer is on the worker's
thread, and the engine still fits the whole prompt to the context (``chat.budget``).
"""

from __future__ import annotations

from typing import Sequence

from localchat.core.chat.messages import Message
from localchat.core.chat.prompt import Passage
from localchat.core.documents.chunk import estimate_tokens
from localchat.core.documents.retrieve import Hit, join_text
from localchat.core.documents.store import DocumentStore

INSTRUCTION_TOKENS = 120  # the citing instructions and each passage's title line
WHOLE_DOCUMENT_TOKENS = 1500  # a document longer than this goes in by its passages only


def prompt_budget(messages: Sequence[Message], n_ctx: int, reply_tokens: int) -> int:
    """Tokens left for passages: the context less the conversation and the answer's room."""
    used = sum(estimate_tokens(m.content) + 4 for m in messages)
    return max(0, n_ctx - used - reply_tokens - INSTRUCTION_TOKENS)


def whole_text(store: DocumentStore, document_id: int, page: int | None) -> str:
    """A document's (or one PDF page's) text, from its passages, their overlaps once."""
    chunks = [c for c in store.document_chunks(document_id) if c.page == page]
    text, end = "", None
    for chunk in chunks:
        text = chunk.text if end is None else join_text(text, end, chunk.text, chunk.start)
        end = chunk.end
    return text


def pack(hits: Sequence[Hit], budget_tokens: int, store: DocumentStore | None = None) -> list[Passage]:
    passages: list[Passage] = []
    used, documents = 0, set()
    for hit in hits:
        key = (hit.first.document_id, hit.page)
        if key in documents:
            continue
        text = hit.text
        if store is not None:
            whole = whole_text(store, hit.first.document_id, hit.page)
            cost = estimate_tokens(whole)
            if cost <= WHOLE_DOCUMENT_TOKENS and used + cost + 16 <= budget_tokens:
                text = whole
        cost = estimate_tokens(text) + 16
        if used + cost > budget_tokens:
            continue  # a shorter one further down may still fit
        used += cost
        documents.add(key)
        passages.append(Passage(len(passages) + 1, hit.path, text, hit.page, hit.heading))
    return passages
