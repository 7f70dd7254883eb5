"""``POST /v1/chat/completions`` and ``POST /v1/completions``: one request, one job of the worker,
streamed or whole. The request's stop strings go to the engine, which ends the reply at them.

Streaming is Server-Sent Events exactly as OpenAI writes them (``data: {json}\\n\\n``, then
``data: [DONE]\\n\\n``), through Starlette's own ``StreamingResponse``: sse-starlette would add a
dependency and its default ``\\r\\n`` line ends and keep-alive comments, none of which a client
of OpenAI's API needs. The response starts once the first text (or the reply's end) is there,
so a prompt too long for the context is still a 400 and not an error inside a 200 stream.

``logprobs`` (and ``top_logprobs``) come from the engine's own loop (``inference.logprobs``): in
OpenAI's shape, ``choices[].logprobs.content[]`` with ``token``, ``logprob``, ``bytes`` and
``top_logprobs[]`` for chat completions, the legacy ``tokens`` / ``token_logprobs`` /
``top_logprobs`` / ``text_offset`` lists for ``/v1/completions``; streamed, each chunk holds
the tokens of its text. The probabilities are the model's own, before the sampling settings.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
import uuid
from dataclasses import dataclass
from typing import AsyncIterator, Sequence

from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from localchat.core.chat.messages import Sampling
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.chat.tokens import TokenChoice
from localchat.core.inference.worker import ReplyDelta
from localchat.server.requests import ApiRequest, RequestQueue, ServedModel
from localchat.server.schemas import (
    ApiError,
    ChatCompletionRequest,
    CompletionRequest,
    SamplingRequest,
    error_body,
    logprobs_of,
    parse_request,
    refuse_unsupported,
    refuse_unsupported_text,
    response_format_of,
    to_messages,
    usage,
)

log = logging.getLogger(__name__)

CONTEXT_MARGIN = 8  # the engine refuses a prompt within this many tokens of the context's end


@dataclass
class Outcome:
    stats: GenerationStats | None = None

    @property
    def finish_reason(self) -> str:
        # a stop string ends the reply as the model's end of turn does: both are "stop"; a
        # structure cut off by the token limit is "length", as OpenAI says it
        if self.stats is not None and self.stats.stop_reason in (StopReason.LENGTH, StopReason.INCOMPLETE):
            return "length"
        return "stop"


async def read_json(request: Request, limit: int) -> object:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large(limit)
        chunks.append(chunk)
    try:
        return json.loads(b"".join(chunks))
    except (ValueError, UnicodeDecodeError) as exc:
        raise ApiError(400, f"The request body is not valid JSON: {exc}.") from None


def too_large(limit: int) -> ApiError:
    return ApiError(413, f"The request body is larger than {limit // (1024 * 1024)} MiB, this server's "
                    "limit.", code="request_too_large")


def sampling_for(req: SamplingRequest, model: ServedModel) -> Sampling:
    changes = {"temperature": req.temperature, "top_p": req.top_p, "seed": req.seed,
               "max_tokens": req.token_limit, "presence_penalty": req.presence_penalty,
               "frequency_penalty": req.frequency_penalty}
    sampling = model.sampling.with_(**{k: v for k, v in changes.items() if v is not None})
    # stops: the engine ends the reply at them, never showing them
    return sampling.with_(stop=req.stops, logprobs=logprobs_of(req))


@dataclass(frozen=True)
class Piece:
    """A batch of the reply: its text and, when asked for, its tokens' probabilities."""

    text: str
    tokens: tuple[TokenChoice, ...] = ()


async def reply_text(request: ApiRequest, outcome: Outcome) -> AsyncIterator[Piece]:
    """The reply as it comes; ``outcome`` holds the stats once it ends."""
    while True:
        event = await request.next_event()
        if isinstance(event, ReplyDelta):
            if event.text or event.tokens:
                yield Piece(event.text, event.tokens)
            continue
        outcome.stats = event.stats
        return


def error_of(stats: GenerationStats, model: ServedModel, param: str = "messages") -> ApiError:
    if stats.completion_tokens == 0 and stats.prompt_tokens + CONTEXT_MARGIN > model.n_ctx:
        return ApiError(400, stats.error or "The prompt is too long for the context.",
                        param=param, code="context_length_exceeded")
    return ApiError(500, stats.error or "The reply failed.", type="server_error")


