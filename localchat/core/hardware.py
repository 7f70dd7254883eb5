"""What this computer has for running a model: RAM, cores, CPU features, GPUs and their memory.

Every probe is bounded by a timeout and survives odd output: a missing tool, a hung driver or a
format it does not know make the probe report nothing (and a note saying why), never an
exception. ``detect_hardware()`` takes a few hundred milliseconds with the tools present, so the
GUI calls it off its own thread.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field, replace
from typing import Callable

from localchat.core.units import GIB, MIB, size_text

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class GPUInfo:
    """One GPU as a probe saw it. ``free_bytes`` is None when the probe cannot tell."""

    name: str
    vendor: str  # "nvidia", "amd", "intel", "apple", "other"
    total_bytes: int
    free_bytes: int | None
    source: str  # "nvml", "nvidia-smi", "vulkaninfo", "sysctl"
    unified_memory: bool = False  # shares the system RAM (Apple Silicon, integrated GPUs)
    index: int = 0
    # bytes/s its memory delivers (decode speed follows it): the driver's bus width × clock, else
    # the published figure for its name; None: not known
    memory_bandwidth: float | None = None

    @property
    def usable_free_bytes(self) -> int:
        return self.total_bytes if self.free_bytes is None else min(self.free_bytes, self.total_bytes)


@dataclass(frozen=True)
class Hardware:
    total_ram: int
    available_ram: int
    physical_cores: int
    logical_cores: int
    cpu_features: tuple[str, ...] = ()
    gpus: tuple[GPUInfo, ...] = ()
    gpu_offload: bool = False  # this llama.cpp build can put layers on a GPU at all
    backend: str = "CPU"  # the build's GPU backend: "CUDA", "Metal", "Vulkan", ... or "CPU"
    notes: tuple[str, ...] = field(default=(), compare=False)  # what the probes could not tell

    @property
    def offload_gpu(self) -> GPUInfo | None:
        """The GPU llama.cpp would offload to: the one with the most free memory that this
        build can drive; None for a CPU-only build or a machine without one."""
        if not self.gpu_offload:
            return None
        usable = [g for g in self.gpus if _backend_drives(self.backend, g)]
        return max(usable, key=lambda g: g.usable_free_bytes, default=None)

    def summary(self) -> str:
        """One line a person can read: "16.0 GiB RAM (12.1 GiB free), 8 cores, NVIDIA RTX 3060 12.0 GiB"."""
        parts = [f"{size_text(self.total_ram)} RAM ({size_text(self.available_ram)} free)",
                 f"{self.physical_cores} cores"]
        gpu = self.offload_gpu
        if gpu is not None:
            parts.append(f"{gpu.name} {size_text(gpu.total_bytes)}"
                         + (" shared" if gpu.unified_memory else ""))
        elif self.gpus:
            parts.append(f"{self.gpus[0].name} (not used: this build runs on the CPU only)")
        return ", ".join(parts)

    def with_memory(self, *, ram: int | None = None, available: int | None = None,
                    vram: int | None = None) -> "Hardware":
        """The same machine with other amounts of memory: "what if I had 16 GB?"."""
        changed = self
        if ram is not None:
            changed = replace(changed, total_ram=ram, available_ram=available if available is not None else ram)
        elif available is not None:
            changed = replace(changed, available_ram=available)
        if vram is not None:
            gpu = GPUInfo(f"a GPU with {size_text(vram)}", "other", vram, vram, "assumed",
                          memory_bandwidth=self.offload_gpu.memory_bandwidth if self.offload_gpu else None
                          ) if vram else None
            changed = replace(changed, gpus=(gpu,) if gpu else (), gpu_offload=bool(gpu),
                              backend=(self.backend if self.backend != "CPU" else "GPU") if gpu else "CPU")
        return changed


def _backend_drives(backend: str, gpu: GPUInfo) -> bool:
    if backend == "CUDA":
        return gpu.vendor == "nvidia"
    if backend == "Metal":
        return gpu.vendor == "apple"
    if backend == "ROCm":
        return gpu.vendor == "amd"
    if backend == "SYCL":
        return gpu.vendor == "intel"
    return True  # Vulkan and unknown backends drive any GPU


# -- running tools ----------------------------------------------------------------------------------
class ProbeFailed(Exception):
    """A probe could not tell; the message goes into ``Hardware.notes``."""


def run_tool(argv: list[str], timeout: float = PROBE_TIMEOUT_S) -> str:
    """Run a probe tool and return its stdout. Raises ProbeFailed when the tool is missing,
    fails or outlasts ``timeout``; a hung tool is killed with everything it started."""
    exe = shutil.which(argv[0])
    if exe is None:
        raise ProbeFailed(f"{argv[0]} is not installed")
    posix = os.name == "posix"
    try:
        proc = subprocess.Popen([exe, *argv[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, start_new_session=posix)
    except OSError as exc:
        raise ProbeFailed(f"{argv[0]} could not start: {exc}") from exc
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_tree(proc, posix)
        raise ProbeFailed(f"{argv[0]} did not answer within {timeout:g} s") from None
    if proc.returncode != 0:
        first = (err or out).decode("utf-8", "replace").strip().splitlines()[:1]
        raise ProbeFailed(f"{argv[0]} failed (exit {proc.returncode})" + (f": {first[0]}" if first else ""))
    return out.decode("utf-8", "replace")


def _kill_tree(proc: subprocess.Popen, posix: bool) -> None:
    # the tool may have children holding our pipes open (a shell script running `sleep`):
    # end its whole process group, not only the tool
    try:
        if posix:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=2)
    except subprocess.TimeoutExpired:
        log.warning("%s left processes running after it was killed", proc.args[0])


def _within(timeout: float, what: str, fn: Callable[[], list[GPUInfo]]) -> list[GPUInfo]:
    """Run an in-process probe (a driver library) on a thread, so a hung driver costs
    ``timeout`` seconds and not the app."""
    result: list = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            result.extend(fn())
        except BaseException as exc:  # noqa: BLE001 - reported, not raised: odd drivers abound
            errors.append(exc)

    thread = threading.Thread(target=work, daemon=True, name=f"probe-{what}")
    thread.start()
    thread.join(timeout)
    if thread.is_alive():
        raise ProbeFailed(f"{what} did not answer within {timeout:g} s")
    if errors:
        raise ProbeFailed(f"{what} failed: {errors[0]}")
    return result


# -- NVIDIA -----------------------------------------------------------------------------------------
def probe_nvml(timeout: float = PROBE_TIMEOUT_S) -> list[GPUInfo]:
    """NVIDIA GPUs through NVML (the ``nvidia-ml-py`` package), when it is installed."""
    try:
        import pynvml
    except ImportError:
        raise ProbeFailed("NVML is not installed (pip install nvidia-ml-py)") from None

    def query() -> list[GPUInfo]:
        pynvml.nvmlInit()
        try:
            gpus = []
            for i in range(pynvml.nvmlDeviceGetCount()):
                handle = pynvml.nvmlDeviceGetHandleByIndex(i)
                name = pynvml.nvmlDeviceGetName(handle)
                if isinstance(name, bytes):
                    name = name.decode("utf-8", "replace")
                mem = pynvml.nvmlDeviceGetMemoryInfo(handle)
                bandwidth = _nvml_bandwidth(pynvml, handle) or published_bandwidth(str(name))
                gpus.append(GPUInfo(str(name), "nvidia", int(mem.total), int(mem.free), "nvml", index=i,
                                    memory_bandwidth=bandwidth))
            return gpus
        finally:
            pynvml.nvmlShutdown()

    return _within(timeout, "NVML", query)


def _nvml_bandwidth(pynvml, handle) -> float | None:
    """Bus width × the memory's top clock × 2 (double data rate): 384 bits at 10,501 MHz is
    1,008 GB/s, an RTX 4090's. None when this driver or NVML version does not say."""
    try:
        bits = int(pynvml.nvmlDeviceGetMemoryBusWidth(handle))
        mhz = int(pynvml.nvmlDeviceGetMaxClockInfo(handle, pynvml.NVML_CLOCK_MEM))
    except Exception as exc:  # noqa: BLE001 - older drivers lack the call: the table answers
        log.debug("NVML gave no memory bus width or clock: %s", exc)
        return None
    return memory_bandwidth(bits, mhz)


