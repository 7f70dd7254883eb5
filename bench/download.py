"""Our download path against a plain ``hf_hub_download`` (not a test: it prints a table).

Both fetch the same 1 GiB file from the same local server that speaks the Hub
(tests/hub_server.py: HEAD /resolve → 302 to a "CDN" origin → GET), alternated A B, B A, …, and
the median of the rounds is kept. Ours also hashes every byte (sha256, on its own thread while
the bytes arrive), checks the size, syncs the file to disk and renames it into the models
folder with an install record; ``hf_hub_download`` only writes the file. The table shows the
throughput ratio (target ≥ 0.95) and the time spent verifying after the last byte arrived.

    python bench/download.py [--size-mib 1024] [--rounds 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localchat.core.downloads import DownloadQueue, JobState  # noqa: E402
from localchat.core.hub import RemoteFile  # noqa: E402
from tests.hub_server import HubServer  # noqa: E402

REPO, FILE = "bench/Big-GGUF", "big-Q4_K_M.gguf"
MIB = 1024 * 1024


def make_file(path: Path, size: int) -> None:
    block = os.urandom(16 * MIB)  # incompressible; repeated blocks are fine for transfer speed
    with open(path, "wb") as fh:
        left = size
        while left:
            n = min(left, len(block))
            fh.write(block[:n])
            left -= n


def plain_hf(endpoint: str, work: Path) -> tuple[float, float]:
    from huggingface_hub import hf_hub_download

    target = work / "hf"
    started = time.perf_counter()
    hf_hub_download(REPO, FILE, local_dir=target, endpoint=endpoint, token=False)
    elapsed = time.perf_counter() - started
    shutil.rmtree(target)
    return elapsed, 0.0


def ours(endpoint: str, work: Path) -> tuple[float, float]:
    models, partials = work / "models", work / "downloads"
    queue = DownloadQueue(models, partials, endpoint=endpoint, token=False)
    remote = RemoteFile(REPO, FILE)
    started = time.perf_counter()
    queue.add(remote)
    job = queue.wait(remote.key)
    elapsed = time.perf_counter() - started
    if job.state != JobState.FINISHED:
        raise SystemExit(f"our download failed: {job.error}")
    verify = queue.verify_seconds
    shutil.rmtree(models)
    shutil.rmtree(partials)
    return elapsed, verify


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where the files go (default: a temp dir)")
    args = parser.parse_args()
    size = args.size_mib * MIB
    work = Path(tempfile.mkdtemp(prefix="localchat-bench-", dir=args.dir))
    try:
        source = work / "source.gguf"
        print(f"writing a {args.size_mib} MiB file…", flush=True)
        make_file(source, size)
        with HubServer() as hub:
            hub.add_file(REPO, FILE, source)
            variants = {"hf_hub_download": plain_hf, "localchat DownloadJob": ours}
            results: dict[str, list[tuple[float, float]]] = {n: [] for n in variants}
            for r in range(args.rounds):
                for name in (list(variants) if r % 2 == 0 else reversed(list(variants))):
                    results[name].append(variants[name](hub.endpoint, work))
                    print(f"  round {r + 1}: {name}: {results[name][-1][0]:.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    base = statistics.median(t for t, _ in results["hf_hub_download"])
    print()
    print(f"{args.size_mib} MiB from a local Hub server, median of {args.rounds} alternated rounds")
    print(f"{'path':<24} {'seconds':>8} {'MiB/s':>8} {'throughput ratio':>17} {'verifying after last byte':>26}")
    for name, runs in results.items():
        seconds = statistics.median(t for t, _ in runs)
        verify = statistics.median(v for _, v in runs)
        ratio = base / seconds
        verdict = "" if name == "hf_hub_download" else ("  ok (≥ 0.95)" if ratio >= 0.95 else "  MISSED (≥ 0.95)")
        verify_text = "-" if name == "hf_hub_download" else f"{verify * 1000:.0f} ms"
        print(f"{name:<24} {seconds:>8.2f} {args.size_mib / seconds:>8.0f} {ratio:>17.2f} {verify_text:>26}{verdict}")


if __name__ == "__main__":
    main()
