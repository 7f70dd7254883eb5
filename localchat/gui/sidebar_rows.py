"""How the conversation list draws its rows: a conversation's title with Rename and Delete at
its right, the date groups' headers in the window's language, a search hit's snippet."""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QEvent, QLocale, QRect, Qt, Signal
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from localchat.core.history.records import SearchHit
from localchat.gui.theme import theme
from localchat.gui.theme.tokens import ICON_PX, Space

ID_ROLE = Qt.ItemDataRole.UserRole
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1
GROUP_ROLE = Qt.ItemDataRole.UserRole + 2


class ConversationRowDelegate(QStyledItemDelegate):
    """A conversation's row: its title elided, and Rename and Delete icons at its right while the
    pointer is over it or it is the current row (F2 and Delete do the same from the keyboard)."""

    triggered = Signal(int, str)  # conversation id, "rename" or "delete"
    ACTIONS = (("rename", "mdi6.pencil-outline"), ("delete", "mdi6.trash-can-outline"))

    def action_rects(self, row: QRect) -> dict[str, QRect]:
        size = ICON_PX
        rects, right = {}, row.right() - Space.XS
        for name, _icon in reversed(self.ACTIONS):
            rects[name] = QRect(right - size + 1, row.center().y() - size // 2, size, size)
            right -= size + Space.XS
        return rects

    @staticmethod
    def _shows_actions(option: QStyleOptionViewItem, index) -> bool:
        states = QStyle.StateFlag.State_MouseOver | QStyle.StateFlag.State_Selected
        return index.data(ID_ROLE) is not None and bool(option.state & states)

    def paint(self, painter, option: QStyleOptionViewItem, index) -> None:
        if not self._shows_actions(option, index):
            super().paint(painter, option, index)
            return
        narrower = QStyleOptionViewItem(option)
        narrower.rect = option.rect.adjusted(0, 0, -(ICON_PX + Space.XS) * len(self.ACTIONS), 0)
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        style = option.widget.style() if option.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, option.widget)
        super().paint(painter, narrower, index)
        color = theme().colors.on_accent if option.state & QStyle.StateFlag.State_Selected else None
        for name, rect in self.action_rects(option.rect).items():
            icon = dict(self.ACTIONS)[name]
            theme().icon(icon, color=color).paint(painter, rect)

    def editorEvent(self, event, model, option, index) -> bool:
        if event.type() == QEvent.Type.MouseButtonRelease and index.data(ID_ROLE) is not None:
            for name, rect in self.action_rects(option.rect).items():
                if rect.contains(event.position().toPoint()):
                    self.triggered.emit(index.data(ID_ROLE), name)
                    return True
        return super().editorEvent(event, model, option, index)


_GROUPS = (QT_TRANSLATE_NOOP("ConversationSidebar", "Today"),
           QT_TRANSLATE_NOOP("ConversationSidebar", "Yesterday"),
           QT_TRANSLATE_NOOP("ConversationSidebar", "Previous 7 days"),
           QT_TRANSLATE_NOOP("ConversationSidebar", "Previous 30 days"))


def group_label(label: str) -> str:
    """A date group's header in the window's language: the named ones translated, a month by Qt's
    locale (core names it in English, "March 2025")."""
    if label in _GROUPS:
        return QCoreApplication.translate("ConversationSidebar", label)
    try:
        month = datetime.strptime(label, "%B %Y")
    except ValueError:
        return label
    from localchat.gui import i18n

    locale = QLocale(i18n.installed_language() or "en")
    return locale.toString(QDate(month.year, month.month, 1), "MMMM yyyy").capitalize()


def hit_html(hit: SearchHit) -> str:
    """The conversation's title over the snippet, the matched words in bold."""
    parts, at = [], 0
    for start, end in hit.highlights:
        parts += [html.escape(hit.snippet[at:start]), f"<b>{html.escape(hit.snippet[start:end])}</b>"]
        at = end
    parts.append(html.escape(hit.snippet[at:]))
    if hit.role == "user":
        who = QCoreApplication.translate("ConversationSidebar", "You")
    else:
        who = QCoreApplication.translate("ConversationSidebar", "Assistant")
    title = hit.conversation_title or QCoreApplication.translate("ConversationSidebar", "New chat")
    title = html.escape(title)
    return f"<b>{title}</b><br><small>{who}: {''.join(parts)}</small>"
