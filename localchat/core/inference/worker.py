"""The one thread that talks to llama.cpp, and the FIFO of jobs it runs.

``InferenceWorker`` owns the only ``Engine`` (and so the only ``llama_cpp.Llama``). Clients (the
window through a Qt relay, ``localchat chat``, the API server) ``submit`` jobs and get events
back on the worker's thread through their listeners; nothing else calls llama.cpp.

- Jobs run one at a time, in the order they came: a model load, a chat turn, a raw completion,
  an unload. ``job.started`` says whether a job has left the queue; ``waiting`` counts those that
  have not (the API server's queue limit, the window's "N waiting").
- ``cancel(job)`` ends the running job within one token (or one prompt batch, or one load
  progress step); a queued job is skipped when its turn comes and never runs. Either way the job
  still ends with its final event (``ReplyFinished`` with ``StopReason.CANCELLED``,
  ``ModelFailed(cancelled=True)``), so every client sees how each of its jobs ended. The flag is
  the job's own, so a cancel that lands between taking a job and starting it is not lost.
- Reply text is batched: at most one ``ReplyDelta`` every ``batch_seconds`` (~30 ms), so a fast
  model does not flood a GUI event loop.
- A load with ``ask_first`` does not start when the model needs more memory than is free now
  (but no more than the computer has): it ends with ``ModelFailed`` and the numbers to ask the
  person about in ``job.memory_question``. The model loaded before stays loaded; the client asks
  and submits the load again without ``ask_first`` if the person agrees.
- An ``EmbedJob`` (a batch of document passages, or a question) runs at a lower priority than
  every other job: any other job waiting goes first, so indexing pauses while a reply streams
  and a chat waits for at most one embedding batch. Its embedding model is loaded beside the
  chat model the first time and kept; its vectors (or error) are on the job when ``done`` is set.
  ``wait_quiet`` lets an indexer also hold its own parsing while replies are being written.
- A ``CalibrationJob`` (timing this machine for the speed predictions, seconds, once per build
  and hardware) is as low: it runs when nothing else waits, and a job submitted while it runs
  interrupts it; it goes back to the end of the queue and measures again from the start, so the
  timings never share the cores with a reply.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from typing import TYPE_CHECKING, Callable

from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.chat.tokens import TokenChoice
from localchat.core.errors import LoadCancelledError, LocalChatError

if TYPE_CHECKING:
    from localchat.core.models.defaults import ModelDefaults

from localchat.core.inference.jobs import (
    BACKGROUND_JOBS,
    BATCH_SECONDS,
    REQUEUE,
    CalibrationJob,
    ChatJob,
    CompletionJob,
    EmbedJob,
    Job,
    Listener,
    LoadJob,
    LoadPlan,
    ModelFailed,
    ModelLoaded,
    ModelLoading,
    ModelUnloaded,
    PromptViewJob,
    ReplyDelta,
    ReplyFinished,
    UnloadJob,
    WorkerEvent,
    memory_question,
    plan_load,
    planned_gpu_layers,
)

log = logging.getLogger(__name__)

# the jobs and events live in jobs.py; clients import them from here too
__all__ = [
    "InferenceWorker", "BATCH_SECONDS", "REQUEUE", "Job", "LoadJob", "ChatJob", "CompletionJob",
    "UnloadJob", "PromptViewJob", "EmbedJob", "CalibrationJob", "BACKGROUND_JOBS", "ModelLoading",
    "ModelLoaded", "ModelFailed", "ReplyDelta", "ReplyFinished", "ModelUnloaded", "WorkerEvent",
    "Listener", "planned_gpu_layers", "LoadPlan", "plan_load", "memory_question",
]


class InferenceWorker:
    """One thread, one engine, one FIFO of jobs. ``start()`` it, ``stop()`` it once."""

    def __init__(self, engine=None, *, batch_seconds: float = BATCH_SECONDS):
        if engine is None:
            from localchat.core.inference.engine import Engine

            engine = Engine()
        self.engine = engine
        self.batch_seconds = batch_seconds
        self.model_defaults: "ModelDefaults | None" = None  # the loaded model's, for late clients
        self._jobs: deque[Job] = deque()
        self._running: Job | None = None
        self._wake = threading.Condition()
        self._stopping = False
        self._listeners: list[Listener] = []
        self._embedder = None  # documents.embed.Embedder, loaded by the first EmbedJob
        self._quiet = threading.Event()  # no job but embeddings queued or running
        self._quiet.set()
        self._thread = threading.Thread(target=self._run, name="inference", daemon=True)

    # -- any thread ----------------------------------------------------------------------------
    def start(self) -> "InferenceWorker":
        self._thread.start()
        return self

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(event)`` on the worker's thread for every job's events; returns the
        function that unsubscribes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def submit(self, job: Job) -> Job:
        with self._wake:
            if self._stopping:
                raise LocalChatError("The inference worker has stopped.", "Restart localchat.")
            self._jobs.append(job)
            if not isinstance(job, BACKGROUND_JOBS):
                self._quiet.clear()
            self._wake.notify()
        return job

    def wait_quiet(self, timeout: float | None = None) -> bool:
        """Wait until no job but embeddings is queued or running (no reply being written);
        returns whether that is so."""
        return self._quiet.wait(timeout)

    def cancel(self, job: Job | None = None) -> None:
        """Cancel ``job`` (default: the running one). A queued job never starts; the running one
        ends within a token. Its final event still comes."""
        with self._wake:
            target = job or self._running
            if target is not None:
                target.cancelled = True  # the engine asks the running job's flag between steps

    def cancel_all(self) -> None:
        with self._wake:
            jobs = [*self._jobs, *([self._running] if self._running else [])]
        for job in jobs:
            self.cancel(job)

    @property
    def waiting(self) -> int:
        """Jobs in the queue not yet started, less those cancelled (they end without running)."""
        with self._wake:
            return sum(1 for job in self._jobs if not job.cancelled)

    @property
    def busy(self) -> bool:
        with self._wake:
            return self._running is not None or bool(self._jobs)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def stop(self, timeout: float | None = 30.0) -> bool:
        """Cancel every job, free the model on the worker's thread, end the thread. Returns
        whether it ended within ``timeout``."""
        with self._wake:  # one lock: a job submitted meanwhile is refused, not run uncancelled
            self._stopping = True
            self.cancel_all()
            self._wake.notify()
        if not self._thread.is_alive():
            return True
        if threading.current_thread() is self._thread:  # a listener: the thread ends after it
            return False
        self._thread.join(timeout)
        return not self._thread.is_alive()

    # -- the worker's thread -------------------------------------------------------------------
    def _emit(self, event: WorkerEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:  # a client's bug must not kill the only inference thread
                log.exception("inference listener failed on %s", type(event).__name__)

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._jobs and not self._stopping:
                    self._wake.wait()
                if not self._jobs and self._stopping:
                    break
                job = self._take()
                job.started = True
                self._running = job
            again = False
            try:
                again = self._execute(job) is REQUEUE
            except Exception:  # each job ends in its own final event; this is a last guard
                log.exception("inference job %s failed", type(job).__name__)
            finally:
                with self._wake:
                    self._running = None
                    if again and not self._stopping:
                        self._jobs.append(job)
                    else:
                        again = False
                    if not any(not isinstance(j, BACKGROUND_JOBS) for j in self._jobs):
                        self._quiet.set()
                if not again:
                    job.done.set()
        self._quiet.set()
        try:
            self.engine.close()
            if self._embedder is not None:
                self._embedder.close()
        except Exception:
            log.exception("closing the model failed")

    def _take(self) -> Job:
        """The next job (under the lock): the first that is not a background job, else the first
        question's embedding, else the first."""
        for wanted in (lambda j: not isinstance(j, BACKGROUND_JOBS), lambda j: getattr(j, "query", False)):
            for index, job in enumerate(self._jobs):
                if wanted(job):
                    del self._jobs[index]
                    return job
        return self._jobs.popleft()

    def _execute(self, job: Job) -> object:
        if isinstance(job, LoadJob):
            self._load(job)
        elif isinstance(job, (ChatJob, CompletionJob)):
            self._chat(job)
        elif isinstance(job, UnloadJob):
            self.engine.close()
            self.model_defaults = None
            self._emit(ModelUnloaded(job))
        elif isinstance(job, EmbedJob):
            self._embed(job)
        elif isinstance(job, PromptViewJob):
            self._prompt_view(job)
        elif isinstance(job, CalibrationJob):
            return self._calibrate(job)
        else:
            raise TypeError(f"not an inference job: {job!r}")

    def _load(self, job: LoadJob) -> None:
        if job.cancelled:
            self._emit(ModelFailed(job, "The model load was cancelled.", cancelled=True))
            return
        self._emit(ModelLoading(job))
        try:
            plan = plan_load(job)
            if job.ask_first and (question := memory_question(job, plan)) is not None:
                # before the engine closes the model there is: a "no" leaves it loaded
                job.memory_question = question
                log.info("load of %s waits for a yes: %s", job.path, question.message)
                self._emit(ModelFailed(job, str(question)))
                return
            self.model_defaults = None  # the load closes the model there was
            info = self.engine.load(job.path, n_ctx=plan.n_ctx, n_threads=job.n_threads,
                                    n_gpu_layers=plan.n_gpu_layers, cancelled=lambda: job.cancelled)
        except LoadCancelledError as exc:
            log.info("load of %s cancelled", job.path)
            self._emit(ModelFailed(job, str(exc), cancelled=True))
        except LocalChatError as exc:
            log.warning("load failed: %s", exc)
            self._emit(ModelFailed(job, str(exc)))
        except Exception as exc:  # anything else is a bug, but the app keeps running
            log.exception("unexpected error loading %s", job.path)
            self._emit(ModelFailed(job, f"Unexpected error while loading the model: {exc}"))
        else:
            self.model_defaults = plan.defaults
            self._emit(ModelLoaded(job, info, plan.defaults))

    def _chat(self, job: "ChatJob | CompletionJob") -> None:
        if job.cancelled:
            self._emit(ReplyFinished(job, GenerationStats(StopReason.CANCELLED)))
            return
        pending: list[str] = []
        pending_tokens: list[TokenChoice] = []
        last_sent = time.perf_counter()
        stats: GenerationStats | None = None
        try:
            if isinstance(job, CompletionJob):
                stream = self.engine.stream_text(job.prompt, job.sampling, cancelled=lambda: job.cancelled,
                                                 keep_cache=job.keep_cache)
            else:
                stream = self.engine.stream_chat(job.messages, job.sampling, cancelled=lambda: job.cancelled,
                                                 keep_cache=job.keep_cache, prefix=job.prefix)
            for event in stream:
                if isinstance(event, GenerationStats):
                    stats = event
                    break
                if isinstance(event, TokenChoice):
                    pending_tokens.append(event)
                    continue
                pending.append(event.text)
                now = time.perf_counter()
                if now - last_sent >= self.batch_seconds:
                    self._emit(ReplyDelta(job, "".join(pending), tuple(pending_tokens)))
                    pending.clear()
                    pending_tokens.clear()
                    last_sent = now
        except LocalChatError as exc:
            stats = GenerationStats(StopReason.ERROR, error=str(exc))
        except Exception as exc:
            log.exception("unexpected error while generating")
            stats = GenerationStats(StopReason.ERROR, error=f"Unexpected error while generating: {exc}")
        if pending or pending_tokens:
            self._emit(ReplyDelta(job, "".join(pending), tuple(pending_tokens)))
        if stats is None:  # the stream ended without its record: treat it as cut short
            stats = GenerationStats(StopReason.CANCELLED if job.cancelled else StopReason.ERROR,
                                    error=None if job.cancelled else "The reply ended unexpectedly.")
        self._emit(ReplyFinished(job, stats))

    def _prompt_view(self, job: PromptViewJob) -> None:
        if job.cancelled:
            job.error = "The prompt view was cancelled."
            return
        try:
            job.view = self.engine.prompt_view(job.messages, job.sampling)
        except LocalChatError as exc:
            job.error = str(exc)
        except Exception as exc:
            log.exception("unexpected error while showing the prompt")
            job.error = f"Unexpected error while showing the prompt: {exc}"

    def _other_work_waits(self) -> bool:
        with self._wake:
            return self._stopping or any(not isinstance(j, BACKGROUND_JOBS) for j in self._jobs)

    def _calibrate(self, job: CalibrationJob) -> object:
        """The calibration, measured here: the one thread that runs llama.cpp, with no reply
        sharing the cores. Other work submitted meanwhile interrupts it: measured again later."""
        from localchat.core.models.calibration import (
            MeasurementInterrupted,
            assumed_calibration,
            ensure_calibration,
            measure_calibration,
        )

        if job.cancelled:
            job.calibration = assumed_calibration(job.hardware)
            return None
        def interrupted() -> bool:
            return job.cancelled or self._other_work_waits()

        models = list(job.models) if job.models is not None else None
        try:
            job.calibration = ensure_calibration(job.data_root, job.hardware, measure=lambda hardware: (
                measure_calibration(hardware, models=models, interrupted=interrupted)))
        except MeasurementInterrupted:
            if job.cancelled or self._stopping:
                job.calibration = assumed_calibration(job.hardware)
                return None
            job.interrupted += 1
            log.info("the calibration gave way to other work; it measures again after it")
            return REQUEUE
        return None

    def _embed(self, job: EmbedJob) -> None:
        if job.cancelled:
            job.error = "The embedding was cancelled."
            return
        from localchat.core.documents.embed import Embedder

        try:
            if self._embedder is None or self._embedder.model != job.model:
                if self._embedder is not None:
                    self._embedder.close()
                    self._embedder = None
                self._embedder = Embedder(job.model)
            job.vectors = self._embedder.embed(job.texts, job.prefix)
        except LocalChatError as exc:
            job.error = str(exc)
        except Exception as exc:
            log.exception("unexpected error while embedding")
            job.error = f"Unexpected error while embedding: {exc}"
