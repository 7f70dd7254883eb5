"""Indexing in the background for the window: one thread, collections one at a time, their
folders watched.

``IndexingService`` owns a thread with its own connection to the index. ``request(name)``
queues a collection to reconcile and index (the window asks at start for every collection, so
what changed while it was closed is found); ``watchfiles`` watches every collection's folders
and requests the collections a change touches. Events go to ``on_event`` on the service's
threads (the window posts them to its ``Inbox``): ``IndexingProgress`` when the files are
counted, then at most every ``PROGRESS_EVERY_S`` and after the last file (a folder of small
files is hundreds of files a second: an event each would have the window lay out and paint its
panel hundreds of times a second, for a count nobody reads that fast), ``IndexingFinished``
with the report, ``IndexingFailed`` with a sentence.

Embeddings go through the inference worker at its lowest priority, and each file waits for
``worker.wait_quiet()``, so nothing is parsed while a reply is written.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from localchat.core.documents.embed import EmbeddingModel
from localchat.core.documents.indexer import IndexProgress, IndexReport
from localchat.core.errors import LocalChatError

log = logging.getLogger(__name__)

WATCH_DEBOUNCE_MS = 800
WATCH_RETRY_S = 30
PROGRESS_EVERY_S = 0.1
_clock = time.monotonic  # the progress throttle's clock (a test moves its own)


@dataclass(frozen=True)
class IndexingProgress:
    collection: str
    done: int
    total: int
    chunks: int
    eta_s: float | None


@dataclass(frozen=True)
class IndexingFinished:
    collection: str
    report: IndexReport


@dataclass(frozen=True)
class IndexingFailed:
    collection: str
    message: str


class IndexingService:
    def __init__(self, index_path: Path, model: Callable[[], EmbeddingModel], worker,
                 on_event: Callable[[object], None], *, watch: bool = True):
        self.index_path = Path(index_path)
        self._embedding_model = model
        self.worker = worker
        self.on_event = on_event
        self.watching = watch
        self._requests: queue.Queue[str | None] = queue.Queue()
        self._stop = threading.Event()
        self._watch_changed = threading.Event()
        self.current: str | None = None  # the collection being indexed now
        self._thread = threading.Thread(target=self._run, name="documents-indexer", daemon=True)
        self._watcher = threading.Thread(target=self._watch, name="documents-watcher", daemon=True)

    def start(self) -> "IndexingService":
        self._thread.start()
        if self.watching:
            self._watcher.start()
        return self

    def request(self, name: str) -> None:
        """Reconcile and index ``name`` when its turn comes (a repeat while queued is one)."""
        self._requests.put(name)

    def sources_changed(self) -> None:
        """A collection was added or its folders changed: the watcher watches the new set."""
        self._watch_changed.set()

    def stop(self, timeout: float = 30.0) -> bool:
        self._stop.set()
        self._watch_changed.set()
        self._requests.put(None)
        self._thread.join(timeout)
        if self._watcher.is_alive():
            self._watcher.join(timeout)
        return not self._thread.is_alive()

    # -- the indexing thread -------------------------------------------------------------------
    def _run(self) -> None:
        from localchat.core.documents.store import DocumentStore

        try:
            store = DocumentStore.open(self.index_path)
        except LocalChatError as exc:
            self.on_event(IndexingFailed("", str(exc)))
            return
        except Exception as exc:  # a broken install (sqlite-vec missing): said, not a traceback
            log.warning("the documents index cannot be opened: %s: %s", type(exc).__name__, exc)
            self.on_event(IndexingFailed("", f"The documents index cannot be opened: {exc}."))
            return
        try:
            while not self._stop.is_set():
                name = self._requests.get()
                if name is None:
                    break
                pending = {name}
                while True:  # requests that came meanwhile: each collection once
                    try:
                        more = self._requests.get_nowait()
                    except queue.Empty:
                        break
                    if more is None:
                        self._stop.set()
                        break
                    pending.add(more)
                for collection in sorted(pending):
                    if self._stop.is_set():
                        break
                    self._index(store, collection)
        finally:
            store.close()

    def _index(self, store, name: str) -> None:
        from localchat.core.documents.indexer import Indexer, worker_embed

        self.current = name
        try:
            collection = store.collection(name)
            if collection.paused:
                return
            model = self._embedding_model()

            last = [0.0]  # when progress was last told

            def progress(p: IndexProgress) -> None:
                now = _clock()
                if now - last[0] >= PROGRESS_EVERY_S or p.done >= p.total:
                    last[0] = now
                    self.on_event(IndexingProgress(name, p.done, p.total, p.chunks, p.eta_s))

            indexer = Indexer(store, model, worker_embed(self.worker, model), hold=self.worker.wait_quiet,
                              cancelled=self._stop.is_set, on_progress=progress)
            total = indexer.reconcile(collection)
            self.on_event(IndexingProgress(name, 0, total, store.progress(collection.id).chunks, None))
            self.on_event(IndexingFinished(name, indexer.run(collection)))
        except LocalChatError as exc:
            log.warning("indexing %s failed: %s", name, exc)
            self.on_event(IndexingFailed(name, str(exc)))
        except Exception as exc:  # a bug: said in a sentence, the details in the log
            log.exception("indexing %s failed", name)
            self.on_event(IndexingFailed(name, f"Indexing stopped on an unexpected error: {exc}"))
        finally:
            self.current = None

    # -- the watcher ---------------------------------------------------------------------------
    def _sources(self) -> dict[str, list[str]]:
        from localchat.core.documents.store import DocumentStore

        with DocumentStore.open(self.index_path) as store:
            return {c.name: [s for s in c.sources if Path(s).exists()] for c in store.collections()}

    def _watch(self) -> None:
        import watchfiles

        while not self._stop.is_set():
            self._watch_changed.clear()
            try:
                sources = self._sources()
            except LocalChatError as exc:
                log.warning("cannot read the collections to watch: %s", exc)
                return
            paths = sorted({s for folders in sources.values() for s in folders})
            if not paths:
                self._watch_changed.wait()
                continue
            watched = _folders(paths)
            stop = threading.Event()
            relay = threading.Thread(target=lambda stop=stop: (self._watch_changed.wait(), stop.set()),
                                     daemon=True)
            relay.start()
            try:
                for changes in watchfiles.watch(*watched, stop_event=stop, debounce=WATCH_DEBOUNCE_MS,
                                                recursive=False, raise_interrupt=False):
                    changed = [Path(p) for _, p in changes]
                    if any(kind == watchfiles.Change.added and os.path.isdir(p) for kind, p in changes):
                        self._watch_changed.set()  # a new folder: watched too, from the next round
                    for name, folders in sources.items():
                        if any(_under(p, Path(f)) for p in changed for f in folders):
                            self.request(name)
            except (OSError, RuntimeError) as exc:
                log.warning("watching the documents' folders stopped: %s", exc)
                self._watch_changed.wait(WATCH_RETRY_S)  # (a folder that went while it was walked)


def _folders(paths: list[str]) -> list[str]:
    """These files and folders, and every folder under them: each is watched on its own.
    Watched recursively, ``watchfiles`` walks a folder's whole tree holding the GIL (66 ms for
    10,000 files, the window frozen meanwhile); this walk lets go of it between entries."""
    found = []
    for path in paths:
        found.append(path)
        if os.path.isdir(path):
            for root, folders, _files in os.walk(path):
                found += [os.path.join(root, f) for f in folders]
    return found


def _under(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents
