"""A GGUF file's header read from the Hub before downloading it, with HTTP Range requests.

The fit verdict of a file on the Hub needs its header only: a few MB of a file of any size.
The bytes come through the same client and the same steps as a download (``hub``): the HEAD
of ``hub.resolve`` (``HF_ENDPOINT`` or ``endpoint=``, ``HF_TOKEN`` or ``token=``,
``HF_HUB_OFFLINE``, the redirect to the CDN), then GETs with ``Range`` on ``huggingface_hub``'s
shared session (proxies, certificates, a client set with ``set_client_factory``), the token
kept off the CDN by ``hub.download_headers``. A failure ends in the message a download of the
same file would give.

A hostile or broken server cannot make this read much: the header is cut at
``MAX_REMOTE_HEADER``, each answer is read for exactly the bytes asked, a server that ignores
``Range`` is read from the start and cut, never downloaded whole, and the body of an error is
read only when it is small.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace

from localchat.core.downloads import hub
from localchat.core.downloads.events import RetryPolicy
from localchat.core.downloads.hub import RemoteFile, ResolvedFile
from localchat.core.errors import CorruptModelError, DownloadError, LocalChatError
from localchat.core.models.gguf import MAX_HEADER, GGUFFacts, parse_header
from localchat.core.units import size_text

log = logging.getLogger(__name__)

MAX_REMOTE_HEADER = MAX_HEADER  # no real header comes near this; a bad server might
FIRST_CHUNK = 256 * 1024
MAX_CHUNK = 16 * 1024 * 1024
# a fit check is cheap to repeat: fewer and shorter retries than a download's
HEADER_RETRY = RetryPolicy(attempts=2, base_delay=0.5, max_delay=2.0)


class _RangeReader:
    """``fetch(offset, n)`` over HTTP Range requests on the Hub's session. Each request asks for
    twice as much as the one before, so a header of a few MB takes a handful of round trips."""

    def __init__(self, remote: RemoteFile, *, endpoint: str | None, token: str | bool | None,
                 timeout: float, retry: RetryPolicy):
        self.remote = remote
        self.endpoint = endpoint
        self.token = token
        self.timeout = timeout
        self.retry = retry
        self.chunk = FIRST_CHUNK
        self.url: str | None = None  # where the bytes are: the CDN, once resolved
        self.headers: dict[str, str] = {}
        self.file_size: int | None = None
        self.requests = 0
        self.bytes_read = 0
        self.range_ignored = False

    def fetch(self, offset: int, n: int) -> bytes:
        if offset + n > MAX_REMOTE_HEADER:
            raise CorruptModelError(f"its header claims more than {size_text(MAX_REMOTE_HEADER)}")
        want = min(max(n, self.chunk), MAX_REMOTE_HEADER - offset)
        self.chunk = min(self.chunk * 2, MAX_CHUNK)
        if self.url is None:
            self._resolve()
        if self.file_size is not None:
            if offset >= self.file_size:
                return b""
            want = min(want, self.file_size - offset)
        data = self._retrying(lambda: self._get(offset, want))
        self.bytes_read += len(data)
        return data

    def _resolve(self) -> None:
        """The HEAD a download starts with: the same errors, the same CDN address."""
        def head() -> ResolvedFile:
            self.requests += 1
            return hub.resolve(self.remote, endpoint=self.endpoint, token=self.token, timeout=self.timeout)

        resolved = self._retrying(head)
        self.url = resolved.url
        self.file_size = resolved.size
        self.headers = hub.download_headers(resolved, endpoint=self.endpoint, token=self.token)

    def _get(self, offset: int, want: int) -> bytes:
        import httpx2
        from huggingface_hub.utils import get_session

        self.requests += 1
        headers = {**self.headers, "Range": f"bytes={offset}-{offset + want - 1}"}
        with get_session().stream("GET", self.url, headers=headers, follow_redirects=True,
                                  timeout=httpx2.Timeout(self.timeout)) as response:
            if response.status_code == 416:  # asked past the end: the file is shorter than its header says
                return b""
            hub.raise_for_status(response)
            self.url = str(response.url)  # after a redirect, ask there directly next time
            skip = self._size_from(response, offset)
            return _read_exactly(response, skip + want)[skip:]
        # leaving the block closes the connection: what the server sends beyond is never read

    def _size_from(self, response, offset: int) -> int:
        """Learn the file's size; return how many leading bytes to skip."""
        content_range = response.headers.get("Content-Range", "")
        if response.status_code == 206 and "/" in content_range:
            total = content_range.rsplit("/", 1)[1].strip()
            if total.isdigit():
                self.file_size = int(total)
            return 0
        # 200: the whole file from its first byte
        self.range_ignored = True
        length = response.headers.get("Content-Length")
        if length and length.isdigit():
            self.file_size = int(length)
        return offset

    def _retrying(self, call):
        """``call()``, again after a transient fault; every failure as the download's message."""
        attempt = 0
        while True:
            try:
                return call()
            except LocalChatError:
                raise
            except Exception as exc:
                mapped = hub.hub_error(exc, self.remote.repo_id, self.remote.filename)
                if mapped is not None:
                    raise mapped from exc
                if not hub.is_transient(exc):
                    log.exception("unexpected answer while reading the header of %s", self.remote.key)
                    raise DownloadError(f"Reading the header of {self.remote.basename} failed: {exc}.",
                                        "Try again; if it keeps failing, pick another file.") from exc
                attempt += 1
                if attempt > self.retry.attempts:
                    raise hub.offline_error(exc, self.endpoint, resumes=False) from exc
                log.info("header of %s: %s; retry %d", self.remote.key, exc, attempt)
                time.sleep(self.retry.delay(attempt))


def _read_exactly(response, n: int) -> bytes:
    parts, got = [], 0
    for block in response.iter_bytes(min(n, 1 << 20)):
        parts.append(block)
        got += len(block)
        if got >= n:
            break
    return b"".join(parts)[:n]


def read_hub(repo_id: str, filename: str, *, revision: str = "main", endpoint: str | None = None,
             token: str | bool | None = None, timeout: float = 30.0,
             retry: RetryPolicy = HEADER_RETRY) -> GGUFFacts:
    """The facts of a GGUF file on Hugging Face (or the mirror ``endpoint``/``HF_ENDPOINT``
    names) from its header alone, with the token a download would use (``token``, else
    ``HF_TOKEN`` or the saved one; ``False``: none). ``extras`` says how: ``url``, ``requests``,
    ``bytes_read``, ``range_ignored``. Raises NotAGGUFError / CorruptModelError for a bad file,
    and the DownloadError subclass a download would raise (offline, not found, gated)."""
    reader = _RangeReader(RemoteFile(repo_id, filename, revision), endpoint=endpoint, token=token,
                          timeout=timeout, retry=retry)
    try:
        facts = parse_header(reader.fetch)
    except CorruptModelError as exc:
        raise CorruptModelError(exc.message.replace("The model file", "The model file on the server"),
                                "It may still be uploading, or damaged; pick another file.") from None
    if reader.file_size is not None and reader.file_size < facts.expected_size:
        raise CorruptModelError(
            f"The model file on the server is incomplete: {reader.file_size:,} bytes of "
            f"{facts.expected_size:,}.",
            "It may still be uploading, or damaged; pick another file.")
    return replace(facts, file_size=reader.file_size, extras={
        "url": reader.url, "requests": reader.requests, "bytes_read": reader.bytes_read,
        "range_ignored": reader.range_ignored})
