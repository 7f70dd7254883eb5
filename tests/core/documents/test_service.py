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
