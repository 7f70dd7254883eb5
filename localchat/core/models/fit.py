"""How much memory a model needs, and where it should run on this machine.

memory = weights (per tensor; layers split between CPU and GPU) + KV cache + compute buffers +
runtime overhead. The terms follow what llama.cpp (the build llama-cpp-python ships) allocates:

- weights: the tensors of the file; the token embedding stays on the CPU, blocks go to the GPU
  from the last one down, the output head goes with the last "layer" (``n_layers + 1`` = all).
- KV cache: ``2 × layers × cells × KV heads × head dim × bytes`` (K and V), cells = the context
  padded to 256; sliding-window layers hold only ``window + ubatch`` cells unless the full-size
  SWA cache is asked for (the engine asks for it, to reuse the cache between turns).
- compute: the largest of the attention scores (``ubatch × cells × heads``, f32), the
  feed-forward activations and (on a GPU) the logits of a full batch; measured on the CPU build,
  where pages of the logits buffer are never touched (bench/fit_accuracy.py checks the sum).
- overhead: the vocabulary's tables and llama.cpp's own allocations; on a GPU, the driver's
  context.

All sizes are bytes; "GB" shown to people is 2**30 bytes, as operating systems count RAM.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from localchat.core.models.gguf import ArraySummary, GGUFFacts

if TYPE_CHECKING:
    from localchat.core.hardware import GPUInfo, Hardware

GIB = 1024 ** 3
MIB = 1024 ** 2
KV_BYTES = {"f16": 2.0, "bf16": 2.0, "q8_0": 34 / 32, "q4_0": 18 / 32, "f32": 4.0}
UBATCH = 512  # llama-cpp-python's n_ubatch, and the engine's with GPU layers
CPU_UBATCH = 128  # the engine's batch on the CPU alone (see engine.llama_options)


def engine_ubatch(n_gpu_layers: int) -> int:
    """The micro-batch the engine loads a model with: it sizes the compute buffer."""
    return UBATCH if n_gpu_layers else CPU_UBATCH
CONTEXT_STEP = 256  # llama.cpp pads the context to a multiple of this
MIN_CONTEXT = 512
RUNTIME_OVERHEAD = 5 * MIB  # llama.cpp's own allocations, the Python process excluded
VOCAB_OVERHEAD = 200  # bytes per vocabulary entry: token texts, scores, piece caches
GPU_RUNTIME_OVERHEAD = 300 * MIB  # a CUDA/Vulkan context with its math libraries
# llama.cpp hard-codes which layers of these architectures use the sliding window:
# every Nth layer attends to the whole context, the others to the window
SWA_PATTERNS = {"gemma2": 2, "gemma3": 6, "cohere2": 4, "gpt-oss": 2, "exaone4": 4}


def memory_text(n_bytes: float) -> str:
    """``6_550_000_000`` → ``"6.1 GB"`` (2**30 bytes, as operating systems count RAM)."""
    return f"{n_bytes / GIB:.1f} GB"


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


# -- the estimate ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class MemoryEstimate:
    """Memory a model needs at ``n_ctx`` with ``n_gpu_layers`` on the GPU, split by where it lives.
    With unified memory (Apple Silicon) the GPU's part is RAM too: ``ram_bytes`` counts it."""

    n_ctx: int
    n_gpu_layers: int
    weights_cpu: int
    kv_cpu: int
    compute_cpu: int
    overhead_cpu: int
    weights_gpu: int = 0
    kv_gpu: int = 0
    compute_gpu: int = 0
    overhead_gpu: int = 0
    unified: bool = False

    @property
    def cpu_bytes(self) -> int:
        return self.weights_cpu + self.kv_cpu + self.compute_cpu + self.overhead_cpu

    @property
    def vram_bytes(self) -> int:
        return self.weights_gpu + self.kv_gpu + self.compute_gpu + self.overhead_gpu

    @property
    def ram_bytes(self) -> int:
        return self.total_bytes if self.unified else self.cpu_bytes

    @property
    def total_bytes(self) -> int:
        return self.cpu_bytes + self.vram_bytes

    @property
    def weights_bytes(self) -> int:
        return self.weights_cpu + self.weights_gpu

    @property
    def kv_bytes(self) -> int:
        return self.kv_cpu + self.kv_gpu

    @property
    def compute_bytes(self) -> int:
        return self.compute_cpu + self.compute_gpu

    @property
    def overhead_bytes(self) -> int:
        return self.overhead_cpu + self.overhead_gpu


