"""A remote OpenAI-compatible server (Ollama, vLLM, llama.cpp's server, LM Studio, another
localchat) as a chat backend, used like the local inference worker.

``RemoteBackend`` runs the ``ChatJob``s submitted to it one at a time on a thread of its own,
streams each reply with the official ``openai`` client, and hands its listeners the events the
worker hands them: ``ReplyDelta`` batches of text and one ``ReplyFinished`` per job, whose
``GenerationStats`` take the server's usage and finish reason, with the time to first token and
tokens per second measured here. ``cancel(job)`` ends a reply at the next chunk, or at once by
closing the connection when the server stalls. A failure is a ``GenerationStats`` with
``StopReason.ERROR`` and a message that names the server and says what to do; the text that
came before it is the reply so far, as with the local engine.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from localchat.core.backends.config import BackendConfig, BackendError
from localchat.core.backends.remote_tokens import RemoteTokens, logprobs_arguments
from localchat.core.chat.messages import Sampling
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.errors import LocalChatError
from localchat.core.inference.worker import BATCH_SECONDS, ChatJob, ReplyDelta, ReplyFinished

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10.0
READ_TIMEOUT_S = 120.0  # between two chunks: a model may think long before its first token
NO_KEY = "none"  # what goes in the Authorization header of a server that needs no key


def make_client(config: BackendConfig, api_key: str | None, *, read_timeout: float = READ_TIMEOUT_S):
    """The ``openai`` client for ``config``: its base URL only, no redirects (the key never leaves
    for another host), TLS verified as the HTTP client does by default, no retries of our own."""
    import openai

    timeout = openai.Timeout(read_timeout, connect=CONNECT_TIMEOUT_S)
    http = openai.DefaultHttpxClient(follow_redirects=False, timeout=timeout)
    return openai.OpenAI(base_url=config.base_url, api_key=api_key or NO_KEY, max_retries=0,
                         timeout=timeout, http_client=http)


def explain(exc: BaseException, config: BackendConfig, model: str | None = None, *,
            read_timeout: float = READ_TIMEOUT_S) -> str:
    """What a person reads when a request to ``config`` failed."""
    import openai

    host = config.host
    if isinstance(exc, openai.APITimeoutError):
        return f"{host} did not answer within {read_timeout:.0f} s. Try again, or check the server."
    if isinstance(exc, openai.APIConnectionError):
        cause = exc.__cause__ or exc.__context__
        reason = str(cause) if cause else str(exc)
        return f"Cannot reach {host}: {reason}. Check that the server runs and the address is right."
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        said = server_message(exc)
        if status in (401, 403):
            why = "the API key is not accepted" if config.has_key else "it needs an API key"
            return f"{host} refused the request (HTTP {status}): {why}. {said}".strip()
        if status == 404:
            what = f"the model {model!r}" if model else "what was asked"
            return f"{host} does not have {what} (HTTP 404). {said}".strip()
        if status in (429, 503):
            after = exc.response.headers.get("retry-after") if exc.response is not None else None
            wait = f" Try again in {after} s." if after else " Try again shortly."
            return f"{host} is busy (HTTP {status}).{wait} {said}".strip()
        return f"{host} answered HTTP {status}. {said}".strip()
    return f"The reply from {host} failed: {exc}"


def server_message(exc) -> str:
    body = getattr(exc, "body", None)  # the error object of the answer, when it was JSON
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    message = body.get("message") if isinstance(body, dict) else None
    return f"The server says: {message}" if isinstance(message, str) and message else ""


def schema_format(schema: dict, name: str, form: str = "json_schema") -> dict:
    """``response_format`` for a JSON schema: OpenAI's ``json_schema`` type, or (``form`` =
    "json_object") llama.cpp's ``json_object`` with a ``schema``, the one llama-cpp-python's
    server takes (the probe finds which)."""
    if form == "json_object":
        return {"type": "json_object", "schema": schema}
    return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}


def response_format_argument(fmt, schema_form: str = "json_schema") -> dict | None:
    """A response format as OpenAI's ``response_format`` (None for free text). A GBNF grammar has
    no OpenAI form: it goes as llama.cpp's ``grammar`` field, which its servers read."""
    import json

    from localchat.core.chat.messages import FormatKind

    if fmt.kind is FormatKind.JSON:
        return {"response_format": {"type": "json_object"}}
    if fmt.kind is FormatKind.JSON_SCHEMA:
        return {"response_format": schema_format(json.loads(fmt.source), fmt.name or "reply", schema_form)}
    if fmt.kind is FormatKind.GRAMMAR:
        return {"extra_body": {"grammar": fmt.source}}
    return None


