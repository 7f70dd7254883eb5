"""The model catalog, kept up to date from the project's published copy: signed, cached, offline-proof.

The catalog in use is, in this order, the last download whose Ed25519 signature verified against a
key built into the app, else the catalog shipped with the app (also when the shipped one is newer:
an upgraded app brings its own). ``current_catalog`` reads only the disk, so starting up never
waits on the network; ``update_catalog`` asks the server (``LOCALCHAT_CATALOG_URL``, else
``DEFAULT_CATALOG_URL``) with ``If-None-Match`` at most every 12 hours unless forced, and adopts
what it gets only when every check passes:

- the signature (``<url>.sig``, base64 of 64 bytes) verifies over the exact bytes downloaded;
- the schema is one this app reads, and every entry is valid (one bad entry refuses the file);
- an entry whose file is not one the shipped catalog already lists pins ``sha256`` and
  ``size_bytes``;
- it is dated (``published``), not older than the catalog in use (no replay of an old file),
  and offers at least one model.

A refused download changes nothing: the catalog in use stays, and the reason is logged and kept
with the cache, so the Model Manager can say it after a restart. TLS is verified by the HTTP
client's defaults (the system's trust store); plain ``http://`` is accepted only on this computer.
An installed model whose entry left the catalog stays installed: the models folder and its
install records never depend on the catalog.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import json
import logging
import os
import ssl
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from localchat import __version__
from localchat.core.errors import CatalogError
from localchat.core.models.catalog import Catalog, CatalogEntry, load_catalog, parse_catalog

if TYPE_CHECKING:
    from localchat.core.paths import DataPaths

log = logging.getLogger(__name__)

ENV_CATALOG_URL = "LOCALCHAT_CATALOG_URL"
DEFAULT_CATALOG_URL = "https://localchat.github.io/catalog/v1/models.json"
UPDATES_OFF = "off"  # LOCALCHAT_CATALOG_URL=off: no update is asked for (offline machines, tests)
# the project's catalog signing keys (Ed25519, base64): a new key is added here one release
# before catalogs are signed with it, so apps already out there accept both
TRUSTED_KEYS = ("PcvbcW/8GiD4nkYc5yaXwqjhEJyg6eZogGgod6oClKE=",)
TIME_TO_LIVE = timedelta(hours=12)
MAX_CATALOG_BYTES = 8 << 20  # the catalog is ~30 KB; a server sending more is not read on
MAX_SIGNATURE_BYTES = 1024
CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 15.0
_LOCK_WAIT_S = 2.0  # a reader waits this long for a writer, then reads what is there


class CatalogOrigin(Enum):
    SHIPPED = "shipped"
    DOWNLOADED = "downloaded"


class UpdateOutcome(Enum):
    ADOPTED = "adopted"  # a newer signed catalog is now in use
    UNCHANGED = "unchanged"  # the server has the catalog in use (304, or the same bytes)
    FRESH = "fresh"  # checked less than TIME_TO_LIVE ago; the server was not asked
    REJECTED = "rejected"  # a download failed a check; the catalog in use stays
    UNREACHABLE = "unreachable"  # the server could not be reached; the catalog in use stays
    OFF = "off"  # LOCALCHAT_CATALOG_URL=off: the catalog is never asked for


class CatalogRejected(CatalogError):
    """A downloaded catalog failed a check and is not used."""


class CatalogUnreachable(CatalogError):
    """The catalog server could not be asked."""


@dataclass(frozen=True)
class CatalogState:
    """The catalog in use and what is known of its updates."""

    catalog: Catalog
    origin: CatalogOrigin
    url: str | None = None  # where the downloaded catalog came from
    checked_at: datetime | None = None  # the server last answered then
    rejected: str | None = None  # why the last download was refused, until one is adopted
    new_ids: frozenset[str] = frozenset()  # entries the person has not looked at yet

    @property
    def new_entries(self) -> list[CatalogEntry]:
        return [e for e in self.catalog if e.id in self.new_ids]

    @property
    def summary(self) -> str:
        """One line: which catalog, of when."""
        where = (f"downloaded from {self.url}" if self.origin is CatalogOrigin.DOWNLOADED
                 else "shipped with localchat")
        return f"Model catalog of {self.catalog.published_text}, {where}"


@dataclass(frozen=True)
class CatalogChanges:
    added: tuple[CatalogEntry, ...] = ()
    removed: tuple[CatalogEntry, ...] = ()
    changed: tuple[tuple[CatalogEntry, CatalogEntry], ...] = ()  # (before, after)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


@dataclass(frozen=True)
class CatalogUpdate:
    outcome: UpdateOutcome
    state: CatalogState  # the catalog in use after the update
    changes: CatalogChanges = field(default_factory=CatalogChanges)
    reason: str | None = None  # why it was refused or could not be asked


def diff_catalogs(before: Catalog, after: Catalog) -> CatalogChanges:
    """What an app would see change: entries it offers, added, removed or changed."""
    old = {e.id: e for e in before}
    new = {e.id: e for e in after}
    return CatalogChanges(
        added=tuple(e for e in after if e.id not in old),
        removed=tuple(e for e in before if e.id not in new),
        changed=tuple((old[e.id], e) for e in after if e.id in old and old[e.id] != e),
    )


# -- signatures ----------------------------------------------------------------------------------------
def verify_signature(data: bytes, signature_file: bytes, keys: tuple[str, ...] | None = None) -> None:
    """Raise ``CatalogRejected`` unless ``signature_file`` (base64 of an Ed25519 signature) signs
    exactly ``data`` with one of ``keys`` (None: ``TRUSTED_KEYS``)."""
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    try:
        signature = base64.b64decode(signature_file.strip(), validate=True)
    except (binascii.Error, ValueError):
        signature = b""
    if len(signature) != 64:
        raise CatalogRejected("The catalog's signature file is not an Ed25519 signature.",
                              "The catalog in use is kept; tell the catalog's maintainers.")
    for key in TRUSTED_KEYS if keys is None else keys:
        try:
            VerifyKey(base64.b64decode(key)).verify(data, signature)
            return
        except BadSignatureError:
            continue
    raise CatalogRejected("The catalog's signature does not match it: the file was changed after it "
                          "was signed, or signed with a key localchat does not trust.",
                          "The catalog in use is kept. If this goes on, the server or the "
                          "connection may be tampered with.")


def check_download(data: bytes, signature_file: bytes, *, in_use: Catalog, shipped: Catalog,
                   source: str, keys: tuple[str, ...] | None = None,
                   app_version: str = __version__) -> Catalog:
    """The catalog in ``data`` when it may replace ``in_use``; else ``CatalogRejected``."""
    verify_signature(data, signature_file, keys)
    return check_catalog(data, in_use=in_use, shipped=shipped, source=source, app_version=app_version)


def check_catalog(data: bytes, *, in_use: Catalog | None, shipped: Catalog, source: str,
                  app_version: str = __version__) -> Catalog:
    """Every check of a download but the signature (the signing command runs them too)."""
    try:
        text = data.decode("utf-8")
        catalog = parse_catalog(text, source=source, app_version=app_version)
    except UnicodeDecodeError:
        raise CatalogRejected(f"{source} is not UTF-8 text.", "The catalog in use is kept.") from None
    except CatalogError as exc:
        raise CatalogRejected(exc.message, "The catalog in use is kept.") from None
    if catalog.problems:
        more = f" (and {len(catalog.problems) - 1} more)" if len(catalog.problems) > 1 else ""
        raise CatalogRejected(f"{catalog.problems[0].message}{more}",
                              "The whole catalog is refused and the one in use is kept.")
    pinned = {(e.file.repo_id, e.file.filename, e.file.revision) for e in (*shipped.entries, *shipped.hidden)}
    for entry in (*catalog.entries, *catalog.hidden):
        f = entry.file
        if (f.repo_id, f.filename, f.revision) not in pinned and (f.sha256 is None or f.size_bytes is None):
            raise CatalogRejected(f"{source}: model {entry.id!r} is a new file without its sha256 and "
                                  "size_bytes.", "The whole catalog is refused and the one in use is kept.")
    if catalog.published is None:
        raise CatalogRejected(f"{source} has no \"published\" date.", "The catalog in use is kept.")
    if in_use is not None and in_use.published is not None and catalog.published < in_use.published:
        raise CatalogRejected(
            f"{source} is older (of {catalog.published_text}) than the catalog in use "
            f"(of {in_use.published_text}).", "The catalog in use is kept.")
    if not catalog.entries:
        raise CatalogRejected(f"{source} offers no model to this version of localchat.",
                              "The catalog in use is kept.")
    return catalog


# -- the cache ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CatalogCache:
    """``<data>/catalog``: the last adopted download (``models.json`` and ``models.json.sig``,
    as the server sent them), ``state.json`` (ETag, last check, last refusal) and ``seen.json``
    (the entries the person has looked at)."""

    folder: Path

    @classmethod
    def of(cls, paths: DataPaths) -> CatalogCache:
        return cls(paths.root / "catalog")

    @property
    def catalog_file(self) -> Path:
        return self.folder / "models.json"

    @property
    def signature_file(self) -> Path:
        return self.folder / "models.json.sig"

    def lock(self, timeout: float = -1):
        from filelock import FileLock

        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.folder / ".lock"), timeout=timeout)

    def read_state(self, name: str = "state.json") -> dict:
        try:
            data = json.loads((self.folder / name).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("catalog %s unreadable, starting afresh: %s", name, exc)
            return {}

    def write_state(self, data: dict, name: str = "state.json") -> None:
        self._write(self.folder / name, json.dumps(data, indent=2).encode())

    def adopt(self, data: bytes, signature: bytes) -> None:
        self._write(self.signature_file, signature)
        self._write(self.catalog_file, data)

    def _write(self, target: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=f".{target.name}.")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _load_cached(cache: CatalogCache, keys: tuple[str, ...] | None, app_version: str) -> Catalog | None:
    """The cached download, verified again (a file changed on disk is not used), or None."""
    try:
        data, signature = cache.catalog_file.read_bytes(), cache.signature_file.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("the downloaded catalog cannot be read, the shipped one is used: %s", exc)
        return None
    try:
        verify_signature(data, signature, keys)
        catalog = parse_catalog(data.decode("utf-8"), source="downloaded models.json", app_version=app_version)
    except (CatalogError, UnicodeDecodeError) as exc:
        log.warning("the downloaded catalog on disk is not usable, the shipped one is used: %s", exc)
        return None
    for problem in catalog.problems:
        log.warning("catalog entry skipped: %s", problem)
    return catalog


def current_catalog(paths: DataPaths, *, keys: tuple[str, ...] | None = None,
                    app_version: str = __version__, shipped: Catalog | None = None) -> CatalogState:
    """The catalog to use now, from the disk alone: the last verified download, else the shipped
    one. Raises only when the shipped catalog itself is broken and nothing was downloaded."""
    from filelock import Timeout

    cache = CatalogCache.of(paths)
    try:
        lock = cache.lock(_LOCK_WAIT_S)
        lock.acquire()
    except (Timeout, OSError) as exc:  # a writer holding on, or a read-only folder: read what is there
        log.info("catalog cache read without its lock: %s", exc)
        lock = None
    try:
        state = cache.read_state()
        seen = cache.read_state("seen.json").get("seen")
        cached = _load_cached(cache, keys, app_version)
    finally:
        if lock is not None:
            lock.release()
    if shipped is None:
        try:
            shipped = load_catalog()
        except CatalogError:
            if cached is None:
                raise
            log.exception("the shipped catalog is broken; the downloaded one is used")
    use_cached = cached is not None and (
        shipped is None or shipped.published is None
        or (cached.published is not None and cached.published >= shipped.published))
    catalog = cached if use_cached else shipped
    if not isinstance(seen, list):  # never looked: the shipped models are not news
        seen = [e.id for e in shipped] if shipped is not None else [e.id for e in catalog]
    return CatalogState(
        catalog=catalog, origin=CatalogOrigin.DOWNLOADED if use_cached else CatalogOrigin.SHIPPED,
        url=state.get("url") if use_cached else None, checked_at=_time(state.get("checked_at")),
        rejected=state.get("rejected"), new_ids=frozenset(e.id for e in catalog) - set(seen))


def mark_seen(paths: DataPaths, catalog: Catalog) -> None:
    """The person has looked at ``catalog``: none of its entries is new any more. Not saved (and
    logged) when another process holds the cache for long or the data folder refuses the write:
    the models then show as new once more, nothing else is lost."""
    from filelock import Timeout

    cache = CatalogCache.of(paths)
    try:
        with cache.lock(_LOCK_WAIT_S):
            seen = cache.read_state("seen.json").get("seen")
            ids = set(seen) if isinstance(seen, list) else set()
            cache.write_state({"seen": sorted(ids | {e.id for e in catalog})}, "seen.json")
    except (Timeout, OSError) as exc:
        log.warning("which catalog models were seen is not saved: %s", exc)


def _time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


# -- the update ------------------------------------------------------------------------------------------
def catalog_url(url: str | None = None) -> str:
    """The catalog's address: ``url``, else ``LOCALCHAT_CATALOG_URL``, else the project's."""
    url = url or os.environ.get(ENV_CATALOG_URL) or DEFAULT_CATALOG_URL
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and _is_this_computer(parts.hostname):
        return url
    raise CatalogError(f"The catalog address {url!r} is not an https:// address.",
                       "Give an https:// address (http:// only works for this computer).")


def signature_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + ".sig"))


def _is_this_computer(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def update_catalog(paths: DataPaths, url: str | None = None, *, force: bool = False,
                   verify: ssl.SSLContext | None = None, keys: tuple[str, ...] | None = None,
                   app_version: str = __version__, now: datetime | None = None) -> CatalogUpdate:
    """Ask the catalog server for a newer catalog and adopt it if every check passes. Unless
    ``force``, a catalog checked less than ``TIME_TO_LIVE`` ago is not asked for again.
    ``verify``: the trust store for TLS (None: the system's). Never raises for the network or
    for a bad download: the outcome says what happened, and the catalog in use stays."""
    if url is None and os.environ.get(ENV_CATALOG_URL, "").strip().lower() == UPDATES_OFF:
        return CatalogUpdate(UpdateOutcome.OFF, current_catalog(paths, keys=keys, app_version=app_version),
                             reason=f"Catalog updates are turned off ({ENV_CATALOG_URL}={UPDATES_OFF}).")
    url = catalog_url(url)
    now = now or datetime.now(timezone.utc)
    cache = CatalogCache.of(paths)
    before = current_catalog(paths, keys=keys, app_version=app_version)
    state = cache.read_state()
    same_server = state.get("url") == url
    checked = _time(state.get("checked_at"))
    if not force and same_server and checked is not None and now - checked < TIME_TO_LIVE:
        return CatalogUpdate(UpdateOutcome.FRESH, before)
    etag = state.get("etag") if same_server and before.origin is CatalogOrigin.DOWNLOADED else None
    source = urlsplit(url).path.rsplit("/", 1)[-1] or url
    outcome, reason, catalog = UpdateOutcome.ADOPTED, None, None
    try:
        answer = _download(url, etag, verify)
        if answer is None:  # 304: what the cache holds is what the server has
            outcome = UpdateOutcome.UNCHANGED
        else:
            data, signature, new_etag = answer
            catalog = check_download(data, signature, in_use=before.catalog, shipped=_shipped_or_none(),
                                     source=source, keys=keys, app_version=app_version)
    except CatalogUnreachable as exc:
        log.warning("catalog update: %s", exc.message)
        return CatalogUpdate(UpdateOutcome.UNREACHABLE, before, reason=exc.message)
    except CatalogRejected as exc:
        log.warning("catalog from %s refused: %s", url, exc.message)
        outcome, reason = UpdateOutcome.REJECTED, exc.message

    with cache.lock():
        state = cache.read_state()
        state.update(checked_at=now.isoformat(), rejected=reason)
        if catalog is not None:
            if before.origin is CatalogOrigin.DOWNLOADED and _read(cache.catalog_file) == data:
                outcome = UpdateOutcome.UNCHANGED
            else:
                cache.adopt(data, signature)
            state.update(url=url, etag=new_etag)
        cache.write_state(state)
    after = current_catalog(paths, keys=keys, app_version=app_version)
    if outcome is not UpdateOutcome.ADOPTED:
        return CatalogUpdate(outcome, after, reason=reason)
    log.info("catalog of %s adopted from %s", catalog.published_text, url)
    return CatalogUpdate(outcome, after, diff_catalogs(before.catalog, after.catalog))


def _shipped_or_none() -> Catalog:
    """The shipped catalog, whose files need no pin; an empty one if it is broken (all must pin)."""
    try:
        return load_catalog()
    except CatalogError:
        return Catalog(())


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _download(url: str, etag: str | None, verify: ssl.SSLContext | None) -> tuple[bytes, bytes, str | None] | None:
    """(catalog bytes, signature bytes, ETag), or None for 304 Not Modified."""
    import httpx2

    headers = {"User-Agent": f"localchat/{__version__}"}
    if etag:
        headers["If-None-Match"] = etag
    timeout = httpx2.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
    try:
        with httpx2.Client(verify=verify if verify is not None else True, timeout=timeout,
                           follow_redirects=True, headers=headers,
                           event_hooks={"request": [_stay_on_https]}) as client:
            response = _get(client, url, MAX_CATALOG_BYTES)
            if response is None:
                return None
            data, new_etag, final_url = response
            client.headers.pop("If-None-Match", None)  # the signature is next to the file redirected to
            found = _get(client, signature_url(final_url), MAX_SIGNATURE_BYTES, missing_ok=True)
    except httpx2.HTTPError as exc:
        raise CatalogUnreachable(f"The catalog server {urlsplit(url).netloc} could not be reached: "
                                 f"{str(exc) or type(exc).__name__}.",
                                 "The catalog in use is kept; localchat tries again later.") from None
    if found is None:
        raise CatalogRejected(f"The catalog at {url} has no signature ({signature_url(final_url)} is missing).",
                              "The catalog in use is kept.")
    return data, found[0], new_etag


def _stay_on_https(request) -> None:
    """Every request, redirects included, goes to an https:// address (http:// on this computer)."""
    try:
        catalog_url(str(request.url))
    except CatalogError:
        raise CatalogUnreachable(f"The catalog server redirected to {request.url}, which is not an "
                                 "https:// address.", "The catalog in use is kept.") from None


def _get(client, url: str, limit: int, *, missing_ok: bool = False) -> tuple[bytes, str | None, str] | None:
    """(body, ETag, the address after redirects); None for 304, or for 404 when ``missing_ok``."""
    with client.stream("GET", url) as response:
        if response.status_code == 304 or missing_ok and response.status_code == 404:
            return None
        if response.status_code != 200:
            raise CatalogUnreachable(f"The catalog server answered HTTP {response.status_code} for {url}.",
                                     "The catalog in use is kept; localchat tries again later.")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > limit:
                raise CatalogRejected(f"{url} is larger than a catalog can be ({limit:,} bytes).",
                                      "The catalog in use is kept.")
        return bytes(body), response.headers.get("ETag"), str(response.url)
