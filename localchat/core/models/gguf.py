"""A GGUF model's facts, read from its header only.

The header (metadata and tensor table) is a few MB even for a 10 GB model, so this is fast on
any local file and, through HTTP Range requests, on a file that is still on the Hub. The same
parser serves both: it pulls bytes through a ``fetch(offset, size)`` function (for the Hub,
``localchat.core.downloads.remote_header`` brings them through the download's HTTP client).

It is also the guard in front of llama.cpp: a path that is not a regular file (a pipe would
block the loader for ever), a file that is not GGUF, has a broken header or is shorter than its
tensor table says is refused here with a clear message, before llama.cpp sees it. A header
cannot make the reader allocate or read much: every length it claims is checked against what
the file can hold and against ``MAX_HEADER`` before anything is read, and each value's type
is checked against what llama.cpp accepts.
"""

from __future__ import annotations

import logging
import os
import stat
import struct
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Callable

from localchat.core.errors import (
    CorruptModelError,
    LocalChatError,
    ModelFileError,
    ModelNotFoundError,
    NotAGGUFError,
    NotARegularFileError,
)
from localchat.core.units import MIB, size_text

log = logging.getLogger(__name__)

GGUF_MAGIC = b"GGUF"
MAX_HEADER = 128 * MIB  # real headers are a few MB (a 256k vocabulary is ~10 MB); a hostile one is not
MAX_LAYERS = 4096  # llama.cpp itself stops at 512; the fit sizes a list by this count
_SMALL_ARRAY = 64  # arrays longer than this are kept as their length only (vocabularies)
_PER_LAYER_ARRAY = 4096  # numbers outside the tokenizer (one per layer) are kept up to this
_MAX_STRING = 64 * MIB
_MAX_TENSOR_NAME = 63  # llama.cpp's GGML_MAX_NAME, less its NUL
_MAX_DIMS = 4  # llama.cpp's GGML_MAX_DIMS
_INT64_MAX = 2**63 - 1
_U32_MAX = 2**32 - 1
_DAMAGED_HINT = "Download the model again, or pick another file."

Fetch = Callable[[int, int], bytes]

_SCALARS = {
    0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?",
    10: "Q", 11: "q", 12: "d",
}
_STRING, _ARRAY = 8, 9
_MIN_KV = 8 + 4  # an empty key and a type: the smallest metadata entry but its value
_MIN_TENSOR = 8 + 4 + 4 + 8  # an empty name, no dimensions, a type and an offset
# hyperparameters the app reads as counts: a file that says otherwise is refused here, as
# llama.cpp would refuse it, rather than fail in the fit's arithmetic
_COUNTS = ("context_length", "embedding_length", "block_count")
_PER_LAYER_COUNTS = ("feed_forward_length", "attention.head_count", "attention.head_count_kv",
                     "attention.key_length", "attention.value_length", "attention.sliding_window")


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
        # shown in the window's title and status bar: a name, not the 64 MiB a header may hold
        return str(value).strip()[:200] or None if value else None

    @property
    def chat_template(self) -> str | None:
        value = self.metadata.get("tokenizer.chat_template")
        return value if isinstance(value, str) and value.strip() else None

    @property
    def context_length(self) -> int | None:
        return _positive(self.arch_value("context_length"))

    @property
    def n_layers(self) -> int | None:
        return _positive(self.arch_value("block_count"))

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


def _positive(value: Any) -> int | None:
    return value if _is_count(value) and value > 0 else None


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _U32_MAX


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class _Cursor:
    """Sequential reads over ``fetch``, buffered in chunks, never past ``limit``: the file's end
    when it is known, and never past MAX_HEADER."""

    def __init__(self, fetch: Fetch, chunk: int, file_size: int | None):
        self._fetch = fetch
        self._chunk = chunk
        self._buf = b""
        self._buf_start = 0
        self.file_size = file_size
        self.limit = MAX_HEADER if file_size is None else min(file_size, MAX_HEADER)
        self.pos = 0

    def need(self, n: int) -> None:
        """Refuse a read of ``n`` bytes the header cannot hold, before asking for them."""
        if self.pos + n > MAX_HEADER:
            raise CorruptModelError(f"its header claims more than {size_text(MAX_HEADER)}")
        if self.file_size is not None and self.pos + n > self.file_size:
            raise EOFError

    def read(self, n: int) -> bytes:
        self.need(n)
        end = self.pos + n
        if end > self._buf_start + len(self._buf):
            keep_from = self.pos - self._buf_start
            self._buf = self._buf[keep_from:]
            self._buf_start = self.pos
            start = self._buf_start + len(self._buf)
            want = min(max(n - len(self._buf), self._chunk), self.limit - start)
            more = self._fetch(start, want)  # it may bring more than asked: a Hub read does
            self._buf += more[:self.limit - start]
            if len(self._buf) < n:
                raise EOFError
        start = self.pos - self._buf_start
        self.pos = end
        return self._buf[start:start + n]

    def unpack(self, fmt: str) -> Any:
        return struct.unpack(fmt, self.read(struct.calcsize(fmt)))[0]

    def string(self, what: str = "a metadata string", most: int = _MAX_STRING) -> str:
        length = self.unpack("<Q")
        if length > most:
            raise CorruptModelError(f"{what} claims {length:,} bytes")
        return self.read(length).decode("utf-8", errors="replace")


