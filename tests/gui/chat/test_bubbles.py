"""How messages look and what they offer: the person's at the right, a reply under its model's
name, icon actions on hover or keyboard focus, highlighted code with a header, and a reasoning
model's "Thinking" section."""

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QEnterEvent, QGuiApplication
from PySide6.QtWidgets import QApplication

from localchat.gui.chat.bubble import MessageItem
from localchat.gui.chat.view import ChatView
from localchat.gui.markdown import split_thinking
from localchat.gui.theme import theme

CODE = "Try this:\n\n```python\ndef twice(x):\n    return 2 * x  # doubled\n```\n\nDone."


def make_view(qtbot, items):
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(900, 600)
    view.show()
    view.set_messages(items)
    view.activateWindow()
    qtbot.waitUntil(lambda: view.isActiveWindow() and view._inner.width() > 600, timeout=5000)
    qtbot.waitUntil(lambda: all(b.isVisible() for b in view.bubbles), timeout=5000)
    return view


def hover(widget, inside: bool) -> None:
    if inside:
        QApplication.sendEvent(widget, QEnterEvent(QPointF(5, 5), QPointF(5, 5), QPointF(5, 5)))
    else:
        QApplication.sendEvent(widget, QEvent(QEvent.Type.Leave))


def test_the_persons_messages_sit_at_the_right_and_replies_under_the_models_name(qtbot):
    view = make_view(qtbot, [MessageItem(1, "user", "Hi there"),
                             MessageItem(2, "assistant", "Hello! " * 60, model="SmolLM2 135M")])
    question, reply = view.bubbles
    column = view._inner
    assert question.geometry().right() >= column.width() - 2  # flush right
    assert question.width() <= column.width() * 0.8 + 1 and question.width() < reply.width()
    assert question.objectName() == "bubble-user" and reply.objectName() == "bubble-assistant"
    assert reply.role_label.isVisibleTo(reply) and reply.role_label.text() == "SmolLM2 135M"
    assert not question.role_label.isVisibleTo(question)


def test_actions_are_icons_shown_on_hover_or_keyboard_focus(qtbot):
    view = make_view(qtbot, [MessageItem(1, "user", "Hi"), MessageItem(2, "assistant", "Hello", sibling_count=2)])
    question, reply = view.bubbles
    for button in (reply.copy_button, reply.regenerate_button, question.edit_button):
        assert button.text() == "" and not button.icon().isNull()  # an icon, named for screen readers
        assert button.accessibleName() and button.toolTip()
    view.setFocus()  # the keyboard focus outside the messages
    qtbot.waitUntil(lambda: not reply.actions_shown and not question.actions_shown, timeout=2000)
    assert reply.branch_label.isVisibleTo(reply) and reply.branch_label.text() == "1/2"  # always shown

    hover(reply, True)
    assert reply.actions_shown and not question.actions_shown
    hover(reply, False)
    assert not reply.actions_shown

    question.setFocus(Qt.FocusReason.TabFocusReason)  # Tab reaches the message: its actions show
    qtbot.waitUntil(lambda: question.actions_shown, timeout=2000)
    question.edit_button.setFocus(Qt.FocusReason.TabFocusReason)  # and Tab goes on to them
    assert question.actions_shown and question.edit_button.hasFocus()
    reply.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: reply.actions_shown and not question.actions_shown, timeout=2000)

    reply.copy_button.click()
    assert QGuiApplication.clipboard().text() == "Hello"


def test_code_blocks_are_highlighted_under_a_header_with_their_language_and_copy(qtbot):
    view = make_view(qtbot, [MessageItem(1, "assistant", CODE)])
    body = view.bubbles[0].body
    html = body.text()
    colors = theme().colors
    assert ">python<" in html and ">Copy<" in html and colors.code_header in html
    assert html.count("<span style=\"color:") >= 3  # keywords, numbers, the comment: coloured
    body.linkActivated.emit("copy:0")
    assert QGuiApplication.clipboard().text() == "def twice(x):\n    return 2 * x  # doubled\n"


def test_a_reasoning_models_thought_streams_open_then_folds(qtbot):
    view = make_view(qtbot, [MessageItem(1, "assistant", "")])
    bubble = view.bubbles[0]
    bubble.stream_text("<think>\nThe person wants")
    assert bubble.thinking_button.isVisibleTo(bubble) and bubble.thinking_label.isVisibleTo(bubble)
    assert bubble.thinking_button.text() == "Thinking…"
    bubble.stream_text("<think>\nThe person wants a number. Seven.")
    assert bubble.thinking_label.text() == "The person wants a number. Seven."
    assert "Seven" not in bubble.body.text()

    bubble.stream_text("<think>\nThe person wants a number. Seven.\n</think>\n\nIt is **7**.")
    assert not bubble.thinking_label.isVisibleTo(bubble), "the thought did not fold once the answer began"
    assert bubble.thinking_button.text() == "Thought"
    assert "<strong>7</strong>" in bubble.body.text() and "Seven" not in bubble.body.text()
    bubble.thinking_button.click()  # the person opens it again
    assert bubble.thinking_label.isVisibleTo(bubble)

    # shown again from the history: folded, the answer alone in the body
    view.set_messages([MessageItem(1, "assistant", "<think>Seven.</think>It is 7.")])
    again = view.bubbles[0]
    assert again.thought == "Seven." and not again.thinking_label.isVisibleTo(again)
    assert "It is 7." in again.body.text() and "think" not in again.body.text()


def test_a_reply_without_a_think_tag_has_no_thinking_section(qtbot):
    view = make_view(qtbot, [MessageItem(1, "assistant", "I think <think> is a tag.")])
    assert not view.bubbles[0].thinking_button.isVisibleTo(view.bubbles[0])
    assert split_thinking("I think <think> is a tag.").thought is None
    assert split_thinking("  <think>a</think>\nb") .answer == "b"


def test_the_empty_conversation_offers_example_prompts_and_without_a_model_what_to_do(qtbot):
    view = make_view(qtbot, [])
    assert view.empty.isVisibleTo(view) and all(c.isVisibleTo(view) for c in view.empty.chips)
    with qtbot.waitSignal(view.empty.prompt_chosen) as chosen:
        view.empty.chips[0].click()
    assert chosen.args[0] == view.empty.chips[0].text()
    view.show_empty_state(has_model=False)
    assert view.empty.demo_button.isVisibleTo(view) and view.empty.models_button.isVisibleTo(view)
    assert not any(c.isVisibleTo(view) for c in view.empty.chips)
    view.set_messages([MessageItem(1, "user", "Hi")])
    assert not view.empty.isVisibleTo(view)
