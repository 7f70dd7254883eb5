"""The window's background indexing: a requested collection is reconciled and indexed on the
service's thread, and a file written into a watched folder is indexed without being asked."""

from __future__ import annotations

import queue

import pytest

from localchat.core.documents.service import (
    IndexingFailed,
    IndexingFinished,
    IndexingProgress,
    IndexingService,
)
from localchat.core.documents.store import DocumentStore
from localchat.core.inference.worker import InferenceWorker

WAIT = 120


def next_of(events: queue.Queue, kind):
    while True:
        event = events.get(timeout=WAIT)
        if isinstance(event, IndexingFailed):
            pytest.fail(event.message)
        if isinstance(event, kind):
            return event


def test_a_requested_collection_is_indexed_and_a_new_file_in_its_folder_too(tmp_path, minilm):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.txt").write_text("Quokkas live on Rottnest Island.", encoding="utf-8")
    index = tmp_path / "documents.sqlite3"
    with DocumentStore.open(index) as store:
        store.add_collection("notes", [folder])
    events: queue.Queue = queue.Queue()
    worker = InferenceWorker().start()
    service = IndexingService(index, lambda: minilm, worker, events.put).start()
    try:
        service.request("notes")
        progress = next_of(events, IndexingProgress)
        assert progress.collection == "notes" and progress.total == 1
        finished = next_of(events, IndexingFinished)
        assert finished.report.files == 1

        (folder / "b.txt").write_text("Black swans live in Perth.", encoding="utf-8")  # nobody asks
        finished = next_of(events, IndexingFinished)
        assert finished.collection == "notes" and finished.report.files == 1
        with DocumentStore.open(index) as store:
            assert set(store.documents(store.collection("notes").id)) == {str(folder / "a.txt"),
                                                                          str(folder / "b.txt")}
    finally:
        assert service.stop()
        worker.stop()


def test_progress_is_told_at_most_ten_times_a_second_and_always_for_the_last_file(tmp_path, minilm,
                                                                                  monkeypatch):
    """A folder of small files indexes hundreds a second: the window is told the count about ten
    times a second (here a clock that moves 10 ms a file), and the last file always."""
    from localchat.core.documents import service as service_module

    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(120):
        (folder / f"note{i:03}.txt").write_text(f"Note {i}: shelf {i % 7} holds box {i}.", encoding="utf-8")
    index = tmp_path / "documents.sqlite3"
    with DocumentStore.open(index) as store:
        store.add_collection("many", [folder])
    clock = iter(range(10**9))
    monkeypatch.setattr(service_module, "_clock", lambda: next(clock) * 0.01)
    events: queue.Queue = queue.Queue()
    worker = InferenceWorker().start()
    service = IndexingService(index, lambda: minilm, worker, events.put, watch=False).start()
    try:
        service.request("many")
        told = [events.get(timeout=WAIT)]
        while not isinstance(told[-1], (IndexingFinished, IndexingFailed)):
            told.append(events.get(timeout=WAIT))
    finally:
        service.stop()
        worker.stop()
    assert isinstance(told[-1], IndexingFinished) and told[-1].report.files == 120
    progress = [e for e in told if isinstance(e, IndexingProgress)]
    assert progress[-1].done == progress[-1].total == 120
    assert len(progress) <= 120 // 10 + 3, [p.done for p in progress]


def indexed_after_writing(events: queue.Queue, path, text: str, tries: int = 10) -> IndexingFinished:
    """Write ``path`` until a run of the indexer follows (the watcher may still be starting
    over its folders when it is first written)."""
    for _ in range(tries):
        path.write_text(text, encoding="utf-8")
        try:
            while True:
                event = events.get(timeout=5)
                if isinstance(event, IndexingFailed):
                    pytest.fail(event.message)
                if isinstance(event, IndexingFinished):
                    return event
        except queue.Empty:
            continue
    pytest.fail(f"writing {path.name} was never noticed")


def test_files_in_subfolders_are_noticed_and_in_a_subfolder_made_while_watching_too(tmp_path, minilm):
    folder = tmp_path / "notes"
    (folder / "deep").mkdir(parents=True)
    (folder / "deep" / "a.txt").write_text("Quokkas live on Rottnest Island.", encoding="utf-8")
    index = tmp_path / "documents.sqlite3"
    with DocumentStore.open(index) as store:
        store.add_collection("notes", [folder])
    events: queue.Queue = queue.Queue()
    worker = InferenceWorker().start()
    service = IndexingService(index, lambda: minilm, worker, events.put).start()
    try:
        service.request("notes")
        next_of(events, IndexingFinished)
        indexed_after_writing(events, folder / "deep" / "b.txt", "Black swans live in Perth.")
        (folder / "new").mkdir()
        indexed_after_writing(events, folder / "new" / "c.txt", "Emus cannot fly.")
        indexed_after_writing(events, folder / "new" / "d.txt", "Wombats dig burrows.")
        with DocumentStore.open(index) as store:
            found = set(store.documents(store.collection("notes").id))
        assert found == {str(folder / "deep" / n) for n in ("a.txt", "b.txt")} | {
            str(folder / "new" / n) for n in ("c.txt", "d.txt")}
    finally:
        assert service.stop()
        worker.stop()
