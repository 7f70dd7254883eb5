"""Run a function off the GUI thread and get its result back on it."""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread. Its signals are emitted from a pool thread and land in its own
    slots, which Qt queues onto the GUI thread; a plain function connected to the signals would
    run on the pool thread instead."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, on_done, on_failed):
        super().__init__()
        self._on_done = on_done
        self._on_failed = on_failed
        self.done.connect(self._deliver_result)
        self.failed.connect(self._deliver_error)

    @Slot(object)
    def _deliver_result(self, result) -> None:
        _alive.discard(self)
        self._on_done(result)

    @Slot(object)
    def _deliver_error(self, exc) -> None:
        _alive.discard(self)
        if self._on_failed is not None:
            self._on_failed(exc)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay):
        super().__init__()
        self._fn = fn
        self._relay = relay

    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # reported to the caller on the GUI thread
            log.exception("background task failed")
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


_alive: set[_Relay] = set()


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_failed: Callable[[Exception], None] | None = None) -> QObject:
    """Call ``fn()`` in the global thread pool; ``on_done(result)`` or ``on_failed(exc)`` runs on
    the GUI thread. Returns the relay whose ``done``/``failed`` signals tests can wait on."""
    relay = _Relay(on_done, on_failed)
    _alive.add(relay)  # keep it alive until a result arrives
    QThreadPool.globalInstance().start(_Task(fn, relay))
    return relay
