"""A local server that speaks the Hugging Face Hub endpoints ``huggingface_hub`` uses.

Two listeners share one state, as on the real Hub: the *hub* answers ``/api/models``,
``/api/models/{repo}`` and ``HEAD/GET /{repo}/resolve/{revision}/{file}`` (a 302 to the CDN with
``X-Repo-Commit``, ``X-Linked-Etag`` and ``X-Linked-Size``), and the *cdn* (another origin, so
``huggingface_hub`` treats it as one and drops the token) serves the bytes with ``Range``.

Faults are set per file on ``HubFile.faults`` and consumed as requests arrive: status codes to
answer first, a connection dropped after N bytes, wrong bytes, a stall, a hold the test releases,
a Range header ignored. Every wait is bounded and ends when the server stops, so no test hangs.
"""

from __future__ import annotations

import hashlib
import json
import socket
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlsplit

TOKEN = "hf_localtest_token"
_MAX_WAIT = 60.0  # no wait in the server lasts longer than this
_BLOCK = 256 * 1024


@dataclass
class Faults:
    """What goes wrong, consumed one request at a time (lists) or always (flags)."""

    head_statuses: list[int] = field(default_factory=list)  # answered to HEAD /resolve first
    get_statuses: list[int] = field(default_factory=list)  # answered to GET on the cdn first
    drop_after: list[int] = field(default_factory=list)  # close the connection after N body bytes
    stall_after: list[int] = field(default_factory=list)  # stop sending after N bytes, keep it open
    stall_always: bool = False  # every GET stalls before its first byte
    hold_at: int | None = None  # the file offset where a GET waits until release()
    corrupt: bool = False  # flip bytes in the middle of the file
    ignore_range: bool = False  # answer 200 with the whole file to a Range request
    error_body: int = 0  # bytes of body sent with a get_statuses answer (0: a short JSON error)


@dataclass
class HubFile:
    repo_id: str
    filename: str
    path: Path
    sha256: str
    size: int
    faults: Faults = field(default_factory=Faults)
    bytes_sent: int = 0  # body bytes the cdn has handed to the network for this file


@dataclass
class HubRepo:
    repo_id: str
    commit: str
    downloads: int = 0
    likes: int = 0
    gated: bool = False
    tags: list[str] = field(default_factory=lambda: ["gguf"])
    files: dict[str, HubFile] = field(default_factory=dict)


