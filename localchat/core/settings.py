"""App settings, typed, persisted as JSON in the data folder, and what they mean for a run.

Unknown keys are ignored and missing ones take their defaults, so an old or newer settings file
still loads; a damaged one is moved aside (never silently overwritten) and defaults are used.

``resolve_run_options(paths, settings)`` is the one reading of the settings that decides where
models are and how one loads (threads, GPU layers with "Auto", context): the window and
``localchat`` call it, so both load a model the same way. The CLI's flags are settings too: it
applies them with ``settings.with_(...)`` before resolving.

The Hugging Face token is not a setting: it is kept where huggingface_hub keeps it (the file
``hf auth login`` writes under HF_HOME), so localchat and the ``hf`` command share one login, and
every request leaves the token to huggingface_hub (``HF_TOKEN`` first, then that file). A token
an older localchat saved in settings.json is moved there the first time the settings are read.

The window's API server is off unless ``api_server`` is on; ``api_server_options`` reads what it
asks for (the API key stays in settings.json: it is this app's own secret, not a shared login).
"""

from __future__ import annotations

import ipaddress
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
DEFAULT_API_HOST = "127.0.0.1"  # only this computer can connect
DEFAULT_API_PORT = 4891  # GPT4All's too: a clash is named in the window


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
    api_server: bool = False  # the window serves the OpenAI-compatible API
    api_host: str = DEFAULT_API_HOST
    api_port: int = DEFAULT_API_PORT
    api_key: str | None = None  # required by the server on any host but this computer's
    api_cors_origins: tuple[str, ...] = ()
    api_log_contents: bool = False  # the request log keeps the messages and replies too
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


@dataclass(frozen=True)
class ApiServerOptions:
    """What the settings ask of the API server: ``ApiServer(worker, **options.server_kwargs())``."""

    host: str
    port: int
    api_key: str | None
    cors_origins: tuple[str, ...]
    models_dir: Path
    log_contents: bool = False
    backends_root: Path | None = None  # the data folder, whose remote backends a refusal names

    def server_kwargs(self) -> dict:
        return {"host": self.host, "port": self.port, "api_key": self.api_key,
                "cors_origins": self.cors_origins, "models_dir": self.models_dir,
                "log_contents": self.log_contents, "backends_root": self.backends_root}


def is_loopback(host: str) -> bool:
    """Whether only this computer can reach ``host``: anywhere else the server needs an API key."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def api_server_options(paths: "DataPaths", settings: Settings) -> ApiServerOptions | None:
    """The server the settings ask for; None when it is off."""
    if not settings.api_server:
        return None
    return ApiServerOptions(settings.api_host.strip() or DEFAULT_API_HOST, settings.api_port,
                            (settings.api_key or "").strip() or None, settings.api_cors_origins,
                            models_folder(paths, settings), settings.api_log_contents, paths.root)


def _api_values(values: dict) -> dict:
    """The API server's settings as a hand-edited file may have them: a wrong type or an
    impossible port takes the default rather than stopping the window."""
    defaults = Settings()
    fixed = dict(values)
    if not isinstance(values.get("api_server", False), bool):
        fixed["api_server"] = defaults.api_server
    host = values.get("api_host", defaults.api_host)
    if not isinstance(host, str) or not host.strip():
        fixed["api_host"] = defaults.api_host
    port = values.get("api_port", defaults.api_port)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        fixed["api_port"] = defaults.api_port
    if not isinstance(values.get("api_key"), (str, type(None))):
        fixed["api_key"] = None
    if not isinstance(values.get("api_log_contents", False), bool):
        fixed["api_log_contents"] = defaults.api_log_contents
    origins = values.get("api_cors_origins", ())
    if isinstance(origins, str):
        origins = [origins]
    fixed["api_cors_origins"] = (tuple(o.strip() for o in origins if isinstance(o, str) and o.strip())
                                 if isinstance(origins, (list, tuple)) else ())
    return fixed


# -- the Hugging Face token ----------------------------------------------------------------------
def hub_token_file() -> Path:
    """The file ``hf auth login`` writes the token to (``$HF_HOME/token`` unless HF_TOKEN_PATH
    says otherwise), as huggingface_hub reads it for every request."""
    from huggingface_hub import constants

    return Path(constants.HF_TOKEN_PATH)


def token_from_environment() -> bool:
    """Whether ``HF_TOKEN`` is set: it wins over the saved token and is never written anywhere."""
    return bool(os.environ.get("HF_TOKEN", "").strip())


def saved_hub_token() -> str | None:
    """The token saved by ``hf auth login`` or the Model Manager (never HF_TOKEN's); None: none.
    A plain read of the file, without huggingface_hub's refresh of an expiring login, so it
    makes no network call."""
    try:
        token = hub_token_file().read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("could not read the saved Hugging Face token: %s", exc)
        return None
    return token or None


def save_hub_token(token: str | None) -> None:
    """Keep ``token`` as huggingface_hub does (readable by this user only): the ``hf`` command
    and every huggingface_hub program use it too. None or "" forgets the saved one, which logs
    ``hf`` out as well. Raises OSError when the file cannot be written."""
    path = hub_token_file()
    token = (token or "").strip()
    if not token:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(token)


def _move_token_out(path: Path, raw: dict) -> None:
    """Settings files of older versions held the token in plain text: put it where
    huggingface_hub keeps it, then write the file again without it, the rest as it was. A
    login ``hf`` already has is kept (the person chose it there); if the token cannot be saved,
    settings.json keeps it and the next start tries again."""
    token = raw.get("hf_token")
    if isinstance(token, str) and token.strip():
        saved = saved_hub_token()
        try:
            if saved is None:
                save_hub_token(token)
                log.info("moved the Hugging Face token from %s to %s", path, hub_token_file())
            elif saved != token.strip():
                log.warning("settings.json held a Hugging Face token other than the one `hf auth "
                            "login` saved in %s; the login's token is kept", hub_token_file())
        except OSError as exc:
            log.warning("could not move the Hugging Face token out of %s: %s", path, exc)
            return
    try:
        _write_json(path, {k: v for k, v in raw.items() if k != "hf_token"})
    except OSError as exc:
        log.warning("could not rewrite %s without its token: %s", path, exc)


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
    values = _api_values({k: v for k, v in raw.items() if k in known})
    settings = Settings(**values)
    if settings.gpu_mode not in GPU_MODES:
        settings = settings.with_(gpu_mode="auto")
    if settings.theme not in THEMES:
        settings = settings.with_(theme="system")
    if "hf_token" in raw:
        _move_token_out(path, raw)
    return settings


def save_settings(path: Path, settings: Settings) -> None:
    _write_json(path, asdict(settings))


def _write_json(path: Path, data: dict) -> None:
    """Write atomically: a crash mid-write leaves the previous file intact."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)
