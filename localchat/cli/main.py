"""The ``localchat`` command: the window by default, and headless subcommands.

Each group of subcommands lives in its own module with a ``register(subparsers)`` function that
adds its parsers and sets ``func`` on them; ``func(args) -> int`` runs the command.
"""

from __future__ import annotations

import argparse
import sys

from localchat import __version__
from localchat.core.errors import LocalChatError
from localchat.core.paths import ENV_DATA_DIR, resolve_data_paths, setup_logging


def version_text() -> str:
    from localchat.core.build_info import build_info

    info = build_info()
    return (f"localchat {__version__} ({info.variant} build, llama.cpp {info.llama_cpp_version})\n"
            f"llama.cpp system info: {info.system_info}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="localchat",
        description="Chat with large language models that run entirely on your own computer. "
        "With no command, the window opens.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and build, then exit")
    parser.add_argument("--data-dir", metavar="DIR",
                        help=f"keep models, history, settings and logs in DIR (or set {ENV_DATA_DIR})")
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen, generate a few tokens with a tiny model, exit 0 or 1")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    from localchat.cli import chat, export, models

    for module in (chat, export, models):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(version_text())
        return 0
    try:
        paths = resolve_data_paths(args.data_dir).ensure()
        setup_logging(paths)
        args.paths = paths
        if args.self_test:
            from localchat.gui.self_test import run_self_test

            return run_self_test(paths)
        if args.command is None:
            from localchat.gui.app import run_app

            return run_app(paths)
        return args.func(args)
    except LocalChatError as exc:
        print(f"localchat: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
