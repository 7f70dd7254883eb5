"""Markdown to the HTML subset Qt's rich text understands, with a Copy link on code blocks."""

from __future__ import annotations

import html

import mistune

CODE_STYLE = ("background-color:{bg}; font-family:'DejaVu Sans Mono','Consolas','Menlo',monospace;"
              " padding:6px; white-space:pre-wrap;")


class _QtRenderer(mistune.HTMLRenderer):
    def __init__(self, code_bg: str):
        super().__init__(escape=True)
        self.code_blocks: list[str] = []
        self._code_bg = code_bg

    def block_code(self, code: str, info: str | None = None) -> str:
        index = len(self.code_blocks)
        self.code_blocks.append(code)
        lang = html.escape((info or "").split()[0]) if info else ""
        header = (f'<table width="100%" cellspacing="0" cellpadding="0"><tr>'
                  f'<td><small>{lang}</small></td>'
                  f'<td align="right"><a href="copy:{index}"><small>Copy</small></a></td></tr></table>')
        body = html.escape(code.rstrip("\n"))
        return (f'{header}<pre style="{CODE_STYLE.format(bg=self._code_bg)}">{body}</pre>\n')

    def codespan(self, text: str) -> str:
        return f'<code style="font-family:monospace; background-color:{self._code_bg};">{html.escape(text)}</code>'


class RenderedMarkdown:
    """The HTML of one message and the raw text of its code blocks, for the Copy links."""

    def __init__(self, text: str, code_bg: str = "#f0f0f0"):
        renderer = _QtRenderer(code_bg)
        parse = mistune.create_markdown(renderer=renderer, plugins=["strikethrough", "table"])
        self.html: str = parse(_close_open_fence(text))
        self.code_blocks: list[str] = renderer.code_blocks


def _close_open_fence(text: str) -> str:
    """While a reply streams, a code block may be open: render it as code, not as prose."""
    fences = sum(1 for line in text.splitlines() if line.lstrip().startswith("```"))
    return text + "\n```" if fences % 2 else text
