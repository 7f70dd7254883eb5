"""What a remote backend can do, asked of it rather than assumed: its models (``/v1/models``),
then a tiny request each for streaming (with the usage at the end), token probabilities (in a
stream, as replies ask for them), JSON schema output, llama.cpp's GBNF grammars and embeddings.
Each ability that is missing says why, so the window can grey it out with the reason.

A structured output is found only when the server holds the reply to it: many OpenAI-compatible
servers accept fields they do not know and ignore them, so a reply to the probe that is not JSON
(for the schema) or not one of the grammar's two words means the server ignores that field."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

from localchat.core.backends.config import BackendConfig, BackendError
from localchat.core.backends.remote import explain, make_client, schema_format
from localchat.core.chat.messages import FormatKind, ResponseFormat
from localchat.core.chat.structured import check_reply

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 30.0
HELLO = [{"role": "user", "content": "Say OK."}]
TINY_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
TINY_GRAMMAR = 'root ::= "yes" | "no"'
PROBE_FORMAT = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(TINY_SCHEMA), name="probe")
ABILITIES = ("streaming", "logprobs", "json_schema", "grammar", "embeddings")


class Ignored(Exception):
    """The server answered, but not as the request's format holds it to: it ignores that field."""


@dataclass(frozen=True)
class Capabilities:
    models: tuple[str, ...]
    streaming: bool = False
    stream_usage: bool = False  # the usage comes at the end of a stream (stream_options)
    logprobs: bool = False
    json_schema: bool = False  # OpenAI's response_format json_schema, and the reply held to it
    grammar: bool = False  # llama.cpp's "grammar" field (GBNF), and the reply held to it
    # how a schema is asked: OpenAI's "json_schema", or llama.cpp's "json_object" with a "schema"
    schema_form: str = "json_schema"
    embeddings: bool = False
    missing: dict[str, str] = field(default_factory=dict)  # ability -> why not

    def summary(self) -> str:
        names = {"streaming": "streaming", "logprobs": "token probabilities",
                 "json_schema": "JSON schema output", "grammar": "GBNF grammars", "embeddings": "embeddings"}
        has = [label for key, label in names.items() if getattr(self, key)]
        return ", ".join(has) if has else "none of " + ", ".join(names.values())


def list_models(config: BackendConfig, api_key: str | None, client=None) -> tuple[str, ...]:
    """The server's model ids that the backend's filter lets through; a clear error when the
    server cannot be asked."""
    import openai

    client = client or make_client(config, api_key, read_timeout=PROBE_TIMEOUT_S)
    try:
        ids = [m.id for m in client.models.list()]
    except openai.OpenAIError as exc:
        raise BackendError(explain(exc, config, read_timeout=PROBE_TIMEOUT_S)) from None
    return tuple(i for i in ids if config.shows(i))


