"""The design tokens: every colour, spacing, radius and type size the window uses, in one place.

Plain Python (no Qt), so that any widget, a test or a script can read them. ``LIGHT`` and
``DARK`` hold the colours; ``TEXT_PAIRS`` names every text/background pair the theme draws, so
that ``contrast_ratio`` can check each one against WCAG AA (4.5:1).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

WCAG_AA = 4.5  # the least contrast of normal-size text on its background


@dataclass(frozen=True)
class Colors:
    name: str  # "light" or "dark"
    bg: str  # the chat column, dialogs
    surface: str  # the sidebar, cards, the top bar
    surface2: str  # hover, inputs, the composer
    border: str  # lines between areas (not text)
    text: str
    muted: str  # secondary text: model names, stats, dates, icons
    accent: str  # buttons, links, selection, focus
    on_accent: str  # text on the accent
    user_bubble: str
    code_bg: str
    code_header: str  # the line above a code block: its language and Copy
    warn_bg: str
    warn_text: str
    danger_bg: str  # the error banner
    danger_text: str
    danger: str  # an error said in a form, on bg
    success: str

    @property
    def dark(self) -> bool:
        return self.name == "dark"


LIGHT = Colors(
    name="light", bg="#FFFFFF", surface="#F6F7F9", surface2="#ECEEF2", border="#D0D7DE",
    text="#1F2328", muted="#57606A", accent="#2F5FD0", on_accent="#FFFFFF",
    user_bubble="#E8EEFC", code_bg="#F3F4F6", code_header="#E6E8EC",
    warn_bg="#FFF4CC", warn_text="#5C4500", danger_bg="#FDECEC", danger_text="#7A1218",
    danger="#C4262E", success="#1A7F37",
)
DARK = Colors(
    name="dark", bg="#15171C", surface="#1C1F26", surface2="#252932", border="#343A46",
    text="#E6E8EB", muted="#9DA5B0", accent="#7AA2FF", on_accent="#0B1020",
    user_bubble="#22304F", code_bg="#1F232B", code_header="#2A2F39",
    warn_bg="#3A2F0B", warn_text="#F2CC60", danger_bg="#3D1719", danger_text="#FFB3AE",
    danger="#FF7B72", success="#3FB950",
)
THEMES = {"light": LIGHT, "dark": DARK}

# Every text colour the theme draws, on every background it draws it on.
_BACKGROUNDS = ("bg", "surface", "surface2", "user_bubble", "code_bg", "code_header")
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    *(("text", b) for b in _BACKGROUNDS),
    *(("muted", b) for b in _BACKGROUNDS),
    *(("accent", b) for b in ("bg", "surface", "code_header")),  # links, the selected row's text
    ("on_accent", "accent"),
    ("warn_text", "warn_bg"),
    ("danger_text", "danger_bg"),
    ("danger", "bg"), ("danger", "surface"),
    ("success", "bg"), ("success", "surface"),
)


def color_fields() -> list[str]:
    return [f.name for f in fields(Colors) if f.name != "name"]


# -- spacing, radii, type ---------------------------------------------------------------------------
class Space:
    XS, S, M, L, XL, XXL = 4, 8, 12, 16, 24, 32


class Radius:
    INPUT = 8  # inputs, buttons, code
    CARD = 12  # the composer, cards
    BUBBLE = 14  # the person's messages


class Type:
    """Sizes as multiples of the person's font size (Settings → Font size)."""

    H1, H2, H3 = 1.3, 1.15, 1.05
    SMALL = 0.85  # stats, timestamps, the model's name over a reply
    LINE_HEIGHT = 145  # percent, message text


ICON_PX = 18
ACTION_PX = 24  # the icon buttons under a message
SIDEBAR_PX = 260
CHAT_MAX_PX = 780  # the chat column's width on a wide window
MONOSPACE = ("Cascadia Code", "Cascadia Mono", "Menlo", "SF Mono", "Consolas", "DejaVu Sans Mono",
             "Liberation Mono", "monospace")


# -- contrast ---------------------------------------------------------------------------------------
def _channel(c: float) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def parse_hex(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    if len(color) == 3:
        color = "".join(ch * 2 for ch in color)
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def luminance(color: str) -> float:
    r, g, b = parse_hex(color)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2's contrast ratio, 1 to 21."""
    a, b = luminance(foreground), luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def readable_on(color: str, background: str, target: float = WCAG_AA) -> str:
    """``color``, or the nearest colour of its hue mixed towards black or white (whichever the
    background needs) that reaches ``target`` against ``background``."""
    if contrast_ratio(color, background) >= target:
        return color
    toward = (0, 0, 0) if luminance(background) > 0.18 else (255, 255, 255)
    r, g, b = parse_hex(color)
    for step in range(1, 21):
        t = step / 20
        mixed = "#{:02X}{:02X}{:02X}".format(*(round(c + (o - c) * t) for c, o in zip((r, g, b), toward)))
        if contrast_ratio(mixed, background) >= target:
            return mixed
    return "#000000" if toward == (0, 0, 0) else "#FFFFFF"
