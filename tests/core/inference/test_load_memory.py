"""A model that needs more memory than is free now asks before it loads: through the real
worker, engine and tiny model, with a fake reading of free RAM."""

from collections import namedtuple

import pytest

from localchat.core.inference.worker import InferenceWorker, LoadJob, ModelFailed, ModelLoaded
from localchat.core.models.fit import LowMemoryError, estimate_memory, low_memory
from localchat.core.models.gguf import read_local
from localchat.core.units import GIB, MIB

VM = namedtuple("VM", "total available")
WAIT = 30  # seconds: a bound for a job that takes milliseconds, never a pause


@pytest.fixture
def memory(monkeypatch):
    """Set what psutil says is free; the computer has 64 GiB in all."""
    def free(n_bytes: int, total: int = 64 * GIB) -> None:
        monkeypatch.setattr("psutil.virtual_memory", lambda: VM(total, n_bytes))
    return free


@pytest.fixture
def worker():
    worker = InferenceWorker(batch_seconds=0)
    events = []
    worker.subscribe(events.append)
    worker.start()
    yield worker, events
    assert worker.stop(timeout=WAIT)


def run(worker, job):
    worker.submit(job)
    assert job.done.wait(WAIT), f"{job!r} did not end"
    return job


def test_the_question_names_what_the_model_needs_and_what_is_free():
    question = low_memory("big.gguf", int(9.3 * GIB), free=int(6.1 * GIB), total=16 * GIB)
    assert str(question).splitlines()[0] == "big.gguf needs 9.3 GiB of memory; 6.1 GiB is free now."
    assert "swap" in question.hint
    assert low_memory("big.gguf", 5 * GIB, free=6 * GIB, total=16 * GIB) is None  # it fits
    assert low_memory("big.gguf", 20 * GIB, free=6 * GIB, total=16 * GIB) is None  # the engine refuses it


def test_a_load_that_asks_first_stops_before_the_engine_and_keeps_the_model_there_was(
        worker, memory, tiny_model, tiny_base_model):
    worker, events = worker
    first = run(worker, LoadJob(str(tiny_model), n_ctx=512))
    assert worker.engine.model.path == str(tiny_model)

    memory(1 * MIB)
    asked = run(worker, LoadJob(str(tiny_base_model), n_ctx=512, ask_first=True))
    ends = [e for e in events if e.job is asked and isinstance(e, (ModelLoaded, ModelFailed))]
    assert [type(e) for e in ends] == [ModelFailed]
    failed = ends[0]
    assert not failed.cancelled
    question = asked.memory_question
    assert isinstance(question, LowMemoryError)
    needed = estimate_memory(read_local(tiny_base_model), n_ctx=512).ram_bytes
    assert (question.model, question.needed, question.free) == (tiny_base_model.name, needed, 1 * MIB)
    assert failed.message == str(question)
    assert worker.engine.model.path == str(tiny_model), "a no leaves the model that was loaded"
    assert first.memory_question is None

    agreed = run(worker, LoadJob(str(tiny_base_model), n_ctx=512))  # the person said yes
    assert any(isinstance(e, ModelLoaded) and e.job is agreed for e in events)
    assert worker.engine.model.path == str(tiny_base_model)


def test_a_load_that_fits_in_free_memory_asks_nothing(worker, memory, tiny_model):
    worker, events = worker
    memory(8 * GIB)
    job = run(worker, LoadJob(str(tiny_model), n_ctx=512, ask_first=True))
    assert job.memory_question is None
    assert any(isinstance(e, ModelLoaded) and e.job is job for e in events)


def test_a_model_bigger_than_the_computer_is_refused_not_asked_about(worker, memory, tiny_model):
    worker, events = worker
    memory(1 * MIB, total=2 * MIB)
    job = run(worker, LoadJob(str(tiny_model), n_ctx=512, ask_first=True))
    (failed,) = [e for e in events if isinstance(e, ModelFailed) and e.job is job]
    assert job.memory_question is None
    assert "in all" in failed.message  # the engine's ModelTooLargeError
