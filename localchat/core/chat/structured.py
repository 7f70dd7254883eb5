"""Structured replies checked after they are written: the reply parsed as JSON and validated
against the conversation's schema with ``jsonschema``; the result is kept with the message.

The grammar (``core/inference/grammar``) holds a reply to its shape while it is sampled; this
module says whether the finished text really is what was asked for (a reply cut off by the token
limit is not, and neither is one whose schema asks for more than a grammar can hold), and where
it first goes wrong. It also writes the sentence that describes a schema to the model."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from localchat.core.chat.messages import SYSTEM, FormatKind, Message, ResponseFormat


@dataclass(frozen=True)
class ReplyCheck:
    """The check of one finished reply against its response format.

    ``valid``: the reply parses as JSON (for JSON and JSON schema) and follows the schema.
    ``error``: the first problem, in a sentence; ``where``: its place in the reply as a JSON
    pointer ("/items/2"), "" for the whole reply. ``kind``: the format it was checked against."""

    valid: bool
    kind: str = FormatKind.JSON.value
    error: str = ""
    where: str = ""

    @property
    def summary(self) -> str:
        """What a badge shows: "valid JSON", or the error and where."""
        if self.valid:
            return "follows the grammar" if self.kind == FormatKind.GRAMMAR.value else "valid JSON"
        return f"{self.error} (at {self.where})" if self.where else self.error

    @classmethod
    def coerce(cls, value) -> "ReplyCheck | None":
        """From what JSON gives back (a dict, or nothing) or a ReplyCheck."""
        if isinstance(value, ReplyCheck) or value is None:
            return value
        if isinstance(value, dict) and isinstance(value.get("valid"), bool):
            return cls(valid=value["valid"], kind=str(value.get("kind", FormatKind.JSON.value)),
                       error=str(value.get("error", "")), where=str(value.get("where", "")))
        return None


def pointer(path: Sequence) -> str:
    """A JSON pointer (RFC 6901) for a path of keys and indexes."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def check_reply(text: str, fmt: ResponseFormat, *, complete: bool = True) -> ReplyCheck | None:
    """Check a finished reply against ``fmt``; None for free text. ``complete``: the grammar
    reached its end (False when the token limit cut the reply inside a structure)."""
    if not fmt.is_structured:
        return None
    kind = fmt.kind.value
    if fmt.kind is FormatKind.GRAMMAR:
        if complete:
            return ReplyCheck(True, kind)
        return ReplyCheck(False, kind, "The reply ended before the grammar was complete.")
    try:
        value = json.loads(text)
    except ValueError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        where = f"line {line}, column {col}" if line else ""
        why = getattr(exc, "msg", str(exc))
        if not text.strip():
            why = "The reply is empty"
        elif not complete:
            why = f"The reply was cut off by the token limit ({why})"
        return ReplyCheck(False, kind, f"Not valid JSON: {why}.", where)
    if fmt.kind is FormatKind.JSON:
        return ReplyCheck(True, kind)
    error = first_schema_error(value, json.loads(fmt.source))
    if error is None:
        return ReplyCheck(True, kind)
    return ReplyCheck(False, kind, error[0], error[1])


def first_schema_error(value, schema: dict) -> tuple[str, str] | None:
    """The first way ``value`` breaks ``schema`` (message, JSON pointer), by jsonschema's own
    ranking of errors; None when it follows it. Formats (date, email, uuid…) are checked."""
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    best = jsonschema.exceptions.best_match(validator.iter_errors(value))
    if best is None:
        return None
    return f"Does not follow the schema: {best.message}.", pointer(best.absolute_path)


def pretty(text: str) -> str | None:
    """The reply as indented JSON, for showing and copying; None when it is not JSON."""
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False)
    except ValueError:
        return None


def description(fmt: ResponseFormat) -> str:
    """What the system prompt says about the response format; "" when it says nothing."""
    if not fmt.describe or not fmt.is_structured:
        return ""
    if fmt.kind is FormatKind.JSON:
        return "Reply with JSON only: one JSON object or array, no other text."
    if fmt.kind is FormatKind.JSON_SCHEMA:
        what = f" describing {fmt.name}" if fmt.name else ""
        return (f"Reply with JSON only{what}, no other text. The JSON follows this JSON schema:\n"
                f"{fmt.source.strip()}")
    return f"Reply only with text that follows this grammar (GBNF):\n{fmt.source.strip()}"


def with_description(messages: Sequence[Message], fmt: ResponseFormat) -> list[Message]:
    """``messages`` with the response format described at the end of the system prompt (one is
    added first when there is none)."""
    text = description(fmt)
    messages = list(messages)
    if not text:
        return messages
    if messages and messages[0].role == SYSTEM:
        first = messages[0].content.rstrip()
        return [Message(SYSTEM, f"{first}\n\n{text}" if first else text), *messages[1:]]
    return [Message(SYSTEM, text), *messages]