def memory_bandwidth(bus_bits: int, clock_mhz: float) -> float | None:
    """Bytes/s of a GPU memory of ``bus_bits`` at ``clock_mhz`` as NVML reports it."""
    if bus_bits <= 0 or clock_mhz <= 0:
        return None
    return bus_bits / 8 * clock_mhz * 1e6 * 2


# published memory bandwidths (GB/s), for GPUs whose driver does not say: the longest name that
# the GPU's name contains wins ("RTX 4060 Ti" before "RTX 4060")
PUBLISHED_GBPS = {
    "H200": 4800, "H100 PCIe": 2000, "H100": 3350, "A100": 1935, "A100-SXM4-80GB": 2039, "L40S": 864,
    "L40": 864, "L4": 300, "A10G": 600, "A10": 600, "T4": 320, "V100": 900, "A6000": 768, "A5000": 768,
    "A4000": 448, "RTX 6000 Ada": 960,
    "RTX 5090": 1792, "RTX 5080": 960, "RTX 5070 Ti": 896, "RTX 5070": 672, "RTX 5060 Ti": 448,
    "RTX 4090": 1008, "RTX 4080 SUPER": 736, "RTX 4080": 717, "RTX 4070 Ti SUPER": 672,
    "RTX 4070 Ti": 504, "RTX 4070 SUPER": 504, "RTX 4070": 504, "RTX 4060 Ti": 288, "RTX 4060": 272,
    "RTX 3090 Ti": 1008, "RTX 3090": 936, "RTX 3080 Ti": 912, "RTX 3080": 760, "RTX 3070 Ti": 608,
    "RTX 3070": 448, "RTX 3060 Ti": 448, "RTX 3060": 360, "RTX 3050": 224,
    "RTX 2080 Ti": 616, "RTX 2080": 448, "RTX 2070": 448, "RTX 2060": 336, "GTX 1080 Ti": 484,
    "GTX 1660": 192, "RX 7900 XTX": 960, "RX 7900 XT": 800, "RX 7800 XT": 624, "RX 7600": 288,
    "RX 6900 XT": 512, "RX 6800 XT": 512, "RX 6700 XT": 384, "RX 6600": 224, "Arc A770": 560,
    "Arc A750": 512,
    # Apple Silicon: the unified memory's figure, by chip
    "M1 Ultra": 800, "M1 Max": 400, "M1 Pro": 200, "M1": 68, "M2 Ultra": 800, "M2 Max": 400,
    "M2 Pro": 200, "M2": 100, "M3 Ultra": 819, "M3 Max": 400, "M3 Pro": 150, "M3": 100,
    "M4 Max": 546, "M4 Pro": 273, "M4": 120,
}


