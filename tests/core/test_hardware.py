"""Hardware probes: recorded tool outputs, a missing tool, a hung tool, odd output."""

import shutil
import stat
import sys
from collections import namedtuple
from pathlib import Path

import pytest

from localchat.core import hardware
from localchat.core.hardware import (
    GIB,
    MIB,
    GPUInfo,
    Hardware,
    ProbeFailed,
    detect_hardware,
    memory_bandwidth,
    metal_working_set,
    parse_nvidia_smi,
    parse_system_info,
    parse_vulkaninfo,
    probe_nvidia_smi,
    probe_vulkaninfo,
    published_bandwidth,
    run_tool,
)

FIXTURES = Path(__file__).parent / "fixtures" / "hardware"
CAT, SLEEP, TOUCH = (shutil.which(t) for t in ("cat", "sleep", "touch"))  # before PATH is emptied
VM = namedtuple("VM", "total available")


def recorded(name: str) -> str:
    return (FIXTURES / name).read_text()


@pytest.fixture
def tools(tmp_path, monkeypatch):
    """A PATH holding only the fake tools a test writes (plus the shell they need)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.setitem(sys.modules, "pynvml", None)  # NVML absent: the CLI tools are asked

    def write(name: str, script: str) -> Path:
        path = bin_dir / name
        path.write_text("#!/bin/sh\n" + script)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
        return path

    return write


def printing(fixture: str, code: int = 0) -> str:
    return f"{CAT} '{FIXTURES / fixture}'\nexit {code}\n"


# -- recorded outputs --------------------------------------------------------------------------------
def test_nvidia_smi_rows_become_gpus_with_their_free_memory():
    gpus = parse_nvidia_smi(recorded("nvidia-smi-two-gpus.csv"))
    assert [(g.name, g.total_bytes, g.free_bytes) for g in gpus] == [
        ("NVIDIA GeForce RTX 4090", 24564 * MIB, 23822 * MIB),
        ("NVIDIA GeForce RTX 3060", 12288 * MIB, 11954 * MIB),
    ]
    assert [g.index for g in gpus] == [0, 1]


def test_nvidia_smi_odd_values_are_skipped_not_fatal():
    gpus = parse_nvidia_smi(recorded("nvidia-smi-odd.csv"))
    by_name = {g.name: g for g in gpus}
    assert set(by_name) == {"NVIDIA GeForce GTX 1650", "Tesla T4"}  # the A100 row has no total
    assert by_name["NVIDIA GeForce GTX 1650"].free_bytes is None  # [N/A]: unknown, not zero
    assert by_name["NVIDIA GeForce GTX 1650"].usable_free_bytes == 4096 * MIB
    assert by_name["Tesla T4"].total_bytes == 15360 * MIB


def test_vulkaninfo_reports_the_device_local_heap_and_its_budget():
    gpus = parse_vulkaninfo(recorded("vulkaninfo-amd-and-llvmpipe.txt"))
    assert len(gpus) == 1  # llvmpipe is the CPU, not a GPU
    amd = gpus[0]
    assert amd.name == "AMD Radeon RX 6700 XT (RADV NAVI22)"
    assert amd.vendor == "amd"
    assert amd.total_bytes == 12868124672  # the device-local heap, not the 31 GiB host heap
    assert amd.free_bytes == 12079595520
    assert not amd.unified_memory


def test_vulkaninfo_integrated_gpu_shares_system_memory():
    (intel,) = parse_vulkaninfo(recorded("vulkaninfo-intel-integrated.txt"))
    assert intel.vendor == "intel" and intel.unified_memory
    assert intel.free_bytes is None  # no budget extension: unknown


@pytest.mark.parametrize("text", ["", "GPU0:\n", "GPU0:\n\tdeviceName = X\nmemoryHeaps[0]:\n\t\tsize = lots\n",
                                  "\x00\xff garbage", "GPU9:\n" + "memoryHeaps[0]:\n" * 3])
def test_vulkaninfo_garbage_lists_nothing(text):
    assert parse_vulkaninfo(text) == []


def test_cpu_features_from_llama_system_info():
    info = "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | AVX512 = 0 | REPACK = 1 |"
    assert parse_system_info(info) == ("SSE3", "SSSE3", "AVX", "AVX2", "F16C", "FMA", "REPACK")
    assert parse_system_info("") == ()


def test_metal_working_set_follows_macos_defaults_and_the_wired_limit():
    assert metal_working_set(16 * GIB) == 16 * GIB * 2 // 3
    assert metal_working_set(64 * GIB) == 48 * GIB
    assert metal_working_set(16 * GIB, wired_limit_mb=14336) == 14 * GIB


# -- the tools themselves ---------------------------------------------------------------------------
def test_probe_runs_nvidia_smi_and_reads_it(tools):
    tools("nvidia-smi", printing("nvidia-smi-two-gpus.csv"))
    assert [g.name for g in probe_nvidia_smi()] == ["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3060"]


def test_a_missing_tool_is_reported_not_raised(tools):
    with pytest.raises(ProbeFailed, match="not installed"):
        probe_nvidia_smi()


def test_a_failing_driver_says_what_nvidia_smi_said(tools):
    tools("nvidia-smi", printing("nvidia-smi-no-driver.txt", code=9))
    with pytest.raises(ProbeFailed, match="exit 9.*couldn't communicate"):
        probe_nvidia_smi()


def test_a_hung_tool_is_killed_at_the_timeout(tools, tmp_path):
    # the script's child (sleep) holds the output pipe: the whole group must go, or the probe
    # would wait for it
    import psutil

    pid_file = tmp_path / "sleep.pid"
    tools("vulkaninfo", f"{SLEEP} 30 &\necho $! > '{pid_file}'\nwait\n")
    with pytest.raises(ProbeFailed, match="did not answer within 0.5 s"):
        probe_vulkaninfo(timeout=0.5)
    pid = int(pid_file.read_text())
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_hung_nvml_costs_the_timeout_not_the_app(monkeypatch):
    import threading
    import types

    release = threading.Event()
    fake = types.SimpleNamespace(nvmlInit=lambda: release.wait(30), nvmlShutdown=lambda: None)
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    try:
        with pytest.raises(ProbeFailed, match="NVML did not answer"):
            hardware.probe_nvml(timeout=0.3)
    finally:
        release.set()


def test_nvml_is_preferred_when_installed(monkeypatch):
    import types

    memory = types.SimpleNamespace(total=8 * GIB, free=7 * GIB)
    fake = types.SimpleNamespace(
        nvmlInit=lambda: None, nvmlShutdown=lambda: None, nvmlDeviceGetCount=lambda: 1,
        nvmlDeviceGetHandleByIndex=lambda i: i, nvmlDeviceGetName=lambda h: b"NVIDIA GeForce RTX 4060",
        nvmlDeviceGetMemoryInfo=lambda h: memory)
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    (gpu,) = hardware.probe_nvml()
    assert (gpu.name, gpu.total_bytes, gpu.free_bytes, gpu.source) == ("NVIDIA GeForce RTX 4060", 8 * GIB, 7 * GIB, "nvml")


def test_nvml_gives_the_memory_bandwidth_from_bus_width_and_clock(monkeypatch):
    import types

    memory = types.SimpleNamespace(total=24 * GIB, free=23 * GIB)
    fake = types.SimpleNamespace(
        nvmlInit=lambda: None, nvmlShutdown=lambda: None, nvmlDeviceGetCount=lambda: 1,
        nvmlDeviceGetHandleByIndex=lambda i: i, nvmlDeviceGetName=lambda h: "NVIDIA Some Future GPU",
        nvmlDeviceGetMemoryInfo=lambda h: memory, NVML_CLOCK_MEM=2,
        nvmlDeviceGetMemoryBusWidth=lambda h: 384,
        nvmlDeviceGetMaxClockInfo=lambda h, kind: 10501 if kind == 2 else 2520)
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    (gpu,) = hardware.probe_nvml()
    assert gpu.memory_bandwidth == pytest.approx(1008e9, rel=0.001)  # an RTX 4090's 384 bits at 21 Gbps


def test_an_nvml_without_bus_width_falls_back_to_the_published_figure(monkeypatch):
    import types

    memory = types.SimpleNamespace(total=8 * GIB, free=7 * GIB)
    fake = types.SimpleNamespace(
        nvmlInit=lambda: None, nvmlShutdown=lambda: None, nvmlDeviceGetCount=lambda: 1,
        nvmlDeviceGetHandleByIndex=lambda i: i, nvmlDeviceGetName=lambda h: b"NVIDIA GeForce RTX 4060 Ti",
        nvmlDeviceGetMemoryInfo=lambda h: memory)
    monkeypatch.setitem(sys.modules, "pynvml", fake)
    (gpu,) = hardware.probe_nvml()
    assert gpu.memory_bandwidth == 288e9  # the Ti's, not the RTX 4060's 272


def test_published_bandwidths_by_name():
    assert published_bandwidth("NVIDIA GeForce RTX 3060") == 360e9
    assert published_bandwidth("NVIDIA GeForce RTX 3060 Ti") == 448e9
    assert published_bandwidth("Apple M2 Pro") == 200e9 and published_bandwidth("Apple M2") == 100e9
    assert published_bandwidth("NVIDIA H200") == 4800e9
    assert published_bandwidth("Intel(R) Xe Graphics (TGL GT2)") is None
    assert published_bandwidth("NVIDIA GeForce RTX 30600") is None, "a whole name, not a prefix"
    assert memory_bandwidth(0, 1000) is None


def test_recorded_gpus_carry_their_bandwidth():
    smi = parse_nvidia_smi(recorded("nvidia-smi-two-gpus.csv"))
    assert [g.memory_bandwidth for g in smi] == [1008e9, 360e9]
    (amd,) = parse_vulkaninfo(recorded("vulkaninfo-amd-and-llvmpipe.txt"))
    assert amd.memory_bandwidth == 384e9
    (intel,) = parse_vulkaninfo(recorded("vulkaninfo-intel-integrated.txt"))
    assert intel.memory_bandwidth is None  # unknown: shared memory, the speed model takes the RAM's


def test_run_tool_returns_stdout(tools):
    tools("probe-me", "echo hello\n")
    assert run_tool(["probe-me"]).strip() == "hello"


# -- everything together ----------------------------------------------------------------------------
@pytest.fixture
def linux_box(monkeypatch):
    monkeypatch.setattr(hardware.sys, "platform", "linux")
    monkeypatch.setattr("psutil.virtual_memory", lambda: VM(16 * GIB, 11 * GIB))


def test_detect_with_no_gpu_tools_finds_ram_cores_and_says_why_no_gpu(tools, linux_box):
    hw = detect_hardware(timeout=2)
    assert (hw.total_ram, hw.available_ram) == (16 * GIB, 11 * GIB)
    assert hw.physical_cores >= 1 and hw.logical_cores >= hw.physical_cores
    assert hw.gpus == ()
    assert hw.offload_gpu is None
    assert any("nvidia-smi is not installed" in n for n in hw.notes)
    assert "AVX" in hw.cpu_features or "NEON" in hw.cpu_features or hw.cpu_features  # this CPU's


def test_detect_lists_nvidia_gpus_once_even_when_vulkan_sees_them(tools, linux_box, monkeypatch):
    tools("nvidia-smi", printing("nvidia-smi-two-gpus.csv"))
    tools("vulkaninfo", printing("vulkaninfo-amd-and-llvmpipe.txt"))
    monkeypatch.setattr(hardware, "_llama_facts", lambda: ("CUDA", True, ("AVX2",)))
    hw = detect_hardware(timeout=2)
    assert [g.name for g in hw.gpus] == ["NVIDIA GeForce RTX 4090", "NVIDIA GeForce RTX 3060"]
    assert hw.offload_gpu.name == "NVIDIA GeForce RTX 4090"  # the most free memory
    assert "RTX 4090" in hw.summary()


def test_a_cpu_build_offloads_nowhere_even_with_a_gpu(tools, linux_box, monkeypatch):
    tools("nvidia-smi", printing("nvidia-smi-two-gpus.csv"))
    monkeypatch.setattr(hardware, "_llama_facts", lambda: ("CPU", False, ()))
    hw = detect_hardware(timeout=2)
    assert len(hw.gpus) == 2 and hw.offload_gpu is None
    assert "CPU only" in hw.summary()


def test_a_vulkan_build_uses_an_amd_gpu(tools, linux_box, monkeypatch):
    tools("vulkaninfo", printing("vulkaninfo-amd-and-llvmpipe.txt"))
    monkeypatch.setattr(hardware, "_llama_facts", lambda: ("Vulkan", True, ()))
    assert detect_hardware(timeout=2).offload_gpu.vendor == "amd"


def test_a_cuda_build_does_not_offload_to_an_amd_gpu():
    amd = GPUInfo("Radeon", "amd", 8 * GIB, 8 * GIB, "vulkaninfo")
    hw = Hardware(16 * GIB, 12 * GIB, 8, 16, gpus=(amd,), gpu_offload=True, backend="CUDA")
    assert hw.offload_gpu is None


def test_apple_silicon_reports_unified_memory(tools, monkeypatch):
    monkeypatch.setattr(hardware.sys, "platform", "darwin")
    monkeypatch.setattr(hardware.platform, "machine", lambda: "arm64")
    monkeypatch.setattr("psutil.virtual_memory", lambda: VM(32 * GIB, 20 * GIB))
    monkeypatch.setattr(hardware, "_llama_facts", lambda: ("Metal", True, ("NEON",)))
    tools("sysctl", "echo 0\n")
    hw = detect_hardware(timeout=2)
    (gpu,) = hw.gpus
    assert gpu.unified_memory and gpu.vendor == "apple"
    assert gpu.total_bytes == 32 * GIB * 2 // 3 and gpu.free_bytes == 20 * GIB
    assert hw.offload_gpu == gpu


def test_detect_on_this_machine_never_raises():
    hw = detect_hardware(timeout=5)
    assert hw.total_ram > 0 and hw.available_ram > 0
    assert hw.backend  # "CPU" on this test machine's build, a GPU backend elsewhere


def test_what_if_memory_override():
    hw = Hardware(8 * GIB, 5 * GIB, 4, 8)
    bigger = hw.with_memory(ram=32 * GIB, vram=12 * GIB)
    assert (bigger.total_ram, bigger.available_ram) == (32 * GIB, 32 * GIB)
    assert bigger.offload_gpu.total_bytes == 12 * GIB
    assert hw.with_memory(vram=0).offload_gpu is None
