"""Thread count and OpenMP wait policy, each variant in fresh processes, alternated.

llama.cpp's CPU backend (built with OpenMP here) splits every operation of a token across its
threads and meets at a barrier after each one, a few hundred times per token. A thread that
reaches the barrier first spins or sleeps, as OpenMP's wait policy says. Spinning wins on free
cores; on a busy machine a descheduled thread stalls the others at every barrier, and a single
thread (no barrier) wins. The engine spins for a bounded count (``threads.spin_count``) and
chooses the thread count per reply from how busy the machine is (``threads.choose_threads``).
OpenMP reads its policy once, when it starts, so each variant runs in its own process.

``sweep`` compares raw loops at fixed counts (``python -m bench --only threads``); ``policies``
runs the engine itself under each policy, idle and beside busy processes, with the idle CPU of
a loaded engine:

    python -m bench.threads [--model PATH] [--rounds 3] [--decode 96]
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ThreadVariant:
    name: str
    threads: int
    env: dict

    def __str__(self) -> str:
        return self.name


SPIN_THEN_SLEEP = {"GOMP_SPINCOUNT": "300000"}  # libgomp's own default, which the engine replaces


def variants_for(counts, *, spinning: bool = True) -> list[ThreadVariant]:
    """The engine's way (threads sleep at barriers) for each count, and OpenMP's default."""
    out = [ThreadVariant(f"{t} thread{'s' if t > 1 else ''}", t, {}) for t in counts]
    if spinning:
        out += [ThreadVariant(f"{t} threads, spinning (OpenMP's default)", t, SPIN_THEN_SLEEP)
                for t in counts if t > 1]
    return out


def _child(model: str, threads: int, runs: int, n_prompt: int, n_decode: int, seed: int) -> None:
    from bench.common import open_llama, raw_run, text_tokens

    llm = open_llama(model, n_ctx=n_prompt + n_decode + 64, n_threads=threads)
    raw_run(llm, text_tokens(llm, 16, seed=99), 2)  # warm up
    results = [raw_run(llm, text_tokens(llm, n_prompt, seed=seed + i), n_decode) for i in range(runs)]
    llm.close()
    print(json.dumps([[r.decode_tps, r.prompt_tps] for r in results]))


def run_variant(model, variant: ThreadVariant, *, runs: int, n_prompt: int, n_decode: int,
                seed: int = 0) -> list[tuple[float, float]]:
    """[(decode tok/s, prompt tok/s)] of ``runs`` runs in one fresh process."""
    from bench.common import run_child

    line = run_child("threads", str(model), str(variant.threads), str(runs), str(n_prompt), str(n_decode),
                     str(seed), env=variant.env)
    return [tuple(x) for x in json.loads(line)]


def sweep(model, variants: list[ThreadVariant], *, rounds: int = 3, runs: int = 2, n_prompt: int = 64,
          n_decode: int = 16, log=print) -> dict[str, tuple[float, float]]:
    """{variant: (median decode tok/s, median prompt tok/s)}, variants alternated round by round."""
    from bench.common import alternate, median

    got: dict[str, list[tuple[float, float]]] = {v.name: [] for v in variants}

    def runner(v: ThreadVariant):
        def run() -> float:
            results = run_variant(model, v, runs=runs, n_prompt=n_prompt, n_decode=n_decode,
                                  seed=len(got[v.name]))
            got[v.name] += results
            log(f"    {v}: " + ", ".join(f"decode {d:.2f} / prompt {p:.1f} tok/s" for d, p in results))
            return median([d for d, _ in results])
        return run

    alternate({v.name: runner(v) for v in variants}, rounds)
    return {name: (median([d for d, _ in rs]), median([p for _, p in rs])) for name, rs in got.items()}


# -- the engine under each wait policy, idle and beside busy processes ------------------------------
WAIT_VARIABLES = ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")


@dataclass(frozen=True)
class Policy:
    """A way to run the engine: a wait policy (OpenMP's variables) and a thread count (0: the
    engine's own choice per reply)."""

    name: str
    env: dict
    threads: int = 0

    def __str__(self) -> str:
        return self.name


def app_policy() -> Policy:
    """What localchat does unless the person chose: ``threads.wait_policy_environment`` of an
    environment without OpenMP variables, and the thread count chosen per reply."""
    from localchat.core.inference.threads import wait_policy_environment

    return Policy("localchat: bounded spin, threads per reply", wait_policy_environment({}), 0)


def fixed_policies(cores: int) -> list[Policy]:
    """The fixed policies the adaptive one is measured against."""
    from localchat.core.inference.threads import spin_count

    spins = spin_count(os.cpu_count() or 1)
    s = "s" if cores > 1 else ""
    out = [Policy(f"sleep (PASSIVE), {cores} thread{s}", {"OMP_WAIT_POLICY": "PASSIVE"}, cores),
           Policy(f"spin (ACTIVE), {cores} thread{s}", {"OMP_WAIT_POLICY": "ACTIVE"}, cores),
           Policy(f"spin {spins:,}, {cores} thread{s}", {"GOMP_SPINCOUNT": str(spins)}, cores)]
    if cores > 1:
        out.append(Policy("spin (ACTIVE), 1 thread", {"OMP_WAIT_POLICY": "ACTIVE"}, 1))
    return out


def child_env(policy_env: dict) -> dict:
    """This environment without OpenMP's wait variables (localchat.core sets one on import),
    with ``policy_env``'s, and the repository importable."""
    from bench.common import REPO

    env = {k: v for k, v in os.environ.items() if k not in WAIT_VARIABLES}
    env.update(policy_env)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    return env


def run_policy_child(kind: str, policy: Policy, *args: str, timeout: float = 900) -> dict:
    """``python -m bench.threads --<kind> ARGS`` in a fresh process under ``policy``: its JSON."""
    done = subprocess.run([sys.executable, "-m", "bench.threads", f"--{kind}", str(policy.threads), *args],
                          capture_output=True, text=True, env=child_env(policy.env), timeout=timeout,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"bench.threads --{kind} ({policy}) failed:\n{done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass(frozen=True)
class Reply:
    """One reply's figures, as the engine's own stats give them."""

    decode_tps: float
    ttft_s: float
    prompt_tokens: int
    completion_tokens: int
    threads: list = field(default_factory=list)  # the (decode, batch) counts seen while it streamed


def prompt_text(llm, n_tokens: int, seed: int) -> str:
    from bench.common import text_tokens

    return llm.detokenize(text_tokens(llm, n_tokens, seed=seed)[1:]).decode("utf-8", "replace")


def _engine_child(threads: int, model: str, runs: int, n_prompt: int, n_decode: int, seed: int) -> None:
    from bench.common import SAMPLING, quiet_llama_logs
    from localchat.core.chat.messages import Sampling
    from localchat.core.chat.stats import GenerationStats, TokenEvent
    from localchat.core.inference import llama as native
    from localchat.core.inference.engine import Engine

    quiet_llama_logs()
    engine = Engine()
    engine.load(model, n_ctx=n_prompt + n_decode + 64, n_threads=threads or None, memory_check=False)
    sampling = Sampling(max_tokens=n_decode, temperature=SAMPLING["temp"], top_p=SAMPLING["top_p"],
                        top_k=SAMPLING["top_k"], min_p=SAMPLING["min_p"],
                        repeat_penalty=SAMPLING["repeat_penalty"])
    list(engine.stream_text(prompt_text(engine._llm, 16, 99), Sampling(max_tokens=2)))  # warm up
    out = []
    for i in range(runs):
        seen: set = set()
        for event in engine.stream_text(prompt_text(engine._llm, n_prompt, seed + i),
                                        dataclasses.replace(sampling, seed=seed + i)):
            if isinstance(event, TokenEvent):
                seen.add(native.thread_counts(engine._llm))
            elif isinstance(event, GenerationStats):
                out.append(Reply(event.tokens_per_s, event.time_to_first_token_s, event.prompt_tokens,
                                 event.completion_tokens, sorted(seen)).__dict__)
    engine.close()
    print(json.dumps(out))


def _idle_child(threads: int, model: str, seconds: float) -> None:
    """A model loaded in the engine, one short reply, then nothing: this process's CPU time over
    ``seconds`` from the reply's end, as a share of one core."""
    import psutil

    from bench.common import quiet_llama_logs
    from localchat.core.chat.messages import Sampling
    from localchat.core.inference.engine import Engine

    quiet_llama_logs()
    engine = Engine()
    engine.load(model, n_ctx=256, n_threads=threads or None, memory_check=False)
    list(engine.stream_text("The sea is", Sampling(max_tokens=16)))
    me = psutil.Process()
    before, started = me.cpu_times(), time.monotonic()
    time.sleep(seconds)  # what is measured: a loaded engine doing nothing
    after, elapsed = me.cpu_times(), time.monotonic() - started
    engine.close()
    busy = (after.user + after.system) - (before.user + before.system)
    print(json.dumps({"core_share": busy / elapsed, "seconds": elapsed}))


HOG_CODE = "while True: pass"


@contextlib.contextmanager
def busy_processes(count: int):
    """``count`` processes that each keep one CPU busy while the block runs."""
    hogs = [subprocess.Popen([sys.executable, "-c", HOG_CODE]) for _ in range(count)]
    try:
        yield hogs
    finally:
        for hog in hogs:
            hog.kill()
        for hog in hogs:
            hog.wait()


def hog_count() -> int:
    """One busy process per core but one (at least one)."""
    from localchat.core.inference.threads import core_counts

    return max(1, core_counts()[0] - 1)


def alternate_policies(model, policies: list[Policy], *, rounds: int, runs: int, n_prompt: int, n_decode: int,
                       log=print) -> dict[str, list[Reply]]:
    """Every policy once per round in fresh processes, the order reversed every other round."""
    from bench.common import alternate, median

    got: dict[str, list[Reply]] = {p.name: [] for p in policies}

    def runner(p: Policy):
        def run() -> float:
            args = (str(model), str(runs), str(n_prompt), str(n_decode), str(len(got[p.name])))
            replies = [Reply(**r) for r in run_policy_child("engine-child", p, *args)]
            got[p.name] += replies
            log(f"    {p}: " + ", ".join(f"decode {r.decode_tps:.2f} tok/s (threads {r.threads})"
                                         for r in replies))
            return median([r.decode_tps for r in replies])
        return run

    alternate({p.name: runner(p) for p in policies}, rounds)
    return got


def idle_cpu(model, policies: list[Policy], seconds: float = 10.0, log=print) -> dict[str, float]:
    """{policy: share of one core a loaded, idle engine used over ``seconds``}."""
    out = {}
    for p in policies:
        out[p.name] = run_policy_child("idle-child", p, str(model), str(seconds))["core_share"]
        log(f"    {p}: idle {out[p.name] * 100:.2f}% of a core over {seconds:.0f} s")
    return out


def policies(model, *, rounds: int = 3, runs: int = 2, n_prompt: int = 64, n_decode: int = 96,
             idle_seconds: float = 10.0, log=print):
    """The app's policy against the fixed ones, idle and with busy processes; the idle CPU of
    each. Returns the rows for the table."""
    from bench.common import Row, load_summary, median
    from localchat.core.inference.engine import default_threads

    cores = default_threads()
    fixed = fixed_policies(cores)
    mine = app_policy()
    every = [mine, *fixed]
    rows = []
    log(f"  idle CPU of a loaded engine ({load_summary()})")
    idle = idle_cpu(model, [mine, *fixed[:3]], idle_seconds, log=log)
    for name, share in idle.items():
        rows.append(Row("policy", f"idle engine, model loaded: {name}", share * 100, "% of a core",
                        share * 100, "% of one core", "≤ 1.0" if name == mine.name else "",
                        f"over {idle_seconds:.0f} s after a reply"))
    for condition, hogs in (("idle", 0), (f"{hog_count()} busy process", hog_count())):
        log(f"  {condition} ({load_summary()})")
        with busy_processes(hogs):
            got = alternate_policies(model, every, rounds=rounds, runs=runs, n_prompt=n_prompt,
                                     n_decode=n_decode, log=log)
        decode = {name: median([r.decode_tps for r in rs]) for name, rs in got.items()}
        best_fixed = max((p.name for p in fixed), key=lambda n: decode[n])
        for p in every:
            threads = sorted({tuple(t) for r in got[p.name] for t in r.threads})
            rows.append(Row("policy", f"{Path(model).stem}, {condition}: {p}", decode[p.name], "tok/s",
                            decode[p.name] / decode[best_fixed], f"÷ {best_fixed}",
                            ("≥ 0.95" if hogs == 0 else "≥ 0.9") if p is mine else "",
                            f"threads (decode, batch) seen: {threads}; {load_summary()}"))
    return rows


def main(argv: list[str] | None = None) -> int:
    import argparse

    from bench.common import Report, load_summary, machine_summary, markdown_table, quiet_llama_logs

    parser = argparse.ArgumentParser(prog="python -m bench.threads",
                                     description="the engine's wait and thread policy against fixed ones, "
                                                 "idle and beside busy processes")
    parser.add_argument("--model", type=Path,
                        help="default: Qwen2.5-Coder-1.5B-Instruct, assembled from PyPI")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=1, help="replies per process")
    parser.add_argument("--prompt", type=int, default=64, help="prompt tokens")
    parser.add_argument("--decode", type=int, default=96, help="reply tokens")
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--markdown", type=Path)
    args = parser.parse_args(argv)
    quiet_llama_logs()
    if args.model is None:
        from bench.real_models import assemble

        args.model = assemble()
    print(f"machine: {machine_summary()}\nstart: {load_summary()}", flush=True)
    report = Report()
    report.add(*policies(args.model, rounds=args.rounds, runs=args.runs, n_prompt=args.prompt,
                         n_decode=args.decode, idle_seconds=args.idle_seconds))
    table = markdown_table(report.rows)
    print(f"\n{table}\n\nmachine: {machine_summary()}\nend: {load_summary()}")
    if args.markdown:
        args.markdown.write_text(f"{table}\n\nMachine: {machine_summary()}. At the end: {load_summary()}.\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        _child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]),
               int(sys.argv[7]))
    elif sys.argv[1:2] == ["--engine-child"]:
        _engine_child(int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]),
                      int(sys.argv[7]))
    elif sys.argv[1:2] == ["--idle-child"]:
        _idle_child(int(sys.argv[2]), sys.argv[3], float(sys.argv[4]))
    else:
        from bench.common import leave

        leave(main())
