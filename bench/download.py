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
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from localchat.core.downloads.events import DownloadQueued, DownloadVerifying, JobState
from localchat.core.downloads.hub import RemoteFile  # noqa: E402
from localchat.core.downloads.queue import DownloadQueue
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


@dataclass(frozen=True)
class Run:
    seconds: float  # in all
    cpu: float  # CPU seconds of this process (the server's share is the same for both)
    to_last_byte: float
    verifying: float  # after the last byte: the hash's tail, size check, fsync, rename


def timed(fn) -> tuple[float, float]:
    os.sync()  # write back what the last run left, outside the timing
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - wall, time.process_time() - cpu


def plain_hf(endpoint: str, work: Path) -> Run:
    from huggingface_hub import hf_hub_download

    target = work / "hf"
    seconds, cpu = timed(lambda: hf_hub_download(REPO, FILE, local_dir=target, endpoint=endpoint, token=False))
    shutil.rmtree(target)
    return Run(seconds, cpu, seconds, 0.0)


def ours(endpoint: str, work: Path) -> Run:
    models, partials = work / "models", work / "downloads"
    queue = DownloadQueue(models, partials, endpoint=endpoint, token=False)
    remote = RemoteFile(REPO, FILE)
    marks: list[float] = []
    queue.subscribe(lambda e: marks.append(time.perf_counter()) if isinstance(e, (DownloadQueued, DownloadVerifying))
                    else None)

    def download() -> None:
        queue.add(remote)
        job = queue.wait(remote.key)
        if job.state != JobState.FINISHED:
            raise SystemExit(f"our download failed: {job.error}")

    seconds, cpu = timed(download)
    shutil.rmtree(models)
    shutil.rmtree(partials)
    return Run(seconds, cpu, marks[1] - marks[0], queue.verify_seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None, help="where the files go (default: a temp dir)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="localchat-bench-", dir=args.dir))
    variants = {"hf_hub_download": plain_hf, "localchat DownloadJob": ours}
    results: dict[str, list[Run]] = {n: [] for n in variants}
    try:
        source = work / "source.gguf"
        print(f"writing a {args.size_mib} MiB file…", flush=True)
        make_file(source, args.size_mib * MIB)
        with HubServer() as hub:
            hub.add_file(REPO, FILE, source)
            for r in range(args.rounds):
                for name in (list(variants) if r % 2 == 0 else reversed(list(variants))):
                    results[name].append(variants[name](hub.endpoint, work))
                    print(f"  round {r + 1}: {name}: {results[name][-1].seconds:.2f} s", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def med(name: str, field: str) -> float:
        return statistics.median(getattr(run, field) for run in results[name])

    base = med("hf_hub_download", "seconds")
    print(f"\n{args.size_mib} MiB from a local Hub server, median of {args.rounds} alternated rounds; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'path':<23}{'seconds':>8}{'MiB/s':>7}{'ratio':>7}{'CPU s':>7}{'to last byte':>14}"
          f"{'verifying after':>17}")
    for name in variants:
        seconds = med(name, "seconds")
        ratio = base / seconds
        mine = name != "hf_hub_download"
        verifying = f"{1000 * med(name, 'verifying'):.0f} ms" if mine else "-"
        verdict = ("  ok (target ≥ 0.95)" if ratio >= 0.95 else "  MISSED (target ≥ 0.95)") if mine else ""
        print(f"{name:<23}{seconds:>8.2f}{args.size_mib / seconds:>7.0f}{ratio:>7.2f}{med(name, 'cpu'):>7.2f}"
              f"{med(name, 'to_last_byte'):>14.2f}{verifying:>17}{verdict}")
    print("ratio: hf_hub_download's seconds / these seconds (throughput ratio). verifying after: what is left "
          "after the last byte (the hash's tail, size check, fsync, rename); ours hashes while bytes arrive.")


if __name__ == "__main__":
    main()
