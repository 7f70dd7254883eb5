"""The message box: it grows with the text, Enter sends, and its one button sends or stops."""

from PySide6.QtCore import Qt

from localchat.gui.chat.composer import MAX_LINES, Composer


def make(qtbot) -> Composer:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.resize(700, 200)
    composer.show()
    return composer


def test_the_box_grows_from_one_line_to_a_limit(qtbot):
    composer = make(qtbot)
    one = composer.input.height()
    composer.input.setPlainText("first\nsecond\nthird")
    three = composer.input.height()
    assert three > 2 * one * 0.9
    composer.input.setPlainText("\n".join(f"line {i}" for i in range(30)))
    most = composer.input.height()
    assert most < one * (MAX_LINES + 1) and most > three
    composer.input.clear()
    assert composer.input.height() == one


def test_enter_sends_and_the_button_stops_while_a_reply_streams(qtbot):
    composer = make(qtbot)
    composer.input.setPlainText("Hello")
    with qtbot.waitSignal(composer.send_requested) as sent:
        qtbot.keyClick(composer.input, Qt.Key.Key_Return)
    assert sent.args == ["Hello"] and composer.input.toPlainText() == ""
    qtbot.keyClick(composer.input, Qt.Key.Key_A)
    qtbot.keyClick(composer.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    assert composer.input.toPlainText() == "a\n"  # Shift+Enter: a new line, nothing sent

    composer.set_generating(True)
    assert composer.send_button.accessibleName() == "Stop" and composer.send_button.isEnabled()
    with qtbot.waitSignal(composer.stop_requested):
        composer.send_button.click()
    composer.set_generating(False)
    composer.set_can_send(False, "Load a model first")
    assert composer.send_button.accessibleName() == "Send" and not composer.send_button.isEnabled()
    assert composer.send_button.toolTip() == "Load a model first"