def published_bandwidth(name: str) -> float | None:
    """Bytes/s of the GPU called ``name`` from the published figures; None when unknown."""
    lowered = f" {name.lower()} "
    matches = [key for key in PUBLISHED_GBPS
               if re.search(rf"(?<![a-z0-9]){re.escape(key.lower())}(?![a-z0-9])", lowered)]
    if not matches:
        return None
    return PUBLISHED_GBPS[max(matches, key=len)] * 1e9


NVIDIA_SMI_QUERY = ["nvidia-smi", "--query-gpu=index,name,memory.total,memory.free",
                    "--format=csv,noheader,nounits"]


def parse_nvidia_smi(text: str) -> list[GPUInfo]:
    """Rows of ``index, name, total MiB, free MiB``; rows it cannot read are skipped."""
    gpus = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split(",")]
        if len(cells) < 4:
            continue
        index, total, free = _int(cells[0]), _int(cells[-2]), _int(cells[-1])
        name = ", ".join(cells[1:-2]).strip()  # a name may hold a comma
        if total is None or total <= 0 or not name:
            continue
        gpus.append(GPUInfo(name, "nvidia", total * MIB, None if free is None else free * MIB,
                            "nvidia-smi", index=index or 0, memory_bandwidth=published_bandwidth(name)))
    return gpus