def probe(config: BackendConfig, api_key: str | None, model: str | None = None) -> Capabilities:
    """Ask the server what it can do; ``model`` (default: its first) answers the tiny requests."""
    import openai

    client = make_client(config, api_key, read_timeout=PROBE_TIMEOUT_S)
    try:
        models = list_models(config, api_key, client)
        model = model or (models[0] if models else None)
        if model is None:
            return Capabilities(models, missing={k: "the server lists no model" for k in ABILITIES})
        found: dict[str, bool] = {}
        missing: dict[str, str] = {}

        def attempt(name: str, call) -> None:
            try:
                found[name] = bool(call())
                if not found[name]:
                    missing[name] = "the server's answer did not have it"
            except openai.OpenAIError as exc:
                found[name] = False
                missing[name] = explain(exc, config, model, read_timeout=PROBE_TIMEOUT_S)
            except Ignored as exc:
                found[name] = False
                missing[name] = str(exc)
            except Exception as exc:  # a server that answers something else than OpenAI's shape
                found[name] = False
                missing[name] = f"unexpected answer: {exc}"

        def streams_with_usage() -> bool:
            chunks = list(client.chat.completions.create(model=model, messages=HELLO, max_tokens=2,
                                                         stream=True, stream_options={"include_usage": True}))
            found["stream_usage"] = any(getattr(c, "usage", None) for c in chunks)
            return bool(chunks)

        def streams() -> bool:
            if found.get("streaming"):
                return True
            return bool(list(client.chat.completions.create(model=model, messages=HELLO, max_tokens=2,
                                                            stream=True)))

        def logprobs() -> bool:  # streamed, as replies ask for them
            # read to its end, as a reply's stream is
            chunks = list(client.chat.completions.create(model=model, messages=HELLO, max_tokens=2,
                                                         stream=True, logprobs=True, top_logprobs=2))
            return any(getattr(choice.logprobs, "content", None) for chunk in chunks
                       for choice in chunk.choices or ())

        def json_schema() -> bool:
            found["schema_form"] = _schema_form(client, model) == "json_object"
            return True

        def grammar() -> bool:
            reply = client.chat.completions.create(model=model, messages=HELLO, max_tokens=4, temperature=0,
                                                   extra_body={"grammar": TINY_GRAMMAR})
            text = _said(reply).strip()
            if text not in ("yes", "no"):
                raise Ignored(f"the server ignores llama.cpp's grammar field: held to yes or no, it "
                              f"answered {text[:40]!r}")
            return True

        def embeddings() -> bool:
            return bool(client.embeddings.create(model=model, input="probe").data)

        attempt("streaming", streams_with_usage)
        if not found["streaming"]:  # a server that refuses stream_options may still stream
            missing.pop("streaming", None)
            attempt("streaming", streams)
        attempt("logprobs", logprobs)
        attempt("json_schema", json_schema)
        attempt("grammar", grammar)
        attempt("embeddings", embeddings)
        return Capabilities(models, streaming=found["streaming"],
                            stream_usage=found.get("stream_usage", False), logprobs=found["logprobs"],
                            json_schema=found["json_schema"], grammar=found["grammar"],
                            schema_form="json_object" if found.get("schema_form") else "json_schema",
                            embeddings=found["embeddings"], missing=missing)
    finally:
        client.close()


def _said(reply) -> str:
    return (reply.choices[0].message.content or "") if reply.choices else ""


def _held_to_schema(client, model: str, form: str) -> None:
    """Raises ``Ignored`` unless the server held the probe's reply to its schema asked in ``form``."""
    reply = client.chat.completions.create(model=model, messages=HELLO, max_tokens=16, temperature=0,
                                           response_format=schema_format(TINY_SCHEMA, "probe", form))
    text = _said(reply)
    complete = bool(reply.choices) and reply.choices[0].finish_reason == "stop"
    if check_reply(text, PROBE_FORMAT, complete=complete).valid:
        return
    if not complete and text.lstrip().startswith("{"):  # cut short inside the object
        return
    raise Ignored(f"the server ignores it: asked for JSON with a schema, it answered {text[:40]!r}")


def _schema_form(client, model: str) -> str:
    """How the server takes a JSON schema: OpenAI's form, else llama.cpp's (``json_object`` with
    a ``schema``), which llama-cpp-python's server takes instead. Raises the first form's refusal
    (an ``openai`` error, or ``Ignored``) when neither is held to."""
    import openai

    try:
        _held_to_schema(client, model, "json_schema")
        return "json_schema"
    except (openai.APIStatusError, Ignored) as first:
        try:
            _held_to_schema(client, model, "json_object")
            return "json_object"
        except (openai.APIStatusError, Ignored):
            raise first from None


def schema_form(config: BackendConfig, api_key: str | None, model: str) -> str:
    """``Capabilities.schema_form`` alone, for a client that asks for a schema without a whole
    probe (``localchat chat --backend``); OpenAI's form when neither is held to (the reply then
    says the server's refusal)."""
    client = make_client(config, api_key, read_timeout=PROBE_TIMEOUT_S)
    try:
        return _schema_form(client, model)
    except Exception as exc:
        log.info("%s takes no JSON schema: %s", config.name, exc)
        return "json_schema"
    finally:
        client.close()
