"""How much memory a model needs: weights + KV cache + compute buffers + runtime overhead."""

from __future__ import annotations

from dataclasses import dataclass

from localchat.core.gguf_info import GGUFFacts

KV_BYTES = {"f16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32, "f32": 4.0}
RUNTIME_OVERHEAD = 64 * 1024 * 1024  # llama.cpp's own allocations, the Python process excluded


@dataclass(frozen=True)
class ModelShapeFacts:
    """The numbers of a model's shape that decide its KV cache."""

    n_layers: int
    n_embd: int
    n_head: int
    n_head_kv: int
    key_length: int
    value_length: int
    n_vocab: int
    sliding_window: int = 0

    @classmethod
    def from_gguf(cls, facts: GGUFFacts) -> "ModelShapeFacts":
        def scalar(key: str, default: int = 0) -> int:
            value = facts.arch_value(key, default)
            if isinstance(value, list):  # per-layer values: take the largest
                value = max(value) if value else default
            return int(value or default)

        n_embd = scalar("embedding_length")
        n_head = scalar("attention.head_count", 1) or 1
        head_dim = n_embd // n_head if n_head else 0
        vocab = facts.metadata.get("tokenizer.ggml.tokens")
        n_vocab = getattr(vocab, "length", None) or (len(vocab) if isinstance(vocab, list) else 0)
        return cls(
            n_layers=scalar("block_count"),
            n_embd=n_embd,
            n_head=n_head,
            n_head_kv=scalar("attention.head_count_kv", n_head) or n_head,
            key_length=scalar("attention.key_length", head_dim) or head_dim,
            value_length=scalar("attention.value_length", head_dim) or head_dim,
            n_vocab=n_vocab,
            sliding_window=scalar("attention.sliding_window"),
        )

    def kv_bytes_per_token(self, cache_type: str = "f16") -> float:
        per_layer = self.n_head_kv * (self.key_length + self.value_length)
        return self.n_layers * per_layer * KV_BYTES[cache_type]


@dataclass(frozen=True)
class MemoryEstimate:
    weights_bytes: int
    kv_bytes: int
    compute_bytes: int
    overhead_bytes: int

    @property
    def total_bytes(self) -> int:
        return self.weights_bytes + self.kv_bytes + self.compute_bytes + self.overhead_bytes


def estimate_memory(facts: GGUFFacts, *, n_ctx: int, cache_type: str = "f16",
                    n_batch: int = 512) -> MemoryEstimate:
    shape = ModelShapeFacts.from_gguf(facts)
    kv = int(shape.kv_bytes_per_token(cache_type) * n_ctx)
    # the CPU compute buffer holds a batch's activations and the logits of the output layer
    compute = int(4 * n_batch * (shape.n_vocab + 4 * shape.n_embd))
    return MemoryEstimate(facts.tensor_bytes, kv, compute, RUNTIME_OVERHEAD)