def _compute_bytes(m: ModelFacts, n_ctx: int, *, on_gpu: bool, with_output: bool,
                   ubatch: int = UBATCH) -> int:
    """The compute buffer at a full context. On a GPU, llama.cpp reserves the worst case; on
    the CPU only the pages a one-output decode touches count, plus the thread work buffer (an
    f16 copy of the attention scores)."""
    cells = pad_context(n_ctx) if m.has_kv_cache else ubatch
    masks = 2 if m.window_layers and len(m.window_layers) < m.n_layers else 1
    per_cell = (4 if on_gpu else 6) * m.n_head + 4 * masks
    q_dim = m.n_head * m.key_length
    kv_dim = m.n_head_kv * m.key_length
    attention = ubatch * cells * per_cell + 4 * ubatch * (3 * m.n_embd + 2 * q_dim + 2 * kv_dim)
    feed_forward = 4 * ubatch * (2 * m.n_ff + 6 * m.n_embd)
    logits = 4 * (ubatch if on_gpu else 1) * (m.n_vocab + 2 * m.n_embd) if with_output else 0
    return max(attention, feed_forward, logits)


def estimate_memory(facts: GGUFFacts | ModelFacts, *, n_ctx: int, n_gpu_layers: int = 0,
                    cache_type: str = "f16", swa_full: bool = True, unified: bool = False,
                    n_batch: int | None = None) -> MemoryEstimate:
    """Peak memory with the context full. ``n_gpu_layers`` as llama.cpp takes it (-1: all).
    ``n_batch`` is accepted for older callers; llama.cpp's ubatch (512) is what counts."""
    m = facts if isinstance(facts, ModelFacts) else ModelFacts.from_gguf(facts)
    k = m.all_layers if n_gpu_layers < 0 else min(n_gpu_layers, m.all_layers)
    first_gpu = m.n_layers - min(k, m.n_layers)
    cpu_layers, gpu_layers = range(0, first_gpu), range(first_gpu, m.n_layers)
    output_on_gpu = k == m.all_layers
    weights_cpu = m.input_bytes + sum(m.layer_bytes[: first_gpu])
    if not output_on_gpu and not m.output_tied:
        weights_cpu += m.output_bytes
    weights_gpu = sum(m.layer_bytes[first_gpu:]) + (m.output_bytes if output_on_gpu else 0)
    overhead_cpu = RUNTIME_OVERHEAD + VOCAB_OVERHEAD * m.n_vocab + 4 * m.n_vocab  # + logits out
    ub = engine_ubatch(k)
    if k == 0:
        compute_cpu = _compute_bytes(m, n_ctx, on_gpu=False, with_output=True, ubatch=ub)
        compute_gpu = 0
    else:
        compute_gpu = _compute_bytes(m, n_ctx, on_gpu=True, with_output=output_on_gpu, ubatch=ub)
        compute_cpu = (_compute_bytes(m, n_ctx, on_gpu=False, with_output=not output_on_gpu, ubatch=ub)
                       if cpu_layers else 4 * ub * 2 * m.n_embd)  # only the input batch
    return MemoryEstimate(
        n_ctx=pad_context(n_ctx), n_gpu_layers=k,
        weights_cpu=weights_cpu,
        kv_cpu=m.kv_bytes(n_ctx, cpu_layers, cache_type=cache_type, swa_full=swa_full),
        compute_cpu=compute_cpu, overhead_cpu=overhead_cpu,
        weights_gpu=weights_gpu,
        kv_gpu=m.kv_bytes(n_ctx, gpu_layers, cache_type=cache_type, swa_full=swa_full),
        compute_gpu=compute_gpu,
        overhead_gpu=0 if k == 0 or unified else GPU_RUNTIME_OVERHEAD,
        unified=unified,
    )


# -- the verdict -----------------------------------------------------------------------------------
class Placement(enum.Enum):
    GPU = "gpu"  # every layer on the GPU
    PARTIAL = "partial"  # some layers on the GPU, the rest on the CPU
    CPU = "cpu"
    NO_FIT = "no_fit"


class FitLevel(enum.Enum):
    """The badge next to a model: fits with room to spare, fits with little, does not fit."""

    FITS = "fits"
    TIGHT = "tight"
    TOO_BIG = "too_big"


@dataclass(frozen=True)
class Badge:
    level: FitLevel
    text: str  # "Fits", "Tight", "Too big"
    reason: str  # the FitVerdict's reason


