"""Memory fit: hand-checked numbers for known shapes, verdicts for 8/16/32 GB machines, GPU
layer plans for 4/8/24 GB cards, sliding-window models."""

from collections import namedtuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from localchat.core import hardware
from localchat.core.hardware import GPUInfo, Hardware
from localchat.core.models.catalog import load_catalog
from localchat.core.models.facts import ModelFacts, pad_context, swa_layers
from localchat.core.models.fit import (
    FitLevel,
    MemoryBudget,
    Placement,
    estimate_memory,
    fit_model,
    vram_budget,
)
from localchat.core.models.gguf import read_local
from localchat.core.models.recommend import best_model, rank_models
from localchat.core.units import GIB, MIB

KIB = 1024
CATALOG = load_catalog()


def shape(layers, embd, heads, kv_heads, head_dim=128, ff=11008, vocab=32000, ctx=4096,
          weights=4 * GIB, **extra) -> ModelFacts:
    embed = vocab * embd // 2
    per_layer = (weights - 2 * embed) // layers
    return ModelFacts(n_layers=layers, n_embd=embd, n_head=heads, n_head_kv=kv_heads,
                      key_length=head_dim, value_length=head_dim, n_ff=ff, n_vocab=vocab,
                      n_ctx_train=ctx, layer_bytes=(per_layer,) * layers, input_bytes=embed,
                      output_bytes=embed, **extra)


LLAMA2_7B = shape(32, 4096, 32, 32)
MISTRAL_7B = CATALOG.get("mistral-7b-instruct-v0.2-q4_k_m").model_facts()
LLAMA2_13B = CATALOG.get("llama-2-13b-chat-q4_k_m").model_facts()


# -- the KV cache ------------------------------------------------------------------------------------
@pytest.mark.parametrize("facts, per_token", [
    (LLAMA2_7B, 512 * KIB),  # 32 layers × 32 KV heads × 128 × 2 (K, V) × 2 bytes
    (MISTRAL_7B, 128 * KIB),  # 8 KV heads: a quarter of that
    (LLAMA2_13B, 800 * KIB),  # 40 layers × 40 heads
])
def test_kv_cache_per_token_of_published_shapes(facts, per_token):
    assert facts.kv_bytes_per_token("f16") == per_token
    assert estimate_memory(facts, n_ctx=4096).kv_bytes == 4096 * per_token


def test_kv_cache_types_scale_the_cache():
    assert LLAMA2_7B.kv_bytes_per_token("q8_0") == 512 * KIB * 34 / 64
    assert LLAMA2_7B.kv_bytes_per_token("f32") == 1024 * KIB


def test_context_is_padded_like_llama_cpp():
    assert [pad_context(n) for n in (1, 256, 1000, 4096, 5000)] == [256, 256, 1024, 4096, 5120]
    assert estimate_memory(LLAMA2_7B, n_ctx=1000).kv_bytes == 1024 * 512 * KIB


# -- sliding windows ---------------------------------------------------------------------------------
def test_gemma3_pattern_is_five_windowed_layers_then_one_global():
    assert sorted(set(range(12)) - swa_layers(12, 6)) == [5, 11]
    assert swa_layers(4, 0) == frozenset(range(4))  # every layer windowed
    assert swa_layers(4, 1) == frozenset()


def test_sliding_window_layers_keep_window_plus_batch_cells():
    gemma = CATALOG.get("gemma-3-4b-it-q4_k_m").model_facts()  # 34 layers, window 1024
    per_cell = 4 * (256 + 256) * 2  # 4 KV heads × (K + V head dim) × f16
    full_layers = 34 - len(gemma.window_layers)
    assert full_layers == 5
    compact = estimate_memory(gemma, n_ctx=32768, swa_full=False).kv_bytes
    assert compact == (5 * 32768 + 29 * 1536) * per_cell  # 1536 = 1024 + 512, padded
    # the engine asks for the full-size cache (it reuses the cache between turns)
    assert estimate_memory(gemma, n_ctx=32768).kv_bytes == 34 * 32768 * per_cell
    # a window larger than the context changes nothing
    assert estimate_memory(gemma, n_ctx=1024, swa_full=False).kv_bytes == 34 * 1024 * per_cell


@pytest.mark.demo
def test_sliding_window_of_a_real_gemma3_file_matches_llama_cpp(demo_model):
    facts = ModelFacts.from_gguf(read_local(demo_model))
    assert (facts.n_layers, facts.sliding_window, len(facts.window_layers)) == (18, 512, 15)
    # llama.cpp's own log for this file at 4096: 12 MiB (3 global layers) + 60 MiB (15 windowed)
    assert estimate_memory(facts, n_ctx=4096).kv_bytes == 72 * MIB
    # without the full-size SWA cache the windowed layers hold 1024 cells: 12 + 15 MiB
    assert estimate_memory(facts, n_ctx=4096, swa_full=False).kv_bytes == 27 * MIB