async def cancel_on_disconnect(request: Request, queue: RequestQueue, job: ApiRequest) -> None:
    """A client that goes away cancels its own job, queued or running."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            log.info("client left; its request is cancelled")
            queue.cancel(job)
            return


class ReplyShape:
    """How one endpoint writes its replies: ``/v1/chat/completions`` (this) or
    ``/v1/completions`` (``TextShape``)."""

    id_prefix, whole_object, chunk_object = "chatcmpl-", "chat.completion", "chat.completion.chunk"
    param = "messages"

    def whole_choice(self, text: str, finish: str, logprobs: dict | None = None) -> dict:
        return {"index": 0, "message": {"role": "assistant", "content": text}, "logprobs": logprobs,
                "finish_reason": finish}

    def first_chunk(self) -> dict | None:
        return {"index": 0, "delta": {"role": "assistant", "content": ""}, "logprobs": None,
                "finish_reason": None}

    def chunk_choice(self, text: str | None, finish: str | None = None, logprobs: dict | None = None) -> dict:
        return {"index": 0, "delta": {} if text is None else {"content": text}, "logprobs": logprobs,
                "finish_reason": finish}

    def logprobs(self, tokens: Sequence[TokenChoice], offset: int = 0) -> dict:
        """OpenAI's ``choices[].logprobs`` of chat completions."""
        return {"content": [{
            "token": t.text, "logprob": t.logprob, "bytes": list(t.piece),
            "top_logprobs": [{"token": a.text, "logprob": a.logprob, "bytes": list(a.piece)}
                             for a in t.alternatives],
        } for t in tokens], "refusal": None}


class TextShape(ReplyShape):
    id_prefix, whole_object, chunk_object, param = "cmpl-", "text_completion", "text_completion", "prompt"

    def whole_choice(self, text: str, finish: str, logprobs: dict | None = None) -> dict:
        return {"index": 0, "text": text, "logprobs": logprobs, "finish_reason": finish}

    def first_chunk(self) -> dict | None:
        return None

    def chunk_choice(self, text: str | None, finish: str | None = None, logprobs: dict | None = None) -> dict:
        return {"index": 0, "text": text or "", "logprobs": logprobs, "finish_reason": finish}

    def logprobs(self, tokens: Sequence[TokenChoice], offset: int = 0) -> dict:
        """The legacy ``logprobs`` of ``/v1/completions``; ``offset``: where the first token's
        text starts in the returned text."""
        offsets = []
        for t in tokens:
            offsets.append(offset)
            offset += len(t.text)
        return {"tokens": [t.text for t in tokens], "token_logprobs": [t.logprob for t in tokens],
                "top_logprobs": [{a.text: a.logprob for a in t.alternatives} for t in tokens],
                "text_offset": offsets}


CHAT, TEXT = ReplyShape(), TextShape()


async def chat_completions(request: Request, queue: RequestQueue, body_limit: int) -> Response:
    req = parse_request(await read_json(request, body_limit), ChatCompletionRequest)
    log_ignored(req)
    refuse_unsupported(req)
    messages = to_messages(req)
    fmt = response_format_of(req)
    async with queue.turn():
        model = await queue.model_for(req.model)
        job = queue.submit(messages, sampling_for(req, model).with_(response_format=fmt))
    keep_contents(request, "\n".join(f"{m.role}: {m.content}" for m in messages))
    return await answer(request, req, model, queue, job, CHAT)


async def text_completions(request: Request, queue: RequestQueue, body_limit: int) -> Response:
    """``POST /v1/completions``: the prompt continued as it is, without the chat template."""
    req = parse_request(await read_json(request, body_limit), CompletionRequest)
    log_ignored(req)
    refuse_unsupported_text(req)
    async with queue.turn():
        model = await queue.model_for(req.model)
        job = queue.submit_text(req.text, sampling_for(req, model))
    keep_contents(request, req.text)
    return await answer(request, req, model, queue, job, TEXT, echo=req.text if req.echo else "")


def keep_contents(request: Request, request_text: str, reply_text: str = "") -> None:
    """What the request log keeps of the messages, when the person turned that on."""
    if request.app.state.request_log.contents:
        request.state.contents = (request_text, reply_text)


def add_reply_text(request: Request, text: str) -> None:
    contents = getattr(request.state, "contents", None)
    if contents is not None:
        request.state.contents = (contents[0], contents[1] + text)


