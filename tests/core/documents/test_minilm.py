"""The demo embedding model converted to GGUF embeds as the original does: llama.cpp's vector
for a sentence against a forward pass of the safetensors weights written here in numpy."""

from __future__ import annotations

import json
import zipfile

import numpy as np

from localchat.core.documents.minilm import MINILM_TOKENIZER, install_minilm, minilm_zip, read_safetensors


def _layer_norm(x, w, b, eps=1e-12):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


def _gelu(x):
    from math import erf, sqrt

    return 0.5 * x * (1.0 + np.vectorize(erf)(x / sqrt(2.0)))


def reference_embedding(ids: list[int]) -> np.ndarray:
    """BERT encoder, mean pooling, unit length: the sentence-transformers recipe of MiniLM."""
    with zipfile.ZipFile(minilm_zip()) as zf:
        t = {k: v.astype(np.float64) for k, v in read_safetensors(zf.read("model.safetensors")).items()
             if not k.endswith("position_ids")}
        config = json.loads(zf.read("config.json"))
    heads = config["num_attention_heads"]
    n = len(ids)
    x = (t["embeddings.word_embeddings.weight"][ids] + t["embeddings.position_embeddings.weight"][:n]
         + t["embeddings.token_type_embeddings.weight"][0])
    x = _layer_norm(x, t["embeddings.LayerNorm.weight"], t["embeddings.LayerNorm.bias"])
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}."

        def dense(h, name, p=p):
            return h @ t[p + name + ".weight"].T + t[p + name + ".bias"]

        q, k, v = (dense(x, f"attention.self.{w}").reshape(n, heads, -1).transpose(1, 0, 2)
                   for w in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(q.shape[-1])
        weights = np.exp(scores - scores.max(-1, keepdims=True))
        weights /= weights.sum(-1, keepdims=True)
        attended = (weights @ v).transpose(1, 0, 2).reshape(n, -1)
        x = _layer_norm(x + dense(attended, "attention.output.dense"),
                        t[p + "attention.output.LayerNorm.weight"], t[p + "attention.output.LayerNorm.bias"])
        x = _layer_norm(x + dense(_gelu(dense(x, "intermediate.dense")), "output.dense"),
                        t[p + "output.LayerNorm.weight"], t[p + "output.LayerNorm.bias"])
    pooled = x.mean(0)
    return pooled / np.linalg.norm(pooled)


def test_the_gguf_embeds_a_sentence_as_the_original_weights_do(minilm_dir, embedder):
    sentence = "the quick brown fox jumps over the lazy dog"
    vocab = json.loads((minilm_dir / MINILM_TOKENIZER).read_text())["model"]["vocab"]
    # every word of the sentence is a whole word of the vocabulary
    ids = [vocab["[CLS]"], *(vocab[w] for w in sentence.split()), vocab["[SEP]"]]

    ours = np.array(embedder.embed([sentence])[0])
    reference = reference_embedding(ids)

    assert abs(np.linalg.norm(ours) - 1.0) < 1e-3
    assert float(ours @ reference) >= 0.99


def wordpiece(text: str, vocab: dict) -> list[int]:
    """BERT's uncased tokenizer: lower case, words and punctuation apart, then the longest
    piece of the vocabulary at each point ("##" marks a piece inside a word)."""
    import re

    ids = [vocab["[CLS]"]]
    for word in re.findall(r"\w+|[^\w\s]", text.lower()):
        start = 0
        while start < len(word):
            end = len(word)
            while end > start and (("##" if start else "") + word[start:end]) not in vocab:
                end -= 1
            ids.append(vocab[("##" if start else "") + word[start:end]])
            start = end
    return ids + [vocab["[SEP]"]]


def test_llama_cpp_reads_the_wordpiece_vocabulary_as_the_tokenizer_does(embedder, minilm_dir):
    vocab = json.loads((minilm_dir / MINILM_TOKENIZER).read_text())["model"]["vocab"]
    text = "Embeddings, unaffable! Rottnest Island's quokkas (2024)."
    assert embedder._llm.tokenize(text.encode()) == wordpiece(text, vocab)


def test_a_second_install_reuses_the_converted_file(minilm_dir):
    path = minilm_dir / "all-minilm-l6-v2-f16.gguf"
    before = path.stat().st_mtime_ns
    assert install_minilm(minilm_dir) == path
    assert path.stat().st_mtime_ns == before
