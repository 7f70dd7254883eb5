"""The inference worker through the real engine and the tiny model: the FIFO, cancelling a
queued job, the running reply and a load, batching, stopping, a broken listener."""

import threading

import pytest

from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.chat.stats import StopReason, TokenEvent
from localchat.core.errors import LoadCancelledError, LocalChatError
from localchat.core.inference import llama as native
from localchat.core.inference.engine import Engine
from localchat.core.inference.worker import (
    ChatJob,
    CompletionJob,
    InferenceWorker,
    LoadJob,
    ModelFailed,
    ModelLoaded,
    ModelLoading,
    ModelUnloaded,
    ReplyDelta,
    ReplyFinished,
    UnloadJob,
)

WAIT = 30  # seconds: a bound for a job that takes milliseconds, never a pause

HELLO = [Message(USER, "hello")]


class Recorder:
    """A listener that keeps every event, in order."""

    def __init__(self):
        self.events = []

    def __call__(self, event):
        self.events.append(event)

    def of(self, job):
        return [e for e in self.events if e.job is job]

    def text(self, job) -> str:
        return "".join(e.text for e in self.of(job) if isinstance(e, ReplyDelta))

    def finished(self, job):
        (last,) = [e for e in self.of(job) if isinstance(e, ReplyFinished)]
        return last.stats


def make_worker(engine=None, **kwargs):
    worker = InferenceWorker(engine, **kwargs)
    recorder = Recorder()
    worker.subscribe(recorder)
    return worker.start(), recorder


@pytest.fixture
def worker():
    worker, recorder = make_worker(batch_seconds=0)
    yield worker, recorder
    assert worker.stop(timeout=WAIT)


def wait(job):
    assert job.done.wait(WAIT), f"{job!r} did not end"
    return job


def chat(max_tokens=20, **sampling):
    return ChatJob(HELLO, Sampling(max_tokens=max_tokens, seed=1, **sampling))


def direct_reply(model, max_tokens: int) -> str:
    """The reply to HELLO with seed 1, streamed from an engine of its own."""
    engine = Engine()
    try:
        engine.load(model, n_ctx=512)
        events = engine.stream_chat(HELLO, Sampling(max_tokens=max_tokens, seed=1))
        return "".join(e.text for e in events if isinstance(e, TokenEvent))
    finally:
        engine.close()


def test_jobs_run_in_the_order_they_came(worker, tiny_model):
    worker, rec = worker
    load, first, second, unload = (LoadJob(str(tiny_model), n_ctx=512), chat(5), chat(7), UnloadJob())
    for job in (load, first, second, unload):
        worker.submit(job)
    wait(unload)
    kinds = [(type(e).__name__, e.job) for e in rec.events if not isinstance(e, ReplyDelta)]
    assert kinds == [("ModelLoading", load), ("ModelLoaded", load), ("ReplyFinished", first),
                     ("ReplyFinished", second), ("ModelUnloaded", unload)]
    deltas = [e.job for e in rec.events if isinstance(e, ReplyDelta)]
    assert deltas == [first] * deltas.count(first) + [second] * deltas.count(second) and first in deltas
    assert rec.finished(first).completion_tokens == 5 and rec.finished(second).completion_tokens == 7
    assert worker.engine.model is None and not worker.busy


def test_waiting_counts_the_jobs_not_yet_started(worker, tiny_model):
    worker, rec = worker
    wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
    running, queued, dropped = chat(30), chat(5), chat(5)
    seen = []

    def look(event):  # on the worker's thread, while ``running`` streams
        if isinstance(event, ReplyDelta) and event.job is running and not seen:
            worker.cancel(dropped)
            seen.append((running.started, queued.started, worker.waiting))

    worker.subscribe(look)
    assert worker.waiting == 0 and not running.started
    for job in (running, queued, dropped):
        worker.submit(job)
    wait(dropped)
    assert seen == [(True, False, 1)]  # the running reply is not waiting; a cancelled one is not counted
    assert queued.started and worker.waiting == 0


def test_a_raw_completion_job_streams_the_prompt_s_continuation(worker, tiny_model):
    worker, rec = worker
    wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
    job = wait(worker.submit(CompletionJob("The water and the world", Sampling(max_tokens=6, seed=1))))
    stats = rec.finished(job)
    assert stats.completion_tokens == 6 and rec.text(job)
    assert stats.prompt_tokens < rec.finished(wait(worker.submit(ChatJob(
        [Message(USER, "The water and the world")], Sampling(max_tokens=1))))).prompt_tokens


