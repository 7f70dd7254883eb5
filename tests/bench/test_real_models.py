"""A model published in numbered wheel parts is put together in order, checked part by part
against the wheels' RECORD hashes, and refused when its size or header is wrong."""

import base64
import hashlib
import zipfile
from pathlib import Path

import pytest

from bench.real_models import AssemblyError, PartedModel, assemble, check_gguf
from localchat.core.testing.tiny_model import write_tiny_gguf


def wheels_of(data: bytes, tmp_path: Path, parts: int, *, damage: int | None = None) -> list[Path]:
    """The wheels a parted upload would have: ``data`` cut in ``parts``, part n in wheel n."""
    size = -(-len(data) // parts)
    out = []
    for n in range(1, parts + 1):
        chunk = data[(n - 1) * size:n * size]
        member = f"model_part{n}/data/part{n:02d}.bin"
        digest = base64.urlsafe_b64encode(hashlib.sha256(chunk).digest()).rstrip(b"=").decode()
        wheel = tmp_path / f"model_part{n}-0.1.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as z:
            z.writestr(member, chunk if n != damage else chunk[:-1] + bytes([chunk[-1] ^ 1]))
            z.writestr(f"model_part{n}-0.1.0.dist-info/RECORD", f"{member},sha256={digest},{len(chunk)}\n")
        out.append(wheel)
    return out


@pytest.fixture
def gguf_bytes(tmp_path) -> bytes:
    return write_tiny_gguf(tmp_path / "source.gguf").read_bytes()


def parted(size: int) -> PartedModel:
    return PartedModel("assembled.gguf", "model-part{n}", parts=3, size=size, architecture="llama")


def test_the_parts_concatenated_in_order_are_the_file(tmp_path, gguf_bytes):
    out = tmp_path / "cache"
    out.mkdir()
    wheels = wheels_of(gguf_bytes, tmp_path, 3)
    path = assemble(parted(len(gguf_bytes)), out, wheels=wheels, log=lambda _: None)
    assert path == out / "assembled.gguf" and path.read_bytes() == gguf_bytes
    assert assemble(parted(len(gguf_bytes)), out, wheels=[], log=lambda _: None) == path  # already there


def test_parts_out_of_order_are_refused(tmp_path, gguf_bytes):
    wheels = wheels_of(gguf_bytes, tmp_path, 3)
    with pytest.raises(AssemblyError, match="part01"):
        assemble(parted(len(gguf_bytes)), tmp_path, wheels=[wheels[1], wheels[0], wheels[2]],
                 log=lambda _: None)
    assert not list(tmp_path.glob("assembled.gguf*"))


def test_a_damaged_part_is_refused_by_its_hash(tmp_path, gguf_bytes):
    with pytest.raises(AssemblyError, match="part 2 .* does not match its hash"):
        assemble(parted(len(gguf_bytes)), tmp_path, wheels=wheels_of(gguf_bytes, tmp_path, 3, damage=2),
                 log=lambda _: None)
    assert not list(tmp_path.glob("assembled.gguf*"))  # nothing half-made is left


def test_the_wrong_size_or_header_or_architecture_is_refused(tmp_path, gguf_bytes):
    path = tmp_path / "model.gguf"
    path.write_bytes(gguf_bytes)
    with pytest.raises(AssemblyError, match="bytes, not"):
        check_gguf(path, parted(len(gguf_bytes) + 1))
    with pytest.raises(AssemblyError, match="is a llama model, not qwen2"):
        check_gguf(path, PartedModel("m.gguf", "p{n}", 1, len(gguf_bytes), "qwen2"))
    path.write_bytes(b"GGML" + gguf_bytes[4:])
    with pytest.raises(AssemblyError, match="GGUF magic"):
        check_gguf(path, parted(len(gguf_bytes)))
