"""Predicted against measured speed: decode tokens/s and time to first token for a 1,000-token
prompt, for the demo models and the 7B/13B-shaped models (``bench.make_model``), as ratios.

The calibration (``core/models/calibration.py``) is measured afresh, as the app measures it on
first start, right before each model (a shared machine's load drifts: the prediction and the
measurement it is held against are taken minutes apart at most); then the model is loaded
through the app's engine, reads a prompt of about ``--prompt-tokens`` tokens and writes
``--decode-tokens`` tokens, and the prediction for that same prompt length and placement is set
against what was measured.
Target: every ratio within ±25% (0.8 to 1.25).

With a GPU build, ``--gpu auto,all,half`` runs each model with the Auto plan's layers (the
memory fit's), every layer, and half of them: the GPU part of the speed model, the GPU layer plan
and the CPU fallback, checked on a real GPU.

    python -m bench.speed_prediction [--models PATH ...] [--gpu cpu|auto|all|half,...]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bench.common import leave, load_summary, machine_summary, quiet_llama_logs

TARGET = (0.8, 1.25)


def default_models() -> list[Path]:
    from bench.make_model import cache_dir
    from localchat.core.models.demo import install_demo_model, install_instruct_model

    found = [install_instruct_model(), install_demo_model()]
    for name in ("llama2-7b-random-q4_0.gguf", "llama2-13b-random-q4_0.gguf"):
        path = cache_dir() / name
        if path.is_file():
            found.append(path)
    return [p for p in found if p is not None]


def prompt_text(words: int, seed: int) -> str:
    vocabulary = ("the model reads every weight once for each token it writes so memory bandwidth sets "
                  "the pace of local chat on a laptop and a careful program adds nothing on top").split()
    return " ".join(f"{vocabulary[(i * 7 + seed) % len(vocabulary)]}" for i in range(words))


def measure(engine, prompt_tokens: int, decode_tokens: int, seed: int):
    """One run: ~prompt_tokens of prompt from an empty cache, then decode_tokens written."""
    from localchat.core.chat.messages import Sampling
    from localchat.core.chat.stats import GenerationStats

    stats = None
    sampling = Sampling(max_tokens=decode_tokens, seed=seed, temperature=0.7)
    for event in engine.stream_text(prompt_text(prompt_tokens, seed), sampling):
        if isinstance(event, GenerationStats):
            stats = event
    if stats is None or stats.error:
        raise RuntimeError(stats.error if stats else "no reply")
    return stats


def gpu_layers(plan: str, path: Path, hardware, n_ctx: int) -> int:
    from localchat.core.models.fit import fit_model
    from localchat.core.models.gguf import read_local

    facts = read_local(path)
    if plan == "cpu":
        return 0
    if plan == "all":
        return (facts.n_layers or 0) + 1
    if plan == "half":
        return ((facts.n_layers or 0) + 1) // 2
    return fit_model(facts, hardware, n_ctx=n_ctx).n_gpu_layers  # auto


def verdict(ratio: float) -> str:
    return "ok" if TARGET[0] <= ratio <= TARGET[1] else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.speed_prediction",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="*", type=Path,
                        help="GGUF files (default: the demo models, the 7B/13B shapes)")
    parser.add_argument("--prompt-tokens", type=int, default=1000)
    parser.add_argument("--decode-tokens", type=int, default=32)
    parser.add_argument("--gpu", default="cpu", help="placements, comma-separated: cpu, auto, all, half")
    args = parser.parse_args(argv)
    quiet_llama_logs()

    from localchat.core.hardware import detect_hardware
    from localchat.core.inference.engine import Engine, default_threads
    from localchat.core.models.calibration import measure_calibration
    from localchat.core.models.facts import ModelFacts
    from localchat.core.models.gguf import read_local
    from localchat.core.models.speed import predict_speed

    print(f"# Speed prediction against measurement\n\n{machine_summary()}; {load_summary()}\n")
    hardware = detect_hardware()
    started = time.perf_counter()
    calibration = measure_calibration(hardware)
    gpu = hardware.offload_gpu
    if gpu is not None:
        calibration = calibration.with_gpu(gpu.memory_bandwidth)
    c = calibration
    print(f"calibration in {time.perf_counter() - started:.1f} s: read {c.cpu_bandwidth / 1e9:.1f} GB/s, "
          f"efficiency {c.cpu_efficiency:.2f}, {1000 * c.token_overhead_s:.1f} ms/token fixed, "
          f"prompt {c.cpu_flops / 1e9:.0f} GFLOP/s"
          + (f"; GPU {gpu.name} {c.gpu_bandwidth / 1e9:.0f} GB/s" if gpu and c.gpu_bandwidth else ""))
    print()
    header = ("| model | placement | predicted tok/s | measured tok/s | ratio | predicted TTFT "
              "| measured TTFT | ratio | prompt tokens |")
    rows: list[str] = []
    n_ctx = max(2048, args.prompt_tokens + args.decode_tokens + 64)
    for index, path in enumerate(args.models or default_models()):
        facts = ModelFacts.from_gguf(read_local(path))
        if index:  # the first model's is the one measured above
            calibration = measure_calibration(hardware)
            if gpu is not None:
                calibration = calibration.with_gpu(gpu.memory_bandwidth)
            print(f"(calibration again: read {calibration.cpu_bandwidth / 1e9:.1f} GB/s, "
                  f"{1000 * calibration.token_overhead_s:.1f} ms/token fixed, "
                  f"prompt {calibration.cpu_flops / 1e9:.0f} GFLOP/s)", flush=True)
        for plan in args.gpu.split(","):
            k = gpu_layers(plan, path, hardware, n_ctx)
            engine = Engine()
            try:
                info = engine.load(path, n_ctx=n_ctx, n_threads=default_threads(), n_gpu_layers=k,
                                   memory_check=False)
                measure(engine, 16, 2, seed=0)  # warm-up
                stats = measure(engine, args.prompt_tokens, args.decode_tokens, seed=1)
            except Exception as exc:  # noqa: BLE001 - one model that does not load leaves the others
                rows.append(f"| {path.name} | {plan} ({k} layers) | could not run: {exc} |")
                print(rows[-1], flush=True)
                continue
            finally:
                engine.close()
            used = getattr(info, "n_gpu_layers", k)
            predicted = predict_speed(facts, calibration, n_gpu_layers=used,
                                      prompt_tokens=stats.prompt_tokens)
            measured_ttft = stats.time_to_first_token_s
            decode_ratio = predicted.decode_tps / stats.tokens_per_s if stats.tokens_per_s else 0.0
            ttft_ratio = predicted.ttft_s / measured_ttft if measured_ttft else 0.0
            rows.append(f"| {path.name} | {plan} ({used} layers) | {predicted.decode_tps:.1f} "
                        f"| {stats.tokens_per_s:.1f} | **{decode_ratio:.2f}** {verdict(decode_ratio)} "
                        f"| {predicted.ttft_s:.1f} s | {measured_ttft:.1f} s "
                        f"| **{ttft_ratio:.2f}** {verdict(ttft_ratio)} | {stats.prompt_tokens} |")
            print(rows[-1], flush=True)
    print("\n" + header)
    print("|" + " --- |" * (header.count("|") - 1))
    print("\n".join(rows))
    print(f"\nratio = predicted ÷ measured; target {TARGET[0]:g}–{TARGET[1]:g}. {load_summary()}")
    return 0


if __name__ == "__main__":
    code = main()
    leave(code)
    sys.exit(code)
