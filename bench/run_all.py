"""The whole benchmark suite: one table, every figure a ratio measured in the same run.

    python -m bench                 # the 7B models (written into the cache once) and the demo model
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

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SECTIONS = ("decode", "threads", "options", "stream", "ttft", "startup", "memory")
GIB = 1024 ** 3


@dataclass(frozen=True)
class Plan:
    """What to run on which models, and how long."""

    big: Path  # the 7B-class model (a tiny one in --quick)
    decode_models: tuple[Path, ...]  # the models whose decode speed is set against the bandwidth
    real: Path | None  # a real model for the stream and TTFT figures: the demo model
    fast: Path  # a tiny model that streams hundreds of tokens/s: the GUI's worst case
    quick: bool
    rounds: int
    n_prompt: int
    n_decode: int
    option_prompt: int
    stream_tokens: int
    long_reply_tokens: int

    @classmethod
    def make(cls, quick: bool, big: Path | None, workdir: Path, log=print) -> "Plan":
        from localchat.core.models.demo import install_demo_model
        from localchat.core.testing.tiny_model import ModelShape, write_tiny_gguf

        fast = write_tiny_gguf(workdir / "tiny-fast.gguf", ModelShape(n_layer=2, n_embd=128, n_ff=256))
        if quick:
            return cls(big or fast, (big or fast,), None, fast, True, rounds=1, n_prompt=16, n_decode=4,
                       option_prompt=16, stream_tokens=24, long_reply_tokens=48)
        if big is None:
            from bench.make_model import make_models

            log("The 7B models are written into the cache once (about 15 minutes, 11 GB of disk while they are made).")
            decode_models = tuple(make_models("llama2-7b", ("Q4_0", "Q4_K_M"), log=log))
            big = decode_models[0]  # Q4_0: the faster of the two, so its runs take less time
        else:
            decode_models = (big,)
        return cls(big, decode_models, install_demo_model(), fast, False, rounds=3, n_prompt=64, n_decode=16,
                   option_prompt=256, stream_tokens=192, long_reply_tokens=1500)


def _decode(plan: Plan, report) -> None:
    from bench.common import Row
    from bench.decode import decode_limit

    for model in plan.decode_models:
        d = decode_limit(model, rounds=plan.rounds, n_prompt=plan.n_prompt, n_decode=plan.n_decode,
                         buffer_bytes=(64 << 20) if plan.quick else (1 << 30))
        report.add(
            Row("bandwidth", "memory read bandwidth", d.bandwidth / 1e9, "GB/s", note=d.bandwidth_how),
            Row("decode", f"{model.stem} decode", d.decode_tps, "tok/s", d.ratio, "× bytes/token ÷ bandwidth",
                "≥ 0.8", f"{d.bytes_per_token / 1e9:.2f} GB read per token: the limit is {d.limit_tps:.2f} tok/s; "
                         f"best round {d.best_ratio:.2f}"),
            Row("prompt", f"{model.stem} prompt processing ({plan.n_prompt} tokens)", d.prompt_tps, "tok/s",
                d.prompt_tps / d.decode_tps if d.decode_tps else None, "÷ decode tok/s"))


def _threads(plan: Plan, report) -> None:
    import psutil

    from bench.common import Row
    from bench.threads import sweep, variants_for
    from localchat.core.inference.engine import default_threads

    logical = psutil.cpu_count() or 1
    counts = sorted({1, 2, default_threads(), logical} & set(range(1, logical + 1)))
    got = sweep(plan.big, variants_for(counts, spinning=not plan.quick), rounds=plan.rounds, runs=1 if plan.quick else 2,
                n_prompt=plan.n_prompt, n_decode=plan.n_decode)
    best_decode = max(v[0] for v in got.values())
    best_prompt = max(v[1] for v in got.values())
    for name, (decode, prompt) in got.items():
        report.add(Row("threads", f"{name}: decode", decode, "tok/s", decode / best_decode, "÷ best"),
                   Row("threads", f"{name}: prompt", prompt, "tok/s", prompt / best_prompt, "÷ best"))
    report.notes.append(f"default_threads() here: {default_threads()}")


def _options(plan: Plan, report) -> None:
    import llama_cpp

    from bench.common import Row
    from bench.decode import compare_options

    variants = {
        "engine defaults": {},
        "flash attention on": {"flash_attn": True},
        "q8_0 KV cache": {"flash_attn": True, "type_k": llama_cpp.GGML_TYPE_Q8_0, "type_v": llama_cpp.GGML_TYPE_Q8_0},
        "n_batch 64": {"n_batch": 64, "n_ubatch": 64},
        "n_batch 512": {"n_batch": 512, "n_ubatch": 512},
        "mmap on": {"use_mmap": True},
    }
    got = compare_options(plan.big, variants, rounds=plan.rounds, n_prompt=plan.option_prompt,
                          n_decode=plan.n_decode)
    for name, r in got.items():
        report.add(Row("options", f"{name}: decode at {plan.option_prompt} tokens of context", r.decode_tps, "tok/s",
                       r.decode_tps / r.base_decode_tps, "÷ engine defaults, alternated"),
                   Row("options", f"{name}: prompt ({plan.option_prompt} tokens)", r.prompt_tps, "tok/s",
                       r.prompt_tps / r.base_prompt_tps, "÷ engine defaults, alternated"))


def _stream(plan: Plan, report) -> None:
    from bench.common import Row
    from bench.stream import measure_stream
    from bench.view import measure_view

    runs = [(plan.real, plan.stream_tokens)] if plan.real else []
    runs += [(plan.fast, plan.stream_tokens), (plan.fast, plan.long_reply_tokens)]
    for model, tokens in runs:
        s = measure_stream(model, rounds=1 if plan.quick else 5, tokens=tokens)
        name = f"{model.stem}, {tokens}-token replies"
        report.add(Row("stream", f"{name}: app path", s.app_tps, "tok/s", s.ratio,
                       "÷ raw llama-cpp-python loop", "≥ 0.97", f"median of {s.rounds} alternated rounds"),
                   Row("stream", f"{name}: longest GUI stall", s.longest_stall_ms, "ms",
                       s.longest_stall_ms / 50, "÷ 50 ms", "≤ 1.0", f"token batches every {s.batch_seconds * 1000:.0f} ms"))
    v = measure_view(3000 if plan.quick else 16_000, rounds=1 if plan.quick else 3)
    report.add(Row("stream", f"chat view, a {v.chars:,}-character Markdown reply: longest batch", v.blocks_longest_ms,
                   "ms", v.ratio, "÷ the reply rendered whole per batch", "",
                   f"{v.whole_longest_ms:.0f} ms rendered whole; over its last tenth {v.blocks_last_ms:.1f} against "
                   f"{v.whole_last_ms:.1f} ms"))


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
    variants = {"defaults": lambda: loaded_memory(plan.big, n_ctx)}
    if not plan.quick:
        variants.update({"mmap": lambda: loaded_memory(plan.big, n_ctx, use_mmap=True),
                         "no mmap": lambda: loaded_memory(plan.big, n_ctx, use_mmap=False)})
    got = alternate(variants, 1 if plan.quick else 2)
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
    notes = "".join(f"\n{n}" for n in report.notes)
    print(f"\n{table}\n{notes}\nmachine: {machine_summary()}\nend: {end_load}; "
          f"{time.perf_counter() - started:.0f} s in all")
    if args.markdown:
        args.markdown.write_text(f"{table}\n\nMachine: {machine_summary()}. At the end: {end_load}.\n")
    return 0


if __name__ == "__main__":
    from bench.common import leave

    leave(main())