def log_ignored(req: SamplingRequest) -> None:
    if req.model_extra:
        log.info("ignored request fields: %s", ", ".join(sorted(req.model_extra)))


async def answer(request: Request, req: SamplingRequest, model: ServedModel, queue: RequestQueue,
                 job: ApiRequest, shape: ReplyShape, echo: str = "") -> Response:
    request.state.model = model.id
    watcher = asyncio.create_task(cancel_on_disconnect(request, queue, job))
    outcome = Outcome()
    pieces = reply_text(job, outcome)
    wants_logprobs = logprobs_of(req) is not None
    try:
        if not req.stream:
            got = [piece async for piece in pieces]
            text = "".join(p.text for p in got)
            logprobs = None
            if wants_logprobs:
                logprobs = shape.logprobs([t for p in got for t in p.tokens], len(echo))
            return whole_reply(request, model, echo + text, outcome, shape, logprobs)
        first = await anext(pieces, None)
    except BaseException:
        watcher.cancel()
        queue.cancel(job)
        raise
    if first is None and outcome.stats.stop_reason is StopReason.ERROR:
        watcher.cancel()
        raise error_of(outcome.stats, model, shape.param)
    if echo:
        first = Piece(echo + (first.text if first else ""), first.tokens if first else ())
    return StreamingResponse(sse(request, req, model, first, pieces, outcome, queue, job, watcher, shape,
                                 wants_logprobs, len(echo)),
                             media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})


def whole_reply(request: Request, model: ServedModel, text: str, outcome: Outcome,
                shape: ReplyShape, logprobs: dict | None = None) -> Response:
    stats = outcome.stats
    if stats.stop_reason is StopReason.ERROR and not text:
        raise error_of(stats, model, shape.param)
    request.state.tokens = (stats.prompt_tokens, stats.completion_tokens)
    add_reply_text(request, text)
    return JSONResponse({
        "id": f"{shape.id_prefix}{uuid.uuid4().hex}", "object": shape.whole_object,
        "created": int(time.time()), "model": model.id, "system_fingerprint": None,
        "choices": [shape.whole_choice(text, outcome.finish_reason, logprobs)],
        "usage": usage(stats.prompt_tokens, stats.completion_tokens),
    })


def event_line(data: dict) -> bytes:
    return b"data: " + json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"


async def sse(request: Request, req: SamplingRequest, model: ServedModel, first: Piece | None,
              pieces: AsyncIterator[Piece], outcome: Outcome, queue: RequestQueue, job: ApiRequest,
              watcher: asyncio.Task, shape: ReplyShape, wants_logprobs: bool = False,
              offset: int = 0) -> AsyncIterator[bytes]:
    base = {"id": f"{shape.id_prefix}{uuid.uuid4().hex}", "object": shape.chunk_object,
            "created": int(time.time()), "model": model.id, "system_fingerprint": None}
    if req.include_usage:
        base["usage"] = None  # as OpenAI: every chunk names it, the last one holds it

    def chunk(choice: dict) -> bytes:
        return event_line({**base, "choices": [choice]})

    def piece_chunk(piece: Piece) -> bytes:
        nonlocal offset
        add_reply_text(request, piece.text)
        logprobs = None
        if wants_logprobs:
            logprobs = shape.logprobs(piece.tokens, offset)
            offset += sum(len(t.text) for t in piece.tokens)
        return chunk(shape.chunk_choice(piece.text, logprobs=logprobs))
    try:
        opening = shape.first_chunk()
        if opening is not None:
            yield chunk(opening)
        if first is not None:
            yield piece_chunk(first)
            async for piece in pieces:
                yield piece_chunk(piece)
        stats = outcome.stats
        request.state.tokens = (stats.prompt_tokens, stats.completion_tokens)
        if stats.stop_reason is StopReason.ERROR:
            error = error_of(stats, model, shape.param)
            yield event_line(error_body(error.message, type=error.type, code=error.code))
        else:
            yield chunk(shape.chunk_choice(None, outcome.finish_reason))
            if req.include_usage:
                yield event_line({**base, "choices": [],
                                  "usage": usage(stats.prompt_tokens, stats.completion_tokens)})
        yield b"data: [DONE]\n\n"
    finally:  # the client gone (the task cancelled) or the reply done: the job ends either way
        watcher.cancel()
        if outcome.stats is None:
            queue.cancel(job)
