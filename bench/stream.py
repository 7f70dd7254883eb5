"""Tokens/s through the whole app path against a raw llama-cpp-python loop, and the GUI's stalls.

The app path is everything a person waits on: MainWindow.send → ChatController → ChatJob in the
InferenceWorker's queue (its own thread) → Engine.stream_chat → batched ReplyDelta events relayed
as queued Qt signals → the bubble appends the text → reply_finished. The baseline is the loop
anyone would write: tokenize the same prompt, ``Llama.generate`` with the same sampling,
detokenize each token. Both run in this process on the same model file with the same llama.cpp
options and seed, alternated, each from a cold cache (every round asks a different question). A
real model may end its reply early; the raw loop's time is then taken at the same number of
tokens, so both sides do the same work.

While the app streams, a 5 ms timer on the GUI thread records the longest gap between its ticks:
the longest time the window could not react to a click.

    python bench/stream.py [--model PATH] [--rounds 5] [--tokens 192] [--batch-seconds S]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SAMPLING, destroy_window, median, open_llama, quiet_llama_logs  # noqa: E402

QUESTIONS = ("Tell me a long story about a lighthouse keeper", "Describe the history of the bicycle",
             "Explain how a steam engine works", "Write about a walk through an old forest",
             "Tell me about the life of honey bees", "Describe a day at a busy harbour",
             "Explain how bread is baked", "Write about a journey across the mountains")
SEED = 1234


@dataclass(frozen=True)
class StreamResult:
    app_tps: float
    raw_tps: float
    longest_stall_ms: float
    rounds: int
    tokens: int
    batch_seconds: float

    @property
    def ratio(self) -> float:
        return self.app_tps / self.raw_tps if self.raw_tps else 0.0


class _Arrivals:
    """Waits for the window's signals. Each is connected once, for the window's lifetime:
    connecting and disconnecting a slot per wait is what PySide6 gets wrong at exit."""

    def __init__(self, window):
        from PySide6.QtCore import QEventLoop, QTimer

        self._got: dict[str, tuple] = {}
        self._loop = QEventLoop()
        self._timer = QTimer()
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._loop.quit)
        window.model_ready.connect(self._on_model_ready)
        window.model_load_failed.connect(self._on_model_load_failed)
        window.reply_finished.connect(self._on_reply_finished)

    def _arrive(self, name: str, *args) -> None:
        self._got[name] = args
        self._loop.quit()

    def _on_model_ready(self, info) -> None:
        self._arrive("model_ready", info)

    def _on_model_load_failed(self, message: str) -> None:
        self._arrive("model_load_failed", message)

    def _on_reply_finished(self, stats) -> None:
        self._arrive("reply_finished", stats)

    def run_while(self, busy) -> None:
        """Turn the event loop, with a 5 ms timer, while ``busy()`` is true."""
        from PySide6.QtCore import Qt, QTimer

        poll = QTimer()
        poll.setTimerType(Qt.TimerType.PreciseTimer)
        poll.timeout.connect(self._on_poll)
        self._busy = busy
        poll.start(5)
        while busy():
            self._loop.exec()
        poll.stop()

    def _on_poll(self) -> None:
        if not self._busy():
            self._loop.quit()

    def wait(self, name: str, timeout_s: float):
        """Run the event loop until ``name`` arrives; its arguments."""
        self._got.pop(name, None)
        self._timer.start(int(timeout_s * 1000))
        while name not in self._got and self._timer.isActive():
            if "model_load_failed" in self._got:
                raise RuntimeError(self._got.pop("model_load_failed")[0])
            self._loop.exec()
        self._timer.stop()
        if name not in self._got:
            raise TimeoutError(f"no {name} within {timeout_s:.0f} s")
        return self._got.pop(name)


class _StallWatch:
    """The longest time without a tick of a 5 ms timer on the GUI thread, while armed."""

    def __init__(self):
        from PySide6.QtCore import Qt, QTimer

        self.longest = 0.0
        self._last: float | None = None
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(5)
        self._timer.timeout.connect(self._on_tick)

    def _on_tick(self) -> None:
        now = time.perf_counter()
        if self._last is not None:
            self.longest = max(self.longest, now - self._last)
        self._last = now

    def arm(self) -> None:
        self._last = time.perf_counter()  # the first gap runs from here
        self._timer.start()

    def disarm(self) -> None:
        """Stop; the time since the last tick counts too (a reply shorter than one tick is
        then its whole length, not nothing)."""
        self._on_tick()
        self._timer.stop()


def measure_stream(model: str | os.PathLike, *, rounds: int = 5, tokens: int = 192,
                   batch_seconds: float | None = None, log=print) -> StreamResult:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from localchat.core.chat.messages import USER, Message, Sampling
    from localchat.core.chat.prompt import PromptFormat
    from localchat.core.inference import llama as native
    from localchat.core.inference.worker import BATCH_SECONDS
    from localchat.core.models.gguf import read_local
    from localchat.core.paths import DataPaths
    from localchat.gui.app import make_application
    from localchat.gui.main_window import MainWindow

    make_application([])
    facts = read_local(model)
    data = tempfile.TemporaryDirectory(prefix="localchat-bench-")
    window = MainWindow(DataPaths(Path(data.name)).ensure(), install_demo=False,
                        batch_seconds=BATCH_SECONDS if batch_seconds is None else batch_seconds)
    window.show()
    stalls = _StallWatch()
    arrivals = _Arrivals(window)
    try:
        window.load_model(model)
        (info,) = arrivals.wait("model_ready", 300)
        raw = open_llama(model, n_ctx=info.n_ctx, n_threads=info.n_threads)
        bos = native.token_text(raw, raw.token_bos())
        fmt = PromptFormat(template=facts.chat_template, bos_token=bos)
        def app_side() -> tuple[int, float]:
            """(tokens shown, seconds from send to the finished reply on screen)"""
            window.new_chat()
            window.sampling = Sampling(max_tokens=tokens, seed=SEED)
            stalls.arm()
            started = time.perf_counter()
            window.send(question)
            (stats,) = arrivals.wait("reply_finished", 600)
            elapsed = time.perf_counter() - started
            stalls.disarm()
            return stats.completion_tokens, elapsed

        def raw_side() -> list[float]:
            """seconds from the start to each token. The loop runs on a thread of its own while
            the GUI thread turns its event loop with the same 5 ms timer as during the app's
            turn: a machine whose other cores sleep wakes llama.cpp's threads more slowly, and
            a tiny model's tokens are short enough for that to show."""
            at: list[float] = []
            loop = threading.Thread(target=raw_loop, args=(at,), name="raw loop")
            loop.start()
            arrivals.run_while(loop.is_alive)
            loop.join()
            return at

        def raw_loop(at: list[float]) -> None:
            started = time.perf_counter()
            prompt = fmt.render([Message(USER, question)])
            ids = raw.tokenize(prompt.encode(), add_bos=not (bos and prompt.startswith(bos)), special=True)
            pieces: list[bytes] = []
            raw.reset()
            raw.set_seed(SEED)
            for token in raw.generate(ids, **SAMPLING):
                pieces.append(raw.detokenize([token]))
                at.append(time.perf_counter() - started)
                if len(at) >= tokens:
                    break

        question = "Hello"
        app_side(), raw_side()  # warm up both: first-call costs are not streaming
        app_values, raw_values = [], []
        for attempt in range(rounds * 4):
            if len(app_values) >= rounds:
                break
            question = f"{QUESTIONS[attempt % len(QUESTIONS)]} (part {attempt + 1})."  # no cache reuse
            if len(app_values) % 2 == 0:
                (count, elapsed), at = app_side(), raw_side()
            else:
                at, (count, elapsed) = raw_side(), app_side()
            if count < min(tokens, 32):  # too short a reply to time
                log(f"    (the reply to {question!r} stopped after {count} tokens; asking another)")
                continue
            # the raw loop's time to the same number of tokens: both did the same work
            app_values.append(count / elapsed)
            raw_values.append(count / at[count - 1])
            log(f"    round {len(app_values)}: {count} tokens, app {app_values[-1]:.1f} tok/s, "
                f"raw {raw_values[-1]:.1f} tok/s, ratio {app_values[-1] / raw_values[-1]:.3f}")
        raw.close()
    finally:
        batch = window.inference.worker.batch_seconds
        window.close()
        destroy_window(window)
        data.cleanup()
    return StreamResult(median(app_values), median(raw_values), stalls.longest * 1000, len(app_values), tokens,
                        batch)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", help="a GGUF file (default: the demo model)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=192)
    parser.add_argument("--batch-seconds", type=float, help="the worker's token batching interval")
    args = parser.parse_args(argv)
    quiet_llama_logs()
    model = args.model
    if model is None:
        from localchat.core.models.demo import install_demo_model

        model = install_demo_model()
        if model is None:
            parser.error("no --model given and the demo extra is not installed")
    result = measure_stream(model, rounds=args.rounds, tokens=args.tokens, batch_seconds=args.batch_seconds)
    print(f"{Path(model).name}: app {result.app_tps:.1f} tok/s, raw llama-cpp-python {result.raw_tps:.1f} tok/s, "
          f"ratio {result.ratio:.3f} (target ≥ 0.97) over {result.rounds} alternated rounds of {result.tokens} "
          f"tokens; longest event-loop stall {result.longest_stall_ms:.0f} ms (target ≤ 50)")
    return 0


if __name__ == "__main__":
    from bench.common import leave

    leave(main())
