"""What a download says about itself: states, events, snapshots, and their text for people.

Plain frozen data, safe to hand from a worker thread to the GUI thread or a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable

from localchat.core.downloads.hub import RemoteFile
from localchat.core.errors import LocalChatError
from localchat.core.models.inventory import InstallRecord
from localchat.core.units import size_text, speed_text


class JobState(str, Enum):
    QUEUED = "queued"
    RUNNING = "downloading"
    PAUSED = "paused"
    VERIFYING = "verifying"
    FINISHED = "finished"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def active(self) -> bool:
        return self in (JobState.QUEUED, JobState.RUNNING, JobState.VERIFYING)


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 5  # retries in a row without a byte arriving
    base_delay: float = 1.0
    max_delay: float = 30.0

    def delay(self, attempt: int) -> float:
        return min(self.max_delay, self.base_delay * 2 ** (attempt - 1))


# -- events: plain frozen data, safe to pass to another thread ------------------------------------
@dataclass(frozen=True)
class DownloadEvent:
    key: str


@dataclass(frozen=True)
class DownloadQueued(DownloadEvent):
    pass


@dataclass(frozen=True)
class DownloadStarted(DownloadEvent):
    resumed_from: int
    total: int | None


@dataclass(frozen=True)
class DownloadProgress(DownloadEvent):
    downloaded: int
    total: int | None
    speed: float  # bytes per second, over the last few seconds
    eta: float | None  # seconds

    @property
    def fraction(self) -> float | None:
        return self.downloaded / self.total if self.total else None


@dataclass(frozen=True)
class DownloadRetrying(DownloadEvent):
    attempt: int
    delay: float
    reason: str


@dataclass(frozen=True)
class DownloadPaused(DownloadEvent):
    downloaded: int


@dataclass(frozen=True)
class DownloadVerifying(DownloadEvent):
    pass


@dataclass(frozen=True)
class DownloadFinished(DownloadEvent):
    path: Path
    record: InstallRecord | None


@dataclass(frozen=True)
class DownloadFailed(DownloadEvent):
    error: LocalChatError

    @property
    def reason(self) -> str:
        return str(self.error)


@dataclass(frozen=True)
class DownloadCancelled(DownloadEvent):
    downloaded: int


@dataclass(frozen=True)
class JobSnapshot:
    """A job as the GUI and the CLI show it."""

    key: str
    remote: RemoteFile
    model_id: str | None
    state: JobState
    downloaded: int
    total: int | None
    speed: float
    eta: float | None
    error: LocalChatError | None
    path: Path | None


@dataclass(frozen=True)
class DownloadSummary:
    """All active downloads together: what the main window's indicator shows."""

    active: int
    downloaded: int
    total: int
    speed: float

    @property
    def fraction(self) -> float | None:
        return self.downloaded / self.total if self.total else None


Listener = Callable[[DownloadEvent], None]
DiskFree = Callable[[Path], int]


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def progress_text(downloaded: int, total: int | None, speed: float, eta: float | None) -> str:
    text = size_text(downloaded) + (f" of {size_text(total)}" if total else "")
    if speed > 0:
        text += f" · {speed_text(speed)}"
    if eta is not None:
        text += f" · {duration_text(eta)} left"
    return text
