"""GPU offload in the engine: the planned layer count, the CPU fallback when a GPU load fails,
and what ModelInfo tells the status bar. Real llama.cpp (this CPU build) loads every model."""

from collections import namedtuple

import pytest

from localchat.core.build_info import BuildInfo, build_info
from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.errors import ModelTooLargeError
from localchat.core.inference import engine as engine_module
from localchat.core.inference import llama as native
from localchat.core.inference.engine import Engine
from localchat.core.models.fit import estimate_memory
from localchat.core.models.gguf import read_local

REAL_OPEN = native.open_model


@pytest.fixture
def engine():
    e = Engine()
    yield e
    e.close()


@pytest.fixture
def cuda_build(monkeypatch):
    """This process believes it runs a CUDA build; llama.cpp itself stays the CPU build, which
    loads a model whatever n_gpu_layers says. Returns the n_gpu_layers of each load."""
    monkeypatch.setattr(engine_module, "build_info",
                        lambda: BuildInfo("test", "CUDA", True, "CUDA : ARCHS = 890"))
    calls: list[int] = []

    def recording(*args, **kwargs):
        calls.append(kwargs.get("n_gpu_layers", 0))
        return REAL_OPEN(*args, **kwargs)

    monkeypatch.setattr(native, "open_model", recording)
    return calls


def replies(engine) -> GenerationStats:
    *_, stats = engine.stream_chat([Message("user", "hello")], Sampling(max_tokens=4, seed=1))
    return stats


def test_a_cpu_build_loads_on_the_cpu_and_says_why(engine, tiny_model):
    if build_info().gpu_offload:
        pytest.skip("this build offloads to a GPU")
    info = engine.load(tiny_model, n_gpu_layers=-1)
    assert (info.n_gpu_layers, info.device, info.device_summary) == (0, "CPU", "CPU")
    assert "runs on the CPU only" in info.offload_note
    assert replies(engine).completion_tokens == 4


def test_cpu_only_asked_gives_no_note(engine, tiny_model):
    info = engine.load(tiny_model, n_gpu_layers=0)
    assert info.n_gpu_layers == 0 and info.offload_note is None


def test_all_layers_means_every_block_and_the_head(engine, tiny_model, cuda_build):
    info = engine.load(tiny_model, n_gpu_layers=-1)
    assert cuda_build == [3]  # 2 blocks + the output layer
    assert info.n_gpu_layers == 3 and info.device == "CUDA"
    assert info.device_summary == "CUDA · 3/3 layers"


def test_a_plan_larger_than_the_model_is_clamped(engine, tiny_model, cuda_build):
    info = engine.load(tiny_model, n_gpu_layers=99)
    assert cuda_build == [3] and info.offload_note is None
    partial = engine.load(tiny_model, n_gpu_layers=1)
    assert partial.device_summary == "CUDA · 1/3 layers"


def test_a_failed_gpu_load_falls_back_to_the_cpu_and_says_why(engine, tiny_model, cuda_build, monkeypatch):
    def gpu_out_of_memory(*args, **kwargs):
        cuda_build.append(kwargs.get("n_gpu_layers", 0))
        if kwargs.get("n_gpu_layers"):
            raise ValueError("Failed to create llama_context")  # what a CUDA out-of-memory looks like
        return REAL_OPEN(*args, **kwargs)

    monkeypatch.setattr(native, "open_model", gpu_out_of_memory)
    info = engine.load(tiny_model, n_gpu_layers=-1)
    assert cuda_build == [3, 0]
    assert (info.n_gpu_layers, info.device, info.device_summary) == (0, "CPU", "CPU")
    assert "Loading 3 layers on the GPU failed (Failed to create llama_context)" in info.offload_note
    assert replies(engine).completion_tokens == 4


VM = namedtuple("VM", "total available")


def test_ram_check_counts_only_what_stays_on_the_cpu(engine, tiny_model, cuda_build, monkeypatch):
    facts = read_local(tiny_model)
    on_cpu = estimate_memory(facts, n_ctx=2048).ram_bytes
    on_gpu = estimate_memory(facts, n_ctx=2048, n_gpu_layers=-1).ram_bytes
    assert on_gpu < on_cpu
    ram = (on_cpu + on_gpu) // 2  # enough with the GPU, too little without
    monkeypatch.setattr("psutil.virtual_memory", lambda: VM(ram, ram))
    assert engine.load(tiny_model, n_ctx=2048, n_gpu_layers=-1).n_gpu_layers == 3
    with pytest.raises(ModelTooLargeError):
        engine.load(tiny_model, n_ctx=2048, n_gpu_layers=0)

    def gpu_fails(*args, **kwargs):
        if kwargs.get("n_gpu_layers"):
            raise ValueError("Failed to load model from file")
        return REAL_OPEN(*args, **kwargs)

    monkeypatch.setattr(native, "open_model", gpu_fails)
    with pytest.raises(ModelTooLargeError, match="needs about"):  # the CPU cannot take it either
        engine.load(tiny_model, n_ctx=2048, n_gpu_layers=-1)


def test_auto_loads_with_the_plan_for_this_machine(engine, tiny_model):
    from localchat.core.hardware import detect_hardware
    from localchat.core.models.fit import Placement, plan_for_file

    hardware = detect_hardware()
    plan = plan_for_file(tiny_model, n_ctx=1024, hardware=hardware)
    info = engine.load(tiny_model, n_ctx=1024, n_gpu_layers=plan.n_gpu_layers)
    if hardware.offload_gpu is None:  # this CPU build: the plan keeps everything on the CPU
        assert plan.placement is Placement.CPU and plan.n_gpu_layers == 0
        assert info.device_summary == "CPU" and info.offload_note is None
    else:  # a GPU machine: a tiny model goes there whole
        assert plan.placement is Placement.GPU
        assert info.n_gpu_layers == plan.n_gpu_layers == info.n_layers + 1
