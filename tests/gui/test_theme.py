"""The theme: readable colours (computed), one switch that reaches every widget, the system's
scheme followed live, and both themes drawn offscreen."""

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget

from localchat.core.settings import Settings
from localchat.gui.appearance import apply_appearance
from localchat.gui.chat.bubble import MessageItem
from localchat.gui.main_window import MainWindow
from localchat.gui.theme import theme
from localchat.gui.theme.code import token_colors
from localchat.gui.theme.style import palette, stylesheet
from localchat.gui.theme.tokens import DARK, LIGHT, TEXT_PAIRS, WCAG_AA, color_fields, contrast_ratio

THEMES = [LIGHT, DARK]
CODE_REPLY = "Here:\n\n```python\ndef f(x):\n    return x + 1  # one more\n```\n"


@pytest.fixture
def window(qtbot, data_paths):
    w = MainWindow(data_paths, install_demo=False, welcome=False)
    qtbot.addWidget(w)
    w.resize(900, 600)
    w.show()
    yield w
    w.close()
    apply_appearance(Settings())


# -- contrast -------------------------------------------------------------------------------------
@pytest.mark.parametrize("colors", THEMES, ids=lambda c: c.name)
def test_every_text_colour_of_the_tokens_is_readable_on_its_backgrounds(colors):
    low = {(fg, bg): round(contrast_ratio(getattr(colors, fg), getattr(colors, bg)), 2)
           for fg, bg in TEXT_PAIRS if contrast_ratio(getattr(colors, fg), getattr(colors, bg)) < WCAG_AA}
    assert low == {}


@pytest.mark.parametrize("colors", THEMES, ids=lambda c: c.name)
def test_the_palette_and_the_stylesheet_pair_only_readable_colours(colors):
    p = palette(colors)
    role = QPalette.ColorRole
    pairs = [(role.WindowText, role.Window), (role.Text, role.Base), (role.Text, role.AlternateBase),
             (role.ButtonText, role.Button), (role.HighlightedText, role.Highlight),
             (role.ToolTipText, role.ToolTipBase), (role.PlaceholderText, role.Base), (role.Link, role.Base)]
    for fg, bg in pairs:
        ratio = contrast_ratio(p.color(fg).name(), p.color(bg).name())
        assert ratio >= WCAG_AA, f"{fg.name} on {bg.name}: {ratio:.2f}"
    # each rule of the stylesheet that sets a text colour and a background: the pair it draws
    checked = 0
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", stylesheet(colors)):
        fg = re.search(r"(?<![-\w])color:\s*(#[0-9A-Fa-f]{6})", body)
        bg = re.search(r"background(?:-color)?:\s*(#[0-9A-Fa-f]{6})", body)
        if fg and bg:
            checked += 1
            ratio = contrast_ratio(fg.group(1), bg.group(1))
            assert ratio >= WCAG_AA, f"{selector.strip()}: {ratio:.2f}"
    assert checked >= 8


@pytest.mark.parametrize("colors", THEMES, ids=lambda c: c.name)
def test_highlighted_code_is_readable_on_the_code_background(colors):
    used = token_colors(colors)
    assert len(used) > 5
    low = {c: round(contrast_ratio(c, colors.code_bg), 2) for c in used if contrast_ratio(c, colors.code_bg) < WCAG_AA}
    assert low == {}


# -- switching ------------------------------------------------------------------------------------
ROLES = (QPalette.ColorRole.Window, QPalette.ColorRole.WindowText, QPalette.ColorRole.Base,
         QPalette.ColorRole.Text, QPalette.ColorRole.Button, QPalette.ColorRole.ButtonText)


def widgets_of(window) -> list[QWidget]:
    return [window, *window.findChildren(QWidget)]


def test_a_theme_switch_reaches_every_widget_and_message(qtbot, window):
    window.chat_view.set_messages([MessageItem(1, "user", "Hello"), MessageItem(2, "assistant", CODE_REPLY)])
    for colors in (DARK, LIGHT, DARK):
        window.apply_settings(window.settings.with_(theme=colors.name))
        assert theme().colors is colors
        ours = {getattr(colors, name) for name in color_fields()}
        kept = [(w, role.name, w.palette().color(role).name().upper()) for w in widgets_of(window)
                for role in ROLES if w.palette().color(role).alpha()  # "transparent": the parent's shows
                and w.palette().color(role).name().upper() not in ours]
        assert kept == [], f"{len(kept)} colours are not the theme's, e.g. {kept[0]}"
        # no widget paints colours of its own: they come from the one stylesheet
        own = [w for w in widgets_of(window) if re.search(r"#[0-9a-fA-F]{3,6}", w.styleSheet())]
        assert own == []
        html = "".join(b.body.text() for b in window.chat_view.bubbles)
        other = DARK if colors is LIGHT else LIGHT
        assert colors.code_bg in html and other.code_bg not in html


def test_the_system_scheme_is_followed_live_unless_the_person_picked_one(qtbot, window):
    hints = QApplication.instance().styleHints()
    window.apply_settings(window.settings.with_(theme="system"))
    try:
        with qtbot.waitSignal(theme().changed, timeout=2000):
            hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
        assert theme().colors is DARK
        assert window.chat_view.palette().color(QPalette.ColorRole.Window).name().upper() == DARK.bg
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert theme().colors is LIGHT
        window.apply_settings(window.settings.with_(theme="dark"))
        hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
        assert theme().colors is DARK  # the person's choice wins over the system's
    finally:
        hints.colorSchemeChanged.emit(hints.colorScheme())


def test_the_font_size_scales_messages_and_code(qtbot, window):
    window.chat_view.set_messages([MessageItem(2, "assistant", CODE_REPLY * 3)])
    bubble = window.chat_view.bubbles[0]
    window.apply_settings(window.settings.with_(font_size=10))
    qtbot.waitUntil(lambda: bubble.body.height() > 0)
    small = bubble.body.heightForWidth(500)
    window.apply_settings(window.settings.with_(font_size=20))
    assert QApplication.font().pointSize() == 20
    assert bubble.body.heightForWidth(500) > small * 1.4  # text and code grow; margins stay
    assert bubble.stats_label.font().pointSizeF() == pytest.approx(20 * 0.85)


@pytest.mark.parametrize("colors", THEMES, ids=lambda c: c.name)
def test_both_themes_are_drawn_offscreen(qtbot, window, colors, tmp_path):
    window.chat_view.set_messages([MessageItem(1, "user", "Hello"), MessageItem(2, "assistant", CODE_REPLY)])
    window.apply_settings(window.settings.with_(theme=colors.name))
    image = window.grab().toImage()
    out = tmp_path / f"{colors.name}.png"
    assert image.save(str(out)) and out.stat().st_size > 10_000
    chat = window.chat_view.viewport()
    corner = chat.mapTo(window, chat.rect().topLeft()) + chat.rect().center() * 0 + type(chat.pos())(4, 4)
    assert image.pixelColor(corner).name().upper() == colors.bg
