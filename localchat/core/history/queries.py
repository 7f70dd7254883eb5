"""The history's read queries: walking branches of the message tree, and full-text search.

Functions of a connection, used by ``Store``. A branch is walked upwards from a leaf through
``parent_id`` (one indexed lookup per message); ``depth`` lets a walk stop at the page it needs.
"""

from __future__ import annotations

import re
import sqlite3

from localchat.core.errors import StoreError
from localchat.core.history.records import MESSAGE_COLUMNS, SearchHit, StoredMessage, message_from_row

# Sibling position of each message ``m`` in a query, for ‹ 2/3 ›.
_SIBLINGS_SQL = """
    (SELECT count(*) FROM messages s WHERE s.conversation_id = m.conversation_id
        AND s.parent_id IS m.parent_id AND s.id < m.id) AS sibling_index,
    (SELECT count(*) FROM messages s WHERE s.conversation_id = m.conversation_id
        AND s.parent_id IS m.parent_id) AS sibling_count"""
_M_COLUMNS = ", ".join("m." + c.strip() for c in MESSAGE_COLUMNS.split(","))


def message_row(db: sqlite3.Connection, message_id: int) -> sqlite3.Row:
    row = db.execute(f"SELECT {MESSAGE_COLUMNS} FROM messages WHERE id = ?",
                     (message_id,)).fetchone()
    if row is None:
        raise StoreError(f"There is no message {message_id}; it may have been deleted.",
                         "Reopen the conversation.")
    return row


def _with_siblings(row: sqlite3.Row) -> StoredMessage:
    return message_from_row(row, row["sibling_index"], row["sibling_count"])


def message_with_siblings(db: sqlite3.Connection, message_id: int) -> StoredMessage:
    row = db.execute(f"SELECT {_M_COLUMNS}, {_SIBLINGS_SQL} FROM messages m WHERE m.id = ?",
                     (message_id,)).fetchone()
    if row is None:
        message_row(db, message_id)  # raises
    return _with_siblings(row)


def branch_window(db: sqlite3.Connection, leaf: int, start: int, end: int) -> tuple[StoredMessage, ...]:
    """The messages at depths ``start`` … ``end - 1`` of the branch ending at ``leaf``."""
    rows = db.execute(
        f"""WITH RECURSIVE path(id, parent_id, depth) AS (
                SELECT id, parent_id, depth FROM messages WHERE id = :leaf
                UNION ALL
                SELECT p.id, p.parent_id, p.depth FROM messages p
                    JOIN path ON p.id = path.parent_id WHERE path.depth > :start)
            SELECT {_M_COLUMNS}, {_SIBLINGS_SQL} FROM path JOIN messages m ON m.id = path.id
            WHERE path.depth < :end ORDER BY m.depth""",
        {"leaf": leaf, "start": start, "end": end})
    return tuple(_with_siblings(r) for r in rows)


def branch_texts(db: sqlite3.Connection, upto: int) -> list[sqlite3.Row]:
    """(role, content) of every message from the first one to ``upto``."""
    return db.execute(
        """WITH RECURSIVE path(id, parent_id) AS (
               SELECT id, parent_id FROM messages WHERE id = ?
               UNION ALL
               SELECT p.id, p.parent_id FROM messages p JOIN path ON p.id = path.parent_id)
           SELECT m.role, m.content FROM path JOIN messages m ON m.id = path.id
           ORDER BY m.depth""", (upto,)).fetchall()


def ancestor_at(db: sqlite3.Connection, leaf: int | None, depth: int) -> int | None:
    """The message at ``depth`` on the branch ending at ``leaf``."""
    if leaf is None:
        return None
    row = db.execute(
        """WITH RECURSIVE path(id, parent_id, depth) AS (
               SELECT id, parent_id, depth FROM messages WHERE id = :leaf
               UNION ALL
               SELECT p.id, p.parent_id, p.depth FROM messages p
                   JOIN path ON p.id = path.parent_id WHERE path.depth > :depth)
           SELECT id FROM path WHERE depth = :depth""", {"leaf": leaf, "depth": depth}).fetchone()
    return None if row is None else row[0]


_SUBTREE = """WITH RECURSIVE sub(id) AS (SELECT ? UNION ALL
                  SELECT c.id FROM messages c JOIN sub ON c.parent_id = sub.id)"""


def subtree_ids(db: sqlite3.Connection, message_id: int) -> list[int]:
    return [r[0] for r in db.execute(f"{_SUBTREE} SELECT id FROM sub", (message_id,))]


def latest_leaf_under(db: sqlite3.Connection, message_id: int) -> int:
    # children are always newer than their parent, so the newest descendant has none
    return db.execute(f"{_SUBTREE} SELECT max(id) FROM sub", (message_id,)).fetchone()[0]


def sibling_ids(db: sqlite3.Connection, message_id: int) -> tuple[int, ...]:
    m = message_row(db, message_id)
    return tuple(r[0] for r in db.execute(
        "SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS ? ORDER BY id",
        (m["conversation_id"], m["parent_id"])))


def search(db: sqlite3.Connection, text: str, limit: int) -> list[SearchHit]:
    query = fts_query(text)
    if not query:
        return []
    # newest first: FTS5 walks its index by descending rowid and stops at the limit
    rows = db.execute(
        """SELECT m.id, m.conversation_id, m.role, m.created_at, c.title,
                  snippet(messages_fts, 0, char(2), char(3), '…', 16) AS snippet
           FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid
           JOIN conversations c ON c.id = m.conversation_id
           WHERE messages_fts MATCH ? AND c.deleted_at IS NULL
           ORDER BY messages_fts.rowid DESC LIMIT ?""", (query, limit))
    hits = []
    for r in rows:
        snippet, spans = _split_marks(r["snippet"])
        hits.append(SearchHit(r["conversation_id"], r["id"], r["title"], r["role"],
                              r["created_at"], snippet, spans))
    return hits


def fts_query(text: str) -> str:
    """The person's words as an FTS5 query that cannot be a syntax error: each word quoted,
    all required, the last one a prefix."""
    words = re.findall(r"\w+", text)
    if not words:
        return ""
    quoted = [f'"{w}"' for w in words]
    return " ".join(quoted) + "*"


def _split_marks(marked: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    """Plain text and the spans FTS5 marked with \\x02…\\x03."""
    out, spans, start = [], [], None
    length = 0
    for ch in marked:
        if ch == "\x02":
            start = length
        elif ch == "\x03" and start is not None:
            spans.append((start, length))
            start = None
        else:
            out.append(ch)
            length += 1
    return "".join(out), tuple(spans)
