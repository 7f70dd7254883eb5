"""How much memory a model needs, and where it should run on this machine.

memory = weights (per tensor; layers split between CPU and GPU) + KV cache + compute buffers +
runtime overhead. The weights and the KV cache follow the model's shape (``facts``); the rest
follows what llama.cpp (the build llama-cpp-python ships) allocates:

- compute: the largest of the attention scores (``ubatch × cells × heads``, f32), the
  feed-forward activations and (on a GPU) the logits of a full batch; measured on the CPU build,
  where pages of the logits buffer are never touched (bench/fit_accuracy.py checks the sum).
- overhead: the vocabulary's tables and llama.cpp's own allocations; on a GPU, the driver's
  context.

All sizes are bytes; ``units.size_text`` shows them to people.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from localchat.core.errors import LocalChatError
from localchat.core.models.defaults import DEFAULT_CONTEXT, default_context
from localchat.core.models.facts import CONTEXT_STEP, UBATCH, ModelFacts, engine_ubatch, pad_context
from localchat.core.models.gguf import GGUFFacts
from localchat.core.units import GIB, MIB, size_text

if TYPE_CHECKING:
    from localchat.core.hardware import GPUInfo, Hardware

MIN_CONTEXT = 512
RUNTIME_OVERHEAD = 5 * MIB  # llama.cpp's own allocations, the Python process excluded
VOCAB_OVERHEAD = 200  # bytes per vocabulary entry: token texts, scores, piece caches
GPU_RUNTIME_OVERHEAD = 300 * MIB  # a CUDA/Vulkan context with its math libraries


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
    """Where the model runs best on this machine at ``n_ctx`` (default: the app's default
    context, ``defaults.default_context``), how many layers go to the GPU, and whether it fits.

    ``gpu_layers`` forces a layer count (a setting of "N layers" or "All"); None plans it."""
    m = facts if isinstance(facts, ModelFacts) else ModelFacts.from_gguf(facts)
    if not isinstance(budget, MemoryBudget):
        budget = MemoryBudget.of(budget)
    if n_ctx is None:
        n_ctx = default_context(m.n_ctx_train)
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

    top = max(pad_context(m.n_ctx_train or DEFAULT_CONTEXT), CONTEXT_STEP) // CONTEXT_STEP
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
    ram_part = f"needs {size_text(need)} of RAM at {ctx:,} tokens of context; {size_text(free)} is free"
    if placement is Placement.NO_FIT:
        if est.ram_bytes > budget.ram_limit:
            text = (f"Too big for this computer: it needs {size_text(need)} of memory at {ctx:,} "
                    f"tokens of context, and this computer has {size_text(budget.ram_total)} in all.")
        else:
            text = (f"Does not fit: the {est.n_gpu_layers} layers asked for need "
                    f"{size_text(est.vram_bytes)} of GPU memory; {size_text(budget.vram_free)} is free.")
        if max_ctx >= MIN_CONTEXT:
            text += f" It fits with a context of up to {max_ctx:,} tokens."
        else:
            text += " Pick a smaller model or a smaller quantization."
        return text
    if placement is Placement.GPU:
        where = "unified memory" if budget.unified else "GPU memory"
        text = (f"Runs entirely on the GPU ({budget.gpu_name}): needs {size_text(est.vram_bytes)} "
                f"of {where}, {size_text(budget.vram_free)} is free.")
        if not budget.unified:
            text += f" It also {ram_part}."
    elif placement is Placement.PARTIAL:
        text = (f"{est.n_gpu_layers} of {m.all_layers} layers fit in the GPU's free "
                f"{size_text(budget.vram_free)} ({budget.gpu_name}); the rest run on the CPU, "
                f"which {ram_part}.")
    else:
        why = budget.no_gpu_reason or (f"not one layer fits in the GPU's free {size_text(budget.vram_free)}"
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


SWAP_WARNING = "Other apps may slow down or the system may swap."


class LowMemoryError(LocalChatError):
    """A model that fits this computer's memory but not what is free now: it loads only once
    the person agrees, since it may push other apps (or itself) into swap."""

    def __init__(self, model: str, needed: int, free: int):
        self.model, self.needed, self.free = model, needed, free
        super().__init__(f"{model} needs {size_text(needed)} of memory; {size_text(free)} is free now.",
                         f"{SWAP_WARNING} Close other apps, or pick a smaller model or a shorter context.")


def low_memory(model: str, needed: int, *, free: int, total: int) -> LowMemoryError | None:
    """The question to ask before loading a model that needs ``needed`` bytes of RAM: None when
    it fits in the RAM free now, or when it needs more than the computer has in all (the
    engine refuses that one with its own message, ``ModelTooLargeError``)."""
    return LowMemoryError(model, needed, free) if free < needed <= total else None


def plan_for_file(path, *, n_ctx: int | None = None, hardware: "Hardware | None" = None) -> FitVerdict:
    """The plan for loading a model file now: ``.n_gpu_layers`` is what the "Auto" GPU setting
    passes to ``Engine.load``. Reads the file's header and, unless given, probes the hardware
    (free GPU memory changes), so it runs where the load runs, off the GUI thread."""
    from localchat.core.hardware import detect_hardware
    from localchat.core.models.gguf import read_local

    return fit_model(read_local(path), hardware or detect_hardware(), n_ctx=n_ctx)
