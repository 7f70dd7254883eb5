"""The conversation view on its own, offscreen: how a long reply is shown while it streams."""

import html
import re

from PySide6.QtGui import QGuiApplication

from localchat.gui.chat.bubble import MarkdownLabel, MessageItem, streaming_split
from localchat.gui.chat.view import ChatView

PARAGRAPH = "The keeper climbed the stairs of the lighthouse and **lit** the lamp at dusk. " * 5


def reply_text(paragraphs: int) -> str:
    parts = []
    for i in range(paragraphs):
        parts.append(f"Part {i}: {PARAGRAPH}")
        if i % 7 == 3:
            parts.append(f"```python\nprint({i})\n\nprint({i} + 1)\n```")
    return "\n\n".join(parts)


def shown_labels(bubble) -> list[MarkdownLabel]:
    """The bubble's text labels from top to bottom, as the person reads them."""
    layout = bubble.layout()
    widgets = [layout.itemAt(i).widget() for i in range(layout.count())]
    return [w for w in widgets if isinstance(w, MarkdownLabel) and w.isVisibleTo(bubble)]


def plain(rich: str) -> str:
    """The words of a label's rich text, as the person reads them (highlighting splits code)."""
    return html.unescape(re.sub(r"<[^>]+>", "", rich))


# -- where a growing reply may be cut ---------------------------------------------------------------
def test_a_reply_is_cut_only_at_paragraph_breaks_outside_code_blocks():
    text = "a" * 30 + "\n\n```\ncode\n\nmore code\n```\n\nb" * 3
    cut = streaming_split(text, 0, min_chars=10)
    assert text[cut - 2:cut] == "\n\n" and text[cut:].startswith("b")
    assert text[:cut].count("```") % 2 == 0
    assert streaming_split(text, 0, min_chars=len(text)) == 0  # not enough yet: nothing is cut


def test_a_reply_is_not_cut_before_an_indented_line():
    text = "1. item" + "x" * 40 + "\n\n    still the item\n\nnext"
    assert text[streaming_split(text, 0, min_chars=10):] == "next"


# -- streaming into a bubble ------------------------------------------------------------------------
def test_a_long_reply_renders_only_its_last_part_again_as_it_grows(qtbot):
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(700, 500)
    view.show()
    bubble = view.append_message(MessageItem(1, "assistant", ""))
    text = reply_text(60)  # ~26,000 characters
    for end in range(0, len(text), 400):
        bubble.stream_text(text[:end])
    bubble.stream_text(text)
    qtbot.waitUntil(lambda: view.verticalScrollBar().maximum() > 0, timeout=5000)

    labels = shown_labels(bubble)
    assert len(labels) > 5
    # what is rendered again on each token stays short, however long the reply grows
    assert len(bubble.item.text) - bubble._finished_chars < 3 * 1500
    assert bubble.item.text == text
    # nothing is missing or shown twice: every paragraph and code block appears once, in order
    shown = "".join(plain(label.text()) for label in labels)
    positions = [shown.find(f"Part {i}: The keeper") for i in range(60)]
    assert all(p >= 0 for p in positions) and positions == sorted(positions)
    assert sum(len(label.code_blocks) for label in labels) == text.count("```python")
    assert all(shown.count(f"print({i} + 1)") == 1 for i in range(60) if i % 7 == 3)

    # a Copy link in a block that finished earlier copies that block's code
    first_code = next(label for label in labels if label.code_blocks)
    first_code.linkActivated.emit("copy:0")
    assert QGuiApplication.clipboard().text() == "print(3)\n\nprint(3 + 1)\n"

    # when the reply is done, it is one text again, selectable from end to end
    bubble.update_item(MessageItem(1, "assistant", text, stats="12.0 tok/s"))
    qtbot.waitUntil(lambda: len(shown_labels(bubble)) == 1, timeout=5000)
    assert shown_labels(bubble) == [bubble.body]
    assert "Part 59: The keeper" in bubble.body.text() and "Part 0: The keeper" in bubble.body.text()


def test_a_reply_that_changes_its_start_is_shown_afresh(qtbot):
    view = ChatView()
    qtbot.addWidget(view)
    bubble = view.append_message(MessageItem(1, "assistant", ""))
    text = reply_text(12)
    bubble.stream_text(text)
    assert bubble._finished_chars > 0
    bubble.stream_text("Another reply")
    assert bubble._finished_chars == 0
    assert "Another reply" in bubble.body.text() and "The keeper" not in bubble.body.text()


def test_a_label_lays_out_again_when_its_text_changes(qtbot):
    label = MarkdownLabel()
    qtbot.addWidget(label)
    label.show_markdown("short")
    one_line = label.heightForWidth(300)
    label.show_markdown(PARAGRAPH * 4)
    long = label.heightForWidth(300)
    assert long > 3 * one_line
    font = label.font()
    font.setPointSize(font.pointSize() * 2)
    label.setFont(font)  # a larger font needs more lines: the kept height must not be reused
    assert label.heightForWidth(300) > long * 3 // 2


def test_a_paragraph_that_runs_on_is_cut_at_a_line_break():
    text = ("a line of a very long paragraph\n" * 10) + "the end"
    cut = streaming_split(text, 0, min_chars=100)
    assert text[cut - 1] == "\n" and cut >= 100
    assert streaming_split(text, 0, min_chars=200) == 0  # not yet twice as long as a block


# -- following the bottom ---------------------------------------------------------------------------
def test_the_view_follows_a_growing_reply_until_the_person_scrolls_up(qtbot):
    view = ChatView()
    qtbot.addWidget(view)
    view.resize(500, 300)
    view.show()
    bar = view.verticalScrollBar()
    bubble = view.append_message(MessageItem(1, "assistant", ""))

    def grow(paragraphs: int) -> list[tuple[int, int]]:
        """(scroll position, bottom) after each paragraph has been laid out."""
        seen = []
        for i in range(paragraphs):
            height = bubble.height()
            bubble.append_text(f"Paragraph {i}: {PARAGRAPH}\n\n")
            qtbot.waitUntil(lambda: bubble.height() > height, timeout=5000)
            seen.append((bar.value(), bar.maximum()))
        return seen

    followed = grow(12)
    assert followed[-1][1] > 2 * bar.pageStep()
    assert all(at == bottom for at, bottom in followed if bottom > 0)

    bar.triggerAction(bar.SliderAction.SliderPageStepSub)  # the person scrolls up to read
    reading = bar.value()
    assert reading < bar.maximum() and not view.following
    assert all(at == reading for at, _ in grow(4)), "the view scrolled away from what the person reads"

    bar.triggerAction(bar.SliderAction.SliderToMaximum)  # back at the bottom: following again
    assert view.following
    assert all(at == bottom for at, bottom in grow(4))
