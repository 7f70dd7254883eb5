"""A reply's tokens coloured by their probability, with a legend, and the alternatives the model
weighed at the token hovered or focused (``TokenView``).

The colours are the theme's own (success, warning and danger tones mixed into the background),
each checked to keep the text readable on it in both themes (``band_colors``). The tokens are
links in a read-only text: the mouse over one, or the keyboard (Tab into the text, then ← →,
Home, End) shows its probability, the entropy of its step and its alternatives in the panel under
the text; a click on an alternative asks for a branch from there (``alternative_chosen``).
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import Qt, QUrl, Signal, Slot
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from localchat.core.chat.tokens import ReplyTokens, TokenChoice
from localchat.gui.theme import theme
from localchat.gui.theme.tokens import Colors, Space, Type, contrast_ratio, parse_hex

# (lowest probability of the band, its label): most likely first
BANDS = ((0.9, "≥ 90%"), (0.5, "50–90%"), (0.2, "20–50%"), (0.05, "5–20%"), (0.0, "< 5%"))
ALTERNATIVES_A_ROW = 5


def mix(color: str, background: str, amount: float) -> str:
    """``amount`` of ``color`` over ``background``."""
    a, b = parse_hex(color), parse_hex(background)
    return "#{:02X}{:02X}{:02X}".format(*(round(x * amount + y * (1 - amount)) for x, y in zip(a, b)))


def band_colors(c: Colors) -> tuple[str, ...]:
    """The background of each band of ``BANDS`` in the theme ``c``: green for a sure token,
    through the warning tone, to red for an unlikely one; the text stays ``c.text`` on each."""
    return (mix(c.success, c.bg, 0.10), mix(c.success, c.bg, 0.28), c.warn_bg,
            mix(c.danger, c.bg, 0.25), mix(c.danger, c.bg, 0.45))


def band_of(probability: float) -> int:
    for i, (low, _label) in enumerate(BANDS):
        if probability >= low:
            return i
    return len(BANDS) - 1


def percent(probability: float) -> str:
    if math.isnan(probability):
        return "–"
    value = probability * 100
    if 0 < value < 0.1:
        return "<0.1%"
    return f"{value:.1f}%"


def shown_piece(text: str) -> str:
    """A token's text as the panel quotes it: its spaces and line breaks visible."""
    return "“" + text.replace(" ", "␣").replace("\n", "↵").replace("\t", "⇥") + "”"


def lowest_readable(c: Colors) -> float:
    """The least contrast of the text on any band's colour (tests keep it at WCAG AA)."""
    return min(contrast_ratio(c.text, band) for band in band_colors(c))


