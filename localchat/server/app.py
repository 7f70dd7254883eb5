"""The app factory: ``create_app(worker, ...)`` builds a FastAPI app over one inference worker.

Nothing is made at import time; each call makes a new app with its own request queue, so tests
and the window can build as many as they like. Layers, from the outside in: CORS (only when
origins are listed, so a preflight is answered and an error still carries the headers a browser
needs to read it), the request log, the API key, then the routes.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

from fastapi import FastAPI, Request
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse

from localchat.server.completions import chat_completions, text_completions
from localchat.server.request_log import RequestLog, RequestLogBook
from localchat.server.requests import LoadJobFactory, RequestQueue, api_id
from localchat.server.schemas import ApiError, error_body

if TYPE_CHECKING:
    from localchat.core.inference.worker import InferenceWorker

log = logging.getLogger("localchat.server")

MAX_BODY_BYTES = 8 * 1024 * 1024
MAX_QUEUE = 16
OPEN_PATHS = ("/health",)  # answered without the key: says only whether a model is loaded


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


def create_app(worker: "InferenceWorker", *, api_key: str | None = None,
               cors_origins: Sequence[str] = (), max_queue: int = MAX_QUEUE,
               max_body_bytes: int = MAX_BODY_BYTES, models_dir: Path | None = None,
               load_job: LoadJobFactory | None = None, log_contents: bool = False,
               backends_root: Path | None = None) -> FastAPI:
    """The API over ``worker``. ``app.state.requests`` is its RequestQueue: close it when the
    app stops serving (``ApiServer`` does); ``app.state.request_log`` its RequestLogBook.
    ``models_dir``: the installed models a request may name (and get loaded); ``load_job``:
    how the serving app loads one; ``log_contents``: keep message contents in the request log;
    ``backends_root``: the data folder whose remote backends a request for one's model is told
    to ask directly (their models are not served here)."""
    middleware = []
    if cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=list(cors_origins),
                                     allow_methods=["GET", "POST", "OPTIONS"],
                                     allow_headers=["Authorization", "Content-Type"], max_age=600))
    book = RequestLogBook(contents=log_contents)
    middleware.append(Middleware(RequestLog, book=book))
    if api_key:
        middleware.append(Middleware(ApiKey, key=api_key))
    app = FastAPI(title="localchat", docs_url=None, redoc_url=None, openapi_url=None,
                  middleware=middleware)
    queue = RequestQueue(worker, max_queue, models_dir=models_dir, load_job=load_job,
                         backends_root=backends_root)
    app.state.requests = queue
    app.state.request_log = book

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
        """The loaded model first, then every other installed model (a request naming one loads it)."""
        model = queue.model
        data = [{"id": model.id, "object": "model", "created": model.created, "owned_by": "localchat"}
                ] if model else []
        for installed in await queue.installed():
            if model is None or not (model.names & {api_id(installed), installed.path.name}):
                data.append({"id": api_id(installed), "object": "model",
                             "created": int(installed.path.stat().st_mtime) if installed.path.exists() else 0,
                             "owned_by": "localchat"})
        return {"object": "list", "data": data}

    @app.post("/v1/chat/completions")
    async def completions(request: Request):
        return await chat_completions(request, queue, max_body_bytes)

    @app.post("/v1/completions")
    async def text(request: Request):
        return await text_completions(request, queue, max_body_bytes)

    @app.post("/v1/embeddings")
    async def embeddings(request: Request):
        from localchat.server.embeddings import embeddings as embed

        return await embed(request, queue, max_body_bytes)

    return app
