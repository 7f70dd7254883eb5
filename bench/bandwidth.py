"""Memory read bandwidth: the physical limit of token generation on a CPU.

Each token reads every weight once, so tokens/s ≤ bandwidth ÷ bytes read per token. The
bandwidth is measured here with numpy reductions over a buffer far larger than the caches, one
slice per thread (numpy releases the GIL inside them), and the best kernel and thread count
counts: that is the most the machine gave to any reader in this run.
"""

from __future__ import annotations

import threading
import time

import numpy as np

_KERNELS = {
    "max": lambda a: a.view(np.uint64).max(),
    "or": lambda a: np.bitwise_or.reduce(a.view(np.uint64)),
    "dot": lambda a: np.dot(a.view(np.float32), a.view(np.float32)),
}


def _timed_read(buffer: np.ndarray, kernel, threads: int) -> float:
    parts = np.array_split(buffer, threads)
    workers = [threading.Thread(target=kernel, args=(p,)) for p in parts]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return buffer.nbytes / (time.perf_counter() - started)


class ReadBandwidth:
    """Reads one buffer far larger than the caches; ``measure()`` is one measurement."""

    def __init__(self, size_bytes: int = 1 << 30, max_threads: int | None = None):
        import psutil

        self.max_threads = max_threads or psutil.cpu_count(logical=False) or 1
        self._buffer = np.full(size_bytes // 8 * 8, 1, dtype=np.uint8)  # written: every page is real
        self._buffer[::4096] = 3
        self.how = ""

    def measure(self) -> float:
        """The best read rate in bytes/s over kernels and 1..max_threads threads."""
        best = 0.0
        for threads in range(1, self.max_threads + 1):
            for name, kernel in _KERNELS.items():
                rate = _timed_read(self._buffer, kernel, threads)
                if rate > best:
                    best = rate
                    self.how = f"numpy {name}, {threads} thread{'s' if threads > 1 else ''}"
        return best


def kv_bytes_per_token(facts, cache_type: str = "f16") -> float:
    """Bytes of K and V cache one token holds (every layer, every KV head)."""
    n_head = int(facts.arch_value("attention.head_count", 1) or 1)
    head_dim = int(facts.arch_value("embedding_length", 0) or 0) // n_head
    n_head_kv = int(facts.arch_value("attention.head_count_kv", n_head) or n_head)
    per_value = {"f16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32, "f32": 4.0}[cache_type]
    return (facts.n_layers or 0) * n_head_kv * head_dim * 2 * per_value


def bytes_per_token(facts, context_tokens: int = 0, cache_type: str = "f16") -> float:
    """What one decoded token reads: every weight except the embedding table (one row of it),
    plus the KV cache of ``context_tokens`` earlier tokens."""
    embd = next((t for t in facts.tensors if t.name == "token_embd.weight"), None)
    weights = facts.tensor_bytes
    if embd is not None:  # shape is (n_embd, n_vocab), innermost first
        weights -= embd.n_bytes - embd.n_bytes // embd.shape[-1]
    return weights + kv_bytes_per_token(facts, cache_type) * context_tokens
