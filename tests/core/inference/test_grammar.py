"""Response formats checked before use: GBNF read as llama.cpp reads it, JSON schemas walked for
what a grammar would ignore, OpenAI's response_format turned into ours. Every problem is named
with where it is; nothing reaches llama.cpp that would crash or hang it."""

import json
import subprocess
import sys

import pytest

from localchat.core.chat.messages import FormatKind, ResponseFormat
from localchat.core.errors import LocalChatError
from localchat.core.inference import llama as native
from localchat.core.inference.grammar import (
    ResponseFormatError,
    compile_format,
    from_openai,
    gbnf_problems,
    problems,
    schema_problems,
)


def schema_format(schema) -> ResponseFormat:
    return ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(schema))


def messages(found) -> list[str]:
    return [str(p) for p in found]


# -- GBNF ---------------------------------------------------------------------------------------
GOOD_GRAMMARS = [
    'root ::= "yes" | "no"',
    'root ::= answer\nanswer ::= [0-9]+ ("." [0-9]{1,3})? # a number\n',
    'root ::= ( "a" | "b" )* "\\n"\r\n',
    'root ::= [^"\\\\] "\\x41\\u00e9" .',
    'root ::= item ("," ws item){0,4}\nitem ::= [a-z]+\nws ::= | " "',
    'root ::= (expr "=" ws term "\\n")+\nexpr ::= term ([-+*/] term)*\nterm ::= [0-9]+ ws\nws ::= [ \\t]*',
]


@pytest.mark.parametrize("grammar", GOOD_GRAMMARS)
def test_good_grammars_pass_here_and_in_llama_cpp(grammar):
    assert gbnf_problems(grammar) == ()
    assert native.grammar_parses(grammar)


BROKEN_GRAMMARS = [
    ('root ::= "a" foo', "line 1, column 14: the rule 'foo' is used but never defined"),
    ('answer ::= "a"', "no rule named root"),
    ('root ::= ("a" | "b"', "line 1, column 20: expecting ) to close the ( at line 1, column 10"),
    ('root ::= "abc', "line 1, column 10: this literal has no closing quote"),
    ('root ::= [a-z', "character class has no closing ]"),
    ('root ::= "a"{2,1}', "maximum below its minimum"),
    ('root ::= * "a"', "* needs an item before it"),
    ('root "a"', "expecting ::= after the rule name 'root'"),
    ('root ::= "a"\nroot ::= "b"', "line 2, column 1: the rule 'root' is defined twice"),
    ('root ::= root "a" | "b"', "left-recursive (root → root)"),
    ('root ::= x\nx ::= ws root "a"\nws ::= " "?', "left-recursive"),
    ('root ::= "\\q"', "unknown escape \\q"),
    ('root ::= "a" ]', "unexpected ']': expecting the end of the line"),
    ('root ::= "a"{5000}', "too large"),
    ("", "the grammar is empty"),
]


@pytest.mark.parametrize("grammar, expected", BROKEN_GRAMMARS)
def test_broken_grammars_are_named_with_where(grammar, expected):
    found = messages(gbnf_problems(grammar))
    assert any(expected in m for m in found), found
    with pytest.raises(ResponseFormatError) as err:
        compile_format(ResponseFormat(FormatKind.GRAMMAR, grammar))
    assert expected in str(err.value)
    assert isinstance(err.value, LocalChatError)


HANG_LLAMA_CPP = ['root ::= "a"{2,1}', 'root ::= x\nx ::= ws root "a"\nws ::= " "?']


def test_llama_cpp_agrees_with_the_check_on_grammars_it_can_parse_safely():
    """The ones llama.cpp refuses (it prints why): each is refused here first, named."""
    for grammar, expected in BROKEN_GRAMMARS:
        if grammar in HANG_LLAMA_CPP or "defined twice" in expected or not grammar:
            continue  # two definitions llama.cpp takes silently, the last one winning
        assert not native.grammar_parses(grammar), grammar


@pytest.mark.parametrize("grammar", HANG_LLAMA_CPP)
def test_grammars_that_hang_llama_cpp_never_reach_it(grammar):
    """Why the check runs first: llama.cpp's parser does not return on a repetition {2,1}, nor
    on a rule left-recursive through an empty one."""
    code = f"from localchat.core.inference import llama as n; n.grammar_parses({grammar!r})"
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-c", code], timeout=5, capture_output=True, check=False)
    with pytest.raises(ResponseFormatError):
        compile_format(ResponseFormat(FormatKind.GRAMMAR, grammar))


# -- JSON schemas -------------------------------------------------------------------------------
PERSON = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 40},
        "age": {"type": "integer"},
        "email": {"type": "string", "format": "email"},
        "born": {"type": "string", "format": "date"},
        "id": {"type": "string", "format": "uuid"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 3},
        "role": {"enum": ["admin", "user"]},
        "kind": {"const": "person"},
        "nick": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "code": {"type": "string", "pattern": "^[A-Z]{3}-[0-9]{2}$"},
        "home": {"$ref": "#/$defs/Place"},
    },
    "required": ["name", "age", "home"],
    "additionalProperties": False,
    "$defs": {"Place": {"type": "object", "properties": {"city": {"type": "string"}},
                        "required": ["city"], "title": "Place"}},
}