@dataclass(frozen=True)
class LoggedRequest:
    server: str  # "hub" or "cdn"
    method: str
    path: str
    range: str | None
    authorized: bool


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class HubServer:
    """Start with ``with HubServer() as hub:``; ``hub.endpoint`` is the Hub's address."""

    def __init__(self) -> None:
        self.repos: dict[str, HubRepo] = {}
        self.blobs: dict[str, HubFile] = {}
        self.requests: list[LoggedRequest] = []
        self.stopping = threading.Event()
        self.held = threading.Event()  # set when a GET reached hold_at
        self._release = threading.Event()
        self._lock = threading.Lock()
        self._hub = _Server(self, "hub")
        self._cdn = _Server(self, "cdn")
        self._threads: list[threading.Thread] = []

    # -- content --------------------------------------------------------------------------------
    def add_repo(self, repo_id: str, **info) -> HubRepo:
        commit = hashlib.sha1(repo_id.encode()).hexdigest()
        repo = self.repos.setdefault(repo_id, HubRepo(repo_id, commit))
        for key, value in info.items():
            setattr(repo, key, value)
        return repo

    def add_file(self, repo_id: str, filename: str, path: Path, **repo_info) -> HubFile:
        repo = self.add_repo(repo_id, **repo_info)
        path = Path(path)
        hub_file = HubFile(repo_id, filename, path, sha256_of(path), path.stat().st_size)
        repo.files[filename] = hub_file
        self.blobs[hub_file.sha256] = hub_file
        return hub_file

    def release(self) -> None:
        """Let a GET held at ``hold_at`` go on."""
        self._release.set()

    # -- lifecycle ------------------------------------------------------------------------------
    @property
    def endpoint(self) -> str:
        return self._hub.base_url

    @property
    def cdn_url(self) -> str:
        return self._cdn.base_url

    def start(self) -> "HubServer":
        for server in (self._hub, self._cdn):
            thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                                      daemon=True, name=f"hub-server-{server.role}")
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._release.set()
        for server in (self._hub, self._cdn):
            server.shutdown()
            server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def __enter__(self) -> "HubServer":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- used by the handler --------------------------------------------------------------------
    def log(self, entry: LoggedRequest) -> None:
        with self._lock:
            self.requests.append(entry)

    def take(self, values: list[int]) -> int | None:
        with self._lock:
            return values.pop(0) if values else None

    def gets(self, hub_file: HubFile) -> list[LoggedRequest]:
        """The GETs of a file's bytes so far."""
        return [r for r in self.requests
                if r.server == "cdn" and r.method == "GET" and r.path.startswith(f"/blobs/{hub_file.sha256}")]

    def wait_release(self) -> None:
        self.held.set()
        self._release.wait(_MAX_WAIT)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, hub: HubServer, role: str):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hub = hub
        self.role = role

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args) -> None:  # keep test output clean
        pass

    @property
    def hub(self) -> HubServer:
        return self.server.hub

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_GET(self) -> None:
        self._dispatch("GET")

    def _dispatch(self, method: str) -> None:
        authorized = self.headers.get("Authorization") == f"Bearer {TOKEN}"
        self.hub.log(LoggedRequest(self.server.role, method, self.path, self.headers.get("Range"), authorized))
        try:
            if self.server.role == "cdn":
                self._blob(method)
            elif self.path.startswith("/api/models"):
                self._api(urlsplit(self.path))
            else:
                self._resolve(method, authorized)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # -- small answers ----------------------------------------------------------------------------
    def _answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _error(self, status: int, code: str | None, message: str, extra: dict | None = None) -> None:
        headers = {"Content-Type": "application/json", **(extra or {})}
        if code:
            headers["X-Error-Code"] = code
        headers["X-Error-Message"] = message
        self._answer(status, json.dumps({"error": message}).encode(), headers)

    def _json(self, data) -> None:
        self._answer(200, json.dumps(data).encode(), {"Content-Type": "application/json"})

    # -- hub ----------------------------------------------------------------------------------------
    def _find(self, path: str) -> tuple[HubRepo | None, str, str]:
        """``owner/name/resolve/rev/file`` → (repo, revision, file)."""
        parts = unquote(path).lstrip("/").split("/")
        if len(parts) < 5 or parts[2] != "resolve":
            return None, "", ""
        return self.hub.repos.get("/".join(parts[:2])), parts[3], "/".join(parts[4:])

    def _resolve(self, method: str, authorized: bool) -> None:
        repo, revision, filename = self._find(urlsplit(self.path).path)
        if repo is None:
            return self._error(404, "RepoNotFound", "Repository not found")
        if repo.gated and not authorized:
            status = 403 if self.headers.get("Authorization") else 401
            return self._error(status, "GatedRepo",
                               f"Access to model {repo.repo_id} is restricted and you are not in the "
                               "authorized list.")
        if revision not in ("main", repo.commit):
            return self._error(404, "RevisionNotFound", f"Invalid rev id: {revision}")
        hub_file = repo.files.get(filename)
        commit = {"X-Repo-Commit": repo.commit}
        if hub_file is None:
            return self._error(404, "EntryNotFound", f"{filename} does not exist on \"{revision}\"", commit)
        status = self.hub.take(hub_file.faults.head_statuses) if method == "HEAD" else None
        if status:
            return self._error(status, None, "Internal Error")
        location = f"{self.hub.cdn_url}/blobs/{hub_file.sha256}?X-Amz-Signature=local&name={quote(filename)}"
        self._answer(302, b"", {
            **commit,
            "ETag": f'"{hashlib.sha1(hub_file.sha256.encode()).hexdigest()}"',
            "X-Linked-Etag": f'"{hub_file.sha256}"',
            "X-Linked-Size": str(hub_file.size),
            "Location": location,
        })

    def _api(self, url) -> None:
        rest = unquote(url.path)[len("/api/models"):].strip("/")
        query = parse_qs(url.query)
        if not rest:
            return self._json(self._listing(query))
        revision = None
        if "/revision/" in rest:
            rest, revision = rest.split("/revision/", 1)
        repo = self.hub.repos.get(rest)
        if repo is None or revision not in (None, "main", repo.commit):
            return self._error(404, "RepoNotFound", "Repository not found")
        self._json(self._info(repo, blobs="blobs" in query))

    def _listing(self, query: dict) -> list[dict]:
        search = (query.get("search") or [""])[0].lower()
        wanted = set(query.get("filter") or [])
        repos = [r for r in self.hub.repos.values()
                 if search in r.repo_id.lower() and wanted <= set(r.tags)]
        sort = (query.get("sort") or ["downloads"])[0]
        repos.sort(key=lambda r: getattr(r, sort if sort in ("downloads", "likes") else "downloads"),
                   reverse=True)
        limit = int((query.get("limit") or [1000])[0])
        return [{"id": r.repo_id, "modelId": r.repo_id, "downloads": r.downloads, "likes": r.likes,
                 "gated": "auto" if r.gated else False, "tags": r.tags, "private": False}
                for r in repos[:limit]]

    def _info(self, repo: HubRepo, *, blobs: bool) -> dict:
        siblings = []
        for f in repo.files.values():
            entry: dict = {"rfilename": f.filename}
            if blobs:
                entry.update(size=f.size, blobId=hashlib.sha1(f.sha256.encode()).hexdigest(),
                             lfs={"size": f.size, "sha256": f.sha256, "pointerSize": 134})
            siblings.append(entry)
        return {"id": repo.repo_id, "modelId": repo.repo_id, "sha": repo.commit,
                "downloads": repo.downloads, "likes": repo.likes,
                "gated": "auto" if repo.gated else False, "tags": repo.tags, "private": False,
                "siblings": siblings}

    # -- cdn ------------------------------------------------------------------------------------
    def _blob(self, method: str) -> None:
        sha = urlsplit(self.path).path.rsplit("/", 1)[-1]
        hub_file = self.hub.blobs.get(sha)
        if hub_file is None:
            return self._error(404, None, "NoSuchKey")
        faults = hub_file.faults
        status = self.hub.take(faults.get_statuses) if method == "GET" else None
        if status and faults.error_body:
            return self._long_error(hub_file, status)
        if status:
            return self._error(status, None, "Service Unavailable")
        start, status = 0, 200
        wanted = self.headers.get("Range")
        if wanted and not faults.ignore_range:
            start = int(wanted.split("=", 1)[1].split("-", 1)[0])
            if start >= hub_file.size:
                return self._error(416, None, "Range Not Satisfiable",
                                   {"Content-Range": f"bytes */{hub_file.size}"})
            status = 206
        self.send_response(status)
        self.send_header("Content-Length", str(hub_file.size - start))
        self.send_header("ETag", f'"{hub_file.sha256}"')
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Type", "application/octet-stream")
        if status == 206:
            self.send_header("Content-Range", f"bytes {start}-{hub_file.size - 1}/{hub_file.size}")
        self.end_headers()
        if method == "GET":
            self._send_body(hub_file, start)

    def _long_error(self, hub_file: HubFile, status: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(hub_file.faults.error_body))
        self.end_headers()
        block = b"x" * _BLOCK
        left = hub_file.faults.error_body
        while left > 0:
            self.wfile.write(block[:left])
            hub_file.bytes_sent += min(left, _BLOCK)
            left -= _BLOCK

    def _send_body(self, hub_file: HubFile, start: int) -> None:
        faults = hub_file.faults
        drop = self.hub.take(faults.drop_after)
        stall = 0 if faults.stall_always else self.hub.take(faults.stall_after)
        hold = faults.hold_at if faults.hold_at is not None and faults.hold_at > start else None
        stop_at = [x for x in (None if drop is None else start + drop,
                               None if stall is None else start + stall, hold) if x is not None]
        if not stop_at and not faults.corrupt:
            with open(hub_file.path, "rb") as fh:  # the fast path: the kernel copies the bytes
                for pos in range(start, hub_file.size, 16 * _BLOCK):  # in blocks, to count them
                    count = min(16 * _BLOCK, hub_file.size - pos)
                    self.connection.sendfile(fh, pos, count)
                    hub_file.bytes_sent += count
            return
        middle = hub_file.size // 2
        pos = start
        with open(hub_file.path, "rb") as fh:
            fh.seek(start)
            while pos < hub_file.size:
                if drop is not None and pos >= start + drop:
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    self.close_connection = True
                    return
                if stall is not None and pos >= start + stall:
                    self.hub.stopping.wait(_MAX_WAIT)
                    self.close_connection = True
                    return
                if hold is not None and pos == hold:
                    self.hub.wait_release()
                limit = min([hub_file.size, pos + _BLOCK] + [s for s in stop_at if s > pos])
                block = fh.read(limit - pos)
                if faults.corrupt and pos <= middle < pos + len(block):
                    i = middle - pos
                    block = block[:i] + bytes([block[i] ^ 0xFF]) + block[i + 1:]
                self.wfile.write(block)
                hub_file.bytes_sent += len(block)
                pos += len(block)


