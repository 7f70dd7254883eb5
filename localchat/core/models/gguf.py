"""A GGUF model's facts, read from its header only.

The header (metadata and tensor table) is a few MB even for a 10 GB model, so this is fast on
any local file and, through HTTP Range requests, on a file that is still on the Hub. The same
parser serves both: it pulls bytes through a ``fetch(offset, size)`` function (for the Hub,
``localchat.core.downloads.remote_header`` brings them through the download's HTTP client).

It is also the guard in front of llama.cpp: a file that is not GGUF, has a broken header or is
shorter than its tensor table says is refused here with a clear message, before llama.cpp sees
it.
"""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from localchat.core.errors import CorruptModelError, ModelNotFoundError, NotAGGUFError

GGUF_MAGIC = b"GGUF"
_SMALL_ARRAY = 64  # arrays longer than this are kept as their length only (vocabularies)
_MAX_STRING = 64 * 1024 * 1024
_MAX_COUNT = 50_000_000

Fetch = Callable[[int, int], bytes]

_SCALARS = {
    0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?",
    10: "<Q", 11: "<q", 12: "<d",
}
_STRING, _ARRAY = 8, 9


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...]
    ggml_type: int
    offset: int
    n_bytes: int


@dataclass(frozen=True)
class ArraySummary:
    """A long metadata array (a vocabulary, say) that was skipped, not stored."""

    length: int


@dataclass(frozen=True)
class GGUFFacts:
    """What a GGUF file says about itself, and where its tensor data lies."""

    version: int
    metadata: dict[str, Any]
    tensors: tuple[TensorInfo, ...]
    data_offset: int
    file_size: int | None = None
    header_bytes: int = 0
    extras: dict[str, Any] = field(default_factory=dict)

    # -- convenience views ---------------------------------------------------------------------
    @property
    def architecture(self) -> str:
        return str(self.metadata.get("general.architecture", "unknown"))

    def arch_value(self, key: str, default: Any = None) -> Any:
        return self.metadata.get(f"{self.architecture}.{key}", default)

    @property
    def name(self) -> str | None:
        value = self.metadata.get("general.name")
        return str(value) if value else None

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def context_length(self) -> int | None:
        value = self.arch_value("context_length")
        return int(value) if value else None

    @property
    def n_layers(self) -> int | None:
        value = self.arch_value("block_count")
        return int(value) if value else None

    @property
    def tensor_bytes(self) -> int:
        return sum(t.n_bytes for t in self.tensors)

    @property
    def n_params(self) -> int:
        total = 0
        for t in self.tensors:
            n = 1
            for d in t.shape:
                n *= d
            total += n
        return total

    @property
    def expected_size(self) -> int:
        """The smallest file size that holds every tensor."""
        end = max((t.offset + t.n_bytes for t in self.tensors), default=0)
        return self.data_offset + end


def _type_size(ggml_type: int, n_elements: int) -> int:
    from gguf import GGML_QUANT_SIZES, GGMLQuantizationType

    try:
        block, size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
    except (ValueError, KeyError) as exc:
        raise CorruptModelError(f"unknown tensor type {ggml_type}") from exc
    return n_elements // block * size


class _Cursor:
    """Sequential reads over ``fetch``, buffered in chunks."""

    def __init__(self, fetch: Fetch, chunk: int):
        self._fetch = fetch
        self._chunk = chunk
        self._buf = b""
        self._buf_start = 0
        self.pos = 0

    def read(self, n: int) -> bytes:
        end = self.pos + n
        if end > self._buf_start + len(self._buf):
            keep_from = self.pos - self._buf_start
            self._buf = self._buf[keep_from:]
            self._buf_start = self.pos
            want = max(n - len(self._buf), self._chunk)
            more = self._fetch(self._buf_start + len(self._buf), want)
            self._buf += more
            if len(self._buf) < n:
                raise EOFError
        start = self.pos - self._buf_start
        self.pos = end
        return self._buf[start:start + n]

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self) -> str:
        length = self.unpack("<Q")
        if length > _MAX_STRING:
            raise CorruptModelError(f"a metadata string claims {length} bytes")
        return self.read(length).decode("utf-8", errors="replace")


