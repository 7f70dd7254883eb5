"""Requests share the one inference worker fairly: in turn, each cancelling only its own job."""

import threading

import openai
import pytest

from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.chat.stats import StopReason
from localchat.core.inference.worker import ChatJob
from tests.server.conftest import WAIT, Hold, openai_client, raw, wait_until

HELLO = [{"role": "user", "content": "hello"}]
GREEDY = dict(temperature=0, seed=3, max_tokens=24)


def window_reply(worker, max_tokens=8):
    """A reply the window asks for, through the same worker."""
    return worker.submit(ChatJob([Message(USER, "hi")], Sampling(max_tokens=max_tokens, seed=1)))


def test_two_clients_streaming_at_once_both_finish_one_after_the_other(serve, worker):
    server = serve()
    client = openai_client(server)
    expected = client.chat.completions.create(messages=HELLO, model="tiny-chat", **GREEDY).choices[0].message.content
    hold = Hold(worker)
    held = window_reply(worker)  # holds the worker, so both requests wait in the queue together
    assert hold.held.wait(WAIT)
    order = []  # the jobs of the worker's events, in the order the worker wrote them
    worker.subscribe(lambda event: order.append(event.job) if event.job is not held else None)
    texts = {}

    def stream(name):
        chunks = client.chat.completions.create(messages=HELLO, model="tiny-chat", stream=True, **GREEDY)
        texts[name] = "".join(chunk.choices[0].delta.content or "" for chunk in chunks if chunk.choices)

    threads = [threading.Thread(target=stream, args=(name,)) for name in "ab"]
    for t in threads:
        t.start()
    wait_until(lambda: server.requests.in_flight == 2, "both requests queued")
    hold.release()
    for t in threads:
        t.join(WAIT)
    assert texts == {"a": expected, "b": expected}  # neither cut short by the other
    first, second = dict.fromkeys(order)  # the two API jobs, in the order they began
    assert order == [first] * order.count(first) + [second] * order.count(second), (
        "the second reply began before the first had ended")


def test_a_client_that_leaves_mid_stream_cancels_its_own_reply_and_frees_the_worker(serve, worker):
    server = serve()
    client = openai_client(server)
    hold = Hold(worker)
    stream = client.chat.completions.create(messages=HELLO, model="tiny-chat", stream=True,
                                            temperature=0, seed=3, max_tokens=400)
    next(iter(stream))  # the reply has begun
    assert hold.held.wait(WAIT)
    stream.close()
    wait_until(lambda: hold.job.cancelled, "the server to cancel the reply")
    hold.release()
    assert hold.job.done.wait(WAIT)
    stats = hold.finished[hold.job]
    assert stats.stop_reason is StopReason.CANCELLED and stats.completion_tokens < 10
    assert client.chat.completions.create(messages=HELLO, model="tiny-chat", **GREEDY).choices[0].message.content


def test_a_full_queue_answers_503_with_retry_after(serve, worker):
    server = serve(max_queue=1)
    client = openai_client(server)
    hold = Hold(worker)
    window_reply(worker)
    assert hold.held.wait(WAIT)
    waiting = threading.Thread(target=lambda: client.chat.completions.create(messages=HELLO, model="tiny-chat",
                                                                             **GREEDY))
    waiting.start()
    wait_until(lambda: server.requests.in_flight == 1, "the first request queued")
    try:
        status, headers, body = raw(server, "POST", "/v1/chat/completions", {"messages": HELLO},
                                    {"Content-Type": "application/json"})
        assert status == 503 and int(headers["retry-after"]) > 0
        assert "busy" in body["error"]["message"]
        with pytest.raises(openai.InternalServerError):
            client.chat.completions.create(messages=HELLO, model="tiny-chat")
    finally:
        hold.release()
        waiting.join(WAIT)
    assert server.requests.in_flight == 0
    assert client.chat.completions.create(messages=HELLO, model="tiny-chat", **GREEDY).choices


def test_the_queue_limit_counts_only_the_requests_waiting(serve, worker):
    server = serve(max_queue=1)
    client = openai_client(server)
    hold = Hold(worker)
    replies = []
    running = threading.Thread(target=lambda: replies.append(client.chat.completions.create(
        messages=HELLO, model="tiny-chat", **GREEDY)))
    running.start()
    assert hold.held.wait(WAIT)  # an API request is running, none waiting
    waiting = threading.Thread(target=lambda: replies.append(client.chat.completions.create(
        messages=HELLO, model="tiny-chat", **GREEDY)))
    waiting.start()
    try:
        wait_until(lambda: server.requests.waiting == 1, "the second request to wait")
        assert server.requests.in_flight == 2
        status, _, _ = raw(server, "POST", "/v1/chat/completions", {"messages": HELLO},
                           {"Content-Type": "application/json"})
        assert status == 503
    finally:
        hold.release()
        running.join(WAIT)
        waiting.join(WAIT)
    assert len(replies) == 2 and all(r.choices[0].message.content for r in replies)


def test_the_window_s_conversation_keeps_its_cache_across_an_api_request(serve, worker):
    from localchat.core.chat.messages import ASSISTANT, SYSTEM
    from localchat.core.inference.worker import ReplyDelta, ReplyFinished

    client = openai_client(serve())
    finished, texts = {}, {}

    def record(event):
        if isinstance(event, ReplyDelta):
            texts[event.job] = texts.get(event.job, "") + event.text
        if isinstance(event, ReplyFinished):
            finished[event.job] = event.stats

    worker.subscribe(record)
    history = [Message(SYSTEM, "You are terse."), Message(USER, "tell me about the water and the world")]
    turn1 = worker.submit(ChatJob(list(history), Sampling(max_tokens=60, seed=1)))
    assert turn1.done.wait(WAIT)
    for topic in ("rivers and lakes ", "mountains and snow "):  # two: the second would push out the first's
        api = client.chat.completions.create(messages=[{"role": "user", "content": topic * 12}],
                                             model="tiny-chat", **GREEDY)
        assert api.usage.prompt_tokens > 20
    history += [Message(ASSISTANT, texts[turn1]), Message(USER, "and what about people")]
    turn2 = worker.submit(ChatJob(history, Sampling(max_tokens=8, seed=1)))
    assert turn2.done.wait(WAIT)
    first, second = finished[turn1], finished[turn2]
    new_turn = second.prompt_tokens - first.prompt_tokens - first.completion_tokens
    assert 0 < second.evaluated_prompt_tokens <= new_turn + 1
