"""The window's menu bar: what each menu holds and which of the window's actions it calls, and the
keyboard shortcuts listed in Help → Keyboard shortcuts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTableWidget, QTableWidgetItem, QVBoxLayout

if TYPE_CHECKING:
    from localchat.gui.main_window import MainWindow

# What the window's keys do (the ones no menu shows); the menus' shortcuts are read from them.
KEYS = (
    ("Enter", QT_TRANSLATE_NOOP("Menus", "Send the message")),
    ("Shift+Enter", QT_TRANSLATE_NOOP("Menus", "A new line in the message")),
    ("Esc", QT_TRANSLATE_NOOP("Menus", "Stop the reply")),
    ("Tab / Shift+Tab", QT_TRANSLATE_NOOP("Menus", "Move between the conversations, the messages and their "
                                                   "actions, and the message box")),
)


def build_menus(window: MainWindow) -> None:
    bar = window.menuBar()
    file_menu = bar.addMenu(QCoreApplication.translate("Menus", "&File"))
    file_menu.addAction(window.new_chat_action)
    import_action = file_menu.addAction(QCoreApplication.translate("Menus", "Import conversation…"))
    import_action.triggered.connect(window.sidebar.import_conversation)
    export_action = file_menu.addAction(QCoreApplication.translate("Menus", "Export conversation…"))
    export_action.triggered.connect(
        lambda: window.conversation is not None and window.sidebar.export_conversation(window.conversation.id))
    file_menu.addSeparator()
    file_menu.addAction(window.settings_action)
    file_menu.addSeparator()
    quit_action = file_menu.addAction(QCoreApplication.translate("Menus", "Quit"))
    quit_action.setShortcut(QKeySequence.StandardKey.Quit)
    quit_action.triggered.connect(window.close)
    models_menu = bar.addMenu(QCoreApplication.translate("Menus", "&Models"))
    manager = models_menu.addAction(QCoreApplication.translate("Menus", "Model Manager…"))
    manager.setShortcut(QKeySequence("Ctrl+M"))
    manager.triggered.connect(window.open_model_manager)
    welcome = models_menu.addAction(QCoreApplication.translate("Menus", "Recommended for this computer…"))
    welcome.triggered.connect(window.show_welcome)
    open_file = models_menu.addAction(QCoreApplication.translate("Menus", "Open GGUF file…"))
    open_file.setShortcut(QKeySequence.StandardKey.Open)
    open_file.triggered.connect(window.model_picker.open_file)
    view_menu = window.view_menu = bar.addMenu(QCoreApplication.translate("Menus", "&View"))
    view_menu.addAction(window.sidebar_action)
    view_menu.addAction(window.settings_dock.toggleViewAction())
    window.search_action = view_menu.addAction(QCoreApplication.translate("Menus", "Search messages"))
    window.search_action.setShortcut(QKeySequence.StandardKey.Find)
    window.search_action.triggered.connect(window.focus_search)
    focus_composer = view_menu.addAction(QCoreApplication.translate("Menus", "Go to the message box"))
    focus_composer.setShortcut(QKeySequence("Ctrl+L"))
    focus_composer.triggered.connect(window.composer.input.setFocus)
    help_menu = bar.addMenu(QCoreApplication.translate("Menus", "&Help"))
    keys = help_menu.addAction(QCoreApplication.translate("Menus", "Keyboard shortcuts"))
    keys.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
    keys.triggered.connect(lambda: ShortcutsDialog(window).exec())
    about = help_menu.addAction(QCoreApplication.translate("Menus", "About localchat"))
    about.triggered.connect(lambda: show_about(window))


def shortcut_rows(window: MainWindow) -> list[tuple[str, str]]:
    """(keys, what they do) for every menu action with a shortcut, then the window's own keys."""
    rows = []
    for menu_action in window.menuBar().actions():
        for action in menu_action.menu().actions():
            if not action.shortcut().isEmpty():
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                rows.append((keys, action.text().replace("&", "").rstrip("…")))
    return rows + [(keys, QCoreApplication.translate("Menus", what)) for keys, what in KEYS]


class ShortcutsDialog(QDialog):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.setWindowTitle(QCoreApplication.translate("Menus", "Keyboard shortcuts"))
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 2)
        self.table.setAccessibleName(QCoreApplication.translate("Menus", "Keyboard shortcuts"))
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("Menus", "Keys"), QCoreApplication.translate("Menus", "Does")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (keys, what) in enumerate(rows):
            self.table.setItem(i, 0, QTableWidgetItem(keys))
            self.table.setItem(i, 1, QTableWidgetItem(what))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(520, 420)


def show_about(window: MainWindow) -> None:
    from localchat.gui.about import AboutDialog

    AboutDialog(window).exec()
