"""What the history store hands out: small frozen records, built from database rows."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass, fields, replace
from typing import Any

from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.chat.structured import ReplyCheck
from localchat.core.chat.tokens import ReplyTokens

TITLE_LENGTH = 60


@dataclass(frozen=True)
class Conversation:
    id: int
    title: str
    model: str | None
    system_prompt: str
    sampling: Sampling
    created_at: float  # seconds since the epoch
    updated_at: float
    current_leaf_id: int | None  # the last message of the branch being shown

    @property
    def display_title(self) -> str:
        return self.title or "New chat"


@dataclass(frozen=True)
class StoredMessage:
    """One message of a conversation's tree. ``parent_id`` is None for the first message."""

    id: int
    conversation_id: int
    parent_id: int | None
    role: str  # "user" or "assistant"
    content: str
    created_at: float
    depth: int  # 0 for the first message: its position in any branch through it
    model: str | None = None  # the model that wrote an assistant reply
    stats: GenerationStats | None = None  # set when a reply finished
    partial: bool = False  # a reply still streaming, or cut off by a crash
    sibling_index: int = 0  # among the messages sharing its parent, in creation order
    sibling_count: int = 1
    # the reply was kept with its tokens' probabilities: ``Store.reply_tokens(id)`` reads them
    # (apart, so a page of the branch does not read every reply's BLOB)
    has_tokens: bool = False

    @property
    def validation(self) -> ReplyCheck | None:
        """A structured reply's check against its response format; None for free text."""
        return self.stats.validation if self.stats is not None else None

    def as_chat(self) -> Message:
        return Message(self.role, self.content)

    @property
    def sibling_label(self) -> str:
        """"2/3" for the second of three alternatives; the GUI shows ‹ 2/3 › when count > 1."""
        return f"{self.sibling_index + 1}/{self.sibling_count}"


@dataclass(frozen=True)
class BranchPage:
    """A window of the current branch: ``messages`` sit at positions ``start``… of ``total``."""

    conversation_id: int
    messages: tuple[StoredMessage, ...]
    start: int
    total: int

    @property
    def has_earlier(self) -> bool:
        return self.start > 0

    @property
    def has_later(self) -> bool:
        return self.start + len(self.messages) < self.total


@dataclass(frozen=True)
class SearchHit:
    conversation_id: int
    message_id: int
    conversation_title: str
    role: str
    created_at: float
    snippet: str  # a short excerpt around the match, plain text
    highlights: tuple[tuple[int, int], ...]  # (start, end) of each matched word in ``snippet``


@dataclass(frozen=True)
class StoreChange:
    """Told to subscribers after a change a conversation list would show.

    ``kind``: "created", "updated" (new messages, settings), "renamed", "deleted", "restored",
    "purged"."""

    kind: str
    conversation_id: int


def title_from_text(text: str, limit: int = TITLE_LENGTH) -> str:
    """A conversation title from its first message: the first non-empty line, cut at a word."""
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    line = " ".join(line.split())
    if len(line) <= limit:
        return line
    cut = line[:limit].rsplit(" ", 1)[0] if " " in line[:limit] else line[:limit]
    return cut.rstrip(" ,.;:") + "…"


def sampling_to_json(sampling: Sampling) -> str:
    return json.dumps(asdict(sampling), sort_keys=True)


def known_fields(cls: type, raw: Any) -> dict:
    """Only the fields ``cls`` has: an older or newer localchat may have written others."""
    if not isinstance(raw, dict):
        return {}
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def sampling_from_json(text: str | None) -> Sampling:
    try:
        return Sampling(**known_fields(Sampling, json.loads(text or "{}")))
    except (ValueError, TypeError):
        return Sampling()


def stats_to_json(stats: GenerationStats | None) -> str | None:
    """The stats without their validation, which has a column of its own."""
    if stats is None:
        return None
    raw = asdict(stats.without_tokens())
    raw.pop("validation", None)
    raw.pop("tokens", None)
    return json.dumps(raw, sort_keys=True)


def validation_to_json(stats: GenerationStats | None) -> str | None:
    check = stats.validation if stats is not None else None
    return None if check is None else json.dumps(asdict(check), sort_keys=True)


def tokens_to_blob(stats: GenerationStats | None) -> bytes | None:
    tokens = stats.tokens if stats is not None else None
    return None if tokens is None else tokens.to_blob()


def tokens_from_blob(blob: bytes | None) -> ReplyTokens | None:
    """None for none, and for a damaged BLOB (the reply itself is kept)."""
    if not blob:
        return None
    try:
        return ReplyTokens.from_blob(bytes(blob))
    except ValueError:
        return None


def stats_from_json(text: str | None, validation: str | None = None) -> GenerationStats | None:
    if not text:
        return None
    try:
        raw = known_fields(GenerationStats, json.loads(text))
        stats = GenerationStats(**raw) if "stop_reason" in raw else None
    except (ValueError, TypeError):
        return None
    if stats is not None and validation:
        try:
            stats = replace(stats, validation=ReplyCheck.coerce(json.loads(validation)))
        except ValueError:
            pass  # a damaged check is no check: the reply itself is kept
    return stats


CONVERSATION_COLUMNS = ("id, title, model, system_prompt, sampling, created_at, updated_at, "
                        "current_leaf_id")
MESSAGE_COLUMNS = ("id, conversation_id, parent_id, role, content, created_at, depth, model, "
                   "stats, partial, validation, tokens IS NOT NULL AS has_tokens")


def conversation_from_row(row: sqlite3.Row) -> Conversation:
    return Conversation(
        id=row["id"], title=row["title"], model=row["model"], system_prompt=row["system_prompt"],
        sampling=sampling_from_json(row["sampling"]), created_at=row["created_at"],
        updated_at=row["updated_at"], current_leaf_id=row["current_leaf_id"],
    )


def message_from_row(row: sqlite3.Row, sibling_index: int = 0, sibling_count: int = 1) -> StoredMessage:
    return StoredMessage(
        id=row["id"], conversation_id=row["conversation_id"], parent_id=row["parent_id"],
        role=row["role"], content=row["content"], created_at=row["created_at"],
        depth=row["depth"], model=row["model"],
        stats=stats_from_json(row["stats"], row["validation"]),
        partial=bool(row["partial"]), sibling_index=sibling_index, sibling_count=sibling_count,
        has_tokens=bool(row["has_tokens"]),
    )
