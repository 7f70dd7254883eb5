"""The thread choice as a pure function of recorded machine states, the wait policy's
environment, and the sampling of how busy the machine is apart from this process."""

import os
import subprocess
import sys
import threading
import time

import psutil
import pytest

from localchat.core.inference.threads import (
    CpuSample,
    MachineLoad,
    MachineState,
    ThreadChoice,
    apply_wait_policy,
    choose_threads,
    others_busy,
    read_sample,
    spin_count,
    wait_policy_environment,
)


def state(cores: int, others: float, logical: int | None = None) -> MachineState:
    return MachineState(physical_cores=cores, logical_cpus=logical or cores, others_busy=others)


@pytest.mark.parametrize("cores", [2, 8, 16])
def test_an_idle_machine_gets_every_physical_core(cores):
    assert choose_threads(state(cores, 0.0)) == ThreadChoice(cores, cores)
    # a browser tab or a clock ticking now and then takes no core away
    assert choose_threads(state(cores, 0.15)) == ThreadChoice(cores, cores)


@pytest.mark.parametrize("cores", [2, 8, 16])
def test_one_busy_process_takes_one_core(cores):
    assert choose_threads(state(cores, 1.0)) == ThreadChoice(cores - 1, cores - 1)


@pytest.mark.parametrize("cores", [2, 8, 16])
def test_a_machine_whose_cores_are_all_busy_gets_one_thread(cores):
    assert choose_threads(state(cores, float(cores))) == ThreadChoice(1, 1)
    assert choose_threads(state(cores, 3.0 * cores)) == ThreadChoice(1, 1)  # more runnable than cores


def test_a_core_half_taken_is_left_to_the_other_process_for_decoding_but_used_for_the_prompt():
    # a hog sharing two cores with our two spinning threads shows as two thirds of a core
    assert choose_threads(state(2, 0.67)).decode == 1
    assert choose_threads(state(2, 0.4)) == ThreadChoice(1, 2)
    assert choose_threads(state(8, 2.6)) == ThreadChoice(5, 5)


def test_hyper_threads_do_not_count_as_cores():
    assert choose_threads(state(8, 0.0, logical=16)) == ThreadChoice(8, 8)
    assert choose_threads(state(8, 1.0, logical=16)) == ThreadChoice(7, 7)


def test_the_persons_thread_setting_wins():
    assert choose_threads(state(8, 0.0), fixed=3) == ThreadChoice(3, 3)
    assert choose_threads(state(2, 2.0), fixed=2) == ThreadChoice(2, 2)
    assert choose_threads(state(2, 2.0), fixed=0) == ThreadChoice(1, 1)  # 0: automatic


def test_the_spin_is_a_budget_shared_by_the_waiting_threads():
    assert spin_count(2) == 1_851_000  # 50 ms of one waiting thread
    assert spin_count(8) * 7 == pytest.approx(spin_count(2), rel=0.01)
    assert spin_count(1) == spin_count(2)
    assert spin_count(256) == 100_000  # still longer than a token's gaps between barriers


def test_the_wait_policy_spins_briefly_unless_the_person_chose_one():
    spins = spin_count(os.cpu_count() or 1)
    assert wait_policy_environment({}) == {"GOMP_SPINCOUNT": str(spins)}
    assert wait_policy_environment({"OMP_WAIT_POLICY": "PASSIVE"}) == {}
    assert wait_policy_environment({"OMP_WAIT_POLICY": "active"}) == {}
    assert wait_policy_environment({"GOMP_SPINCOUNT": "0"}) == {}
    env = {"PATH": "/bin"}
    assert apply_wait_policy(env) == {"GOMP_SPINCOUNT": str(spins)}
    assert env["GOMP_SPINCOUNT"] == str(spins)
    assert apply_wait_policy(env) == {}  # set once: the next look sees it as chosen


