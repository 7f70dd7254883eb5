"""Model downloads from Hugging Face that never corrupt and always resume.

A ``DownloadJob`` moves one file from the Hub into the models folder:

1. it asks the Hub where the file is and what it hashes to (``hub.resolve``: one HEAD);
2. it checks the free disk space (size + margin) before the first byte;
3. it appends the bytes to ``<data>/downloads/<name>.part`` with HTTP Range from whatever is
   there already, so a pause, a dropped connection or a killed process costs nothing; a sidecar
   ``<name>.json`` says which file the partial belongs to, so the next start finds it;
4. it hashes the bytes as they arrive, on a thread of their own, so a 9 GB file is not read
   twice (only a partial left by an earlier run is read once, to seed the hash);
5. it checks size and sha256 (the catalog's, else the Hub's LFS one), and only then renames the
   file into the models folder, with its install record. A failed check removes the partial.

Transient faults (5xx, reset, timeout) are retried with exponential backoff; the attempt counter
starts again whenever bytes arrive. Everything a person can meet ends as a ``LocalChatError``
with a message. Events go to callbacks from the worker thread: the Qt wrapper re-emits them.

The queue that runs jobs is in ``queue``; the events and snapshots they hand out in ``events``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import threading
import time
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from localchat.core.downloads import hub
from localchat.core.downloads.checksums import StreamingHash
from localchat.core.downloads.events import (
    DownloadCancelled,
    DownloadEvent,
    DownloadFailed,
    DownloadFinished,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadStarted,
    DownloadVerifying,
    JobSnapshot,
    JobState,
)
from localchat.core.downloads.hub import RemoteFile, ResolvedFile
from localchat.core.errors import DiskFullError, DownloadError, LocalChatError, VerificationError
from localchat.core.models.inventory import InstallRecord, now_iso
from localchat.core.units import MIB, size_text

if TYPE_CHECKING:
    from localchat.core.downloads.queue import DownloadQueue

log = logging.getLogger(__name__)

DISK_MARGIN = 256 * MIB  # left free after a download: the system needs room too


class _Stopped(Exception):
    def __init__(self, state: JobState):
        self.state = state


class _ShortRead(ConnectionError):
    """The server ended the body early without saying so: resume from where it stopped."""


class _Speedometer:
    """Bytes per second over a sliding window, for a steady speed and ETA."""

    def __init__(self, window: float = 5.0):
        self._window = window
        self._samples: deque[tuple[float, int]] = deque()

    def add(self, when: float, total_bytes: int) -> float:
        self._samples.append((when, total_bytes))
        while len(self._samples) > 2 and when - self._samples[0][0] > self._window:
            self._samples.popleft()
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        return (b1 - b0) / (t1 - t0) if t1 > t0 else 0.0


class DownloadJob:
    """One file from the Hub into the models folder. ``run()`` works on the calling thread."""

    def __init__(self, remote: RemoteFile, queue: "DownloadQueue", *, model_id: str | None = None):
        self.remote = remote
        self.model_id = model_id
        self.key = remote.key
        self._queue = queue
        self.state = JobState.QUEUED
        self.downloaded = 0
        self.total = remote.size
        self.speed = 0.0
        self.eta: float | None = None
        self.error: LocalChatError | None = None
        self.path: Path | None = None
        self._stop_request: JobState | None = None
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None
        self._digest: StreamingHash | None = None  # the sha256 of the partial, as it grows

    # -- files ------------------------------------------------------------------------------------
    @property
    def _stem(self) -> str:
        """The partial's name: the key made one file name (RemoteFile checked its parts), cut
        with a digest of the whole when a deep path would make it too long for the disk."""
        stem = self.key.replace("/", "--")
        if len(stem.encode("utf-8")) <= hub.MAX_NAME_BYTES:
            return stem
        digest = hashlib.sha256(self.key.encode("utf-8")).hexdigest()[:16]
        return f"{digest}--{self.remote.basename}"

    @property
    def partial_path(self) -> Path:
        return self._queue.downloads_dir / f"{self._stem}.part"

    @property
    def _sidecar(self) -> Path:
        return self._queue.downloads_dir / f"{self._stem}.json"

    def snapshot(self) -> JobSnapshot:
        return JobSnapshot(self.key, self.remote, self.model_id, self.state, self.downloaded,
                           self.total, self.speed, self.eta, self.error, self.path)

    def discard_partial(self) -> None:
        for path in (self.partial_path, self._sidecar, Path(f"{self.partial_path}.lock")):
            path.unlink(missing_ok=True)
        self.downloaded = 0

    # -- control (any thread) -----------------------------------------------------------------------
    def request_stop(self, state: JobState) -> None:
        self._stop_request = state
        self._wake.set()

    def clear_stop(self) -> None:
        self._stop_request = None
        self._wake.clear()

    def _check_stop(self) -> None:
        if self._stop_request is not None:
            raise _Stopped(self._stop_request)

    def _sleep(self, seconds: float) -> None:
        self._wake.wait(seconds)
        self._check_stop()

    # -- the work (worker thread) -------------------------------------------------------------------
    def run(self) -> DownloadEvent:
        """Download, verify, install. Returns the final event (finished/paused/…/failed)."""
        from filelock import FileLock, Timeout

        q = self._queue
        q.downloads_dir.mkdir(parents=True, exist_ok=True)
        lock = FileLock(f"{self.partial_path}.lock")
        try:
            lock.acquire(timeout=0)
        except Timeout:
            return self._failed(DownloadError(
                f"{self.remote.basename} is being downloaded by another localchat window or command.",
                "Let that one finish, or close it and try again."))
        try:
            existing = q.inventory.installed_download(self.remote.repo_id, self.remote.filename,
                                                      self.remote.sha256)
            if existing is not None:
                self.path = existing
                return DownloadFinished(self.key, existing, q.inventory.record_for(existing))
            return self._verify_and_install(self._fetch())
        except _Stopped as stop:
            self.speed, self.eta = 0.0, None
            if stop.state == JobState.CANCELLED:
                return DownloadCancelled(self.key, self.downloaded)
            return DownloadPaused(self.key, self.downloaded)
        except LocalChatError as exc:
            return self._failed(exc)
        except Exception as exc:  # a bug or a surprise: say so, keep the partial, keep running
            log.exception("download of %s failed", self.key)
            return self._failed(DownloadError(f"The download of {self.remote.basename} failed: {exc}.",
                                              "Try again; the download resumes from where it stopped."))
        finally:
            if self._digest is not None:
                self._digest.close()
                self._digest = None
            lock.release()
            if not self.partial_path.exists():  # nothing left to guard
                Path(lock.lock_file).unlink(missing_ok=True)

    def _failed(self, error: LocalChatError) -> DownloadFailed:
        log.warning("download of %s failed: %s", self.key, error.message)
        self.speed, self.eta = 0.0, None
        return DownloadFailed(self.key, error)

    def _fetch(self) -> ResolvedFile:
        """Resolve and transfer, retrying transient faults; returns what was downloaded."""
        q = self._queue
        attempt = 0
        while True:
            self._check_stop()
            before = self.downloaded
            try:
                resolved = hub.resolve(self.remote, endpoint=q.endpoint, token=q.token, timeout=q.timeout)
                self._check_stop()
                self._transfer(resolved)
                return resolved
            except (_Stopped, LocalChatError):
                raise
            except Exception as exc:
                mapped = hub.hub_error(exc, self.remote.repo_id, self.remote.filename)
                if mapped is not None:
                    raise mapped from exc
                if not hub.is_transient(exc):
                    raise
                attempt = 1 if self.downloaded > before else attempt + 1
                if attempt > q.retry.attempts:
                    raise hub.offline_error(exc, q.endpoint) from exc
                delay = q.retry.delay(attempt)
                log.info("download of %s: %s; retry %d in %.1fs", self.key, exc, attempt, delay)
                q._emit(DownloadRetrying(self.key, attempt, delay, str(exc) or type(exc).__name__))
                self._sleep(delay)

    def _prepare_partial(self, resolved: ResolvedFile) -> int:
        """Keep a partial that belongs to this very file; returns its length."""
        part, sidecar = self.partial_path, self._sidecar
        try:
            known = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            known = {}
        same = known.get("sha256") == resolved.sha256 and known.get("size") == resolved.size
        offset = part.stat().st_size if part.exists() and same else 0
        if resolved.size is not None and offset > resolved.size:
            offset = 0
        if offset == 0:
            part.unlink(missing_ok=True)
        sidecar.write_text(json.dumps({
            "repo_id": self.remote.repo_id, "filename": self.remote.filename,
            "revision": self.remote.revision, "commit": resolved.commit,
            "sha256": resolved.sha256, "size": resolved.size, "model_id": self.model_id,
            "catalog_sha256": self.remote.sha256, "started_at": known.get("started_at") or now_iso(),
        }, indent=2), encoding="utf-8")
        return offset

    def _check_disk(self, remaining: int, models_dir: Path) -> None:
        """Room for the bytes still to come, and for the whole file in ``models_dir`` when the
        final move has to copy it to another disk."""
        q = self._queue
        places = [(q.downloads_dir, remaining)] if remaining else []
        models_dir.mkdir(parents=True, exist_ok=True)
        if models_dir.stat().st_dev != q.downloads_dir.stat().st_dev:
            places.append((models_dir, self.total or 0))
        for place, need in places:
            need += DISK_MARGIN
            free = q.disk_free(place)
            if free < need:
                raise DiskFullError(
                    f"Not enough disk space for {self.remote.basename}: it needs {size_text(need)} "
                    f"(with {size_text(DISK_MARGIN)} to spare) and {place} has {size_text(free)} free.",
                    "Free some space, or choose a models folder on another disk, then try again.")

    def _transfer(self, resolved: ResolvedFile) -> None:
        import httpx2
        from huggingface_hub.utils import get_session

        q = self._queue
        if self._digest is None:  # the first attempt of this run
            offset = self._prepare_partial(resolved)
            self.total = resolved.size
            if resolved.size is not None:
                self._check_disk(resolved.size - offset, q.models_dir)
            self._digest = StreamingHash(self.partial_path, offset)
            self.downloaded = offset
            q._emit(DownloadStarted(self.key, offset, resolved.size))
        if self.total is not None and self.downloaded >= self.total:
            return
        headers = hub.download_headers(resolved, endpoint=q.endpoint, token=q.token)
        if self.downloaded:
            headers["Range"] = f"bytes={self.downloaded}-"
        speed = _Speedometer()
        last = 0.0
        with open(self.partial_path, "ab") as fh, get_session().stream(
                "GET", resolved.url, headers=headers, follow_redirects=True,
                timeout=httpx2.Timeout(q.timeout)) as response:
            hub.raise_for_status(response)
            if self.downloaded and response.status_code == 200:
                # the server ignored the Range: start again from the first byte
                log.info("%s: the server ignored the Range header; restarting", self.key)
                fh.truncate(0)
                self._digest.close()
                self._digest = StreamingHash(self.partial_path, 0)
                self.downloaded = 0
            if self.total is None and response.headers.get("Content-Length"):
                self.total = self.downloaded + int(response.headers["Content-Length"])
            try:
                for chunk in response.iter_bytes():
                    self._check_stop()
                    fh.write(chunk)
                    self._digest.feed(chunk)
                    self.downloaded += len(chunk)
                    now = time.monotonic()
                    if now - last >= q.progress_interval:
                        last = now
                        fh.flush()  # what a progress event reports is on disk
                        self._report(speed.add(now, self.downloaded))
                fh.flush()
            except OSError as exc:
                if exc.errno in (errno.ENOSPC, errno.EDQUOT):
                    raise DiskFullError(f"The disk filled up while downloading {self.remote.basename}.",
                                        "Free some space, then resume: nothing downloaded so far is lost.") from exc
                raise
        if self.total is not None and self.downloaded < self.total:
            raise _ShortRead(f"the server sent {self.downloaded:,} of {self.total:,} bytes")
        self._report(speed.add(time.monotonic(), self.downloaded))

    def _report(self, speed: float) -> None:
        self.speed = speed
        left = (self.total or 0) - self.downloaded
        self.eta = left / speed if speed > 0 and self.total else None
        self._queue._emit(DownloadProgress(self.key, self.downloaded, self.total, speed, self.eta))

    def _verify_and_install(self, resolved: ResolvedFile) -> DownloadEvent:
        q = self._queue
        self.state = JobState.VERIFYING
        self.speed, self.eta = 0.0, None
        q._emit(DownloadVerifying(self.key))
        started = time.monotonic()
        with open(self.partial_path, "rb+") as fh:
            os.fsync(fh.fileno())  # the bytes are on disk before the file is called installed
        sha = self._digest.hexdigest()
        size = self.partial_path.stat().st_size
        q.verify_seconds += time.monotonic() - started
        if (resolved.size is not None and size != resolved.size) or (resolved.sha256 and sha != resolved.sha256):
            self.discard_partial()
            what = "size" if resolved.size is not None and size != resolved.size else "checksum (sha256)"
            raise VerificationError(
                f"{self.remote.basename} arrived damaged: its {what} does not match what "
                f"{'the catalog' if self.remote.sha256 else 'Hugging Face'} lists. The damaged file "
                "was removed and nothing was installed.",
                "Download it again; if it fails again, your connection or a proxy alters the data.")
        inventory = q.inventory  # once: the models folder may change meanwhile (set_models_dir)
        if self.total is not None:
            self._check_disk(0, inventory.models_dir)  # it may be another disk than at the start
        record = InstallRecord(
            filename=self.remote.basename, size=size, sha256=sha, installed_at=now_iso(),
            repo_id=self.remote.repo_id, repo_filename=self.remote.filename,
            revision=self.remote.revision, commit=resolved.commit, model_id=self.model_id,
            verified=resolved.sha256 is not None)
        target = inventory.target_for(self.remote.basename, self.remote.repo_id)
        self.path = inventory.install(self.partial_path, target, record)
        self._sidecar.unlink(missing_ok=True)
        return DownloadFinished(self.key, self.path, replace(record, filename=self.path.name))
