"""The window's menu bar: what each menu holds and which of the window's actions it calls."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QKeySequence

if TYPE_CHECKING:
    from localchat.gui.main_window import MainWindow


def build_menus(window: "MainWindow") -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    file_menu.addAction(window.new_chat_action)
    import_action = file_menu.addAction("Import conversation…")
    import_action.triggered.connect(window.sidebar.import_conversation)
    export_action = file_menu.addAction("Export conversation…")
    export_action.triggered.connect(
        lambda: window.conversation is not None and window.sidebar.export_conversation(window.conversation.id))
    file_menu.addSeparator()
    window.settings_action = file_menu.addAction("Settings…")
    window.settings_action.setShortcut(QKeySequence.StandardKey.Preferences)
    window.settings_action.triggered.connect(window.open_settings)
    file_menu.addSeparator()
    quit_action = file_menu.addAction("Quit")
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    models_menu = bar.addMenu("&Models")
    manager = models_menu.addAction("Model Manager…")
    manager.setShortcut(QKeySequence("Ctrl+M"))
    manager.triggered.connect(window.open_model_manager)
    welcome = models_menu.addAction("Recommended for this computer…")
    welcome.triggered.connect(window.show_welcome)
    open_file = models_menu.addAction("Open GGUF file…")
    open_file.setShortcut(QKeySequence.StandardKey.Open)
    open_file.triggered.connect(window.model_picker.open_file)
    view_menu = bar.addMenu("&View")
    view_menu.addAction(window.settings_dock.toggleViewAction())
    help_menu = bar.addMenu("&Help")
    about = help_menu.addAction("About localchat")
    about.triggered.connect(lambda: show_about(window))


def show_about(window: "MainWindow") -> None:
    from localchat.gui.about import AboutDialog

    AboutDialog(window).exec()
