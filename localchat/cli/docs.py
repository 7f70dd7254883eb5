"""``localchat docs``: collections of documents to chat with, in a terminal.

``docs add NAME PATH…`` makes a collection (or adds to one), ``docs index NAME`` brings its index
up to date (only what changed; Ctrl+C pauses and the same command resumes, even after a crash),
``docs list``, ``docs files NAME`` (each file's status), ``docs search NAME "query" [--json]``,
``docs rm NAME``, and ``docs ask NAME "question"``: one answer from a chat model that cites the
passages it was given, then its sources. ``add_docs_arguments`` and ``docs_for_chat`` give
``localchat chat`` its ``--docs NAME``.

Embeddings are computed by the inference worker, as in the window; the embedding model is the
one in the models folder, else the demo's MiniLM.
"""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from typing import TextIO


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("docs", help="collections of documents to chat with: add, index, search, ask")
    actions = p.add_subparsers(dest="docs_action", metavar="ACTION", required=True)

    a = actions.add_parser("add", help="make a collection of folders and files, or add to one")
    a.add_argument("name")
    a.add_argument("files", nargs="+", metavar="PATH", help="folders and files")
    a.set_defaults(func=run_add)

    a = actions.add_parser("list", help="the collections, their files and passages")
    a.add_argument("--json", action="store_true", help="print JSON for scripts")
    a.set_defaults(func=run_list)

    a = actions.add_parser("files", help="each file of a collection and what became of it")
    a.add_argument("name")
    a.add_argument("--json", action="store_true", help="print JSON for scripts")
    a.set_defaults(func=run_files)

    a = actions.add_parser("index", help="bring a collection's index up to date "
                                         "(Ctrl+C pauses; run again to resume)")
    a.add_argument("name")
    a.set_defaults(func=run_index)

    a = actions.add_parser("rm", help="forget a collection and its index (the files stay)")
    a.add_argument("name")
    a.set_defaults(func=run_rm)

    a = actions.add_parser("search", help="the passages of a collection that best answer a query")
    a.add_argument("name")
    a.add_argument("query")
    a.add_argument("-k", "--limit", type=int, default=5, help="how many passages (default 5)")
    a.add_argument("--mode", choices=("hybrid", "keyword", "vector"), default="hybrid",
                   help="BM25 and vectors fused (default), or one of them")
    a.add_argument("--json", action="store_true", help="print JSON for scripts")
    a.set_defaults(func=run_search)

    a = actions.add_parser("ask", help="one answer from a chat model, from a collection's passages, "
                                       "with its sources")
    a.add_argument("name")
    a.add_argument("question")
    a.add_argument("--model", metavar="FILE_OR_NAME", help="the chat model (default: the model used last)")
    a.add_argument("--no-save", action="store_true", help="leave nothing in the history")
    a.add_argument("--max-tokens", type=int, default=None)
    a.add_argument("--seed", type=int, default=None)
    a.add_argument("--temperature", type=float, default=None)
    a.add_argument("-y", "--yes", action="store_true",
                   help="load the model even if it needs more memory than is free now")
    a.set_defaults(func=run_ask, conversation=None, system=None, threads=None, ctx=None, gpu=None)


# -- shared --------------------------------------------------------------------------------------
def open_store(args: argparse.Namespace):
    from localchat.core.documents.context import index_path
    from localchat.core.documents.store import DocumentStore

    return DocumentStore.open(index_path(args.paths.root))


def embedding_model(args: argparse.Namespace):
    from localchat.core.documents.embed import default_embedding_model
    from localchat.core.settings import resolve_run_options

    return default_embedding_model(resolve_run_options(args.paths, args.settings).models_dir)


def start_worker(stack: ExitStack):
    from localchat.core.inference.worker import InferenceWorker

    worker = InferenceWorker().start()
    stack.callback(worker.stop)
    return worker


# -- add, list, files, rm -------------------------------------------------------------------------
def run_add(args: argparse.Namespace) -> int:
    from localchat.core.documents.indexer import walk_sources

    with open_store(args) as store:
        collection = store.add_collection(args.name, args.files)
        files = sum(1 for _ in walk_sources(collection.sources))
    print(f"Collection \"{collection.name}\": {len(collection.sources)} source(s), {files} file(s). "
          f"`localchat docs index {collection.name}` indexes them.")
    return 0


