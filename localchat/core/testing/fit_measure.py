"""Memory a model really takes: load it in a child process, fill its context, read the RSS.

The check behind ``fit.estimate_memory``'s numbers (tests/core/test_fit_measured.py and
bench/fit_accuracy.py). A child process keeps the measurement clean: nothing else of this
process's memory moves while it runs, and the model's memory is gone when it exits.

By default the model loads through ``Engine.load``, with the app's own options. ``mmap=True``
or ``False`` loads it with the engine's llama.cpp options but the file mapped or read as asked:
mapped, the RSS counts the weights llama.cpp repacks for the CPU twice (the repacked copy, and
the file's clean pages that stay mapped until the kernel wants them back).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class MeasuredMemory:
    n_ctx: int
    filled_tokens: int
    peak_growth: int  # peak RSS after filling the context, less the RSS before loading
    anon_growth: int | None  # Linux only: memory the process allocated
    file_growth: int | None  # Linux only: pages of the mapped model file

    @property
    def peak_mib(self) -> float:
        return self.peak_growth / 2 ** 20


def measure_peak_memory(path: str | os.PathLike, n_ctx: int, *, mmap: bool | None = None,
                        threads: int = 2, timeout: float = 600) -> MeasuredMemory:
    """Load ``path`` at ``n_ctx`` in a child process, evaluate a prompt that fills the context,
    and return how much the process grew. Raises RuntimeError if the child fails."""
    code = "import sys; from localchat.core.testing.fit_measure import _child; _child(sys.argv[1:])"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [
        str(Path(__file__).resolve().parents[2]), os.environ.get("PYTHONPATH", "")]))}
    out = subprocess.run([sys.executable, "-c", code, str(path), str(n_ctx), {None: "app", True: "1", False: "0"}[mmap], str(threads)],
                         capture_output=True, text=True, timeout=timeout, env=env)
    if out.returncode != 0:
        raise RuntimeError(f"measuring {path} failed: {out.stderr.strip()[-2000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return MeasuredMemory(**data)


def _status() -> dict[str, int]:
    """RSS now, its peak so far, and (on Linux) its anonymous and file-backed parts."""
    import psutil

    info = {"rss": psutil.Process().memory_info().rss}
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "RssAnon", "RssFile"):
                    info[key] = int(value.split()[0]) * 1024
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        info["VmHWM"] = peak if sys.platform == "darwin" else peak * 1024
    return info


def _child(argv: list[str]) -> None:
    path, n_ctx, mmap, threads = argv[0], int(argv[1]), argv[2], int(argv[3])
    import gguf  # noqa: F401 - modules the engine imports on its first load are not the model's memory
    import jinja2.sandbox  # noqa: F401
    import llama_cpp  # noqa: F401

    from localchat.core.inference.engine import Engine, llama_options
    from localchat.core.inference.llama import open_model

    before = _status()
    if mmap == "app":
        engine = Engine()
        engine.load(path, n_ctx=n_ctx, n_threads=threads, memory_check=False)
        llm = engine._llm
    else:  # the engine's parameters, the file mapped or read as asked
        options = {**llama_options(n_ctx=n_ctx, n_threads=threads, n_gpu_layers=0), "use_mmap": mmap == "1"}
        llm = open_model(path, verbose=False, **options)
    n_vocab, ctx = llm.n_vocab(), llm.n_ctx()
    # ordinary tokens from the middle of the vocabulary; what they say does not matter
    span = max(1, n_vocab // 2)
    tokens = [llm.token_bos()] + [n_vocab // 4 + (i * 7919) % span for i in range(ctx - 2)]
    llm.eval(tokens)
    after = _status()
    anon = after["RssAnon"] - before["RssAnon"] if "RssAnon" in after else None
    file = after["RssFile"] - before["RssFile"] if "RssFile" in after else None
    peak = max(after.get("VmHWM", 0), after["rss"]) - before["rss"]
    print(json.dumps({"n_ctx": ctx, "filled_tokens": len(tokens), "peak_growth": peak,
                      "anon_growth": anon, "file_growth": file}))
