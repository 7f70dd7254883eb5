"""The chip above the message box that chooses the collections a conversation answers from:
"Documents" while none is chosen, "Documents: notes, manuals" once some are; its menu ticks
each collection and opens the Documents panel. It shows only once a collection exists."""

from __future__ import annotations

from typing import Sequence

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton, QWidget

from localchat.gui.theme import theme
from localchat.gui.theme.tokens import ICON_PX

MAX_NAMES = 3  # more chosen collections are counted, not named


class DocumentsChip(QToolButton):
    chosen_changed = Signal(list)  # the names ticked, sorted
    manage_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("chip")
        self.setAccessibleName(self.tr("Documents for this conversation"))
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setAutoRaise(True)
        self.menu_ = QMenu(self)
        self.setMenu(self.menu_)
        self.known: list[str] = []
        self.chosen: list[str] = []
        self.searching = False
        theme().changed.connect(self._show)
        self._build_menu()
        self._show()

    def set_collections(self, names: Sequence[str]) -> None:
        """The collections there are; a chosen one that went is no longer chosen."""
        self.known = sorted(names)
        gone = [n for n in self.chosen if n not in self.known]
        self._build_menu()
        if gone:
            self.set_chosen([n for n in self.chosen if n in self.known], notify=True)
        self._show()

    def set_chosen(self, names: Sequence[str], *, notify: bool = False) -> None:
        chosen = sorted(set(names))
        changed = chosen != self.chosen
        self.chosen = chosen
        for action in self.menu_.actions():
            if action.isCheckable():
                action.setChecked(action.data() in self.chosen)
        self._show()
        if changed and notify:
            self.chosen_changed.emit(list(self.chosen))

    def set_searching(self, searching: bool) -> None:
        self.searching = searching
        self._show()

    def _build_menu(self) -> None:
        self.menu_.clear()
        for name in self.known:
            action = QAction(name, self.menu_, checkable=True, checked=name in self.chosen)
            action.setData(name)
            action.toggled.connect(self._on_toggled)
            self.menu_.addAction(action)
        if self.known:
            self.menu_.addSeparator()
        manage = self.menu_.addAction(self.tr("Manage collections…"))
        manage.triggered.connect(self.manage_requested)

    @Slot(bool)
    def _on_toggled(self, _checked: bool) -> None:
        names = [a.data() for a in self.menu_.actions() if a.isCheckable() and a.isChecked()]
        self.set_chosen(names, notify=True)

    @Slot()
    def _show(self) -> None:
        if self.searching:
            text = self.tr("Searching the documents…")
        elif not self.chosen:
            text = self.tr("Documents")
        else:
            names = ", ".join(self.chosen[:MAX_NAMES])
            more = len(self.chosen) - MAX_NAMES
            text = self.tr("Documents: {names}").format(names=names) + (f" +{more}" if more > 0 else "")
        self.setText(text)
        self.setToolTip(self.tr("Answer from these collections of documents, citing them") if self.chosen
                        else self.tr("Choose collections of documents to answer from"))
        self.setIcon(theme().icon("mdi6.file-document-multiple-outline",
                                  color=theme().colors.accent if self.chosen else theme().colors.muted))
        self.setIconSize(QSize(ICON_PX, ICON_PX))
        self.setChecked(bool(self.chosen))
        self.setVisible(bool(self.known))
