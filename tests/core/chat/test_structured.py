"""Replies checked after they are written: parsed, validated with jsonschema, the first error and
where it is; the response format travelling with the sampling as plain JSON."""

import json
from dataclasses import asdict

from localchat.core.chat.messages import SYSTEM, USER, FormatKind, Message, ResponseFormat, Sampling
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.chat.structured import ReplyCheck, check_reply, pretty, with_description

SCHEMA = {"type": "object", "properties": {"tags": {"type": "array", "items": {"type": "string"}},
                                           "email": {"type": "string", "format": "email"}},
          "required": ["tags"]}
FMT = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(SCHEMA), name="tags")


def test_a_reply_that_follows_the_schema_is_valid():
    check = check_reply('{"tags": ["a", "b"]}', FMT)
    assert check == ReplyCheck(True, "json_schema") and check.summary == "valid JSON"


def test_the_first_error_and_where_it_is():
    check = check_reply('{"tags": ["a", 3]}', FMT)
    assert not check.valid and check.where == "/tags/1"
    assert check.error == "Does not follow the schema: 3 is not of type 'string'."
    assert check.summary.endswith("(at /tags/1)")
    assert check_reply('{"tags": []}', FMT).valid
    missing = check_reply('{"other": 1}', FMT)
    assert missing.error == "Does not follow the schema: 'tags' is a required property."


def test_formats_are_checked():
    assert check_reply('{"tags": [], "email": "not an address"}', FMT).where == "/email"


def test_text_that_is_not_json_says_where_it_breaks():
    check = check_reply('Here is a list:\n{"tags": []}', FMT)
    assert not check.valid and check.where == "line 1, column 1"
    assert check.error == "Not valid JSON: Expecting value."
    cut = check_reply('{"tags": ["a', FMT, complete=False)
    assert cut.error.startswith("Not valid JSON: The reply was cut off by the token limit")
    assert check_reply("", ResponseFormat(FormatKind.JSON)).error == "Not valid JSON: The reply is empty."


def test_free_text_is_not_checked_and_a_grammar_is_checked_by_its_end():
    assert check_reply("anything", ResponseFormat()) is None
    grammar = ResponseFormat(FormatKind.GRAMMAR, 'root ::= "a"')
    assert check_reply("a", grammar).valid and check_reply("a", grammar).summary == "follows the grammar"
    assert not check_reply("", grammar, complete=False).valid


def test_the_format_travels_with_the_sampling_as_plain_json():
    sampling = Sampling(temperature=0.3, response_format=FMT)
    back = Sampling(**json.loads(json.dumps(asdict(sampling))))
    assert back == sampling and back.response_format.kind is FormatKind.JSON_SCHEMA
    assert Sampling(response_format={"kind": "nonsense"}).response_format == ResponseFormat()
    assert Sampling().response_format == ResponseFormat() and not Sampling().response_format.is_structured


def test_the_check_travels_with_the_stats_as_plain_json():
    check = check_reply("[1", ResponseFormat(FormatKind.JSON))
    stats = GenerationStats(StopReason.INCOMPLETE, validation=check)
    back = GenerationStats(**json.loads(json.dumps(asdict(stats))))
    assert back == stats and back.stop_reason is StopReason.INCOMPLETE
    assert "incomplete" in stats.summary


def test_the_schema_is_described_at_the_end_of_the_system_prompt():
    described = ResponseFormat(FMT.kind, FMT.source, name="tags", describe=True)
    messages = with_description([Message(SYSTEM, "Be brief."), Message(USER, "hi")], described)
    assert messages[0].content.startswith("Be brief.\n\nReply with JSON only describing tags")
    assert '"required": ["tags"]' in messages[0].content and messages[1] == Message(USER, "hi")
    assert with_description([Message(USER, "hi")], described)[0].role == SYSTEM
    assert with_description([Message(USER, "hi")], FMT) == [Message(USER, "hi")]  # not asked to


def test_pretty_printing():
    assert pretty('{"a":[1,2]}') == '{\n  "a": [\n    1,\n    2\n  ]\n}'
    assert pretty("not json") is None
