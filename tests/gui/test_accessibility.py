"""The window by keyboard and screen reader: every control named, shortcuts that work and are listed."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from localchat.gui.chat.bubble import MessageItem
from localchat.gui.main_window import MainWindow
from localchat.gui.menus import ShortcutsDialog, shortcut_rows

CONTROLS = (QAbstractButton, QLineEdit, QPlainTextEdit, QComboBox, QAbstractItemView)


def make_window(qtbot, data_paths) -> MainWindow:
    w = MainWindow(data_paths, install_demo=False, welcome=False)
    qtbot.addWidget(w)
    w.resize(1000, 700)
    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    return w


def name_of(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    if not text and hasattr(widget, "defaultAction") and widget.defaultAction():
        text = widget.defaultAction().text()
    return widget.accessibleName() or text


def test_every_control_a_person_can_reach_has_a_name(qtbot, data_paths):
    w = make_window(qtbot, data_paths)
    w.chat_view.set_messages([MessageItem(1, "user", "Hi"), MessageItem(2, "assistant", "Hello")])
    qtbot.waitUntil(lambda: all(b.isVisible() for b in w.chat_view.bubbles), timeout=5000)
    w.chat_view.bubbles[1].actions.show()
    reachable = [c for c in w.findChildren(QWidget) if isinstance(c, CONTROLS) and c.isVisibleTo(w)
                 and c.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert len(reachable) > 5
    unnamed = [f"{type(c).__name__} {c.objectName()}" for c in reachable if not name_of(c).strip()]
    assert unnamed == []
    w.close()


def test_the_shortcuts_work_and_are_listed(qtbot, data_paths):
    w = make_window(qtbot, data_paths)
    w.search_action.trigger()  # Ctrl+F
    assert w.sidebar.search_box.hasFocus()
    w.sidebar_action.trigger()  # Ctrl+B hides the conversations
    assert not w.sidebar.isVisible()
    w.search_action.trigger()  # searching shows them again
    assert w.sidebar.isVisible() and w.sidebar.search_box.hasFocus()
    qtbot.keyClick(w, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert w.composer.input.hasFocus()

    listed = dict(shortcut_rows(w))
    for keys in ("Ctrl+F", "Ctrl+B", "Ctrl+N", "Ctrl+M", "Ctrl+L", "Esc", "Enter", "Shift+Enter"):
        assert keys in listed, f"{keys} is not in Help → Keyboard shortcuts"
    dialog = ShortcutsDialog(w)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(shortcut_rows(w))
    w.close()


def test_tab_moves_from_the_message_box_through_the_window(qtbot, data_paths):
    w = make_window(qtbot, data_paths)
    w.chat_view.set_messages([MessageItem(1, "user", "Hi"), MessageItem(2, "assistant", "Hello")])
    qtbot.waitUntil(lambda: all(b.isVisible() for b in w.chat_view.bubbles), timeout=5000)
    w.composer.input.setFocus()
    seen = set()
    for _ in range(40):  # Tab goes round every part of the window and comes back
        qtbot.keyClick(w.focusWidget(), Qt.Key.Key_Tab)
        seen.add(w.focusWidget())
        if w.focusWidget() is w.composer.input:
            break
    assert w.composer.input in seen
    assert w.sidebar.search_box in seen and w.sidebar.conversation_list in seen
    assert any(b in seen for b in w.chat_view.bubbles), "Tab never reached a message"
    assert w.model_picker in seen
    w.close()
