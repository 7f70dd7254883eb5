"""Start to a shown window, and the idle memory of the app with no model, in fresh processes.

The child starts the way ``localchat`` does (logging set up, settings read, ``MainWindow``
built and shown, the event loop running) with an empty data folder, so no model is loaded; the
demo model is not installed into it (that runs in the background and would load a model). The
window counts as shown once the event loop has handled the show: the first timer after it. The
baseline in the same run is a bare PySide6 window in the same interpreter: what any Qt app
pays before its first line of its own code.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from dataclasses import dataclass

IDLE_SECONDS = 1.0  # the window idles this long before its memory is read


@dataclass(frozen=True)
class Startup:
    shown_s: float  # from the process start to the shown window
    idle_rss: int  # bytes, after idling


def _child(kind: str, data_dir: str, spawned_at: float) -> None:
    from PySide6.QtCore import QTimer

    if kind == "app":
        from localchat.core.paths import resolve_data_paths, setup_logging
        from localchat.gui.app import make_application
        from localchat.gui.main_window import MainWindow

        paths = resolve_data_paths(data_dir).ensure()
        setup_logging(paths)
        app = make_application([])
        window = MainWindow(paths, install_demo=False)
    else:
        from PySide6.QtWidgets import QApplication, QMainWindow

        app = QApplication([])
        window = QMainWindow()
    window.show()
    result = {}

    def shown() -> None:
        result["shown_s"] = time.time() - spawned_at
        QTimer.singleShot(int(IDLE_SECONDS * 1000), idle)

    def idle() -> None:
        import psutil

        result["idle_rss"] = psutil.Process().memory_info().rss
        window.close()
        app.quit()

    QTimer.singleShot(0, shown)
    app.exec()
    print(json.dumps(result))


def start(kind: str) -> Startup:
    """Start a fresh process: ``kind`` is "app" or "qt" (the bare window)."""
    from bench.common import run_child

    with tempfile.TemporaryDirectory(prefix="localchat-bench-") as data_dir:
        line = run_child("startup", kind, data_dir, repr(time.time()), timeout=120)
    data = json.loads(line)
    return Startup(data["shown_s"], data["idle_rss"])


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    _child(sys.argv[2], sys.argv[3], float(sys.argv[4]))
