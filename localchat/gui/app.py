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
    from localchat.gui.about import app_icon

    app.setWindowIcon(app_icon())
    from localchat.gui import i18n

    if not i18n.installed_language():  # the system's language, until the settings say otherwise
        i18n.install(app, i18n.choose_language(None))
    return app


def run_app(paths: DataPaths) -> int:
    from localchat.core.settings import load_settings
    from localchat.gui import i18n
    from localchat.gui.main_window import MainWindow
    from localchat.gui.single_instance import SingleInstance

    app = make_application()
    i18n.install(app, i18n.choose_language(i18n.language_setting(load_settings(paths.settings))))
    instance = SingleInstance(paths)
    if instance.notify_running():
        print("localchat is already running; its window was brought to the front.")
        return 0
    instance.listen()
    window = MainWindow(paths)
    instance.activation_requested.connect(window.bring_to_front)
    window.show()
    code = app.exec()
    instance.close()
    return code