def request_arguments(job: ChatJob, sampling: Sampling, model: str, *, usage: bool,
                      logprobs: bool = True, schema_form: str = "json_schema") -> dict:
    """The streamed request for ``job``; ``logprobs``: the server gives token probabilities, so
    they are asked for when the sampling wants them; ``schema_form``: see ``schema_format``."""
    args = {
        "model": model,
        "messages": [{"role": m.role, "content": m.content} for m in job.messages],
        "stream": True,
        "temperature": sampling.temperature,
        "top_p": sampling.top_p,
        "max_tokens": sampling.max_tokens,
    }
    if sampling.seed is not None:
        args["seed"] = sampling.seed
    if sampling.stop:
        args["stop"] = list(sampling.stop)
    if sampling.presence_penalty:
        args["presence_penalty"] = sampling.presence_penalty
    if sampling.frequency_penalty:
        args["frequency_penalty"] = sampling.frequency_penalty
    if usage:
        args["stream_options"] = {"include_usage": True}
    if logprobs:
        args.update(logprobs_arguments(sampling.logprobs))
    structured = response_format_argument(sampling.response_format, schema_form)
    if structured:
        args.update(structured)
    return args


@dataclass
class _Running:
    job: ChatJob
    inbox: queue.Queue | None = None  # where the stream's reader puts what comes


