"""Code blocks highlighted by Pygments in the theme's colours.

The light theme takes Pygments' "default" style and the dark one "github-dark"; any token colour
below WCAG AA on the theme's ``code_bg`` is moved towards black or white until it passes, so every
highlighted word stays readable. The HTML uses inline styles only (Qt's rich text has no classes).
"""

from __future__ import annotations

import functools
import re

from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.style import Style
from pygments.styles import get_style_by_name
from pygments.util import ClassNotFound

from localchat.gui.theme.tokens import Colors, readable_on

BASE_STYLES = {"light": "default", "dark": "github-dark"}
_COLOR = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")


@functools.lru_cache(maxsize=4)
def code_style(colors: Colors) -> type[Style]:
    """The Pygments style of ``colors``: its base style with every colour made readable on code_bg,
    and no background colours of its own (the block has the theme's)."""
    base = get_style_by_name(BASE_STYLES[colors.name])
    styles = {}
    for token, definition in base.styles.items():
        parts = [p for p in definition.split() if not p.startswith("bg:") and p != "border:"
                 and not p.startswith("border:")]
        parts = [_COLOR.sub(lambda m: readable_on(_six(m.group(0)), colors.code_bg), p) for p in parts]
        styles[token] = " ".join(parts)
    return type(f"Localchat{colors.name.capitalize()}", (Style,),
                {"styles": styles, "background_color": colors.code_bg, "highlight_color": colors.code_header})


def token_colors(colors: Colors) -> set[str]:
    """Every foreground colour the code style can draw (for the contrast test)."""
    found = set()
    for _token, style in code_style(colors):
        if style["color"]:
            found.add("#" + style["color"])
    return found


def _six(color: str) -> str:
    color = color.lstrip("#")
    return "#" + ("".join(c * 2 for c in color) if len(color) == 3 else color)


@functools.lru_cache(maxsize=64)
def _lexer(language: str):
    try:
        return get_lexer_by_name(language, stripnl=False, ensurenl=False) if language else TextLexer()
    except ClassNotFound:
        return TextLexer()


@functools.lru_cache(maxsize=32)
def _formatter(colors: Colors) -> HtmlFormatter:
    return HtmlFormatter(style=code_style(colors), noclasses=True, nowrap=True)


@functools.lru_cache(maxsize=512)
def highlight_html(code: str, language: str, colors: Colors) -> str:
    """``code`` as HTML spans coloured for ``language`` (plain text when unknown). Kept: while a
    reply streams, the same finished block is rendered again on every batch."""
    return highlight(code, _lexer(language.lower()), _formatter(colors)).rstrip("\n")
