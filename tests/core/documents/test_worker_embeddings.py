"""Embeddings in the one inference worker, at a lower priority than chat: a reply queued after
an indexing batch still goes first, a question's embedding goes before indexing batches, and
an indexer waiting on ``wait_quiet`` holds while a reply is written."""

from __future__ import annotations

import threading

from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.inference.worker import (
    ChatJob,
    EmbedJob,
    InferenceWorker,
    LoadJob,
    ModelLoading,
    ReplyFinished,
)

WAIT = 120


def test_a_reply_goes_before_queued_indexing_and_a_question_before_indexing(tiny_model, minilm):
    worker = InferenceWorker().start()
    gate = threading.Event()
    order: list[tuple] = []
    jobs: dict = {}

    def listener(event):
        if isinstance(event, ModelLoading):
            gate.wait(WAIT)  # holds the worker's thread while the other jobs are queued
        elif isinstance(event, ReplyFinished):  # sent before the worker takes its next job
            order.append(("reply done; batch started:", jobs["batch"].started))

    worker.subscribe(listener)
    try:
        worker.submit(LoadJob(str(tiny_model), n_ctx=512))
        batch = jobs["batch"] = worker.submit(EmbedJob(minilm, ["an indexing batch"] * 8))
        question = worker.submit(EmbedJob(minilm, ["a question"], query=True))
        chat = worker.submit(ChatJob([Message(USER, "hello")], Sampling(max_tokens=4, seed=1)))
        assert not worker.wait_quiet(0.01)  # a reply is waiting
        gate.set()
        for job in (batch, question, chat):
            assert job.done.wait(WAIT)
        assert worker.wait_quiet(WAIT)
    finally:
        worker.stop()
    assert order == [("reply done; batch started:", False)]
    assert batch.error is None and len(batch.vectors) == 8 and len(batch.vectors[0]) == 384
    assert question.vectors is not None


def test_the_queue_gives_replies_then_questions_then_indexing_batches(minilm, tiny_model):
    worker = InferenceWorker()  # not started: the queue alone
    batch1 = worker.submit(EmbedJob(minilm, ["passage"]))
    batch2 = worker.submit(EmbedJob(minilm, ["passage"]))
    question = worker.submit(EmbedJob(minilm, ["question"], query=True))
    reply = worker.submit(ChatJob([Message(USER, "hi")]))
    load = worker.submit(LoadJob(str(tiny_model)))
    with worker._wake:
        taken = [worker._take() for _ in range(5)]
    assert taken == [reply, load, question, batch1, batch2]


def test_an_embedding_with_a_broken_model_says_why(tmp_path, minilm):
    from dataclasses import replace

    broken = tmp_path / "broken-embed.gguf"
    broken.write_bytes(b"GGUF" + b"\x00" * 64)
    worker = InferenceWorker().start()
    try:
        job = worker.submit(EmbedJob(replace(minilm, path=broken), ["text"]))
        assert job.done.wait(WAIT)
    finally:
        worker.stop()
    assert job.vectors is None and "could not load" in job.error
