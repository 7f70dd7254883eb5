"""A quantized model answers on a processor whose AMX path llama.cpp cannot use (some virtual
machines fault at the first tile instruction): the check finds it and the load goes around it."""

import subprocess
import sys

import pytest

from localchat.core.inference import cpu_check

QUANTIZED_REPLY = """
import sys, tempfile
from pathlib import Path
import llama_cpp
from localchat.core.inference.engine import Engine
from localchat.core.testing.tiny_model import ModelShape, write_tiny_gguf

folder = Path(tempfile.mkdtemp(dir=sys.argv[1]))
source = write_tiny_gguf(folder / "f32.gguf", ModelShape(n_layer=1, n_ctx_train=256))
params = llama_cpp.llama_model_quantize_default_params()
params.ftype = llama_cpp.LLAMA_FTYPE_MOSTLY_Q8_0
assert llama_cpp.llama_model_quantize(str(source).encode(), str(folder / "q8.gguf").encode(), params) == 0
engine = Engine()
engine.load(str(folder / "q8.gguf"), n_ctx=128, memory_check=False)
from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.stats import TokenEvent
events = engine.stream_chat([Message("user", "hi")], Sampling(max_tokens=4, seed=1))
text = "".join(event.text for event in events if isinstance(event, TokenEvent))
print("answered", len(text))
"""


def test_a_quantized_model_answers_through_the_engine_on_this_machine(tmp_path):
    """Fails (the child dies of a segmentation fault) where the processor reports AMX, llama.cpp's
    AMX path faults and the load does not go around it."""
    result = subprocess.run([sys.executable, "-c", QUANTIZED_REPLY, str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (result.returncode, result.stderr[-2000:])
    assert "answered" in result.stdout


def test_the_check_s_verdict_is_what_llama_cpp_does_here(tmp_path):
    """The child of the check runs llama.cpp's default path: where it survives, AMX is usable."""
    if not cpu_check.processor_reports_amx():
        assert cpu_check.amx_usable(), "nothing to check: no AMX reported"
        return
    child = subprocess.run(cpu_check._check_command(tmp_path), capture_output=True, timeout=120)
    assert cpu_check.amx_usable() is (child.returncode == 0)


@pytest.mark.parametrize(("flags", "expected"), [
    ("fpu vme sse2 avx2 avx512f amx_bf16 amx_tile amx_int8", True),
    ("fpu vme sse2 avx2 avx512f", False),
])
def test_amx_is_read_from_the_processor_s_flags(tmp_path, monkeypatch, flags, expected):
    monkeypatch.setattr(cpu_check.sys, "platform", "linux")
    monkeypatch.setattr(cpu_check.platform, "machine", lambda: "x86_64")
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text(f"processor\t: 0\nmodel name\t: Intel(R) Xeon(R)\nflags\t\t: {flags}\n")
    assert cpu_check.processor_reports_amx(cpuinfo) is expected
    assert cpu_check.processor_reports_amx(tmp_path / "missing") is False
