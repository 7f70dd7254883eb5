"""Which llama.cpp this install runs on: version, GPU backend, CPU features."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class BuildInfo:
    llama_cpp_version: str
    variant: str  # "CPU", "CUDA", "Metal", "Vulkan", ...
    gpu_offload: bool
    system_info: str


@lru_cache(maxsize=1)
def build_info() -> BuildInfo:
    try:
        import llama_cpp
    except ImportError:
        return BuildInfo("not installed", "CPU", False, "")
    system = llama_cpp.llama_print_system_info().decode("utf-8", "replace").strip()
    offload = bool(llama_cpp.llama_supports_gpu_offload())
    variant = "CPU"
    if offload:
        lowered = system.lower()
        for marker, name in (("cuda", "CUDA"), ("metal", "Metal"), ("vulkan", "Vulkan"),
                             ("hip", "ROCm"), ("sycl", "SYCL")):
            if marker in lowered:
                variant = name
                break
        else:
            variant = "GPU"
    return BuildInfo(llama_cpp.__version__, variant, offload, system)