def _value(cur: _Cursor, vtype: int) -> Any:
    if vtype in _SCALARS:
        return cur.unpack(_SCALARS[vtype])
    if vtype == _STRING:
        return cur.string()
    if vtype == _ARRAY:
        item_type = cur.unpack("<I")
        count = cur.unpack("<Q")
        if count > _MAX_COUNT:
            raise CorruptModelError(f"a metadata array claims {count} items")
        if count > _SMALL_ARRAY:
            if item_type in _SCALARS:
                cur.read(struct.calcsize(_SCALARS[item_type]) * count)
            else:
                for _ in range(count):
                    _value(cur, item_type)
            return ArraySummary(count)
        return [_value(cur, item_type) for _ in range(count)]
    raise CorruptModelError(f"unknown metadata value type {vtype}")


def parse_header(fetch: Fetch, *, file_size: int | None = None, chunk: int = 1 << 20) -> GGUFFacts:
    """Parse a GGUF header from ``fetch``. Raises NotAGGUFError or CorruptModelError."""
    cur = _Cursor(fetch, chunk)
    try:
        magic = cur.read(4)
    except EOFError:
        raise NotAGGUFError("The file is empty or too short to be a GGUF model.") from None
    if magic != GGUF_MAGIC:
        raise NotAGGUFError(
            "This is not a GGUF model file (it does not start with the GGUF signature).",
            "localchat runs models in the GGUF format; look for a file ending in .gguf.",
        )
    try:
        version = cur.unpack("<I")
        if version not in (2, 3):
            raise CorruptModelError(f"unsupported GGUF version {version}")
        n_tensors = cur.unpack("<Q")
        n_kv = cur.unpack("<Q")
        if n_tensors > _MAX_COUNT or n_kv > _MAX_COUNT:
            raise CorruptModelError("the header claims an impossible number of entries")
        metadata: dict[str, Any] = {}
        for _ in range(n_kv):
            key = cur.string()
            metadata[key] = _value(cur, cur.unpack("<I"))
        tensors = []
        for _ in range(n_tensors):
            name = cur.string()
            n_dims = cur.unpack("<I")
            if n_dims > 8:
                raise CorruptModelError(f"tensor {name!r} claims {n_dims} dimensions")
            shape = tuple(cur.unpack("<Q") for _ in range(n_dims))
            ggml_type = cur.unpack("<I")
            offset = cur.unpack("<Q")
            n_elements = 1
            for d in shape:
                n_elements *= d
            tensors.append(TensorInfo(name, shape, ggml_type, offset, _type_size(ggml_type, n_elements)))
    except EOFError:
        raise CorruptModelError(
            "The model file is truncated: its header ends early.",
            "The download was probably interrupted; download the model again.",
        ) from None
    except CorruptModelError as exc:
        raise CorruptModelError(
            f"The model file is damaged ({exc.message}).",
            "Download the model again, or pick another file.",
        ) from None
    alignment = int(metadata.get("general.alignment", 32) or 32)
    data_offset = (cur.pos + alignment - 1) // alignment * alignment
    return GGUFFacts(version, metadata, tuple(tensors), data_offset, file_size, header_bytes=cur.pos)


def read_local(path: str | os.PathLike) -> GGUFFacts:
    """The facts of a local file, checked to be complete. Raises a ModelFileError if not."""
    path = Path(path)
    if not path.exists():
        raise ModelNotFoundError(f"The model file {path} does not exist.",
                                 "It may have been moved or deleted; pick another model.")
    if path.is_dir():
        raise NotAGGUFError(f"{path} is a folder, not a model file.")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            def fetch(offset: int, n: int) -> bytes:
                fh.seek(offset)
                return fh.read(n)

            facts = parse_header(fetch, file_size=size)
    except PermissionError as exc:
        raise ModelNotFoundError(f"localchat may not read {path}.", "Check the file's permissions.") from exc
    except OSError as exc:
        raise ModelNotFoundError(f"localchat cannot read {path}: {exc.strerror or exc}.") from exc
    if size < facts.expected_size:
        raise CorruptModelError(
            f"The model file {path.name} is incomplete: {size:,} bytes of {facts.expected_size:,}.",
            "The download was probably interrupted; download the model again.",
        )
    return facts
