"""App settings, typed, persisted as JSON in the data folder.

Unknown keys are ignored and missing ones take their defaults, so an old or newer settings file
still loads; a damaged one is moved aside (never silently overwritten) and defaults are used.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

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
