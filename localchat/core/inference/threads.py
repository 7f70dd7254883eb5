"""How many threads llama.cpp decodes with, chosen from how busy the machine is apart from us.

llama.cpp splits each operation of a token across its threads and meets at a barrier after
each one, a few hundred times per token. Threads that spin at those barriers decode fastest
when every core is free (a 1.5B model on 2 idle cores: 26.7 tokens/s spinning, 11.6–16.0
sleeping), and collapse when another program holds a core, because a descheduled thread
stalls the others at every barrier (10.6 spinning with one busy process); a single thread has
no barrier and is the fastest then. So the wait policy is a bounded spin, fixed at start, and
the thread count is chosen before each reply and again every few dozen tokens: every physical
core when they are free, fewer when others run (docs/PERFORMANCE.md has the measurements).

``choose_threads`` is a pure function of a ``MachineState``; ``MachineLoad`` samples the state
with psutil: the CPU time the whole machine spent busy over the last second, less our own.
Nothing here loads llama.cpp, so ``apply_wait_policy`` can run before it does.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

# How long llama.cpp's OpenMP threads spin before they sleep. Long enough to cover every gap
# between two parallel regions of a token (decode then runs at the speed of
# OMP_WAIT_POLICY=ACTIVE); short enough that an idle app is asleep soon after a reply ends:
# ACTIVE spins for ever, a whole core per waiting thread while nothing runs. Every waiting
# thread spins once after a reply, so the count is a budget of CPU time shared among them.
SPIN_SECONDS = 27e-9  # a turn of libgomp's spin loop (a pause) on an AMD EPYC: 3M turns took 80 ms
IDLE_SPIN_BUDGET_S = 0.05  # CPU time the waiting threads may spin after a reply, all together
MIN_SPIN_COUNT, MAX_SPIN_COUNT = 100_000, 3_000_000


def spin_count(cpus: int) -> int:
    """libgomp's ``GOMP_SPINCOUNT`` for a machine with ``cpus`` CPUs (``cpus - 1`` threads wait)."""
    turns = IDLE_SPIN_BUDGET_S / SPIN_SECONDS / max(1, cpus - 1)
    return int(min(MAX_SPIN_COUNT, max(MIN_SPIN_COUNT, turns)) // 1000 * 1000)


WAIT_POLICY_VARIABLES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")

# A core counts as taken once others use more than three quarters of it: a thread of ours
# that has to share a core stalls the others at every barrier.
FREE_CORE_MARGIN = 0.25


def wait_policy_environment(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """The variables to set so llama.cpp's OpenMP threads spin briefly, then sleep; none where
    the person chose a policy (``OMP_WAIT_POLICY`` or ``GOMP_SPINCOUNT``): theirs wins."""
    environ = os.environ if environ is None else environ
    if any(name in environ for name in WAIT_POLICY_VARIABLES):
        return {}
    return {"GOMP_SPINCOUNT": str(spin_count(os.cpu_count() or 1))}


def apply_wait_policy(environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Set ``wait_policy_environment`` into the environment. OpenMP reads it once, when
    llama.cpp's libraries load, so this must run before anything imports llama_cpp."""
    environ = os.environ if environ is None else environ
    changes = wait_policy_environment(environ)
    environ.update(changes)
    return changes


@dataclass(frozen=True)
class MachineState:
    """How busy the machine was over a moment, apart from this process."""

    physical_cores: int
    logical_cpus: int
    others_busy: float  # CPUs' worth of time other processes used (1.0: one CPU all the time)

    @property
    def free_cores(self) -> float:
        return max(0.0, self.physical_cores - min(self.others_busy, self.physical_cores))


@dataclass(frozen=True)
class ThreadChoice:
    """The thread counts for one reply: ``decode`` for one token at a time, ``batch`` for the
    prompt's batches (llama.cpp's ``n_threads`` and ``n_threads_batch``)."""

    decode: int
    batch: int


def choose_threads(state: MachineState, fixed: int | None = None) -> ThreadChoice:
    """Every physical core that others leave free, at least one; ``fixed`` (the person's own
    thread setting) wins.

    Decoding counts a core as free only when others leave more than three quarters of it:
    with spinning barriers, a thread sharing its core with a busy process costs more than the
    thread adds. The prompt's batches are long stretches of arithmetic between barriers, so a
    thread on a half-taken core still adds work: a core counts for them unless others use
    most of it."""
    if fixed is not None and fixed > 0:
        return ThreadChoice(fixed, fixed)
    cores = max(1, state.physical_cores)
    free = state.free_cores
    decode = int(free + FREE_CORE_MARGIN)
    batch = int(free + 0.5)
    return ThreadChoice(min(cores, max(1, decode)), min(cores, max(1, batch)))


# -- sampling the machine ----------------------------------------------------------------------
@dataclass(frozen=True)
class CpuSample:
    at: float  # seconds, monotonic
    busy: float  # CPU-seconds the whole machine has been busy since boot
    own: float  # CPU-seconds this process has used


def busy_seconds(times) -> float:
    """CPU-seconds spent busy in a ``psutil.cpu_times()`` record: everything but idle and
    waiting for I/O (on Linux, guest time is already in user time, as psutil counts it)."""
    total = sum(times)
    for field in ("idle", "iowait"):
        total -= getattr(times, field, 0.0)
    for field in ("guest", "guest_nice"):
        total -= getattr(times, field, 0.0)
    return total


def read_sample() -> CpuSample:
    import psutil

    own = psutil.Process().cpu_times()
    return CpuSample(time.monotonic(), busy_seconds(psutil.cpu_times()), own.user + own.system)


def others_busy(older: CpuSample, newer: CpuSample) -> float:
    """CPUs' worth of busy time between two samples that was not this process's."""
    elapsed = newer.at - older.at
    if elapsed <= 0:
        return 0.0
    return max(0.0, ((newer.busy - older.busy) - (newer.own - older.own)) / elapsed)


def core_counts() -> tuple[int, int]:
    """(physical cores, logical CPUs) of this machine."""
    import psutil

    logical = psutil.cpu_count() or os.cpu_count() or 1
    return max(1, psutil.cpu_count(logical=False) or logical), logical


class MachineLoad:
    """How busy the machine has been over about the last second, apart from this process.

    A daemon thread reads the CPU counters a few times a second (two small reads from the
    kernel: a few hundredths of a percent of one core) so that a reply starting after a long
    idle stretch sees the last second, not the average since the previous reply. ``state()``
    may be called from any thread; ``close()`` stops the sampling."""

    def __init__(self, *, period_s: float = 0.25, window_s: float = 1.0,
                 read: Callable[[], CpuSample] = read_sample,
                 cores: tuple[int, int] | None = None):
        self._read = read
        self._period = period_s
        self._window = window_s
        self._cores = cores or core_counts()
        self._samples: collections.deque[CpuSample] = collections.deque(maxlen=int(window_s / period_s) + 2)
        self._samples.append(read())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="localchat-machine-load", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        import psutil

        while not self._stop.wait(self._period):
            try:
                self._samples.append(self._read())
            except (OSError, psutil.Error):  # a failed read now and then must not end the sampling
                continue

    def state(self) -> MachineState:
        now = self._read()
        samples = list(self._samples)
        # the newest sample at least a window old; failing that, the oldest there is
        older = next((s for s in reversed(samples) if now.at - s.at >= self._window), samples[0])
        physical, logical = self._cores
        return MachineState(physical, logical, others_busy(older, now))

    def close(self) -> None:
        self._stop.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=2)
