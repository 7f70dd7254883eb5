"""The ``localchat`` command line: the headless subcommands (the window opens through ``localchat.launcher``).

Each group of subcommands lives in its own module with a ``register(subparsers)`` function that
adds its parsers and sets ``func`` on them; ``func(args) -> int`` runs the command. Before it
runs, ``args.paths`` is the data folder and ``args.settings`` the settings read from it.

Global options (``--data-dir``) go before or after the subcommand: every subcommand's parser is
a ``CommandParser``, which takes them too (``localchat models list --data-dir D``).
"""

from __future__ import annotations

import argparse
import logging
import sys
from typing import Callable

from localchat import __version__
from localchat.core.errors import LocalChatError
from localchat.core.paths import ENV_DATA_DIR, resolve_data_paths, setup_logging

Window = Callable[..., int]  # (paths, *, self_test: bool) -> exit status


def version_text() -> str:
    from localchat.core.build_info import build_info

    info = build_info()
    return (f"localchat {__version__} ({info.variant} build, llama.cpp {info.llama_cpp_version})\n"
            f"llama.cpp system info: {info.system_info}")


def add_global_options(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--data-dir", metavar="DIR", default=default,
                        help=f"keep models, history, settings and logs in DIR (or set {ENV_DATA_DIR})")


class CommandParser(argparse.ArgumentParser):
    """A subcommand's parser, which also takes the global options. Their default is SUPPRESS:
    an option not written after the subcommand leaves the one written before it alone. Nested
    subcommands (``models list``) get this class too, since argparse makes a parser's
    subparsers of its own class."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        add_global_options(self, argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="localchat",
        description="Chat with large language models that run entirely on your own computer. "
        "With no command, the window opens.",
    )
    parser.add_argument("--version", action="store_true", help="print the version and build, then exit")
    add_global_options(parser, None)
    parser.add_argument("--self-test", action="store_true",
                        help="open the window offscreen, generate a few tokens with a tiny model, exit 0 or 1")
    parser.add_argument("--screenshot", metavar="FILE.png", default=None,
                        help="with --self-test: save the window as a PNG image after its reply")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)

    from localchat.cli import backends, chat, export, models, serve

    for module in (chat, export, models, serve, backends):
        module.register(sub)
    from localchat.cli import catalog; catalog.register(sub)  # localchat models update
    from localchat.cli import docs as documents  # localchat docs

    documents.register(sub)
    return parser


def error_text(exc: LocalChatError) -> str:
    """One line: what happened, then what to do."""
    return f"localchat: {exc.message}" + (f" {exc.hint}" if exc.hint else "")


def main(argv: list[str] | None = None, window: Window | None = None) -> int:
    """Run the command in ``argv``. With none (or ``--self-test``), ``window(paths, self_test=...)``
    opens the window: the program's entry point (``localchat.launcher``) passes it in, since the
    command line does not import the GUI."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.version:
        print(version_text())
        return 0
    paths = None
    try:
        from localchat.core.settings import load_settings

        paths = resolve_data_paths(args.data_dir).ensure()
        setup_logging(paths)
        args.paths = paths
        if args.screenshot and not args.self_test:
            parser.error("--screenshot goes with --self-test")
        if args.self_test or args.command is None:
            if window is None:
                parser.error("give a command (see localchat --help)")
            if args.screenshot:
                return window(paths, self_test=True, screenshot=args.screenshot)
            return window(paths, self_test=args.self_test)
        args.settings = load_settings(paths.settings)
        return args.func(args)
    except LocalChatError as exc:
        print(error_text(exc), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: said in a sentence, the traceback goes to the log
        logging.getLogger("localchat.cli").exception("localchat %s failed", args.command)
        where = f" The details are in {paths.logs / 'localchat.log'}." if paths else ""
        print(f"localchat: unexpected error: {exc}.{where}", file=sys.stderr)
        return 1
