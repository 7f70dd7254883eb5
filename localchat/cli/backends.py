"""``localchat backends``: remote OpenAI-compatible servers beside the local engine.

``backends add NAME URL [--api-key KEY] [--model-filter TEXT]`` asks the server for its models
and what it can do before keeping it; ``backends list``; ``backends rm NAME``. ``localchat chat
--backend NAME --model ID`` chats with one (``run_chat`` here), saved in the history like a local
conversation, each reply marked with the backend and model that wrote it.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import ExitStack

from localchat.core.errors import LocalChatError

ENV_API_KEY = "LOCALCHAT_BACKEND_API_KEY"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backends", help="remote OpenAI-compatible servers to chat with",
                       description="Servers that speak OpenAI's API (Ollama, vLLM, llama.cpp's "
                       "llama-server, LM Studio, another localchat), used beside the local engine. "
                       "See docs/SCALING.md.")
    commands = p.add_subparsers(dest="backends_command", metavar="COMMAND", required=True)
    add = commands.add_parser("add", help="add a server, after asking it for its models and abilities")
    add.add_argument("name", help="a short name for it (letters, digits, . _ -)")
    add.add_argument("url", help="its address, e.g. http://127.0.0.1:11434 (…/v1 is added)")
    add.add_argument("--api-key", metavar="KEY", default=None,
                     help=f"its API key, if it needs one (or set {ENV_API_KEY})")
    add.add_argument("--model-filter", metavar="TEXT", default=None,
                     help="list only the models whose id contains TEXT")
    add.set_defaults(func=run_add)
    listing = commands.add_parser("list", help="the servers added, with their models")
    listing.add_argument("--offline", action="store_true", help="do not ask the servers for their models")
    listing.set_defaults(func=run_list)
    rm = commands.add_parser("rm", help="forget a server and its key")
    rm.add_argument("name")
    rm.set_defaults(func=run_rm)


def store_of(args):
    from localchat.core.backends.config import BackendStore

    return BackendStore(args.paths.root)


def run_add(args: argparse.Namespace) -> int:
    from localchat.core.backends.config import BackendConfig, check_name, normalise_url
    from localchat.core.backends.probe import probe

    check_name(args.name)
    key = args.api_key or os.environ.get(ENV_API_KEY) or None
    config = BackendConfig(args.name, normalise_url(args.url), args.model_filter, bool(key))
    print(f"Asking {config.base_url}…", file=sys.stderr)
    caps = probe(config, key)  # a server that cannot be reached is an error here, and not kept
    store = store_of(args)
    store.add(config, key)
    print(f"Added {config.name}: {config.base_url}")
    models = ", ".join(caps.models) or "none"
    print(f"Models: {models}")
    print(f"Can do: {caps.summary()}")
    for ability, why in sorted(caps.missing.items()):
        print(f"  no {ability.replace('_', ' ')}: {why}", file=sys.stderr)
    if key:
        print(f"Its API key is kept in {store.key_storage}.", file=sys.stderr)
    if config.warning:
        print(f"warning: {config.warning}", file=sys.stderr)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from localchat.core.backends.probe import list_models

    store = store_of(args)
    configs = store.all()
    if not configs:
        print("No backends yet. Add one: localchat backends add NAME URL", file=sys.stderr)
        return 0
    for config in configs:
        extra = " · key kept" if config.has_key else ""
        extra += f" · models containing {config.model_filter!r}" if config.model_filter else ""
        print(f"{config.name}  {config.base_url}{extra}")
        if args.offline:
            continue
        try:
            models = list_models(config, store.key(config.name))
            print(f"  models: {', '.join(models) or 'none'}")
        except LocalChatError as exc:
            print(f"  {exc.message}")
    return 0


def run_rm(args: argparse.Namespace) -> int:
    store_of(args).remove(args.name)
    print(f"Removed {args.name}.", file=sys.stderr)
    return 0


def model_of(args, config, key) -> str:
    """The model to chat with: --model, else the server's only one."""
    from localchat.core.backends.probe import list_models

    models = list_models(config, key)
    if args.model:
        if args.model not in models:
            raise LocalChatError(f"{config.name} has no model {args.model!r}.",
                                 f"Its models: {', '.join(models) or 'none'}.")
        return args.model
    if len(models) == 1:
        return models[0]
    raise LocalChatError(f"Which model of {config.name}? It has: {', '.join(models) or 'none'}.",
                         "Name one with --model ID.")


def run_chat(args: argparse.Namespace, tokens: str | None = None) -> int:
    """``localchat chat --backend NAME [--model ID] [PROMPT]``: as a local chat, with the replies
    written by the server (``tokens``: how ``--top-logprobs`` shows the server's probabilities)."""
    from localchat.cli.chat import open_history, read_line_from_stdin, start_session
    from localchat.cli.terminal_chat import TerminalChat
    from localchat.core.backends.config import answered_by
    from localchat.core.backends.remote import RemoteBackend
    from localchat.core.chat.messages import FormatKind, Sampling
    from localchat.core.chat.stats import StopReason

    store = store_of(args)
    config = store.get(args.backend)
    key = store.key(config.name)
    model = model_of(args, config, key)
    if config.warning:
        print(f"warning: {config.warning}", file=sys.stderr)
    with ExitStack() as stack:
        session = start_session(args, open_history(args, stack))
        backend = RemoteBackend(config, key, model=model).start()
        stack.callback(backend.stop)
        chat = TerminalChat(backend, session, show_stats=args.stats, tokens=tokens)
        stack.callback(chat.close)
        session.model_name = answered_by(model, config.name)  # kept with each reply, shown and exported
        if session.conversation is None:
            from localchat.cli.chat import sampling_changes

            session.new(sampling=Sampling().with_(**sampling_changes(args)))
        if session.sampling.response_format.kind is FormatKind.JSON_SCHEMA:
            from localchat.core.backends.probe import schema_form

            backend.schema_form = schema_form(config, key, model)  # OpenAI's form or llama.cpp's
        interactive = args.prompt is None
        if interactive and sys.stdin.isatty():
            print(f"{model} on {config.name} ({config.base_url})", file=sys.stderr)
        if interactive:
            code = chat.converse(read_line_from_stdin())
        else:
            stats = chat.send(args.prompt)
            code = {StopReason.ERROR: 1, StopReason.CANCELLED: 130}.get(stats.stop_reason, 0)
        if session.conversation_id is not None and not args.no_save:
            print(f"Saved as conversation {session.conversation_id}: `localchat chat --backend "
                  f"{config.name} --conversation {session.conversation_id}` continues it.", file=sys.stderr)
    return code
