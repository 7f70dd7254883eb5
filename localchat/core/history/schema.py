"""The history database file: its schema, its migrations, and opening it without losing anything.

SQLite in WAL mode: readers never block the writer, so a second localchat process can share the
file; writers wait up to ``BUSY_TIMEOUT_S`` for each other, and every write transaction starts
with ``BEGIN IMMEDIATE`` so two writers queue instead of failing half-way. ``synchronous=NORMAL``
makes each commit survive the app being killed; only a power cut can undo the last commits, and
even then the file stays consistent.

A damaged file is never deleted: it is renamed aside (``conversations.sqlite3.damaged-<time>``,
with its ``-wal`` file) and a fresh database is created, and the caller gets a
``CorruptDatabaseError`` to show.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from pathlib import Path

from localchat.core.errors import CorruptDatabaseError, DataDirError, LocalChatError, StoreError
from localchat.core.paths import ENV_DATA_DIR

log = logging.getLogger(__name__)

BUSY_TIMEOUT_S = 5.0

# -- migrations --------------------------------------------------------------------------------
# Each migration takes the database from version N to N+1 inside one transaction. Never edit a
# released one: add the next. tests/core/fixtures/store_v1.sql is a database of version 1 as it
# was released, and the tests migrate it.

_V1 = (
    """CREATE TABLE conversations (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL DEFAULT '',
        model TEXT,
        system_prompt TEXT NOT NULL DEFAULT '',
        sampling TEXT NOT NULL DEFAULT '{}',
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        current_leaf_id INTEGER
    )""",
    # parent_id has no ON DELETE action: a subtree is deleted by one statement naming all its
    # rows, so no chain of cascades (which SQLite caps at 1000 levels) ever runs down a branch.
    """CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
        parent_id INTEGER REFERENCES messages(id),
        role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
        content TEXT NOT NULL DEFAULT '',
        created_at REAL NOT NULL,
        model TEXT,
        stats TEXT,
        partial INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX messages_by_parent ON messages(parent_id, id)",
    "CREATE INDEX messages_by_conversation ON messages(conversation_id, parent_id, id)",
    "CREATE INDEX conversations_recent ON conversations(updated_at)",
)

_V2 = (
    # depth = position in its branch: a page of a long branch is found without walking it all
    "ALTER TABLE messages ADD COLUMN depth INTEGER NOT NULL DEFAULT 0",
    "CREATE TEMP TABLE message_depths (id INTEGER PRIMARY KEY, depth INTEGER NOT NULL)",
    """WITH RECURSIVE walk(id, depth) AS (
        SELECT id, 0 FROM messages WHERE parent_id IS NULL
        UNION ALL
        SELECT m.id, walk.depth + 1 FROM messages m JOIN walk ON m.parent_id = walk.id
    ) INSERT INTO message_depths SELECT id, depth FROM walk""",
    """UPDATE messages SET depth =
        (SELECT depth FROM message_depths WHERE message_depths.id = messages.id)""",
    "DROP TABLE message_depths",
    # delete with undo: a deleted conversation is hidden first and purged later
    "ALTER TABLE conversations ADD COLUMN deleted_at REAL",
    "DROP INDEX conversations_recent",
    """CREATE INDEX conversations_listed ON conversations(updated_at DESC, id DESC)
        WHERE deleted_at IS NULL""",
    # full-text search over every message, kept in step by triggers
    """CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, content='messages', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END""",
    """CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
    END""",
    """CREATE TRIGGER messages_fts_update AFTER UPDATE OF content ON messages BEGIN
        INSERT INTO messages_fts(messages_fts, rowid, content) VALUES ('delete', old.id, old.content);
        INSERT INTO messages_fts(rowid, content) VALUES (new.id, new.content);
    END""",
    "INSERT INTO messages_fts(messages_fts) VALUES ('rebuild')",
)

_V3 = (
    # a structured reply's check against its response format (valid, or the first error and
    # where), as JSON; NULL for free text and for replies written before
    "ALTER TABLE messages ADD COLUMN validation TEXT",
)

_V4 = (
    # a reply's tokens with their probabilities and alternatives (chat.tokens.ReplyTokens:
    # int32 ids and float16 log-probabilities in one BLOB, about 60 bytes a token); NULL for
    # replies written without them and before
    "ALTER TABLE messages ADD COLUMN tokens BLOB",
)

_V5 = (
    # what a conversation takes from the person's documents (history.sources): the collections
    # it searches, and each reply's passages (its sources) as JSON; in tables of their own
    """CREATE TABLE conversation_documents (
        conversation_id INTEGER PRIMARY KEY REFERENCES conversations(id) ON DELETE CASCADE,
        collections TEXT NOT NULL
    )""",
    """CREATE TABLE message_sources (
        message_id INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
        passages TEXT NOT NULL
    )""",
)

MIGRATIONS: tuple[tuple[str, ...], ...] = (_V1, _V2, _V3, _V4, _V5)
SCHEMA_VERSION = len(MIGRATIONS)


# -- errors ------------------------------------------------------------------------------------
_CODES = {  # SQLite primary result codes, for Pythons whose sqlite3 errors lack them
    "file is not a database": 26,
    "database disk image is malformed": 11,
    "attempt to write a readonly database": 8,
    "unable to open database file": 14,
    "database or disk is full": 13,
    "database is locked": 5,
    "disk I/O error": 10,
}
_CORRUPT, _NOTADB = 11, 26


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(exc)
    return next((c for phrase, c in _CODES.items() if phrase in text), None)


