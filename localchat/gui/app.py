"""Start the window."""

from __future__ import annotations

import sys

from localchat import APP_NAME, __version__
from localchat.core.paths import DataPaths


def make_application(argv: list[str] | None = None):
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    return app


def run_app(paths: DataPaths) -> int:
    from localchat.gui.main_window import MainWindow

    app = make_application()
    window = MainWindow(paths)
    window.show()
    return app.exec()
