"""Sizes as people read them: one convention for files, memory, disk space and speeds.

Binary units with their own names: 1 GiB is 2**30 bytes. Memory is what the app mostly talks
about (does this model fit?), and memory is counted in binary: a "16 GB" laptop has 16 GiB and
shows "16.0 GiB", a "12 GB" graphics card "12.0 GiB", as Windows, macOS and Linux show RAM.
Decimal units would call them 17.2 GB and 12.9 GB. Files are counted in binary too, so that
"needs 4.6 GiB; you have 12.0 GiB free" compares like with like. Hugging Face and macOS's Finder
show files in decimal gigabytes (4.37 GB for a 4,368,439,584-byte file, 4.07 GiB here): the
"iB" says it is another unit, not another file.
"""

from __future__ import annotations

KIB = 1024
MIB = 1024 ** 2
GIB = 1024 ** 3
TIB = 1024 ** 4

_WHOLE = (("KiB", KIB), ("MiB", MIB))  # small sizes: whole numbers ("737 MiB")
_TENTHS = (("GiB", GIB), ("TiB", TIB))  # large ones: one decimal ("4.1 GiB")


def size_text(n_bytes: float) -> str:
    """``4_368_439_584`` → ``"4.1 GiB"``; ``773_025_920`` → ``"737 MiB"``; ``512`` → ``"512 bytes"``.

    The one formatter for a size shown to a person, in the window and the terminal alike."""
    n = float(n_bytes)
    size = abs(n)
    if size < KIB:
        whole = int(round(n))
        return f"{whole:,} byte" if abs(whole) == 1 else f"{whole:,} bytes"
    for name, unit in _WHOLE:
        # 999.6 MiB would print as "1000 MiB": from there on, the next unit up
        if size < 999.5 * unit:
            return f"{n / unit:.0f} {name}"
    for name, unit in _TENTHS:
        if size < 999.95 * unit or name == "TiB":
            return f"{n / unit:,.1f} {name}"
    raise AssertionError("unreachable")


def speed_text(bytes_per_second: float) -> str:
    """``12_582_912`` → ``"12 MiB/s"``."""
    return f"{size_text(bytes_per_second)}/s"
