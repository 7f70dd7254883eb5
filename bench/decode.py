"""Decode speed against the memory-bandwidth limit, prompt processing and llama.cpp options,
all through raw ``llama_cpp.Llama`` objects opened with the engine's own options.
"""

from __future__ import annotations

from dataclasses import dataclass

from bench.bandwidth import ReadBandwidth, bytes_per_token
from bench.common import RawRun, alternate, median, open_llama, raw_run, text_tokens


@dataclass(frozen=True)
class DecodeLimit:
    decode_tps: float
    prompt_tps: float
    bandwidth: float  # bytes/s
    bandwidth_how: str
    bytes_per_token: float
    best_ratio: float  # the round whose decode came closest to its neighbouring bandwidth reading

    @property
    def limit_tps(self) -> float:
        return self.bandwidth / self.bytes_per_token

    @property
    def ratio(self) -> float:
        return self.decode_tps / self.limit_tps


def decode_limit(model, *, rounds: int = 3, n_prompt: int = 64, n_decode: int = 16,
                 buffer_bytes: int = 1 << 30, log=print) -> DecodeLimit:
    """Decode tokens/s × bytes per token ÷ read bandwidth, the two measured alternately."""
    from localchat.core.models.gguf import read_local

    facts = read_local(model)
    llm = open_llama(model, n_ctx=n_prompt + n_decode + 64)
    reader = ReadBandwidth(buffer_bytes)
    runs: list[RawRun] = []
    try:
        raw_run(llm, text_tokens(llm, 16, seed=99), 2)  # warm up: first-call costs

        def decode() -> float:
            run = raw_run(llm, text_tokens(llm, n_prompt, seed=len(runs)), n_decode)
            runs.append(run)
            log(f"    decode {run.decode_tps:.2f} tok/s, prompt {run.prompt_tps:.1f} tok/s")
            return run.decode_tps

        def bandwidth() -> float:
            rate = reader.measure()
            log(f"    read bandwidth {rate / 1e9:.1f} GB/s")
            return rate

        got = alternate({"bandwidth": bandwidth, "decode": decode}, rounds)
    finally:
        llm.close()
    per_token = bytes_per_token(facts, context_tokens=n_prompt + n_decode // 2)
    best = max(tps * per_token / rate for tps, rate in zip(got["decode"], got["bandwidth"]))
    return DecodeLimit(median(got["decode"]), median([r.prompt_tps for r in runs]), median(got["bandwidth"]),
                       reader.how, per_token, best)


@dataclass(frozen=True)
class OptionResult:
    decode_tps: float
    prompt_tps: float
    base_decode_tps: float  # the baseline's runs alternated with this variant's
    base_prompt_tps: float


def compare_options(model, variants: dict[str, dict], *, rounds: int = 3, n_prompt: int = 256,
                    n_decode: int = 16, log=print) -> dict[str, OptionResult]:
    """Each variant's llama.cpp options (on top of the engine's) against the first variant, the
    baseline, which stays loaded while the others are loaded beside it one at a time and run
    alternately with it: at most two copies of the model in memory, each ratio from one pairing."""
    names = list(variants)
    base_name = names[0]
    n_ctx = n_prompt + n_decode + 64
    out: dict[str, OptionResult] = {}
    base = open_llama(model, n_ctx=n_ctx, **variants[base_name])
    try:
        raw_run(base, text_tokens(base, 16, seed=99), 2)
        for name in names[1:]:
            other = open_llama(model, n_ctx=n_ctx, **variants[name])
            runs: dict[str, list[RawRun]] = {base_name: [], name: []}
            try:
                raw_run(other, text_tokens(other, 16, seed=99), 2)

                def runner(label: str, llm):
                    def run() -> float:
                        result = raw_run(llm, text_tokens(llm, n_prompt, seed=len(runs[label])), n_decode)
                        runs[label].append(result)
                        log(f"    {label}: decode {result.decode_tps:.2f} tok/s, prompt {result.prompt_tps:.1f} tok/s")
                        return result.decode_tps
                    return run

                alternate({base_name: runner(base_name, base), name: runner(name, other)}, rounds)
            finally:
                other.close()
            mine, theirs = runs[name], runs[base_name]
            out[name] = OptionResult(median([r.decode_tps for r in mine]), median([r.prompt_tps for r in mine]),
                                     median([r.decode_tps for r in theirs]), median([r.prompt_tps for r in theirs]))
    finally:
        base.close()
    return out
