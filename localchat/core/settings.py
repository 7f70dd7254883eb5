"""App settings, typed, persisted as JSON in the data folder, and what they mean for a run.

Unknown keys are ignored and missing ones take their defaults, so an old or newer settings file
still loads; a damaged one is moved aside (never silently overwritten) and defaults are used.

``resolve_run_options(paths, settings)`` is the one reading of the settings that decides where
models are and how one loads (threads, GPU layers with "Auto", context): the window and
``localchat`` call it, so both load a model the same way. The CLI's flags are settings too: it
applies them with ``settings.with_(...)`` before resolving.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from localchat.core.paths import DataPaths

log = logging.getLogger(__name__)

GPU_MODES = ("auto", "cpu", "layers", "all")
THEMES = ("system", "light", "dark")


@dataclass(frozen=True)
class Settings:
    theme: str = "system"
    font_size: int = 11
    models_dir: str | None = None  # None: <data dir>/models
    n_threads: int = 0  # 0: measured default
    gpu_mode: str = "auto"
    gpu_layers: int = 0  # used when gpu_mode == "layers"
    context_length: int = 0  # 0: the model's default, capped
    last_model: str | None = None
    last_conversation_id: int | None = None
    window_geometry: str | None = None  # Qt's saveGeometry(), base64
    first_start_done: bool = False
    hf_token: str | None = None  # for gated Hugging Face repositories; HF_TOKEN wins when set
    extra: dict = field(default_factory=dict)

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)

    def requested_gpu_layers(self) -> int | None:
        """What to ask the engine for: None for "auto" (the memory-fit plan decides where the model
        loads), else n_gpu_layers as llama.cpp takes it (-1: all; the engine caps larger counts)."""
        return {"auto": None, "cpu": 0, "all": -1}.get(self.gpu_mode, max(0, self.gpu_layers))


@dataclass(frozen=True)
class RunOptions:
    """Where the models are and how to load one, as the settings say."""

    models_dir: Path
    n_threads: int | None  # None: the engine's measured default
    n_gpu_layers: int | None  # None: "Auto", the memory-fit plan decides; -1: all
    n_ctx: int | None  # None: the model's default, capped
    last_model: Path | None  # the model loaded last, if its file is still there

    def load_options(self) -> dict:
        """The keyword arguments of a model load (``LoadJob``, ``Engine.load``)."""
        return {"n_ctx": self.n_ctx, "n_threads": self.n_threads, "n_gpu_layers": self.n_gpu_layers}


def models_folder(paths: "DataPaths", settings: Settings) -> Path:
    """The models folder: the one chosen in the settings, else ``<data>/models``."""
    return Path(settings.models_dir).expanduser() if settings.models_dir else paths.models


def resolve_run_options(paths: "DataPaths", settings: Settings) -> RunOptions:
    """What ``settings`` ask of a model load, with every "default" spelled as the engine takes it."""
    last = Path(settings.last_model) if settings.last_model else None
    return RunOptions(
        models_dir=models_folder(paths, settings),
        n_threads=settings.n_threads if settings.n_threads > 0 else None,
        n_gpu_layers=settings.requested_gpu_layers(),
        n_ctx=settings.context_length if settings.context_length > 0 else None,
        last_model=last if last is not None and last.is_file() else None,
    )


def hub_token(settings: Settings) -> str | None:
    """The token for Hugging Face: None when ``HF_TOKEN`` is set (it wins, and huggingface_hub
    reads it itself), else the one saved in the settings."""
    return None if os.environ.get("HF_TOKEN") else settings.hf_token


def load_settings(path: Path) -> Settings:
    if not path.exists():
        return Settings()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(raw, dict):
            raise ValueError("not a JSON object")
    except (OSError, ValueError) as exc:
        aside = path.with_name(path.name + ".damaged")
        log.warning("settings file %s is damaged (%s); moved to %s", path, exc, aside)
        try:
            os.replace(path, aside)
        except OSError:
            log.exception("could not move the damaged settings file aside")
        return Settings()
    known = {f.name for f in fields(Settings)}
    values = {k: v for k, v in raw.items() if k in known}
    settings = Settings(**values)
    if settings.gpu_mode not in GPU_MODES:
        settings = settings.with_(gpu_mode="auto")
    if settings.theme not in THEMES:
        settings = settings.with_(theme="system")
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically: a crash mid-write leaves the previous file intact."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(asdict(settings), indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
