"""The whole benchmark suite: one table, every figure a ratio measured in the same run.

    python -m bench                 # the 7B model (written into the cache once) and the demo model
    python -m bench --quick         # a tiny model and short runs: checks that the suite works
    python -m bench --only stream,ttft --markdown table.md

Models are written by bench/make_model.py into $LOCALCHAT_BENCH_CACHE (~/.cache/localchat-bench).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SECTIONS = ("decode", "threads", "options", "stream", "ttft", "startup", "memory")
GIB = 1024 ** 3


@dataclass(frozen=True)
class Plan:
    """What to run on which models, and how long."""

    big: Path  # the 7B-class model (a tiny one in --quick)
    real: Path | None  # a real model for the stream and TTFT figures: the demo model
    fast: Path  # a tiny model that streams hundreds of tokens/s: the GUI's worst case
    quick: bool
    rounds: int
    n_prompt: int
    n_decode: int
    option_prompt: int
    stream_tokens: int

    @classmethod
    def make(cls, quick: bool, big: Path | None, workdir: Path, log=print) -> "Plan":
        from localchat.core.demo import install_demo_model
        from localchat.core.tiny_model import ModelShape, write_tiny_gguf

        fast = write_tiny_gguf(workdir / "tiny-fast.gguf", ModelShape(n_layer=2, n_embd=128, n_ff=256))
        if quick:
            return cls(big or fast, None, fast, True, rounds=1, n_prompt=16, n_decode=4, option_prompt=16,
                       stream_tokens=24)
        if big is None:
            from bench.make_model import make_models

            log("The 7B model is written into the cache once (about 10 minutes, 12 GB of disk while it is made).")
            big = make_models("llama2-7b", ("Q4_K_M",), log=log)[0]
        return cls(big, install_demo_model(), fast, False, rounds=3, n_prompt=64, n_decode=16, option_prompt=256,
                   stream_tokens=192)


def _decode(plan: Plan, report) -> None:
    from bench.common import Row
    from bench.decode import decode_limit

    d = decode_limit(plan.big, rounds=plan.rounds, n_prompt=plan.n_prompt, n_decode=plan.n_decode,
                     buffer_bytes=(64 << 20) if plan.quick else (1 << 30))
    name = plan.big.stem
    report.add(
        Row("bandwidth", "memory read bandwidth", d.bandwidth / 1e9, "GB/s", note=d.bandwidth_how),
        Row("decode", f"{name} decode", d.decode_tps, "tok/s", d.ratio, "× bytes/token ÷ bandwidth", "≥ 0.8",
            f"{d.bytes_per_token / 1e9:.2f} GB read per token: the limit is {d.limit_tps:.2f} tok/s"),
        Row("prompt", f"{name} prompt processing ({plan.n_prompt} tokens)", d.prompt_tps, "tok/s",
            d.prompt_tps / d.decode_tps if d.decode_tps else None, "÷ decode tok/s"))


def _threads(plan: Plan, report) -> None:
    import psutil

    from bench.common import Row
    from bench.decode import thread_sweep
    from localchat.core.engine import default_threads

    logical = psutil.cpu_count() or 1
    counts = sorted({1, 2, default_threads(), logical} & set(range(1, logical + 1)))
    sweep = thread_sweep(plan.big, counts, rounds=plan.rounds, n_prompt=plan.n_prompt, n_decode=plan.n_decode)
    best_decode = max(v[0] for v in sweep.values())
    best_prompt = max(v[1] for v in sweep.values())
    for t, (decode, prompt) in sweep.items():
        mark = " (the default)" if t == default_threads() else ""
        report.add(Row("threads", f"{t} threads{mark}: decode", decode, "tok/s", decode / best_decode, "÷ best"),
                   Row("threads", f"{t} threads{mark}: prompt", prompt, "tok/s", prompt / best_prompt, "÷ best"))


def _options(plan: Plan, report) -> None:
    import llama_cpp

    from bench.common import Row
    from bench.decode import compare_options

    variants = {
        "engine defaults": {},
        "flash attention on": {"flash_attn": True},
        "flash attention off": {"flash_attn": False},
        "q8_0 KV cache": {"flash_attn": True, "type_k": llama_cpp.GGML_TYPE_Q8_0, "type_v": llama_cpp.GGML_TYPE_Q8_0},
        "n_batch 128": {"n_batch": 128, "n_ubatch": 128},
        "n_batch 2048": {"n_batch": 2048, "n_ubatch": 512},
    }
    got = compare_options(plan.big, variants, rounds=plan.rounds, n_prompt=plan.option_prompt,
                          n_decode=plan.n_decode)
    base_decode, base_prompt = got["engine defaults"]
    for name, (decode, prompt) in got.items():
        report.add(Row("options", f"{name}: decode at {plan.option_prompt} tokens of context", decode, "tok/s",
                       decode / base_decode, "÷ engine defaults"),
                   Row("options", f"{name}: prompt ({plan.option_prompt} tokens)", prompt, "tok/s",
                       prompt / base_prompt, "÷ engine defaults"))


def _stream(plan: Plan, report) -> None:
    from bench.common import Row
    from bench.stream import measure_stream

    models = [("real", plan.real), ("fast", plan.fast)] if plan.real else [("fast", plan.fast)]
    for label, model in models:
        rounds = max(plan.rounds, 1 if plan.quick else 5)
        s = measure_stream(model, rounds=rounds, tokens=plan.stream_tokens)
        report.add(Row("stream", f"{model.stem}: app path", s.app_tps, "tok/s", s.ratio,
                       "÷ raw llama-cpp-python loop", "≥ 0.97", f"{s.rounds} rounds of ≤{s.tokens} tokens"),
                   Row("stream", f"{model.stem}: longest GUI stall while streaming", s.longest_stall_ms, "ms",
                       s.longest_stall_ms / 50, "÷ 50 ms", "≤ 1.0", f"token batches every {s.batch_seconds * 1000:.0f} ms"))


def _ttft(plan: Plan, report) -> None:
    from bench.common import Row
    from bench.ttft import turn_times

    for model in [m for m in (plan.big, plan.real) if m]:
        t = turn_times(model, rounds=max(1, plan.rounds - 1), reply_tokens=4 if plan.quick else 12)
        report.add(Row("ttft", f"{model.stem}: TTFT turn {t.turns}", t.ttft_last * 1000, "ms", t.ratio, "÷ turn 1",
                       "≤ 1.5", f"turn 1 {t.ttft_first * 1000:.0f} ms; turn {t.turns} evaluated "
                                f"{t.evaluated_last} of {t.prompt_last} prompt tokens, turn 1 {t.evaluated_first}"),
                   Row("ttft", f"{model.stem}: TTFT turn {t.turns}, empty cache", t.ttft_last_cold * 1000, "ms",
                       t.ttft_last_cold / t.ttft_last if t.ttft_last else None, "÷ with the cache reused"))


def _startup(plan: Plan, report) -> None:
    from bench.common import Row, alternate, median
    from bench.startup import start

    got = alternate({"app": lambda: start("app"), "qt": lambda: start("qt")}, max(plan.rounds, 1 if plan.quick else 5))
    app_s, qt_s = median([s.shown_s for s in got["app"]]), median([s.shown_s for s in got["qt"]])
    app_rss, qt_rss = median([s.idle_rss for s in got["app"]]), median([s.idle_rss for s in got["qt"]])
    report.add(Row("startup", "start to a shown window", app_s, "s", app_s / 1.0, "÷ 1 s", "≤ 1.0",
                   f"a bare PySide6 window: {qt_s:.2f} s ({app_s / qt_s:.1f}×)"),
               Row("startup", "idle memory, no model (RSS)", app_rss / 1e6, "MB", app_rss / 150e6, "÷ 150 MB", "≤ 1.0",
                   f"a bare PySide6 window: {qt_rss / 1e6:.0f} MB"))


def _memory(plan: Plan, report) -> None:
    from bench.common import Row, alternate, median
    from bench.memory import loaded_memory, predicted_bytes

    n_ctx = 512 if plan.quick else 4096
    predicted = predicted_bytes(plan.big, n_ctx)
    got = alternate({"defaults": lambda: loaded_memory(plan.big, n_ctx),
                     "mmap": lambda: loaded_memory(plan.big, n_ctx, use_mmap=True),
                     "no mmap": lambda: loaded_memory(plan.big, n_ctx, use_mmap=False)},
                    1 if plan.quick else 2)
    for name, runs in got.items():
        rss = median([r.rss_delta for r in runs])
        file_backed = median([r.file_backed for r in runs])
        load_s = median([r.load_s for r in runs])
        report.add(Row("memory", f"{plan.big.stem} loaded, context {n_ctx}, engine {name}", rss / GIB, "GiB",
                       rss / predicted, "÷ fit prediction", "≤ 1.1",
                       f"prediction {predicted / GIB:.2f} GiB; {file_backed / GIB:.2f} GiB of it mapped from the file; "
                       f"loaded in {load_s:.1f} s"))


RUNNERS = {"decode": _decode, "threads": _threads, "options": _options, "stream": _stream, "ttft": _ttft,
           "startup": _startup, "memory": _memory}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tiny model and short runs (a smoke test)")
    parser.add_argument("--model", type=Path, help="the large model (default: the cached Llama-2-7B shape, Q4_K_M)")
    parser.add_argument("--only", help=f"comma-separated sections: {','.join(SECTIONS)}")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    sections = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from bench.common import Report, load_summary, machine_summary, markdown_table, quiet_llama_logs

    quiet_llama_logs()
    report = Report()
    print(f"machine: {machine_summary()}\nstart: {load_summary()}", flush=True)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="localchat-bench-") as workdir:
        plan = Plan.make(args.quick, args.model, Path(workdir))
        for section in sections:
            print(f"\n[{section}]", flush=True)
            RUNNERS[section](plan, report)
    end_load = load_summary()
    table = markdown_table(report.rows)
    print(f"\n{table}\n\nmachine: {machine_summary()}\nend: {end_load}; "
          f"{time.perf_counter() - started:.0f} s in all")
    if args.markdown:
        args.markdown.write_text(f"{table}\n\nMachine: {machine_summary()}. At the end: {end_load}.\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
