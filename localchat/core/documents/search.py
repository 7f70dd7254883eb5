"""Searching the documents index: BM25 through FTS5, vectors through the copy held in memory.

``DocumentStore`` takes these methods (``SearchIndex`` is its base), so a search is
``store.keyword_search(…)`` and ``store.vector_search(…)``; they live here apart from the
writing of the index. What a search at 100,000 passages costs, and what keeps it low:

- how many passages each of the question's words matches (to leave out the common ones) is
  counted once per word and kept until a passage is written or deleted (``WordCounts``): a
  common word is the costly one to count, and the one that comes back in the next question;
- BM25's best are kept as SQLite goes (``ORDER BY bm25(…) LIMIT``), not sorted whole as FTS5's
  ``ORDER BY rank`` does; where other collections share the index, the best four times as many
  are filtered, and only when fewer than asked remain is every match joined to its document;
- the cosine distance of a keyword hit that the vector list missed is read from the vectors in
  memory, not from the embedding cache on the disk.
"""

from __future__ import annotations

import threading
from typing import Sequence


class WordCounts:
    """Per index file: passages matched by each word, as of one ``generation`` of the index."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_path: dict[str, tuple[int, int, dict[str, int]]] = {}  # path → (generation, total, counts)

    def get(self, path: str, generation: int, words: Sequence[str]) -> tuple[int | None, dict[str, int]]:
        """(passages in the index, counts known of these words) as of this generation; (None,
        {}) when what is kept is of another generation."""
        with self._lock:
            found = self._by_path.get(path)
            if found is None or found[0] != generation:
                return None, {}
            return found[1], {w: found[2][w] for w in words if w in found[2]}

    def put(self, path: str, generation: int, total: int, counts: dict[str, int]) -> None:
        with self._lock:
            found = self._by_path.get(path)
            known = found[2] if found is not None and found[0] == generation else {}
            if len(known) > 50_000:  # a long session of questions: start again
                known = {}
            self._by_path[path] = (generation, total, {**known, **counts})

    def clear(self) -> None:
        with self._lock:
            self._by_path.clear()


WORD_COUNTS = WordCounts()


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class SearchIndex:
    """The search half of ``DocumentStore`` (which gives ``conn`` and ``path``)."""

    conn: object
    path: object

    def generation(self) -> int:
        """A number that changes whenever a passage is written or deleted."""
        row = self.conn.execute("SELECT generation FROM changes WHERE id = 1").fetchone()
        return row[0] if row is not None else 0

    def _key(self) -> str:
        return str(self.path.resolve())

    def word_counts(self, words: Sequence[str]) -> tuple[int, dict[str, int]]:
        """(passages in the index, passages each word matches)."""
        generation = self.generation()
        total, counts = WORD_COUNTS.get(self._key(), generation, words)
        if total is None:
            total = self.conn.execute("SELECT count(*) FROM chunks").fetchone()[0]
        new = {w: self.conn.execute("SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
                                    (_quoted(w),)).fetchone()[0] for w in words if w not in counts}
        if new or not counts:  # (a first put keeps the total, even of no word)
            WORD_COUNTS.put(self._key(), generation, total, new)
        return total, {**counts, **new}

    def selective_words(self, words: Sequence[str], share: float) -> list[str]:
        """The words that match at most ``share`` of the passages (the rarest one when every
        word is that common). A word in most passages weighs next to nothing in BM25, yet FTS5
        scores every passage it matches: at 100,000 passages "file" alone is 40,000 rows."""
        if len(words) < 2:
            return list(words)
        total, counts = self.word_counts(words)
        kept = [w for w in words if counts[w] <= share * total]
        return kept or [min(words, key=lambda w: counts[w])]

    def _whole_index(self, collection_ids: Sequence[int]) -> bool:
        """Whether these collections are every collection of the index."""
        return {r[0] for r in self.conn.execute("SELECT id FROM collections")} <= set(collection_ids)

    def keyword_search(self, collection_ids: Sequence[int], match: str,
                       limit: int) -> list[tuple[int, float]]:
        """(chunk id, BM25 score: lower is better) of the best ``limit`` FTS5 matches."""
        # ORDER BY bm25() LIMIT: SQLite keeps the best ``limit`` as it goes; FTS5's own ORDER
        # BY rank sorts every match first (twice the time with 20,000 matches)
        wide = limit if self._whole_index(collection_ids) else limit * 4
        best = [(r[0], r[1]) for r in self.conn.execute(
            "SELECT rowid, bm25(chunks_fts) AS score FROM chunks_fts WHERE chunks_fts MATCH ? "
            "ORDER BY score LIMIT ?", (match, wide))]
        if wide == limit:
            return best
        # other collections share the index: the best of the wider list that are in these
        # collections are the best of these collections, if there are ``limit`` of them
        marks = ",".join("?" * len(collection_ids))
        ids = [cid for cid, _ in best]
        inside = {r[0] for r in self.conn.execute(
            "SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id "
            f"WHERE c.id IN ({','.join('?' * len(ids))}) AND d.collection_id IN ({marks})",
            (*ids, *collection_ids))} if ids else set()
        kept = [hit for hit in best if hit[0] in inside]
        if len(kept) >= limit or len(best) < wide:
            return kept[:limit]
        # FTS5 first, once (MATERIALIZED): joined the other way, SQLite asks the FTS index once
        # per chunk of the collection (164 s at 100,000 chunks instead of milliseconds)
        return [(r[0], r[1]) for r in self.conn.execute(
            "WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(chunks_fts) AS score FROM chunks_fts "
            "WHERE chunks_fts MATCH ?) "
            "SELECT h.id, h.score FROM hits h JOIN chunks c ON c.id = h.id "
            f"JOIN documents d ON d.id = c.document_id WHERE d.collection_id IN ({marks}) "
            "ORDER BY h.score LIMIT ?", (match, *collection_ids, limit))]

    def _vectors(self, model: str):
        """(vec0 table, the vectors in memory or None where vec0 must search) of ``model``;
        (None, None) when it has no vectors here."""
        from localchat.core.documents.vectors import CACHE

        row = self.conn.execute("SELECT name, dim FROM vector_tables WHERE model = ?", (model,)).fetchone()
        if row is None:
            return None, None
        return row["name"], CACHE.matrix(self.conn, self._key(), row["name"], row["dim"], self.generation())

    def vectors(self, model: str):
        """``model``'s vectors in memory, current (a ``VectorMatrix``, safe to search from any
        thread); None where vec0 searches on the disk or the model has no vectors here."""
        return self._vectors(model)[1]

    def vector_search(self, model: str, collection_ids: Sequence[int], vector: Sequence[float],
                      limit: int, *, in_memory: bool = True) -> list[tuple[int, float]]:
        """(chunk id, cosine distance) of the ``limit`` nearest chunks: exact, from the vectors
        held in memory (``documents.vectors``), else by vec0 on the disk."""
        from localchat.core.documents.store import _vector_blob

        if in_memory:
            table, matrix = self._vectors(model)
            if matrix is not None:
                return matrix.search(collection_ids, vector, limit)
        else:
            table = self.vector_table(model)
        if table is None:
            return []
        marks = ",".join("?" * len(collection_ids))
        return [(r[0], r[1]) for r in self.conn.execute(
            f"SELECT chunk_id, distance FROM {table} WHERE embedding MATCH ? AND k = ? "
            f"AND collection_id IN ({marks}) ORDER BY distance",
            (_vector_blob(vector), limit, *collection_ids))]

    def distances(self, model: str, prefix: str, chunk_ids: Sequence[int],
                  vector: Sequence[float]) -> dict[int, float]:
        """Cosine distances of these chunks to ``vector`` (for keyword hits beyond the vector
        list): from the vectors in memory, else from the embedding cache (a vec0 lookup by id
        reads its whole chunk of vectors)."""
        import numpy as np

        if not chunk_ids:
            return {}
        _, matrix = self._vectors(model)
        found = matrix.distances(chunk_ids, vector) if matrix is not None else {}
        rest = [c for c in chunk_ids if c not in found]
        if not rest:
            return found
        marks = ",".join("?" * len(rest))
        rows = self.conn.execute(
            "SELECT c.id, e.vector FROM chunks c JOIN embedding_cache e ON e.model = ? AND e.prefix = ? "
            f"AND e.hash = c.hash WHERE c.id IN ({marks})", (model, prefix, *rest)).fetchall()
        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        found.update({cid: 1.0 - float(np.frombuffer(blob, dtype=np.float32) @ query) for cid, blob in rows})
        return found
