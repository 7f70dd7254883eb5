"""Whether llama.cpp's AMX path works in this process.

llama.cpp built for a processor with AMX (Intel Xeon since Sapphire Rapids) puts a quantized
model's weights in an AMX buffer and multiplies them with tile instructions. On some virtual
machines that report AMX, and whose kernel grants the permission to use it, llama.cpp dies at
the first token of any quantized model with a general protection fault in
``ggml_backend_amx_mul_mat`` (seen with llama-cpp-python 0.3.36 on a 2-core Xeon VM), taking the
app with it. The check evaluates a few tokens of a tiny Q8_0 model in a child process; where
the child dies, models load without llama.cpp's extra weight buffers (``use_extra_bufts``: AMX
and CPU repacking): slower there, but working.

The child is this program itself: ``python -m localchat.core.inference.cpu_check`` from a
source install, ``localchat --check-amx`` from a frozen bundle (``localchat/__main__.py``).
"""

from __future__ import annotations

import functools
import logging
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

CHECK_ARGUMENT = "--check-amx"
CHECK_TIMEOUT_S = 60


def processor_reports_amx(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """The processor says it has AMX tiles (Linux on x86-64 only: elsewhere nothing to check)."""
    if sys.platform != "linux" or platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        with cpuinfo.open(encoding="ascii", errors="replace") as lines:
            for line in lines:
                if line.startswith("flags"):
                    return "amx_tile" in line.split()
    except OSError:
        return False
    return False


def run_probe(folder: str | Path) -> int:
    """In the child: a tiny random model, quantized to Q8_0 by llama.cpp into ``folder`` (the
    parent's, which removes it even when the child dies), evaluates a few tokens with llama.cpp's
    default buffers. Exit 0 when it did; a fault kills the process first."""
    import llama_cpp

    from localchat.core.testing.tiny_model import ModelShape, write_tiny_gguf

    source = write_tiny_gguf(Path(folder) / "f32.gguf", ModelShape(n_layer=1, n_ctx_train=256))
    target = Path(folder) / "q8_0.gguf"
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
    params.nthread = 1
    if llama_cpp.llama_model_quantize(str(source).encode(), str(target).encode(), params) != 0:
        return 3
    llm = llama_cpp.Llama(str(target), n_ctx=64, verbose=False)
    llm.eval(llm.tokenize(b"hello world, hello world"))
    llm.close()
    return 0


def _check_command(folder: str | Path) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, CHECK_ARGUMENT, str(folder)]
    return [sys.executable, "-m", __name__, str(folder)]


@functools.cache
def amx_usable() -> bool:
    """True unless the processor reports AMX and a tile instruction faults here. Checked once
    per process (a child process of about 50 ms, only on processors that report AMX)."""
    if not processor_reports_amx():
        return True
    try:
        with tempfile.TemporaryDirectory(prefix="localchat-amx-check-") as folder:
            result = subprocess.run(_check_command(folder), capture_output=True, timeout=CHECK_TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.warning("could not check whether AMX works here (%s); llama.cpp's AMX path stays on", exc)
        return True
    if result.returncode > 0:  # it ended by itself, not by a fault
        log.warning("the AMX check could not run (exit %s): %s", result.returncode,
                    result.stderr.decode(errors="replace")[-500:])
        return True
    if result.returncode != 0:
        log.info("llama.cpp's AMX path faults on this machine (the check died with %s): models load "
                 "without its AMX and repacked weight buffers", result.returncode)
        return False
    return True


if __name__ == "__main__":
    sys.exit(run_probe(sys.argv[1]))
