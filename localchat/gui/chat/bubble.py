"""One message of the conversation as the view shows it: ``MessageItem`` (its data) and
``MessageBubble`` (its widget: the Markdown, the Thinking section, the hover actions, the edit
box, the check of a structured reply), and the split of a streaming reply into laid-out blocks."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QGuiApplication, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from localchat.gui.chat.sources import SourcesView
from localchat.gui.markdown import RenderedMarkdown, ThinkingSplit, split_thinking
from localchat.gui.theme import theme
from localchat.gui.theme.tokens import ACTION_PX, CHAT_MAX_PX, ICON_PX, Space, Type

# While a reply streams, its finished paragraphs are shown in blocks of about this many characters
# that are laid out once; only the rest is rendered again as tokens arrive.
STREAM_BLOCK_CHARS = 1500
USER_WIDTH = 0.8  # the person's bubbles: at most this share of the column


@dataclass(frozen=True)
class MessageItem:
    """What the view shows of one message. ``key`` identifies it to the window (a store id)."""

    key: object
    role: str
    text: str
    stats: str = ""
    sibling_index: int = 0  # 0-based position among its siblings
    sibling_count: int = 1
    model: str = ""  # the model that wrote a reply, shown above it
    # a structured reply's check against its format: "valid JSON", or the error and where
    check: str = ""
    check_ok: bool = True
    pretty: str | None = None  # a valid JSON reply, indented: shown as a code block with Copy
    sources: object = None  # a reply answered from documents: its ReplySources, listed under it


class MarkdownLabel(QLabel):
    """Markdown shown as rich text, with Copy links on its code blocks.

    QLabel lays its whole text out again each time a layout asks its height, so a long message
    costs time on every layout pass of the conversation; the height is kept per width instead,
    until the text or the font changes."""

    code_copied = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.code_blocks: list[str] = []
        self.markdown = ""
        self._heights: dict[int, int] = {}
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._on_link)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def show_markdown(self, text: str) -> None:
        t = theme()
        rendered = RenderedMarkdown(text, t.colors, t.base_point_size(), self.tr("Copy"))
        self.markdown = text
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
    """One message. The person's sit in a tinted bubble at the right; a reply is text on the
    background under the model's name. Its actions (copy, edit or regenerate) are small icon
    buttons shown while the pointer is over it or the keyboard focus is in it; ‹ n/m › shows
    whenever there are other versions. A reasoning model's ``<think>`` part is a "Thinking"
    section that is open while it streams and folds when the answer begins."""

    copy_requested = Signal(str)
    edit_submitted = Signal(object, str)  # key, new text
    regenerate_requested = Signal(object)  # key
    sibling_requested = Signal(object, int)  # key, -1 / +1

    def __init__(self, item: MessageItem, parent: QWidget | None = None):
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"bubble-{item.role}")
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # Tab reaches each message, then its actions
        self.setAccessibleName(self._who())
        layout = QVBoxLayout(self)
        if item.role == "user":
            layout.setContentsMargins(Space.L, Space.S + 2, Space.L, Space.XS)
        else:
            layout.setContentsMargins(0, Space.XS, 0, Space.XS)
        layout.setSpacing(Space.XS)

        self.role_label = QLabel(self._who())
        self.role_label.setObjectName("who")
        self.role_label.setVisible(item.role != "user")
        layout.addWidget(self.role_label)

        self.thinking_button = QToolButton()
        self.thinking_button.setObjectName("thinking-toggle")
        self.thinking_button.setCheckable(True)
        self.thinking_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.thinking_button.toggled.connect(self._on_thinking_toggled)
        self.thinking_label = QLabel()
        self.thinking_label.setObjectName("thinking")
        self.thinking_label.setTextFormat(Qt.TextFormat.PlainText)
        self.thinking_label.setWordWrap(True)
        self.thinking_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.thinking_label.setContentsMargins(Space.M, 0, 0, 0)
        self.thinking_button.hide()
        self.thinking_label.hide()
        layout.addWidget(self.thinking_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.thinking_label)
        self._thought: str | None = None
        self._thinking_open = False  # whether the thought is still streaming

        # While a reply streams, its finished blocks sit above the body, which shows the rest.
        self._finished_blocks: list[MarkdownLabel] = []
        self._finished_chars = 0  # of the answer (after any thought)
        self._answer = ""
        self.body = MarkdownLabel()
        self.body.code_copied.connect(self._copy)
        layout.addWidget(self.body)
        self.check_label = QLabel()  # a structured reply's check: "valid JSON", or what is wrong
        self.check_label.setWordWrap(True)
        self.check_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.check_label.hide()
        layout.addWidget(self.check_label)
        self.sources_view = SourcesView()  # the passages of documents a reply was given
        layout.addWidget(self.sources_view)

        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName(self.tr("Edit the message"))
        self.editor.hide()
        self.edit_bar = QWidget()
        bar = QHBoxLayout(self.edit_bar)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addStretch(1)
        cancel = QPushButton(self.tr("Cancel"))
        cancel.clicked.connect(self._end_edit)
        self.send_edit_button = QPushButton(self.tr("Save && send"))
        self.send_edit_button.setObjectName("primary")
        self.send_edit_button.clicked.connect(self._submit_edit)
        bar.addWidget(cancel)
        bar.addWidget(self.send_edit_button)
        self.edit_bar.hide()
        layout.addWidget(self.editor)
        layout.addWidget(self.edit_bar)

        # the actions row: ‹ n/m › always (when there are versions), the icon buttons on hover
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        self.prev_button = self._action_button("mdi6.chevron-left", self.tr("Previous version"))
        self.branch_label = QLabel()
        self.branch_label.setObjectName("muted")
        self.next_button = self._action_button("mdi6.chevron-right", self.tr("Next version"))
        self.prev_button.clicked.connect(lambda: self.sibling_requested.emit(self.item.key, -1))
        self.next_button.clicked.connect(lambda: self.sibling_requested.emit(self.item.key, +1))
        for w in (self.prev_button, self.branch_label, self.next_button):
            row.addWidget(w)
        self.actions = QWidget()
        actions = QHBoxLayout(self.actions)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(2)
        self.copy_button = self._action_button("mdi6.content-copy", self.tr("Copy this message"))
        self.copy_button.clicked.connect(lambda: self._copy(self.item.text))
        actions.addWidget(self.copy_button)
        if item.role == "user":
            self.edit_button = self._action_button(
                "mdi6.pencil-outline", self.tr("Edit and send again (keeps the original as a branch)"))
            self.edit_button.clicked.connect(self._start_edit)
            actions.addWidget(self.edit_button)
        if item.role == "assistant":
            self.regenerate_button = self._action_button(
                "mdi6.refresh", self.tr("Write another reply (keeps this one as a branch)"))
            self.regenerate_button.clicked.connect(lambda: self.regenerate_requested.emit(self.item.key))
            actions.addWidget(self.regenerate_button)
        policy = self.actions.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # showing them on hover moves nothing
        self.actions.setSizePolicy(policy)
        self.actions.hide()
        row.addWidget(self.actions)
        row.addStretch(1)
        self.stats_label = QLabel()
        self.stats_label.setObjectName("stats")
        row.addWidget(self.stats_label)
        layout.addLayout(row)
        self._hovered = False
        self._max_width = CHAT_MAX_PX
        self.refresh_style()
        self.update_item(item)

    def _action_button(self, icon: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setObjectName("action")
        button.setProperty("icon_name", icon)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def _who(self) -> str:
        if self.item.role == "user":
            return self.tr("You")
        if self.item.role == "system":
            return self.tr("System")
        return self.item.model or self.tr("Assistant")

    def refresh_style(self) -> None:
        """Icons and small type in the theme shown now (after a theme or font size change)."""
        t = theme()
        for button in self.findChildren(QToolButton):
            name = button.property("icon_name")
            if name:
                button.setIcon(t.icon(name))
                button.setIconSize(QSize(ICON_PX, ICON_PX))
        small = QFont(self.font())
        small.setPointSizeF(t.base_point_size() * Type.SMALL)
        for label in (self.role_label, self.stats_label, self.branch_label, self.thinking_label):
            label.setFont(small)
        self.thinking_button.setFont(small)
        self._set_thinking_header()

    # -- hover and focus -----------------------------------------------------------------------
    def enterEvent(self, event) -> None:
        self._hovered = True
        self.update_actions()
        super().enterEvent(event)

    def leaveEvent(self, event) -> None:
        self._hovered = False
        self.update_actions()
        super().leaveEvent(event)

    def focus_within(self) -> bool:
        focused = QApplication.focusWidget()
        return focused is not None and (focused is self or self.isAncestorOf(focused))

    def update_actions(self) -> None:
        self.actions.setVisible(self._hovered or self.focus_within())

    @property
    def actions_shown(self) -> bool:
        return self.actions.isVisibleTo(self)

    # -- content -------------------------------------------------------------------------------
    def update_item(self, item: MessageItem) -> None:
        self.item = item
        self.role_label.setText(self._who())
        self.setAccessibleName(self._who())
        self.set_text(item.text)
        if item.pretty is not None:  # a valid JSON reply, indented, with the code block's Copy
            self.body.show_markdown(f"```json\n{item.pretty}\n```")
            self.fit_width()
        self.set_stats(item.stats)
        self.set_check(item.check, item.check_ok)
        self.sources_view.show_sources(item.sources, item.text)
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
        split = self._split(text)
        self._show_thought(split)
        self._answer = split.answer
        self.body.show_markdown(split.answer)
        self.fit_width()

    def fit_width(self, max_width: int | None = None) -> None:
        """The person's bubble: as wide as its text, at most ``max_width`` (the view's share)."""
        if self.item.role != "user":
            return
        if max_width is not None:
            self._max_width = max_width
        doc = QTextDocument()
        doc.setDefaultFont(self.body.font())
        doc.setHtml(self.body.text())
        margins = self.layout().contentsMargins()
        wanted = math.ceil(doc.idealWidth()) + margins.left() + margins.right() + Space.XS
        self.setFixedWidth(max(ACTION_PX * 4, min(self._max_width, wanted)))

    def stream_text(self, text: str) -> None:
        """Show a reply that grows: the part that is rendered again on each call stays short,
        so a long reply costs no more per token than a short one. ``set_text`` joins it up."""
        split = self._split(text)
        answer = split.answer
        if not answer.startswith(self._answer[:self._finished_chars]) or (split.thought is None) != (
                self._thought is None):
            self.set_text(text)
            return
        self.item = replace(self.item, text=text)
        self._show_thought(split)
        self._answer = answer
        cut = streaming_split(answer, self._finished_chars)
        if cut > self._finished_chars:
            block = MarkdownLabel(self)
            block.code_copied.connect(self._copy)
            block.show_markdown(answer[self._finished_chars:cut])
            self.layout().insertWidget(self.layout().indexOf(self.body), block)
            self._finished_blocks.append(block)
            self._finished_chars = cut
        self.body.show_markdown(answer[self._finished_chars:])

    def append_text(self, delta: str) -> None:
        """A streamed batch of reply text, after what the bubble shows."""
        if delta:
            self.stream_text(self.item.text + delta)

    def _split(self, text: str) -> ThinkingSplit:
        if self.item.role != "assistant":
            return ThinkingSplit(None, text, True, 0)
        return split_thinking(text)

    def _show_thought(self, split: ThinkingSplit) -> None:
        has = split.thought is not None
        if not has and self._thought is None:
            return  # a reply that does not think: nothing to do on each batch
        if split.thought != self._thought:
            self.thinking_label.setText(split.thought or "")
        had, was_open = self._thought is not None, self._thinking_open
        self._thought = split.thought
        self._thinking_open = has and not split.done
        if has == had and self._thinking_open == was_open:
            return
        self.thinking_button.setVisible(has)
        if not has:
            self.thinking_label.hide()
        else:  # open while it streams; folded once the answer begins (a click opens it again)
            self.thinking_button.setChecked(self._thinking_open)
            self.thinking_label.setVisible(self._thinking_open)
        self._set_thinking_header()

    def _set_thinking_header(self) -> None:
        if self._thinking_open:
            self.thinking_button.setText(self.tr("Thinking…"))
        else:
            self.thinking_button.setText(self.tr("Thought"))
        open_ = self.thinking_button.isChecked()
        self.thinking_button.setIcon(theme().icon("mdi6.chevron-down" if open_ else "mdi6.chevron-right"))
        self.thinking_button.setAccessibleName(self.thinking_button.text())
        self.thinking_button.setToolTip(self.tr("Hide what the model thought") if open_ else
                                        self.tr("Show what the model thought before answering"))

    @Slot(bool)
    def _on_thinking_toggled(self, shown: bool) -> None:
        self.thinking_label.setVisible(shown and self._thought is not None)
        self._set_thinking_header()

    @property
    def thought(self) -> str | None:
        return self._thought

    def set_check(self, text: str, ok: bool = True) -> None:
        self.check_label.setObjectName("muted" if ok else "error")  # the theme's colours, by name
        self.check_label.setText(("✓ " if ok else "✗ ") + text if text else "")
        self.check_label.setAccessibleName(self.tr("Format check"))
        self.check_label.setVisible(bool(text))
        self.check_label.style().unpolish(self.check_label)
        self.check_label.style().polish(self.check_label)

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
