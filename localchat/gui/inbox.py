"""Hand Python objects from any thread to the GUI thread without passing them through Qt.

Queued signals with Python arguments, emitted from a thread Qt did not start, are a known source
of PySide6 crashes (PYSIDE-3124): full test runs here died of segfaults twice, once while the
inference worker's events and once while the download queue's events crossed that way. An
``Inbox`` keeps the objects in a deque under a lock (the GIL keeps them alive) and the only thing
that crosses through Qt is an empty signal, emitted once for a run of objects, that wakes the
inbox on its own (GUI) thread. There ``deliver`` hands every object to the receiver, in the order
they were posted.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal, Slot


class Inbox(QObject):
    """``post(item)`` from any thread; ``receiver(item)`` runs on the thread the inbox lives in."""

    _waiting = Signal()  # emitted on the posting thread; carries nothing

    def __init__(self, receiver: Callable[[Any], None], parent: QObject | None = None):
        super().__init__(parent)
        self._receiver = receiver
        self._pending: deque[Any] = deque()
        self._lock = threading.Lock()
        self._waiting.connect(self.deliver, Qt.ConnectionType.QueuedConnection)

    def post(self, item: Any) -> None:
        with self._lock:
            was_empty = not self._pending
            self._pending.append(item)
        if was_empty:  # one wake-up for a run of items: a fast producer does not flood the loop
            self._waiting.emit()

    @Slot()
    def deliver(self) -> None:
        """Hand over every item posted so far (the queued wake-up calls this; an owner that
        closes may call it to take the last items at once)."""
        while True:
            with self._lock:
                if not self._pending:
                    return
                item = self._pending.popleft()
            self._receiver(item)