def test_the_supported_subset_compiles_into_a_grammar_llama_cpp_parses():
    compiled = compile_format(schema_format(PERSON))
    assert compiled.schema == PERSON
    assert "root ::=" in compiled.gbnf
    assert native.grammar_parses(compiled.gbnf)


def test_a_pydantic_model_schema_compiles():
    """What ``openai``'s ``chat.completions.parse`` sends for a Pydantic model."""
    pydantic = pytest.importorskip("pydantic")
    from enum import Enum
    from typing import Optional

    class Color(str, Enum):
        red = "red"
        green = "green"

    class Item(pydantic.BaseModel):
        name: str
        count: int
        color: Color
        note: Optional[str] = None  # noqa: UP045 - the shape Pydantic users write
        tags: list[str]

    schema = Item.model_json_schema()
    assert schema_problems(schema) == ()
    assert compile_format(schema_format(schema)) is not None


@pytest.mark.parametrize("schema, expected", [
    ({"type": "object", "properties": {"age": {"type": "integer", "minimum": 0}}},
     "/properties/age/minimum: the keyword 'minimum' is not supported"),
    ({"oneOf": [{"type": "string"}, {"type": "integer"}]}, "/oneOf: the keyword 'oneOf' is not supported"),
    ({"type": "object", "properties": {"home": {"$ref": "#/$defs/Place"}}, "$defs": {}},
     "/properties/home/$ref: the reference '#/$defs/Place' points to nothing: /$defs has no 'Place'"),
    ({"$ref": "#/definitions/X"}, "points to nothing: the schema has no 'definitions'"),
    ({"$ref": "https://example.com/s.json"}, "points outside the schema"),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a", "b"]},
     "/required: the required property 'b' is not in properties"),
    ({"type": "string", "format": "uri"}, "/format: the format 'uri' is not supported"),
    ({"type": "string", "pattern": "[a-z]+"}, "must match the whole string"),
    ({"type": "string", "pattern": "^[a-z+$"}, "the pattern is not a regular expression"),
    ({"type": "strng"}, "not a valid JSON schema"),
    ({"type": "object", "items": {"type": "string"}},
     "'items' applies to arrays, but the type here is 'object'"),
    ({"$ref": "#/$defs/A", "type": "string", "$defs": {"A": {"type": "string"}}},
     "'type' next to '$ref' would be ignored"),
    ({"type": "array", "minItems": 2}, "minItems and maxItems need items here"),
    ({"type": "array", "items": {"type": "string"}, "minItems": 3, "maxItems": 1},
     "maxItems (1) is below minItems (3)"),
    ([1, 2], "a JSON schema must be a JSON object"),
])
def test_schema_problems_name_what_and_where(schema, expected):
    found = messages(schema_problems(schema))
    assert any(expected in m for m in found), found
    with pytest.raises(ResponseFormatError) as err:
        compile_format(schema_format(schema))
    assert expected in str(err.value)


def test_schema_text_that_is_not_json_is_named_with_its_line_and_column():
    found = problems(ResponseFormat(FormatKind.JSON_SCHEMA, '{\n  "type": "object",\n}'))
    expected = "line 3, column 1: not JSON: Expecting property name enclosed in double quotes"
    assert messages(found) == [expected]


def test_every_problem_is_listed_not_only_the_first():
    schema = {"type": "object", "properties": {"a": {"type": "integer", "minimum": 1, "maximum": 9},
                                               "b": {"not": {}}}}
    found = messages(schema_problems(schema))
    assert len(found) == 3
    assert any("/properties/b/not" in m for m in found)


def test_json_strings_hold_no_raw_control_characters():
    """JSON forbids a raw newline in a string; llama-cpp-python's converter allows one."""
    gbnf = compile_format(schema_format({"type": "string"})).gbnf
    assert 'char ::= [^"\\\\\\x7F\\x00-\\x1F]' in gbnf


def test_plain_json_compiles_to_an_object_or_an_array():
    compiled = compile_format(ResponseFormat(FormatKind.JSON))
    assert compiled.schema is None
    assert "object" in compiled.gbnf and "array" in compiled.gbnf
    assert compile_format(ResponseFormat()) is None


# -- OpenAI's response_format --------------------------------------------------------------------
def test_openai_response_formats():
    assert from_openai(None) == ResponseFormat()
    assert from_openai({"type": "text"}) == ResponseFormat()
    assert from_openai({"type": "json_object"}).kind is FormatKind.JSON
    fmt = from_openai({"type": "json_schema", "json_schema": {"name": "person", "schema": PERSON,
                                                               "strict": True}})
    assert fmt.kind is FormatKind.JSON_SCHEMA and fmt.name == "person"
    assert json.loads(fmt.source) == PERSON
    assert from_openai({"type": "json_object", "schema": {"type": "array"}}).kind is FormatKind.JSON_SCHEMA


@pytest.mark.parametrize("value, expected", [
    ({"type": "xml"}, "type 'xml' is not one of text, json_object, json_schema"),
    ({"type": "json_schema"}, 'needs "json_schema"'),
    ({"type": "json_schema", "json_schema": {"name": "x", "schema": {"type": "integer", "minimum": 0}}},
     "'minimum' is not supported"),
    ("json", "must be an object with a type"),
])
def test_openai_response_formats_that_cannot_be_used(value, expected):
    with pytest.raises(ResponseFormatError, match=expected):
        from_openai(value)
