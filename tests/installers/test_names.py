"""Installer file names say which llama.cpp build is inside, also where its GPU is absent."""

from __future__ import annotations

import pytest

from installers.contents import llama_variant


@pytest.mark.parametrize("files, variant", [
    (["libllama.so", "libggml.so", "libggml-base.so", "libggml-cpu.so"], "cpu"),
    (["libllama.so", "libggml-cpu.so", "libggml-cuda.so"], "cuda"),
    (["llama.dll", "ggml-cpu.dll", "ggml-vulkan.dll", "vcomp140.dll"], "vulkan"),
    (["libllama.dylib", "libggml-blas.dylib", "libggml-metal.dylib"], "metal"),
])
def test_variant_comes_from_the_backend_libraries(tmp_path, files, variant):
    for name in files:
        (tmp_path / name).write_bytes(b"")
    assert llama_variant(tmp_path) == variant

