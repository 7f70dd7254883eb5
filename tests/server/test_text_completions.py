"""``POST /v1/completions`` (a raw prompt, no chat template) and the sampling a request maps to,
through the official ``openai`` package against a real server."""

import openai
import pytest

from tests.server.conftest import openai_client

PROMPT = "The water and the world"
GREEDY = dict(temperature=0, seed=7, max_tokens=20)
HELLO = [{"role": "user", "content": "hello"}]


def test_a_completion_streamed_is_the_completion_whole(serve):
    client = openai_client(serve())
    whole = client.completions.create(model="tiny-chat", prompt=PROMPT, **GREEDY)
    assert whole.object == "text_completion" and whole.id.startswith("cmpl-")
    text = whole.choices[0].text
    assert text and whole.choices[0].finish_reason == "length"
    assert whole.usage.completion_tokens == 20
    # the prompt as it is, not a chat turn around it: a handful of tokens
    chat = client.chat.completions.create(model="tiny-chat", messages=[{"role": "user", "content": PROMPT}],
                                          **GREEDY)
    assert whole.usage.prompt_tokens < chat.usage.prompt_tokens

    chunks = list(client.completions.create(model="tiny-chat", prompt=PROMPT, stream=True,
                                            stream_options={"include_usage": True}, **GREEDY))
    assert all(c.object == "text_completion" for c in chunks)
    assert "".join(c.choices[0].text for c in chunks if c.choices) == text
    assert chunks[-2].choices[0].finish_reason == "length"
    assert chunks[-1].choices == [] and chunks[-1].usage.completion_tokens == 20


def test_a_completion_is_16_tokens_unless_asked_as_openai_s(serve):
    reply = openai_client(serve()).completions.create(model="tiny-chat", prompt=PROMPT, temperature=0)
    assert reply.usage.completion_tokens == 16


def test_a_completion_ends_before_its_stop_string_and_echo_repeats_the_prompt(serve):
    client = openai_client(serve())
    text = client.completions.create(model="tiny-chat", prompt=PROMPT, **GREEDY).choices[0].text
    stop = text.split()[len(text.split()) // 2]
    for stream in (False, True):
        reply = client.completions.create(model="tiny-chat", prompt=PROMPT, stop=[stop], stream=stream, **GREEDY)
        if stream:
            chunks = list(reply)
            got, finish = "".join(c.choices[0].text for c in chunks), chunks[-1].choices[0].finish_reason
        else:
            got, finish = reply.choices[0].text, reply.choices[0].finish_reason
        assert got == text[:text.index(stop)] and finish == "stop"
    echoed = client.completions.create(model="tiny-chat", prompt=PROMPT, echo=True, **GREEDY)
    assert echoed.choices[0].text == PROMPT + text


def test_the_same_seed_gives_the_same_completion_and_another_seed_another(serve):
    client = openai_client(serve())
    sampled = dict(model="tiny-chat", prompt=PROMPT, temperature=1.0, max_tokens=20)
    first = client.completions.create(seed=1, **sampled).choices[0].text
    assert client.completions.create(seed=1, **sampled).choices[0].text == first
    assert client.completions.create(seed=2, **sampled).choices[0].text != first


def test_a_prompt_beyond_the_context_is_a_400_naming_the_prompt(serve):
    client = openai_client(serve())
    with pytest.raises(openai.BadRequestError) as caught:
        client.completions.create(model="tiny-chat", prompt="word " * 2000)
    assert caught.value.code == "context_length_exceeded" and caught.value.param == "prompt"
    with pytest.raises(openai.BadRequestError) as caught:
        client.completions.create(model="tiny-chat", prompt=PROMPT, suffix="the end")
    assert "suffix" in caught.value.message


def test_frequency_and_presence_penalties_reach_the_sampler(serve):
    client = openai_client(serve())
    greedy = dict(model="tiny-chat", messages=HELLO, temperature=0, seed=7, max_tokens=40)
    plain = client.chat.completions.create(**greedy).choices[0].message.content
    for penalty in ("frequency_penalty", "presence_penalty"):
        penalised = client.chat.completions.create(**greedy, **{penalty: 1.5}).choices[0].message.content
        assert penalised != plain, penalty
    text = dict(model="tiny-chat", prompt=PROMPT, temperature=0, seed=7, max_tokens=40)
    assert (client.completions.create(frequency_penalty=1.5, **text).choices[0].text
            != client.completions.create(**text).choices[0].text)
