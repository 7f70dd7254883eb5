"""Incremental indexing with the real embedding model: only what changed is embedded (the
embedding calls and passages are counted), and an indexer killed mid-way resumes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from localchat.core.documents.indexer import Indexer
from localchat.core.documents.retrieve import Retriever
from localchat.core.documents.store import DocumentStore, FileStatus

TEXTS = {
    "quokka.txt": "The quokka is a small marsupial that lives on Rottnest Island near Perth.",
    "tower.md": "# Paris\n\nThe Eiffel Tower was finished in 1889 for the World's Fair.",
    "volcano.txt": "Mount Etna on Sicily is one of the most active volcanoes in the world.",
}


@pytest.fixture
def folder(tmp_path):
    notes = tmp_path / "notes"
    notes.mkdir()
    for name, text in TEXTS.items():
        (notes / name).write_text(text, encoding="utf-8")
    return notes


@pytest.fixture
def store(tmp_path):
    with DocumentStore.open(tmp_path / "documents.sqlite3") as store:
        yield store


def index(store, minilm, counting, name="notes"):
    collection = store.collection(name)
    indexer = Indexer(store, minilm, counting)
    queued = indexer.reconcile(collection)
    return queued, indexer.run(collection)


def test_a_folder_is_indexed_in_batches_and_searchable(store, folder, minilm, counting):
    store.add_collection("notes", [folder])
    queued, report = index(store, minilm, counting)
    assert queued == 3 and report.files == 3
    assert counting.calls == 1 and len(counting.texts) == 3  # three passages, one call
    collection = store.collection("notes")
    assert {d.status for d in store.documents(collection.id).values()} == {FileStatus.INDEXED}
    hits = Retriever(store, minilm.key, counting.query).search([collection.id], "Which island has quokkas?")
    assert hits[0].path == str(folder / "quokka.txt")


def test_unchanged_touched_edited_renamed_moved_and_deleted_files_cost_only_what_changed(
        store, folder, minilm, counting, tmp_path):
    store.add_collection("notes", [folder])
    index(store, minilm, counting)
    counting.calls, counting.texts = 0, []

    queued, _ = index(store, minilm, counting)  # nothing changed: nothing queued, nothing read
    assert queued == 0 and counting.calls == 0

    quokka = folder / "quokka.txt"
    os.utime(quokka, ns=(quokka.stat().st_atime_ns, quokka.stat().st_mtime_ns + 10**9))  # touched
    queued, report = index(store, minilm, counting)
    assert queued == 1 and report.unchanged == 1 and counting.calls == 0

    (folder / "volcano.txt").write_text(TEXTS["volcano.txt"] + " It erupted in 2021.", encoding="utf-8")
    queued, report = index(store, minilm, counting)  # edited: only its passage is embedded
    assert queued == 1 and counting.calls == 1
    assert counting.texts == [TEXTS["volcano.txt"] + " It erupted in 2021."]

    counting.calls, counting.texts = 0, []
    (folder / "quokka.txt").rename(folder / "marsupial.txt")  # renamed
    (folder / "sub").mkdir()
    shutil.move(folder / "tower.md", folder / "sub" / "tower.md")  # moved
    queued, report = index(store, minilm, counting)
    assert queued == 4 and report.removed == 2 and report.files == 2
    assert counting.calls == 0  # their passages came from the cache
    collection = store.collection("notes")
    paths = set(store.documents(collection.id))
    assert paths == {str(folder / "marsupial.txt"), str(folder / "sub" / "tower.md"),
                     str(folder / "volcano.txt")}

    (folder / "volcano.txt").unlink()  # deleted
    queued, report = index(store, minilm, counting)
    assert report.removed == 1 and counting.calls == 0
    hits = Retriever(store, minilm.key, counting.query).search([collection.id], "active volcano on Sicily")
    assert all("volcano" not in h.path for h in hits)
    assert store.chunk_count([collection.id]) == 2


def test_a_file_that_vanishes_while_indexing_is_dropped_and_the_rest_indexed(store, folder, minilm, counting):
    store.add_collection("notes", [folder])
    collection = store.collection("notes")
    indexer = Indexer(store, minilm, counting)
    indexer.reconcile(collection)
    (folder / "tower.md").unlink()  # after it was queued, before it is read
    report = indexer.run(collection)
    assert report.removed == 1
    assert set(store.documents(collection.id)) == {str(folder / "quokka.txt"), str(folder / "volcano.txt")}
    assert store.queued(collection.id) == []


def test_empty_binary_and_broken_files_get_their_status_and_no_passages(store, tmp_path, minilm, counting):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blob.dat").write_bytes(b"\x00\x01" * 50)
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    (folder / "ok.txt").write_text("A fine note about kangaroos.", encoding="utf-8")
    store.add_collection("mixed", [folder])
    index(store, minilm, counting, "mixed")
    docs = {os.path.basename(p): d for p, d in store.documents(store.collection("mixed").id).items()}
    assert docs["empty.txt"].status is FileStatus.EMPTY
    assert docs["blob.dat"].status is FileStatus.SKIPPED_BINARY
    assert docs["broken.pdf"].status is FileStatus.FAILED and docs["broken.pdf"].reason
    assert docs["ok.txt"].status is FileStatus.INDEXED and docs["ok.txt"].chunks == 1
    assert counting.texts == ["A fine note about kangaroos."]


def test_a_paused_collection_stops_between_files_and_resumes(store, folder, minilm, counting):
    store.add_collection("notes", [folder])
    collection = store.collection("notes")
    indexer = Indexer(store, minilm, counting, batch=1,
                      on_progress=lambda p: store.set_paused("notes", True) if p.done == 1 else None)
    indexer.reconcile(collection)
    report = indexer.run(collection)
    assert report.paused
    assert 1 <= len(store.documents(collection.id)) < 3 and store.queued(collection.id)
    store.set_paused("notes", False)
    Indexer(store, minilm, counting).run(store.collection("notes"))
    assert len(store.documents(collection.id)) == 3 and not store.queued(collection.id)


KILLED_RUN = textwrap.dedent("""
    import os, sys
    from pathlib import Path
    from localchat.core.documents.embed import Embedder, embedding_model_for
    from localchat.core.documents.indexer import Indexer
    from localchat.core.documents.store import DocumentStore

    store = DocumentStore.open(sys.argv[1])
    model = embedding_model_for(Path(sys.argv[2]))
    embedder = Embedder(model)
    collection = store.collection("many")
    def progress(p):
        if p.done == int(sys.argv[3]):
            os.kill(os.getpid(), 9)  # as a crash would, mid-queue
    indexer = Indexer(store, model, embedder.embed, batch=4, on_progress=progress)
    indexer.reconcile(collection)
    indexer.run(collection)
