"""What a conversation takes from the person's documents: the collections it searches, and the
passages each reply was given (its sources), kept in the history so that they survive a restart.

Two tables of their own (``message_sources``, ``conversation_documents``, see ``schema``), each
row deleted with its message or conversation, so the rows a page of the branch reads stay as
they were; a page's sources are read in one query::

    set_collections(store, conversation.id, ["notes"])
    save_sources(store, turn.message_id, ReplySources(turn.passages))  # [] when none was relevant
    found = sources_of(store, [m.id for m in page.messages])           # message id → ReplySources
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Sequence

from localchat.core.chat.prompt import Citations, Passage, check_citations

if TYPE_CHECKING:
    from localchat.core.history.store import Store


@dataclass(frozen=True)
class ReplySources:
    """The passages a reply was given, numbered as the model read them; none when the documents
    were searched and nothing was relevant."""

    passages: tuple[Passage, ...] = ()

    def citations(self, reply: str) -> Citations:
        return check_citations(reply, self.passages)

    def to_json(self) -> str:
        return json.dumps([asdict(p) for p in self.passages], ensure_ascii=False)

    def to_data(self, reply: str) -> list[dict]:
        """The passages as an export holds them: each with whether ``reply`` cites it."""
        cited = set(self.citations(reply).cited)
        return [{**asdict(p), "cited": p.number in cited} for p in self.passages]

    @classmethod
    def from_data(cls, raw) -> "ReplySources":
        """``to_data``'s list read back (an import); TypeError or ValueError when a field is
        missing or of the wrong kind. ``cited`` is not read: it follows from the reply."""
        if not isinstance(raw, list):
            raise TypeError(f"the sources are {raw!r}, not a list")
        passages = []
        for p in raw:
            if not isinstance(p, dict):
                raise TypeError(f"a source is {p!r}")
            number, page = p["number"], p.get("page")
            if isinstance(number, bool) or not isinstance(number, int):
                raise TypeError(f"a source is numbered {number!r}")
            if page is not None and (isinstance(page, bool) or not isinstance(page, int)):
                raise TypeError(f"source {number} has the page {page!r}")
            texts = [p["path"], p.get("text", ""), p.get("heading", "")]
            if not all(isinstance(t, str) for t in texts):
                raise TypeError(f"source {number} has a path, text or heading that is not text")
            passages.append(Passage(number, texts[0], texts[1], page, texts[2]))
        return cls(tuple(passages))

    @classmethod
    def from_json(cls, text: str) -> "ReplySources":
        try:
            raw = json.loads(text)
            return cls(tuple(Passage(int(p["number"]), str(p["path"]), str(p.get("text", "")),
                                     p.get("page"), str(p.get("heading", ""))) for p in raw))
        except (ValueError, TypeError, KeyError):
            return cls()  # a row this version cannot read: the reply shows no sources


def _write(store: "Store", sql: str, params: tuple) -> None:
    try:
        with store._transaction() as db:
            db.execute(sql, params)
    except sqlite3.Error as exc:
        raise store._failed(exc) from exc


def _read(store: "Store", sql: str, params: Sequence) -> list[sqlite3.Row]:
    try:
        return store._conn.execute(sql, tuple(params)).fetchall()
    except sqlite3.Error as exc:
        raise store._failed(exc) from exc


def save_sources(store: "Store", message_id: int, sources: ReplySources) -> None:
    _write(store, "INSERT OR REPLACE INTO message_sources (message_id, passages) VALUES (?, ?)",
           (message_id, sources.to_json()))


def sources_of(store: "Store", message_ids: Sequence[int]) -> dict[int, ReplySources]:
    """The sources of those of these messages that were answered from documents."""
    found: dict[int, ReplySources] = {}
    ids = [i for i in message_ids if i is not None]
    for start in range(0, len(ids), 500):
        part = ids[start:start + 500]
        for row in _read(store, "SELECT message_id, passages FROM message_sources "
                                f"WHERE message_id IN ({','.join('?' * len(part))})", part):
            found[row[0]] = ReplySources.from_json(row[1])
    return found


def collections_of(store: "Store", conversation_id: int) -> tuple[str, ...] | None:
    """The collections the conversation searches; None when it never chose any."""
    rows = _read(store, "SELECT collections FROM conversation_documents WHERE conversation_id = ?",
                 (conversation_id,))
    if not rows:
        return None
    try:
        return tuple(str(n) for n in json.loads(rows[0][0]))
    except (ValueError, TypeError):
        return ()


def set_collections(store: "Store", conversation_id: int, names: Sequence[str]) -> None:
    _write(store, "INSERT OR REPLACE INTO conversation_documents (conversation_id, collections) "
                  "VALUES (?, ?)", (conversation_id, json.dumps(sorted(names), ensure_ascii=False)))
