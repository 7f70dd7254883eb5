"""A remote backend's replies against the same server hit directly (not a test: it prints a table).

llama-cpp-python's own OpenAI-compatible server (``python -m llama_cpp.server``) serves one model
on a free local port. Alternated round by round (A B, B A, ...), the same streamed chat
completion is asked by the official ``openai`` client directly, and through localchat's
``RemoteBackend`` (its thread, its reader thread, its batching of text, its events), timed as a
listener of its events sees them. Every round asks a different question, so the server's prompt
cache favours neither side.

Figures: tokens/s through the remote path ÷ direct (target ≥ 0.97), and the time to first token
it adds (target ≤ 20 ms).

    python bench/remote.py [--model PATH] [--rounds 6] [--tokens 96]
"""

from __future__ import annotations

import argparse
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.api import question  # noqa: E402
from bench.common import load_summary, model_or_demo  # noqa: E402
from localchat.core.backends.config import BackendConfig, normalise_url  # noqa: E402
from localchat.core.backends.remote import RemoteBackend  # noqa: E402
from localchat.core.chat.messages import USER, Message, Sampling  # noqa: E402
from localchat.core.inference.worker import ChatJob, ReplyDelta, ReplyFinished  # noqa: E402


def start_server(model: Path, threads: int) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", "bench",
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048", "--n_threads", str(threads)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import openai

    client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="none", max_retries=0, timeout=5)
    deadline = time.monotonic() + 120
    while True:
        try:
            client.models.list()
            return process, f"http://127.0.0.1:{port}"
        except openai.OpenAIError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("llama_cpp.server did not start") from None
            time.sleep(0.2)


def direct_run(client, i: int, tokens: int) -> tuple[float, float]:
    """(tokens/s, seconds to first token) as the openai client sees the stream."""
    started = time.perf_counter()
    first = last = None
    pieces, usage = 0, None
    for chunk in client.chat.completions.create(
            model="bench", messages=[{"role": "user", "content": question(i)}], stream=True,
            temperature=0, top_p=0.95, seed=1, max_tokens=tokens, stream_options={"include_usage": True}):
        if chunk.usage is not None:
            usage = chunk.usage.completion_tokens  # as the backend counts them, when the server says
        if chunk.choices and chunk.choices[0].delta.content:
            last = time.perf_counter()
            first = first or last
            pieces += 1
    pieces = usage or pieces
    if first is None:
        raise RuntimeError("the server wrote no text; try another --model")
    return ((pieces - 1) / (last - first) if pieces > 1 and last > first else 0.0), first - started


def remote_run(backend: RemoteBackend, i: int, tokens: int) -> tuple[float, float]:
    """(tokens/s, seconds to first token) as a listener of the backend's events sees them."""
    times: list[float] = []
    finished = threading.Event()
    stats = []

    def listen(event):
        if isinstance(event, ReplyDelta):
            times.append(time.perf_counter())
        elif isinstance(event, ReplyFinished):
            stats.append(event.stats)
            finished.set()

    unsubscribe = backend.subscribe(listen)
    started = time.perf_counter()
    backend.submit(ChatJob([Message(USER, question(i))], Sampling(temperature=0, seed=1, max_tokens=tokens)))
    finished.wait()
    unsubscribe()
    used = stats[0].completion_tokens
    first, last = times[0], times[-1]
    return ((used - 1) / (last - first) if used > 1 and last > first else 0.0), first - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, help="a GGUF file (default: the demo model)")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--tokens", type=int, default=96)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    import openai

    model = model_or_demo(args.model)
    if model is None:
        return 2
    process, url = start_server(Path(model), args.threads)
    client = openai.OpenAI(base_url=f"{url}/v1", api_key="none", max_retries=0, timeout=600)
    backend = RemoteBackend(BackendConfig("bench", normalise_url(url)), model="bench").start()
    try:
        direct_run(client, 999, 8)  # warm up both paths once
        remote_run(backend, 998, 8)
        rates = {"direct": [], "remote": []}
        ttft = {"direct": [], "remote": []}
        for r in range(args.rounds):
            for side in (("direct", "remote") if r % 2 == 0 else ("remote", "direct")):
                i = 2 * r + (side == "remote")
                rate, first = (direct_run(client, i, args.tokens) if side == "direct"
                               else remote_run(backend, i, args.tokens))
                rates[side].append(rate)
                ttft[side].append(first)
    finally:
        backend.stop()
        process.terminate()
        process.wait(10)
    d, m = statistics.median(rates["direct"]), statistics.median(rates["remote"])
    added_ms = (statistics.median(ttft["remote"]) - statistics.median(ttft["direct"])) * 1000
    print(f"\nbench/remote.py · {Path(model).name} on llama_cpp.server · {args.rounds} rounds of "
          f"{args.tokens} tokens, alternated · {load_summary()}")
    print(f"  openai client, direct   {d:8.1f} tok/s   (median)")
    print(f"  RemoteBackend           {m:8.1f} tok/s   ratio {m / d:.3f}  target ≥ 0.97  "
          f"{'ok' if m / d >= 0.97 else 'MISSED'}")
    print(f"  added time to first token  {added_ms:6.1f} ms   target ≤ 20 ms  "
          f"{'ok' if added_ms <= 20 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
