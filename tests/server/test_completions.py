"""The OpenAI API as the official ``openai`` package speaks it, against a real server."""

import openai
import pytest

from tests.server.conftest import openai_client, raw

HELLO = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "hello"}]
GREEDY = dict(temperature=0, seed=7, max_tokens=24)


def test_models_lists_the_loaded_model(serve):
    client = openai_client(serve())
    assert [m.id for m in client.models.list()] == ["tiny-chat"]


def test_a_streamed_reply_assembled_from_its_chunks_is_the_whole_reply(serve):
    client = openai_client(serve())
    whole = client.chat.completions.create(model="tiny-chat", messages=HELLO, **GREEDY)
    text = whole.choices[0].message.content
    assert text and whole.choices[0].finish_reason == "length"
    assert whole.usage.completion_tokens == 24
    assert whole.usage.total_tokens == whole.usage.prompt_tokens + 24

    chunks = list(client.chat.completions.create(model="tiny-chat", messages=HELLO, stream=True, **GREEDY))
    assert chunks[0].choices[0].delta.role == "assistant"
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == text
    assert chunks[-1].choices[0].finish_reason == "length"
    assert all(c.usage is None for c in chunks)


def test_include_usage_adds_a_last_chunk_with_the_usage_and_no_choices(serve):
    client = openai_client(serve())
    chunks = list(client.chat.completions.create(model="tiny-chat", messages=HELLO, stream=True,
                                                 stream_options={"include_usage": True}, **GREEDY))
    last = chunks[-1]
    assert last.choices == []
    assert last.usage.completion_tokens == 24 and last.usage.prompt_tokens > 0
    assert all(c.usage is None for c in chunks[:-1])


def test_the_stream_is_openai_server_sent_events(serve):
    server = serve()
    status, headers, text = raw(server, "POST", "/v1/chat/completions",
                                {"messages": HELLO, "stream": True, **GREEDY},
                                {"Content-Type": "application/json"})
    assert status == 200 and headers["content-type"].startswith("text/event-stream")
    events = text.split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""]
    assert all(e.startswith("data: {") for e in events[:-2])


@pytest.mark.parametrize("as_list", [False, True])
def test_a_reply_ends_before_its_stop_string(serve, as_list):
    client = openai_client(serve())
    text = client.chat.completions.create(model="tiny-chat", messages=HELLO, **GREEDY).choices[0].message.content
    words = text.split()
    stop = words[len(words) // 2]
    expected = text[:text.index(stop)]
    for stream in (False, True):
        reply = client.chat.completions.create(model="tiny-chat", messages=HELLO, stream=stream,
                                               stop=[stop, "\x00never"] if as_list else stop, **GREEDY)
        if stream:
            chunks = list(reply)
            got = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
            finish = chunks[-1].choices[0].finish_reason
        else:
            got, finish = reply.choices[0].message.content, reply.choices[0].finish_reason
        assert got == expected and stop not in got
        assert finish == "stop"


def test_unknown_fields_are_accepted_and_the_system_role_and_parts_understood(serve):
    client = openai_client(serve())
    reply = client.chat.completions.create(
        model="tiny-chat", messages=[{"role": "developer", "content": "Be brief."},
                                     {"role": "user", "content": [{"type": "text", "text": "hello"}]}],
        extra_body={"mirostat": 2, "cache_prompt": True}, user="someone", **GREEDY)
    assert reply.choices[0].message.content


@pytest.mark.parametrize("options, words", [
    (dict(n=2), "n=1"),
    (dict(top_logprobs=2), "logprobs: true"),
])
def test_what_is_not_supported_yet_is_a_clear_400(serve, options, words):
    client = openai_client(serve())
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(model="tiny-chat", messages=HELLO, **options)
    assert words in caught.value.message


def test_another_model_name_is_a_404_naming_the_installed_models(serve, tiny_model):
    client = openai_client(serve(models_dir=tiny_model.parent))
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-4o", messages=HELLO)
    assert "gpt-4o" in caught.value.message and "tiny-chat" in caught.value.message


def test_a_prompt_beyond_the_context_is_a_400_and_the_server_goes_on(serve):
    client = openai_client(serve())
    long = [{"role": "user", "content": "word " * 2000}]
    for stream in (False, True):
        with pytest.raises(openai.BadRequestError) as caught:
            reply = client.chat.completions.create(model="tiny-chat", messages=long, stream=stream)
            list(reply)
        assert caught.value.code == "context_length_exceeded"
        assert "too long" in caught.value.message
    assert client.chat.completions.create(model="tiny-chat", messages=HELLO, **GREEDY).choices
