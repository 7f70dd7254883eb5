"""API requests as jobs of the inference worker, awaited on the server's event loop.

The worker hands events to its listeners on its own thread; each request's events go to that
request's asyncio queue through the loop's thread-safe call, so the event loop never blocks on
llama.cpp and a request sees only its own job. A request never cancels another: each cancels
its own job (a client gone, a stop string written), and the worker ends it within one token.

A request that names another installed model loads it first: the load goes into the worker's
FIFO like any job (the window sees it load), and requests take their turns one at a time while
they pick their model and submit, so a reply always runs on the model its request named.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, AsyncIterator, Callable, Sequence

from localchat.core.chat.messages import Message, Sampling
from localchat.core.errors import LocalChatError
from localchat.core.inference.worker import (
    ChatJob,
    CompletionJob,
    LoadJob,
    ModelFailed,
    ModelLoaded,
    ModelUnloaded,
    ReplyFinished,
    WorkerEvent,
)
from localchat.server.schemas import ApiError

if TYPE_CHECKING:
    from localchat.core.inference.worker import InferenceWorker
    from localchat.core.models.inventory import InstalledModel

log = logging.getLogger(__name__)

RETRY_AFTER_S = 5

LoadJobFactory = Callable[[Path], LoadJob]  # how the app that serves loads a model (its settings, catalog)


def installed_models(models_dir: Path | None) -> "list[InstalledModel]":
    if models_dir is None:
        return []
    from localchat.core.models.inventory import ModelInventory

    return ModelInventory(models_dir).scan()


def model_names(model: "InstalledModel") -> set[str]:
    """Every name a request may give for an installed model."""
    return {n for n in (model.model_id, model.name, model.path.stem, model.path.name) if n}


def remote_refusal(root: Path | None, wanted: str) -> str:
    """What a refusal adds when the data folder has remote backends: their models are not served
    here. Forwarding a request would spend the backend's API key (kept for this person) on
    behalf of whichever client this server lets in, so a client asks the backend itself."""
    if root is None:
        return ""
    from localchat.core.backends.config import BackendStore, split_answered_by

    configs = BackendStore(root).all()
    if not configs:
        return ""
    named = split_answered_by(wanted)
    config = next((c for c in configs if named and c.name == named[1]), None)
    if config is not None:
        return (f" {named[0]!r} is a model of the remote backend {config.name}: this server answers with "
                f"this computer's models only. Ask {config.name} at its own address, {config.base_url}.")
    return (" The remote backends' models (" + ", ".join(c.name for c in configs) + ") are not served "
            "here: ask those servers at their own addresses.")


def api_id(model: "InstalledModel") -> str:
    return model.model_id or model.name


@dataclass(eq=False)
class ApiRequest:
    """One request's job and the queue its events arrive in."""

    job: ChatJob | CompletionJob
    loop: asyncio.AbstractEventLoop
    events: asyncio.Queue = field(default_factory=asyncio.Queue)

    async def next_event(self) -> WorkerEvent:
        return await self.events.get()


@dataclass(frozen=True)
class ServedModel:
    """The loaded model as the API names it: its catalog id when it was installed from the
    catalog, else its file's name without ``.gguf``; ``names`` are every name a request may use."""

    id: str
    names: frozenset[str]
    n_ctx: int
    sampling: Sampling  # the model's own defaults: its catalog entry's, else the app's
    created: int

    @classmethod
    def of(cls, info, sampling: Sampling) -> "ServedModel":
        from localchat.core.models.inventory import ModelInventory

        path = Path(info.path)
        record = ModelInventory(path.parent).record_for(path)
        catalog_id = record.model_id if record else None
        names = {path.stem, path.name, info.name} | ({catalog_id} if catalog_id else set())
        try:
            created = int(path.stat().st_mtime)
        except OSError:
            created = 0
        return cls(catalog_id or path.stem, frozenset(n for n in names if n), info.n_ctx, sampling, created)


