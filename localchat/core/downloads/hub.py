"""Hugging Face Hub access: where a file is, what it should hash to, what a repo holds.

Everything goes through ``huggingface_hub``: its URL scheme and ``HF_ENDPOINT``, its auth
headers (``HF_TOKEN`` or a token given here), ``HF_HUB_OFFLINE``, its shared HTTP client
(proxies), its metadata HEAD (``X-Repo-Commit``, ``X-Linked-Etag``, ``X-Linked-Size``,
redirects), ``HfApi`` for search and file listings, and its typed HTTP errors, which
``hub_error`` turns into messages a person can act on. A download (``job``) and the header read
of a fit check (``remote_header``) take the same steps here, so both fail with the same words.

A repository's file names are a stranger's word and become file names on this disk: a
``RemoteFile`` is only made of a name that is a plain ``.gguf`` file on every system
(``check_repo_filename``), and a listing leaves out the others.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from localchat.core.errors import (
    DownloadError,
    GatedRepoError,
    LocalChatError,
    OfflineError,
    RemoteNotFoundError,
    UnsafeFileNameError,
)

log = logging.getLogger(__name__)

TOKEN_HINT = (
    "Open the model's page on Hugging Face, sign in and accept its terms, then create a read "
    "token at https://huggingface.co/settings/tokens and give it to localchat: set the HF_TOKEN "
    "environment variable, or paste it under \"Hugging Face token\" in the Model Manager."
)
_MAX_ERROR_BODY = 1 << 20  # an error page larger than this is not read
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SPLIT = re.compile(r"^(?P<stem>.+)-(?P<part>\d{5})-of-(?P<count>\d{5})\.gguf$", re.IGNORECASE)
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,95}/[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")
# what Windows refuses in a file name; refused everywhere, so a models folder works on any system
_WINDOWS_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                     *(f"{dev}{n}" for dev in ("COM", "LPT") for n in "0123456789\u00b9\u00b2\u00b3")}
MAX_NAME_BYTES = 200  # the models folder's name for a file, and its partial's, stay below 255
_NAME_HINT = "Pick another file; localchat installs only .gguf files with plain names."
_QUANT = re.compile(
    r"(?<![A-Za-z0-9])(I?Q\d(?:_[A-Z0-9]+)*|BF16|F16|F32|FP16|FP32|TQ\d_\d|MXFP4)(?![A-Za-z0-9])",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class RemoteFile:
    """A file on the Hub, with what the catalog knows about it (when it knows)."""

    repo_id: str
    filename: str
    revision: str = "main"
    sha256: str | None = None
    size: int | None = None

    def __post_init__(self) -> None:
        check_repo_id(self.repo_id)
        check_repo_filename(self.filename)

    @property
    def key(self) -> str:
        return f"{self.repo_id}/{self.filename}"

    @property
    def basename(self) -> str:
        return self.filename.rsplit("/", 1)[-1]

    @classmethod
    def of_entry(cls, entry) -> "RemoteFile":
        """The file of a catalog entry, with the size and sha256 the catalog promises."""
        f = entry.file
        return cls(f.repo_id, f.filename, f.revision, f.sha256, f.size_bytes)

    def all_parts(self) -> list["RemoteFile"]:
        """Every part of a split model (``…-00001-of-00003.gguf``) in order; else just this file."""
        split = split_part(self.basename)
        if split is None:
            return [self]
        stem, _, count = split
        folder = self.filename[: -len(self.basename)]
        names = [f"{folder}{stem}-{i:05d}-of-{count:05d}.gguf" for i in range(1, count + 1)]
        return [self if name == self.filename else RemoteFile(self.repo_id, name, self.revision)
                for name in names]

    @classmethod
    def parse(cls, spec: str, revision: str = "main") -> "RemoteFile":
        """``owner/repo/path/to/file.gguf`` → RemoteFile. Raises RemoteNotFoundError if malformed."""
        parts = [p for p in spec.strip().split("/") if p]
        if len(parts) < 3:
            raise RemoteNotFoundError(
                f"\"{spec}\" does not name a file on Hugging Face.",
                "Write it as OWNER/REPO/FILE.gguf, for example "
                "bartowski/Llama-3.2-1B-Instruct-GGUF/Llama-3.2-1B-Instruct-Q4_K_M.gguf.",
            )
        return cls("/".join(parts[:2]), "/".join(parts[2:]), revision)


@dataclass(frozen=True)
class ResolvedFile:
    """Where the bytes of a RemoteFile are now, and what they must hash to."""

    remote: RemoteFile
    url: str  # the download location (a CDN address on the real Hub)
    commit: str
    sha256: str | None  # the catalog's, else the Hub's LFS sha256; None for a small git file
    size: int | None


@dataclass(frozen=True)
class HubModel:
    """One repository in a search result."""

    repo_id: str
    downloads: int
    likes: int
    gated: bool


@dataclass(frozen=True)
class HubGGUFFile:
    """One downloadable GGUF model in a repo: one file, or the parts of a split file."""

    repo_id: str
    parts: tuple[str, ...]  # repo paths, in order
    size: int | None
    sha256s: tuple[str | None, ...]
    revision: str = "main"

    @property
    def filename(self) -> str:
        return self.parts[0]

    @property
    def quant(self) -> str | None:
        return quant_of(self.filename)

    def remote_files(self) -> list[RemoteFile]:
        sizes = [None] * len(self.parts) if len(self.parts) > 1 else [self.size]
        return [RemoteFile(self.repo_id, name, self.revision, sha, size)
                for name, sha, size in zip(self.parts, self.sha256s, sizes)]


def check_repo_id(repo_id: str) -> None:
    """Refuse a repository name that is not ``OWNER/NAME`` in the Hub's characters: it becomes
    part of a file name on disk (a download's partial, a renamed model)."""
    if not isinstance(repo_id, str) or not _REPO_ID.match(repo_id) or ".." in repo_id:
        raise UnsafeFileNameError(f"{_shown(repo_id)} is not a Hugging Face repository name.",
                                  "Write it as OWNER/NAME, for example bartowski/Llama-3.2-1B-Instruct-GGUF.")


def check_repo_filename(filename: str) -> None:
    """Refuse a file path in a repository that could not be installed as a plain ``.gguf`` file:
    a ``\\``, an absolute path or drive, a ``..`` or empty part, a name Windows refuses."""
    if not isinstance(filename, str) or not filename:
        raise UnsafeFileNameError("A Hugging Face file without a name was asked for.", _NAME_HINT)
    if "\\" in filename or filename.startswith("/") or re.match(r"^[A-Za-z]:", filename):
        raise UnsafeFileNameError(
            f"The file name {_shown(filename)} is a path localchat does not follow (a \"\\\", a drive "
            "or a leading \"/\").", _NAME_HINT)
    for part in filename.split("/"):
        check_file_name(part, what=f"The file {_shown(filename)} on Hugging Face")
    if not filename.lower().endswith(".gguf"):
        raise UnsafeFileNameError(f"{_shown(filename)} is not a GGUF model file (its name does not end "
                                  "in .gguf).", "localchat runs models in the GGUF format; pick a .gguf file.")


def check_file_name(name: str, *, what: str | None = None, max_bytes: int = MAX_NAME_BYTES) -> None:
    """Refuse ``name`` as one file in a folder unless it is a plain name on every system."""
    what = what or f"The file name {_shown(name)}"
    reason = None
    if name in ("", ".", ".."):
        reason = "an empty or \"..\" part"
    elif _WINDOWS_FORBIDDEN.search(name):
        reason = "a character Windows does not allow in a file name (< > : \" / \\ | ? * or a control character)"
    elif name.endswith((".", " ")) or name.startswith("."):
        reason = "a leading dot (a hidden file), or a trailing dot or space (Windows drops them)"
    elif name.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        reason = f"the name {name.split('.', 1)[0]!r}, which Windows keeps for a device"
    elif len(name.encode("utf-8", "surrogatepass")) > max_bytes:
        reason = f"a name longer than {max_bytes} bytes"
    if reason:
        raise UnsafeFileNameError(f"{what} has {reason}, so localchat does not install it.", _NAME_HINT)


def _shown(value) -> str:
    text = f"\"{value}\"" if isinstance(value, str) and value.isprintable() else repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def quant_of(filename: str) -> str | None:
    """The quantization written in a GGUF file name: ``…-Q4_K_M.gguf`` → ``Q4_K_M``."""
    name = filename.rsplit("/", 1)[-1]
    matches = _QUANT.findall(name[:-5] if name.lower().endswith(".gguf") else name)
    return matches[-1].upper() if matches else None


def split_part(filename: str) -> tuple[str, int, int] | None:
    """``model-00002-of-00003.gguf`` → (``model``, 2, 3); None for a single file."""
    match = _SPLIT.match(filename)
    if match is None:
        return None
    return match["stem"], int(match["part"]), int(match["count"])


def _headers(token: str | None) -> dict[str, str]:
    from huggingface_hub.utils import build_hf_headers

    from localchat import __version__

    return build_hf_headers(token=token, library_name="localchat", library_version=__version__)


def resolve(remote: RemoteFile, *, endpoint: str | None = None, token: str | None = None,
            timeout: float | None = None) -> ResolvedFile:
    """Ask the Hub where ``remote`` is and what it hashes to (one HEAD request).

    Raises the LocalChatError ``hub_error`` chooses, or the transport error itself when it is
    transient (the caller retries those)."""
    from huggingface_hub import constants as hf_constants
    from huggingface_hub import get_hf_file_metadata, hf_hub_url

    url = hf_hub_url(remote.repo_id, remote.filename, revision=remote.revision, endpoint=endpoint)
    try:
        meta = get_hf_file_metadata(url, token=token, endpoint=endpoint, headers=_headers(token),
                                    timeout=timeout or hf_constants.HF_HUB_ETAG_TIMEOUT)
    except Exception as exc:
        mapped = hub_error(exc, remote.repo_id, remote.filename)
        if mapped is None:
            raise  # transient: the caller retries
        raise mapped from exc
    if not meta.commit_hash or not meta.etag:
        raise DownloadError(
            f"The server at {endpoint or hf_constants.ENDPOINT} did not answer like Hugging Face.",
            "If HF_ENDPOINT is set, check that it points to the Hub or a mirror of it; otherwise "
            "check your proxy and firewall settings.",
        )
    hub_sha = meta.etag if _SHA256.match(meta.etag) else None
    if remote.sha256 and hub_sha and remote.sha256.lower() != hub_sha:
        raise DownloadError(
            f"{remote.basename} on Hugging Face is not the file the catalog lists (its checksum "
            "differs): the repository has changed.",
            "Update localchat for a newer catalog, or pick the file in Search Hugging Face.",
        )
    if remote.size and meta.size and remote.size != meta.size:
        raise DownloadError(
            f"{remote.basename} on Hugging Face has {meta.size:,} bytes, the catalog says "
            f"{remote.size:,}: the repository has changed.",
            "Update localchat for a newer catalog, or pick the file in Search Hugging Face.",
        )
    return ResolvedFile(remote, meta.location, meta.commit_hash,
                        (remote.sha256 or "").lower() or hub_sha, meta.size or remote.size)


def hub_error(exc: BaseException, repo_id: str | None = None,
              filename: str | None = None) -> LocalChatError | None:
    """The message for a failed Hub request; None when the failure is transient (retry it)."""
    from huggingface_hub import errors as hf

    if isinstance(exc, LocalChatError):
        return exc
    what = f"{repo_id}/{filename}" if filename else (repo_id or "the file")
    if isinstance(exc, hf.OfflineModeIsEnabled):
        return OfflineError(
            "Hugging Face is switched off on this computer (HF_HUB_OFFLINE is set).",
            "Unset HF_HUB_OFFLINE to download models; installed models keep working.",
        )
    if isinstance(exc, hf.GatedRepoError):
        return GatedRepoError(f"{repo_id or what} is gated: Hugging Face lets only signed-in "
                              "people who accepted its terms download it.", TOKEN_HINT)
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status in (401, 403):
        return GatedRepoError(f"Hugging Face refused access to {what} (HTTP {status}): it is "
                              "private or gated, or the token has no access.", TOKEN_HINT)
    if isinstance(exc, hf.RevisionNotFoundError):
        return RemoteNotFoundError(f"The revision asked for does not exist in {repo_id}.",
                                   "Check the revision, or leave it out to get the latest.")
    if isinstance(exc, hf.RemoteEntryNotFoundError):
        return RemoteNotFoundError(f"{filename} is not in {repo_id} on Hugging Face (HTTP 404).",
                                   "Check the file name; it may have been renamed or removed.")
    if isinstance(exc, hf.RepositoryNotFoundError) or status == 404:
        return RemoteNotFoundError(f"{repo_id or what} was not found on Hugging Face (HTTP 404).",
                                   "Check the name; the repository may have been renamed, "
                                   "removed or made private.")
    return None


def is_transient(exc: BaseException) -> bool:
    """Worth retrying: a timeout, a reset or refused connection, 408/429 or a 5xx answer."""
    import httpx2
    from huggingface_hub import errors as hf

    if isinstance(exc, hf.OfflineModeIsEnabled):
        return False
    if isinstance(exc, (httpx2.TransportError, ConnectionError, TimeoutError)):
        return True
    status = getattr(getattr(exc, "response", None), "status_code", None)
    return status in (408, 429) or (status is not None and status >= 500)


def offline_error(exc: BaseException, endpoint: str | None, *, resumes: bool = True) -> LocalChatError:
    """The message for a transient fault that outlasted every retry. ``resumes``: the hint says
    that a download goes on from where it stopped (not said of a header read)."""
    import httpx2
    from huggingface_hub import constants as hf_constants

    host = urlsplit(endpoint or hf_constants.ENDPOINT).netloc
    then = " The download resumes from where it stopped." if resumes else ""
    if isinstance(exc, httpx2.ConnectError):
        return OfflineError(f"localchat cannot reach {host}: you seem to be offline.",
                            f"Check your internet connection (and proxy).{then}")
    if isinstance(exc, httpx2.TimeoutException):
        return OfflineError(f"{host} stopped sending data (timed out).",
                            f"Check your connection and try again.{then}")
    status = getattr(getattr(exc, "response", None), "status_code", None)
    if status is not None:
        return DownloadError(f"Hugging Face answered with an error (HTTP {status}) several times.",
                             f"The Hub may be busy or down; try again later.{then}")
    return OfflineError(f"The connection to {host} failed: {exc}.",
                        f"Check your connection and try again.{then}")


def raise_for_status(response) -> None:
    """``hf_raise_for_status`` for a streamed answer, without reading a large error body: a
    broken or hostile server may send gigabytes with a 5xx. The status alone then decides."""
    import httpx2
    from huggingface_hub.utils import hf_raise_for_status

    if response.status_code >= 400:
        length = response.headers.get("Content-Length", "")
        if not length.isdigit() or int(length) > _MAX_ERROR_BODY:
            raise httpx2.HTTPStatusError(f"HTTP {response.status_code} from {response.url}",
                                         request=response.request, response=response)
    hf_raise_for_status(response)


def search_models(text: str, *, sort: str = "downloads", limit: int = 50,
                  endpoint: str | None = None, token: str | None = None) -> list[HubModel]:
    """GGUF repositories whose name matches ``text``, most downloaded (or liked) first."""
    from huggingface_hub import HfApi

    if sort not in ("downloads", "likes"):
        raise ValueError(f"sort must be 'downloads' or 'likes', not {sort!r}")
    try:
        found = HfApi(endpoint=endpoint, token=token).list_models(
            search=text.strip() or None, filter="gguf", sort=sort, limit=limit,
            expand=["downloads", "likes", "gated"])
        return [HubModel(m.id, m.downloads or 0, m.likes or 0, bool(m.gated)) for m in found]
    except Exception as exc:
        raise _listing_error(exc, None, endpoint) from exc


def list_gguf_files(repo_id: str, *, revision: str = "main", endpoint: str | None = None,
                    token: str | None = None) -> list[HubGGUFFile]:
    """The GGUF models in a repo with sizes and checksums; the parts of a split file as one."""
    from huggingface_hub import HfApi

    try:
        info = HfApi(endpoint=endpoint, token=token).model_info(
            repo_id, revision=None if revision == "main" else revision, files_metadata=True)
    except Exception as exc:
        raise _listing_error(exc, repo_id, endpoint) from exc
    singles: list[HubGGUFFile] = []
    groups: dict[str, list] = {}
    for sib in info.siblings or []:
        if not sib.rfilename.lower().endswith(".gguf"):
            continue
        try:
            check_repo_filename(sib.rfilename)
        except UnsafeFileNameError as exc:  # offered, it could only fail later
            log.warning("%s: leaving out %r: %s", repo_id, sib.rfilename, exc.message)
            continue
        size = sib.lfs.size if sib.lfs else sib.size
        sha = sib.lfs.sha256 if sib.lfs else None
        split = split_part(sib.rfilename)
        if split is None:
            singles.append(HubGGUFFile(repo_id, (sib.rfilename,), size, (sha,), revision))
        else:
            groups.setdefault(f"{split[0]}/{split[2]}", []).append((split[1], sib.rfilename, size, sha))
    for parts in groups.values():
        parts.sort()
        sizes = [p[2] for p in parts]
        total = None if None in sizes else sum(sizes)
        singles.append(HubGGUFFile(repo_id, tuple(p[1] for p in parts), total,
                                   tuple(p[3] for p in parts), revision))
    return sorted(singles, key=lambda f: (f.size or 0, f.filename))


def fit_of_hub_file(f: HubGGUFFile, machine, *, endpoint: str | None = None,
                    token: str | bool | None = None):
    """The FitVerdict of a GGUF model on the Hub for ``machine`` (a Hardware or MemoryBudget),
    from its header alone: a few MB of a file of any size; every part of a split model."""
    from dataclasses import replace

    from localchat.core.downloads.remote_header import read_hub
    from localchat.core.models.fit import fit_model

    headers = [read_hub(f.repo_id, part, revision=f.revision, endpoint=endpoint, token=token)
               for part in f.parts]
    facts = headers[0]
    if len(headers) > 1:  # each part lists only its own tensors
        facts = replace(facts, tensors=tuple(t for h in headers for t in h.tensors))
    return fit_model(facts, machine)


def _listing_error(exc: Exception, repo_id: str | None, endpoint: str | None) -> LocalChatError:
    mapped = hub_error(exc, repo_id)
    if mapped is not None:
        return mapped
    if is_transient(exc):
        return offline_error(exc, endpoint)
    log.exception("unexpected answer from the Hub")
    return DownloadError(f"Hugging Face gave an answer localchat does not understand: {exc}.")


def download_headers(resolved: ResolvedFile, *, endpoint: str | None,
                     token: str | bool | None) -> dict[str, str]:
    """Headers for a GET of the bytes (the whole file or a header's Range): the token only goes
    to the Hub, never to a CDN."""
    from huggingface_hub import constants as hf_constants

    headers = _headers(token)
    if urlsplit(resolved.url).netloc != urlsplit(endpoint or hf_constants.ENDPOINT).netloc:
        headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
    headers["Accept-Encoding"] = "identity"  # sizes and Range offsets are in file bytes
    return headers
