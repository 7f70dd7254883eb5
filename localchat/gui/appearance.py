"""Light, dark or the system's look, and the font size, for the whole application."""

from __future__ import annotations

from localchat.core.settings import Settings


def apply_appearance(settings: Settings) -> None:
    """Theme and font size for the whole application."""
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication, QStyleFactory

    app = QApplication.instance()
    if app is None:
        return
    font = app.font()
    if font.pointSize() != settings.font_size:
        font.setPointSize(settings.font_size)
        app.setFont(font)
    if settings.theme == "system":
        app.setPalette(app.style().standardPalette())
        return
    app.setStyle(QStyleFactory.create("Fusion"))
    palette = app.style().standardPalette()
    if settings.theme == "dark":
        colors = {
            QPalette.ColorRole.Window: "#202124", QPalette.ColorRole.WindowText: "#e8eaed",
            QPalette.ColorRole.Base: "#17181a", QPalette.ColorRole.AlternateBase: "#2a2b2e",
            QPalette.ColorRole.Text: "#e8eaed", QPalette.ColorRole.Button: "#2d2e31",
            QPalette.ColorRole.ButtonText: "#e8eaed", QPalette.ColorRole.Highlight: "#8ab4f8",
            QPalette.ColorRole.HighlightedText: "#202124", QPalette.ColorRole.ToolTipBase: "#2d2e31",
            QPalette.ColorRole.ToolTipText: "#e8eaed", QPalette.ColorRole.Link: "#8ab4f8",
            QPalette.ColorRole.PlaceholderText: "#9aa0a6",
        }
        for role, color in colors.items():
            palette.setColor(role, QColor(color))
    app.setPalette(palette)
