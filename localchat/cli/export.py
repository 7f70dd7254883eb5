"""``localchat conversations``, ``localchat export`` and ``localchat import``: the history from a shell."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from localchat.core.history.export import FORMATS, export_conversation, import_file, write_export

_SUFFIXES = {".md": "md", ".markdown": "md", ".json": "json", ".html": "html", ".htm": "html"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("conversations", help="list the saved conversations and their ids")
    p.add_argument("--limit", type=int, default=50, help="how many, newest first (default 50)")
    p.add_argument("--search", metavar="WORDS", help="list the messages containing WORDS instead")
    p.set_defaults(func=run_list)

    p = sub.add_parser("export", help="write a conversation as Markdown, JSON or HTML")
    p.add_argument("id", type=int, help="the conversation's id (see: localchat conversations)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="md: the current branch as Markdown; json: every branch, for import; "
                        "html: one self-contained page (default: from the file name, else md)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: standard output)")
    p.set_defaults(func=run_export)

    p = sub.add_parser("import", help="add a conversation from a JSON file that localchat exported")
    p.add_argument("file", help="the .json file")
    p.set_defaults(func=run_import)


def _open_store(args: argparse.Namespace):
    from localchat.core.history.store import Store

    store = Store.open(args.paths.database)
    if store.recovery is not None:
        print(f"localchat: {store.recovery}", file=sys.stderr)
    return store


def run_list(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        if args.search:
            for hit in store.search(args.search, limit=args.limit):
                print(f"{hit.conversation_id:>6}  message {hit.message_id:<8} "
                      f"{hit.conversation_title or 'New chat'}: {hit.snippet}")
            return 0
        for conv in store.list_conversations(limit=args.limit):
            when = datetime.fromtimestamp(conv.updated_at).strftime("%Y-%m-%d %H:%M")
            print(f"{conv.id:>6}  {when}  {conv.display_title}")
        shown = min(args.limit, store.count_conversations())
        if shown < store.count_conversations():
            print(f"({shown} of {store.count_conversations()}; --limit shows more)", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace) -> int:
    output = Path(args.output) if args.output else None
    fmt = args.format or (_SUFFIXES.get(output.suffix.lower(), "md") if output else "md")
    with _open_store(args) as store:
        if output is None:
            sys.stdout.write(export_conversation(store, args.id, fmt))
        else:
            write_export(store, args.id, fmt, output)
            print(f"wrote {output}", file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace) -> int:
    with _open_store(args) as store:
        conv = import_file(store, Path(args.file))
        print(f"imported as conversation {conv.id}: {conv.display_title}")
    return 0
