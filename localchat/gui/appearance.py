"""Light, dark or the system's look, and the font size, for the whole application."""

from __future__ import annotations

from localchat.core.settings import Settings


def apply_appearance(settings: Settings) -> None:
    """Theme and font size for the whole application (``gui/theme`` does the work)."""
    from PySide6.QtWidgets import QApplication

    from localchat.gui.theme import theme

    if QApplication.instance() is None:
        return
    theme().apply(settings.theme, settings.font_size)
