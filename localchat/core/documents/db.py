"""The one SQLite connection maker for the documents index: FTS5 and sqlite-vec loaded.

Python's own ``sqlite3`` can load extensions on most builds; where it cannot (some pyenv and
macOS builds lack ``enable_load_extension``) ``pysqlite3`` (a wheel with its own SQLite) takes
its place. Either way the connection has FTS5 and the ``vec0`` virtual table.
"""

from __future__ import annotations

import sqlite3
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


def connect(path: Path | str, *, check_same_thread: bool = True):
    """A connection to the index at ``path`` with sqlite-vec loaded, in WAL mode (the window
    searches while the indexer writes)."""
    import sqlite_vec

    module = _module()
    try:
        conn = module.connect(str(path), check_same_thread=check_same_thread, timeout=30)
        conn.enable_load_extension(True)
        sqlite_vec.load(conn)
        conn.enable_load_extension(False)
        conn.execute("PRAGMA journal_mode=WAL")
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
