"""The conversation: one bubble per message, Markdown rendered, the last one growing as tokens
arrive, and auto-scroll that stops as soon as the person scrolls up."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from localchat.gui.markdown import RenderedMarkdown

FOLLOW_SLACK_PX = 24  # this close to the bottom counts as "at the bottom"
# While a reply streams, its finished paragraphs are shown in blocks of about this many characters
# that are laid out once; only the rest is rendered again as tokens arrive.
STREAM_BLOCK_CHARS = 1500


@dataclass(frozen=True)
class MessageItem:
    """What the view shows of one message. ``key`` identifies it to the window (a store id)."""

    key: object
    role: str
    text: str
    stats: str = ""
    sibling_index: int = 0  # 0-based position among its siblings
    sibling_count: int = 1


class MarkdownLabel(QLabel):
    """Markdown shown as rich text, with Copy links on its code blocks.

    QLabel lays its whole text out again each time a layout asks its height, so a long message
    costs time on every layout pass of the conversation; the height is kept per width instead,
    until the text or the font changes."""

    code_copied = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.code_blocks: list[str] = []
        self._heights: dict[int, int] = {}
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._on_link)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def show_markdown(self, text: str) -> None:
        code_bg = "#2b2b2b" if _is_dark() else "#f0f0f0"
        rendered = RenderedMarkdown(text, code_bg=code_bg)
        self.code_blocks = rendered.code_blocks
        self._heights.clear()
        self.setText(rendered.html or "&nbsp;")

    def heightForWidth(self, width: int) -> int:
        height = self._heights.get(width)
        if height is None:
            height = self._heights[width] = super().heightForWidth(width)
        return height

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._heights.clear()
        super().changeEvent(event)

    @Slot(str)
    def _on_link(self, href: str) -> None:
        if href.startswith("copy:"):
            index = int(href.split(":", 1)[1])
            if 0 <= index < len(self.code_blocks):
                self.code_copied.emit(self.code_blocks[index])


def streaming_split(text: str, start: int, min_chars: int = STREAM_BLOCK_CHARS) -> int:
    """Where the finished part of a growing reply may end, at least ``min_chars`` after ``start``
    (itself such a place): at the last paragraph break, or, once a paragraph runs past twice that
    length, at its last line break. Never inside a code block, nor before an indented line (it
    may continue a list item). ``start`` if there is no such place yet."""
    paragraph = line = start
    in_code = False  # ``start`` is never inside a code block
    at = start
    while (brk := text.find("\n", at)) >= 0:
        if text[at:brk].lstrip().startswith("```"):
            in_code = not in_code
        at = brk + 1
        after = text[at:at + 1]
        if in_code or not after or after.isspace() or at - start < min_chars:
            continue
        if text[brk - 1:brk] == "\n":
            paragraph = at
        else:
            line = at
    if paragraph > start or len(text) - start < 2 * min_chars:
        return paragraph
    return line


class MessageBubble(QFrame):
    copy_requested = Signal(str)
    edit_submitted = Signal(object, str)  # key, new text
    regenerate_requested = Signal(object)  # key
    sibling_requested = Signal(object, int)  # key, -1 / +1

    def __init__(self, item: MessageItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"bubble-{item.role}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)

        header = QHBoxLayout()
        who = {"user": "You", "assistant": "Assistant", "system": "System"}.get(item.role, item.role)
        self.role_label = QLabel(f"<b>{who}</b>")
        header.addWidget(self.role_label)
        self.prev_button = QToolButton(text="‹")
        self.branch_label = QLabel()
        self.next_button = QToolButton(text="›")
        self.prev_button.setToolTip("Previous version")
        self.next_button.setToolTip("Next version")
        self.prev_button.clicked.connect(lambda: self.sibling_requested.emit(self.item.key, -1))
        self.next_button.clicked.connect(lambda: self.sibling_requested.emit(self.item.key, +1))
        for w in (self.prev_button, self.branch_label, self.next_button):
            header.addWidget(w)
        header.addStretch(1)
        self.copy_button = QToolButton(text="Copy")
        self.copy_button.setToolTip("Copy this message")
        self.copy_button.clicked.connect(lambda: self._copy(self.item.text))
        header.addWidget(self.copy_button)
        if item.role == "user":
            self.edit_button = QToolButton(text="Edit")
            self.edit_button.setToolTip("Edit and send again (keeps the original as a branch)")
            self.edit_button.clicked.connect(self._start_edit)
            header.addWidget(self.edit_button)
        if item.role == "assistant":
            self.regenerate_button = QToolButton(text="Regenerate")
            self.regenerate_button.setToolTip("Write another reply (keeps this one as a branch)")
            self.regenerate_button.clicked.connect(lambda: self.regenerate_requested.emit(self.item.key))
            header.addWidget(self.regenerate_button)
        layout.addLayout(header)

        # While a reply streams, its finished blocks sit above the body, which shows the rest.
        self._finished_blocks: list[MarkdownLabel] = []
        self._finished_chars = 0
        self.body = MarkdownLabel()
        self.body.code_copied.connect(self._copy)
        layout.addWidget(self.body)

        self.editor = QPlainTextEdit()
        self.editor.hide()
        self.edit_bar = QWidget()
        bar = QHBoxLayout(self.edit_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addStretch(1)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self._end_edit)
        self.send_edit_button = QPushButton("Save && send")
        self.send_edit_button.clicked.connect(self._submit_edit)
        bar.addWidget(cancel)
        bar.addWidget(self.send_edit_button)
        self.edit_bar.hide()
        layout.addWidget(self.editor)
        layout.addWidget(self.edit_bar)

        self.stats_label = QLabel()
        self.stats_label.setObjectName("stats")
        self.stats_label.setStyleSheet("color: gray;")
        layout.addWidget(self.stats_label)
        self.update_item(item)

    # -- content -------------------------------------------------------------------------------
    def update_item(self, item: MessageItem) -> None:
        self.item = item
        self.set_text(item.text)
        self.set_stats(item.stats)
        many = item.sibling_count > 1
        for w in (self.prev_button, self.branch_label, self.next_button):
            w.setVisible(many)
        self.branch_label.setText(f"{item.sibling_index + 1}/{item.sibling_count}")
        self.prev_button.setEnabled(item.sibling_index > 0)
        self.next_button.setEnabled(item.sibling_index < item.sibling_count - 1)

    def set_text(self, text: str) -> None:
        """Show ``text`` whole, in one label (its text can be selected across paragraphs)."""
        self.item = replace(self.item, text=text)
        for label in self._finished_blocks:
            label.hide()
            self.layout().removeWidget(label)
            label.deleteLater()
        self._finished_blocks, self._finished_chars = [], 0
        self.body.show_markdown(text)

    def stream_text(self, text: str) -> None:
        """Show a reply that grows: the part that is rendered again on each call stays short,
        so a long reply costs no more per token than a short one. ``set_text`` joins it up."""
        if not text.startswith(self.item.text[:self._finished_chars]):
            self.set_text(text)
            return
        self.item = replace(self.item, text=text)
        split = streaming_split(text, self._finished_chars)
        if split > self._finished_chars:
            block = MarkdownLabel(self)
            block.code_copied.connect(self._copy)
            block.show_markdown(text[self._finished_chars:split])
            self.layout().insertWidget(self.layout().indexOf(self.body), block)
            self._finished_blocks.append(block)
            self._finished_chars = split
        self.body.show_markdown(text[self._finished_chars:])

    def append_text(self, delta: str) -> None:
        """A streamed batch of reply text, after what the bubble shows."""
        if delta:
            self.stream_text(self.item.text + delta)

    def set_stats(self, stats: str) -> None:
        self.stats_label.setText(stats)
        self.stats_label.setVisible(bool(stats))

    def set_actions_enabled(self, enabled: bool) -> None:
        for name in ("edit_button", "regenerate_button"):
            button = getattr(self, name, None)
            if button is not None:
                button.setEnabled(enabled)
        self.prev_button.setEnabled(enabled and self.item.sibling_index > 0)
        self.next_button.setEnabled(enabled and self.item.sibling_index < self.item.sibling_count - 1)

    # -- actions -------------------------------------------------------------------------------
    def _copy(self, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copy_requested.emit(text)

    def _start_edit(self) -> None:
        self.editor.setPlainText(self.item.text)
        self.body.hide()
        self.editor.show()
        self.edit_bar.show()
        self.editor.setFocus()

    def _end_edit(self) -> None:
        self.editor.hide()
        self.edit_bar.hide()
        self.body.show()

    def _submit_edit(self) -> None:
        text = self.editor.toPlainText().strip()
        self._end_edit()
        if text and text != self.item.text:
            self.edit_submitted.emit(self.item.key, text)


def _is_dark() -> bool:
    palette = QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


class ChatView(QScrollArea):
    """A column of MessageBubbles. The window tells it what to show; it tells the window what the
    person asked for (edit, regenerate, switch branch) through the bubbles' signals, re-emitted."""

    edit_submitted = Signal(object, str)
    regenerate_requested = Signal(object)
    sibling_requested = Signal(object, int)
    copied = Signal(str)
    earlier_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._content = QWidget()
        self._column = QVBoxLayout(self._content)
        self._column.setContentsMargins(12, 12, 12, 12)
        self._column.setSpacing(8)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background-color: #fff3cd; color: #5c4400; padding: 6px;")
        self.notice.hide()
        self._column.addWidget(self.notice)
        self.earlier_button = QPushButton("Show earlier messages")
        self.earlier_button.clicked.connect(self.earlier_requested)
        self.earlier_button.hide()
        self._column.addWidget(self.earlier_button)
        self._column.addStretch(1)
        self.setWidget(self._content)
        self.bubbles: list[MessageBubble] = []
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)

    # -- content -------------------------------------------------------------------------------
    def set_notice(self, text: str | None) -> None:
        self.notice.setText(text or "")
        self.notice.setVisible(bool(text))

    def set_earlier_available(self, available: bool) -> None:
        self.earlier_button.setVisible(available)

    def set_messages(self, items: list[MessageItem]) -> None:
        self._remove(self.bubbles)
        self.bubbles = []
        for item in items:
            self.append_message(item)
        self._follow = True

    def truncate_from(self, key: object) -> bool:
        """Remove the bubble of ``key`` and every bubble below it (a branch that changes from
        there); the ones above stay as they are, and so does the scroll position above them."""
        for i, bubble in enumerate(self.bubbles):
            if bubble.item.key == key:
                self._remove(self.bubbles[i:])
                del self.bubbles[i:]
                return True
        return False

    def _remove(self, bubbles: list[MessageBubble]) -> None:
        for bubble in bubbles:
            self._column.removeWidget(bubble)
            bubble.deleteLater()

    def append_message(self, item: MessageItem) -> MessageBubble:
        bubble = MessageBubble(item, self._content)
        bubble.edit_submitted.connect(self.edit_submitted)
        bubble.regenerate_requested.connect(self.regenerate_requested)
        bubble.sibling_requested.connect(self.sibling_requested)
        bubble.copy_requested.connect(self.copied)
        self._column.insertWidget(self._column.count() - 1, bubble)
        self.bubbles.append(bubble)
        return bubble

    def last_bubble(self) -> MessageBubble | None:
        return self.bubbles[-1] if self.bubbles else None

    def set_actions_enabled(self, enabled: bool) -> None:
        for bubble in self.bubbles:
            bubble.set_actions_enabled(enabled)

    def scroll_to_key(self, key: object) -> bool:
        for bubble in self.bubbles:
            if bubble.item.key == key:
                self._follow = False
                self.ensureWidgetVisible(bubble)
                return True
        return False

    # -- auto-scroll ---------------------------------------------------------------------------
    @property
    def following(self) -> bool:
        return self._follow

    def follow_bottom(self) -> None:
        """Go to the bottom and stay there as the content grows (the person just sent)."""
        self._follow = True
        bar = self.verticalScrollBar()
        bar.setValue(bar.maximum())

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = value >= bar.maximum() - FOLLOW_SLACK_PX

    @Slot(int, int)
    def _on_range_changed(self, _minimum: int, maximum: int) -> None:
        if self._follow:
            self.verticalScrollBar().setValue(maximum)
