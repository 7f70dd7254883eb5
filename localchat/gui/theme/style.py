"""The one stylesheet and the palette of the whole application, made from the tokens."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from localchat.gui.theme.tokens import ACTION_PX, Colors, Radius, Space


def palette(c: Colors) -> QPalette:
    """Every colour role set, in every colour group, so that no widget keeps Qt's own."""
    p = QPalette()
    role = QPalette.ColorRole
    roles = {
        role.Window: c.bg, role.WindowText: c.text, role.Base: c.bg, role.AlternateBase: c.surface,
        role.Text: c.text, role.Button: c.surface2, role.ButtonText: c.text, role.BrightText: c.on_accent,
        role.Highlight: c.accent, role.HighlightedText: c.on_accent, role.ToolTipBase: c.surface2,
        role.ToolTipText: c.text, role.Link: c.accent, role.LinkVisited: c.accent,
        role.PlaceholderText: c.muted, role.Light: c.surface, role.Midlight: c.surface2,
        role.Mid: c.border, role.Dark: c.border, role.Shadow: c.border, role.Accent: c.accent,
    }
    for r, color in roles.items():
        p.setColor(r, QColor(color))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, r, QColor(c.muted))
    return p


def stylesheet(c: Colors) -> str:
    """Shapes and the few colours a palette cannot say (bubbles, banners, the composer).
    No font sizes here: the application font (Settings → Font size) sizes everything."""
    return f"""
QToolTip {{ color: {c.text}; background-color: {c.surface2}; border: 1px solid {c.border}; padding: 4px; }}
QMainWindow::separator {{ background: {c.border}; width: 1px; height: 1px; }}
QSplitter::handle {{ background: {c.border}; }}
QSplitter::handle:horizontal {{ width: 1px; }}
QWidget#sidebar {{ background: {c.surface}; }}
QToolBar {{ background: {c.surface}; border: none; border-bottom: 1px solid {c.border}; spacing: {Space.S}px;
  padding: {Space.XS}px {Space.S}px; }}
QStatusBar {{ background: {c.surface}; color: {c.muted}; border-top: 1px solid {c.border}; }}
QStatusBar QLabel {{ color: {c.muted}; }}
QMenuBar {{ background: {c.surface}; color: {c.text}; }}
QMenuBar::item:selected {{ background: {c.surface2}; }}
QMenu {{ background: {c.surface}; color: {c.text}; border: 1px solid {c.border}; }}
QMenu::item:selected {{ background: {c.accent}; color: {c.on_accent}; }}
QPushButton {{ background: {c.surface2}; color: {c.text}; border: 1px solid {c.border};
  border-radius: {Radius.INPUT}px; padding: {Space.XS + 1}px {Space.M}px; }}
QPushButton:hover {{ border-color: {c.muted}; }}
QPushButton:default, QPushButton#primary {{ background: {c.accent}; color: {c.on_accent}; border-color: {c.accent}; }}
QPushButton:disabled {{ color: {c.muted}; background: {c.surface}; }}
QPushButton:focus, QToolButton:focus, QComboBox:focus, QLineEdit:focus, QPlainTextEdit:focus,
QSpinBox:focus, QListView:focus, QTreeView:focus, QCheckBox:focus {{ border: 2px solid {c.accent}; }}
QLineEdit, QSpinBox, QComboBox, QPlainTextEdit, QTextEdit {{ background: {c.surface2}; color: {c.text};
  border: 1px solid {c.border}; border-radius: {Radius.INPUT}px; padding: {Space.XS}px {Space.S}px;
  selection-background-color: {c.accent}; selection-color: {c.on_accent}; }}
QComboBox QAbstractItemView {{ background: {c.surface}; color: {c.text}; selection-background-color: {c.accent};
  selection-color: {c.on_accent}; }}
QListView, QTreeView, QTableView {{ background: {c.surface}; color: {c.text}; border: none;
  selection-background-color: {c.accent}; selection-color: {c.on_accent}; }}
QScrollArea {{ background: {c.bg}; border: none; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 0; }}
QScrollBar::handle:vertical {{ background: {c.border}; border-radius: 5px; min-height: 32px; }}
QScrollBar::handle:vertical:hover {{ background: {c.muted}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: none; }}
QToolButton {{ color: {c.text}; background: transparent; border: 1px solid transparent;
  border-radius: {Radius.INPUT}px; padding: 2px; }}
QToolButton:hover {{ background: {c.surface2}; }}
QToolButton:checked {{ background: {c.surface2}; }}
QToolButton#action {{ min-width: {ACTION_PX}px; min-height: {ACTION_PX}px; max-height: {ACTION_PX}px; }}
QLabel#muted, QLabel#stats, QLabel#who, QLabel#group {{ color: {c.muted}; }}
QLabel#thinking {{ color: {c.muted}; }}
QFrame#bubble-user {{ background: {c.user_bubble}; border-radius: {Radius.BUBBLE}px; }}
QFrame#bubble-assistant, QFrame#bubble-system {{ background: transparent; }}
QFrame#composer {{ background: {c.surface2}; border: 1px solid {c.border}; border-radius: {Radius.CARD}px; }}
QFrame#composer QPlainTextEdit {{ background: {c.surface2}; border: none; padding: 0; }}
QToolButton#send {{ background: {c.accent}; color: {c.on_accent}; border-radius: 16px; }}
QToolButton#send:disabled {{ background: {c.border}; }}
QToolButton#send:focus {{ border: 2px solid {c.text}; }}
QLabel#notice, QWidget#warn QLabel {{ background: {c.warn_bg}; color: {c.warn_text}; padding: {Space.S}px;
  border-radius: {Radius.INPUT}px; }}
QLabel#error {{ background: {c.danger_bg}; color: {c.danger_text}; padding: {Space.S}px;
  border-radius: {Radius.INPUT}px; }}
QLabel#problem {{ color: {c.danger}; }}
QWidget#empty QLabel#title {{ color: {c.text}; }}
QPushButton#chip {{ background: {c.surface}; border: 1px solid {c.border}; border-radius: {Radius.CARD}px;
  padding: {Space.S}px {Space.M}px; text-align: left; }}
QPushButton#chip:hover {{ background: {c.surface2}; }}
QDockWidget {{ color: {c.text}; }}
"""