def is_corruption(exc: sqlite3.Error) -> bool:
    return _primary_code(exc) in (_CORRUPT, _NOTADB)


def translate(exc: sqlite3.Error, database: Path) -> LocalChatError:
    """The error a person should see for a failed SQLite call on ``database``."""
    code = _primary_code(exc)
    if code in (3, 8, 14, 23):  # PERM, READONLY, CANTOPEN, AUTH
        return DataDirError(
            f"localchat cannot write its conversation history in {database.parent}: "
            f"the folder or the file {database.name} is read-only or cannot be opened ({exc}).",
            f"Fix the folder's permissions, or choose another data folder with --data-dir or "
            f"{ENV_DATA_DIR}.",
        )
    if code == 13:
        return StoreError("The disk holding your conversation history is full; the last change "
                          "was not saved.", "Free some disk space, then try again.")
    if code in (5, 6):
        return StoreError(
            "The conversation history is busy: another localchat window has been writing to it "
            f"for more than {BUSY_TIMEOUT_S:.0f} seconds.", "Try again in a moment.")
    if "fts5" in str(exc):
        return StoreError("This Python's SQLite has no full-text search (FTS5), which the "
                          "conversation history needs.",
                          "Use the localchat installer, or a Python whose sqlite3 includes FTS5.")
    if code in (_CORRUPT, _NOTADB):
        return CorruptDatabaseError(
            f"Your conversation history file {database} is damaged ({exc}).",
            "Restart localchat: it will check the file, keep the damaged copy aside and start a "
            "fresh history.")
    return StoreError(f"The conversation history could not be read or written: {exc}.",
                      "Try again; if it keeps happening, report it with the log file.")


# -- opening -----------------------------------------------------------------------------------
def needs_check_marker(database: Path) -> Path:
    """Left by a run that met a damaged page: the next open checks the whole file."""
    return database.with_name(database.name + ".needs-check")


class _Damaged(Exception):
    pass


def open_database(database: Path) -> tuple[sqlite3.Connection, CorruptDatabaseError | None]:
    """Open (creating or migrating as needed) the history database.

    Returns the connection and, when the file was damaged and has been replaced by a fresh one,
    the error to show the person. Raises ``DataDirError`` when the folder is read-only and
    ``StoreError`` for a database written by a newer localchat (left untouched)."""
    try:
        database.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirError(
            f"localchat cannot create its data folder {database.parent}: {exc.strerror or exc}.",
            f"Choose another folder with --data-dir or {ENV_DATA_DIR}, or fix its permissions.",
        ) from exc
    marker = needs_check_marker(database)
    try:
        conn = _open_checked(database, thorough=marker.exists())
    except _Damaged as exc:
        damage: Exception = exc
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise translate(exc, database) from exc
        damage = exc
    else:
        marker.unlink(missing_ok=True)
        return conn, None
    aside = _move_aside(database)
    log.warning("history database %s is damaged (%s); moved to %s", database, damage, aside)
    try:
        conn = _open_checked(database, thorough=False)
    except sqlite3.Error as exc:
        raise translate(exc, database) from exc
    marker.unlink(missing_ok=True)
    return conn, CorruptDatabaseError(
        f"Your conversation history file was damaged and could not be read ({damage}). "
        f"It was moved to {aside} and a new, empty history was started.",
        "Nothing was deleted: a SQLite recovery tool (sqlite3 … '.recover') may get the old "
        "conversations back from the moved file.",
    )


def _open_checked(database: Path, thorough: bool) -> sqlite3.Connection:
    # isolation_level=None: transactions are explicit (BEGIN IMMEDIATE), never implicit
    conn = sqlite3.connect(str(database), timeout=BUSY_TIMEOUT_S, isolation_level=None)
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a non-database fails here
        if thorough:
            result = [row[0] for row in conn.execute("PRAGMA quick_check(5)")]
            if result != ["ok"]:
                raise _Damaged("; ".join(result))
        _refuse_newer(conn)
        conn.execute("PRAGMA journal_mode = WAL")  # after the version check: a newer file stays as it is
        migrate(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _move_aside(database: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.damaged-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = database.with_name(f"{database.name}.damaged-{stamp}-{n}")
    try:
        os.replace(database, aside)
        for suffix in ("-wal", "-shm"):
            side = database.with_name(database.name + suffix)
            if side.exists():
                os.replace(side, aside.with_name(aside.name + suffix))
    except OSError as exc:
        raise StoreError(
            f"Your conversation history file {database} is damaged and could not be moved "
            f"aside: {exc.strerror or exc}.",
            "Move or rename the file yourself, then start localchat again.",
        ) from exc
    return aside


def _refuse_newer(conn: sqlite3.Connection) -> int:
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"Your conversation history was written by a newer localchat (schema {version}; "
            f"this one knows up to {SCHEMA_VERSION}).",
            "Update localchat, or use --data-dir to keep this version's history elsewhere.",
        )
    return version


def migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema to ``SCHEMA_VERSION``; two processes may race here, one waits."""
    version = _refuse_newer(conn)
    if version == SCHEMA_VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number]:
                conn.execute(statement)
            log.info("history database migrated to schema %d", number + 1)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