def test_a_cancelled_queued_job_never_runs_and_says_so(worker, tiny_model):
    worker, rec = worker
    wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
    running, queued_reply, queued_load = chat(30), chat(30), LoadJob(str(tiny_model))

    def cancel_the_queue(event):
        if isinstance(event, ReplyDelta) and event.job is running and not queued_reply.cancelled:
            worker.cancel(queued_reply)  # both are still in the queue behind the running reply
            worker.cancel(queued_load)

    worker.subscribe(cancel_the_queue)
    for job in (running, queued_reply, queued_load):
        worker.submit(job)
    wait(queued_load)
    assert rec.finished(running).stop_reason is StopReason.LENGTH
    assert [type(e) for e in rec.of(queued_reply)] == [ReplyFinished]  # no text: it never ran
    stats = rec.finished(queued_reply)
    assert stats.stop_reason is StopReason.CANCELLED and stats.prompt_tokens == 0
    (failed,) = rec.of(queued_load)  # no ModelLoading: it never started
    assert isinstance(failed, ModelFailed) and failed.cancelled
    assert worker.engine.model is not None  # the model loaded before stays


def test_cancelling_the_running_reply_ends_it_within_a_token_with_its_text(worker, tiny_model):
    uncancelled = direct_reply(tiny_model, max_tokens=30)
    worker, rec = worker
    wait(worker.submit(LoadJob(str(tiny_model), n_ctx=4096)))
    reply = chat(4000)
    seen = []

    def stop_after_three(event):
        if isinstance(event, ReplyDelta):
            seen.append(event.text)
            if len(seen) == 3:
                worker.cancel()  # the running job

    worker.subscribe(stop_after_three)
    wait(worker.submit(reply))
    stats = rec.finished(reply)
    assert stats.stop_reason is StopReason.CANCELLED
    assert 3 <= stats.completion_tokens <= 6  # a token or two may show no text of their own
    delivered = rec.text(reply)
    assert delivered.strip() and uncancelled.startswith(delivered) and len(delivered) < len(uncancelled)


def test_a_cancel_between_taking_a_reply_and_streaming_it_is_kept(tiny_model):
    class CancelledOnTheWay(Engine):
        def stream_chat(self, messages, sampling=Sampling(), cancelled=None, **options):
            worker.cancel()  # the job is running, its stream not started yet
            yield from super().stream_chat(messages, sampling, cancelled, **options)

    worker, rec = make_worker(CancelledOnTheWay(), batch_seconds=0)
    try:
        wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
        reply = wait(worker.submit(chat(50)))
        stats = rec.finished(reply)
        assert stats.stop_reason is StopReason.CANCELLED and stats.completion_tokens == 0
    finally:
        assert worker.stop(timeout=WAIT)


def test_cancelling_a_load_aborts_it_mid_load_and_the_next_load_works(worker, tiny_model, monkeypatch):
    worker, rec = worker
    wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
    answers, raised = [], []
    real_open = native.open_model

    def watched_open(path, *, cancelled, **options):
        def asked():
            answers.append(cancelled())
            return answers[-1]

        try:
            return real_open(path, cancelled=asked, **options)
        except Exception as exc:
            raised.append(exc)
            raise

    monkeypatch.setattr(native, "open_model", watched_open)
    doomed = LoadJob(str(tiny_model), n_ctx=512)

    def cancel_once_loading(event):
        if isinstance(event, ModelLoading) and event.job is doomed:
            worker.cancel(event.job)

    worker.subscribe(cancel_once_loading)
    wait(worker.submit(doomed))
    (loading, failed) = rec.of(doomed)
    assert isinstance(loading, ModelLoading) and isinstance(failed, ModelFailed)
    assert failed.cancelled and "cancelled" in failed.message
    # llama.cpp started the load and its progress callback ended it at the first answer "cancel"
    assert answers == [True] and isinstance(raised[-1], LoadCancelledError)
    assert worker.engine.model is None  # the model before it was closed first

    again = wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
    assert isinstance(rec.of(again)[-1], ModelLoaded)
    reply = wait(worker.submit(chat(5)))
    assert rec.finished(reply).completion_tokens == 5


