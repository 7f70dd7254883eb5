"""Run a function off the GUI thread and get its result back on it.

Every Python reference that could keep a widget alive (the function's closure, the callbacks)
is held and finally dropped on the GUI thread. A pool thread that dropped the last reference
would destroy the widget there, leaving its timers registered on the GUI thread to fire on
freed memory. Results come back through an ``Inbox``: no Python object crosses threads through a
Qt signal.
"""

from __future__ import annotations

import itertools
import logging
from typing import Any, Callable

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from localchat.gui.inbox import Inbox

log = logging.getLogger(__name__)


class BackgroundCall(QObject):
    """Returned by ``run_in_background``: ``done(result)`` / ``failed(exc)`` are emitted on the GUI
    thread after the callback ran, so tests can wait on them."""

    done = Signal(object)
    failed = Signal(object)


class _Dispatcher(QObject):
    """One per application, on the GUI thread: the pool's results arrive here."""

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.pending: dict[int, tuple[Callable, Callable, Callable | None, BackgroundCall]] = {}
        self.keys = itertools.count()
        self.inbox = Inbox(self._deliver, self)  # (key, ok, result or exception) from the pool

    def _deliver(self, outcome: tuple[int, bool, Any]) -> None:
        key, ok, value = outcome
        entry = self.pending.pop(key, None)
        if entry is None:
            return
        _fn, on_done, on_failed, call = entry
        if _gone(on_done):  # its widget was deleted meanwhile (a window closed): nobody to tell
            (call.done if ok else call.failed).emit(value)
            return
        try:
            if ok:
                on_done(value)
            elif on_failed is not None:
                on_failed(value)
        finally:
            (call.done if ok else call.failed).emit(value)


def _gone(callback: Callable) -> bool:
    """Whether ``callback`` is a method of a Qt object whose C++ side is gone."""
    owner = getattr(callback, "__self__", None)
    return isinstance(owner, QObject) and not shiboken6.isValid(owner)


_dispatcher: _Dispatcher | None = None


def _get_dispatcher() -> _Dispatcher:
    global _dispatcher
    if _dispatcher is None:
        _dispatcher = _Dispatcher()
    return _dispatcher


class _Task(QRunnable):
    def __init__(self, dispatcher: _Dispatcher, key: int):
        super().__init__()
        self._dispatcher = dispatcher
        self._key = key

    def run(self) -> None:
        fn = self._dispatcher.pending[self._key][0]
        try:
            value, ok = fn(), True
        except Exception as exc:  # reported to the caller on the GUI thread
            log.exception("background task failed")
            value, ok = exc.with_traceback(None), False  # no frames (and their locals) ride along
        del fn  # the registry still holds it: this is never the last reference
        self._dispatcher.inbox.post((self._key, ok, value))


def run_in_background(fn: Callable[[], Any], on_done: Callable[[Any], None],
                      on_failed: Callable[[Exception], None] | None = None) -> BackgroundCall:
    """Call ``fn()`` in the global thread pool; ``on_done(result)`` or ``on_failed(exc)`` runs on
    the GUI thread. Call this from the GUI thread."""
    dispatcher = _get_dispatcher()
    key = next(dispatcher.keys)
    call = BackgroundCall()
    dispatcher.pending[key] = (fn, on_done, on_failed, call)
    QThreadPool.globalInstance().start(_Task(dispatcher, key))
    return call
