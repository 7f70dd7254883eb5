"""How right the memory fit is: predicted vs measured peak memory, as a table of error %.

For each model at hand (the tiny test model, the demo model, the real-shape models
``bench.make_model`` leaves in its cache, and any ``--model FILE``), at each context size, a
child process loads it, fills the whole context with a prompt and reports its peak RSS
(``localchat.core.testing.fit_measure``). Two loads per row:

- *app*: through ``Engine.load``, as the app loads it (on a CPU build the file is read into
  memory). This is what ``fit.estimate_memory`` predicts; the target is within 10%.
- *mapped*: the same options with the file mapped (mmap). Its RSS counts the weights llama.cpp
  repacks for this CPU twice (the repacked copy and the file's clean, reclaimable pages), so
  Q4_0 files read high; shown for reference, it is why the engine reads files.

    python -m bench.fit_accuracy [--ctx 512,2048] [--large-ctx 1024] [--model FILE ...] [--no-mapped]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from bench.common import load_summary, machine_summary

TARGET = 10.0  # percent
LARGE = 2 * 1024 ** 3  # files above this are measured at --large-ctx only (filling is slow)


def models_at_hand(extra: list[str]) -> list[Path]:
    from bench.make_model import cache_dir
    from localchat.core.models.demo import install_demo_model
    from localchat.core.testing.tiny_model import write_tiny_gguf

    found = [write_tiny_gguf(Path(tempfile.mkdtemp()) / "tiny.gguf")]
    demo = install_demo_model()
    if demo is not None:
        found.append(demo)
    if cache_dir().is_dir():
        found += sorted(cache_dir().glob("*.gguf"))
    return found + [Path(p) for p in extra]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--ctx", default="512,2048", help="context sizes, comma-separated")
    parser.add_argument("--large-ctx", type=int, default=1024, help="the context for files over 2 GB")
    parser.add_argument("--model", action="append", default=[], help="another GGUF file to measure")
    parser.add_argument("--no-mapped", action="store_true", help="skip the load with the file mapped")
    args = parser.parse_args()

    from localchat.core.models.fit import MIB, estimate_memory
    from localchat.core.models.gguf import read_local
    from localchat.core.testing.fit_measure import measure_peak_memory

    print(f"fit accuracy: {machine_summary()}; {load_summary()}")
    header = ("model", "n_ctx", "predicted MiB", "app MiB", "error", "mapped RSS MiB", "error")
    rows, errors = [], []
    for path in models_at_hand(args.model):
        facts = read_local(path)
        contexts = ([args.large_ctx] if path.stat().st_size > LARGE
                    else [int(c) for c in args.ctx.split(",")])
        for n_ctx in contexts:
            predicted = estimate_memory(facts, n_ctx=n_ctx).ram_bytes
            app = measure_peak_memory(path, n_ctx).peak_growth
            error = (predicted / app - 1) * 100
            errors.append(abs(error))
            cells = [path.name, f"{n_ctx:,}", f"{predicted / MIB:,.1f}", f"{app / MIB:,.1f}", f"{error:+.1f}%"]
            if args.no_mapped:
                cells += ["-", "-"]
            else:
                mapped = measure_peak_memory(path, n_ctx, mmap=True).peak_growth
                cells += [f"{mapped / MIB:,.1f}", f"{(predicted / mapped - 1) * 100:+.1f}%"]
            rows.append(cells)
            print("  " + " | ".join(cells), flush=True)
    print()
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |")
    print("| " + " | ".join("-" * w for w in widths) + " |")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    worst = max(errors, default=0.0)
    print(f"\nworst error (app): {worst:.1f}% (target ≤ {TARGET:.0f}%: {'ok' if worst <= TARGET else 'MISSED'})")


if __name__ == "__main__":
    main()
