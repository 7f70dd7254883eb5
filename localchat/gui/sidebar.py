"""The conversation list: date groups, new chat, rename, delete with undo, message search,
export and import.

It reads and writes the history through ``core.store.Store`` and follows the store's changes, so
a conversation the window creates or continues shows up (and moves to the top) by itself. What
the window must do in response comes out as signals:

- ``conversation_selected(id)``: the person picked a conversation: show it.
- ``new_conversation_requested()``: New chat (button or Ctrl+N): show an empty conversation.
- ``message_chosen(conversation_id, message_id)``: a search hit: ``store.jump_to(message_id)``.
- ``conversation_deleted(id)``: it is gone from the list (undo offered): stop showing it.
- ``conversation_restored(id)``: the delete was undone.
- ``failed(message)``: a store or file error to show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QColor, QFont, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from localchat.core.errors import LocalChatError
from localchat.core.history.date_groups import group_by_date
from localchat.core.history.export import import_file, suggested_filename, write_export
from localchat.core.history.records import Conversation, StoreChange
from localchat.core.history.store import Store
from localchat.gui.sidebar_rows import (
    GROUP_ROLE,
    ID_ROLE,
    MESSAGE_ROLE,
    ConversationRowDelegate,
    group_label,
    hit_html,
)
from localchat.gui.theme import theme
from localchat.gui.theme.tokens import Space, Type

log = logging.getLogger(__name__)

SEARCH_DELAY_MS = 200
UNDO_MS = 8000
_FAILED = object()

_EXPORT_FILTERS = {
    QT_TRANSLATE_NOOP("ConversationSidebar", "Markdown, the branch shown (*.md)"): "md",
    QT_TRANSLATE_NOOP("ConversationSidebar", "Web page, the branch shown (*.html)"): "html",
    QT_TRANSLATE_NOOP("ConversationSidebar", "JSON, every branch, can be imported (*.json)"): "json",
}


class ConversationSidebar(QWidget):
    conversation_selected = Signal(int)
    new_conversation_requested = Signal()
    message_chosen = Signal(int, int)  # conversation id, message id
    conversation_deleted = Signal(int)
    conversation_restored = Signal(int)
    search_finished = Signal(int)  # how many messages matched
    failed = Signal(str)

    def __init__(self, store: Store, parent: QWidget | None = None, *,
                 new_chat_action: QAction | None = None, page_size: int = 100,
                 undo_ms: int = UNDO_MS, now: Callable[[], datetime] = datetime.now):
        """``new_chat_action``: the window's own New chat action (with its Ctrl+N), shown on the
        sidebar's button; without one the sidebar makes its own."""
        super().__init__(parent)
        self.store = store
        self._page_size = page_size
        self._now = now
        self._loaded: list[Conversation] = []
        self._more = False
        self._selected: int | None = None
        self._populating = False
        self._pending_delete: int | None = None
        self._refresh_queued = False

        if new_chat_action is None:
            new_chat_action = QAction(self.tr("New chat"), self)
            new_chat_action.setShortcut(QKeySequence.StandardKey.New)
            new_chat_action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            self.addAction(new_chat_action)
        self.new_chat_action = new_chat_action
        new_chat_action.triggered.connect(self.new_conversation_requested)
        self._build_ui(undo_ms)
        self._unsubscribe = unsubscribe = store.subscribe(self._on_store_changed)
        self.destroyed.connect(lambda *_: unsubscribe())
        self.refresh()

    def _build_ui(self, undo_ms: int) -> None:
        self.setObjectName("sidebar")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAccessibleName(self.tr("Conversations"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(Space.S, Space.S, Space.S, Space.S)
        top = QHBoxLayout()
        self.new_chat_button = QToolButton()
        self.new_chat_button.setDefaultAction(self.new_chat_action)
        self.new_chat_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.new_chat_button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        top.addWidget(self.new_chat_button, 1)
        self.import_button = QToolButton()
        self.import_button.setProperty("icon_name", "mdi6.import")
        self.import_button.setAccessibleName(self.tr("Import…"))
        self.import_button.setToolTip(self.tr("Import a conversation: add one from a JSON file that localchat "
                                              "exported"))
        self.import_button.clicked.connect(self.import_conversation)
        top.addWidget(self.import_button)
        layout.addLayout(top)

        self.search_box = QLineEdit()
        self.search_box.setPlaceholderText(self.tr("Search messages (Ctrl+F)"))
        self.search_box.setAccessibleName(self.tr("Search messages"))
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._on_search_text_changed)
        self.search_box.returnPressed.connect(self._on_search_return)
        layout.addWidget(self.search_box)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.run_search)

        self.conversation_list = QListWidget()
        self.conversation_list.setAccessibleName(self.tr("Conversations"))
        # titles are elided, never scrolled sideways (their whole text is the tooltip)
        self.conversation_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conversation_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.conversation_list.setWordWrap(False)
        self.conversation_list.setUniformItemSizes(False)
        self.conversation_list.setMouseTracking(True)
        self.row_actions = ConversationRowDelegate(self.conversation_list)
        self.row_actions.triggered.connect(self._on_row_action)
        self.conversation_list.setItemDelegate(self.row_actions)
        self.conversation_list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.conversation_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.conversation_list.customContextMenuRequested.connect(self._on_context_menu)
        self.conversation_list.currentItemChanged.connect(self._on_current_changed)
        self.conversation_list.itemChanged.connect(self._on_item_renamed)
        self.conversation_list.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        delete = QAction(self.tr("Delete"), self.conversation_list)
        delete.setShortcut(QKeySequence.StandardKey.Delete)
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(lambda: self._selected is not None and self.delete_conversation(self._selected))
        self.conversation_list.addAction(delete)

        self.results_list = QListWidget()
        self.results_list.setAccessibleName(self.tr("Messages found"))
        self.results_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results_list.setWordWrap(True)
        self.results_list.itemActivated.connect(self._on_result_chosen)
        self.results_list.itemClicked.connect(self._on_result_chosen)

        self._stack = QStackedWidget()
        self._stack.addWidget(self.conversation_list)
        self._stack.addWidget(self.results_list)
        layout.addWidget(self._stack, 1)

        self.undo_bar = QFrame()
        self.undo_bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar = QHBoxLayout(self.undo_bar)
        bar.setContentsMargins(6, 2, 2, 2)
        self.undo_label = QLabel()
        self.undo_label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton(self.tr("Undo"))
        self.undo_button.clicked.connect(self.undo_delete)
        bar.addWidget(self.undo_label, 1)
        bar.addWidget(self.undo_button)
        self.undo_bar.hide()
        layout.addWidget(self.undo_bar)
        self._undo_timer = QTimer(self, singleShot=True, interval=undo_ms)
        self._undo_timer.timeout.connect(self._finish_delete)
        theme().changed.connect(self._on_theme_changed)
        self._update_icons()

    @Slot(int, str)
    def _on_row_action(self, conversation_id: int, action: str) -> None:
        if action == "rename":  # after the click is handled: the view would end the edit at once
            QTimer.singleShot(0, lambda: self.start_rename(conversation_id))
        else:
            self.delete_conversation(conversation_id)

    @Slot()
    def _on_theme_changed(self) -> None:
        self._update_icons()
        self._fill()  # the date headers' colour and size

    def _update_icons(self) -> None:
        self.import_button.setIcon(theme().icon("mdi6.import"))
        self.new_chat_action.setIcon(theme().icon("mdi6.square-edit-outline"))

    def _attempt(self, action: Callable, *args, **kwargs):
        """``action(...)``, or ``_FAILED`` after telling the window why it failed."""
        try:
            return action(*args, **kwargs)
        except LocalChatError as exc:
            self.failed.emit(str(exc))
            return _FAILED

    # -- the list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the conversations shown (at least one page), keeping selection and scroll."""
        self._refresh_queued = False
        want = max(self._page_size, len(self._loaded))
        loaded = self._attempt(self.store.list_conversations, limit=want + 1)
        if loaded is _FAILED:
            return
        self._loaded = loaded
        self._more = len(self._loaded) > want
        self._loaded = self._loaded[:want]
        self._fill()
        if self.search_box.text().strip():
            self.run_search()

    def _load_more(self) -> None:
        page = self._attempt(self.store.list_conversations, limit=self._page_size + 1,
                             offset=len(self._loaded))
        if page is _FAILED:
            return
        self._more = len(page) > self._page_size
        self._loaded += page[:self._page_size]
        self._fill()

    def _fill(self) -> None:
        view = self.conversation_list
        scroll = view.verticalScrollBar().value()
        self._populating = True
        try:
            view.clear()
            for label, conversations in group_by_date(self._loaded, lambda c: c.updated_at, self._now()):
                header = QListWidgetItem(group_label(label))
                header.setFlags(Qt.ItemFlag.NoItemFlags)
                header.setData(GROUP_ROLE, True)
                font = QFont(header.font())
                font.setPointSizeF(theme().base_point_size() * Type.SMALL)
                font.setWeight(QFont.Weight.DemiBold)
                header.setFont(font)
                header.setForeground(QColor(theme().colors.muted))
                view.addItem(header)
                for conv in conversations:
                    item = QListWidgetItem(conv.display_title)
                    item.setData(ID_ROLE, conv.id)
                    item.setToolTip(conv.display_title)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                    view.addItem(item)
                    if conv.id == self._selected:
                        view.setCurrentItem(item)
            if not self._loaded:
                empty = QListWidgetItem(self.tr("No conversations yet"))
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
                view.addItem(empty)
            view.verticalScrollBar().setValue(scroll)
        finally:
            self._populating = False

    def conversation_ids(self) -> list[int]:
        """The conversations listed, top to bottom."""
        items = (self.conversation_list.item(i) for i in range(self.conversation_list.count()))
        return [item.data(ID_ROLE) for item in items if item.data(ID_ROLE) is not None]

    def group_labels(self) -> list[str]:
        items = (self.conversation_list.item(i) for i in range(self.conversation_list.count()))
        return [item.text() for item in items if item.data(GROUP_ROLE)]

    def item_for(self, conversation_id: int) -> QListWidgetItem | None:
        for i in range(self.conversation_list.count()):
            item = self.conversation_list.item(i)
            if item.data(ID_ROLE) == conversation_id:
                return item
        return None

    def select_conversation(self, conversation_id: int | None) -> None:
        """Mark the conversation the window shows, without emitting ``conversation_selected``."""
        self._selected = conversation_id
        item = self.item_for(conversation_id) if conversation_id is not None else None
        self._populating = True
        try:
            self.conversation_list.setCurrentItem(item)
            if item is None:
                self.conversation_list.clearSelection()
        finally:
            self._populating = False

    @Slot(object, object)
    def _on_current_changed(self, current: QListWidgetItem | None, _previous) -> None:
        if self._populating or current is None or current.data(ID_ROLE) is None:
            return
        self._selected = current.data(ID_ROLE)
        self.conversation_selected.emit(self._selected)

    @Slot(int)
    def _on_scrolled(self, value: int) -> None:
        bar = self.conversation_list.verticalScrollBar()
        if self._more and not self._populating and value >= bar.maximum() - 2:
            self._load_more()

    def _on_store_changed(self, _change: StoreChange) -> None:
        # several changes in one go (a reply starting and finishing) refresh once
        if not self._refresh_queued:
            self._refresh_queued = True
            QTimer.singleShot(0, self, self.refresh)

    # -- rename, delete, undo ------------------------------------------------------------------
    def start_rename(self, conversation_id: int) -> None:
        item = self.item_for(conversation_id)
        if item is not None:
            self.conversation_list.setCurrentItem(item)
            self.conversation_list.editItem(item)

    @Slot(object)
    def _on_item_renamed(self, item: QListWidgetItem) -> None:
        cid = item.data(ID_ROLE)
        if self._populating or cid is None:
            return
        title = " ".join(item.text().split())
        current = next((c for c in self._loaded if c.id == cid), None)
        if current is None or title == current.display_title:
            return
        if not title:  # an empty title would show "New chat": keep the old one
            self._fill()
            return
        if self._attempt(self.store.rename_conversation, cid, title) is _FAILED:
            self._fill()

    def delete_conversation(self, conversation_id: int) -> None:
        """Hide it now and offer Undo for a few seconds; then it is purged."""
        self._finish_delete()  # one undo at a time: an earlier delete becomes final
        title = next((c.display_title for c in self._loaded if c.id == conversation_id), "")
        if self._attempt(self.store.delete_conversation, conversation_id) is _FAILED:
            return
        self._pending_delete = conversation_id
        if self._selected == conversation_id:
            self._selected = None
        self.undo_label.setText(self.tr("Deleted “{title}”").format(title=title))
        self.undo_bar.show()
        self._undo_timer.start()
        self.conversation_deleted.emit(conversation_id)
        self.refresh()

    def undo_delete(self) -> None:
        cid, self._pending_delete = self._pending_delete, None
        self._undo_timer.stop()
        self.undo_bar.hide()
        if cid is None:
            return
        if self._attempt(self.store.restore_conversation, cid) is True:
            self.refresh()
            self.conversation_restored.emit(cid)

    def _finish_delete(self) -> None:
        cid, self._pending_delete = self._pending_delete, None
        self._undo_timer.stop()
        self.undo_bar.hide()
        if cid is not None:
            try:
                self.store.purge_conversation(cid)
            except LocalChatError as exc:  # still hidden; purged at a later start
                log.warning("could not purge conversation %s: %s", cid, exc)

    def shutdown(self) -> None:
        """Make a pending delete final and stop following the store (the window closes)."""
        self._finish_delete()
        self._unsubscribe()

    # -- search --------------------------------------------------------------------------------
    @Slot(str)
    def _on_search_text_changed(self, text: str) -> None:
        if text.strip():
            self._search_timer.start()
        else:
            self._search_timer.stop()
            self._stack.setCurrentWidget(self.conversation_list)

    def run_search(self) -> None:
        self._search_timer.stop()
        text = self.search_box.text()
        if not text.strip():
            return
        hits = self._attempt(self.store.search, text)
        if hits is _FAILED:
            return
        self.results_list.clear()
        for hit in hits:
            item = QListWidgetItem()
            item.setData(ID_ROLE, hit.conversation_id)
            item.setData(MESSAGE_ROLE, hit.message_id)
            label = QLabel(hit_html(hit))
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setContentsMargins(4, 3, 4, 3)
            item.setSizeHint(label.sizeHint())
            self.results_list.addItem(item)
            self.results_list.setItemWidget(item, label)
        if not hits:
            none = QListWidgetItem(self.tr("No messages match"))
            none.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results_list.addItem(none)
        self._stack.setCurrentWidget(self.results_list)
        self.search_finished.emit(len(hits))

    def result_count(self) -> int:
        return sum(1 for i in range(self.results_list.count())
                   if self.results_list.item(i).data(MESSAGE_ROLE) is not None)

    def _on_search_return(self) -> None:
        if self._search_timer.isActive():
            self.run_search()
        first = self.results_list.item(0)
        if first is not None and first.data(MESSAGE_ROLE) is not None:
            self._on_result_chosen(first)

    @Slot(object)
    def _on_result_chosen(self, item: QListWidgetItem) -> None:
        mid = item.data(MESSAGE_ROLE)
        if mid is None:
            return
        cid = item.data(ID_ROLE)
        self.select_conversation(cid)
        self.message_chosen.emit(cid, mid)

    # -- context menu, export, import ----------------------------------------------------------
    @Slot(QPoint)
    def _on_context_menu(self, pos: QPoint) -> None:
        item = self.conversation_list.itemAt(pos)
        cid = item.data(ID_ROLE) if item is not None else None
        if cid is None:
            return
        menu = QMenu(self)
        menu.addAction(self.tr("Rename"), lambda: self.start_rename(cid))
        menu.addAction(self.tr("Export…"), lambda: self.export_conversation(cid))
        menu.addSeparator()
        menu.addAction(self.tr("Delete"), lambda: self.delete_conversation(cid))
        menu.exec(self.conversation_list.viewport().mapToGlobal(pos))

    def export_conversation(self, conversation_id: int) -> Path | None:
        """Ask where, then write the conversation as Markdown, HTML or JSON."""
        conv = self._attempt(self.store.conversation, conversation_id)
        if conv is _FAILED:
            return None
        start = str(Path.home() / suggested_filename(conv, "md"))
        filters = {self.tr(label): fmt for label, fmt in _EXPORT_FILTERS.items()}
        path, chosen = QFileDialog.getSaveFileName(self, self.tr("Export conversation"), start,
                                                   ";;".join(filters))
        if not path:
            return None
        target = Path(path)
        fmt = {".md": "md", ".html": "html", ".htm": "html", ".json": "json"}.get(
            target.suffix.lower()) or filters.get(chosen, "md")
        if not target.suffix:
            target = target.with_suffix(f".{fmt}")
        written = self._attempt(write_export, self.store, conversation_id, fmt, target)
        return None if written is _FAILED else written

    def import_conversation(self) -> int | None:
        """Ask for an exported JSON file and add it as a new conversation, then select it."""
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import conversation"), str(Path.home()),
                                              self.tr("localchat conversation (*.json)"))
        if not path:
            return None
        conv = self._attempt(import_file, self.store, Path(path))
        if conv is _FAILED:
            return None
        self.refresh()
        self.select_conversation(conv.id)
        self.conversation_selected.emit(conv.id)
        return conv.id
