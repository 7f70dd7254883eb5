"""Recommendations that weigh speed, for recorded machines: 8 GB and 2 cores, 16 GB and 8 cores,
32 GB with a 24 GB GPU."""

from pathlib import Path

import pytest

from localchat.core.hardware import GPUInfo, Hardware
from localchat.core.models.calibration import load_calibration_file
from localchat.core.models.catalog import load_catalog
from localchat.core.models.fit import FitLevel, Placement
from localchat.core.models.recommend import SpeedPreference, best_model, rank_models
from localchat.core.units import GIB

CATALOG = load_catalog()
RECORDED = Path(__file__).parents[1] / "fixtures" / "calibrations"
RTX4090 = GPUInfo("NVIDIA GeForce RTX 4090", "nvidia", 24 * GIB, 23 * GIB, "nvml", memory_bandwidth=1008e9)
MACHINES = {
    "laptop": (Hardware(8 * GIB, 6 * GIB, 2, 2), "laptop-2-cores"),
    "desktop": (Hardware(16 * GIB, 12.5 * GIB, 8, 16), "desktop-8-cores"),
    "gpu": (Hardware(32 * GIB, 27 * GIB, 8, 16, gpus=(RTX4090,), gpu_offload=True, backend="CUDA"),
            "desktop-rtx4090"),
}


def ranking(machine: str):
    hardware, recorded = MACHINES[machine]
    return rank_models(CATALOG, hardware, calibration=load_calibration_file(RECORDED / f"{recorded}.json"))


def rule(ranked, bar):
    """The rule, written out: the most capable that fits with room to spare and writes ≥ bar."""
    fits = [r for r in ranked if r.verdict.level is FitLevel.FITS]
    quick = [r for r in fits if r.speed.decode_tps >= bar]
    return max(quick, key=lambda r: (r.entry.capability, -r.entry.size_bytes))


@pytest.mark.parametrize("machine, smallest, largest, speed_decided", [
    ("laptop", 3, 4, True),  # a 7B fits 8 GB but writes ~6.5 tokens/s on two cores
    ("desktop", 7, 8.1, True),  # 13B/14B fit 16 GB but write ~5.5 tokens/s
    ("gpu", 13, 15, False),  # everything fits the GPU and writes fast: the largest
])
def test_the_recommended_model_is_the_one_the_rule_says(machine, smallest, largest, speed_decided):
    ranked = ranking(machine)
    best = best_model(ranked)
    assert best.entry.id == rule(ranked, 8.0).entry.id
    assert smallest <= best.entry.params_b <= largest
    assert best.verdict.level is FitLevel.FITS and best.speed.decode_tps >= 8
    assert best.why.startswith(f"{best.entry.display_name}: {best.speed.text} here")
    if speed_decided:
        bigger = [r for r in ranked
                  if r.verdict.level is FitLevel.FITS and r.entry.capability > best.entry.capability]
        assert bigger and all(r.speed.decode_tps < 8 for r in bigger)
        assert "larger models fit but would run under" in best.why
        limit = int(best.why.rsplit("under ", 1)[1].split()[0])
        assert max(r.speed.decode_tps for r in bigger) < limit <= max(r.speed.decode_tps for r in bigger) + 1
    else:
        assert "the most capable model that fits" in best.why and best.verdict.placement is Placement.GPU


def test_the_preference_moves_the_bar():
    ranked = ranking("desktop")
    quality, balanced, speed = (best_model(ranked, p) for p in SpeedPreference)
    assert quality.entry.params_b > balanced.entry.params_b > speed.entry.params_b
    assert quality.speed.decode_tps >= 4 and speed.speed.decode_tps >= 16
    assert quality.entry.id == rule(ranked, 4.0).entry.id and speed.entry.id == rule(ranked, 16.0).entry.id


def test_when_nothing_is_fast_enough_the_fastest_that_fits_and_it_says_so():
    hardware = Hardware(8 * GIB, 6 * GIB, 2, 2)
    slow = load_calibration_file(RECORDED / "laptop-2-cores.json")
    from dataclasses import replace

    slow = replace(slow, cpu_bandwidth=slow.cpu_bandwidth / 8)
    ranked = rank_models(CATALOG, hardware, calibration=slow)
    best = best_model(ranked)
    fits = [r for r in ranked if r.verdict.level is FitLevel.FITS]
    assert best.speed.decode_tps == max(r.speed.decode_tps for r in fits) < 8
    assert "the fastest that fits; every model runs under 8 tokens/s" in best.why


def test_without_a_calibration_memory_alone_decides_as_before():
    hardware, _ = MACHINES["desktop"]
    best = best_model(rank_models(CATALOG, hardware))
    assert best.speed is None and best.speed_text == "" and 13 <= best.entry.params_b <= 15
    assert best.why == f"{best.entry.display_name}: the most capable model that fits here."


def test_embedding_models_carry_no_speed():
    hardware, recorded = MACHINES["laptop"]
    (embed,) = rank_models(CATALOG, hardware, kind="embedding",
                           calibration=load_calibration_file(RECORDED / f"{recorded}.json"))
    assert embed.speed is None
