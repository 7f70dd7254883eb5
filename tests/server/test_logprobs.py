"""``logprobs`` / ``top_logprobs`` through the real server on a local port, read with the official
``openai`` client: OpenAI's shape for chat completions (whole and streamed) and the legacy shape
for ``/v1/completions``, the numbers the engine's own loop computed."""

import math

import openai
import pytest

from tests.server.conftest import openai_client, raw

HELLO = [{"role": "user", "content": "tell me about the water"}]
GREEDY = dict(temperature=0, max_tokens=8, seed=1)


def test_a_chat_reply_has_each_tokens_logprob_bytes_and_alternatives(serve):
    client = openai_client(serve())
    reply = client.chat.completions.create(model="tiny-chat", messages=HELLO, logprobs=True,
                                           top_logprobs=3, **GREEDY)
    choice = reply.choices[0]
    content = choice.logprobs.content
    assert len(content) == reply.usage.completion_tokens == 8
    assert "".join(t.token for t in content).lstrip() == choice.message.content
    for token in content:
        assert bytes(token.bytes).decode("utf-8", "replace") == token.token and token.logprob <= 0
        assert len(token.top_logprobs) == 3
        assert token.top_logprobs[0].token == token.token  # temperature 0: the most likely
        assert token.top_logprobs[0].logprob == pytest.approx(token.logprob)
        assert [t.logprob for t in token.top_logprobs] == sorted((t.logprob for t in token.top_logprobs),
                                                                 reverse=True)
        assert sum(math.exp(t.logprob) for t in token.top_logprobs) <= 1 + 1e-6


def test_without_logprobs_the_reply_has_none(serve):
    client = openai_client(serve())
    reply = client.chat.completions.create(model="tiny-chat", messages=HELLO, **GREEDY)
    assert reply.choices[0].logprobs is None
    only = client.chat.completions.create(model="tiny-chat", messages=HELLO, logprobs=True, **GREEDY)
    assert all(t.top_logprobs == [] for t in only.choices[0].logprobs.content)


def test_a_streamed_chat_reply_carries_the_tokens_of_each_chunk(serve):
    client = openai_client(serve())
    whole = client.chat.completions.create(model="tiny-chat", messages=HELLO, logprobs=True,
                                           top_logprobs=2, **GREEDY)
    stream = client.chat.completions.create(model="tiny-chat", messages=HELLO, logprobs=True,
                                            top_logprobs=2, stream=True, **GREEDY)
    tokens, text = [], ""
    for chunk in stream:
        choice = chunk.choices[0]
        text += choice.delta.content or ""
        if choice.logprobs is not None:
            tokens += choice.logprobs.content
    assert text == whole.choices[0].message.content
    want = whole.choices[0].logprobs.content
    assert [t.token for t in tokens] == [t.token for t in want]
    assert [t.logprob for t in tokens] == pytest.approx([t.logprob for t in want], abs=1e-4)


def test_a_text_completion_has_the_legacy_logprobs(serve):
    client = openai_client(serve())
    reply = client.completions.create(model="tiny-chat", prompt="the water and the", logprobs=2,
                                      echo=True, **GREEDY)
    choice = reply.choices[0]
    lp = choice.logprobs
    assert len(lp.tokens) == len(lp.token_logprobs) == len(lp.top_logprobs) == 8
    assert choice.text == "the water and the" + "".join(lp.tokens)
    assert lp.text_offset[0] == len("the water and the")
    assert [choice.text[o:o + len(t)] for o, t in zip(lp.text_offset, lp.tokens)] == lp.tokens
    assert all(len(alts) <= 2 and max(alts.values()) == pytest.approx(p)
               for alts, p in zip(lp.top_logprobs, lp.token_logprobs))
    stream = client.completions.create(model="tiny-chat", prompt="the water and the", logprobs=2,
                                       stream=True, **GREEDY)
    streamed = [t for chunk in stream if chunk.choices[0].logprobs for t in chunk.choices[0].logprobs.tokens]
    assert streamed == lp.tokens


def test_top_logprobs_out_of_range_is_a_clear_400(serve):
    client = openai_client(serve())
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="tiny-chat", messages=HELLO, logprobs=True, top_logprobs=21)
    assert "0 to 20" in caught.value.message
    server = serve()
    status, _, body = raw(server, "POST", "/v1/completions",
                          {"model": "tiny-chat", "prompt": "a", "logprobs": -1})
    assert status == 400 and "logprobs" in body["error"]["message"]