def probe_nvidia_smi(timeout: float = PROBE_TIMEOUT_S) -> list[GPUInfo]:
    gpus = parse_nvidia_smi(run_tool(NVIDIA_SMI_QUERY, timeout))
    if not gpus:
        raise ProbeFailed("nvidia-smi listed no GPU it could read")
    return gpus


def _int(text: str) -> int | None:
    match = re.fullmatch(r"\s*(\d+)(?:\.\d*)?\s*(?:MiB)?\s*", text)
    return int(match.group(1)) if match else None


# -- Vulkan -----------------------------------------------------------------------------------------
_VENDOR_IDS = {0x10DE: "nvidia", 0x1002: "amd", 0x1022: "amd", 0x8086: "intel", 0x106B: "apple"}


def parse_vulkaninfo(text: str) -> list[GPUInfo]:
    """GPUs from ``vulkaninfo``'s full report: each ``GPUn:`` section's name, type, vendor and
    its device-local memory heaps (with the budget, when the driver reports one). Software
    renderers (llvmpipe) are left out."""
    sections: dict[int, list[str]] = {}
    current: int | None = None
    for line in text.splitlines():
        match = re.match(r"^GPU(\d+):\s*$", line.strip())
        if match and not line.startswith((" ", "\t")):
            current = int(match.group(1))
            sections.setdefault(current, [])
        elif current is not None:
            sections[current].append(line)
    gpus = []
    for index, lines in sorted(sections.items()):
        gpu = _vulkan_gpu(index, lines)
        if gpu is not None:
            gpus.append(gpu)
    return gpus


def _vulkan_gpu(index: int, lines: list[str]) -> GPUInfo | None:
    fields: dict[str, str] = {}
    heaps: list[dict] = []
    heap: dict | None = None
    for raw in lines:
        line = raw.strip()
        if re.match(r"^memoryHeaps\[\d+\]:", line):
            heap = {"size": None, "budget": None, "local": False}
            heaps.append(heap)
            continue
        if line.startswith("memoryTypes"):
            heap = None
            continue
        key, sep, value = line.partition("=")
        key, value = key.strip(), value.strip()
        if heap is not None:
            if sep and key in ("size", "budget"):
                heap[key] = _int(value.split()[0]) if value else None
            elif "MEMORY_HEAP_DEVICE_LOCAL_BIT" in line:
                heap["local"] = True
        elif sep and key in ("deviceName", "deviceType", "vendorID") and key not in fields:
            fields[key] = value
    kind = fields.get("deviceType", "")
    if kind.endswith("_CPU") or not fields.get("deviceName"):
        return None
    local = [h for h in heaps if h["local"] and h["size"]]
    if not local:
        return None
    main = max(local, key=lambda h: h["size"])
    try:
        vendor = _VENDOR_IDS.get(int(fields.get("vendorID", "0"), 16), "other")
    except ValueError:
        vendor = "other"
    budget = main["budget"]
    return GPUInfo(fields["deviceName"], vendor, main["size"],
                   budget if budget and budget <= main["size"] else None, "vulkaninfo",
                   unified_memory="INTEGRATED" in kind, index=index,
                   memory_bandwidth=published_bandwidth(fields["deviceName"]))


def probe_vulkaninfo(timeout: float = PROBE_TIMEOUT_S) -> list[GPUInfo]:
    gpus = parse_vulkaninfo(run_tool(["vulkaninfo"], timeout))
    if not gpus:
        raise ProbeFailed("vulkaninfo listed no GPU with its own memory")
    return gpus


# -- Apple Silicon ----------------------------------------------------------------------------------
def metal_working_set(total_ram: int, wired_limit_mb: int | None = None) -> int:
    """How much of the unified memory Metal lets the GPU use: ``iogpu.wired_limit_mb`` when the
    person set it, else macOS's default (about two thirds of RAM up to 36 GB, three quarters
    above)."""
    if wired_limit_mb:
        return min(wired_limit_mb * MIB, total_ram)
    return total_ram * 2 // 3 if total_ram <= 36 * GIB else total_ram * 3 // 4


