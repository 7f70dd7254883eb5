"""The conversation: one bubble per message, Markdown rendered, the last one growing as tokens
arrive, and auto-scroll that stops as soon as the person scrolls up."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from localchat.gui.chat.bubble import USER_WIDTH, MessageBubble, MessageItem
from localchat.gui.theme import theme
from localchat.gui.theme.tokens import CHAT_MAX_PX, Space, Type

FOLLOW_SLACK_PX = 24  # this close to the bottom counts as "at the bottom"


EXAMPLE_PROMPTS = (
    QT_TRANSLATE_NOOP("ChatView", "Explain how a rainbow forms, in three sentences"),
    QT_TRANSLATE_NOOP("ChatView", "Write a Python function that tells whether a word is a palindrome"),
    QT_TRANSLATE_NOOP("ChatView", "Suggest five names for a café in an old lighthouse"),
)


class EmptyState(QWidget):
    """What the chat column shows before the first message: what to do next."""

    prompt_chosen = Signal(str)
    demo_requested = Signal()
    models_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("empty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.XL, Space.XXL, Space.XL, Space.XL)
        layout.setSpacing(Space.M)
        self.title = QLabel()
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel()
        self.hint.setObjectName("muted")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        self.chips: list[QPushButton] = []
        for prompt in EXAMPLE_PROMPTS:
            chip = QPushButton(QCoreApplication.translate("ChatView", prompt))
            chip.setObjectName("chip")
            chip.clicked.connect(lambda _=False, c=chip: self.prompt_chosen.emit(c.text()))
            layout.addWidget(chip, 0, Qt.AlignmentFlag.AlignHCenter)
            self.chips.append(chip)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.demo_button = QPushButton(self.tr("Use the small demo model now"))
        self.demo_button.setObjectName("primary")
        self.demo_button.clicked.connect(self.demo_requested)
        self.models_button = QPushButton(self.tr("Choose a model for this computer…"))
        self.models_button.clicked.connect(self.models_requested)
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.models_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.has_model = True
        self.demo_available = True
        self.show_for(has_model=True)

    def show_for(self, *, has_model: bool, demo_available: bool | None = None) -> None:
        self.has_model = has_model
        if demo_available is not None:
            self.demo_available = demo_available
        if has_model:
            self.title.setText(self.tr("Ask anything — it runs on your computer"))
            self.hint.setText(self.tr("Nothing you write leaves this machine. Try one of these:"))
        else:
            self.title.setText(self.tr("No model yet"))
            self.hint.setText(self.tr("A model is the file that writes the replies. Pick one that suits "
                                      "this computer, or try the small demo model at once."))
        for chip in self.chips:
            chip.setVisible(has_model)
        self.demo_button.setVisible(not has_model and self.demo_available)
        self.models_button.setVisible(not has_model)
        big = QFont(self.font())
        big.setPointSizeF(theme().base_point_size() * Type.H1)
        big.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(big)


class ChatView(QScrollArea):
    """A column of MessageBubbles. The window tells it what to show; it tells the window what the
    person asked for (edit, regenerate, switch branch) through the bubbles' signals, re-emitted."""

    edit_submitted = Signal(object, str)
    regenerate_requested = Signal(object)
    sibling_requested = Signal(object, int)
    copied = Signal(str)
    earlier_requested = Signal()
    bubble_added = Signal(object)  # a MessageBubble, just shown (others add their actions to it)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName(self.tr("Conversation"))
        # the column is centred and at most CHAT_MAX_PX wide, with margins on a wide window
        self._content = QWidget()
        self._content.setObjectName("chat-content")
        outer = QHBoxLayout(self._content)
        outer.setContentsMargins(Space.L, Space.L, Space.L, Space.L)
        self._inner = QWidget()
        self._inner.setMaximumWidth(CHAT_MAX_PX)
        outer.addWidget(self._inner)
        self._column = QVBoxLayout(self._inner)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(Space.L)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self._column.addWidget(self.notice)
        self.earlier_button = QPushButton(self.tr("Show earlier messages"))
        self.earlier_button.clicked.connect(self.earlier_requested)
        self.earlier_button.hide()
        self._column.addWidget(self.earlier_button)
        self.empty = EmptyState()
        self._column.addWidget(self.empty)
        self._column.addStretch(1)
        self.setWidget(self._content)
        self.bubbles: list[MessageBubble] = []
        self._follow = True
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._on_scrolled)
        bar.rangeChanged.connect(self._on_range_changed)
        theme().changed.connect(self._on_theme_changed)
        QApplication.instance().focusChanged.connect(self._on_focus_changed)

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
        self._update_empty()

    def truncate_from(self, key: object) -> bool:
        """Remove the bubble of ``key`` and every bubble below it (a branch that changes from
        there); the ones above stay as they are, and so does the scroll position above them."""
        for i, bubble in enumerate(self.bubbles):
            if bubble.item.key == key:
                self._remove(self.bubbles[i:])
                del self.bubbles[i:]
                self._update_empty()
                return True
        return False

    def _remove(self, bubbles: list[MessageBubble]) -> None:
        for bubble in bubbles:
            self._column.removeWidget(bubble)
            bubble.deleteLater()

    def append_message(self, item: MessageItem) -> MessageBubble:
        bubble = MessageBubble(item, self._inner)
        bubble.edit_submitted.connect(self.edit_submitted)
        bubble.regenerate_requested.connect(self.regenerate_requested)
        bubble.sibling_requested.connect(self.sibling_requested)
        bubble.copy_requested.connect(self.copied)
        if item.role == "user":  # at the right, as wide as its text, at most USER_WIDTH of the column
            bubble.fit_width(self._user_width())
            self._column.insertWidget(self._column.count() - 1, bubble, 0, Qt.AlignmentFlag.AlignRight)
        else:
            self._column.insertWidget(self._column.count() - 1, bubble)
        self.bubbles.append(bubble)
        self._update_empty()
        self.bubble_added.emit(bubble)
        return bubble

    def _user_width(self) -> int:
        width = self._inner.width() if self._inner.width() > 100 else CHAT_MAX_PX
        return max(200, int(min(width, CHAT_MAX_PX) * USER_WIDTH))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        width = self._user_width()
        for bubble in self.bubbles:
            if bubble.item.role == "user":
                bubble.fit_width(width)

    def show_empty_state(self, *, has_model: bool, demo_available: bool | None = None) -> None:
        self.empty.show_for(has_model=has_model, demo_available=demo_available)
        self._update_empty()

    def _update_empty(self) -> None:
        self.empty.setVisible(not self.bubbles)

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

    @Slot()
    def _on_theme_changed(self) -> None:
        """Messages are rich text with the theme's colours and sizes in it: render them again."""
        for bubble in self.bubbles:
            bubble.refresh_style()
            bubble.set_text(bubble.item.text)
        self.empty.show_for(has_model=self.empty.has_model)

    @Slot(QWidget, QWidget)
    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        for widget in (old, new):
            while widget is not None and not isinstance(widget, MessageBubble):
                widget = widget.parentWidget()
            if widget is not None:
                widget.update_actions()
        if new is not None and self._inner.isAncestorOf(new):
            self.ensureWidgetVisible(new)  # Tab through the messages: the focused one is shown

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
