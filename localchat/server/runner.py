"""``ApiServer``: the app served by uvicorn on a thread of its own, for the window and
``localchat serve`` alike.

The socket is bound here, before uvicorn starts, so a port in use is a ``LocalChatError``
naming it (and not a log line on another thread), and port 0 picks a free one. Serving beyond
this computer needs an API key: without one the server refuses to start.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from localchat.core.errors import LocalChatError
from localchat.core.settings import is_loopback
from localchat.server.app import MAX_BODY_BYTES, MAX_QUEUE, create_app

if TYPE_CHECKING:
    from localchat.core.inference.worker import InferenceWorker
    from localchat.server.requests import LoadJobFactory

log = logging.getLogger(__name__)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 4891  # GPT4All's too: a clash says so
START_TIMEOUT_S = 15.0
STOP_TIMEOUT_S = 10.0


class ServerError(LocalChatError):
    pass


def bind(host: str, port: int) -> socket.socket:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ServerError(f"Cannot serve on {host!r}: {exc.strerror}.",
                          "Give an IP address of this computer, or 127.0.0.1.") from None
    sock = socket.socket(family, kind, proto)
    try:
        if sys.platform != "win32":  # on Windows this flag would let two servers share the port
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno in (errno.EADDRINUSE, getattr(errno, "WSAEADDRINUSE", -1)):
            raise ServerError(f"Port {port} on {host} is already in use by another program "
                              "(GPT4All's server also uses 4891).",
                              "Stop that program or pick another port (--port).") from None
        if exc.errno in (errno.EACCES, getattr(errno, "WSAEACCES", -1)):
            raise ServerError(f"Not allowed to serve on port {port} of {host}.",
                              "Pick a port above 1024 (--port).") from None
        raise ServerError(f"Cannot serve on {host}:{port}: {exc.strerror or exc}.",
                          "Check the host and the port.") from None
    sock.set_inheritable(True)
    return sock


class ApiServer:
    """The API over ``worker`` on ``host``:``port``: ``start()`` it, ``stop()`` it."""

    def __init__(self, worker: "InferenceWorker", *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 api_key: str | None = None, cors_origins: Sequence[str] = (), max_queue: int = MAX_QUEUE,
                 max_body_bytes: int = MAX_BODY_BYTES, models_dir: Path | None = None,
                 load_job: "LoadJobFactory | None" = None, log_contents: bool = False,
                 backends_root: Path | None = None):
        if not is_loopback(host) and not api_key:
            raise ServerError(f"Serving on {host} lets other computers use this one's model, so it "
                              "needs an API key.", "Set one (--api-key), or serve on 127.0.0.1.")
        self.host, self.port = host, port
        self.app = create_app(worker, api_key=api_key, cors_origins=cors_origins, max_queue=max_queue,
                              max_body_bytes=max_body_bytes, models_dir=models_dir, load_job=load_job,
                              log_contents=log_contents, backends_root=backends_root)
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def requests(self):
        """The API's requests in the worker's queue (``in_flight``: running or waiting)."""
        return self.app.state.requests

    @property
    def request_log(self):
        """The RequestLogBook: every request's entry, for the window to show."""
        return self.app.state.request_log

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}/v1"

    def start(self) -> "ApiServer":
        import uvicorn

        sock = bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(self.app, log_config=None, access_log=False, lifespan="off",
                                ws="none", timeout_graceful_shutdown=3)
        self._server = server = uvicorn.Server(config)
        failed: list[BaseException] = []

        def serve():
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # SystemExit from uvicorn included: said by start()
                failed.append(exc)
                log.exception("the API server stopped")
            finally:
                sock.close()

        self._thread = threading.Thread(target=serve, name="api-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not server.started and self._thread.is_alive() and time.monotonic() < deadline:
            self._thread.join(0.02)
        if not server.started:
            raise ServerError(f"The API server did not start on {self.host}:{self.port}.",
                              "The log file has the details.")
        log.info("API server on %s", self.base_url)
        return self

    def stop(self) -> None:
        """Cancel the API's requests, end the streams, free the port. Safe to call twice."""
        self.requests.close()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(STOP_TIMEOUT_S)
            if self._thread.is_alive():
                log.warning("the API server did not stop within %.0f s", STOP_TIMEOUT_S)
            self._thread = None
