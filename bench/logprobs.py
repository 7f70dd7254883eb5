"""Token probabilities: what reading them costs a reply, and what keeping them costs the history.

Speed: decode tokens/s of the engine's own loop with probabilities on (k = 10 alternatives a
token, ``Sampling.logprobs``) ÷ the same loop with them off (target ≥ 0.95), alternated in one
run on the same model, prompt and seed; the median of each round's own ratio. Models: the demo
instruct model (SmolLM2-135M, 49,152 tokens) and a random-weight model of ``bench.make_model``
with Llama's real 32,000-piece vocabulary: by default the TinyLlama-1.1B shape (22 layers,
2,048 wide), with ``--7b`` the Llama-2-7B shape. The work a token's probabilities add is one
pass over the vocabulary (the log-softmax normaliser and the entropy) and a partial sort, the
same for every model of that vocabulary: a 7B model spends about 6× the 1.1B's time on each
token, so the 1.1B's ratio is a floor for the 7B's.

Memory: bytes a reply's probabilities add per 1,000 tokens, as stored (the BLOB, and the growth
of the history file), and while the reply is written (the ``TokenChoice`` objects the stream
yields, and the ``ReplyTokens`` the stats carry), measured with ``tracemalloc``.

    python bench/logprobs.py [--rounds 3] [--tokens 64] [--7b]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import tracemalloc
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import Report, Row, alternate, demo_bench_start, load_summary, markdown_table, median  # noqa: E402
from localchat.core.chat.messages import USER, Message, Sampling  # noqa: E402

QUESTION = "Write a long story about a lighthouse keeper and the ships she guides home."
SEED = 11
K = 10
ONE_B = "tinyllama-1.1b"


def engine_for(path: Path, n_ctx: int = 2048):
    from localchat.core.inference.engine import Engine

    engine = Engine()
    engine.load(path, n_ctx=n_ctx, memory_check=False)
    return engine


def speed_rows(path: Path, label: str, *, rounds: int, tokens: int) -> list[Row]:
    engine = engine_for(path)
    messages = [Message(USER, QUESTION)]
    # min_p 0 and no end of turn: every run decodes the same number of tokens
    base = Sampling(seed=SEED, max_tokens=tokens, min_p=0.0)
    counts: list[int] = []

    def run(logprobs: int | None) -> float:
        *_, stats = engine.stream_chat(messages, base.with_(logprobs=logprobs), keep_cache=False)
        counts.append(stats.completion_tokens)
        return stats.tokens_per_s

    try:
        run(K)  # warm up
        got = alternate({"off": lambda: run(None), "on": lambda: run(K)}, rounds)
    finally:
        engine.close()
    ratio = median([on / off for on, off in zip(got["on"], got["off"]) if off])
    section = f"logprobs · {label}"
    note = f"{min(counts)}–{max(counts)} tokens a reply"
    return [
        Row(section, "probabilities off", median(got["off"]), "tok/s", note=note),
        Row(section, f"probabilities on (k = {K})", median(got["on"]), "tok/s", ratio, "÷ off", "≥ 0.95"),
    ]


def memory_rows(path: Path, tokens: int) -> list[Row]:
    from localchat.core.chat.session import ChatSession
    from localchat.core.chat.stats import TokenEvent
    from localchat.core.history.store import Store

    engine = engine_for(path, n_ctx=max(2048, tokens + 256))
    try:
        with tempfile.TemporaryDirectory(prefix="localchat-bench-") as folder:
            database = Path(folder) / "history.sqlite3"
            with Store.open(database) as store:
                sampling = Sampling(seed=SEED, max_tokens=tokens, min_p=0.0)
                sizes = {}
                for name, logprobs in (("off", None), ("on", K)):
                    session = ChatSession(store, model_name="bench",
                                          sampling=sampling.with_(logprobs=logprobs))
                    turn = session.send(QUESTION)
                    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    before = database.stat().st_size
                    tracemalloc.start()
                    events = list(engine.stream_chat(turn.messages, turn.sampling, keep_cache=False))
                    held, _peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    *body, stats = events
                    turn.feed("".join(e.text for e in body if isinstance(e, TokenEvent)))
                    turn.finish(stats)
                    store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                    sizes[name] = (stats.completion_tokens, held, database.stat().st_size - before, stats)
    finally:
        engine.close()
    n_on, held_on, file_on, stats = sizes["on"]
    n_off, held_off, file_off, _ = sizes["off"]
    per_k = 1000 / max(1, n_on)
    blob = len(stats.tokens.to_blob())
    section = f"logprobs · memory (k = {K}, {n_on} tokens)"
    return [
        Row(section, "stored BLOB per 1,000 tokens", blob * per_k / 1024, "KiB",
            note=f"{blob / max(1, n_on):.0f} bytes a token"),
        Row(section, "history file growth per 1,000 tokens", (file_on - file_off * n_on / max(1, n_off))
            * per_k / 1024, "KiB", note="on, less off's growth for as many tokens"),
        Row(section, "while written, per 1,000 tokens", (held_on - held_off * n_on / max(1, n_off))
            * per_k / 1024, "KiB", note="the stream's TokenChoice objects and the stats' arrays"),
    ]


def one_b_model() -> Path:
    from bench import make_model
    from localchat.core.testing.tiny_model import ModelShape

    make_model.SHAPES.setdefault(ONE_B, ModelShape(n_layer=22, n_embd=2048, n_ff=5632, n_head=32,
                                                   n_head_kv=4, n_ctx_train=2048))
    (path,) = make_model.make_models(ONE_B, ("Q4_0",))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/logprobs.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--tokens", type=int, default=64)
    parser.add_argument("--7b", dest="seven_b", action="store_true",
                        help="the Llama-2-7B-shaped model instead of the 1.1B one")
    args = parser.parse_args(argv)
    demo = demo_bench_start()
    if demo is None:
        return 1
    report = Report()
    report.add(*speed_rows(demo, "SmolLM2-135M-Instruct", rounds=args.rounds, tokens=args.tokens))
    if args.seven_b:
        from bench.make_model import make_models

        (big,) = make_models("llama2-7b", ("Q4_0",))
        label = "Llama-2-7B shape, Q4_0"
    else:
        big, label = one_b_model(), "TinyLlama-1.1B shape, Q4_0, Llama's 32,000 tokens"
    report.add(*speed_rows(big, label, rounds=args.rounds, tokens=max(16, args.tokens // 2)))
    report.add(*memory_rows(demo, tokens=1000))
    print(load_summary())
    print()
    print(markdown_table(report.rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
