"""The download queue seen from the GUI thread, and the widgets that show and steer downloads.

``DownloadCenter`` owns nothing but a ``DownloadQueue`` (core): the queue's worker threads report
events to it, it re-emits them as signals on the GUI thread. It outlives the Model Manager
window, so closing that window never stops a download.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from localchat.core.downloads.events import (
    DownloadEvent,
    DownloadFailed,
    DownloadFinished,
    DownloadSummary,
    JobSnapshot,
    JobState,
    progress_text,
)
from localchat.core.downloads.hub import RemoteFile
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.models.fit import Badge, FitLevel
from localchat.core.units import size_text, speed_text
from localchat.gui.inbox import Inbox
from localchat.gui.memory_prompts import ask_download_anyway


class DownloadCenter(QObject):
    """Signals for every download, on the GUI thread."""

    job_changed = Signal(str)  # the key of a job whose snapshot changed
    summary_changed = Signal(object)  # DownloadSummary of all active downloads: the main window's indicator
    installed = Signal(object)  # Path of a model that just got installed
    failed = Signal(str, str)  # key, the message to show
    models_dir_changed = Signal(object)  # Path: downloads land there from now on

    def __init__(self, queue: DownloadQueue, parent: QObject | None = None):
        super().__init__(parent)
        self.queue = queue
        self._inbox = Inbox(self._on_arrived, self)  # the queue's threads post, the GUI thread takes
        self._unsubscribe = queue.subscribe(self._inbox.post)

    def _on_arrived(self, event: DownloadEvent) -> None:
        self.job_changed.emit(event.key)
        if isinstance(event, DownloadFinished):
            self.installed.emit(event.path)
        elif isinstance(event, DownloadFailed):
            self.failed.emit(event.key, str(event.error))
        self.summary_changed.emit(self.queue.summary())

    # -- what the widgets call --------------------------------------------------------------------
    def download(self, remotes: list[RemoteFile], model_id: str | None = None) -> None:
        for remote in remotes:
            self.queue.add(remote, model_id=model_id)
            self.job_changed.emit(remote.key)

    def pause(self, keys: list[str]) -> None:
        for key in keys:
            self.queue.pause(key)

    def resume(self, keys: list[str]) -> None:
        for key in keys:
            self.queue.resume(key)

    def cancel(self, keys: list[str]) -> None:
        """Stop; the partial files stay, so downloading again resumes."""
        for key in keys:
            self.queue.cancel(key)

    def discard(self, keys: list[str]) -> None:
        for key in keys:
            self.queue.discard(key)
            self.job_changed.emit(key)
        self.summary_changed.emit(self.queue.summary())

    def set_models_dir(self, models_dir: Path) -> None:
        """After the models folder changed in the settings: downloads, running ones included,
        land in the new folder, and the views of the installed models show it."""
        self.queue.set_models_dir(Path(models_dir))
        self.models_dir_changed.emit(self.queue.models_dir)

    def jobs(self) -> list[JobSnapshot]:
        return self.queue.jobs()

    def job(self, key: str) -> JobSnapshot | None:
        return self.queue.job(key)

    def summary(self) -> DownloadSummary:
        return self.queue.summary()

    def close(self) -> None:
        """At app exit: pause everything; partial files resume at the next start."""
        self._unsubscribe()
        self.queue.close()


class Aggregate:
    """Several jobs (the parts of a split model) shown as one."""

    def __init__(self, snaps: list[JobSnapshot | None]):
        present = [s for s in snaps if s is not None]
        self.snaps = present
        self.downloaded = sum(s.downloaded for s in present)
        totals = [s.total for s in present]
        self.total = None if not present or None in totals else sum(totals)
        self.speed = sum(s.speed for s in present)
        self.eta = ((self.total - self.downloaded) / self.speed) if self.speed > 0 and self.total else None
        states = {s.state for s in present}
        self.error = next((s.error for s in present if s.error is not None), None)
        if not present:
            self.state = None
        elif JobState.FAILED in states:
            self.state = JobState.FAILED
        elif states & {JobState.RUNNING, JobState.QUEUED, JobState.VERIFYING}:
            self.state = JobState.VERIFYING if states == {JobState.VERIFYING} else JobState.RUNNING
        elif states == {JobState.FINISHED} and len(present) == len(snaps):
            self.state = JobState.FINISHED
        elif JobState.PAUSED in states:
            self.state = JobState.PAUSED
        elif JobState.CANCELLED in states:
            self.state = JobState.CANCELLED
        else:
            self.state = JobState.PAUSED


# the buttons of DownloadControls: their names (keys of ``buttons``, object names) and what they read
BUTTONS = {"Download": QT_TRANSLATE_NOOP("DownloadControls", "Download"),
           "Pause": QT_TRANSLATE_NOOP("DownloadControls", "Pause"),
           "Resume": QT_TRANSLATE_NOOP("DownloadControls", "Resume"),
           "Cancel": QT_TRANSLATE_NOOP("DownloadControls", "Cancel"),
           "Load": QT_TRANSLATE_NOOP("DownloadControls", "Load"),
           "Delete": QT_TRANSLATE_NOOP("DownloadControls", "Delete")}


class DownloadControls(QWidget):
    """Download / Pause / Resume / Cancel / Load / Delete with a progress bar, for one model's
    files. A model whose fit ``badge`` says it is too big for this computer asks before it
    downloads. "Load" shows on an installed model only when ``loadable``."""

    delete_requested = Signal()  # "Delete" on an installed model: the owner asks and deletes
    load_requested = Signal()  # "Load" on an installed model: the owner finds its file and loads it

    def __init__(self, center: DownloadCenter, remotes: list[RemoteFile], *, model_id: str | None = None,
                 installed: bool = False, name: str | None = None, badge: Badge | None = None,
                 loadable: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.center = center
        self.remotes = remotes
        self.keys = [r.key for r in remotes]
        self.model_id = model_id
        self.installed = installed
        self.name = name or (remotes[0].basename if remotes else "")
        self.badge = badge
        self.loadable = loadable
        layout = QHBoxLayout(self)
        layout.setContentsMargins(2, 0, 2, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(10)
        self.status = QLabel()
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons: dict[str, QPushButton] = {}
        for key, label in BUTTONS.items():
            button = QPushButton(QCoreApplication.translate("DownloadControls", label))
            button.setObjectName(key.lower())
            button.setAutoDefault(False)
            self.buttons[key] = button
        self.buttons["Download"].clicked.connect(self._on_download)
        self.buttons["Pause"].clicked.connect(lambda: center.pause(self.keys))
        self.buttons["Resume"].clicked.connect(lambda: center.resume(self.keys))
        self.buttons["Cancel"].clicked.connect(lambda: center.cancel(self.keys))
        self.buttons["Delete"].clicked.connect(self._on_delete)
        self.buttons["Load"].clicked.connect(self.load_requested)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.status, 2)
        for button in self.buttons.values():
            layout.addWidget(button)
        center.job_changed.connect(self._on_job_changed)
        self.refresh()

    def set_badge(self, badge: Badge | None) -> None:
        """The fit of the model, once known (a Hub file's comes from its header)."""
        self.badge = badge

    def _on_download(self) -> None:
        if (self.badge is not None and self.badge.level is FitLevel.TOO_BIG
                and not ask_download_anyway(self, self.name, self.badge)):
            return
        self.center.download(self.remotes, self.model_id)

    def _on_delete(self) -> None:
        if self.installed:
            self.delete_requested.emit()
        else:  # a partial download: it goes, the installed files are not touched
            self.center.discard(self.keys)

    @Slot(str)
    def _on_job_changed(self, key: str) -> None:
        if key in self.keys:
            self.refresh()

    def set_installed(self, installed: bool) -> None:
        self.installed = installed
        self.refresh()

    @property
    def state(self) -> JobState | None:
        return Aggregate([self.center.job(k) for k in self.keys]).state

    def refresh(self) -> None:
        agg = Aggregate([self.center.job(k) for k in self.keys])
        state = agg.state
        if state == JobState.FINISHED:
            self.installed = True
        if state is None:
            shown = {"Load", "Delete"} if self.installed else {"Download"}
        else:
            shown = {JobState.RUNNING: {"Pause", "Cancel"}, JobState.VERIFYING: set(),
                     JobState.FINISHED: {"Load", "Delete"}}.get(state, {"Resume", "Delete"})
        if not self.loadable:
            shown.discard("Load")
        for name, button in self.buttons.items():
            button.setVisible(name in shown)
        self.buttons["Resume"].setText(self.tr("Retry") if state == JobState.FAILED else self.tr("Resume"))
        self.bar.setVisible(state in (JobState.RUNNING, JobState.VERIFYING, JobState.PAUSED,
                                      JobState.CANCELLED, JobState.FAILED))
        self.bar.setValue(int(1000 * agg.downloaded / agg.total) if agg.total else 0)
        self.status.setText(self._status_text(agg))
        self.status.setToolTip(str(agg.error) if agg.error else "")

    def _status_text(self, agg: Aggregate) -> str:
        state = agg.state
        if state is None:
            return self.tr("Installed") if self.installed else ""
        if state == JobState.RUNNING:
            if not agg.downloaded and all(s.state == JobState.QUEUED for s in agg.snaps):
                return self.tr("Waiting (two downloads at a time)")
            return progress_text(agg.downloaded, agg.total, agg.speed, agg.eta)
        if state == JobState.VERIFYING:
            return self.tr("Verifying…")
        if state == JobState.FINISHED:
            return self.tr("Installed") if self.installed else ""
        if state == JobState.FAILED:
            return agg.error.message if agg.error else self.tr("Failed")
        kept = (self.tr("{size} kept").format(size=size_text(agg.downloaded)) if agg.downloaded
                else self.tr("nothing downloaded yet"))
        if state == JobState.PAUSED:
            return self.tr("Paused ({kept})").format(kept=kept)
        return self.tr("Cancelled ({kept})").format(kept=kept)


class DownloadIndicator(QWidget):
    """A small "2 downloads · 45 % · 12 MiB/s" for a status bar; hidden when nothing downloads."""

    clicked = Signal()

    def __init__(self, center: DownloadCenter, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setMaximumWidth(120)
        self.bar.setMaximumHeight(12)
        self.bar.setTextVisible(False)
        self.label = QLabel()
        layout.addWidget(self.bar)
        layout.addWidget(self.label)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Downloads: click to open the Model Manager"))
        center.summary_changed.connect(self.show_summary)
        self.show_summary(center.summary())

    @Slot(object)
    def show_summary(self, summary: DownloadSummary) -> None:
        self.setVisible(summary.active > 0)
        fraction = summary.fraction
        self.bar.setValue(int(1000 * fraction) if fraction is not None else 0)
        count = self.tr("{count} download") if summary.active == 1 else self.tr("{count} downloads")
        parts = [count.format(count=summary.active)]
        if fraction is not None:
            parts.append(f"{100 * fraction:.0f} %")
        if summary.speed > 0:
            parts.append(speed_text(summary.speed))
        self.label.setText(" · ".join(parts))

    def mousePressEvent(self, event) -> None:
        self.clicked.emit()
        super().mousePressEvent(event)