def test_tiny_model_facts_from_its_header(tiny_model):
    facts = ModelFacts.from_gguf(read_local(tiny_model))
    assert (facts.n_layers, facts.n_head, facts.n_head_kv, facts.key_length) == (2, 4, 2, 16)
    assert facts.kv_bytes_per_token() == 2 * 2 * (16 + 16) * 2
    assert facts.weights_bytes == read_local(tiny_model).tensor_bytes
    assert not facts.output_tied and not facts.window_layers


# -- verdicts for machines ---------------------------------------------------------------------------
VM = namedtuple("VM", "total available")


@pytest.fixture
def machine(monkeypatch, tmp_path):
    """A machine with ``total`` GB of RAM, ``free`` GB available and no GPU: psutil mocked,
    no GPU tool on PATH."""
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(hardware.sys, "platform", "linux")

    def make(total: float, free: float) -> Hardware:
        monkeypatch.setattr("psutil.virtual_memory", lambda: VM(int(total * GIB), int(free * GIB)))
        return hardware.detect_hardware(timeout=1)

    return make


@pytest.mark.parametrize("total, free, smallest, largest", [
    (4, 2.8, 1, 3.1),  # under 8 GB: a 1-3B model
    (8, 6.0, 7, 8.1),  # ~8 GB: a 7B/8B at 4-bit
    (16, 12.5, 13, 15),  # ~16 GB: a 13B/14B at 4-bit
    (32, 27.0, 13, 15),  # the largest in the catalog, with room to spare
])
def test_recommendation_by_machine_size(machine, total, free, smallest, largest):
    best = best_model(rank_models(CATALOG, machine(total, free)))
    assert best is not None
    assert smallest <= best.entry.params_b <= largest
    assert best.verdict.level is FitLevel.FITS
    assert best.verdict.placement is Placement.CPU
    if largest <= 15:
        assert best.entry.quant.startswith("Q4")


def test_a_13b_model_is_too_big_for_8_gb(machine):
    verdict = fit_model(LLAMA2_13B, machine(8, 6.0))
    assert verdict.placement is Placement.NO_FIT and verdict.level is FitLevel.TOO_BIG
    assert verdict.badge.text == "Too big"
    assert "this computer has 8.0 GiB in all" in verdict.reason


def test_too_big_at_the_asked_context_says_which_context_fits(machine):
    big_context = fit_model(MISTRAL_7B, machine(8, 7.5), n_ctx=32768)
    assert big_context.level is FitLevel.TOO_BIG
    assert 4096 < big_context.max_context < 32768
    assert f"up to {big_context.max_context:,} tokens" in big_context.reason


def test_a_model_that_needs_more_than_is_free_is_tight_not_impossible(machine):
    verdict = fit_model(MISTRAL_7B, machine(16, 4.0))
    assert verdict.placement is Placement.CPU and verdict.level is FitLevel.TIGHT
    assert "Close other apps" in verdict.reason
    assert verdict.badge.text == "Tight"


def test_verdict_numbers_add_up(machine):
    verdict = fit_model(MISTRAL_7B, machine(16, 12))
    est = verdict.estimate
    assert est.ram_bytes == est.weights_bytes + est.kv_bytes + est.compute_bytes + est.overhead_bytes
    assert est.weights_bytes == MISTRAL_7B.weights_bytes
    assert verdict.needs_bytes == est.total_bytes
    assert "Runs on the CPU (no GPU was found)" in verdict.reason


def test_max_context_is_the_largest_that_loads(machine):
    budget = MemoryBudget.of(machine(8, 6.0))
    verdict = fit_model(MISTRAL_7B, budget)
    limit = min(budget.ram_free, budget.ram_limit)
    assert estimate_memory(MISTRAL_7B, n_ctx=verdict.max_context).ram_bytes <= limit
    assert estimate_memory(MISTRAL_7B, n_ctx=verdict.max_context + 256).ram_bytes > limit


def test_max_context_stops_at_the_training_context(machine):
    assert fit_model(LLAMA2_13B, machine(64, 60)).max_context == 4096


# -- GPU layer plans ---------------------------------------------------------------------------------
def nvidia(vram_gb: float) -> Hardware:
    gpu = GPUInfo(f"GPU {vram_gb:g} GB", "nvidia", int(vram_gb * GIB), int((vram_gb - 0.4) * GIB), "nvidia-smi")
    return Hardware(32 * GIB, 24 * GIB, 8, 16, gpus=(gpu,), gpu_offload=True, backend="CUDA")


@pytest.mark.parametrize("facts, vram, placement", [
    (MISTRAL_7B, 4, Placement.PARTIAL),
    (MISTRAL_7B, 8, Placement.GPU),
    (MISTRAL_7B, 24, Placement.GPU),
    (LLAMA2_13B, 4, Placement.PARTIAL),
    (LLAMA2_13B, 8, Placement.PARTIAL),
    (LLAMA2_13B, 24, Placement.GPU),
])
def test_gpu_layer_plan(facts, vram, placement):
    hw = nvidia(vram)
    verdict = fit_model(facts, hw)
    assert verdict.placement is placement
    budget = vram_budget(hw.offload_gpu)
    assert budget < hw.offload_gpu.free_bytes  # a reserve stays free
    k = verdict.n_gpu_layers
    assert estimate_memory(facts, n_ctx=4096, n_gpu_layers=k).vram_bytes <= budget
    if placement is Placement.GPU:
        assert k == facts.n_layers + 1 and "entirely on the GPU" in verdict.reason
    else:  # the most layers that fit: one more would not
        assert 0 < k <= facts.n_layers
        assert estimate_memory(facts, n_ctx=4096, n_gpu_layers=k + 1).vram_bytes > budget
        assert f"{k} of {facts.n_layers + 1} layers" in verdict.label


