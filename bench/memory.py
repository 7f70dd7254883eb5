"""Memory and load time of a loaded model, each in a fresh process, against the fit prediction.

A child process imports the engine, notes its RSS, loads the model through ``Engine.load`` (the
app's own path and options), generates a few tokens so every buffer llama.cpp uses has been
touched, and notes its RSS again: the difference is what the model costs the app. The parent
compares it with ``localchat.core.models.fit.estimate_memory`` for the same file and context, and
alternates variants of the load options (mmap on and off) in fresh processes.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class LoadedMemory:
    rss_delta: int  # bytes the load added to the process
    file_backed: int  # of which pages mapped from the model file
    load_s: float

    @classmethod
    def of_child(cls, output: str) -> "LoadedMemory":
        data = json.loads(output)
        return cls(data["rss_delta"], data["file_backed"], data["load_s"])


def _child(model: str, n_ctx: int, options: dict) -> None:
    import psutil

    from localchat.core.chat.messages import USER, Message, Sampling
    from localchat.core.inference import engine as engine_module

    if options:  # the variant under test, on top of the engine's own options
        defaults = engine_module.llama_options
        engine_module.llama_options = lambda **kw: {**defaults(**kw), **options}
    import llama_cpp  # noqa: F401  (imported before the first reading, as the app has it by then)

    proc = psutil.Process()
    before = proc.memory_full_info()
    engine = engine_module.Engine()
    info = engine.load(model, n_ctx=n_ctx, memory_check=False)
    for _ in engine.stream_chat([Message(USER, "Hello, how are you?")], Sampling(max_tokens=4, seed=1)):
        pass
    after = proc.memory_full_info()
    print(json.dumps({"rss_delta": after.rss - before.rss, "file_backed": after.shared - before.shared,
                      "load_s": info.load_s}))


def loaded_memory(model, n_ctx: int, **options) -> LoadedMemory:
    """Load ``model`` in a fresh process and measure it."""
    from bench.common import run_child

    return LoadedMemory.of_child(run_child("memory", str(model), str(n_ctx), json.dumps(options), timeout=1800))


def predicted_bytes(model, n_ctx: int) -> int:
    from localchat.core.models.fit import estimate_memory
    from localchat.core.models.gguf import read_local

    return estimate_memory(read_local(model), n_ctx=n_ctx).total_bytes


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    _child(sys.argv[2], int(sys.argv[3]), json.loads(sys.argv[4]))