def _value(cur: _Cursor, vtype: int, key: str) -> Any:
    if vtype in _SCALARS:
        return cur.unpack("<" + _SCALARS[vtype])
    if vtype == _STRING:
        return cur.string()
    if vtype != _ARRAY:
        raise CorruptModelError(f"{_shown(key)} has the unknown value type {vtype}")
    item_type = cur.unpack("<I")
    count = cur.unpack("<Q")
    if item_type == _ARRAY:  # the format allows it, llama.cpp refuses it: so may we
        raise CorruptModelError(f"{_shown(key)} is an array of arrays")
    if item_type not in _SCALARS and item_type != _STRING:
        raise CorruptModelError(f"{_shown(key)} is an array of the unknown type {item_type}")
    item_size = struct.calcsize("<" + _SCALARS[item_type]) if item_type in _SCALARS else 8
    if count * item_size > MAX_HEADER:
        raise CorruptModelError(f"{_shown(key)} claims {count:,} items")
    cur.need(count * item_size)  # the least its items take: past the file's end, it is cut short
    keep = _SMALL_ARRAY if item_type == _STRING or key.startswith("tokenizer.") else _PER_LAYER_ARRAY
    if item_type in _SCALARS:
        data = cur.read(item_size * count)
        if count > keep:
            return ArraySummary(count)
        return list(struct.unpack(f"<{count}{_SCALARS[item_type]}", data))
    items = [cur.string() for _ in range(count)]
    return ArraySummary(count) if count > keep else items


def _check_metadata(metadata: dict[str, Any]) -> int:
    """Refuse hyperparameters that are not what llama.cpp reads; returns the alignment."""
    arch = metadata.get("general.architecture", "unknown")
    if not isinstance(arch, str) or len(arch) > 64:
        raise CorruptModelError(f"its architecture is {_shown(arch)}, not a name")
    for key in _COUNTS + _PER_LAYER_COUNTS:
        full = f"{arch}.{key}"
        if full not in metadata:
            continue
        value = metadata[full]
        values = value if isinstance(value, list) and key in _PER_LAYER_COUNTS else [value]
        if not all(_is_count(v) for v in values):
            raise CorruptModelError(f"{full} is {_shown(value)}, not a count")
    layers = metadata.get(f"{arch}.block_count", 0)
    if layers > MAX_LAYERS:
        raise CorruptModelError(f"it claims {layers:,} layers")
    alignment = metadata.get("general.alignment", 32)
    if not _is_count(alignment) or alignment == 0 or alignment & (alignment - 1):
        raise CorruptModelError(f"its alignment is {_shown(alignment)}, not a power of two")
    return alignment


def _tensor(cur: _Cursor, alignment: int) -> TensorInfo:
    name = cur.string("a tensor name", _MAX_TENSOR_NAME)
    n_dims = cur.unpack("<I")
    if n_dims > _MAX_DIMS:
        raise CorruptModelError(f"tensor {_shown(name)} claims {n_dims:,} dimensions")
    shape = tuple(cur.unpack("<Q") for _ in range(n_dims))
    n_elements = 1
    for d in shape:
        n_elements *= d
    if n_elements > _INT64_MAX:
        raise CorruptModelError(f"tensor {_shown(name)} claims the shape {shape}")
    ggml_type = cur.unpack("<I")
    offset = cur.unpack("<Q")
    if offset % alignment:
        raise CorruptModelError(f"tensor {_shown(name)} is not aligned")
    return TensorInfo(name, shape, ggml_type, offset, _type_size(name, ggml_type, shape, n_elements))


def _type_size(name: str, ggml_type: int, shape: tuple[int, ...], n_elements: int) -> int:
    from gguf import GGML_QUANT_SIZES, GGMLQuantizationType

    try:
        block, size = GGML_QUANT_SIZES[GGMLQuantizationType(ggml_type)]
    except (ValueError, KeyError) as exc:
        raise CorruptModelError(f"tensor {_shown(name)} has the unknown type {ggml_type}") from exc
    if shape and shape[0] % block:
        raise CorruptModelError(f"tensor {_shown(name)} has rows that are not whole blocks")
    return n_elements // block * size


