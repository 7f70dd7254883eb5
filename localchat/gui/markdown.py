"""Markdown to the HTML subset Qt's rich text understands: code blocks highlighted in the theme's
colours under a header with their language and a Copy link, headings sized from the person's
font size, tables, lists and quotes laid out simply. Also where a reasoning model's
``<think>…</think>`` ends."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import mistune

from localchat.gui.theme.code import highlight_html
from localchat.gui.theme.tokens import LIGHT, MONOSPACE, Colors, Space, Type

_MONO = ",".join(f"'{f}'" if " " in f else f for f in MONOSPACE)
_HEADING_SCALE = {1: Type.H1, 2: Type.H2, 3: Type.H3}


class _QtRenderer(mistune.HTMLRenderer):
    def __init__(self, colors: Colors, base_pt: float, copy_label: str):
        super().__init__(escape=True)
        self.code_blocks: list[str] = []
        self._c = colors
        self._pt = base_pt
        self._copy = copy_label

    def paragraph(self, text: str) -> str:
        return f'<p style="line-height:{Type.LINE_HEIGHT}%;">{text}</p>\n'

    def heading(self, text: str, level: int, **attrs) -> str:
        size = self._pt * _HEADING_SCALE.get(level, 1.0)
        return f'<p style="font-size:{size:.1f}pt; font-weight:600; margin-top:{Space.M}px;">{text}</p>\n'

    def block_code(self, code: str, info: str | None = None) -> str:
        c = self._c
        index = len(self.code_blocks)
        self.code_blocks.append(code)
        language = (info or "").split()[0] if info and info.split() else ""
        body = highlight_html(code.rstrip("\n"), language, c)
        small = self._pt * Type.SMALL
        return (
            f'<table width="100%" cellspacing="0" cellpadding="{Space.S}" bgcolor="{c.code_bg}" '
            f'style="margin-top:{Space.S}px; margin-bottom:{Space.S}px;">'
            f'<tr><td bgcolor="{c.code_header}"><span style="color:{c.muted}; font-size:{small:.1f}pt;">'
            f'{html.escape(language) or "&nbsp;"}</span></td>'
            f'<td bgcolor="{c.code_header}" align="right"><a href="copy:{index}" style="color:{c.accent}; '
            f'text-decoration:none; font-size:{small:.1f}pt;">{html.escape(self._copy)}</a></td></tr>'
            f'<tr><td colspan="2"><pre style="font-family:{_MONO}; color:{c.text};">{body}</pre></td></tr>'
            f'</table>\n')

    def codespan(self, text: str) -> str:
        return (f'<code style="font-family:{_MONO}; background-color:{self._c.code_bg};">'
                f'{html.escape(text)}</code>')

    def block_quote(self, text: str) -> str:
        return (f'<table cellspacing="0" cellpadding="0" style="margin-left:{Space.XS}px;"><tr>'
                f'<td width="3" bgcolor="{self._c.border}"></td>'
                f'<td style="padding-left:{Space.M}px; color:{self._c.muted};">{text}</td></tr></table>\n')

    def table(self, text: str) -> str:
        return (f'<table cellspacing="0" cellpadding="{Space.S - 2}" border="1" '
                f'style="border-collapse:collapse; border-color:{self._c.border}; margin:{Space.S}px 0;">'
                f'{text}</table>\n')

    def table_head(self, text: str) -> str:
        return f'<thead><tr bgcolor="{self._c.surface}">{text}</tr></thead>\n'

    def link(self, text: str, url: str, title: str | None = None) -> str:
        return f'<a href="{html.escape(url)}" style="color:{self._c.accent};">{text}</a>'

    def thematic_break(self) -> str:
        return f'<table width="100%" cellspacing="0" cellpadding="0"><tr><td height="1" bgcolor="{self._c.border}">' \
               '</td></tr></table>\n'


class RenderedMarkdown:
    """The HTML of one message and the raw text of its code blocks, for the Copy links."""

    def __init__(self, text: str, colors: Colors = LIGHT, base_pt: float = 10.0, copy_label: str = "Copy"):
        renderer = _QtRenderer(colors, base_pt, copy_label)
        parse = mistune.create_markdown(renderer=renderer, plugins=["strikethrough", "table"])
        self.html: str = parse(_close_open_fence(text))
        self.code_blocks: list[str] = renderer.code_blocks


def _close_open_fence(text: str) -> str:
    """While a reply streams, a code block may be open: render it as code, not as prose."""
    fences = sum(1 for line in text.splitlines() if line.lstrip().startswith("```"))
    return text + "\n```" if fences % 2 else text


# -- reasoning models -------------------------------------------------------------------------------
_THINK_OPEN = re.compile(r"\s*<think>")
THINK_CLOSE = "</think>"


@dataclass(frozen=True)
class ThinkingSplit:
    """A reply split into what the model thought (``<think>…</think>`` at its start) and its answer.
    ``thought`` is None for a reply that does not think; ``done`` once ``</think>`` has come."""

    thought: str | None
    answer: str
    done: bool
    answer_start: int  # where the answer begins in the reply's text


def split_thinking(text: str) -> ThinkingSplit:
    opened = _THINK_OPEN.match(text)
    if opened is None:
        return ThinkingSplit(None, text, True, 0)
    end = text.find(THINK_CLOSE, opened.end())
    if end < 0:
        return ThinkingSplit(text[opened.end():].strip("\n"), "", False, len(text))
    start = end + len(THINK_CLOSE)
    while start < len(text) and text[start] in "\r\n":
        start += 1
    return ThinkingSplit(text[opened.end():end].strip(), text[start:], True, start)
