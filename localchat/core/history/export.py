"""Export a conversation as Markdown, JSON or a self-contained HTML page; import the JSON back.

- Markdown and HTML hold the current branch, as the person reads it.
- JSON holds the whole tree, every branch and field, and is what ``import_json`` reads: the
  document is versioned (``format``/``version``) and message ids in it are its own (1…n), so an
  export of an import is the same document.
- A reply answered from the person's documents carries its sources: in Markdown and HTML a short
  list under it (file and page, an excerpt, whether the reply cites it), in JSON each passage
  whole (``sources``: number, path, page, heading, text, cited), read back by the import; an
  empty list is a reply for which nothing relevant was found. Older exports have no such field.
- HTML needs nothing from the network: CSS is inline, code is highlighted by Pygments at export
  time, there is no script, and images in messages become plain links (opening the page never
  fetches anything).
"""

from __future__ import annotations

import html
import json
import math
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from localchat import __version__
from localchat.core.chat.messages import Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.errors import ConversationFileError
from localchat.core.history.records import Conversation, StoredMessage, known_fields
from localchat.core.history.sources import ReplySources, save_sources, sources_of
from localchat.core.history.store import Store

FORMATS = ("md", "json", "html")
FORMAT_NAME = "localchat-conversation"
FORMAT_VERSION = 1


def export_conversation(store: Store, conversation_id: int, fmt: str) -> str:
    """The text of ``conversation_id`` in ``fmt`` (one of ``FORMATS``)."""
    if fmt == "md":
        return to_markdown(store, conversation_id)
    if fmt == "json":
        return json.dumps(to_document(store, conversation_id), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        return to_html(store, conversation_id)
    raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")


def suggested_filename(conversation: Conversation, fmt: str) -> str:
    safe = "".join(ch if ch.isalnum() or ch in " -_" else " " for ch in conversation.display_title)
    return "-".join(safe.split())[:60] + f".{fmt}"


# -- JSON --------------------------------------------------------------------------------------
def to_document(store: Store, conversation_id: int) -> dict[str, Any]:
    conv = store.conversation(conversation_id)
    messages = store.tree(conversation_id)
    ids = {m.id: n for n, m in enumerate(messages, start=1)}
    sources = sources_of(store, [m.id for m in messages])
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_by": f"localchat {__version__}",
        "conversation": {
            "title": conv.title,
            "model": conv.model,
            "system_prompt": conv.system_prompt,
            "sampling": {**asdict(conv.sampling), "stop": list(conv.sampling.stop)},  # JSON has no tuples
            "created_at": conv.created_at,
            "updated_at": conv.updated_at,
            "current_leaf": ids.get(conv.current_leaf_id),
        },
        "messages": [
            {
                "id": ids[m.id],
                "parent": ids[m.parent_id] if m.parent_id is not None else None,
                "role": m.role,
                "content": m.content,
                "created_at": m.created_at,
                "model": m.model,
                "partial": m.partial,
                "stats": asdict(m.stats.without_tokens()) if m.stats is not None else None,
                **({"sources": sources[m.id].to_data(m.content)} if m.id in sources else {}),
            }
            for m in messages
        ],
    }