def test_reply_text_is_batched_and_nothing_is_lost(tiny_model):
    expected = direct_reply(tiny_model, max_tokens=40)

    worker, rec = make_worker(batch_seconds=3600)
    try:
        wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
        reply = wait(worker.submit(chat(40)))
    finally:
        assert worker.stop(timeout=WAIT)
    deltas = [e for e in rec.of(reply) if isinstance(e, ReplyDelta)]
    assert rec.finished(reply).completion_tokens == 40
    assert len(deltas) < 40
    assert rec.text(reply) == expected


def test_stop_frees_the_model_on_the_worker_thread_and_ends_it(tiny_model):
    closed_on = []

    class Watched(Engine):
        def close(self):
            if self.model is not None:
                closed_on.append(threading.current_thread().name)
            super().close()

    worker, rec = make_worker(Watched(), batch_seconds=0)
    wait(worker.submit(LoadJob(str(tiny_model), n_ctx=4096)))
    streaming = threading.Event()
    worker.subscribe(lambda e: streaming.set() if isinstance(e, ReplyDelta) else None)
    reply = worker.submit(chat(4000))
    assert streaming.wait(WAIT)
    assert worker.stop(timeout=WAIT)
    assert not worker.running
    assert rec.finished(reply).stop_reason is StopReason.CANCELLED
    assert closed_on == ["inference"] and worker.engine.model is None
    with pytest.raises(LocalChatError, match="stopped"):
        worker.submit(chat())


def test_a_listener_that_raises_does_not_stop_the_worker(worker, tiny_model, caplog):
    worker, rec = worker

    def broken(event):
        raise RuntimeError("a client's bug")

    worker.subscribe(broken)
    load = wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
    reply = wait(worker.submit(chat(5)))
    assert isinstance(rec.of(load)[-1], ModelLoaded)
    assert rec.finished(reply).completion_tokens == 5
    assert worker.running
    assert "inference listener failed" in caplog.text


def test_an_unsubscribed_listener_hears_nothing_more(worker, tiny_model):
    worker, rec = worker
    late = Recorder()
    unsubscribe = worker.subscribe(late)
    wait(worker.submit(LoadJob(str(tiny_model), n_ctx=512)))
    unsubscribe()
    wait(worker.submit(UnloadJob()))
    assert [type(e) for e in late.events] == [ModelLoading, ModelLoaded]
    assert isinstance(rec.events[-1], ModelUnloaded)


def test_a_catalog_model_loads_with_its_entry_s_context_and_sampling(worker, tiny_model, tmp_path):
    """The catalog recommends a model at its default context; the load uses that context, not the
    app's, and hands its authors' sampling to whoever starts a conversation with it."""
    import json
    import shutil

    from localchat.core.models.catalog import parse_catalog, shipped_catalog_text

    worker, rec = worker
    raw = json.loads(shipped_catalog_text())
    entry = next(m for m in raw["models"] if m["kind"] == "chat")
    model = tmp_path / entry["file"]["filename"]  # a file added by hand: matched by its name
    shutil.copy(tiny_model, model)
    entry["defaults"] = {**entry.get("defaults", {}), "context": 1536, "temperature": 0.25}
    catalog = parse_catalog(json.dumps({"schema": raw["schema"], "models": [entry]}))

    plain, known = LoadJob(str(tiny_model)), LoadJob(str(model), catalog=catalog)
    for job in (plain, known):
        worker.submit(job)
    wait(known)
    (loaded_plain,) = [e for e in rec.of(plain) if isinstance(e, ModelLoaded)]
    (loaded_known,) = [e for e in rec.of(known) if isinstance(e, ModelLoaded)]
    assert loaded_known.info.n_ctx == 1536 and loaded_known.defaults.context == 1536
    assert loaded_known.defaults.sampling.temperature == 0.25
    assert loaded_known.defaults.entry is not None and loaded_known.defaults.entry.id == entry["id"]
    assert worker.model_defaults is loaded_known.defaults  # for a client that comes later
    assert loaded_plain.defaults.entry is None and loaded_plain.defaults.sampling == Sampling()
    assert loaded_plain.info.n_ctx == loaded_plain.defaults.context != 1536

    own = LoadJob(str(model), n_ctx=1024, catalog=catalog)  # the person's context setting wins
    wait(worker.submit(own))
    (loaded_own,) = [e for e in rec.of(own) if isinstance(e, ModelLoaded)]
    assert loaded_own.info.n_ctx == 1024 and loaded_own.defaults.sampling.temperature == 0.25
