"""The Qt binding itself: a session of many hours makes millions of Qt calls, so a binding that
loses a reference per call crashes the app in the end. PySide6 6.12.0 dropped one reference to
None on every call that returns nothing and one to True on every signal emitted; before
Python 3.12 made them immortal, the app died with "deallocating None" once they ran out."""

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

CALLS = 1000


class _Emitter(QObject):
    changed = Signal(int)


def test_qt_calls_do_not_use_up_none_and_true(qtbot):
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    seen = []
    emitter.changed.connect(seen.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(CALLS):
        label.setText("token")
        label.hide()
        emitter.changed.emit(i)
    assert len(seen) == CALLS
    # a few references come and go with the interpreter's own work; one per call would be thousands
    assert sys.getrefcount(None) > none_before - CALLS // 10
    assert sys.getrefcount(True) > true_before - CALLS // 10
