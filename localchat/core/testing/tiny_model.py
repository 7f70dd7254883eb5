"""Write small random-weight llama-architecture GGUF files.

They load and generate through the real llama.cpp path in milliseconds, which is what the
self-test, the test suite and the benchmarks need when no real model is at hand. The same
writer takes real model shapes (7B, 13B) for the size benchmarks.

Random weights make random text, so the head is built to keep it going: the end-of-sequence
row of the output matrix (and those of control and byte tokens) is zero (its logit is always 0) while the other logits have a spread
of several units, so EOS is never the likeliest token and a stream runs to its token limit
unless it is stopped. A test that needs a natural stop uses the real demo model.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

_WORDS = (
    "the of and to in is you that it he was for on are as with his they at be this have from "
    "or one had by word but not what all were we when your can said there use an each which she "
    "do how their if will up other about out many then them these so some her would make like "
    "him into time has look two more write go see number no way could people my than first water "
    "been call who oil its now find long down day did get come made may part model chat local "
    "answer question paris france capital token stream window memory fast small large hello world"
).split()


@dataclass(frozen=True)
class ModelShape:
    """The hyperparameters that decide a llama-architecture model's size and speed."""

    n_layer: int = 2
    n_embd: int = 64
    n_ff: int = 128
    n_head: int = 4
    n_head_kv: int = 2
    n_ctx_train: int = 8192
    sliding_window: int = 0


CHATML_TOKENS = ("<|im_start|>", "<|im_end|>")


def _vocab(special_tokens: Sequence[str] = CHATML_TOKENS) -> tuple[list[str], list[float], list[int]]:
    """A SentencePiece-style vocabulary with byte fallback, so any text tokenizes, and the
    control tokens of a chat format (``special_tokens``: ChatML's by default)."""
    from gguf import TokenType

    tokens = ["<unk>", "<s>", "</s>", *special_tokens]
    types = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL,
             *[TokenType.CONTROL] * len(special_tokens)]
    tokens += [f"<0x{b:02X}>" for b in range(256)]
    types += [TokenType.BYTE] * 256
    pieces: list[str] = []
    for ch in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?:;'\"()-\n":
        pieces.append(ch)
    pieces += ["\u2581" + w for w in _WORDS] + ["\u2581" + c for c in "abcdefghijklmnopqrstuvwxyz"]
    pieces.append("\u2581")
    seen = set(tokens)
    for piece in pieces:
        if piece not in seen:
            seen.add(piece)
            tokens.append(piece)
            types.append(TokenType.NORMAL)
    # Longer pieces score higher so the tokenizer prefers whole words.
    scores = [0.0] * len(tokens)
    for i, tok in enumerate(tokens):
        if types[i] == TokenType.NORMAL:
            scores[i] = float(len(tok)) - i * 1e-4
    return tokens, scores, [int(t) for t in types]


def add_shape_metadata(writer, shape: ModelShape, *, name: str, file_type: int,
                       rope_base: float | None = None) -> None:
    """The hyperparameters of a llama-architecture model of ``shape`` into a ``GGUFWriter``."""
    writer.add_name(name)
    writer.add_context_length(shape.n_ctx_train)
    writer.add_embedding_length(shape.n_embd)
    writer.add_block_count(shape.n_layer)
    writer.add_feed_forward_length(shape.n_ff)
    writer.add_head_count(shape.n_head)
    writer.add_head_count_kv(shape.n_head_kv)
    writer.add_rope_dimension_count(shape.n_embd // shape.n_head)
    if rope_base is not None:
        writer.add_rope_freq_base(rope_base)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(file_type)


def write_tiny_gguf(
    path: str | os.PathLike,
    shape: ModelShape = ModelShape(),
    *,
    chat_template: str | None = CHATML_TEMPLATE,
    special_tokens: Sequence[str] = CHATML_TOKENS,
    seed: int = 0,
    name: str = "localchat tiny test model",
) -> Path:
    """Write a random-weight F32 model of ``shape`` to ``path`` and return the path. Its
    vocabulary has the control tokens ``special_tokens`` (those of ``chat_template``)."""
    import numpy as np
    from gguf import GGUFWriter

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    tokens, scores, types = _vocab(special_tokens)
    n_vocab = len(tokens)
    head_dim = shape.n_embd // shape.n_head

    writer = GGUFWriter(str(path), "llama")
    add_shape_metadata(writer, shape, name=name, file_type=0)  # all F32
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(True)
    if chat_template is not None:
        writer.add_chat_template(chat_template)

    def mat(rows: int, cols: int, scale: float) -> "np.ndarray":
        return (rng.standard_normal((rows, cols)) * scale).astype(np.float32)

    kv_dim = head_dim * shape.n_head_kv
    writer.add_tensor("token_embd.weight", mat(n_vocab, shape.n_embd, 1.0))
    writer.add_tensor("output_norm.weight", np.ones(shape.n_embd, dtype=np.float32))
    head = mat(n_vocab, shape.n_embd, 0.6)
    # EOS, control and byte tokens get a zero row: never sampled (see the module docstring),
    # so the stream is whole words and letters, valid UTF-8 all along
    from gguf import TokenType

    head[[i for i, t in enumerate(types) if t != TokenType.NORMAL], :] = 0.0
    writer.add_tensor("output.weight", head)
    inv = 1.0 / np.sqrt(shape.n_embd)
    for i in range(shape.n_layer):
        p = f"blk.{i}."
        writer.add_tensor(p + "attn_norm.weight", np.ones(shape.n_embd, dtype=np.float32))
        writer.add_tensor(p + "attn_q.weight", mat(shape.n_embd, shape.n_embd, inv))
        writer.add_tensor(p + "attn_k.weight", mat(kv_dim, shape.n_embd, inv))
        writer.add_tensor(p + "attn_v.weight", mat(kv_dim, shape.n_embd, inv))
        writer.add_tensor(p + "attn_output.weight", mat(shape.n_embd, shape.n_embd, inv))
        writer.add_tensor(p + "ffn_norm.weight", np.ones(shape.n_embd, dtype=np.float32))
        writer.add_tensor(p + "ffn_gate.weight", mat(shape.n_ff, shape.n_embd, inv))
        writer.add_tensor(p + "ffn_up.weight", mat(shape.n_ff, shape.n_embd, inv))
        writer.add_tensor(p + "ffn_down.weight", mat(shape.n_embd, shape.n_ff, 1.0 / np.sqrt(shape.n_ff)))

    tmp = path.with_name(path.name + ".part")
    writer.path = tmp  # write aside, then rename: a reader never sees half a file
    writer.write_header_to_file(tmp)
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    os.replace(tmp, path)
    return path
