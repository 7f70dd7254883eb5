"""What the API reads and writes, as OpenAI's ``openai`` package sends and expects it.

Requests are typed pydantic models that accept any field: a field we do not know is ignored and
its name logged, never refused (a server that refuses one breaks every client that sends it).
Errors take OpenAI's shape, ``{"error": {"message", "type", "param", "code"}}``, which the
``openai`` package turns into its own exceptions with the message.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message


class ApiError(Exception):
    """An answer other than 200, with the message a client shows."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error",
                 param: str | None = None, code: str | None = None, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = status, message, type, param, code
        self.headers = headers or {}

    def body(self) -> dict:
        return error_body(self.message, type=self.type, param=self.param, code=self.code)


def error_body(message: str, *, type: str = "invalid_request_error", param: str | None = None,
               code: str | None = None) -> dict:
    return {"error": {"message": message, "type": type, "param": param, "code": code}}


class Lenient(BaseModel):
    model_config = ConfigDict(extra="allow")


class ContentPart(Lenient):
    type: str
    text: str | None = None


class ChatMessage(Lenient):
    role: str
    content: str | list[ContentPart] | None = None


class StreamOptions(Lenient):
    include_usage: bool = False


class SamplingRequest(Lenient):
    """What chat and text completions share: the model, streaming, and how tokens are chosen."""

    model: str | None = None
    stream: bool = False
    stream_options: StreamOptions | None = None
    max_tokens: int | None = Field(None, ge=1)
    temperature: float | None = Field(None, ge=0, le=2)
    top_p: float | None = Field(None, ge=0, le=1)
    stop: str | list[str] | None = None
    seed: int | None = None
    n: int | None = Field(None, ge=1)
    presence_penalty: float | None = Field(None, ge=-2, le=2)
    frequency_penalty: float | None = Field(None, ge=-2, le=2)

    @property
    def token_limit(self) -> int | None:
        return self.max_tokens

    @property
    def stops(self) -> tuple[str, ...]:
        if self.stop is None:
            return ()
        return tuple(s for s in ([self.stop] if isinstance(self.stop, str) else self.stop) if s)

    @property
    def include_usage(self) -> bool:
        return bool(self.stream and self.stream_options and self.stream_options.include_usage)


class ChatCompletionRequest(SamplingRequest):
    messages: list[ChatMessage] = Field(min_length=1)
    max_completion_tokens: int | None = Field(None, ge=1)
    logprobs: bool | None = None
    top_logprobs: int | None = None
    response_format: dict[str, Any] | None = None

    @property
    def token_limit(self) -> int | None:
        return self.max_completion_tokens or self.max_tokens


TEXT_MAX_TOKENS = 16  # OpenAI's default for /v1/completions


class CompletionRequest(SamplingRequest):
    prompt: str | list[str]
    echo: bool = False
    suffix: str | None = None
    best_of: int | None = Field(None, ge=1)
    logprobs: int | None = None

    @property
    def token_limit(self) -> int:
        return self.max_tokens or TEXT_MAX_TOKENS

    @property
    def text(self) -> str:
        return self.prompt if isinstance(self.prompt, str) else self.prompt[0]


MAX_TOP_LOGPROBS = 20  # as OpenAI's chat completions


def logprobs_of(req: "ChatCompletionRequest | CompletionRequest") -> int | None:
    """``Sampling.logprobs`` for a request: None when it asks for no probabilities."""
    if isinstance(req, ChatCompletionRequest):
        return (req.top_logprobs or 0) if req.logprobs else None
    return req.logprobs


ROLES = {SYSTEM: SYSTEM, "developer": SYSTEM, USER: USER, ASSISTANT: ASSISTANT}


def parse_request(raw: object, kind: type[SamplingRequest] = ChatCompletionRequest):
    """The request, or a 400 naming the first field that is wrong."""
    if not isinstance(raw, dict):
        raise ApiError(400, "The request body must be a JSON object.")
    try:
        return kind.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        param = ".".join(str(p) for p in first["loc"]) or None
        raise ApiError(400, f"Invalid value for '{param}': {first['msg']}.", param=param) from None


def refuse_unsupported(req: ChatCompletionRequest) -> None:
    """A clear 400 for what would otherwise be answered wrongly without a word."""
    if req.n is not None and req.n > 1:
        raise ApiError(400, "Only n=1 is supported: one reply per request.", param="n")
    if req.top_logprobs is not None and not req.logprobs:
        raise ApiError(400, "top_logprobs needs logprobs: true.", param="top_logprobs")
    if req.top_logprobs is not None and not 0 <= req.top_logprobs <= MAX_TOP_LOGPROBS:
        raise ApiError(400, f"top_logprobs must be from 0 to {MAX_TOP_LOGPROBS}.", param="top_logprobs")


def response_format_of(req: ChatCompletionRequest):
    """The request's ``response_format`` as a checked ResponseFormat (free text when absent); a
    schema or grammar that cannot be held to is a 400 naming what is wrong and where."""
    from localchat.core.inference.grammar import ResponseFormatError, from_openai

    try:
        return from_openai(req.response_format)
    except ResponseFormatError as exc:
        raise ApiError(400, str(exc), param="response_format", code="invalid_response_format") from None


def refuse_unsupported_text(req: CompletionRequest) -> None:
    if (req.n or 1) > 1 or (req.best_of or 1) > 1:
        raise ApiError(400, "Only n=1 and best_of=1 are supported: one completion per request.", param="n")
    if isinstance(req.prompt, list) and len(req.prompt) != 1:
        raise ApiError(400, "Give one prompt per request (a string, or a list of one string).",
                       param="prompt")
    if req.logprobs is not None and not 0 <= req.logprobs <= MAX_TOP_LOGPROBS:
        raise ApiError(400, f"logprobs must be from 0 to {MAX_TOP_LOGPROBS}.", param="logprobs")
    if req.suffix:
        raise ApiError(400, "suffix (filling in the middle) is not supported.", param="suffix")


def to_messages(req: ChatCompletionRequest) -> list[Message]:
    out = []
    for i, m in enumerate(req.messages):
        role = ROLES.get(m.role)
        if role is None:
            raise ApiError(400, f"Messages with role {m.role!r} are not supported; use system, user "
                           "or assistant.", param=f"messages.{i}.role")
        content = m.content
        if isinstance(content, list):
            if any(p.type != "text" for p in content):
                raise ApiError(400, "Only text content is supported.", param=f"messages.{i}.content")
            content = "".join(p.text or "" for p in content)
        out.append(Message(role, content or ""))
    return out


FinishReason = Literal["stop", "length"]


def usage(prompt_tokens: int, completion_tokens: int) -> dict:
    return {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens}
