"""The scale-model maker writes files that real llama.cpp loads and generates from.

At a small shape: the 7B/13B shapes take the same code path, only more rows."""

import numpy as np
import pytest
from gguf import GGMLQuantizationType as Q

from bench.make_model import SHAPES, make_models, model_path, real_vocabulary, write_source
from localchat.core.inference.llama import open_model
from localchat.core.models.gguf import read_local
from localchat.core.testing.tiny_model import ModelShape


@pytest.fixture(scope="module")
def vocabulary(demo_model):
    return real_vocabulary(demo_model)


@pytest.fixture(scope="module")
def small_models(tmp_path_factory, demo_model):
    directory = tmp_path_factory.mktemp("scale-models")
    return directory, make_models("test-small", directory=directory, vocab_from=demo_model, log=lambda *_: None)


def test_the_vocabulary_is_a_real_one_in_llamas_layout(vocabulary):
    assert len(vocabulary.tokens) == 32000
    assert vocabulary.tokens[:3] == ["<unk>", "<s>", "</s>"]
    assert vocabulary.tokens[3:259] == [f"<0x{b:02X}>" for b in range(256)]
    assert vocabulary.tokens[-2:] == ["<|im_start|>", "<|im_end|>"]
    assert len(set(vocabulary.tokens)) == 32000
    pieces = vocabulary.tokens[259:-2]
    assert {"▁the", "▁capital", "▁France", "▁Paris"} <= set(pieces)  # trained pieces, not made up
    ranks = vocabulary.scores[259:-2]
    assert ranks == sorted(ranks, reverse=True)  # best-ranked first, as SentencePiece lists them


@pytest.mark.parametrize("quant, kinds", [("Q4_0", {Q.Q4_0}), ("Q4_K_M", {Q.Q4_K, Q.Q6_K})])
def test_quantized_files_have_llama_cpps_own_tensor_types(small_models, quant, kinds):
    directory, paths = small_models
    facts = read_local(model_path("test-small", quant, directory))
    matrices = {Q(t.ggml_type) for t in facts.tensors if t.name.startswith("blk.") and len(t.shape) == 2}
    assert matrices == kinds
    output = next(t for t in facts.tensors if t.name == "output.weight")
    assert Q(output.ggml_type) == Q.Q6_K  # llama.cpp keeps the output matrix at higher precision
    assert facts.arch_value("feed_forward_length") == SHAPES["test-small"].n_ff
    assert not (directory / "test-small-random-q8_0.gguf").exists()  # the source is removed


@pytest.mark.parametrize("quant", ["Q4_0", "Q4_K_M"])
def test_llama_cpp_loads_and_generates_from_the_files(small_models, quant):
    directory, _ = small_models
    # open_model: llama.cpp's options as the app loads them (without AMX where it faults here)
    llm = open_model(str(model_path("test-small", quant, directory)), n_ctx=256, n_threads=1,
                     logits_all=True, verbose=False)
    try:
        assert llm.n_vocab() == 32000
        prompt = llm.tokenize(b"The capital of France is Paris.", add_bos=True)
        assert len(prompt) <= 10  # whole words, as with a real tokenizer
        out = []
        for token in llm.generate(prompt, temp=0.7, top_k=40):
            out.append(token)
            if len(out) == 12:
                break
        assert np.isfinite(llm.scores[: llm.n_tokens]).all()
        assert llm.scores[: llm.n_tokens].std() > 0.1  # the logits spread: the weights do something
        assert llm.detokenize(out).decode("utf-8", "replace").strip()
    finally:
        llm.close()


def test_existing_files_are_not_written_again(small_models, demo_model):
    directory, paths = small_models
    stamps = [p.stat().st_mtime_ns for p in paths]
    again = make_models("test-small", directory=directory, vocab_from=demo_model, log=lambda *_: None)
    assert again == paths
    assert [p.stat().st_mtime_ns for p in paths] == stamps


def test_a_shape_quantizers_cannot_take_is_refused(tmp_path, vocabulary):
    with pytest.raises(ValueError, match="multiples of 32"):
        write_source(tmp_path / "bad.gguf", ModelShape(n_embd=100, n_ff=200), vocabulary, name="bad")