""")


def test_an_indexer_killed_mid_way_resumes_where_it_stopped(tmp_path, minilm, counting):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(20):
        (folder / f"note{i:02}.txt").write_text(f"Note number {i} is about the colour {i * 7} of the sky.")
    db = tmp_path / "documents.sqlite3"
    with DocumentStore.open(db) as store:
        store.add_collection("many", [folder])
    run = subprocess.run([sys.executable, "-c", KILLED_RUN, str(db), str(minilm.path), "10"],
                         capture_output=True, timeout=300)
    assert run.returncode == -9, run.stderr.decode()

    with DocumentStore.open(db) as store:
        collection = store.collection("many")
        stored, queued = len(store.documents(collection.id)), store.queued(collection.id)
        assert 0 < stored < 20 and len(queued) == 20 - stored  # what was stored left the queue
        indexer = Indexer(store, minilm, counting)
        indexer.reconcile(collection)
        assert store.queued(collection.id) == queued  # the queue it left, nothing more
        indexer.run(collection)
        assert len(store.documents(collection.id)) == 20 and not store.queued(collection.id)
        assert len(counting.texts) == 20 - stored  # only the files not stored before the kill


def test_another_embedding_model_embeds_every_file_again_and_searches_with_its_vectors(
        store, folder, minilm, counting, tmp_path):
    from dataclasses import replace

    store.add_collection("notes", [folder])
    index(store, minilm, counting)
    other_path = tmp_path / "models" / "other-minilm-f16.gguf"
    other_path.parent.mkdir()
    shutil.copy(minilm.path, other_path)
    other = replace(minilm, path=other_path)
    counting.calls, counting.texts = 0, []

    queued, report = index(store, other, counting)
    assert queued == 3 and report.files == 3 and len(counting.texts) == 3
    collection = store.collection("notes")
    assert store.missing_vectors(collection.id, other.key) == set()
    hits = Retriever(store, other.key, counting.query).search([collection.id], "Which island has quokkas?")
    assert hits[0].path == str(folder / "quokka.txt")
    queued, _ = index(store, other, counting)
    assert queued == 0