class RemoteBackend:
    """Chat replies from ``config``'s server, for ``model``. ``start()`` it, ``stop()`` it once."""

    def __init__(self, config: BackendConfig, api_key: str | None = None, *, model: str | None = None,
                 batch_seconds: float = BATCH_SECONDS, read_timeout: float = READ_TIMEOUT_S,
                 stream_usage: bool = True, logprobs: bool = True, schema_form: str = "json_schema"):
        """``stream_usage``: ask for the usage at the end of the stream (a probe says whether the
        server takes ``stream_options``); without it completion tokens are counted by chunks.
        ``logprobs``: ask for the tokens' probabilities when a reply's sampling wants them (a
        probe says whether the server gives them); without it such a reply has none.
        ``schema_form``: how a JSON schema is asked (``schema_format``; a probe says which)."""
        self.config = config
        self.model = model
        self.batch_seconds = batch_seconds
        self.read_timeout = read_timeout
        self.stream_usage = stream_usage
        self.logprobs = logprobs
        self.schema_form = schema_form
        self._client = make_client(config, api_key, read_timeout=read_timeout)
        self._jobs: deque[ChatJob] = deque()
        self._running: _Running | None = None
        self._wake = threading.Condition()
        self._stopping = False
        self._listeners: list[Callable] = []
        self._thread = threading.Thread(target=self._run, name=f"backend-{config.name}", daemon=True)

    @property
    def name(self) -> str:
        return self.config.name

    # -- any thread ----------------------------------------------------------------------------
    def start(self) -> RemoteBackend:
        self._thread.start()
        return self

    def subscribe(self, listener: Callable) -> Callable[[], None]:
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def submit(self, job: ChatJob) -> ChatJob:
        if not isinstance(job, ChatJob):
            raise BackendError(f"{self.name} answers chat replies only.")
        with self._wake:
            if self._stopping:
                raise LocalChatError(f"The backend {self.name} has stopped.", "Restart localchat.")
            self._jobs.append(job)
            self._wake.notify()
        return job

    def cancel(self, job: ChatJob | None = None) -> None:
        """End ``job`` (default: the running one) at its next chunk; a stalled stream is closed."""
        with self._wake:
            running = self._running
            target = job or (running.job if running else None)
            if target is None:
                return
            target.cancelled = True
            inbox = running.inbox if running is not None and running.job is target else None
        if inbox is not None:
            inbox.put(("cancel", None))  # the job ends now, even while the server stalls

    def stop(self, timeout: float | None = 10.0) -> bool:
        with self._wake:
            self._stopping = True
            for job in self._jobs:
                job.cancelled = True
            self._wake.notify()
        self.cancel()
        self._thread.join(timeout)
        self._client.close()
        return not self._thread.is_alive()

    # -- the backend's thread ------------------------------------------------------------------
    def _emit(self, event) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception:
                log.exception("a backend listener failed")

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._jobs and not self._stopping:
                    self._wake.wait()
                if not self._jobs:
                    return
                job = self._jobs.popleft()
                job.started = True
                self._running = _Running(job)
            try:
                stats = self._reply(job)
            except Exception as exc:  # never lose the job's final event
                log.exception("a reply from %s failed", self.name)
                stats = GenerationStats(StopReason.ERROR,
                                        error=f"The reply from {self.config.host} failed: {exc}")
            with self._wake:
                self._running = None
            self._emit(ReplyFinished(job, stats))
            job.done.set()

    def _reply(self, job: ChatJob) -> GenerationStats:
        """Stream one reply. The connection is read on a thread of its own, so a cancel ends the
        job at once even while the server stalls; that thread ends with the connection."""
        if job.cancelled:
            return GenerationStats(StopReason.CANCELLED)
        if not self.model:
            return GenerationStats(StopReason.ERROR, error=f"No model of {self.name} is chosen.")
        started = time.perf_counter()
        first_at = None
        chunks = 0
        usage = None
        finish = None
        pending: list[str] = []
        pending_tokens: list = []  # TokenChoices of the text in pending (and any held before it)
        asked = self.logprobs and job.sampling.logprobs is not None
        scored = RemoteTokens(job.sampling.logprobs) if asked else None
        whole: list[str] = []  # the reply so far, for the check of a structured one
        last_flush = started
        inbox: queue.Queue = queue.Queue()
        with self._wake:
            if self._running is not None:
                self._running.inbox = inbox
        arguments = request_arguments(job, job.sampling, self.model, usage=self.stream_usage,
                                      logprobs=self.logprobs, schema_form=self.schema_form)
        threading.Thread(target=self._read, args=(arguments, job, inbox), daemon=True,
                         name=f"backend-{self.name}-stream").start()

        def flush() -> None:
            if pending or pending_tokens:
                self._emit(ReplyDelta(job, "".join(pending), tuple(pending_tokens)))
                pending.clear()
                pending_tokens.clear()

        def stats(reason: StopReason, **more) -> GenerationStats:
            tokens = scored.reply_tokens() if scored is not None else None
            return self._stats(reason, started, first_at, chunks, usage, tokens=tokens, **more)

        while True:
            kind, value = inbox.get()
            if job.cancelled or kind == "cancel":
                flush()
                return stats(StopReason.CANCELLED)
            if kind == "error":
                flush()
                message = explain(value, self.config, self.model, read_timeout=self.read_timeout)
                if chunks:
                    message = (f"The connection to {self.config.host} broke after {chunks} pieces of the "
                               f"reply; what came is kept. ({message})")
                log.warning("%s", message)
                return stats(StopReason.ERROR, error=message)
            if kind == "end":
                break
            if getattr(value, "usage", None) is not None:
                usage = value.usage
            first = first_at is None
            for choice in value.choices or ():
                if scored is not None:  # a token's probabilities come before its text, as locally
                    pending_tokens.extend(scored.feed(getattr(choice, "logprobs", None)))
                text = choice.delta.content if choice.delta is not None else None
                if text:
                    if first_at is None:
                        first_at = time.perf_counter()
                    chunks += 1
                    pending.append(text)
                    whole.append(text)
                if choice.finish_reason:
                    finish = choice.finish_reason
            now = time.perf_counter()
            # the first text goes out at once (the time to first token is the person's wait); the
            # rest in batches, as the local engine's
            if pending and (first or now - last_flush >= self.batch_seconds):
                flush()
                last_flush = now
        flush()
        if finish is None:
            message = (f"The stream from {self.config.host} ended after {chunks} pieces, before the reply "
                       "did; what came is kept.")
            return stats(StopReason.ERROR, error=message)
        reason = StopReason.LENGTH if finish == "length" else StopReason.EOS
        validation = None
        fmt = job.sampling.response_format
        if fmt.is_structured:  # checked here too: a server may not hold the reply to it
            from localchat.core.chat.structured import check_reply

            validation = check_reply("".join(whole), fmt, complete=reason is StopReason.EOS)
            if reason is StopReason.LENGTH and not validation.valid:
                reason = StopReason.INCOMPLETE
        return stats(reason, validation=validation)

    def _read(self, arguments: dict, job: ChatJob, inbox: queue.Queue) -> None:
        stream = None
        try:
            stream = self._client.chat.completions.create(**arguments)
            for chunk in stream:
                inbox.put(("chunk", chunk))
                if job.cancelled:
                    return
            inbox.put(("end", None))
        except Exception as exc:
            inbox.put(("error", exc))
        finally:
            if stream is not None:
                try:
                    stream.close()
                except Exception as exc:
                    log.debug("closing a reply's stream: %s", exc)

    def _stats(self, reason: StopReason, started: float, first_at: float | None, chunks: int, usage,
               error: str | None = None, validation=None, tokens=None) -> GenerationStats:
        ended = time.perf_counter()
        completion = getattr(usage, "completion_tokens", None) or chunks
        prompt = getattr(usage, "prompt_tokens", None) or 0
        decode_s = ended - first_at if first_at is not None else 0.0
        return GenerationStats(
            reason, prompt_tokens=prompt, evaluated_prompt_tokens=prompt, completion_tokens=completion,
            time_to_first_token_s=(first_at - started) if first_at is not None else 0.0,
            tokens_per_s=(completion - 1) / decode_s if decode_s > 0 and completion > 1 else 0.0,
            total_s=ended - started, error=error, validation=validation, tokens=tokens)


