"""The app factory: ``create_app(worker, ...)`` builds a FastAPI app over one inference worker.

Nothing is made at import time; each call makes a new app with its own request queue, so tests
and the window can build as many as they like. Layers, from the outside in: CORS (only when
origins are listed, so a preflight is answered and an error still carries the headers a browser
needs to read it), the request log, the API key, then the routes.
"""

from __future__ import annotations

import hmac
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse

from localchat.server.completions import chat_completions, text_completions
from localchat.server.requests import RequestQueue
from localchat.server.schemas import ApiError, error_body

if TYPE_CHECKING:
    from localchat.core.inference.worker import InferenceWorker

log = logging.getLogger("localchat.server")

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_QUEUE = 16
OPEN_PATHS = ("/health",)  # answered without the key: says only whether a model is loaded


class RequestLog:
    """One line per request in the log file: endpoint, status, tokens, duration; never the
    messages."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)
        try:
            await self.app(scope, receive, sending)
        finally:
            prompt, completion = scope.get("state", {}).get("tokens", (0, 0))
            log.info("%s %s %d · prompt %d, completion %d tokens · %.3f s", scope["method"],
                     scope["path"], status, prompt, completion, time.perf_counter() - started)


class ApiKey:
    """``Authorization: Bearer KEY``, compared in constant time."""

    def __init__(self, app, key: str):
        self.app = app
        self.key = key.encode("utf-8")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            return await self.app(scope, receive, send)
        header = dict(scope["headers"]).get(b"authorization", b"")
        scheme, _, given = header.partition(b" ")
        if scheme.lower() == b"bearer" and hmac.compare_digest(given.strip(), self.key):
            return await self.app(scope, receive, send)
        message = ("Incorrect API key provided." if header else
                   "This server needs an API key: send it as 'Authorization: Bearer KEY'.")
        response = JSONResponse(error_body(message, code="invalid_api_key"), status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        await response(scope, receive, send)


def installed_ids(models_dir: Path | None) -> list[str]:
    if models_dir is None:
        return []
    from localchat.core.models.inventory import ModelInventory

    return sorted({m.model_id or m.name for m in ModelInventory(models_dir).scan()})


def create_app(worker: "InferenceWorker", *, api_key: str | None = None,
               cors_origins: Sequence[str] = (), max_queue: int = MAX_QUEUE,
               max_body_bytes: int = MAX_BODY_BYTES, models_dir: Path | None = None) -> FastAPI:
    """The API over ``worker``. ``app.state.requests`` is its RequestQueue: close it when the
    app stops serving (``ApiServer`` does)."""
    middleware = []
    if cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors_origins),
                                     allow_methods=["GET", "POST", "OPTIONS"],
                                     allow_headers=["Authorization", "Content-Type"], max_age=600))
    middleware.append(Middleware(RequestLog))
    if api_key:
        middleware.append(Middleware(ApiKey, key=api_key))
    app = FastAPI(title="localchat", docs_url=None, redoc_url=None, openapi_url=None,
                  middleware=middleware)
    queue = RequestQueue(worker, max_queue)
    app.state.requests = queue

    @app.exception_handler(ApiError)
    async def on_api_error(request: Request, exc: ApiError):
        return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException):
        return JSONResponse(error_body(str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception):
        log.exception("API request %s failed", request.url.path)
        return JSONResponse(error_body(f"Unexpected error: {exc}", type="server_error"), status_code=500)

    @app.get("/health")
    async def health():
        return {"status": "ok" if queue.model else "loading"}

    @app.get("/v1/models")
    async def models():
        model = queue.model
        data = [{"id": model.id, "object": "model", "created": model.created, "owned_by": "localchat"}
                ] if model else []
        return {"object": "list", "data": data}

    @app.post("/v1/chat/completions")
    async def completions(request: Request):
        return await chat_completions(request, queue, lambda: installed_ids(models_dir), max_body_bytes)

    @app.post("/v1/completions")
    async def text(request: Request):
        return await text_completions(request, queue, lambda: installed_ids(models_dir), max_body_bytes)

    @app.post("/v1/embeddings")
    async def embeddings():
        raise ApiError(404, "No embedding model is loaded: this server answers /v1/chat/completions "
                       "and /v1/completions only for now.", type="invalid_request_error",
                       code="model_not_found")

    return app