# -- sampling ------------------------------------------------------------------------------------
def test_others_busy_is_the_machines_busy_time_less_our_own():
    older, newer = CpuSample(10.0, busy=100.0, own=5.0), CpuSample(11.0, busy=101.8, own=5.9)
    assert others_busy(older, newer) == pytest.approx(0.9)
    assert others_busy(newer, older) == 0.0  # no time passed: nothing measured
    assert others_busy(older, CpuSample(12.0, busy=100.5, own=6.0)) == 0.0  # counters out of step


class Recorded:
    """CPU counters as a recording: the machine ``busy`` CPUs' worth, of which ``own`` ours."""

    def __init__(self):
        self.at, self.busy, self.own = 0.0, 0.0, 0.0
        self.rate_busy, self.rate_own = 0.0, 0.0

    def advance(self, seconds: float) -> None:
        self.at += seconds
        self.busy += self.rate_busy * seconds
        self.own += self.rate_own * seconds

    def __call__(self) -> CpuSample:
        return CpuSample(self.at, self.busy, self.own)


def test_the_state_covers_the_last_window_not_the_time_since_the_last_reply():
    clock = Recorded()
    load = MachineLoad(period_s=3600, window_s=1.0, read=clock, cores=(2, 2))  # samples by hand
    try:
        clock.rate_busy = 0.1  # a quiet minute
        for _ in range(240):
            clock.advance(0.25)
            load._samples.append(clock())
        assert load.state().others_busy == pytest.approx(0.1)
        clock.rate_busy = 1.1  # another program starts; we use a tenth of a core
        clock.rate_own = 0.1
        for _ in range(4):
            clock.advance(0.25)
            load._samples.append(clock())
        got = load.state()
        assert got.others_busy == pytest.approx(1.0)
        assert choose_threads(got) == ThreadChoice(1, 1)
    finally:
        load.close()


def test_a_fresh_sampler_measures_from_its_first_sample():
    clock = Recorded()
    clock.rate_busy = 2.0
    load = MachineLoad(period_s=3600, read=clock, cores=(2, 2))
    try:
        clock.advance(0.1)
        assert load.state().others_busy == pytest.approx(2.0)
    finally:
        load.close()


def test_the_sampler_thread_keeps_sampling_and_stops_on_close():
    reads, enough = [], threading.Event()

    def read() -> CpuSample:
        reads.append(read_sample())
        if len(reads) >= 5:
            enough.set()
        return reads[-1]

    load = MachineLoad(period_s=0.01, window_s=0.05, read=read)
    assert enough.wait(timeout=10)  # the thread samples on its own, a plain thread, no Qt
    load.close()
    count = len(reads)
    assert not load._thread.is_alive()
    assert len(reads) == count  # nothing sampled after close
    assert load.state().others_busy >= 0.0


HOG = "import time\nend = time.monotonic() + 30\nwhile time.monotonic() < end: pass\n"


def test_another_process_counts_as_busy_and_our_own_work_does_not():
    hog = subprocess.Popen([sys.executable, "-c", HOG])
    try:
        hog_ps = psutil.Process(hog.pid)
        while sum(hog_ps.cpu_times()[:2]) < 0.05:  # the interpreter starts
            time.sleep(0.01)
        hog_before, before = sum(hog_ps.cpu_times()[:2]), read_sample()
        end = time.monotonic() + 1.0
        while time.monotonic() < end:  # our own work, at the same time
            sum(i * i for i in range(1000))
        hog_after, after = sum(hog_ps.cpu_times()[:2]), read_sample()
    finally:
        hog.kill()
        hog.wait()
    elapsed = after.at - before.at
    others = others_busy(before, after)
    hog_rate = (hog_after - hog_before) / elapsed
    own_rate = (after.own - before.own) / elapsed
    machine_rate = (after.busy - before.busy) / elapsed
    assert hog_rate > 0.05 and own_rate > 0.05  # both ran
    assert others >= 0.8 * hog_rate  # the other process is in it
    assert others <= machine_rate - 0.8 * own_rate + 0.05  # ours is not