def probe_apple(total_ram: int, available_ram: int, timeout: float = PROBE_TIMEOUT_S) -> list[GPUInfo]:
    if sys.platform != "darwin" or platform.machine() != "arm64":
        raise ProbeFailed("not an Apple Silicon Mac")
    wired = None
    try:
        wired = _int(run_tool(["sysctl", "-n", "iogpu.wired_limit_mb"], timeout).strip() or "0")
    except ProbeFailed as exc:
        log.debug("no iogpu.wired_limit_mb: %s", exc)
    working_set = metal_working_set(total_ram, wired)
    chip = ""
    try:
        chip = run_tool(["sysctl", "-n", "machdep.cpu.brand_string"], timeout).strip()  # "Apple M2 Pro"
    except ProbeFailed as exc:
        log.debug("no chip name: %s", exc)
    return [GPUInfo(f"{chip} GPU" if chip else "Apple Silicon GPU", "apple", working_set,
                    min(working_set, available_ram), "sysctl", unified_memory=True,
                    memory_bandwidth=published_bandwidth(chip) if chip else None)]


# -- CPU --------------------------------------------------------------------------------------------
def parse_system_info(text: str) -> tuple[str, ...]:
    """``"AVX = 1 | AVX2 = 1 | F16C = 0"`` → ``("AVX", "AVX2")``: the features llama.cpp uses."""
    return tuple(dict.fromkeys(m.group(1) for m in re.finditer(r"([A-Za-z0-9_]+)\s*=\s*1\b", text)))


def _llama_facts() -> tuple[str, bool, tuple[str, ...]]:
    from localchat.core.build_info import build_info

    info = build_info()
    return info.variant, info.gpu_offload, parse_system_info(info.system_info)


# -- all together -----------------------------------------------------------------------------------
def detect_hardware(timeout: float = PROBE_TIMEOUT_S) -> Hardware:
    """Probe this machine. Never raises for a probe's sake: what failed is in ``notes``."""
    import psutil

    vm = psutil.virtual_memory()
    logical = psutil.cpu_count(logical=True) or os.cpu_count() or 1
    physical = psutil.cpu_count(logical=False) or logical
    notes: list[str] = []
    try:
        backend, offload, features = _llama_facts()
    except Exception as exc:  # noqa: BLE001 - a broken llama.cpp install must not stop the probe
        log.warning("could not ask llama.cpp about this build: %s", exc)
        backend, offload, features = "CPU", False, ()
        notes.append(f"llama.cpp did not say what it supports: {exc}")

    gpus = _probe_gpus(vm.total, vm.available, backend, timeout, notes)
    return Hardware(vm.total, vm.available, physical, logical, features, tuple(gpus), offload,
                    backend, tuple(notes))


def _probe_gpus(total_ram: int, available_ram: int, backend: str, timeout: float,
                notes: list[str]) -> list[GPUInfo]:
    def attempt(probe: Callable[[], list[GPUInfo]]) -> list[GPUInfo]:
        try:
            return probe()
        except ProbeFailed as exc:
            log.info("GPU probe: %s", exc)
            notes.append(str(exc))
            return []

    if sys.platform == "darwin":
        return attempt(lambda: probe_apple(total_ram, available_ram, timeout))
    gpus = attempt(lambda: _nvidia_probe(timeout))
    if not gpus or backend == "Vulkan":
        # vulkaninfo lists the NVIDIA GPUs again, with less precise numbers: keep the driver's
        gpus += [g for g in attempt(lambda: probe_vulkaninfo(timeout))
                 if not (g.vendor == "nvidia" and any(k.vendor == "nvidia" for k in gpus))]
    return gpus


def _nvidia_probe(timeout: float) -> list[GPUInfo]:
    try:
        return probe_nvml(timeout)
    except ProbeFailed as exc:
        log.debug("NVML: %s; trying nvidia-smi", exc)
    return probe_nvidia_smi(timeout)
