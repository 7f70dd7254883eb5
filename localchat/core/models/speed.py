"""How fast a model will run here, before it is downloaded.

Writing a token reads every weight once (and the KV cache of the tokens so far), so decoding is
bound by memory bandwidth: ``seconds per token = fixed cost + bytes read ÷ (bandwidth ×
efficiency)``, the CPU's layers at the CPU's bandwidth, the GPU's at the GPU's. Reading the
prompt is arithmetic: ``2 × weights × tokens`` multiply-adds at the rate this build reaches.

The figures come from a ``Calibration``: this machine's memory read bandwidth and what this
llama.cpp build makes of it (measured once on the demo models, ``calibration.py``); the GPU's
bandwidth from its driver or its published figures (``hardware.py``). Pure functions: nothing
here reads the disk or runs a model.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

from localchat.core.models.facts import ModelFacts

if TYPE_CHECKING:
    from localchat.core.hardware import Hardware
    from localchat.core.models.fit import FitVerdict

PROMPT_TOKENS = 1000  # the prompt the time to first token is predicted for
COMFORTABLE_TPS = 8.0  # tokens/s a person reads along with without waiting
DEFAULT_GPU_EFFICIENCY = 0.7  # of the GPU's memory bandwidth, before a GPU calibration
DEFAULT_GPU_TOKEN_S = 0.002  # per-token cost on a GPU: kernel launches, sampling
GPU_FLOPS_PER_BYTE = 60.0  # prompt arithmetic per byte/s of GPU bandwidth, before a calibration
PCIE_BANDWIDTH = 12e9  # bytes/s: the CPU layers' weights go to the GPU for a prompt batch
PROMPT_BATCH = 512  # tokens per prompt batch with GPU layers (the engine's)


@dataclass(frozen=True)
class Calibration:
    """What this machine and this llama.cpp build do, measured once (or assumed until then)."""

    cpu_bandwidth: float  # bytes/s of memory read, every core reading
    cpu_efficiency: float  # the share of it llama.cpp's decode reaches on the weights
    token_overhead_s: float  # per token, whatever the size: graph, threads, sampling
    cpu_flops: float  # multiply-adds × 2 per second reading a prompt
    prompt_overhead_s: float = 0.0  # per prompt token, whatever the size
    gpu_bandwidth: float | None = None  # bytes/s of the GPU's memory; None: no GPU used
    gpu_efficiency: float = DEFAULT_GPU_EFFICIENCY
    gpu_token_overhead_s: float = DEFAULT_GPU_TOKEN_S
    gpu_flops: float | None = None  # None: from the bandwidth (GPU_FLOPS_PER_BYTE)
    threads: int = 0
    measured: bool = True  # False: assumed figures, before the first measurement
    fingerprint: str = ""  # the build and hardware it was measured on
    token_overhead_per_vocab_s: float = 0.0  # per token and vocabulary entry: the output's sampling

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict) -> "Calibration":
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in raw.items() if k in known})

    def with_gpu(self, bandwidth: float | None) -> "Calibration":
        from dataclasses import replace

        return replace(self, gpu_bandwidth=bandwidth)


def assumed_calibration(hardware: "Hardware") -> Calibration:
    """Figures to predict with before this machine was measured: a dual-channel laptop's
    bandwidth for two cores, more for more cores, at the efficiency the CPU builds reach."""
    cores = max(1, hardware.physical_cores)
    bandwidth = min(60e9, 8e9 + 3e9 * cores)
    from localchat.core.models.calibration import gpu_bandwidth

    return Calibration(cpu_bandwidth=bandwidth, cpu_efficiency=0.7, token_overhead_s=0.004,
                       cpu_flops=2.5e10 * cores, prompt_overhead_s=0.0,
                       gpu_bandwidth=gpu_bandwidth(hardware, bandwidth), threads=cores, measured=False)


@dataclass(frozen=True)
class SpeedPrediction:
    """Predicted decode speed and time to first token of one model placed one way."""

    decode_tps: float
    ttft_s: float  # for ``prompt_tokens`` tokens of prompt
    prompt_tokens: int
    n_gpu_layers: int
    measured: bool  # from a measured calibration, or assumed figures

    @property
    def comfortable(self) -> bool:
        return self.decode_tps >= COMFORTABLE_TPS

    @property
    def text(self) -> str:
        """``"~14 tokens/s"``: two significant figures at most, nothing finer than 0.1."""
        return f"~{tps_text(self.decode_tps)} tokens/s"

    @property
    def ttft_text(self) -> str:
        """``"first word after ~3 s for a 1,000-token prompt"``."""
        return f"first word after ~{seconds_text(self.ttft_s)} for a {self.prompt_tokens:,}-token prompt"

    def to_dict(self) -> dict:
        return {"decode_tokens_per_s": round(self.decode_tps, 2), "ttft_s": round(self.ttft_s, 2),
                "prompt_tokens": self.prompt_tokens, "n_gpu_layers": self.n_gpu_layers,
                "calibrated": self.measured}


def tps_text(tps: float) -> str:
    """``143.2`` → ``"140"``, ``14.4`` → ``"14"``, ``3.36`` → ``"3.4"``."""
    if tps >= 100:
        return f"{round(tps, -1):.0f}"
    return f"{tps:.0f}" if tps >= 10 else f"{tps:.1f}"


def seconds_text(s: float) -> str:
    if s < 1:
        return f"{s:.1f} s"
    if s < 90:
        return f"{s:.0f} s"
    return f"{s / 60:.0f} min"


def matmul_params(m: ModelFacts) -> float:
    """Weights a token is multiplied with, from the shape: attention and feed-forward of every
    block, and the output head (the embedding is only looked up)."""
    q_dim = m.n_head * m.key_length
    kv_dim = m.n_head_kv * m.key_length
    per_layer = m.n_embd * (2 * q_dim + 2 * kv_dim) + 3 * m.n_embd * m.n_ff
    return float(m.n_layers * per_layer + m.n_vocab * m.n_embd)


def predict_speed(m: ModelFacts, calibration: Calibration, *, n_gpu_layers: int = 0,
                  prompt_tokens: int = PROMPT_TOKENS, cache_type: str = "f16") -> SpeedPrediction:
    """Decode tokens/s and the time to first token for ``prompt_tokens`` of prompt, with
    ``n_gpu_layers`` on the GPU (as llama.cpp counts them: ``n_layers + 1`` is all)."""
    c = calibration
    k = min(max(n_gpu_layers, 0), m.all_layers) if c.gpu_bandwidth else 0
    first_gpu = m.n_layers - min(k, m.n_layers)
    head_on_gpu = k == m.all_layers
    head = m.output_bytes  # a tied head is the embedding, read whole for every token
    fill = prompt_tokens  # the KV cache a reply reads after such a prompt
    per_cell = m._kv_per_cell(cache_type) if m.has_kv_cache else 0.0

    def kv(layers: range) -> float:
        cells = 0
        for i in layers:
            cells += min(fill, m.sliding_window) if i in m.window_layers and m.sliding_window else fill
        return cells * per_cell

    cpu_bytes = sum(m.layer_bytes[:first_gpu]) + (0 if head_on_gpu else head) + kv(range(first_gpu))
    gpu_bytes = (sum(m.layer_bytes[first_gpu:]) + (head if head_on_gpu else 0)
                 + kv(range(first_gpu, m.n_layers)))
    per_token = cpu_bytes / (c.cpu_bandwidth * c.cpu_efficiency) + c.token_overhead_per_vocab_s * m.n_vocab
    if k:
        per_token += gpu_bytes / (c.gpu_bandwidth * c.gpu_efficiency)
        # with layers left on the CPU, each token waits for the CPU's share too
        per_token += (c.gpu_token_overhead_s if head_on_gpu
                      else max(c.gpu_token_overhead_s, c.token_overhead_s))
    else:
        per_token += c.token_overhead_s
    decode_tps = 1.0 / per_token

    params = matmul_params(m)
    gpu_share = (m.n_layers - first_gpu) / m.n_layers if k else 0.0
    flops = 2.0 * params * prompt_tokens
    attention = 2.0 * m.n_layers * m.n_head * m.key_length * prompt_tokens * prompt_tokens  # QK and V
    if k:
        gpu_flops = c.gpu_flops or c.gpu_bandwidth * GPU_FLOPS_PER_BYTE
        # llama.cpp sends a prompt batch's matrix work to the GPU, the CPU layers' weights with it
        batches = -(-prompt_tokens // PROMPT_BATCH)
        transfers = 0.0 if head_on_gpu else batches * cpu_bytes / PCIE_BANDWIDTH
        ttft = (flops + attention) / gpu_flops + transfers
        ttft += prompt_tokens * c.prompt_overhead_s * (1 - gpu_share)
    else:
        ttft = (flops + attention) / c.cpu_flops + prompt_tokens * c.prompt_overhead_s
    ttft += per_token  # the first token itself
    return SpeedPrediction(decode_tps, ttft, prompt_tokens, k, c.measured)


def predict_for_verdict(m: ModelFacts, verdict: "FitVerdict", calibration: Calibration,
                        **options) -> SpeedPrediction:
    """The speed of the placement a fit verdict plans (its GPU layers)."""
    return predict_speed(m, calibration, n_gpu_layers=verdict.n_gpu_layers, **options)
