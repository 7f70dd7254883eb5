"""Where localchat keeps its data: models, database, settings, logs.

Everything lives under one directory so a portable install or a test can move it with
``--data-dir DIR`` or ``LOCALCHAT_DATA_DIR``.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
from dataclasses import dataclass
from pathlib import Path

from localchat import APP_NAME
from localchat.core.errors import DataDirError

ENV_DATA_DIR = "LOCALCHAT_DATA_DIR"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def models(self) -> Path:
        return self.root / "models"

    @property
    def database(self) -> Path:
        return self.root / "conversations.sqlite3"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def downloads(self) -> Path:
        """Partial downloads live here, never in the models folder."""
        return self.root / "downloads"

    def ensure(self) -> "DataPaths":
        try:
            for folder in (self.root, self.models, self.logs, self.downloads):
                folder.mkdir(parents=True, exist_ok=True)
            probe = self.root / ".write-test"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise DataDirError(
                f"localchat cannot write to its data folder {self.root}: {exc.strerror or exc}.",
                f"Choose another folder with --data-dir or {ENV_DATA_DIR}, or fix its permissions.",
            ) from exc
        return self


def default_data_dir() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def resolve_data_paths(data_dir: str | os.PathLike | None = None) -> DataPaths:
    """The data folder: an explicit one, else ``LOCALCHAT_DATA_DIR``, else the platform's."""
    chosen = data_dir or os.environ.get(ENV_DATA_DIR) or default_data_dir()
    return DataPaths(Path(chosen).expanduser().resolve())


def setup_logging(paths: DataPaths, level: int = logging.INFO) -> None:
    """A rotating log file in the data folder; calling it twice adds no second handler."""
    root = logging.getLogger("localchat")
    root.setLevel(level)
    log_file = paths.logs / "localchat.log"
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(log_file):
            return
    paths.logs.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
