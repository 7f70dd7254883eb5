"""A local catalog server for the catalog update tests: files by path, ETags, 304, a hold.

``CatalogServer.publish(path, data)`` serves bytes with a strong ETag and answers a matching
``If-None-Match`` with 304. ``hold()`` makes every request wait (inside the server, bounded)
until ``release()``: a test can prove that something happened while a request was still
unanswered. With ``tls=(certfile, keyfile)`` it speaks HTTPS.
"""

from __future__ import annotations

import base64
import hashlib
import json
import ssl
import subprocess
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from nacl.signing import SigningKey

_MAX_WAIT = 30.0  # no request waits in the server longer than this


@dataclass(frozen=True)
class Seen:
    path: str
    if_none_match: str | None


class CatalogServer:
    def __init__(self, tls: tuple[Path, Path] | None = None):
        self.files: dict[str, bytes] = {}
        self.redirects: dict[str, str] = {}  # path -> the Location a 302 sends to
        self.requests: list[Seen] = []
        self.arrived = threading.Event()  # a request reached the server
        self._released = threading.Event()
        self._released.set()
        self._stopping = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append(Seen(self.path, self.headers.get("If-None-Match")))
                server.arrived.set()
                server._released.wait(_MAX_WAIT)
                if server._stopping.is_set():
                    return
                if self.path in server.redirects:
                    self.send_response(302)
                    self.send_header("Location", server.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                data = server.files.get(self.path)
                if data is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                etag = '"' + hashlib.sha256(data).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(data)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        scheme = "http"
        if tls is not None:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*tls)
            self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
            scheme = "https"
        host = "localhost" if tls else "127.0.0.1"
        self.base = f"{scheme}://{host}:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self._thread.start()

    def url(self, path: str = "/models.json") -> str:
        return self.base + path

    def publish(self, data: bytes, signature: bytes | None, path: str = "/models.json") -> None:
        self.files[path] = data
        if signature is None:
            self.files.pop(path + ".sig", None)
        else:
            self.files[path + ".sig"] = signature

    def gets(self, path: str = "/models.json") -> list[Seen]:
        return [r for r in self.requests if r.path == path]

    def hold(self) -> None:
        self.arrived.clear()
        self._released.clear()

    def release(self) -> None:
        self._released.set()

    def stop(self) -> None:
        self._stopping.set()
        self._released.set()
        self.httpd.shutdown()
        self.httpd.server_close()


# -- signed catalogs ---------------------------------------------------------------------------------
class Signer:
    """A test signing key (never the project's): ``sign(data)`` is what ``tools/sign_catalog.py``
    writes next to a catalog."""

    def __init__(self, seed: int = 1):
        self.key = SigningKey(hashlib.sha256(f"localchat test key {seed}".encode()).digest())
        self.public = base64.b64encode(bytes(self.key.verify_key)).decode()

    def sign(self, data: bytes) -> bytes:
        return base64.b64encode(self.key.sign(data).signature) + b"\n"


def catalog_bytes(models: list[dict], published: str | None = "2030-01-01T00:00:00+00:00", *,
                  schema: int = 1) -> bytes:
    data = {"schema": schema, "models": models}
    if published is not None:
        data["published"] = published
    return json.dumps(data, indent=2).encode()


def make_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    """A self-signed CA and a certificate for ``localhost`` signed by it: (ca, cert, key)."""
    ca_key, ca, key, csr, cert = (folder / n for n in ("ca.key", "ca.pem", "server.key", "server.csr",
                                                       "server.pem"))
    ext = folder / "ext.cnf"
    ext.write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n")

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)

    run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(ca_key), "-out", str(ca),
        "-days", "2", "-subj", "/CN=localchat test CA", "-addext", "basicConstraints=critical,CA:TRUE",
        "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    run("req", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(csr), "-subj", "/CN=localhost")
    run("x509", "-req", "-in", str(csr), "-CA", str(ca), "-CAkey", str(ca_key), "-CAcreateserial",
        "-out", str(cert), "-days", "2", "-extfile", str(ext))
    return ca, cert, key


# -- what the catalog tests share ----------------------------------------------------------------
SIGNER = Signer()  # the catalog tests' signing key; ``trust_the_test_key`` makes the app trust it


@pytest.fixture
def trust_the_test_key(monkeypatch):
    """The app trusts SIGNER's public key, and only it, for the test."""
    from localchat.core.models import catalog_update

    monkeypatch.setattr(catalog_update, "TRUSTED_KEYS", (SIGNER.public,))


@pytest.fixture
def catalog_server():
    """A catalog server on a free local port, stopped afterwards."""
    s = CatalogServer()
    yield s
    s.stop()