class ForwardProxy:
    """A plain HTTP forward proxy (absolute-form requests) that logs what passes through it.

    ``with ForwardProxy() as proxy:``; point ``HTTP_PROXY`` or a client's ``proxy=`` at
    ``proxy.url``; ``proxy.requests`` holds (method, absolute URL) pairs."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _ProxyHandler)
        self._server.daemon_threads = True
        self._server.proxy = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True, name="hub-proxy")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "ForwardProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self._forward()

    def do_GET(self) -> None:
        self._forward()

    def _forward(self) -> None:
        import http.client

        self.server.proxy.requests.append((self.command, self.path))  # type: ignore[attr-defined]
        target = urlsplit(self.path)  # a proxy is sent the whole URL
        upstream = http.client.HTTPConnection(target.hostname, target.port, timeout=_MAX_WAIT)
        headers = {k: v for k, v in self.headers.items()
                   if k.lower() not in ("proxy-connection", "proxy-authorization", "connection")}
        try:
            upstream.request(self.command, target.path + (f"?{target.query}" if target.query else ""),
                             headers=headers)
            answer = upstream.getresponse()
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in ("connection", "transfer-encoding", "keep-alive"):
                    self.send_header(key, value)
            self.end_headers()
            if self.command != "HEAD":
                while block := answer.read(_BLOCK):
                    self.wfile.write(block)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        finally:
            upstream.close()
