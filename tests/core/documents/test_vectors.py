"""Vector search from the vectors held in memory: the same passages, in the same order, as
sqlite-vec's vec0 finds on the disk, per collection; a passage written or deleted since the
vectors were read is found or gone at the next search; common words are left out of BM25."""

from __future__ import annotations

import numpy as np
import pytest

from localchat.core.documents.store import ChunkDraft, DocumentStore, FileStatus
from localchat.core.documents.vectors import CACHE

DIM = 16


def unit(rng) -> list[float]:
    v = rng.normal(size=DIM).astype(np.float32)
    return (v / np.linalg.norm(v)).tolist()


def add(store, collection, path: str, texts, rng) -> None:
    drafts = [ChunkDraft(t, "", None, 0, len(t), len(t) // 4) for t in texts]
    store.store_document(collection.id, path, size=1, mtime_ns=1, sha256=path, status=FileStatus.INDEXED,
                         chunks=drafts, vectors=[unit(rng) for _ in drafts], model="m")


def test_in_memory_search_ranks_as_vec0_and_follows_every_change(tmp_path):
    rng = np.random.default_rng(0)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with DocumentStore.open(tmp_path / "index.sqlite3") as store:
        first = store.add_collection("first", [tmp_path / "a"])
        second = store.add_collection("second", [tmp_path / "b"])
        for i in range(150):  # more than one vec0 chunk of each collection, interleaved
            texts = [f"passage {i} {j}" for j in range(10)]
            add(store, first if i % 3 else second, f"/doc{i}.txt", texts, rng)
        CACHE.clear()
        for _ in range(5):
            query = unit(rng)
            for ids in ([first.id], [second.id], [first.id, second.id]):
                # vec0 answers k for each collection of the IN list: the best 50 of those
                on_disk = sorted(store.vector_search("m", ids, query, 50, in_memory=False),
                                 key=lambda hit: hit[1])[:50]
                in_memory = store.vector_search("m", ids, query, 50)
                assert [c for c, _ in in_memory] == [c for c, _ in on_disk]
                assert np.allclose([d for _, d in in_memory], [d for _, d in on_disk], atol=1e-5)

        target = unit(rng)
        add(store, second, "/new.txt", ["the newest passage"], np.random.default_rng(1))
        new_id = max(store.document_chunks(store.documents(second.id)["/new.txt"].id), key=lambda c: c.id).id
        found = store.vector_search("m", [second.id], store_vector(store, new_id), 1)
        assert found[0][0] == new_id, "written after the vectors were read: found at once"
        store.remove_document(second.id, "/new.txt")
        assert new_id not in [c for c, _ in store.vector_search("m", [second.id], target, 2000)]


def store_vector(store, chunk_id: int) -> list[float]:
    table = store.vector_table("m")
    blob = store.conn.execute(f"SELECT embedding FROM {table} WHERE chunk_id = ?", (chunk_id,)).fetchone()[0]
    return np.frombuffer(blob, dtype=np.float32).tolist()


@pytest.fixture
def common_and_rare(tmp_path):
    """An index where "file" and "number" are in most passages and "quokka" in one."""
    rng = np.random.default_rng(0)
    (tmp_path / "a").mkdir()
    with DocumentStore.open(tmp_path / "index.sqlite3") as store:
        collection = store.add_collection("c", [tmp_path / "a"])
        add(store, collection, "/common.txt", [f"the file number {i}" for i in range(40)], rng)
        add(store, collection, "/rare.txt", ["quokka file"], rng)
        yield store, collection, rng


def test_words_in_most_passages_are_left_out_of_the_keyword_search(common_and_rare):
    store, _, _ = common_and_rare
    assert store.selective_words(["file", "quokka"], 0.1) == ["quokka"]
    assert store.selective_words(["file", "number"], 0.1) == ["number"], "all common: the rarest"
    assert store.selective_words(["file"], 0.1) == ["file"]


def test_words_counted_before_a_change_are_counted_again_after_it(common_and_rare):
    store, collection, rng = common_and_rare
    assert store.selective_words(["file", "quokka"], 0.1) == ["quokka"]
    add(store, collection, "/quokkas.txt", [f"quokka {i}" for i in range(400)], rng)
    assert store.selective_words(["file", "quokka"], 0.1) == ["file"], "quokka is common now"


def reference_keyword_search(store, collection_ids, match, limit):
    """Every match joined to its document, the collections filtered, then sorted: slow, plain."""
    marks = ",".join("?" * len(collection_ids))
    rows = store.conn.execute(
        "SELECT f.rowid, bm25(chunks_fts) FROM chunks_fts f JOIN chunks c ON c.id = f.rowid "
        f"JOIN documents d ON d.id = c.document_id WHERE chunks_fts MATCH ? AND d.collection_id IN ({marks})",
        (match, *collection_ids)).fetchall()
    return sorted(rows, key=lambda r: (r[1], r[0]))[:limit]


def test_the_keyword_search_keeps_to_its_collections_where_others_share_the_index(tmp_path):
    """The first collection's passages say "quokka" many times and rank first; the second's,
    once: the second's best are found all the same, and only them."""
    rng = np.random.default_rng(0)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with DocumentStore.open(tmp_path / "index.sqlite3") as store:
        first = store.add_collection("first", [tmp_path / "a"])
        second = store.add_collection("second", [tmp_path / "b"])
        for i in range(30):
            add(store, first, f"/a{i}.txt", [f"quokka quokka quokka quokka {i} {j}" for j in range(10)], rng)
        for i in range(12):
            text = f"a quokka seen in the long grass near the river, {i} {'x ' * i}"
            add(store, second, f"/b{i}.txt", [text], rng)
        second_ids = {c.id for d in store.documents(second.id).values() for c in store.document_chunks(d.id)}
        for ids in ([second.id], [first.id], [first.id, second.id]):
            for limit in (5, 50):
                found = store.keyword_search(ids, '"quokka"', limit)
                expected = reference_keyword_search(store, ids, '"quokka"', limit)
                assert sorted(s for _, s in found) == [s for _, s in expected]
                if ids == [second.id]:
                    assert {c for c, _ in found} <= second_ids and len(found) == min(limit, 12)
                if ids == [first.id]:
                    assert not {c for c, _ in found} & second_ids


def test_distances_of_keyword_hits_come_from_the_vectors_in_memory(tmp_path):
    """Passages stored with their vectors but no embedding cache (as an index another model
    left): their distances to a question are still known."""
    rng = np.random.default_rng(0)
    (tmp_path / "a").mkdir()
    with DocumentStore.open(tmp_path / "index.sqlite3") as store:
        collection = store.add_collection("c", [tmp_path / "a"])
        add(store, collection, "/doc.txt", [f"passage {i}" for i in range(30)], rng)
        chunk_ids = [c.id for c in store.document_chunks(store.documents(collection.id)["/doc.txt"].id)]
        query = unit(rng)
        found = store.distances("m", "", chunk_ids[::3], query)
        assert sorted(found) == chunk_ids[::3]
        for cid, distance in found.items():
            assert distance == pytest.approx(1.0 - float(np.dot(store_vector(store, cid), query)), abs=1e-5)
