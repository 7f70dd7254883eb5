"""Thread count and OpenMP wait policy, each variant in fresh processes, alternated.

llama.cpp's CPU backend (built with OpenMP here) splits every operation of a token across its
threads and meets at a barrier after each one, a few hundred times per token. A thread that
reaches the barrier first spins, by OpenMP's default, burning a core that another program (or
the other llama.cpp thread, or the GUI) could use. On a machine with spare cores that costs
nothing; on a busy one a descheduled thread stalls them all. The engine sets OMP_WAIT_POLICY to
PASSIVE (sleep) unless the environment chooses; OpenMP reads it once, when it starts, so each
variant runs in its own process.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass


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

    line = run_child("threads", str(model), str(variant.threads), str(runs), str(n_prompt), str(n_decode), str(seed),
                     env=variant.env)
    return [tuple(x) for x in json.loads(line)]


def sweep(model, variants: list[ThreadVariant], *, rounds: int = 3, runs: int = 2, n_prompt: int = 64,
          n_decode: int = 16, log=print) -> dict[str, tuple[float, float]]:
    """{variant: (median decode tok/s, median prompt tok/s)}, variants alternated round by round."""
    from bench.common import alternate, median

    got: dict[str, list[tuple[float, float]]] = {v.name: [] for v in variants}

    def runner(v: ThreadVariant):
        def run() -> float:
            results = run_variant(model, v, runs=runs, n_prompt=n_prompt, n_decode=n_decode, seed=len(got[v.name]))
            got[v.name] += results
            log(f"    {v}: " + ", ".join(f"decode {d:.2f} / prompt {p:.1f} tok/s" for d, p in results))
            return median([d for d, _ in results])
        return run

    alternate({v.name: runner(v) for v in variants}, rounds)
    return {name: (median([d for d, _ in rs]), median([p for _, p in rs])) for name, rs in got.items()}


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    _child(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]))
