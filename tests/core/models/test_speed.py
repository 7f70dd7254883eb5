"""The speed model with recorded calibrations: a 2-core laptop, an 8-core desktop, a desktop with
a 24 GB GPU. Pure: no model runs here."""

from dataclasses import replace
from pathlib import Path

import pytest

from localchat.core.hardware import GPUInfo, Hardware
from localchat.core.models.calibration import load_calibration_file
from localchat.core.models.catalog import load_catalog
from localchat.core.models.fit import MemoryBudget, fit_model
from localchat.core.models.speed import (
    Calibration,
    SpeedPrediction,
    assumed_calibration,
    matmul_params,
    predict_speed,
    tps_text,
)
from localchat.core.units import GIB

CATALOG = load_catalog()
RECORDED = Path(__file__).parents[1] / "fixtures" / "calibrations"
LAPTOP = load_calibration_file(RECORDED / "laptop-2-cores.json")
DESKTOP = load_calibration_file(RECORDED / "desktop-8-cores.json")
GPU = load_calibration_file(RECORDED / "desktop-rtx4090.json")
MISTRAL = CATALOG.get("mistral-7b-instruct-v0.2-q4_0").model_facts()
LLAMA_1B = CATALOG.get("llama-3.2-1b-instruct-q4_0").model_facts()
QWEN_14B = CATALOG.get("qwen2.5-14b-instruct-q4_k_m").model_facts()


def test_decode_is_bandwidth_over_the_bytes_read_per_token():
    p = predict_speed(MISTRAL, LAPTOP, prompt_tokens=1)
    weights = sum(MISTRAL.layer_bytes) + MISTRAL.output_bytes
    fixed = LAPTOP.token_overhead_s + LAPTOP.token_overhead_per_vocab_s * MISTRAL.n_vocab
    expected = 1 / (fixed + weights / (LAPTOP.cpu_bandwidth * LAPTOP.cpu_efficiency))
    assert p.decode_tps == pytest.approx(expected, rel=0.01)
    # the 2-core machine of docs/PERFORMANCE.md (44 GB/s read) decoded a 7B Q4_0 at 7.15 tokens/s
    assert 6 < p.decode_tps < 8


def test_a_longer_conversation_reads_more_cache_and_writes_slower():
    short, long = (predict_speed(MISTRAL, DESKTOP, prompt_tokens=n) for n in (100, 8000))
    assert long.decode_tps < short.decode_tps
    assert long.ttft_s > short.ttft_s * 50  # arithmetic grows with the prompt, attention faster


def test_the_three_machines_order_and_numbers():
    for facts in (LLAMA_1B, MISTRAL, QWEN_14B):
        laptop, desktop = predict_speed(facts, LAPTOP), predict_speed(facts, DESKTOP)
        gpu = predict_speed(facts, GPU, n_gpu_layers=facts.all_layers)
        assert laptop.decode_tps < desktop.decode_tps < gpu.decode_tps
        assert laptop.ttft_s > desktop.ttft_s > gpu.ttft_s
    # smaller models are faster on every machine
    for calibration in (LAPTOP, DESKTOP):
        speeds = [predict_speed(f, calibration).decode_tps for f in (LLAMA_1B, MISTRAL, QWEN_14B)]
        assert speeds == sorted(speeds, reverse=True)
    assert 25 < predict_speed(LLAMA_1B, LAPTOP).decode_tps < 40
    assert 10 < predict_speed(MISTRAL, DESKTOP).decode_tps < 16
    assert 4 < predict_speed(QWEN_14B, DESKTOP).decode_tps < 7
    assert 50 < predict_speed(QWEN_14B, GPU, n_gpu_layers=QWEN_14B.all_layers).decode_tps < 120


def test_partial_offload_lies_between_the_cpu_and_the_whole_gpu():
    cpu = predict_speed(QWEN_14B, GPU, n_gpu_layers=0).decode_tps
    half = predict_speed(QWEN_14B, GPU, n_gpu_layers=QWEN_14B.all_layers // 2).decode_tps
    whole = predict_speed(QWEN_14B, GPU, n_gpu_layers=QWEN_14B.all_layers).decode_tps
    assert cpu < half < whole
    assert half < 2.5 * cpu, "the CPU's half of the layers sets the pace"


def test_gpu_layers_on_a_build_without_a_gpu_run_on_the_cpu():
    assert predict_speed(MISTRAL, DESKTOP, n_gpu_layers=33) == predict_speed(MISTRAL, DESKTOP, n_gpu_layers=0)


def test_the_plan_of_a_fit_verdict_is_what_is_predicted():
    gpu = GPUInfo("NVIDIA GeForce RTX 3060", "nvidia", 12 * GIB, 11 * GIB, "nvml", memory_bandwidth=360e9)
    hardware = Hardware(32 * GIB, 28 * GIB, 8, 16, gpus=(gpu,), gpu_offload=True, backend="CUDA")
    verdict = fit_model(QWEN_14B, MemoryBudget.of(hardware), n_ctx=8192)
    assert 0 < verdict.n_gpu_layers < QWEN_14B.all_layers
    calibration = GPU.with_gpu(gpu.memory_bandwidth)
    planned = predict_speed(QWEN_14B, calibration, n_gpu_layers=verdict.n_gpu_layers)
    assert planned.n_gpu_layers == verdict.n_gpu_layers
    assert predict_speed(QWEN_14B, DESKTOP).decode_tps < planned.decode_tps


def test_texts_people_read():
    assert [tps_text(x) for x in (143.2, 14.4, 9.96, 3.36, 0.42)] == ["140", "14", "10.0", "3.4", "0.4"]
    p = SpeedPrediction(14.4, 3.2, 1000, 0, True)
    assert p.text == "~14 tokens/s" and p.ttft_text == "first word after ~3 s for a 1,000-token prompt"
    assert p.comfortable and not replace(p, decode_tps=7.9).comfortable
    assert p.to_dict() == {"decode_tokens_per_s": 14.4, "ttft_s": 3.2, "prompt_tokens": 1000,
                           "n_gpu_layers": 0, "calibrated": True}


def test_assumed_figures_before_a_measurement_say_so():
    assumed = assumed_calibration(Hardware(16 * GIB, 12 * GIB, 4, 8))
    assert not assumed.measured and not predict_speed(MISTRAL, assumed).measured
    assert Calibration.from_dict({**assumed.to_dict(), "unknown": 1}) == assumed


def test_matmul_params_match_the_published_size():
    assert matmul_params(MISTRAL) == pytest.approx(7.24e9, rel=0.03)  # 7.24B with the embedding looked up
