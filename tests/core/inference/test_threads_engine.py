"""The engine applies the thread choice per reply and during it: the thread counts llama.cpp
reports for the tiny model's context follow the machine states the engine is shown."""

import pytest

from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.chat.stats import GenerationStats, TokenEvent
from localchat.core.inference import llama as native
from localchat.core.inference.engine import RECHECK_TOKENS, Engine, default_threads
from localchat.core.inference.threads import MachineState, ThreadChoice

CORES = default_threads()
IDLE = MachineState(CORES, CORES, others_busy=0.0)
ALL_BUSY = MachineState(CORES, CORES, others_busy=float(CORES))
LONG = Sampling(max_tokens=3 * RECHECK_TOKENS, temperature=1.0, seed=3)
HELLO = [Message(USER, "Tell me a long story about the sea")]

pytestmark = pytest.mark.skipif(CORES < 2, reason="one core: there is no fewer threads to choose")


class Machine:
    """Recorded machine states, shown to the engine one per look; the last one stays."""

    def __init__(self, *states: MachineState):
        self.states = list(states)
        self.looks = 0

    def __call__(self) -> MachineState:
        self.looks += 1
        return self.states[min(self.looks, len(self.states)) - 1]


def counts_while_streaming(engine, messages=HELLO, sampling=LONG):
    """(llama.cpp's thread counts as each token arrived, the final stats)."""
    seen = []
    for event in engine.stream_chat(messages, sampling):
        if isinstance(event, TokenEvent):
            seen.append(native.thread_counts(engine._llm))
        else:
            assert isinstance(event, GenerationStats)
            return seen, event
    raise AssertionError("no final stats")


def test_each_reply_gets_the_threads_the_machine_leaves_free(tiny_model):
    machine = Machine(IDLE)
    engine = Engine(machine_state=machine)
    try:
        info = engine.load(tiny_model, n_ctx=512)
        assert info.adaptive_threads and info.n_threads == CORES
        seen, stats = counts_while_streaming(engine)
        assert stats.error is None and seen
        assert set(seen) == {(CORES, CORES)} and engine.threads == ThreadChoice(CORES, CORES)

        machine.states = [ALL_BUSY]  # another program took every core before the next reply
        machine.looks = 0
        seen, stats = counts_while_streaming(engine)
        assert set(seen) == {(1, 1)}
        assert native.thread_counts(engine._llm) == (1, 1) and engine.threads == ThreadChoice(1, 1)
    finally:
        engine.close()


def test_a_reply_changes_its_threads_when_the_machine_gets_busy_and_free_again(tiny_model):
    machine = Machine(IDLE, ALL_BUSY, IDLE)  # at the start, after 16 tokens, after 32
    engine = Engine(machine_state=machine)
    try:
        engine.load(tiny_model, n_ctx=512)
        seen, stats = counts_while_streaming(engine, sampling=Sampling(max_tokens=3 * RECHECK_TOKENS,
                                                                       temperature=1.0, seed=3, stop=()))
        assert stats.completion_tokens > 2 * RECHECK_TOKENS, "the tiny model ended too soon for this test"
        assert machine.looks >= 3
        first, second = seen[:RECHECK_TOKENS], seen[RECHECK_TOKENS:2 * RECHECK_TOKENS]
        assert set(first) == {(CORES, CORES)}
        assert set(second) == {(1, 1)}
        assert seen[-1] == (CORES, CORES)
    finally:
        engine.close()


def test_a_thread_count_the_person_set_is_kept_whatever_the_machine_does(tiny_model):
    machine = Machine(ALL_BUSY)
    engine = Engine(machine_state=machine)
    try:
        info = engine.load(tiny_model, n_ctx=512, n_threads=CORES)
        assert not info.adaptive_threads
        seen, _ = counts_while_streaming(engine)
        assert set(seen) == {(CORES, CORES)}
        assert machine.looks == 0
    finally:
        engine.close()


def test_raw_completions_adapt_too(tiny_model):
    engine = Engine(machine_state=Machine(ALL_BUSY))
    try:
        engine.load(tiny_model, n_ctx=512)
        events = list(engine.stream_text("Once upon a time", Sampling(max_tokens=8)))
        assert isinstance(events[-1], GenerationStats) and events[-1].error is None
        assert native.thread_counts(engine._llm) == (1, 1)
    finally:
        engine.close()


def test_a_failing_look_at_the_machine_keeps_the_reply_going(tiny_model):
    def broken() -> MachineState:
        raise OSError("no /proc here")

    engine = Engine(machine_state=broken)
    try:
        engine.load(tiny_model, n_ctx=512)
        seen, stats = counts_while_streaming(engine, sampling=Sampling(max_tokens=8))
        assert stats.error is None and set(seen) == {(CORES, CORES)}
    finally:
        engine.close()


def test_the_default_engine_samples_the_real_machine_while_a_model_is_loaded(tiny_model):
    engine = Engine()
    try:
        engine.load(tiny_model, n_ctx=512)
        sampler = engine._machine
        assert sampler is not None and sampler._thread.is_alive()
        _, stats = counts_while_streaming(engine, sampling=Sampling(max_tokens=8))
        assert stats.error is None
        decode, batch = native.thread_counts(engine._llm)
        assert 1 <= decode <= CORES and 1 <= batch <= CORES
        assert engine.threads == ThreadChoice(decode, batch)
    finally:
        engine.close()
    assert engine._machine is None and not sampler._thread.is_alive()  # no sampling without a model
