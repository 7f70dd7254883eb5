"""``response_format`` through the API: replies held to a JSON schema, the official client's
``parse`` with a Pydantic model, and schemas that cannot be held to refused with a clear 400."""

import json
from typing import Literal

import openai
import pytest
from pydantic import BaseModel

from tests.server.conftest import openai_client

HELLO = [{"role": "user", "content": "Pick a color and say whether you are sure."}]
SCHEMA = {"type": "object", "additionalProperties": False, "required": ["color", "sure"],
          "properties": {"color": {"enum": ["red", "green", "blue"]}, "sure": {"type": "boolean"}}}


def as_schema(schema):
    return {"type": "json_schema", "json_schema": {"name": "pick", "schema": schema, "strict": True}}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_reply_under_a_json_schema_parses_and_follows_it(serve, seed):
    import jsonschema

    client = openai_client(serve())
    reply = client.chat.completions.create(model="tiny-chat", messages=HELLO, max_tokens=64, seed=seed,
                                           response_format=as_schema(SCHEMA))
    assert reply.choices[0].finish_reason == "stop"
    jsonschema.validate(json.loads(reply.choices[0].message.content), SCHEMA)


def test_a_streamed_reply_under_a_schema_is_the_same_json(serve):
    client = openai_client(serve())
    options = dict(model="tiny-chat", messages=HELLO, max_tokens=64, seed=4, temperature=0,
                   response_format=as_schema(SCHEMA))
    whole = client.chat.completions.create(**options).choices[0].message.content
    streamed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        stream=True, **options) if c.choices)
    assert streamed == whole and json.loads(whole)["color"] in ("red", "green", "blue")


def test_the_clients_parse_with_a_pydantic_model_gets_that_model(serve):
    class Pick(BaseModel):
        color: Literal["red", "green", "blue"]
        sure: bool

    client = openai_client(serve())
    done = client.chat.completions.parse(model="tiny-chat", messages=HELLO, max_tokens=64, seed=5,
                                         response_format=Pick)
    assert isinstance(done.choices[0].message.parsed, Pick)


@pytest.mark.parametrize("response_format, words", [
    (as_schema({"type": "object", "properties": {"a": {"$ref": "#/$defs/missing"}}}), "missing"),
    (as_schema({"type": "string", "pattern": "("}), "pattern"),
    ({"type": "json_schema"}, "json_schema needs"),
    ({"type": "xml"}, "'xml' is not one of text, json_object, json_schema"),
])
def test_a_schema_that_cannot_be_held_to_is_a_400_saying_why(serve, response_format, words):
    client = openai_client(serve())
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="tiny-chat", messages=HELLO, max_tokens=8,
                                       response_format=response_format)
    assert caught.value.body["param"] == "response_format"
    assert words in caught.value.body["message"]