def parse_header(fetch: Fetch, *, file_size: int | None = None, chunk: int = 1 << 20) -> GGUFFacts:
    """Parse a GGUF header from ``fetch``. Raises NotAGGUFError or CorruptModelError, a
    LocalChatError ``fetch`` raised, or ModelFileError for anything unexpected (logged)."""
    cur = _Cursor(fetch, chunk, file_size)
    try:
        magic = cur.read(4)
    except EOFError:
        raise NotAGGUFError("The file is empty or too short to be a GGUF model.",
                            "localchat runs models in the GGUF format; pick a .gguf file.") from None
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
        for count, least, what in ((n_kv, _MIN_KV, "metadata entries"), (n_tensors, _MIN_TENSOR, "tensors")):
            if count * least > MAX_HEADER:
                raise CorruptModelError(f"the header claims {count:,} {what}")
        cur.need(n_kv * _MIN_KV + n_tensors * _MIN_TENSOR)
        metadata: dict[str, Any] = {}
        for _ in range(n_kv):
            key = cur.string("a metadata key")
            if key in metadata:
                raise CorruptModelError(f"the key {_shown(key)} appears twice")
            metadata[key] = _value(cur, cur.unpack("<I"), key)
        alignment = _check_metadata(metadata)
        tensors: dict[str, TensorInfo] = {}
        for _ in range(n_tensors):
            tensor = _tensor(cur, alignment)
            if tensor.name in tensors:
                raise CorruptModelError(f"the tensor {_shown(tensor.name)} appears twice")
            tensors[tensor.name] = tensor
    except EOFError:
        raise CorruptModelError(
            "The model file is truncated: its header ends early.",
            "The download was probably interrupted; download the model again.",
        ) from None
    except CorruptModelError as exc:
        raise CorruptModelError(f"The model file is damaged ({exc.message}).", _DAMAGED_HINT) from None
    except LocalChatError:
        raise  # fetch's own (a download error, for a header on the Hub)
    except Exception as exc:  # a bug or a surprise: the file is not used, the person told why
        log.exception("unexpected error reading a GGUF header")
        raise ModelFileError(f"localchat could not read this model file's header ({exc}).",
                             f"{_DAMAGED_HINT} The details are in the log file.") from exc
    data_offset = (cur.pos + alignment - 1) // alignment * alignment
    return GGUFFacts(version, metadata, tuple(tensors.values()), data_offset, file_size,
                     header_bytes=cur.pos)


# -- local files -----------------------------------------------------------------------------------
_KINDS = (
    (stat.S_ISDIR, "a folder", "Pick the .gguf file inside it."),
    (stat.S_ISFIFO, "a named pipe (FIFO)", None),
    (stat.S_ISCHR, "a device", None),
    (stat.S_ISBLK, "a disk device", None),
    (stat.S_ISSOCK, "a socket", None),
)


def _require_regular(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    kind, hint = next(((k, h) for test, k, h in _KINDS if test(mode)), ("not a regular file", None))
    link = ""
    try:
        if path.is_symlink():
            link = f" (a link to {os.readlink(path)})"
    except OSError:
        pass
    raise NotARegularFileError(
        f"{path.name}{link} is {kind}, not a model file: localchat opens models only from "
        "regular files.", hint or "Pick the .gguf file itself.")


def open_model_file(path: str | os.PathLike) -> BinaryIO:
    """``path`` opened for reading, checked to be a regular file before and after the open
    (nothing else may be read: a FIFO or a terminal would block, /dev/zero never ends).
    Raises ModelNotFoundError or NotARegularFileError."""
    path = Path(path)
    try:
        _require_regular(path, os.stat(path).st_mode)
        # O_NONBLOCK: if a pipe took the file's place since the stat, the open does not wait for
        # a writer, and the fstat below refuses it
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError as exc:
        broken = " (a link to a file that is not there)" if os.path.islink(path) else ""
        raise ModelNotFoundError(f"The model file {path}{broken} does not exist.",
                                 "It may have been moved or deleted; pick another model.") from exc
    except PermissionError as exc:
        raise ModelNotFoundError(f"localchat may not read {path}.", "Check the file's permissions.") from exc
    except ValueError as exc:  # a NUL in the name
        raise ModelNotFoundError(f"{path!s:.200} is not a valid file name.", "Pick the model file again.") from exc
    except OSError as exc:
        raise ModelNotFoundError(f"localchat cannot open {path}: {exc.strerror or exc}.",
                                 "Check that the file is there and readable, or pick another model.") from exc
    try:
        _require_regular(path, os.fstat(fd).st_mode)
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_local(path: str | os.PathLike) -> GGUFFacts:
    """The facts of a local file, checked to be complete. Raises a ModelFileError if not."""
    path = Path(path)
    with open_model_file(path) as fh:
        try:
            size = os.fstat(fh.fileno()).st_size

            def fetch(offset: int, n: int) -> bytes:
                fh.seek(offset)
                return fh.read(n)

            facts = parse_header(fetch, file_size=size)
        except OSError as exc:
            raise ModelFileError(f"localchat cannot read {path}: {exc.strerror or exc}.",
                                 "The disk may be failing or the file was removed; pick another model.") from exc
    if size < facts.expected_size:
        raise CorruptModelError(
            f"The model file {path.name} is incomplete: {size:,} bytes of {facts.expected_size:,}.",
            "The download was probably interrupted; download the model again.",
        )
    return facts
