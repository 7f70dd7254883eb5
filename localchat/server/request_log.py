"""The API's request log: one entry per request, kept in the app for the window to show and
written as one line to the log file.

An entry holds the time, the endpoint, the status, the model, the tokens and the duration.
Message contents (the request's messages and the reply, each cut to ``CONTENT_CHARS``) are kept
only when the person turned that on; otherwise nothing a person wrote is kept, in the app or in
the log file.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from dataclasses import dataclass

log = logging.getLogger("localchat.server")

KEEP = 500  # entries kept in the app; the log file has them all
CONTENT_CHARS = 4000


@dataclass(frozen=True)
class LoggedRequest:
    at: float  # time.time() when the request came
    method: str
    path: str
    status: int
    duration_s: float
    model: str | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    request_text: str | None = None  # only with contents on
    reply_text: str | None = None

    def line(self) -> str:
        tokens = f"prompt {self.prompt_tokens}, completion {self.completion_tokens} tokens"
        model = f" · {self.model}" if self.model else ""
        out = f"{self.method} {self.path} {self.status}{model} · {tokens} · {self.duration_s:.3f} s"
        if self.request_text is not None:
            out += f"\n  request: {self.request_text}"
        if self.reply_text is not None:
            out += f"\n  reply: {self.reply_text}"
        return out


def cut(text: str) -> str:
    return text if len(text) <= CONTENT_CHARS else text[:CONTENT_CHARS] + "…"


class RequestLogBook:
    """The entries, newest last; ``since(n)`` returns the entries after the first ``n`` ever added
    (a reader keeps its count and polls), safe from any thread."""

    def __init__(self, *, contents: bool = False, keep: int = KEEP):
        self.contents = contents
        self._entries: deque[LoggedRequest] = deque(maxlen=keep)
        self._added = 0
        self._lock = threading.Lock()

    @property
    def added(self) -> int:
        with self._lock:
            return self._added

    def add(self, entry: LoggedRequest) -> None:
        with self._lock:
            self._entries.append(entry)
            self._added += 1
        log.info("%s", entry.line())

    def since(self, seen: int) -> tuple[list[LoggedRequest], int]:
        """The entries added after the first ``seen`` that are still kept, and the new count."""
        with self._lock:
            new = min(self._added - seen, len(self._entries))
            return (list(self._entries)[len(self._entries) - new:] if new > 0 else []), self._added


class RequestLog:
    """ASGI middleware: one entry per HTTP request. The routes put what they know in the
    request's state: ``tokens`` (prompt, completion), ``model``, and with contents on
    ``contents`` (request text, reply text)."""

    def __init__(self, app, book: RequestLogBook):
        self.app = app
        self.book = book

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        at, started = time.time(), time.perf_counter()
        status = 500

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
        try:
            await self.app(scope, receive, sending)
        finally:
            state = scope.get("state", {})
            prompt, completion = state.get("tokens", (0, 0))
            contents = state.get("contents") if self.book.contents else None
            request_text, reply_text = contents or (None, None)
            self.book.add(LoggedRequest(
                at, scope["method"], scope["path"], status, time.perf_counter() - started, state.get("model"),
                prompt, completion,
                None if request_text is None else cut(request_text),
                None if reply_text is None else cut(reply_text)))
