"""Streaming through the API server against the engine's own loop (not a test: it prints a table).

Both sides run in this process on the same loaded model, alternated round by round (A B, B A,
...) so a change in the machine's load hits both alike: the engine's ``stream_chat`` called
directly while the worker is idle, and the same conversation as a streamed chat completion by
the official ``openai`` client against a real ``ApiServer`` over the inference worker (its job
queue, its 30 ms batching, uvicorn, server-sent events, the client's parsing). Every round asks
a different question, so neither side finds the other's prompt in the KV cache.

Figures: streamed tokens/s through the API ÷ the engine's (target ≥ 0.97); the time to first
token the API adds (target ≤ 20 ms); 8 clients at once: all complete, and their total tokens/s
÷ one client's (target ≥ 0.95).

    python bench/api.py [--model PATH] [--rounds 5] [--tokens 128]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import model_or_demo  # noqa: E402
from localchat.core.chat.messages import USER, Message, Sampling  # noqa: E402
from localchat.core.chat.stats import GenerationStats  # noqa: E402
from localchat.core.inference.worker import InferenceWorker, LoadJob  # noqa: E402
from localchat.server.runner import ApiServer  # noqa: E402

TOPICS = ("the sea", "a mountain village", "the first train", "a lighthouse keeper", "winter in a city",
          "an old library", "a desert crossing", "the night market", "a river journey", "a clockmaker")


def question(i: int) -> str:
    return f"Write a long story about {TOPICS[i % len(TOPICS)]} (round {i})."


def engine_run(worker: InferenceWorker, i: int, tokens: int) -> tuple[float, float]:
    """(tokens/s, seconds to first token) of the engine's loop, called directly."""
    started = time.perf_counter()
    first = last = None
    for event in worker.engine.stream_chat([Message(USER, question(i))],
                                           Sampling(temperature=0, seed=1, max_tokens=tokens),
                                           keep_cache=False):
        if isinstance(event, GenerationStats):  # timed as the client times it: first text to last
            used = event.completion_tokens
            return ((used - 1) / (last - first) if used > 1 and last > first else 0.0), first - started
        last = time.perf_counter()
        first = first or last
    raise RuntimeError("the stream ended without its stats")


def api_run(client, model_id: str, i: int, tokens: int) -> tuple[float, float, int]:
    """(tokens/s, seconds to first token, completion tokens) as the client sees them."""
    started = time.perf_counter()
    first = last = None
    used = 0
    for chunk in client.chat.completions.create(
            model=model_id, messages=[{"role": "user", "content": question(i)}], stream=True,
            temperature=0, seed=1, max_tokens=tokens, stream_options={"include_usage": True}):
        if chunk.usage is not None:
            used = chunk.usage.completion_tokens
        if chunk.choices and chunk.choices[0].delta.content:
            last = time.perf_counter()
            first = first or last
    rate = (used - 1) / (last - first) if used > 1 and last > first else 0.0
    return rate, first - started, used


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the demo model)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--tokens", type=int, default=128)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args(argv)
    import openai

    model = model_or_demo(args.model)
    if model is None:
        return 2
    worker = InferenceWorker().start()
    load = worker.submit(LoadJob(str(model), n_ctx=4096))
    load.done.wait()
    if worker.engine.model is None:
        print(f"could not load {model}", file=sys.stderr)
        return 1
    server = ApiServer(worker, port=0).start()
    client = openai.OpenAI(base_url=server.base_url, api_key="unused", max_retries=0, timeout=600)
    try:
        model_id = client.models.list().data[0].id
        api_run(client, model_id, 999, 8)  # warm up both paths once
        engine_run(worker, 998, 8)
        engine_rates, api_rates, engine_ttft, api_ttft = [], [], [], []
        for r in range(args.rounds):
            order = ("engine", "api") if r % 2 == 0 else ("api", "engine")
            for side in order:
                i = 2 * r + (side == "api")
                if side == "engine":
                    rate, ttft = engine_run(worker, i, args.tokens)
                    engine_rates.append(rate)
                    engine_ttft.append(ttft)
                else:
                    rate, ttft, _ = api_run(client, model_id, i, args.tokens)
                    api_rates.append(rate)
                    api_ttft.append(ttft)
        e_rate, a_rate = statistics.median(engine_rates), statistics.median(api_rates)
        added_ms = statistics.median(a - e for a, e in zip(api_ttft, engine_ttft)) * 1000

        results: dict[int, tuple[float, int]] = {}

        def one(k: int) -> None:
            t0 = time.perf_counter()
            _, _, used = api_run(client, model_id, 100 + k, args.tokens)
            results[k] = (time.perf_counter() - t0, used)

        one(-1)
        single = results.pop(-1)
        single_rate = single[1] / single[0]
        threads = [threading.Thread(target=one, args=(k,)) for k in range(args.clients)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - t0
        total_rate = sum(used for _, used in results.values()) / wall
    finally:
        server.stop()
        worker.stop()

    name = Path(model).name
    print(f"\nbench/api.py · {name} · {args.rounds} rounds of {args.tokens} tokens, alternated")
    print(f"  engine loop          {e_rate:8.1f} tok/s   (median)")
    print(f"  API (openai stream)  {a_rate:8.1f} tok/s   ratio {a_rate / e_rate:.3f}  target ≥ 0.97  "
          f"{'ok' if a_rate / e_rate >= 0.97 else 'MISSED'}")
    print(f"  added time to first token  {added_ms:6.1f} ms   target ≤ 20 ms  "
          f"{'ok' if added_ms <= 20 else 'MISSED'}")
    ratio = total_rate / single_rate
    print(f"  {args.clients} clients at once: {len(results)}/{args.clients} complete, "
          f"{total_rate:.1f} tok/s in all ÷ one client's {single_rate:.1f} = {ratio:.3f}  target ≥ 0.95  "
          f"{'ok' if ratio >= 0.95 and len(results) == args.clients else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
