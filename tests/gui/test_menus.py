"""The window's menus reach what they name."""

from localchat.gui.main_window import MainWindow


def action(window, menu_title: str, text: str):
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == menu_title)
    return next(a for a in menu.actions() if a.text() == text)


def test_the_menus_open_the_model_manager_and_the_conversation_settings(qtbot, data_paths):
    w = MainWindow(data_paths, install_demo=False, welcome=False)
    qtbot.addWidget(w)
    w.show()
    assert [a.text() for a in w.menuBar().actions()] == ["&File", "&Models", "&View", "&Help"]
    manager = action(w, "&Models", "Model Manager…")
    assert manager.shortcut().toString() == "Ctrl+M"
    manager.trigger()
    assert w.model_manager is not None and w.model_manager.isVisible()
    dock = action(w, "&View", w.settings_dock.toggleViewAction().text())
    dock.trigger()
    assert w.settings_dock.isVisible()
    w.close()
