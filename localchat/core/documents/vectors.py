"""Vector search over an in-memory copy of a model's vectors, exact, in one matrix product.

sqlite-vec's ``vec0`` KNN is exact but walks its rows one by one: at 100,000 passages of 384
numbers it took 75–95 ms a question on 2 cores (its binary-quantised form still 50 ms), most of
the 50 ms a whole search may take. The same vectors in one float32 matrix are scored by BLAS in
about 20 ms, with the same ranking as vec0 (cosine, the vectors are unit length).

The matrix is read once from vec0's own tables (its rowids, the vector chunks and each chunk's
partition: 0.2 s at 100,000 passages, where a scan through vec0 takes 2 s) and kept per index
file and model, rows grouped by collection. The index's ``changes`` counter (bumped by triggers
on every passage written or deleted) says when the copy is stale; a stale copy is read again.
It costs 4 bytes a number (150 MB at 100,000 passages of 384); past ``MAX_BYTES``, or where
vec0's tables are not laid out as this sqlite-vec version lays them, the search stays in vec0.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Sequence

log = logging.getLogger(__name__)

MAX_BYTES = 1 << 30  # beyond this a collection's vectors are searched by vec0 from the disk


@dataclass
class VectorMatrix:
    """A model's vectors: ``ids[i]`` is the chunk of row ``i``; rows of one collection are
    contiguous (``spans``: collection id → (start, end))."""

    generation: int
    ids: object  # numpy int64 array
    matrix: object  # numpy float32 array, one unit vector a row
    spans: dict
    _by_id: tuple | None = field(default=None, repr=False)  # (chunk ids sorted, their rows)

    def search(self, collection_ids: Sequence[int], vector: Sequence[float],
               limit: int) -> list[tuple[int, float]]:
        import numpy as np

        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        ids, scores = [], []
        for cid in collection_ids:
            start, end = self.spans.get(cid, (0, 0))
            if end > start:
                ids.append(self.ids[start:end])
                scores.append(self.matrix[start:end] @ query)
        if not ids:
            return []
        ids, scores = np.concatenate(ids), np.concatenate(scores)
        k = min(limit, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(int(ids[i]), float(1.0 - scores[i])) for i in top]


    def distances(self, chunk_ids: Sequence[int], vector: Sequence[float]) -> dict[int, float]:
        """Cosine distances of those of these chunks that are held here to ``vector``."""
        import numpy as np

        if self._by_id is None:  # once per matrix: its chunk ids sorted, with their rows
            order = np.argsort(self.ids, kind="stable")
            self._by_id = (self.ids[order], order)
        sorted_ids, rows = self._by_id
        wanted = np.asarray(chunk_ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(sorted_ids, wanted), max(len(sorted_ids) - 1, 0))
        held = sorted_ids[at] == wanted if len(sorted_ids) else np.zeros(len(wanted), dtype=bool)
        if not held.any():
            return {}
        query = np.asarray(vector, dtype=np.float32)
        query /= np.linalg.norm(query) or 1.0
        scores = self.matrix[rows[at[held]]] @ query
        return {int(c): float(1.0 - s) for c, s in zip(wanted[held], scores)}


class NotLoadable(Exception):
    """vec0's tables are not as expected, or the vectors would take too much memory."""


def load(conn, table: str, dim: int, generation: int) -> VectorMatrix:
    """Read ``table``'s vectors from vec0's shadow tables into one matrix."""
    import numpy as np

    try:
        rows = conn.execute(
            f'SELECT r.rowid, r.chunk_id, r.chunk_offset, k.partition00 FROM "{table}_rowids" r '
            f'JOIN "{table}_chunks" k ON k.chunk_id = r.chunk_id').fetchall()
        if len(rows) * dim * 4 > MAX_BYTES:
            raise NotLoadable(f"{len(rows)} vectors of {dim} numbers")
        blobs = {r[0]: r[1] for r in conn.execute(f'SELECT rowid, vectors FROM "{table}_vector_chunks00"')}
    except Exception as exc:  # another sqlite-vec layout (or a damaged table): vec0 searches
        if isinstance(exc, NotLoadable):
            raise
        raise NotLoadable(str(exc)) from exc
    if not rows:
        return VectorMatrix(generation, np.zeros(0, dtype=np.int64), np.zeros((0, dim), dtype=np.float32), {})
    table_rows = np.array([(r[3], r[1], r[2], r[0]) for r in rows], dtype=np.int64)
    table_rows = table_rows[np.lexsort((table_rows[:, 2], table_rows[:, 1], table_rows[:, 0]))]
    matrix = np.empty((len(table_rows), dim), dtype=np.float32)
    chunks = table_rows[:, 1]
    cuts = np.flatnonzero(np.diff(chunks)) + 1  # sorted by collection, then chunk: each chunk one run
    for start, end in zip(np.concatenate(([0], cuts)), np.concatenate((cuts, [len(chunks)]))):
        blob = blobs.get(int(chunks[start]))
        if blob is None:
            raise NotLoadable(f"vector chunk {chunks[start]} is missing")
        vectors = np.frombuffer(blob, dtype=np.float32).reshape(-1, dim)
        offsets = table_rows[start:end, 2]
        if int(offsets.max()) >= len(vectors):
            raise NotLoadable(f"vector chunk {chunks[start]} is shorter than its rows")
        matrix[start:end] = vectors[offsets]
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix /= np.where(norms == 0, 1.0, norms)
    spans, collections = {}, table_rows[:, 0]
    for cid in np.unique(collections):
        found = np.flatnonzero(collections == cid)
        spans[int(cid)] = (int(found[0]), int(found[-1]) + 1)
    return VectorMatrix(generation, table_rows[:, 3].copy(), matrix, spans)


class VectorCache:
    """One matrix per (index file, vec0 table), shared by every connection of the process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._matrices: dict[tuple[str, str], VectorMatrix] = {}
        self._unloadable: set[tuple[str, str, int]] = set()

    def matrix(self, conn, path: str, table: str, dim: int, generation: int) -> VectorMatrix | None:
        """The table's vectors as of ``generation``, read again when they changed; None when
        they cannot be held (vec0 searches instead)."""
        key = (path, table)
        with self._lock:  # one reader at a time: two searches at once read the file once
            found = self._matrices.get(key)
            if found is not None and found.generation == generation:
                return found
            if (path, table, generation) in self._unloadable:
                return None
            try:
                found = load(conn, table, dim, generation)
            except Exception as exc:  # NotLoadable, or rows this code did not expect
                log.info("vectors of %s searched by vec0: %s", table, exc)
                self._unloadable.add((path, table, generation))
                self._matrices.pop(key, None)
                return None
            self._matrices[key] = found
            return found

    def clear(self) -> None:
        with self._lock:
            self._matrices.clear()
            self._unloadable.clear()


CACHE = VectorCache()