class Legend(QWidget):
    """"Probability:" then one swatch per band."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("token-legend")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(Space.XS)
        self.title = QLabel(self.tr("Token probability:"))
        self.title.setObjectName("muted")
        row.addWidget(self.title)
        self.swatches: list[QLabel] = []
        for _low, label in BANDS:
            swatch = QLabel(label)
            swatch.setAlignment(Qt.AlignmentFlag.AlignCenter)
            row.addWidget(swatch)
            self.swatches.append(swatch)
        self.chosen = QLabel(self.tr("underlined: chosen by you"))
        self.chosen.setObjectName("muted")
        row.addWidget(self.chosen)
        row.addStretch(1)
        self.setAccessibleName(self.tr("Legend of the token colours"))
        self.refresh()

    def refresh(self) -> None:
        c = theme().colors
        small = self.font()
        small.setPointSizeF(theme().base_point_size() * Type.SMALL)
        for label in (self.title, self.chosen, *self.swatches):
            label.setFont(small)
        for swatch, color in zip(self.swatches, band_colors(c)):
            swatch.setStyleSheet(f"background: {color}; color: {c.text}; padding: 1px {Space.XS}px; "
                                 "border-radius: 3px;")


class TokenText(QTextBrowser):
    """The reply's text, one link a token, coloured by its probability. ``token_shown(i)``: the
    token the pointer is over, or the one the keyboard is on."""

    token_shown = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("token-text")
        self.setOpenLinks(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setStyleSheet("QTextBrowser#token-text { background: transparent; border: none; padding: 0; }")
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTabChangesFocus(True)  # one Tab stop: ← → move from token to token
        self.setAccessibleName(self.tr("The reply's tokens"))
        self.setToolTip(self.tr("Point at a token, or use ← and →, to see what else the model weighed there"))
        self.tokens = ReplyTokens.empty()
        self.current: int | None = None
        self._spans: list[tuple[int, int]] = []  # each token's place in the document
        self.highlighted.connect(self._on_highlighted)
        self.anchorClicked.connect(self._on_clicked)

    def show_tokens(self, tokens: ReplyTokens) -> None:
        self.tokens = tokens
        c = theme().colors
        colors = band_colors(c)
        parts = []
        for i, token in enumerate(tokens):
            text = token.text or "·"
            if i == 0:
                text = text.lstrip() or text  # as the reply is shown: no leading space
            style = f"background-color: {colors[band_of(token.probability)]}; color: {c.text}; "
            style += "text-decoration: underline;" if token.chosen_by_person else "text-decoration: none;"
            parts.append(f'<a href="t:{i}" style="{style}">{html.escape(text)}</a>')
        self.setHtml(f'<div style="white-space: pre-wrap; color: {c.text};">{"".join(parts)}</div>')
        self._spans = self._find_spans()
        self._fit_height()

    def _find_spans(self) -> list[tuple[int, int]]:
        spans: dict[int, tuple[int, int]] = {}
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                href = fragment.charFormat().anchorHref()
                if href.startswith("t:"):
                    i = int(href[2:])
                    start, end = fragment.position(), fragment.position() + fragment.length()
                    old = spans.get(i)
                    spans[i] = (min(start, old[0]), max(end, old[1])) if old else (start, end)
                it += 1
            block = block.next()
        return [spans.get(i, (0, 0)) for i in range(len(self.tokens))]

    def span(self, index: int) -> tuple[int, int]:
        return self._spans[index]

    def select(self, index: int) -> None:
        """Put the keyboard on token ``index``: it is selected and shown."""
        if not len(self.tokens):
            return
        index = max(0, min(len(self.tokens) - 1, index))
        start, end = self._spans[index]
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._show(index)

    def _show(self, index: int) -> None:
        self.current = index
        self.token_shown.emit(index)

    @Slot(QUrl)
    def _on_highlighted(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith("t:"):
            self._show(int(href[2:]))

    @Slot(QUrl)
    def _on_clicked(self, url: QUrl) -> None:
        href = url.toString()
        if href.startswith("t:"):
            self.select(int(href[2:]))

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if len(self.tokens):
            self.select(self.current if self.current is not None else 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, at = event.key(), self.current if self.current is not None else 0
        moves = {Qt.Key.Key_Right: at + 1, Qt.Key.Key_Left: at - 1, Qt.Key.Key_Home: 0,
                 Qt.Key.Key_End: len(self.tokens) - 1}
        if key in moves and len(self.tokens):
            self.select(moves[key])
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        doc = self.document()
        doc.setTextWidth(max(50, self.viewport().width()))
        height = math.ceil(doc.size().height()) + 2 * self.frameWidth() + 2
        if height != self.height():
            self.setFixedHeight(height)


class AlternativesPanel(QFrame):
    """The token shown: its probability, its step's entropy, and a button per alternative."""

    alternative_chosen = Signal(int, int)  # the token's index, the alternative's id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("token-details")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, Space.XS, 0, 0)
        layout.setSpacing(Space.XS)
        self.header = QLabel()
        self.header.setWordWrap(True)
        self.header.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.header)
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(Space.XS)
        layout.addLayout(self.grid)
        self.buttons: list[QPushButton] = []
        self.token: TokenChoice | None = None
        self.setAccessibleName(self.tr("Alternatives of the token"))
        self.hide()

    def show_token(self, token: TokenChoice, can_branch: bool = True, why_not: str = "") -> None:
        self.token = token
        header = self.tr("Token {n}: {text} · probability {p}").format(
            n=token.index + 1, text=shown_piece(token.text), p=percent(token.probability))
        if token.from_server:  # what the server did not say is left out, not made up
            header += " · " + self.tr("the server gave no probability after its sampling settings "
                                      "and no entropy")
        elif token.chosen_by_person:
            header += " · " + self.tr("chosen by you")
        else:
            header += " · " + self.tr("{p} after the sampling settings").format(p=percent(token.sampled))
        if not token.from_server:
            header += " · " + self.tr("entropy {nats} nats").format(nats=f"{token.entropy:.2f}")
        self.header.setText(header)
        for button in self.buttons:
            self.grid.removeWidget(button)
            button.deleteLater()
        self.buttons = []
        for n, alt in enumerate(token.alternatives):
            button = QPushButton(f"{shown_piece(alt.text)} {percent(alt.probability)}")
            drawn = alt.id == token.id
            button.setEnabled(can_branch and not drawn)
            if drawn:
                button.setToolTip(self.tr("The token the reply has here"))
            elif can_branch:
                button.setToolTip(self.tr("Write another reply that keeps the text before this token "
                                          "and goes on from {text}").format(text=shown_piece(alt.text)))
            else:
                button.setToolTip(why_not)
            button.setAccessibleName(self.tr("{text}, {p}").format(text=shown_piece(alt.text),
                                                                   p=percent(alt.probability)))
            button.clicked.connect(lambda _=False, i=token.index, t=alt.id:
                                   self.alternative_chosen.emit(i, t))
            self.grid.addWidget(button, n // ALTERNATIVES_A_ROW, n % ALTERNATIVES_A_ROW)
            self.buttons.append(button)
        self.show()


class TokenView(QWidget):
    """The legend, the coloured tokens and the panel of the token shown."""

    alternative_chosen = Signal(int, int)  # the token's index, the alternative's id

    def __init__(self, tokens: ReplyTokens, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("token-view")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(Space.XS)
        self.legend = Legend()
        self.text = TokenText()
        self.panel = AlternativesPanel()
        layout.addWidget(self.legend)
        layout.addWidget(self.text)
        layout.addWidget(self.panel)
        self.can_branch, self.why_not = True, ""
        self.text.token_shown.connect(self._on_token_shown)
        self.panel.alternative_chosen.connect(self.alternative_chosen)
        theme().changed.connect(self._on_theme_changed)
        self.set_tokens(tokens)

    def set_tokens(self, tokens: ReplyTokens) -> None:
        self.tokens = tokens
        self.text.show_tokens(tokens)
        self.panel.hide()

    def set_can_branch(self, can: bool, why_not: str = "") -> None:
        """Whether clicking an alternative can branch now (not while a reply is written)."""
        self.can_branch, self.why_not = can, why_not
        if self.panel.token is not None and self.panel.isVisible():
            self.panel.show_token(self.panel.token, can, why_not)

    def show_token(self, index: int) -> None:
        self._on_token_shown(index)

    @Slot(int)
    def _on_token_shown(self, index: int) -> None:
        if 0 <= index < len(self.tokens):
            self.panel.show_token(self.tokens[index], self.can_branch, self.why_not)

    @Slot()
    def _on_theme_changed(self) -> None:
        self.legend.refresh()
        self.text.show_tokens(self.tokens)
