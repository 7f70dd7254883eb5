"""Keeping a collection's index in step with its folders, from a persisted queue.

``reconcile`` compares the folders with the index by size and mtime only (a stat per file, no
reads) and queues what differs: new and changed files, and those gone. ``run`` works the queue:

- a file whose content hash is unchanged (saved again, touched) only gets its new size and
  time: nothing is parsed or embedded;
- a changed file is parsed and chunked; each passage's vector is looked up in the embedding
  cache by (model, prefix, hash) first, so a renamed or moved file, or an edit that leaves
  most passages as they were, embeds only what is new;
- passages still to embed are gathered across files into batches of ``batch`` (32–128), one
  embedding call each;
- files indexed with another embedding model are queued and embedded again with this one
  (their passages are searched by keywords meanwhile);
- each file is stored, and leaves the queue, in one transaction: killed at any point, the next
  ``run`` resumes with the files not yet stored.

Between files it honours a pause (the collection's flag, set from the window or the CLI) and a
``hold`` (the worker's ``wait_quiet``: no parsing while a reply is written).
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Sequence

from localchat.core.documents.chunk import Chunker
from localchat.core.documents.embed import EmbeddingModel
from localchat.core.documents.parse import parse_file
from localchat.core.documents.store import ChunkDraft, Collection, DocumentStore, FileStatus
from localchat.core.errors import LocalChatError

log = logging.getLogger(__name__)

EMBED_BATCH = 64
SKIPPED_FOLDERS = {".git", ".hg", ".svn", "node_modules", "__pycache__", ".venv", ".tox", ".cache"}

Embed = Callable[[Sequence[str], str], list]  # (texts, prefix) -> vectors


class EmbeddingFailedError(LocalChatError):
    """The embedding model could not embed a batch of passages."""


@dataclass
class IndexProgress:
    """Where a run stands; ``eta_s`` from the pace so far."""

    collection: str
    done: int = 0
    total: int = 0
    chunks: int = 0
    embedded: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def eta_s(self) -> float | None:
        if not self.done or self.done >= self.total:
            return None
        return (time.monotonic() - self.started) / self.done * (self.total - self.done)


@dataclass
class IndexReport:
    files: int = 0
    unchanged: int = 0  # same content, only its size or time changed
    removed: int = 0
    chunks: int = 0
    embedded: int = 0  # passages embedded (not found in the cache)
    embedding_calls: int = 0
    paused: bool = False
    by_status: dict = field(default_factory=dict)


def walk_sources(sources: Sequence[str]) -> Iterator[Path]:
    """Every file under the collection's folders (hidden and tool folders left out) and its
    files, each once."""
    seen = set()
    for source in sources:
        root = Path(source)
        if root.is_file():
            if str(root) not in seen:
                seen.add(str(root))
                yield root
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIPPED_FOLDERS and not d.startswith("."))
            for name in sorted(files):
                if name.startswith("."):
                    continue
                path = os.path.join(folder, name)
                if path not in seen:
                    seen.add(path)
                    yield Path(path)


@dataclass
class _Pending:
    path: str
    size: int
    mtime_ns: int
    sha256: str
    status: FileStatus
    reason: str | None
    pages: int | None
    drafts: list[ChunkDraft]


class Indexer:
    """Indexes collections of one store with one embedding model. ``embed(texts, prefix)``
    returns the vectors (the inference worker's ``EmbedJob`` in the app, see ``worker_embed``)."""

    def __init__(self, store: DocumentStore, model: EmbeddingModel, embed: Embed, *, batch: int = EMBED_BATCH,
                 hold: Callable[[], object] | None = None, cancelled: Callable[[], bool] = lambda: False,
                 on_progress: Callable[[IndexProgress], None] | None = None):
        self.store = store
        self.model = model
        self._embed = embed
        self.batch = batch
        self.hold = hold
        self.cancelled = cancelled
        self.on_progress = on_progress
        self.chunker = Chunker(model.tokenizer_json, model.chunk_shape)
        self.embedding_calls = 0  # each call embeds up to ``batch`` passages
        self._other_model: set[str] = set()  # files whose passages another embedding model embedded
        self.embedded_texts = 0

    # -- finding the work ----------------------------------------------------------------------
    def reconcile(self, collection: Collection) -> int:
        """Queue the files that differ from the index by size or mtime, and those gone;
        returns how many are queued now."""
        known = self.store.documents(collection.id)
        changed, seen = [], set()
        for path in walk_sources(collection.sources):
            key = str(path)
            seen.add(key)
            try:
                st = path.stat()
            except OSError:
                continue  # gone between the listing and the stat: the next reconcile sees it
            record = known.get(key)
            if record is None or record.size != st.st_size or record.mtime_ns != st.st_mtime_ns:
                changed.append(key)
        changed += [path for path in known if path not in seen]
        changed += sorted(self.store.missing_vectors(collection.id, self.model.key) - set(changed))
        self.store.enqueue(collection.id, changed)
        return len(self.store.queued(collection.id))

    # -- doing it ------------------------------------------------------------------------------
    def run(self, collection: Collection) -> IndexReport:
        """Work the queue of ``collection`` until it is empty, paused or cancelled."""
        report = IndexReport()
        queue = self.store.queued(collection.id)
        progress = IndexProgress(collection.name, total=len(queue))
        known = self.store.documents(collection.id)
        self._other_model = self.store.missing_vectors(collection.id, self.model.key)
        pending: list[_Pending] = []
        for path in queue:
            if self.cancelled() or self.store.collection(collection.name).paused:
                report.paused = True
                break
            if self.hold is not None:
                self.hold()
            item = self._read(collection, path, known.get(path), report)
            if item is not None:
                pending.append(item)
            if sum(len(p.drafts) for p in pending) >= self.batch:
                self._store(collection, pending, report)
                pending = []
            progress.done += 1
            progress.chunks, progress.embedded = report.chunks, report.embedded
            if self.on_progress is not None:
                self.on_progress(progress)
        self._store(collection, pending, report)
        report.embedding_calls = self.embedding_calls
        report.by_status = self.store.progress(collection.id).by_status
        return report

    def _read(self, collection: Collection, path: str, record, report: IndexReport) -> _Pending | None:
        file = Path(path)
        try:
            st = file.stat()
            data = file.read_bytes() if st.st_size <= 200 * 1024 * 1024 else None
        except FileNotFoundError:
            self.store.remove_document(collection.id, path)
            report.removed += 1
            return None
        except OSError as exc:
            self.store.store_document(collection.id, path, size=0, mtime_ns=0, sha256=None,
                                      status=FileStatus.FAILED,
                                      reason=f"it cannot be read: {exc.strerror or exc}")
            report.files += 1
            return None
        sha = hashlib.sha256(data).hexdigest() if data is not None else None
        if record is not None and sha is not None and record.sha256 == sha and path not in self._other_model:
            self.store.touch_document(collection.id, path, size=st.st_size, mtime_ns=st.st_mtime_ns)
            report.unchanged += 1
            return None
        parsed = parse_file(file, data)
        drafts = self.chunker.chunks(parsed) if parsed.status is FileStatus.INDEXED else []
        status = parsed.status if drafts or parsed.status is not FileStatus.INDEXED else FileStatus.EMPTY
        return _Pending(path, st.st_size, st.st_mtime_ns, sha or "", status, parsed.reason, parsed.pages,
                        drafts)

    def _store(self, collection: Collection, pending: list[_Pending], report: IndexReport) -> None:
        if not pending:
            return
        prefix = self.model.document_prefix
        drafts = {d.hash: d for p in pending for d in p.drafts}
        vectors = self.store.cached_vectors(self.model.key, prefix, drafts)
        missing = [h for h in drafts if h not in vectors]
        for start in range(0, len(missing), self.batch):
            part = missing[start:start + self.batch]
            fresh = self.embed([drafts[h].embedded_text for h in part], prefix)
            new = dict(zip(part, fresh, strict=True))
            self.store.cache_vectors(self.model.key, prefix, new)
            vectors.update(new)
            report.embedded += len(part)
        for item in pending:
            self.store.store_document(collection.id, item.path, size=item.size, mtime_ns=item.mtime_ns,
                                      sha256=item.sha256, status=item.status, reason=item.reason,
                                      pages=item.pages, chunks=item.drafts,
                                      vectors=[vectors[d.hash] for d in item.drafts], model=self.model.key)
            report.files += 1
            report.chunks += len(item.drafts)

    def embed(self, texts: Sequence[str], prefix: str) -> list:
        self.embedding_calls += 1
        self.embedded_texts += len(texts)
        vectors = self._embed(texts, prefix)
        if len(vectors) != len(texts):
            raise EmbeddingFailedError("The embedding model returned fewer vectors than passages.",
                                       "Try another embedding model.")
        return vectors


WORKER_JOB_TEXTS = 8  # passages per worker job: a question or a reply waits for one job at most


def worker_embed(worker, model: EmbeddingModel) -> Embed:
    """``embed`` through the inference worker. One call's passages are queued at once as jobs
    of ``WORKER_JOB_TEXTS``, so the worker is never idle between them and a reply or a
    question that comes meanwhile waits for one small job, not for the whole call."""
    from localchat.core.inference.worker import EmbedJob

    def embed(texts: Sequence[str], prefix: str) -> list:
        texts = list(texts)
        jobs = [worker.submit(EmbedJob(model, texts[i:i + WORKER_JOB_TEXTS], prefix))
                for i in range(0, len(texts), WORKER_JOB_TEXTS)]
        vectors: list = []
        for job in jobs:
            job.done.wait()
            if job.error is not None:
                for other in jobs:
                    worker.cancel(other)
                raise EmbeddingFailedError(f"The passages could not be embedded: {job.error}",
                                           "Check the embedding model, or pick another one.")
            vectors += job.vectors
        return vectors

    return embed
