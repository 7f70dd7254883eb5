"""The download queue: at most two jobs at a time, and the partial downloads an earlier run left."""

from __future__ import annotations

import json
import logging
import shutil
import threading
import time
from pathlib import Path
from typing import Callable

from localchat.core.downloads.events import (
    DiskFree,
    DownloadCancelled,
    DownloadEvent,
    DownloadFailed,
    DownloadFinished,
    DownloadPaused,
    DownloadQueued,
    DownloadSummary,
    JobSnapshot,
    JobState,
    Listener,
    RetryPolicy,
)
from localchat.core.downloads.hub import RemoteFile
from localchat.core.downloads.job import DownloadJob
from localchat.core.models.inventory import ModelInventory

log = logging.getLogger(__name__)

MAX_ACTIVE = 2


class DownloadQueue:
    """The downloads of this app: at most ``max_active`` at a time, events to listeners."""

    def __init__(self, models_dir: Path, downloads_dir: Path, *, max_active: int = MAX_ACTIVE,
                 endpoint: str | None = None, token: str | None = None, timeout: float | None = None,
                 retry: RetryPolicy = RetryPolicy(), disk_free: DiskFree | None = None,
                 progress_interval: float = 0.2):
        from huggingface_hub import constants as hf_constants

        self.inventory = ModelInventory(models_dir)
        self.downloads_dir = Path(downloads_dir)
        self.max_active = max_active
        self.endpoint = endpoint  # None: HF_ENDPOINT or huggingface.co
        self.token = token  # None: HF_TOKEN or the token saved by `hf auth login`
        self.timeout = timeout or hf_constants.HF_HUB_DOWNLOAD_TIMEOUT
        self.retry = retry
        self.disk_free: DiskFree = disk_free or (lambda path: shutil.disk_usage(path).free)
        self.progress_interval = progress_interval
        self.verify_seconds = 0.0  # time spent on checks after the last byte (benchmarks)
        self._jobs: dict[str, DownloadJob] = {}
        self._listeners: list[Listener] = []
        self._lock = threading.RLock()
        self._changed = threading.Condition(self._lock)
        self._restore_partials()

    @classmethod
    def for_paths(cls, paths, **options) -> "DownloadQueue":
        """The queue for a DataPaths: its models and downloads folders."""
        return cls(paths.models, paths.downloads, **options)

    # -- the models folder ----------------------------------------------------------------------
    @property
    def models_dir(self) -> Path:
        return self.inventory.models_dir

    def set_models_dir(self, models_dir: Path) -> None:
        """Downloads land in ``models_dir`` from now on: queued, paused and running ones alike.
        A running one is redirected, not restarted: its partial file is in the downloads
        folder, which stays; only the finished file moves, into the folder set when it finishes.
        Models installed before stay where they are."""
        with self._lock:
            if Path(models_dir) != self.inventory.models_dir:
                self.inventory = ModelInventory(models_dir)

    # -- listeners ------------------------------------------------------------------------------
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        with self._lock:
            self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def _emit(self, event: DownloadEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a download listener failed on %s", event)

    # -- jobs -------------------------------------------------------------------------------------
    def _restore_partials(self) -> None:
        """Partial files left by an earlier run come back as paused jobs."""
        if not self.downloads_dir.is_dir():
            return
        for sidecar in sorted(self.downloads_dir.glob("*.json")):
            try:
                info = json.loads(sidecar.read_text(encoding="utf-8"))
                remote = RemoteFile(info["repo_id"], info["filename"], info.get("revision") or "main",
                                    info.get("catalog_sha256"), info.get("size"))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                log.warning("ignoring the damaged download record %s: %s", sidecar, exc)
                continue
            job = DownloadJob(remote, self, model_id=info.get("model_id"))
            job.state = JobState.PAUSED
            job.total = info.get("size")
            if job.partial_path.exists():
                job.downloaded = job.partial_path.stat().st_size
            self._jobs[job.key] = job

    def jobs(self) -> list[JobSnapshot]:
        with self._lock:
            return [job.snapshot() for job in self._jobs.values()]

    def job(self, key: str) -> JobSnapshot | None:
        with self._lock:
            job = self._jobs.get(key)
            return job.snapshot() if job else None

    def add(self, remote: RemoteFile, *, model_id: str | None = None) -> JobSnapshot:
        """Queue ``remote`` (or resume its job if it has one); returns the job as it is now."""
        with self._lock:
            job = self._jobs.get(remote.key)
            if job is not None and job.state.active:
                return job.snapshot()
            if job is None:
                job = self._jobs[remote.key] = DownloadJob(remote, self, model_id=model_id)
            else:
                job.remote = remote if remote.sha256 or remote.size else job.remote
                job.model_id = model_id or job.model_id
            job.state, job.error = JobState.QUEUED, None
        self._emit(DownloadQueued(job.key))
        self._schedule()
        return job.snapshot()

    def pause(self, key: str) -> None:
        self._stop(key, JobState.PAUSED)

    def cancel(self, key: str) -> None:
        """Stop it and keep the partial: downloading it again resumes."""
        self._stop(key, JobState.CANCELLED)

    def _stop(self, key: str, state: JobState) -> None:
        event = None
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return
            if job.state == JobState.QUEUED:
                job.state = state
                event = (DownloadPaused if state == JobState.PAUSED else DownloadCancelled)(key, job.downloaded)
            elif job.state == JobState.RUNNING:
                job.request_stop(state)
            elif job.state == JobState.PAUSED and state == JobState.CANCELLED:
                job.state = state
                event = DownloadCancelled(key, job.downloaded)
        if event:
            self._emit(event)
            with self._lock:
                self._changed.notify_all()

    def resume(self, key: str) -> None:
        with self._lock:
            job = self._jobs.get(key)
            if job is None:
                return
            if job.state == JobState.RUNNING:
                job.clear_stop()  # a pause asked for but not reached yet: keep going
                return
            if job.state.active or job.state == JobState.FINISHED:
                return
        self.add(job.remote, model_id=job.model_id)

    def discard(self, key: str) -> None:
        """Forget a job that is not running and delete its partial file."""
        with self._lock:
            job = self._jobs.get(key)
            if job is None or job.state.active:
                return
            del self._jobs[key]
        if job.state != JobState.FINISHED:
            job.discard_partial()

    def _schedule(self) -> None:
        with self._lock:
            running = sum(1 for j in self._jobs.values() if j._thread is not None)
            for job in self._jobs.values():
                if running >= self.max_active:
                    break
                if job.state == JobState.QUEUED and job._thread is None:
                    job.state = JobState.RUNNING
                    job.clear_stop()
                    job._thread = threading.Thread(target=self._work, args=(job,), daemon=True,
                                                   name=f"download {job.remote.basename}")
                    job._thread.start()
                    running += 1

    def _work(self, job: DownloadJob) -> None:
        event = job.run()
        with self._lock:
            job.state = {DownloadFinished: JobState.FINISHED, DownloadPaused: JobState.PAUSED,
                         DownloadCancelled: JobState.CANCELLED}.get(type(event), JobState.FAILED)
            job.error = event.error if isinstance(event, DownloadFailed) else None
        self._emit(event)
        with self._lock:
            job._thread = None  # only now: wait() returns after the final event went out
            self._changed.notify_all()
        self._schedule()

    # -- waiting and closing --------------------------------------------------------------------
    def wait(self, key: str, timeout: float | None = None) -> JobSnapshot | None:
        """Block until the job has stopped (finished, failed, paused, cancelled)."""
        def settled() -> bool:
            job = self._jobs.get(key)
            return job is None or (not job.state.active and job._thread is None)

        with self._changed:
            self._changed.wait_for(settled, timeout)
        return self.job(key)

    def summary(self) -> DownloadSummary:
        with self._lock:
            active = [j for j in self._jobs.values() if j.state.active]
            return DownloadSummary(len(active), sum(j.downloaded for j in active),
                                   sum(j.total or 0 for j in active), sum(j.speed for j in active))

    def close(self, timeout: float = 5.0) -> None:
        """Pause everything (partials are kept for the next start) and wait a little."""
        with self._lock:
            jobs = list(self._jobs.values())
            for job in jobs:
                if job.state == JobState.QUEUED:
                    job.state = JobState.PAUSED
                elif job.state == JobState.RUNNING:
                    job.request_stop(JobState.PAUSED)
        deadline = time.monotonic() + timeout
        for job in jobs:
            thread = job._thread
            if thread is not None:
                thread.join(max(0.0, deadline - time.monotonic()))
