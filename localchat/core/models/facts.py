"""A model's shape and weights: what llama.cpp allocates memory for, from a GGUF header or a
catalog entry.

- weights: the tensors of the file; the token embedding stays on the CPU, blocks go to the GPU
  from the last one down, the output head goes with the last "layer" (``n_layers + 1`` = all).
- KV cache: ``2 × layers × cells × KV heads × head dim × bytes`` (K and V), cells = the context
  padded to 256; sliding-window layers hold only ``window + ubatch`` cells unless the full-size
  SWA cache is asked for (the engine asks for it, to reuse the cache between turns).

``fit`` adds the compute buffers and overheads and judges the whole against this machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from localchat.core.models.gguf import ArraySummary, GGUFFacts

KV_BYTES = {"f16": 2.0, "bf16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32, "f32": 4.0}
UBATCH = 512  # llama-cpp-python's n_ubatch, and the engine's with GPU layers
CPU_UBATCH = 128  # the engine's batch on the CPU alone (see engine.llama_options)


def engine_ubatch(n_gpu_layers: int) -> int:
    """The micro-batch the engine loads a model with: it sizes the compute buffer."""
    return UBATCH if n_gpu_layers else CPU_UBATCH


CONTEXT_STEP = 256  # llama.cpp pads the context to a multiple of this
# llama.cpp hard-codes which layers of these architectures use the sliding window:
# every Nth layer attends to the whole context, the others to the window
SWA_PATTERNS = {"gemma2": 2, "gemma3": 6, "cohere2": 4, "gpt-oss": 2, "exaone4": 4}


def pad_context(n_ctx: int) -> int:
    return max(CONTEXT_STEP, -(-int(n_ctx) // CONTEXT_STEP) * CONTEXT_STEP)


def swa_layers(n_layers: int, full_every: int) -> frozenset[int]:
    """The layers that use the sliding window when every ``full_every``-th layer attends to the
    whole context (llama.cpp's ``set_swa_pattern``); ``full_every=0``: every layer does."""
    if full_every == 1:
        return frozenset()
    return frozenset(i for i in range(n_layers) if full_every == 0 or i % full_every < full_every - 1)


@dataclass(frozen=True)
class ModelFacts:
    """A model's shape and weights: everything the memory estimate needs. From a GGUF header
    (``from_gguf``, exact) or from a catalog entry before download (estimated weights split)."""

    n_layers: int
    n_embd: int
    n_head: int
    n_head_kv: int
    key_length: int
    value_length: int
    n_ff: int
    n_vocab: int
    n_ctx_train: int
    layer_bytes: tuple[int, ...]  # weights of each block
    input_bytes: int  # the token embedding and the like: always on the CPU
    output_bytes: int  # the output head and its norm, as loaded when it goes to the GPU
    output_tied: bool = False  # the head is the token embedding: no second copy on the CPU
    sliding_window: int = 0
    window_layers: frozenset[int] = frozenset()
    has_kv_cache: bool = True  # False for embedding models (no causal attention)
    name: str = ""

    @property
    def weights_bytes(self) -> int:
        return self.input_bytes + sum(self.layer_bytes) + (0 if self.output_tied else self.output_bytes)

    @property
    def all_layers(self) -> int:
        """``n_gpu_layers`` that puts everything llama.cpp can offload on the GPU."""
        return self.n_layers + 1

    @classmethod
    def from_gguf(cls, facts: GGUFFacts) -> "ModelFacts":
        def scalar(key: str, default: int = 0) -> int:
            value = facts.arch_value(key, default)
            if isinstance(value, list):  # per-layer values: take the largest
                value = max((v for v in value if isinstance(v, (int, float))), default=default)
            return int(value or default)

        n_layers = scalar("block_count")
        n_embd = scalar("embedding_length")
        n_head = scalar("attention.head_count", 1) or 1
        head_dim = n_embd // n_head if n_head else 0
        vocab = facts.metadata.get("tokenizer.ggml.tokens")
        n_vocab = vocab.length if isinstance(vocab, ArraySummary) else len(vocab or [])
        layers = [0] * n_layers
        input_bytes = output_bytes = 0
        has_output = False
        for t in facts.tensors:
            if t.name.startswith("blk."):
                index = t.name.split(".", 2)[1]
                if index.isdigit() and int(index) < n_layers:
                    layers[int(index)] += t.n_bytes
                    continue
            if t.name.startswith("output"):
                output_bytes += t.n_bytes
                has_output = has_output or t.name == "output.weight"
            else:
                input_bytes += t.n_bytes
        tied = not has_output
        if tied:  # llama.cpp copies the token embedding to the GPU as the head
            output_bytes += next((t.n_bytes for t in facts.tensors if t.name == "token_embd.weight"), 0)
        window = scalar("attention.sliding_window")
        return cls(
            n_layers=n_layers, n_embd=n_embd, n_head=n_head,
            n_head_kv=scalar("attention.head_count_kv", n_head) or n_head,
            key_length=scalar("attention.key_length", head_dim) or head_dim,
            value_length=scalar("attention.value_length", head_dim) or head_dim,
            n_ff=scalar("feed_forward_length"), n_vocab=n_vocab,
            n_ctx_train=facts.context_length or 0,
            layer_bytes=tuple(layers), input_bytes=input_bytes, output_bytes=output_bytes,
            output_tied=tied, sliding_window=window,
            window_layers=_gguf_window_layers(facts, n_layers) if window else frozenset(),
            has_kv_cache=facts.architecture not in _ENCODERS,
            name=facts.name or "",
        )

    # -- the KV cache ----------------------------------------------------------------------------
    def kv_bytes_per_token(self, cache_type: str = "f16") -> float:
        """Bytes of K and V for one token in every layer (the full-context figure)."""
        return self.n_layers * self._kv_per_cell(cache_type)

    def _kv_per_cell(self, cache_type: str) -> float:
        return self.n_head_kv * (self.key_length + self.value_length) * KV_BYTES[cache_type]

    def kv_cells(self, layer: int, n_ctx: int, *, swa_full: bool = True) -> int:
        if not self.has_kv_cache:
            return 0
        cells = pad_context(n_ctx)
        if layer in self.window_layers and not swa_full:
            cells = min(cells, pad_context(self.sliding_window + UBATCH))
        return cells

    def kv_bytes(self, n_ctx: int, layers: range | None = None, *, cache_type: str = "f16",
                 swa_full: bool = True) -> int:
        layers = range(self.n_layers) if layers is None else layers
        per_cell = self._kv_per_cell(cache_type)
        return int(sum(self.kv_cells(i, n_ctx, swa_full=swa_full) * per_cell for i in layers))


_ENCODERS = {"bert", "nomic-bert", "nomic-bert-moe", "jina-bert-v2", "t5encoder", "neo-bert", "modern-bert"}


def _gguf_window_layers(facts: GGUFFacts, n_layers: int) -> frozenset[int]:
    pattern = facts.arch_value("attention.sliding_window_pattern")
    if isinstance(pattern, list) and len(pattern) == n_layers:  # newer files: one flag per layer
        return frozenset(i for i, windowed in enumerate(pattern) if windowed)
    if isinstance(pattern, int) and pattern > 0:
        return swa_layers(n_layers, pattern)
    every = SWA_PATTERNS.get(facts.architecture)
    # an architecture llama.cpp runs with full attention (Mistral v0.1, Phi-3) keeps every cell
    return swa_layers(n_layers, every) if every else frozenset()
