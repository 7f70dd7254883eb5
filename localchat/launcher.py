"""The ``localchat`` program: the window when no command is given, a headless command otherwise.

This is the one module that may start any client of core. The window (``gui``) and the
commands (``cli``) do not know each other; the command line hands the window back to here.
"""

from __future__ import annotations

from localchat.core.paths import DataPaths


def open_window(paths: DataPaths, *, self_test: bool = False, screenshot: str | None = None) -> int:
    """The window, or its self-test (offscreen, a few tokens from a tiny model, exit 0 or 1;
    ``screenshot``: save the window as that PNG file after the reply)."""
    if self_test:
        from localchat.gui.self_test import run_self_test

        return run_self_test(paths, screenshot=screenshot)
    from localchat.gui.app import run_app

    return run_app(paths)


def main(argv: list[str] | None = None) -> int:
    from localchat.cli.main import main as run_command_line

    return run_command_line(argv, window=open_window)
