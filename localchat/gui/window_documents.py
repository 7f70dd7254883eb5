"""Documents in the main window: the Documents panel in a dock (the top bar's Documents action
and View → Documents open it), the chip above the message box that chooses the conversation's
collections, and the chat controller's searches for a question's passages.

The window makes one ``WindowDocuments(window)`` once its chat, composer, toolbar and menus
exist, and calls ``close()`` before the inference worker stops (indexing waits on the worker).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QDockWidget

from localchat.core.documents.context import index_path
from localchat.gui.chat.documents_chip import DocumentsChip
from localchat.gui.chat.retrieval import CachedModel, ConversationDocuments
from localchat.gui.documents import DocumentsPanel
from localchat.gui.theme import theme

if TYPE_CHECKING:
    from localchat.gui.main_window import MainWindow


class WindowDocuments(QObject):
    def __init__(self, window: "MainWindow", *, watch: bool = True):
        super().__init__(window)
        from localchat.core.documents.embed import default_embedding_model

        self.window = window
        worker = window.inference.worker
        path = index_path(window.paths.root)
        # the models folder is read when the model is first needed, on the indexer's or a search's thread
        self.embedding_model = CachedModel(lambda: default_embedding_model(window.models_dir))
        self.panel = DocumentsPanel(path, worker, self.embedding_model, watch=watch)
        self.dock = QDockWidget(self.tr("Documents"), window)
        self.dock.setObjectName("documents")
        self.dock.setWidget(self.panel)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.dock)
        self.dock.hide()
        self.action = self.dock.toggleViewAction()
        self.action.setProperty("icon_name", "mdi6.file-document-multiple-outline")
        self.action.setToolTip(self.tr("Documents: collections to chat with, and their indexing"))
        window.toolbar.insertAction(window.settings_action, self.action)  # with the actions at the right
        self._add_to_view_menu()

        self.conversation = ConversationDocuments(window.store, path, worker, self.embedding_model, self)
        window.chat.documents = self.conversation
        self.chip = DocumentsChip()
        window.composer.add_chip(self.chip)

        self.chip.chosen_changed.connect(self.conversation.set_chosen)
        self.chip.manage_requested.connect(self.show_panel)
        self.panel.chat_collections_changed.connect(
            lambda: self.conversation.set_chosen(self.panel.chat_collections()))
        self.panel.collections_listed.connect(self.chip.set_collections)
        self.conversation.chosen_changed.connect(self._on_chosen)
        self.conversation.searching_changed.connect(self._on_searching)
        self.conversation.failed.connect(window.show_error)
        window.chat.conversation_changed.connect(self.conversation.show_conversation)
        self.conversation.show_conversation(window.chat.session.conversation_id)
        theme().changed.connect(self._update_icon)
        self._update_icon()

    def _add_to_view_menu(self) -> None:
        view = QCoreApplication.translate("Menus", "&View")
        for action in self.window.menuBar().actions():
            if action.text() == view and action.menu() is not None:
                action.menu().addAction(self.action)
                return

    def show_panel(self) -> None:
        self.dock.show()
        self.dock.raise_()

    def _on_chosen(self, names: list) -> None:
        self.chip.set_chosen(names)
        self.panel.set_chat_collections(names)

    def _on_searching(self, searching: bool) -> None:
        self.chip.set_searching(searching)
        if not self.window.chat.generating:
            self.window.composer.set_generating(searching)  # the question waits for its passages

    def _update_icon(self) -> None:
        self.action.setIcon(theme().icon("mdi6.file-document-multiple-outline"))

    def close(self) -> None:
        """Before the worker stops: the indexer ends between two files; a search is dropped."""
        self.conversation.cancel()
        self.panel.close_service()