def run_list(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        rows = []
        for c in store.collections():
            p = store.progress(c.id)
            rows.append({"name": c.name, "sources": list(c.sources), "files": p.files, "chunks": p.chunks,
                         "queued": p.queued, "paused": c.paused, "by_status": p.by_status})
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    if not rows:
        print("No collections yet: `localchat docs add NAME FOLDER` makes one.")
    for r in rows:
        states = ", ".join(f"{n} {s}" for s, n in sorted(r["by_status"].items()))
        queued = f", {r['queued']} to index" if r["queued"] else ""
        print(f"{r['name']}: {r['files']} files ({states or 'none indexed'}), {r['chunks']} passages{queued}"
              + (" (paused)" if r["paused"] else ""))
        for source in r["sources"]:
            print(f"    {source}")
    return 0


def run_files(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        collection = store.collection(args.name)
        docs = sorted(store.documents(collection.id).values(), key=lambda d: d.path)
        queued = store.queued(collection.id)
    if args.json:
        print(json.dumps([{"path": d.path, "status": d.status.value, "reason": d.reason, "passages": d.chunks}
                          for d in docs] + [{"path": q, "status": "queued"} for q in queued], indent=2))
        return 0
    for d in docs:
        print(f"{d.status.value:<20} {d.chunks:>5}  {d.path}" + (f"  ({d.reason})" if d.reason else ""))
    for q in queued:
        print(f"{'queued':<20} {'':>5}  {q}")
    return 0


def run_rm(args: argparse.Namespace) -> int:
    with open_store(args) as store:
        store.remove_collection(args.name)
    print(f"Collection \"{args.name}\" removed; its files are untouched.")
    return 0


# -- index ----------------------------------------------------------------------------------------
def progress_line(progress) -> str:
    eta = progress.eta_s
    eta_text = f" · about {eta:.0f} s left" if eta is not None else ""
    return (f"{progress.collection}: {progress.done}/{progress.total} files · {progress.chunks} passages"
            f"{eta_text}")


def run_index(args: argparse.Namespace) -> int:
    from localchat.core.documents.indexer import Indexer, worker_embed

    with ExitStack() as stack:
        store = stack.enter_context(open_store(args))
        collection = store.collection(args.name)
        if collection.paused:
            store.set_paused(collection.name, False)  # running the command is asking to resume
            collection = store.collection(args.name)
        model = embedding_model(args)
        worker = start_worker(stack)
        tty = sys.stderr.isatty()

        def show(progress) -> None:
            if tty:
                print("\r" + progress_line(progress), end="", file=sys.stderr, flush=True)

        indexer = Indexer(store, model, worker_embed(worker, model), hold=worker.wait_quiet, on_progress=show)
        queued = indexer.reconcile(collection)
        try:
            report = indexer.run(collection)
        except KeyboardInterrupt:
            if tty:
                print(file=sys.stderr)
            left = len(store.queued(collection.id))
            print(f"Paused with {left} file(s) still to index: `localchat docs index {collection.name}` "
                  "resumes.", file=sys.stderr)
            return 130
        if tty and queued:
            print(file=sys.stderr)
        problems = [d for d in store.documents(collection.id).values() if d.reason]
    states = ", ".join(f"{n} {s}" for s, n in sorted(report.by_status.items()))
    print(f"{collection.name}: {queued} file(s) looked at; {report.files} indexed anew, "
          f"{report.unchanged} unchanged, {report.removed} removed; {report.embedded} passage(s) embedded "
          f"in {report.embedding_calls} call(s). Now: {states or 'no files'}.")
    for d in sorted(problems, key=lambda d: d.path):
        print(f"  {d.status.value}: {d.path} ({d.reason})")
    return 0


# -- search ---------------------------------------------------------------------------------------
def run_search(args: argparse.Namespace) -> int:
    from localchat.core.documents.context import worker_query_embed
    from localchat.core.documents.retrieve import Retriever

    with ExitStack() as stack:
        store = stack.enter_context(open_store(args))
        collection = store.collection(args.name)
        model = embedding_model(args)
        worker = start_worker(stack)
        retriever = Retriever(store, model.key, worker_query_embed(worker, model),
                              document_prefix=model.document_prefix)
        hits = retriever.search([collection.id], args.query, limit=args.limit, mode=args.mode)
    if args.json:
        print(json.dumps([{"path": h.path, "page": h.page, "heading": h.heading, "text": h.text,
                           "start": h.first.start, "end": h.chunks[-1].end, "score": h.score,
                           "similarity": round(h.similarity, 4), "bm25_rank": h.keyword_rank,
                           "vector_rank": h.vector_rank} for h in hits], indent=2))
        return 0
    if not hits:
        print(f"No relevant passage was found in \"{collection.name}\".")
        return 0
    for number, h in enumerate(hits, 1):
        where = h.path + (f", page {h.page}" if h.page is not None else "")
        print(f"[{number}] {where}" + (f" — {h.heading}" if h.heading else ""))
        print("    " + excerpt(h.text))
    return 0


def excerpt(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


# -- chat with documents ----------------------------------------------------------------------------
def add_docs_arguments(parser: argparse.ArgumentParser) -> None:
    """``--docs NAME`` (repeatable) for ``localchat chat``."""
    parser.add_argument("--docs", action="append", metavar="NAME", default=None,
                        help="answer from this collection's documents, citing them, and print the "
                             "sources under each reply (repeat for several)")


def docs_for_chat(args: argparse.Namespace, worker, n_ctx: int, reply_tokens: int | None = None,
                  stack: ExitStack | None = None):
    """The ``Retrieve`` for ``session.documents`` when ``--docs`` was given, else None."""
    if not getattr(args, "docs", None):
        return None
    from localchat.core.documents.context import DocumentContext, worker_query_embed

    store = open_store(args)
    if stack is not None:
        stack.callback(store.close)
    model = embedding_model(args)
    return DocumentContext(store, args.docs, model, worker_query_embed(worker, model), n_ctx=n_ctx,
                           reply_tokens=reply_tokens or 512)


def print_sources(turn, out: TextIO | None = None) -> None:
    """Under a reply: its sources (file, page, excerpt), which it cited, and any citation that
    points nowhere; or that no passage was relevant."""
    out = out or sys.stdout
    if not turn.uses_documents:
        return
    if not turn.passages:
        print("\n(No relevant passage was found in the documents.)", file=out)
        return
    citations = turn.citations()
    print("\nSources:", file=out)
    for p in turn.passages:
        mark = "" if p.number in citations.cited else " (not cited)"
        page = f", page {p.page}" if p.page is not None else ""
        print(f"  [{p.number}] {p.path}{page}{mark}", file=out)
        print(f"      {p.excerpt}", file=out)
    if citations.unsupported:
        names = ", ".join(f"[{n}]" for n in citations.unsupported)
        print(f"  Check {names}: the sentence citing it shares no words with the passage.", file=out)
    if citations.unknown:
        names = ", ".join(f"[{n}]" for n in citations.unknown)
        print(f"  Citation{'s' if len(citations.unknown) > 1 else ''} {names} point to no passage.", file=out)


def run_ask(args: argparse.Namespace) -> int:
    from localchat.cli.chat import (
        load_anyway,
        mark_used,
        model_path,
        open_history,
        run_settings,
        sampling_changes,
        catalog_in_use,
        start_session,
    )
    from localchat.cli.terminal_chat import TerminalChat
    from localchat.core.chat.stats import StopReason
    from localchat.core.settings import resolve_run_options

    args.docs = [args.name]
    options = resolve_run_options(args.paths, run_settings(args))
    path = model_path(args.model, options)
    with ExitStack() as stack:
        session = start_session(args, open_history(args, stack))
        worker = start_worker(stack)
        chat = TerminalChat(worker, session)
        stack.callback(chat.close)
        loaded = chat.load(path, options, catalog_in_use(args.paths), ask=None if args.yes else load_anyway)
        session.model_name = loaded.info.name
        session.new(sampling=loaded.defaults.sampling.with_(**sampling_changes(args)))
        mark_used(path, options)
        session.documents = docs_for_chat(args, worker, loaded.info.n_ctx,
                                          session.sampling.max_tokens, stack)
        turn = session.send(args.question)
        stats = chat.reply(turn)
        print_sources(turn)
        if stats.stop_reason is StopReason.ERROR:
            return 1
    return 0

