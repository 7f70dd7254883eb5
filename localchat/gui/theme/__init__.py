"""The window's theme: light or dark (the system's scheme, followed live, unless the person picks
one), the person's font size, and the icons, all from the tokens in ``tokens.py``.

For any widget::

    from localchat.gui.theme import theme
    c = theme().colors            # the tokens of the theme shown now (a tokens.Colors)
    theme().changed.connect(...)  # the theme or the font size changed: re-read them
    button.setIcon(theme().icon("mdi6.content-copy"))

Widgets take their colours from the application's palette and the one stylesheet (by object
name: ``QLabel#muted``, ``QLabel#error``, ``QLabel#notice``, ``QPushButton#primary``…), never a
colour of their own.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QFont, QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QStyleFactory

from localchat.gui.theme.style import palette, stylesheet
from localchat.gui.theme.tokens import DARK, LIGHT, Colors

log = logging.getLogger(__name__)

CHOICES = ("system", "light", "dark")


class Theme(QObject):
    """One per application. ``apply(choice, font_size)`` sets the palette, the stylesheet and the
    font of the whole application; ``changed`` follows."""

    changed = Signal()

    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app = app
        self.choice = "system"
        self.font_size: int | None = None
        self.colors: Colors = LIGHT
        self._applied: tuple | None = None
        self._system_scheme = app.styleHints().colorScheme()
        app.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    @property
    def dark(self) -> bool:
        return self.colors.dark

    def system_colors(self) -> Colors:
        return DARK if self._system_scheme == Qt.ColorScheme.Dark else LIGHT

    def apply(self, choice: str = "system", font_size: int | None = None) -> None:
        self.choice = choice if choice in CHOICES else "system"
        self.font_size = font_size
        colors = self.system_colors() if self.choice == "system" else (DARK if self.choice == "dark" else LIGHT)
        self._show(colors)

    def _show(self, colors: Colors) -> None:
        app = self._app
        state = (colors, self.font_size)
        if state == self._applied:
            return
        self.colors = colors
        if app.style().name().lower() != "fusion":
            app.setStyle(QStyleFactory.create("Fusion"))  # the same shapes on every system
        font = app.font()
        if self.font_size and font.pointSize() != self.font_size:
            font.setPointSize(self.font_size)
            app.setFont(font)
        app.setPalette(palette(colors))
        app.setStyleSheet(stylesheet(colors))
        self._applied = state
        self.changed.emit()

    @Slot(Qt.ColorScheme)
    def _on_color_scheme_changed(self, scheme) -> None:
        self._system_scheme = scheme
        if self.choice == "system":
            log.info("the system's colour scheme changed: %s", self.system_colors().name)
            self._show(self.system_colors())

    # -- what widgets read ---------------------------------------------------------------------
    def icon(self, name: str, color: str | None = None) -> QIcon:
        """A Material Design icon (``mdi6.*``) in ``muted`` (``text`` when active), or ``color``."""
        import qtawesome

        c = self.colors
        return qtawesome.icon(name, color=color or c.muted, color_active=color or c.text,
                              color_disabled=c.border)

    def monospace(self, scale: float = 1.0) -> QFont:
        from localchat.gui.theme.tokens import MONOSPACE

        font = QFont()
        font.setFamilies(list(MONOSPACE))
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(self.base_point_size() * scale)
        return font

    def base_point_size(self) -> float:
        return float(self.font_size or QGuiApplication.font().pointSizeF() or 10)


_THEME: Theme | None = None


def theme() -> Theme:
    """The application's theme (made on first use; the QApplication must exist)."""
    global _THEME
    app = QApplication.instance()
    if _THEME is None or _THEME.parent() is not app:
        _THEME = Theme(app)
    return _THEME
