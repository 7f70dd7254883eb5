"""Response formats compiled into llama.cpp grammars, checked before they are used.

A JSON schema (a practical subset, below) is turned into GBNF by llama-cpp-python's own
converter (``llama_cpp.llama_grammar.SchemaConverter``, a port of llama.cpp's), and a GBNF
grammar is used as written. Neither reaches the sampler unchecked, because of three traps:
- llama.cpp's grammar sampler is built without a NULL check in llama-cpp-python: a grammar that
  does not parse can crash the app, and some (a repetition ``{2,1}``) make the parser hang;
- the converter silently drops keywords it does not support (``minimum``, ``oneOf``…) and
  silently loses ``required`` names missing from ``properties``;
- a converter error in llama-cpp-python's ``from_json_schema`` path falls back to any JSON.

So a GBNF grammar is parsed here first, as llama.cpp's parser reads it, and every problem is
named with its line and column; a schema is validated against its metaschema by ``jsonschema``
and walked for keywords the grammar would not hold, each named with its JSON pointer; the
grammar that comes out is checked by llama.cpp's own parser too. A problem is a
``ResponseFormatError``: never a crash, never a fallback.

The subset: ``type`` (one or a list), ``properties``, ``required``, ``additionalProperties``,
``items`` (a schema or a list), ``minItems``/``maxItems``, ``enum``, ``const``, ``anyOf``,
``$ref`` to the schema's own ``$defs`` (or ``definitions``), string ``pattern`` (anchored with
^ and $), ``minLength``/``maxLength`` and ``format`` date, time, date-time, email and uuid;
annotations (``title``, ``description``, ``default``, ``examples``…) are allowed and ignored.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from dataclasses import dataclass
from typing import Any

from localchat.core.chat.messages import FormatKind, ResponseFormat
from localchat.core.chat.structured import pointer
from localchat.core.errors import LocalChatError
from localchat.core.inference.gbnf import MAX_REPEAT, Problem, gbnf_problems

MAX_PROBLEMS = 8  # named in one message; the rest are counted


class ResponseFormatError(LocalChatError):
    """A response format that cannot be used: a grammar that does not parse, a schema keyword
    the grammar would ignore, a ``$ref`` to nowhere. ``problems`` lists each."""

    def __init__(self, message: str, problems: tuple[Problem, ...] = (), hint: str | None = None):
        self.problems = problems
        shown = [f"- {p}" for p in problems[:MAX_PROBLEMS]]
        if len(problems) > MAX_PROBLEMS:
            shown.append(f"- and {len(problems) - MAX_PROBLEMS} more")
        super().__init__("\n".join([message, *shown]), hint)


@dataclass(frozen=True)
class CompiledFormat:
    """A response format ready for the sampler: its GBNF grammar (root rule ``root``) and, for
    JSON schemas, the schema the finished reply is validated against."""

    format: ResponseFormat
    gbnf: str
    schema: dict | None = None


# -- JSON schemas -------------------------------------------------------------------------------
ANNOTATIONS = frozenset({"title", "description", "$schema", "$id", "$comment", "default", "examples",
                         "deprecated", "readOnly", "writeOnly"})
_FOR_TYPE = {
    "object": ("properties", "required", "additionalProperties"),
    "array": ("items", "minItems", "maxItems"),
    "string": ("pattern", "format", "minLength", "maxLength"),
}
SUPPORTED = frozenset({"type", "enum", "const", "anyOf", "$ref", "$defs", "definitions",
                       *(k for keys in _FOR_TYPE.values() for k in keys)}) | ANNOTATIONS
TYPES = ("object", "array", "string", "number", "integer", "boolean", "null")
FORMATS = ("date", "time", "date-time", "email", "uuid")
# what the grammar holds an email address to; jsonschema checks the finished reply's format
EMAIL_PATTERN = r"^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(\.[A-Za-z0-9-]{1,63}){1,8}$"
_WHERE_KEYS = {k: t for t, keys in _FOR_TYPE.items() for k in keys}


def _kind_of(key: str) -> str:
    return {"object": "objects", "array": "arrays", "string": "strings"}[_WHERE_KEYS[key]]


class _SchemaWalk:
    def __init__(self, root: dict):
        self.root = root
        self.problems: list[Problem] = []

    def say(self, path: list, what: str) -> None:
        self.problems.append(Problem(pointer(path) or "/", what))

    def walk(self, node: Any, path: list) -> None:
        if not isinstance(node, dict):
            self.say(path, "a schema here must be a JSON object"
                     + (" (true and false are allowed only as additionalProperties)"
                        if isinstance(node, bool) else ""))
            return
        for key in node:
            if key not in SUPPORTED:
                self.say([*path, key], f"the keyword {key!r} is not supported: the grammar would "
                         "ignore it, so replies could break it")
        constraining = [k for k in node if k in SUPPORTED and k not in ANNOTATIONS
                        and k not in ("$defs", "definitions")]
        for first, also_allowed in (("$ref", ()), ("anyOf", ()), ("const", ("type",)), ("enum", ("type",))):
            if first in node:
                ignored = [k for k in constraining if k != first and k not in also_allowed]
                if ignored:
                    self.say(path, f"{', '.join(map(repr, ignored))} next to {first!r} would be "
                             f"ignored: the grammar follows {first!r} alone here")
                break
        kind = node.get("type")
        kinds = [kind] if isinstance(kind, str) else kind if isinstance(kind, list) else []
        for t in kinds:
            if t not in TYPES:
                self.say([*path, "type"], f"the type {t!r} is not one of {', '.join(TYPES)}")
        if isinstance(kind, list) and any(k in _WHERE_KEYS for k in node):
            self.say(path, "keywords next to a list of types would be ignored: use anyOf with one "
                     "schema per type")
        elif isinstance(kind, str) and kind in TYPES:
            for key in node:
                if key in _WHERE_KEYS and _WHERE_KEYS[key] != kind:
                    self.say([*path, key], f"{key!r} applies to {_kind_of(key)}, but the type here is "
                             f"{kind!r}: it would be ignored")
        self.walk_object(node, path)
        self.walk_array(node, path)
        self.walk_string(node, path)
        for key in ("$defs", "definitions"):
            if isinstance(node.get(key), dict):
                for name, sub in node[key].items():
                    self.walk(sub, [*path, key, name])
        if isinstance(node.get("anyOf"), list):
            if not node["anyOf"]:
                self.say([*path, "anyOf"], "anyOf needs at least one schema")
            for i, sub in enumerate(node["anyOf"]):
                self.walk(sub, [*path, "anyOf", i])
        if "enum" in node and isinstance(node["enum"], list) and not node["enum"]:
            self.say([*path, "enum"], "enum needs at least one value")
        if "$ref" in node:
            self.check_ref(node["$ref"], [*path, "$ref"])

    def walk_object(self, node: dict, path: list) -> None:
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                self.walk(sub, [*path, "properties", name])
        required = node.get("required")
        if isinstance(required, list):
            known = props if isinstance(props, dict) else {}
            for name in required:
                if isinstance(name, str) and name not in known:
                    self.say([*path, "required"], f"the required property {name!r} is not in properties: "
                             "the grammar could not write it")
        extra = node.get("additionalProperties")
        if isinstance(extra, dict):
            self.walk(extra, [*path, "additionalProperties"])

    def walk_array(self, node: dict, path: list) -> None:
        items = node.get("items")
        if isinstance(items, list):
            for i, sub in enumerate(items):
                self.walk(sub, [*path, "items", i])
            if "minItems" in node or "maxItems" in node:
                self.say(path, "minItems and maxItems would be ignored next to a list of items")
        elif items is not None:
            self.walk(items, [*path, "items"])
        elif "minItems" in node or "maxItems" in node:
            self.say(path, "minItems and maxItems need items here (the schema of each item)")
        self.check_bounds(node, path, "minItems", "maxItems")

    def walk_string(self, node: dict, path: list) -> None:
        pattern, fmt = node.get("pattern"), node.get("format")
        lengths = [k for k in ("minLength", "maxLength") if k in node]
        if isinstance(pattern, str):
            try:
                re.compile(pattern)
            except re.error as exc:
                self.say([*path, "pattern"], f"the pattern is not a regular expression: {exc}")
            else:
                if not (pattern.startswith("^") and pattern.endswith("$")):
                    self.say([*path, "pattern"], "the pattern must match the whole string: start it with "
                             "^ and end it with $")
            for key in ("format", *lengths):
                if key in node:
                    self.say([*path, key], f"{key!r} next to a pattern would be ignored: "
                             "put it in the pattern")
        elif isinstance(fmt, str):
            if fmt not in FORMATS:
                self.say([*path, "format"], f"the format {fmt!r} is not supported; these are: "
                         f"{', '.join(FORMATS)}")
            for key in lengths:
                self.say([*path, key], f"{key!r} next to a format would be ignored")
        self.check_bounds(node, path, "minLength", "maxLength")

    def check_bounds(self, node: dict, path: list, low_key: str, high_key: str) -> None:
        low, high = node.get(low_key, 0), node.get(high_key)
        for key, value in ((low_key, low), (high_key, high)):
            if isinstance(value, int) and value > MAX_REPEAT:
                self.say([*path, key], f"{key} above {MAX_REPEAT} is too large for a grammar")
        if isinstance(low, int) and isinstance(high, int) and high < low:
            self.say(path, f"{high_key} ({high}) is below {low_key} ({low})")

    def check_ref(self, ref: Any, path: list) -> None:
        if not isinstance(ref, str):
            return
        if not (ref == "#" or ref.startswith("#/")):
            self.say(path, f"the reference {ref!r} points outside the schema; only references to "
                     "its own definitions (#/$defs/…) are supported")
            return
        target: Any = self.root
        walked: list[str] = []
        for part in ref[2:].split("/") if ref != "#" else []:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(target, dict) and part in target:
                target = target[part]
            elif isinstance(target, list) and part.isdigit() and int(part) < len(target):
                target = target[int(part)]
            else:
                self.say(path, f"the reference {ref!r} points to nothing: {pointer(walked) or 'the schema'} "
                         f"has no {part!r}")
                return
            walked.append(part)


def _metaschema_problems(schema: dict) -> list[Problem]:
    import jsonschema

    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    errors = sorted(cls(cls.META_SCHEMA).iter_errors(schema), key=lambda e: list(e.absolute_path))
    return [Problem(pointer(e.absolute_path) or "/", f"not a valid JSON schema: {e.message}")
            for e in errors[:MAX_PROBLEMS]]


def schema_problems(schema: Any) -> tuple[Problem, ...]:
    """Everything that keeps ``schema`` from being held by a grammar; () when it can be."""
    if not isinstance(schema, dict):
        return (Problem("/", "a JSON schema must be a JSON object"),)
    problems = _metaschema_problems(schema)
    if problems:
        return tuple(problems)
    walk = _SchemaWalk(schema)
    walk.walk(schema, [])
    return tuple(walk.problems)


def parse_schema(source: str) -> tuple[Any, tuple[Problem, ...]]:
    """The schema in ``source`` (JSON text) and its problems."""
    try:
        schema = json.loads(source)
    except ValueError as exc:
        line, col = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        where = f"line {line}, column {col}" if line else ""
        return None, (Problem(where, f"not JSON: {getattr(exc, 'msg', exc)}"),)
    return schema, schema_problems(schema)


def _pattern_for_converter(pattern: str) -> str:
    """An escaped punctuation character (``\\.``) of a pattern as ``[\\xHH]`` (``\\xHH`` inside
    a character class): the converter copies ``\\.`` into the grammar as it is, and llama.cpp
    knows only the escapes \\x, \\u, \\U, \\t, \\r, \\n, \\\\, \\", \\[ and \\]. The converter
    copies a character class as it is, and both read ``\\xHH`` there as the character."""
    out, in_class, i = [], False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            nxt = pattern[i + 1]
            if not nxt.isalnum() and ord(nxt) < 256:
                code = f"\\x{ord(nxt):02X}"
                out.append(code if in_class else f"[{code}]")
            else:
                out.append(pattern[i:i + 2])
            i += 2
            continue
        if c == "[" and not in_class:
            in_class = True
        elif c == "]" and in_class:
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def _for_converter(node: Any) -> Any:
    """The schema as the converter can take it: it knows no email format, so that gets the
    pattern the grammar holds an email address to; patterns as ``_pattern_for_converter``."""
    if isinstance(node, list):
        return [_for_converter(n) for n in node]
    if not isinstance(node, dict):
        return node
    node = {k: _for_converter(v) for k, v in node.items()}
    if node.get("format") == "email" and "pattern" not in node:
        del node["format"]
        node["pattern"] = EMAIL_PATTERN
    if isinstance(node.get("pattern"), str):
        node["pattern"] = _pattern_for_converter(node["pattern"])
    return node


def _convert(schema: dict) -> str:
    from llama_cpp.llama_grammar import SchemaConverter

    converter = SchemaConverter(prop_order={}, allow_fetch=False, dotall=False, raw_pattern=False)
    schema = converter.resolve_refs(copy.deepcopy(_for_converter(schema)), "schema")
    converter.visit(schema, "")
    return _JSON_CHAR.sub(lambda _m: STRICT_CHAR, converter.format_grammar())


# The converter's string character is any but " and \\, so a string may hold a raw newline,
# which JSON forbids: the demo model wrote one and its reply did not parse. llama.cpp's own
# converter has since left out the control characters too.
_JSON_CHAR = re.compile(r'^char ::= \[\^"\\\\\]', re.MULTILINE)
STRICT_CHAR = r'char ::= [^"\\\x7F\x00-\x1F]'


ANY_JSON = {"anyOf": [{"type": "object"}, {"type": "array"}]}


# -- the whole check ----------------------------------------------------------------------------
def problems(fmt: ResponseFormat) -> tuple[Problem, ...]:
    """What is wrong with ``fmt``'s source, without compiling it (for an editor that checks as
    the person types); () when nothing is."""
    if fmt.kind is FormatKind.GRAMMAR:
        return gbnf_problems(fmt.source)
    if fmt.kind is FormatKind.JSON_SCHEMA:
        return parse_schema(fmt.source)[1]
    return ()


@functools.lru_cache(maxsize=32)
def compile_format(fmt: ResponseFormat) -> CompiledFormat | None:
    """``fmt`` as a grammar the sampler can use; None for free text. Raises
    ``ResponseFormatError`` naming every problem (and where) instead of a grammar that would
    crash, hang or be ignored in part."""
    from localchat.core.inference import llama as native

    if not fmt.is_structured:
        return None
    schema = None
    if fmt.kind is FormatKind.GRAMMAR:
        found = gbnf_problems(fmt.source)
        if found:
            raise ResponseFormatError("The grammar cannot be used:", found,
                                      "Fix the grammar (llama.cpp's GBNF) and try again.")
        gbnf = fmt.source
    else:
        if fmt.kind is FormatKind.JSON_SCHEMA:
            schema, found = parse_schema(fmt.source)
            if found:
                raise ResponseFormatError("The JSON schema cannot be used:", found,
                                          "Change the schema: the grammar must hold every rule it gives.")
        try:
            gbnf = _convert(schema if schema is not None else ANY_JSON)
        except (AssertionError, ValueError, KeyError, TypeError, RecursionError) as exc:
            raise ResponseFormatError("The JSON schema cannot be turned into a grammar:",
                                      (Problem("", str(exc) or type(exc).__name__),),
                                      "Simplify the schema (see the supported keywords).") from exc
        found = gbnf_problems(gbnf)
        if found:  # the converter wrote what llama.cpp would refuse
            raise ResponseFormatError("The JSON schema gives a grammar llama.cpp cannot use:", found)
    if not native.grammar_parses(gbnf):
        raise ResponseFormatError("llama.cpp refused the grammar.", (),
                                  "Simplify it; llama.cpp's log names what it could not read.")
    return CompiledFormat(fmt, gbnf, schema)


def from_openai(response_format: Any) -> ResponseFormat:
    """OpenAI's ``response_format`` as a ResponseFormat, checked and compiled:
    ``{"type": "text"}``, ``{"type": "json_object"}`` (any JSON object or array; a ``schema``
    beside it is used as the schema, as llama.cpp's server does) or
    ``{"type": "json_schema", "json_schema": {"name": …, "schema": {…}, "strict": true}}``.
    None is free text. Raises ``ResponseFormatError`` with what is wrong and where."""
    if response_format is None:
        return ResponseFormat()
    if not isinstance(response_format, dict):
        raise ResponseFormatError("response_format must be an object with a type.")
    kind = response_format.get("type")
    if kind == "text":
        return ResponseFormat()
    if kind == "json_object":
        schema = response_format.get("schema")
        fmt = (ResponseFormat(FormatKind.JSON) if schema is None
               else ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(schema)))
    elif kind == "json_schema":
        spec = response_format.get("json_schema")
        if not isinstance(spec, dict) or not isinstance(spec.get("schema"), dict):
            raise ResponseFormatError('response_format json_schema needs "json_schema": '
                                      '{"name": …, "schema": {…}}, with the schema an object.')
        name = spec.get("name")
        fmt = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(spec["schema"]),
                             name=name if isinstance(name, str) else "")
    else:
        raise ResponseFormatError(f"response_format type {kind!r} is not one of text, json_object, "
                                  "json_schema.")
    compile_format(fmt)
    return fmt
