"""The remote backends a person added: their names, addresses and model filters in
``backends.json`` of the data folder; their API keys in the system keyring when there is one,
else in a file of their own that only this user can read, never in the settings.

A key is sent only to the host it was added for: the client built for a backend talks to its
base URL and follows no redirects.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit

from localchat.core.errors import LocalChatError

log = logging.getLogger(__name__)

KEYRING_SERVICE = "localchat"
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}


class BackendError(LocalChatError):
    pass


@dataclass(frozen=True)
class BackendConfig:
    name: str
    base_url: str  # ends with /v1
    model_filter: str | None = None  # only the models whose id contains this
    has_key: bool = False

    @property
    def host(self) -> str:
        parts = urlsplit(self.base_url)
        return parts.netloc or self.base_url

    @property
    def warning(self) -> str | None:
        """A plain-HTTP backend on another computer: what that means, in one line."""
        parts = urlsplit(self.base_url)
        if parts.scheme == "http" and (parts.hostname or "") not in LOCAL_HOSTS:
            return (f"{self.host} is reached over plain HTTP: anyone on the network between can read "
                    "the conversation" + (" and the API key." if self.has_key else "."))
        return None

    def shows(self, model_id: str) -> bool:
        return not self.model_filter or self.model_filter.lower() in model_id.lower()


def answered_by(model: str, backend: str) -> str:
    """How a reply written by ``backend``'s ``model`` names its writer in the history, on the reply
    and in exports: ``"llama3:70b @ gpu-box"`` (a local model is named by itself)."""
    return f"{model} @ {backend}"


def split_answered_by(name: str | None) -> tuple[str, str] | None:
    """(model, backend) of a name ``answered_by`` wrote; None for a local model's name."""
    model, sep, backend = (name or "").rpartition(" @ ")
    return (model, backend) if sep and model and NAME_PATTERN.match(backend) else None


def normalise_url(url: str) -> str:
    """``http://host:port``, ``…/v1`` or ``…/v1/`` all give ``…/v1``; anything but http(s) is refused."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BackendError(f"{url!r} is not a server address.",
                           "Give it as http://HOST:PORT or https://HOST, e.g. http://127.0.0.1:11434.")
    path = parts.path.rstrip("/")
    if not path.endswith("/v1"):
        path += "/v1"
    return f"{parts.scheme}://{parts.netloc}{path}"


def check_name(name: str) -> str:
    if not NAME_PATTERN.match(name or ""):
        raise BackendError(f"{name!r} cannot name a backend.",
                           "Use letters, digits, '.', '_' or '-' (at most 64), starting with a letter "
                           "or digit.")
    return name


class BackendStore:
    """``backends.json`` in the data folder, and the keys beside it (keyring, else a private file)."""

    def __init__(self, root: Path, *, use_keyring: bool = True):
        self.file = Path(root) / "backends.json"
        self.keys_file = Path(root) / "backend-keys.json"
        self.use_keyring = use_keyring

    # -- the list ------------------------------------------------------------------------------
    def all(self) -> list[BackendConfig]:
        try:
            raw = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as exc:
            log.warning("could not read %s: %s", self.file, exc)
            return []
        out = []
        for item in raw.get("backends", []) if isinstance(raw, dict) else []:
            try:
                out.append(BackendConfig(str(item["name"]), normalise_url(str(item["base_url"])),
                                         item.get("model_filter") or None, bool(item.get("has_key"))))
            except (KeyError, TypeError, BackendError) as exc:
                log.warning("skipped a backend entry of %s: %s", self.file, exc)
        return out

    def get(self, name: str) -> BackendConfig:
        for config in self.all():
            if config.name == name:
                return config
        known = ", ".join(c.name for c in self.all()) or "none yet"
        raise BackendError(f"There is no backend named {name!r} (backends: {known}).",
                           "Add one with: localchat backends add NAME URL")

    def add(self, config: BackendConfig, api_key: str | None = None) -> BackendConfig:
        check_name(config.name)
        config = BackendConfig(config.name, normalise_url(config.base_url), config.model_filter,
                               bool(api_key))
        others = [c for c in self.all() if c.name != config.name]
        self._write(others + [config])
        self.set_key(config.name, api_key)
        return config

    def remove(self, name: str) -> None:
        self.get(name)
        self._write([c for c in self.all() if c.name != name])
        self.set_key(name, None)

    def _write(self, configs: list[BackendConfig]) -> None:
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps({"backends": [asdict(c) for c in configs]}, indent=2), encoding="utf-8")
        os.replace(tmp, self.file)

    # -- the keys ------------------------------------------------------------------------------
    def _keyring(self):
        if not self.use_keyring:
            return None
        try:
            import keyring
            from keyring.backends import fail

            ring = keyring.get_keyring()
        except Exception as exc:  # no usable keyring on this system
            log.info("no system keyring: %s", exc)
            return None
        if isinstance(ring, fail.Keyring) or getattr(ring, "priority", 1) <= 0:
            return None
        return ring

    @property
    def key_storage(self) -> str:
        """Where keys are kept, for the person: "the system keyring" or the private file."""
        if self._keyring() is not None:
            return "the system keyring"
        return f"{self.keys_file} (readable by you only)"

    def key(self, name: str) -> str | None:
        ring = self._keyring()
        if ring is not None:
            try:
                return ring.get_password(KEYRING_SERVICE, f"backend:{name}")
            except Exception as exc:
                log.warning("could not read the key of %s from the keyring: %s", name, exc)
        return self._file_keys().get(name)

    def set_key(self, name: str, key: str | None) -> None:
        ring = self._keyring()
        if ring is not None:
            try:
                if key:
                    ring.set_password(KEYRING_SERVICE, f"backend:{name}", key)
                else:
                    try:
                        ring.delete_password(KEYRING_SERVICE, f"backend:{name}")
                    except Exception:  # there was none
                        pass
                return
            except Exception as exc:
                log.warning("could not use the keyring for %s, keeping the key in a private file: %s",
                            name, exc)
        keys = self._file_keys()
        if key:
            keys[name] = key
        else:
            keys.pop(name, None)
        if not keys and not self.keys_file.exists():
            return
        self.keys_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.keys_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(keys, out)

    def _file_keys(self) -> dict[str, str]:
        try:
            data = json.loads(self.keys_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
