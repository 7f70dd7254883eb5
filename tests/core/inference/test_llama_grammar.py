"""The private parts of llama-cpp-python the grammar sampler touches (``Llama._ctx.ctx`` for the
logits, ``Llama._model.vocab`` for the grammar), each checked on the tiny model."""

import pytest

from localchat.core.inference import llama as native
from localchat.core.inference.engine import llama_options

ANY_TEXT = 'root ::= [^\\x00]*'


@pytest.fixture
def llm(tiny_model):
    model = native.open_model(str(tiny_model), verbose=False,
                              **llama_options(n_ctx=256, n_threads=2, n_gpu_layers=0))
    yield model
    model.close()


def sampler(llm, gbnf, **options):
    defaults = {"temperature": 0.0, "top_k": 40, "top_p": 0.95, "min_p": 0.05, "repeat_penalty": 1.1,
                "presence_penalty": 0.0, "frequency_penalty": 0.0, "seed": 1}
    return native.GrammarSampler(llm, gbnf, **{**defaults, **options})


def test_grammar_parses_asks_llama_cpp_without_a_model():
    assert native.grammar_parses('root ::= "a" | "b"')
    assert not native.grammar_parses('root ::= "a" nowhere')


def test_the_sampler_reads_the_last_tokens_logits_as_llama_cpp_python_does(llm):
    """Under a grammar that allows any text, greedy tokens are llama-cpp-python's own greedy tokens."""
    prompt = llm.tokenize(b"hello world", add_bos=True)
    expected = []
    for token in llm.generate(prompt, temp=0.0, repeat_penalty=1.1, reset=True):
        expected.append(token)
        if len(expected) == 12:
            break
    llm.reset()
    llm.eval(prompt)
    s = sampler(llm, ANY_TEXT)
    got = []
    try:
        for _ in range(12):
            got.append(s.sample())
            llm.eval([got[-1]])
    finally:
        s.close()
    assert got == expected


def test_the_grammar_is_asked_about_one_token_and_the_end(llm):
    llm.eval(llm.tokenize(b"answer", add_bos=True))
    s = sampler(llm, 'root ::= " "? "hello"')  # a SentencePiece word starts with a space
    try:
        hello = llm.tokenize(b"hello", add_bos=False)
        world = llm.tokenize(b"world", add_bos=False)
        assert s.allows(hello[0]) and not s.allows(world[0])
        assert not s.allows(llm.token_eos())  # nothing written yet: the grammar is not complete
        written = []
        while s.allows(llm.token_eos()) is False:
            written.append(s.sample())
            llm.eval([written[-1]])
        assert llm.detokenize(written).strip() == b"hello"
        assert s.misses > 0  # the random model wanted something else first
    finally:
        s.close()


def test_a_grammar_llama_cpp_refuses_is_an_error_not_a_crash(llm):
    with pytest.raises(ValueError, match="refused the grammar"):
        sampler(llm, 'root ::= "a" nowhere')
