"""The one SQLite connection maker for the documents index: FTS5 and sqlite-vec loaded.

Python's own ``sqlite3`` can load extensions on most builds; where it cannot (some pyenv and
macOS builds lack ``enable_load_extension``) ``pysqlite3`` (a wheel with its own SQLite) takes
its place. Either way the connection has FTS5 and the ``vec0`` virtual table.

Connections to the index are opened and closed one at a time in this process. SQLite 3.40 (the
one Debian 12's Python links) can deadlock in its unix VFS when one thread closes a connection
to a WAL database (the close takes the file's lock and then SQLite's global one) while another
thread opens the same file (global lock, then the file's): the indexer finishing a pass while
the window's panel reads its progress did exactly that. Opening and closing take a few
milliseconds, so serialising them costs nothing a person notices.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
from pathlib import Path

from localchat.core.errors import LocalChatError


class DocumentIndexError(LocalChatError):
    """The documents index cannot be opened or used."""


def _module():
    probe = sqlite3.connect(":memory:")
    try:
        if hasattr(probe, "enable_load_extension"):
            return sqlite3
    finally:
        probe.close()
    try:
        import pysqlite3.dbapi2 as module
    except ImportError:
        raise DocumentIndexError(
            "This Python's SQLite cannot load extensions, which the documents index needs.",
            "Install pysqlite3-binary (pip install pysqlite3-binary), or use a Python built "
            "with loadable SQLite extensions.") from None
    return module


_OPEN_CLOSE = threading.Lock()  # see the module's docstring


@functools.cache
def _connection_class(module):
    class Connection(module.Connection):
        def close(self) -> None:
            with _OPEN_CLOSE:
                super().close()

    return Connection


def connect(path: Path | str, *, check_same_thread: bool = True):
    """A connection to the index at ``path`` with sqlite-vec loaded, in WAL mode (the window
    searches while the indexer writes)."""
    try:
        import sqlite_vec
    except ImportError as exc:  # an install or bundle without it
        raise DocumentIndexError(f"The documents index needs sqlite-vec, which cannot be loaded: {exc}.",
                                 "Reinstall localchat; documents stay unindexed until then.") from exc

    module = _module()
    try:
        with _OPEN_CLOSE:
            conn = module.connect(str(path), check_same_thread=check_same_thread, timeout=30,
                                  factory=_connection_class(module))
            conn.enable_load_extension(True)
            sqlite_vec.load(conn)
            conn.enable_load_extension(False)
            conn.execute("PRAGMA journal_mode=WAL")  # the first one switches the file: exclusive
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=NORMAL")
    except (module.Error, OSError) as exc:
        raise DocumentIndexError(f"The documents index {path} cannot be opened: {exc}.",
                                 "Check that its folder is writable and the disk not full.") from exc
    conn.row_factory = module.Row
    return conn


def integrity_errors():
    """The exception class of the module in use, for ``except`` clauses."""
    return _module().Error