def test_offloading_moves_memory_from_ram_to_the_gpu():
    cpu = estimate_memory(MISTRAL_7B, n_ctx=4096)
    half = estimate_memory(MISTRAL_7B, n_ctx=4096, n_gpu_layers=16)
    assert half.ram_bytes < cpu.ram_bytes
    assert half.kv_gpu == 16 * 4096 * 4 * KIB  # the KV of the offloaded layers goes with them
    assert half.weights_gpu == sum(MISTRAL_7B.layer_bytes[16:])


def test_a_card_too_small_for_one_layer_leaves_it_on_the_cpu():
    verdict = fit_model(MISTRAL_7B, nvidia(0.9))
    assert verdict.placement is Placement.CPU and verdict.n_gpu_layers == 0
    assert "not one layer fits" in verdict.reason


def test_a_forced_layer_count_is_kept_and_checked():
    assert fit_model(MISTRAL_7B, nvidia(24), gpu_layers=10).n_gpu_layers == 10
    assert fit_model(MISTRAL_7B, nvidia(24), gpu_layers=-1).placement is Placement.GPU
    too_many = fit_model(LLAMA2_13B, nvidia(4), gpu_layers=-1)
    assert too_many.placement is Placement.NO_FIT and "GPU memory" in too_many.reason


def test_a_cpu_build_plans_no_layers_whatever_the_setting():
    hw = Hardware(16 * GIB, 12 * GIB, 8, 16, gpus=nvidia(24).gpus, gpu_offload=False)
    verdict = fit_model(MISTRAL_7B, hw, gpu_layers=-1)
    assert verdict.placement is Placement.CPU and verdict.n_gpu_layers == 0
    assert "CPU only" in verdict.reason


def test_apple_silicon_counts_unified_memory_once():
    gpu = GPUInfo("Apple M2", "apple", 16 * GIB * 2 // 3, 10 * GIB, "sysctl", unified_memory=True)
    hw = Hardware(16 * GIB, 10 * GIB, 8, 8, gpus=(gpu,), gpu_offload=True, backend="Metal")
    verdict = fit_model(MISTRAL_7B, hw)
    assert verdict.placement is Placement.GPU
    est = verdict.estimate
    assert est.ram_bytes == est.total_bytes and est.overhead_gpu == 0


@settings(max_examples=60, deadline=None)
@given(layers=st.integers(1, 80), vram_mb=st.integers(0, 48_000), kv_heads=st.sampled_from([1, 4, 8, 32]),
       weights_gb=st.floats(0.3, 40), n_ctx=st.sampled_from([512, 2048, 8192]))
def test_planned_layers_are_the_most_that_fit(layers, vram_mb, kv_heads, weights_gb, n_ctx):
    facts = shape(layers, 4096, 32, kv_heads, weights=int(weights_gb * GIB), ctx=8192)
    budget = MemoryBudget(256 * GIB, 256 * GIB, vram_mb * MIB, "GPU")
    k = fit_model(facts, budget, n_ctx=n_ctx).estimate.n_gpu_layers
    assert 0 <= k <= layers + 1
    if k:
        assert estimate_memory(facts, n_ctx=n_ctx, n_gpu_layers=k).vram_bytes <= budget.vram_free
    if k <= layers:
        assert estimate_memory(facts, n_ctx=n_ctx, n_gpu_layers=k + 1).vram_bytes > budget.vram_free


@settings(max_examples=40, deadline=None)
@given(k=st.integers(1, 33), n_ctx=st.integers(256, 32768))
def test_ram_never_grows_as_layers_move_to_the_gpu(k, n_ctx):
    # From the first GPU layer on; the first one also switches the engine to 512-token batches,
    # whose larger CPU compute buffer test_first_gpu_layer_uses_the_larger_batch pins down.
    here = estimate_memory(MISTRAL_7B, n_ctx=n_ctx, n_gpu_layers=k)
    more = estimate_memory(MISTRAL_7B, n_ctx=n_ctx, n_gpu_layers=k + 1)
    assert more.ram_bytes <= here.ram_bytes


def test_first_gpu_layer_uses_the_larger_batch():
    cpu = estimate_memory(MISTRAL_7B, n_ctx=4096, n_gpu_layers=0)
    one = estimate_memory(MISTRAL_7B, n_ctx=4096, n_gpu_layers=1)
    assert one.compute_cpu > cpu.compute_cpu  # 512-token batches instead of 128
    assert one.weights_cpu < cpu.weights_cpu