class RequestQueue:
    """The API's share of the worker's FIFO: at most ``max_queue`` API requests waiting (not yet
    started; the running one and cancelled ones not counted); one more is answered 503 with
    ``Retry-After``."""

    def __init__(self, worker: "InferenceWorker", max_queue: int = 16, *, models_dir: Path | None = None,
                 load_job: LoadJobFactory | None = None, backends_root: Path | None = None):
        """``models_dir``: the installed models a request may name; ``load_job``: the load the
        app would submit for one of them (default: the model's own context and settings);
        ``backends_root``: the data folder whose remote backends a refusal names."""
        self.worker = worker
        self.max_queue = max_queue
        self.models_dir = models_dir
        self.backends_root = backends_root
        self._load_job = load_job or (lambda path: LoadJob(str(path)))
        self._lock = threading.Lock()
        self._open: dict[ChatJob | CompletionJob, ApiRequest] = {}
        self._loads: dict[LoadJob, tuple[asyncio.AbstractEventLoop, asyncio.Future]] = {}
        self._turns: asyncio.Lock | None = None  # made on the server's event loop
        self._served: ServedModel | None = None
        info = worker.engine.model  # a model the window loaded before the server started
        if info is not None:
            defaults = worker.model_defaults  # its catalog entry's sampling, as the load found it
            self._served = ServedModel.of(info, defaults.sampling if defaults else Sampling())
        self._unsubscribe = worker.subscribe(self._on_event)

    # -- any thread ----------------------------------------------------------------------------
    @property
    def model(self) -> ServedModel | None:
        return self._served

    @property
    def in_flight(self) -> int:
        """API requests queued or running (what the window shows as "API request running / N waiting")."""
        with self._lock:
            return len(self._open)

    @property
    def waiting(self) -> int:
        """API requests in the worker's queue that have not started."""
        with self._lock:
            return sum(1 for job in self._open if not job.started and not job.cancelled)

    def cancel_all(self) -> int:
        """Cancel every API request queued or running (the window's Cancel); the window's own
        replies are not touched. Each client gets its reply as far as it went. Returns how many."""
        with self._lock:
            jobs = list(self._open)
        for job in jobs:
            self.worker.cancel(job)
        return len(jobs)

    def close(self) -> None:
        """Stop following the worker and cancel every API request still open."""
        self._unsubscribe()
        self.cancel_all()

    # -- the event loop ------------------------------------------------------------------------
    @contextlib.asynccontextmanager
    async def turn(self) -> AsyncIterator[None]:
        """One request at a time picks its model (loading it if need be) and submits its job."""
        if self._turns is None:
            self._turns = asyncio.Lock()
        async with self._turns:
            yield

    async def installed(self) -> "list[InstalledModel]":
        return await asyncio.to_thread(installed_models, self.models_dir)

    async def model_for(self, wanted: str | None) -> ServedModel:
        """The model that answers a request naming ``wanted`` (None: the loaded one): the loaded
        model, or an installed one loaded now. Call it inside ``turn()``."""
        model = self._served
        if model is not None and (not wanted or wanted in model.names):
            return model
        if not wanted:
            raise ApiError(503, "No model is loaded yet.", type="server_error", code="model_not_loaded",
                           headers={"Retry-After": str(RETRY_AFTER_S)})
        installed = await self.installed()
        match = next((m for m in installed if wanted in model_names(m)), None)
        if match is None:
            ids = sorted({api_id(m) for m in installed} | ({model.id} if model else set()))
            remote = await asyncio.to_thread(remote_refusal, self.backends_root, wanted)
            raise ApiError(404, f"The model {wanted!r} is not installed here. Models: "
                           f"{', '.join(ids) or 'none'}.{remote}", param="model", code="model_not_found")
        return await self._load(match)

    async def _load(self, model: "InstalledModel") -> ServedModel:
        job = self._load_job(model.path)
        job.ask_first = True  # a model too big for the free memory is refused, not swapped in
        loop = asyncio.get_running_loop()
        loaded = loop.create_future()
        with self._lock:
            self._loads[job] = (loop, loaded)
        log.info("an API request asks for %s: loading it", model.path.name)
        try:
            self.worker.submit(job)
        except LocalChatError as exc:
            with self._lock:
                self._loads.pop(job, None)
            raise ApiError(503, exc.message, type="server_error") from None
        event = await asyncio.shield(loaded)  # a client that leaves does not stop a load others may want
        if isinstance(event, ModelLoaded):
            return self._served
        reason = str(job.memory_question) if job.memory_question is not None else event.message
        raise ApiError(503, f"Could not load {model.path.name}: {reason}", type="server_error",
                       code="model_load_failed")

    def submit(self, messages: Sequence[Message], sampling: Sampling) -> ApiRequest:
        """A chat reply; its KV cache is not kept aside, so it never pushes the window's out."""
        return self.submit_job(ChatJob(list(messages), sampling, keep_cache=False))

    def submit_text(self, prompt: str, sampling: Sampling) -> ApiRequest:
        """A raw completion of ``prompt``."""
        return self.submit_job(CompletionJob(prompt, sampling))

    def submit_job(self, job: ChatJob | CompletionJob) -> ApiRequest:
        request = ApiRequest(job, asyncio.get_running_loop())
        with self._lock:
            waiting = sum(1 for j in self._open if not j.started and not j.cancelled)
            if waiting >= self.max_queue:
                raise ApiError(503, f"The server is busy: {waiting} requests are waiting. "
                               "Try again shortly.", type="server_error", code="queue_full",
                               headers={"Retry-After": str(RETRY_AFTER_S)})
            self._open[request.job] = request  # before submit: its first event must find it
        try:
            self.worker.submit(request.job)
        except LocalChatError as exc:
            with self._lock:
                self._open.pop(request.job, None)
            raise ApiError(503, exc.message, type="server_error") from None
        return request

    def cancel(self, request: ApiRequest) -> None:
        self.worker.cancel(request.job)

    # -- the worker's thread -------------------------------------------------------------------
    def _on_event(self, event: WorkerEvent) -> None:
        if isinstance(event, ModelLoaded):
            self._served = ServedModel.of(event.info, event.defaults.sampling)
            self._load_ended(event)
            return
        if isinstance(event, (ModelUnloaded, ModelFailed)):
            if self.worker.engine.model is None:  # a failed load may have closed the model before
                self._served = None
            if isinstance(event, ModelFailed):
                self._load_ended(event)
            return
        request = self._open.get(event.job)
        if request is None:
            return
        if isinstance(event, ReplyFinished):
            with self._lock:
                self._open.pop(event.job, None)
        try:
            request.loop.call_soon_threadsafe(request.events.put_nowait, event)
        except RuntimeError:  # the server's loop has closed: nobody waits for this reply
            log.info("an API reply ended after the server stopped")

    def _load_ended(self, event: ModelLoaded | ModelFailed) -> None:
        with self._lock:
            waiting = self._loads.pop(event.job, None)
        if waiting is None:
            return
        loop, loaded = waiting
        with contextlib.suppress(RuntimeError):  # the server's loop has closed
            loop.call_soon_threadsafe(lambda: loaded.done() or loaded.set_result(event))
