"""The documents index in SQLite: collections, their files, chunks, FTS5, vectors, the queue.

One database (``documents.sqlite3`` in the data folder) holds every collection:

- ``collections`` and their ``sources`` (folders and files a person added);
- ``documents``: one row per file found, with its size, mtime, sha256 and ``FileStatus``;
- ``chunks``: the text of each passage with its page, character offsets and heading path, and
  ``chunks_fts`` (FTS5, external content, kept in sync by triggers);
- one ``vec0`` table per embedding model (``vector_tables`` names them), partitioned by
  collection, cosine distance; searched from a copy in memory (``documents.vectors``) that
  ``changes.generation`` (bumped by triggers on ``chunks``) says is current (the searches
  themselves are in ``documents.search``);
- ``embedding_cache``: vectors by (model, prefix, chunk hash), so a renamed, moved or re-saved
  file costs no embedding;
- ``queue``: the files still to index or remove. It is written before the work starts and a
  row leaves it in the same transaction that stores its file, so a killed indexer resumes
  where it stopped.
"""

from __future__ import annotations

import enum
import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from localchat.core.documents.db import DocumentIndexError, connect
from localchat.core.documents.search import SearchIndex
from localchat.core.errors import LocalChatError

INDEX_FILENAME = "documents.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS collections (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created REAL NOT NULL,
    paused INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    UNIQUE (collection_id, path)
);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    pages INTEGER,
    indexed_at REAL,
    UNIQUE (collection_id, path)
);
CREATE TABLE IF NOT EXISTS chunks (
    id INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    text TEXT NOT NULL,
    heading TEXT NOT NULL DEFAULT '',
    page INTEGER,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    tokens INTEGER NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(document_id, seq);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
    text, heading, content='chunks', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER IF NOT EXISTS chunks_ai AFTER INSERT ON chunks BEGIN
    INSERT INTO chunks_fts(rowid, text, heading) VALUES (new.id, new.text, new.heading);
END;
CREATE TRIGGER IF NOT EXISTS chunks_ad AFTER DELETE ON chunks BEGIN
    INSERT INTO chunks_fts(chunks_fts, rowid, text, heading) VALUES ('delete', old.id, old.text, old.heading);
END;
-- bumped with every passage written or deleted: an in-memory copy of the vectors is stale
-- when it differs (documents.vectors); written by the writer's own statements, never on open
CREATE TABLE IF NOT EXISTS changes (id INTEGER PRIMARY KEY CHECK (id = 1), generation INTEGER NOT NULL);
CREATE TRIGGER IF NOT EXISTS chunks_changed_ai AFTER INSERT ON chunks BEGIN
    INSERT OR REPLACE INTO changes VALUES (1, coalesce((SELECT generation FROM changes WHERE id = 1), 0) + 1);
END;
CREATE TRIGGER IF NOT EXISTS chunks_changed_ad AFTER DELETE ON chunks BEGIN
    INSERT OR REPLACE INTO changes VALUES (1, coalesce((SELECT generation FROM changes WHERE id = 1), 0) + 1);
END;
CREATE TABLE IF NOT EXISTS vector_tables (
    model TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    dim INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS embedding_cache (
    model TEXT NOT NULL,
    prefix TEXT NOT NULL,
    hash TEXT NOT NULL,
    vector BLOB NOT NULL,
    PRIMARY KEY (model, prefix, hash)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS queue (
    id INTEGER PRIMARY KEY,
    collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    UNIQUE (collection_id, path)
);
"""


class CollectionError(LocalChatError):
    """A collection that does not exist, or a name or path that cannot be used."""


class FileStatus(enum.Enum):
    """What became of one file of a collection."""

    INDEXED = "indexed"
    EMPTY = "empty"
    NEEDS_OCR = "needs OCR"
    FAILED = "failed"
    SKIPPED_BINARY = "skipped: binary"
    SKIPPED_LARGE = "skipped: too large"


@dataclass(frozen=True)
class Collection:
    id: int
    name: str
    sources: tuple[str, ...]
    paused: bool


@dataclass(frozen=True)
class DocumentRecord:
    id: int
    collection_id: int
    path: str
    size: int
    mtime_ns: int
    sha256: str | None
    status: FileStatus
    reason: str | None
    chunks: int


@dataclass(frozen=True)
class ChunkDraft:
    """A passage before it is stored: its text and where it came from."""

    text: str
    heading: str
    page: int | None
    start: int
    end: int
    tokens: int  # an estimate (four characters a token), for packing into a prompt

    @property
    def embedded_text(self) -> str:
        """What the embedding model reads: the heading path, then the passage."""
        return f"{self.heading}\n{self.text}" if self.heading else self.text

    @property
    def hash(self) -> str:
        """The embedding cache's key (with the model and its prefix)."""
        return hashlib.sha256(self.embedded_text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChunkRecord:
    id: int
    document_id: int
    collection_id: int
    path: str
    seq: int
    text: str
    heading: str
    page: int | None
    start: int
    end: int
    tokens: int


@dataclass(frozen=True)
class CollectionProgress:
    files: int
    queued: int
    chunks: int
    by_status: dict


def _vector_blob(vector: Sequence[float]) -> bytes:
    import sqlite_vec

    return sqlite_vec.serialize_float32(list(vector))


class DocumentStore(SearchIndex):
    """The index. Not thread-safe: each thread opens its own (``DocumentStore.open(path)``)."""

    def __init__(self, conn, path: Path):
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path | str) -> "DocumentStore":
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = connect(path)
        try:
            conn.executescript(SCHEMA)
        except Exception as exc:
            conn.close()
            raise DocumentIndexError(f"The documents index {path} is damaged: {exc}.",
                                     "Move it aside; localchat builds a new one.") from exc
        return cls(conn, path)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "DocumentStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- collections ---------------------------------------------------------------------------
    def add_collection(self, name: str, paths: Iterable[str | Path]) -> Collection:
        """Create ``name`` (or add to it) with these folders and files."""
        name = name.strip()
        if not name:
            raise CollectionError("A collection needs a name.", "Give it one, e.g. `docs add notes ~/Notes`.")
        resolved = []
        for path in paths:
            full = Path(path).expanduser().resolve()
            if not full.exists():
                raise CollectionError(f"There is no file or folder {full}.", "Check the path.")
            resolved.append(str(full))
        with self.conn:
            self.conn.execute("INSERT OR IGNORE INTO collections(name, created) VALUES (?, ?)",
                              (name, time.time()))
            cid = self.conn.execute("SELECT id FROM collections WHERE name = ?", (name,)).fetchone()[0]
            self.conn.executemany("INSERT OR IGNORE INTO sources(collection_id, path) VALUES (?, ?)",
                                  [(cid, p) for p in resolved])
        return self.collection(name)

    def collections(self) -> list[Collection]:
        rows = self.conn.execute("SELECT name FROM collections ORDER BY name").fetchall()
        return [self.collection(r[0]) for r in rows]

    def collection(self, name: str) -> Collection:
        row = self.conn.execute("SELECT id, name, paused FROM collections WHERE name = ?", (name,)).fetchone()
        if row is None:
            known = ", ".join(r[0] for r in self.conn.execute("SELECT name FROM collections ORDER BY name"))
            raise CollectionError(f"There is no collection called \"{name}\".",
                                  f"Collections: {known}." if known else
                                  "Make one with `localchat docs add NAME FOLDER`.")
        sources = tuple(r[0] for r in self.conn.execute(
            "SELECT path FROM sources WHERE collection_id = ? ORDER BY path", (row["id"],)))
        return Collection(row["id"], row["name"], sources, bool(row["paused"]))

    def remove_collection(self, name: str) -> None:
        collection = self.collection(name)
        with self.conn:
            for table in self.vector_tables():
                self.conn.execute(f"DELETE FROM {table} WHERE collection_id = ?", (collection.id,))
            self.conn.execute("DELETE FROM chunks WHERE document_id IN "
                              "(SELECT id FROM documents WHERE collection_id = ?)", (collection.id,))
            self.conn.execute("DELETE FROM collections WHERE id = ?", (collection.id,))

    def set_paused(self, name: str, paused: bool) -> None:
        with self.conn:
            self.conn.execute("UPDATE collections SET paused = ? WHERE name = ?", (int(paused), name))

    # -- documents -----------------------------------------------------------------------------
    def documents(self, collection_id: int) -> dict[str, DocumentRecord]:
        rows = self.conn.execute(
            "SELECT d.*, (SELECT count(*) FROM chunks c WHERE c.document_id = d.id) AS n "
            "FROM documents d WHERE collection_id = ?", (collection_id,))
        return {r["path"]: DocumentRecord(r["id"], r["collection_id"], r["path"], r["size"], r["mtime_ns"],
                                          r["sha256"], FileStatus(r["status"]), r["reason"], r["n"])
                for r in rows}

    def progress(self, collection_id: int) -> CollectionProgress:
        by_status = dict(self.conn.execute(
            "SELECT status, count(*) FROM documents WHERE collection_id = ? GROUP BY status",
            (collection_id,)).fetchall())
        queued = self.conn.execute("SELECT count(*) FROM queue WHERE collection_id = ?",
                                   (collection_id,)).fetchone()[0]
        chunks = self.conn.execute("SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
                                   "WHERE d.collection_id = ?", (collection_id,)).fetchone()[0]
        return CollectionProgress(sum(by_status.values()), queued, chunks, by_status)

    # -- the queue -----------------------------------------------------------------------------
    def enqueue(self, collection_id: int, paths: Iterable[str]) -> None:
        with self.conn:
            self.conn.executemany("INSERT OR IGNORE INTO queue(collection_id, path) VALUES (?, ?)",
                                  [(collection_id, p) for p in paths])

    def queued(self, collection_id: int) -> list[str]:
        return [r[0] for r in self.conn.execute(
            "SELECT path FROM queue WHERE collection_id = ? ORDER BY id", (collection_id,))]

    def _dequeue(self, collection_id: int, path: str) -> None:
        self.conn.execute("DELETE FROM queue WHERE collection_id = ? AND path = ?", (collection_id, path))

    # -- writing one file's result (each in one transaction, with its queue row) --------------
    def store_document(self, collection_id: int, path: str, *, size: int, mtime_ns: int,
                       sha256: str | None, status: FileStatus, reason: str | None = None,
                       pages: int | None = None, chunks: Sequence[ChunkDraft] = (),
                       vectors: Sequence[Sequence[float]] = (), model: str | None = None) -> None:
        """Replace whatever the index had of ``path`` by this, and take it off the queue."""
        if chunks and len(vectors) != len(chunks):
            raise ValueError("one vector per chunk")
        table = self.vector_table(model, len(vectors[0])) if chunks else None
        with self.conn:
            self._delete_document(collection_id, path)
            cur = self.conn.execute(
                "INSERT INTO documents(collection_id, path, size, mtime_ns, sha256, status, reason, pages, "
                "indexed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (collection_id, path, size, mtime_ns, sha256, status.value, reason, pages, time.time()))
            doc_id = cur.lastrowid
            for seq, (chunk, vector) in enumerate(zip(chunks, vectors, strict=True)):
                cur = self.conn.execute(
                    'INSERT INTO chunks(document_id, seq, text, heading, page, start, "end", tokens, hash) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc_id, seq, chunk.text, chunk.heading, chunk.page, chunk.start, chunk.end,
                     chunk.tokens, chunk.hash))
                self.conn.execute(f"INSERT INTO {table}(chunk_id, collection_id, embedding) VALUES (?, ?, ?)",
                                  (cur.lastrowid, collection_id, _vector_blob(vector)))
            self._dequeue(collection_id, path)

    def touch_document(self, collection_id: int, path: str, *, size: int, mtime_ns: int) -> None:
        """The file was saved again with the same content: only its size and time change."""
        with self.conn:
            self.conn.execute("UPDATE documents SET size = ?, mtime_ns = ? "
                              "WHERE collection_id = ? AND path = ?", (size, mtime_ns, collection_id, path))
            self._dequeue(collection_id, path)

    def remove_document(self, collection_id: int, path: str) -> None:
        with self.conn:
            self._delete_document(collection_id, path)
            self._dequeue(collection_id, path)

    def _delete_document(self, collection_id: int, path: str) -> None:
        row = self.conn.execute("SELECT id FROM documents WHERE collection_id = ? AND path = ?",
                                (collection_id, path)).fetchone()
        if row is None:
            return
        ids = [r[0] for r in self.conn.execute("SELECT id FROM chunks WHERE document_id = ?", (row[0],))]
        for table in self.vector_tables():
            self.conn.executemany(f"DELETE FROM {table} WHERE chunk_id = ?", [(i,) for i in ids])
        self.conn.execute("DELETE FROM chunks WHERE document_id = ?", (row[0],))
        self.conn.execute("DELETE FROM documents WHERE id = ?", (row[0],))

    # -- vectors -------------------------------------------------------------------------------
    def missing_vectors(self, collection_id: int, model: str) -> set[str]:
        """Indexed files with a passage that has no vector of ``model`` (indexed with another
        embedding model): they are embedded again."""
        table = self.vector_table(model)
        # not correlated: SQLite reads the collection's vector ids once, into a temporary index
        missing_chunk = ("1" if table is None else
                         f"c.id NOT IN (SELECT chunk_id FROM {table} WHERE collection_id = ?)")
        params = (collection_id,) if table is None else (collection_id, collection_id)
        return {r[0] for r in self.conn.execute(
            "SELECT DISTINCT d.path FROM documents d JOIN chunks c ON c.document_id = d.id "
            f"WHERE d.collection_id = ? AND {missing_chunk}", params)}

    def vector_tables(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM vector_tables")]

    def vector_table(self, model: str | None, dim: int | None = None) -> str | None:
        """The vec0 table of ``model``'s vectors, made when ``dim`` is given and there is none."""
        if model is None:
            return None
        row = self.conn.execute("SELECT name, dim FROM vector_tables WHERE model = ?", (model,)).fetchone()
        if row is not None:
            if dim is not None and row["dim"] != dim:
                raise DocumentIndexError(f"The embedding model {model} gave {dim} numbers, not {row['dim']}.",
                                         "Remove the collection and index it again.")
            return row["name"]
        if dim is None:
            return None
        name = "vec_" + hashlib.sha1(model.encode("utf-8")).hexdigest()[:12]
        with self.conn:
            self.conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING vec0("
                              "chunk_id integer primary key, collection_id integer partition key, "
                              f"embedding float[{int(dim)}] distance_metric=cosine)")
            self.conn.execute("INSERT INTO vector_tables(model, name, dim) VALUES (?, ?, ?)",
                              (model, name, dim))
        return name

    def cached_vectors(self, model: str, prefix: str, hashes: Iterable[str]) -> dict[str, list[float]]:
        import numpy as np

        found = {}
        wanted = list(dict.fromkeys(hashes))
        for start in range(0, len(wanted), 500):
            part = wanted[start:start + 500]
            rows = self.conn.execute(
                f"SELECT hash, vector FROM embedding_cache WHERE model = ? AND prefix = ? "
                f"AND hash IN ({','.join('?' * len(part))})", (model, prefix, *part))
            for h, blob in rows:
                found[h] = np.frombuffer(blob, dtype=np.float32).tolist()
        return found

    def cache_vectors(self, model: str, prefix: str, vectors: dict[str, Sequence[float]]) -> None:
        with self.conn:
            self.conn.executemany("INSERT OR REPLACE INTO embedding_cache VALUES (?, ?, ?, ?)",
                                  [(model, prefix, h, _vector_blob(v)) for h, v in vectors.items()])

    # -- search: documents.search (keyword_search, vector_search, distances, …) ---------------
    _CHUNK = ('SELECT c.id, c.document_id, d.collection_id, d.path, c.seq, c.text, c.heading, c.page, '
              'c.start, c."end", c.tokens FROM chunks c JOIN documents d ON d.id = c.document_id ')

    def chunks(self, ids: Sequence[int]) -> dict[int, ChunkRecord]:
        found = {}
        for start in range(0, len(ids), 500):
            part = list(ids[start:start + 500])
            for r in self.conn.execute(self._CHUNK + f"WHERE c.id IN ({','.join('?' * len(part))})", part):
                found[r[0]] = ChunkRecord(*r)
        return found

    def document_chunks(self, document_id: int) -> list[ChunkRecord]:
        return [ChunkRecord(*r) for r in self.conn.execute(
            self._CHUNK + "WHERE c.document_id = ? ORDER BY c.seq", (document_id,))]

    def chunk_count(self, collection_ids: Sequence[int] | None = None) -> int:
        if collection_ids is None:
            return self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        marks = ",".join("?" * len(collection_ids))
        return self.conn.execute(f"SELECT count(*) FROM chunks c JOIN documents d ON d.id = c.document_id "
                                 f"WHERE d.collection_id IN ({marks})", list(collection_ids)).fetchone()[0]