def import_json(store: Store, text: str, source: str = "the file") -> Conversation:
    """Add the conversation in an exported JSON document as a new conversation (new ids)."""
    try:
        doc = json.loads(text)
    except ValueError as exc:
        raise _bad(source, f"it is not JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
        raise _bad(source, "it is not a localchat conversation export")
    version = doc.get("version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ConversationFileError(
            f"{source} was exported by a newer localchat (format version {version}).",
            "Update localchat to import it.")
    try:
        conversation, messages, sources = _parse(doc)
    except (KeyError, TypeError, ValueError) as exc:
        raise _bad(source, f"a field is missing or wrong ({exc})") from exc
    imported = store.insert_tree(conversation, messages)
    if sources:
        # insert_tree gives ids in the order it was handed the messages, as tree() reads them
        new_ids = {m.id: new.id for m, new in zip(messages, store.tree(imported.id), strict=True)}
        for mid, found in sources.items():
            save_sources(store, new_ids[mid], found)
    return imported


def import_file(store: Store, path: Path) -> Conversation:
    """``import_json`` of a file, with a clear error when it cannot be read."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConversationFileError(f"{path} cannot be read: {getattr(exc, 'strerror', None) or exc}.",
                                    "Check the file name; import a .json file that localchat "
                                    "exported.") from exc
    return import_json(store, text, source=Path(path).name)


def _bad(source: str, why: str) -> ConversationFileError:
    return ConversationFileError(f"{source} cannot be imported: {why}.",
                                 "Import a .json file that localchat exported.")


def _parse(doc: dict) -> tuple[Conversation, list[StoredMessage], dict[int, ReplySources]]:
    c = doc["conversation"]
    messages: list[StoredMessage] = []
    sources: dict[int, ReplySources] = {}
    seen: set[int] = set()
    for raw in doc["messages"]:
        mid, parent = _int(raw["id"]), raw["parent"]
        if parent is not None and _int(parent) not in seen:
            raise ValueError(f"message {mid} comes before its parent {parent}")
        if mid in seen:
            raise ValueError(f"message id {mid} appears twice")
        if raw["role"] not in ("user", "assistant"):
            raise ValueError(f"message {mid} has the role {raw['role']!r}")
        stats = raw.get("stats")
        messages.append(StoredMessage(
            id=mid, conversation_id=0, parent_id=parent, role=raw["role"],
            content=_str(raw["content"]), created_at=_time(raw["created_at"]), depth=0,
            model=_opt_str(raw.get("model")), partial=bool(raw.get("partial", False)),
            stats=GenerationStats(**known_fields(GenerationStats, stats)) if stats else None))
        if raw.get("sources") is not None:
            if raw["role"] != "assistant":
                raise ValueError(f"message {mid} has sources but is not a reply")
            sources[mid] = ReplySources.from_data(raw["sources"])
        seen.add(mid)
    conversation = Conversation(
        id=0, title=_str(c.get("title", "")), model=_opt_str(c.get("model")),
        system_prompt=_str(c.get("system_prompt", "")),
        sampling=_sampling(c.get("sampling") or {}),
        created_at=_time(c["created_at"]), updated_at=_time(c["updated_at"]),
        current_leaf_id=None if c.get("current_leaf") is None else _int(c["current_leaf"]))
    return conversation, messages, sources


def _sampling(raw: Any) -> Sampling:
    values = known_fields(Sampling, raw)
    for name, value in values.items():
        if name == "stop" and isinstance(value, list) and all(isinstance(s, str) for s in value):
            continue
        if name == "response_format" and isinstance(value, dict):
            continue  # ResponseFormat takes what it knows of it
        if isinstance(value, bool) or not isinstance(value, (int, float, type(None))):
            raise TypeError(f"the sampling setting {name} is {value!r}")
    return Sampling(**values)


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{value!r} is not a message id")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not text")
    return value


def _opt_str(value: Any) -> str | None:
    return None if value is None else _str(value)


def _time(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise TypeError(f"{value!r} is not a time")
    return float(value)


# -- Markdown ----------------------------------------------------------------------------------
def _when(ts: float) -> str:
    return datetime.fromtimestamp(ts).strftime("%Y-%m-%d %H:%M")


def _speaker(m: StoredMessage) -> str:
    if m.role == "user":
        return "You"
    return f"Assistant ({m.model})" if m.model else "Assistant"


def _notes(m: StoredMessage) -> str:
    notes = []
    if m.partial:
        notes.append("reply interrupted")
    if m.stats is not None:
        notes.append(m.stats.error or m.stats.summary)
    return " · ".join(notes)


def _source_lines(found: ReplySources, reply: str) -> list[str]:
    """Markdown under a reply: its sources, one line each, and citations that point nowhere."""
    if not found.passages:
        return ["*Sources: no passage of the documents was relevant to the question.*", ""]
    citations = found.citations(reply)
    lines = ["**Sources**", ""]
    for p in found.passages:
        title = p.title.replace("[", "\\[").replace("]", "\\]")
        cited = "" if p.number in citations.cited else " *(not cited)*"
        lines.append(f"- [{p.number}] [{title}](<{p.url}>){cited} — {p.excerpt}")
    lines.append("")
    if citations.unknown:
        lines += [f"*{', '.join(f'[{n}]' for n in citations.unknown)} point to no passage.*", ""]
    return lines


def to_markdown(store: Store, conversation_id: int) -> str:
    conv = store.conversation(conversation_id)
    lines = [f"# {conv.display_title}", ""]
    meta = [f"Model: {conv.model}"] if conv.model else []
    meta.append(f"started {_when(conv.created_at)}")
    lines += [f"*{' · '.join(meta)}*", ""]
    if conv.system_prompt.strip():
        lines += ["> **System prompt**", ">"]
        lines += [f"> {line}".rstrip() for line in conv.system_prompt.splitlines()]
        lines.append("")
    branch = store.branch(conversation_id)
    sources = sources_of(store, [m.id for m in branch])
    for m in branch:
        lines += [f"## {_speaker(m)}", "", m.content.rstrip(), ""]
        if m.id in sources:
            lines += _source_lines(sources[m.id], m.content)
        if _notes(m):
            lines += [f"*{_notes(m)}*", ""]
    return "\n".join(lines)


# -- HTML --------------------------------------------------------------------------------------
_PAGE_CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #656d76;
        --user: #eef4ff; --line: #d0d7de; --code: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #8d96a0; --user: #15233b; --line: #30363d;
          --code: #161b22; } }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 52rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
.meta, .notes, .message header { color: var(--muted); font-size: .85rem; }
.system { border-left: 3px solid var(--line); padding: .25rem 1rem; margin: 1.5rem 0;
          white-space: pre-wrap; }
.message { border: 1px solid var(--line); border-radius: 10px; padding: .75rem 1.1rem;
           margin: 1rem 0; }
.message.user { background: var(--user); }
.message header { font-weight: 600; }
pre, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace;
            font-size: .9em; }
.highlight, pre { background: var(--code); border-radius: 6px; overflow-x: auto; }
.highlight pre { margin: 0; padding: .75rem; background: transparent; }
.sources { border-top: 1px solid var(--line); margin-top: .75rem; padding-top: .5rem; font-size: .9rem; }
.sources ol { margin: .25rem 0; padding-left: 1.5rem; }
table { border-collapse: collapse; } td, th { border: 1px solid var(--line); padding: .25rem .5rem; }
"""


def _highlight_css() -> str:
    from pygments.formatters import HtmlFormatter

    light = HtmlFormatter(style="default").get_style_defs(".highlight")
    dark = HtmlFormatter(style="github-dark").get_style_defs(".highlight")
    return f"{light}\n@media (prefers-color-scheme: dark) {{\n{dark}\n}}"


def _markdown_to_html():
    import mistune
    from pygments import highlight
    from pygments.formatters import HtmlFormatter
    from pygments.lexers import TextLexer, get_lexer_by_name
    from pygments.util import ClassNotFound

    formatter = HtmlFormatter(cssclass="highlight")

    class PageRenderer(mistune.HTMLRenderer):
        def block_code(self, code: str, info: str | None = None) -> str:
            try:
                lexer = get_lexer_by_name(info.split()[0]) if info and info.split() else TextLexer()
            except ClassNotFound:
                lexer = TextLexer()
            return highlight(code, lexer, formatter)

        def image(self, text: str, url: str, title: str | None = None) -> str:
            return self.link(text or url, url, title)  # a link: the page fetches nothing

    return mistune.create_markdown(escape=True, renderer=PageRenderer(escape=True),
                                   plugins=["strikethrough", "table", "url"])


def _source_html(found: ReplySources, reply: str) -> str:
    esc = html.escape
    if not found.passages:
        return '<p class="sources">Sources: no passage of the documents was relevant to the question.</p>'
    citations = found.citations(reply)
    rows = []
    for p in found.passages:
        cited = "" if p.number in citations.cited else ' <span class="notes">(not cited)</span>'
        rows.append(f'<li value="{p.number}"><a href="{esc(p.url)}">{esc(p.title)}</a>{cited}'
                    f'<br><span class="notes">{esc(p.excerpt)}</span></li>')
    unknown = (f'<p class="notes">{esc(", ".join(f"[{n}]" for n in citations.unknown))} point to no '
               "passage.</p>" if citations.unknown else "")
    return f'<section class="sources"><strong>Sources</strong><ol>{"".join(rows)}</ol>{unknown}</section>'


def to_html(store: Store, conversation_id: int) -> str:
    conv = store.conversation(conversation_id)
    render = _markdown_to_html()
    esc = html.escape
    meta = [f"Model: {conv.model}"] if conv.model else []
    meta.append(f"started {_when(conv.created_at)}")
    parts = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="localchat {esc(__version__)}">',
        f"<title>{esc(conv.display_title)}</title>",
        f"<style>{_PAGE_CSS}\n{_highlight_css()}</style>", "</head>", "<body><main>",
        f"<h1>{esc(conv.display_title)}</h1>", f'<p class="meta">{esc(" · ".join(meta))}</p>',
    ]
    if conv.system_prompt.strip():
        parts.append(f'<div class="system"><strong>System prompt</strong>\n{esc(conv.system_prompt)}</div>')
    branch = store.branch(conversation_id)
    sources = sources_of(store, [m.id for m in branch])
    for m in branch:
        parts += [
            f'<article class="message {m.role}">',
            f"<header>{esc(_speaker(m))} · {esc(_when(m.created_at))}</header>",
            render(m.content),
        ]
        if m.id in sources:
            parts.append(_source_html(sources[m.id], m.content))
        if _notes(m):
            parts.append(f'<p class="notes">{esc(_notes(m))}</p>')
        parts.append("</article>")
    parts += ["</main></body>", "</html>", ""]
    return "\n".join(parts)


def write_export(store: Store, conversation_id: int, fmt: str, path: Path) -> Path:
    """Write the export to ``path`` atomically (a failed write leaves no half file)."""
    text = export_conversation(store, conversation_id, fmt)
    tmp = path.with_name(path.name + ".part")
    try:
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConversationFileError(f"The export could not be written to {path}: "
                                    f"{exc.strerror or exc}.",
                                    "Choose another file or folder.") from exc
    return path
