"""sha256 of model files: of a file on disk, and of a file as it is being written."""

from __future__ import annotations

import hashlib
import queue
import threading
from pathlib import Path
from typing import Callable

BLOCK = 1 << 20  # bytes read, or handed to the hashing thread, at a time
_QUEUED_BATCHES = 16  # waiting to be hashed: the hash never lags far behind the file

Progress = Callable[[int, int], None]  # (bytes done, bytes total)


def hash_file(path: Path, *, progress: Progress | None = None) -> str:
    """The sha256 of ``path``; ``progress(done, total)`` after each block."""
    h = hashlib.sha256()
    total = path.stat().st_size
    done = 0
    with open(path, "rb") as fh:
        while done < total:
            block = fh.read(min(BLOCK, total - done))
            if not block:
                break
            h.update(block)
            done += len(block)
            if progress:
                progress(done, total)
    return h.hexdigest()


class StreamingHash:
    """sha256 of a growing file on its own thread: hashing overlaps the network.

    Chunks go over in batches of about 1 MiB, so the hand-over costs little next to the hash."""

    def __init__(self, prefix: Path, prefix_len: int):
        self._hash = hashlib.sha256()
        self._queue: queue.Queue = queue.Queue(maxsize=_QUEUED_BATCHES)
        self._pending: list[bytes] = []
        self._pending_bytes = 0
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._work, args=(prefix, prefix_len),
                                        daemon=True, name="download-hash")
        self._thread.start()

    def _work(self, prefix: Path, prefix_len: int) -> None:
        try:
            if prefix_len:
                with open(prefix, "rb") as fh:
                    left = prefix_len
                    while left:
                        block = fh.read(min(BLOCK, left))
                        if not block:
                            raise OSError(f"{prefix} is shorter than it was")
                        self._hash.update(block)
                        left -= len(block)
            while (batch := self._queue.get()) is not None:
                for block in batch:
                    self._hash.update(block)
        except BaseException as exc:  # kept for hexdigest(): the download thread reports it
            self._error = exc
            while self._queue.get() is not None:
                pass

    def feed(self, data: bytes) -> None:
        self._pending.append(data)
        self._pending_bytes += len(data)
        if self._pending_bytes >= BLOCK:
            self._queue.put(self._pending)
            self._pending, self._pending_bytes = [], 0

    def hexdigest(self) -> str:
        self.close()
        if self._error is not None:
            raise self._error
        return self._hash.hexdigest()

    def close(self) -> None:
        if self._thread.is_alive():
            if self._pending:
                self._queue.put(self._pending)
                self._pending, self._pending_bytes = [], 0
            self._queue.put(None)
            self._thread.join()