@dataclass(frozen=True)
class MemoryBudget:
    """What a model may use on this machine now."""

    ram_total: int
    ram_free: int
    vram_free: int = 0  # on the GPU llama.cpp offloads to, the reserve taken off; 0: none
    gpu_name: str | None = None
    unified: bool = False
    no_gpu_reason: str | None = None  # why nothing goes to a GPU, when nothing can

    @property
    def ram_limit(self) -> int:
        """Beyond this a model does not fit at all: the system keeps some for itself."""
        return self.ram_total - min(2 * GIB, int(self.ram_total * 0.15))

    @property
    def margin(self) -> int:
        """Free memory left for other apps below which a fit counts as tight."""
        return max(512 * MIB, int(self.ram_total * 0.10))

    @classmethod
    def of(cls, hardware: "Hardware") -> "MemoryBudget":
        gpu = hardware.offload_gpu
        if gpu is None:
            reason = ("this llama.cpp build runs on the CPU only" if hardware.gpus
                      else "no GPU was found")
            return cls(hardware.total_ram, hardware.available_ram, no_gpu_reason=reason)
        return cls(hardware.total_ram, hardware.available_ram, vram_budget(gpu, hardware.available_ram),
                   gpu.name, gpu.unified_memory)


def vram_budget(gpu: "GPUInfo", available_ram: int | None = None) -> int:
    """GPU memory a model may take: the free memory less a reserve for the desktop and other
    apps (5% of the card, at least 512 MB); with unified memory, no more than the free RAM."""
    free = gpu.usable_free_bytes
    if gpu.unified_memory and available_ram is not None:
        free = min(free, available_ram)
    return max(0, free - max(512 * MIB, gpu.total_bytes // 20))


@dataclass(frozen=True)
class FitVerdict:
    placement: Placement
    level: FitLevel
    estimate: MemoryEstimate
    budget: MemoryBudget
    max_context: int  # the largest context that loads in the memory free now; 0: none
    reason: str
    n_layers: int

    @property
    def n_ctx(self) -> int:
        return self.estimate.n_ctx

    @property
    def n_gpu_layers(self) -> int:
        """What to pass to llama.cpp for this plan (``n_layers + 1`` means all)."""
        return self.estimate.n_gpu_layers if self.placement is not Placement.NO_FIT else 0

    @property
    def needs_bytes(self) -> int:
        return self.estimate.total_bytes

    @property
    def label(self) -> str:
        if self.placement is Placement.GPU:
            return "Fits on the GPU"
        if self.placement is Placement.PARTIAL:
            return f"Partial offload: {self.estimate.n_gpu_layers} of {self.n_layers + 1} layers on the GPU"
        if self.placement is Placement.CPU:
            return "CPU only"
        return "Does not fit"

    @property
    def runs_on(self) -> str:
        """Short, for a table column: "GPU", "GPU (20 of 33 layers) + CPU", "CPU", "—"."""
        if self.placement is Placement.GPU:
            return "GPU"
        if self.placement is Placement.PARTIAL:
            return f"GPU ({self.estimate.n_gpu_layers} of {self.n_layers + 1} layers) + CPU"
        return "CPU" if self.placement is Placement.CPU else "—"

    @property
    def badge(self) -> Badge:
        text = {FitLevel.FITS: "Fits", FitLevel.TIGHT: "Tight", FitLevel.TOO_BIG: "Too big"}[self.level]
        return Badge(self.level, text, self.reason)


def _place(m: ModelFacts, budget: MemoryBudget, n_ctx: int, cache_type: str,
           gpu_layers: int | None) -> MemoryEstimate:
    """The estimate with the most layers on the GPU that fit its budget (or ``gpu_layers``)."""
    def at(k: int) -> MemoryEstimate:
        return estimate_memory(m, n_ctx=n_ctx, n_gpu_layers=k, cache_type=cache_type,
                               unified=budget.unified)

    if budget.gpu_name is None:
        return at(0)  # nothing can go to a GPU, whatever the setting says
    if gpu_layers is not None:
        return at(m.all_layers if gpu_layers < 0 else min(gpu_layers, m.all_layers))
    if budget.vram_free <= 0:
        return at(0)
    lo, hi = 0, m.all_layers  # vram use grows with k: find the largest k that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if at(mid).vram_bytes <= budget.vram_free:
            lo = mid
        else:
            hi = mid - 1
    return at(lo)


def fit_model(facts: ModelFacts | GGUFFacts, budget: "MemoryBudget | Hardware", *,
              n_ctx: int | None = None, cache_type: str = "f16",
              gpu_layers: int | None = None) -> FitVerdict:
    """Where the model runs best on this machine at ``n_ctx`` (default: its training context,
    at most 4096), how many layers go to the GPU, and whether it fits.

    ``gpu_layers`` forces a layer count (a setting of "N layers" or "All"); None plans it."""
    m = facts if isinstance(facts, ModelFacts) else ModelFacts.from_gguf(facts)
    if not isinstance(budget, MemoryBudget):
        budget = MemoryBudget.of(budget)
    if n_ctx is None:
        n_ctx = min(m.n_ctx_train or 4096, 4096)
    est = _place(m, budget, n_ctx, cache_type, gpu_layers)
    max_ctx = _max_context(m, budget, cache_type, gpu_layers)
    ram = est.ram_bytes
    if ram > budget.ram_limit or est.vram_bytes > budget.vram_free:
        placement, level = Placement.NO_FIT, FitLevel.TOO_BIG
    else:
        k = est.n_gpu_layers
        placement = (Placement.CPU if k == 0 else Placement.GPU if k == m.all_layers else Placement.PARTIAL)
        level = FitLevel.FITS if ram + budget.margin <= budget.ram_free else FitLevel.TIGHT
    reason = _reason(placement, level, est, budget, max_ctx, m)
    return FitVerdict(placement, level, est, budget, max_ctx, reason, m.n_layers)


def _max_context(m: ModelFacts, budget: MemoryBudget, cache_type: str, gpu_layers: int | None) -> int:
    """The largest context (a multiple of 256, up to the training context) that loads in the
    memory free now; RAM use grows with the context even as layers leave the GPU."""
    limit = min(budget.ram_free, budget.ram_limit)

    def loads(n: int) -> bool:
        est = _place(m, budget, n, cache_type, gpu_layers)
        return est.ram_bytes <= limit and est.vram_bytes <= budget.vram_free

    top = max(pad_context(m.n_ctx_train or 4096), CONTEXT_STEP) // CONTEXT_STEP
    if not loads(CONTEXT_STEP):
        return 0
    lo, hi = 1, top
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if loads(mid * CONTEXT_STEP):
            lo = mid
        else:
            hi = mid - 1
    return lo * CONTEXT_STEP


def _reason(placement: Placement, level: FitLevel, est: MemoryEstimate, budget: MemoryBudget,
            max_ctx: int, m: ModelFacts) -> str:
    need, free, ctx = est.ram_bytes, budget.ram_free, est.n_ctx
    ram_part = f"needs {memory_text(need)} of RAM at {ctx:,} tokens of context; {memory_text(free)} is free"
    if placement is Placement.NO_FIT:
        if est.ram_bytes > budget.ram_limit:
            text = (f"Too big for this computer: it needs {memory_text(need)} of memory at {ctx:,} "
                    f"tokens of context, and this computer has {memory_text(budget.ram_total)} in all.")
        else:
            text = (f"Does not fit: the {est.n_gpu_layers} layers asked for need "
                    f"{memory_text(est.vram_bytes)} of GPU memory; {memory_text(budget.vram_free)} is free.")
        if max_ctx >= MIN_CONTEXT:
            text += f" It fits with a context of up to {max_ctx:,} tokens."
        else:
            text += " Pick a smaller model or a smaller quantization."
        return text
    if placement is Placement.GPU:
        where = "unified memory" if budget.unified else "GPU memory"
        text = (f"Runs entirely on the GPU ({budget.gpu_name}): needs {memory_text(est.vram_bytes)} "
                f"of {where}, {memory_text(budget.vram_free)} is free.")
        if not budget.unified:
            text += f" It also {ram_part}."
    elif placement is Placement.PARTIAL:
        text = (f"{est.n_gpu_layers} of {m.all_layers} layers fit in the GPU's free "
                f"{memory_text(budget.vram_free)} ({budget.gpu_name}); the rest run on the CPU, "
                f"which {ram_part}.")
    else:
        why = budget.no_gpu_reason or (f"not one layer fits in the GPU's free {memory_text(budget.vram_free)}"
                                       if budget.gpu_name else "no GPU is used")
        text = f"Runs on the CPU ({why}): it {ram_part}."
    if level is FitLevel.TIGHT:
        if need > free:
            text += " Close other apps first: it needs more than is free now."
        else:
            text += " That leaves little memory for other apps."
    elif max_ctx and max_ctx < pad_context(m.n_ctx_train or ctx) and max_ctx > ctx:
        text += f" Context can grow to {max_ctx:,} tokens."
    return text


def plan_for_file(path, *, n_ctx: int | None = None, hardware: "Hardware | None" = None) -> FitVerdict:
    """The plan for loading a model file now: ``.n_gpu_layers`` is what the "Auto" GPU setting
    passes to ``Engine.load``. Reads the file's header and, unless given, probes the hardware
    (free GPU memory changes), so it runs where the load runs, off the GUI thread."""
    from localchat.core.hardware import detect_hardware
    from localchat.core.models.gguf import read_local

    return fit_model(read_local(path), hardware or detect_hardware(), n_ctx=n_ctx)
