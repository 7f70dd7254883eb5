"""One test per private part of llama-cpp-python that localchat touches (all in
localchat/core/inference/llama.py), through real llama.cpp with the tiny model: a new
llama-cpp-python that moves one of them fails here, by name."""

import logging

import pytest

from localchat.core.errors import LoadCancelledError
from localchat.core.inference import llama as native


@pytest.fixture
def llm(tiny_model):
    model = native.open_model(str(tiny_model), n_ctx=256, verbose=False)
    yield model
    model.close()


def greedy(llm, tokens, n=6):
    out = []
    for token in llm.generate(tokens, temp=0.0, top_k=1, reset=True):
        out.append(token)
        if len(out) == n:
            break
    return out


# -- the load progress callback ------------------------------------------------------------------
def test_a_load_asks_the_cancel_check_at_every_step_and_completes_when_never_cancelled(tiny_model):
    asked = []
    llm = native.open_model(str(tiny_model), n_ctx=256, verbose=False,
                            cancelled=lambda: asked.append(1) or False)
    try:
        assert len(asked) > 2  # once per tensor and once at the end: the callback is installed
        assert greedy(llm, llm.tokenize(b"hello"), 2)
    finally:
        llm.close()


def test_a_load_cancelled_mid_way_stops_there_and_the_next_load_works(tiny_model):
    asked = []

    def cancel_at_the_third_step() -> bool:
        asked.append(1)
        return len(asked) >= 3

    with pytest.raises(LoadCancelledError, match="cancelled"):
        native.open_model(str(tiny_model), n_ctx=256, verbose=False, cancelled=cancel_at_the_third_step)
    assert len(asked) == 3  # llama.cpp stopped at the step that said so, not at the end
    llm = native.open_model(str(tiny_model), n_ctx=256, verbose=False)
    try:
        assert greedy(llm, llm.tokenize(b"hello"), 2)
    finally:
        llm.close()


def test_a_cancel_check_that_raises_does_not_end_the_load(tiny_model, caplog):
    def broken() -> bool:
        raise RuntimeError("bug in a client")

    llm = native.open_model(str(tiny_model), n_ctx=256, verbose=False, cancelled=broken)
    llm.close()
    assert "cancel check failed" in caplog.text


# -- the KV cache --------------------------------------------------------------------------------
def test_cached_tokens_are_the_tokens_evaluated(llm):
    assert native.cached_tokens(llm) == []
    tokens = llm.tokenize(b"the water of the world")
    llm.eval(tokens)
    assert native.cached_tokens(llm) == tokens


def test_keeping_a_cached_prefix_continues_as_a_fresh_evaluation_would(llm):
    first = llm.tokenize(b"the water of the world is long")
    second = llm.tokenize(b"the water of the people")
    shared = next(i for i, (a, b) in enumerate(zip(first, second)) if a != b)
    assert shared > 1
    fresh = greedy(llm, second)

    llm.reset()
    llm.eval(first)
    assert native.keep_cached_prefix(llm, shared) == shared
    assert native.cached_tokens(llm) == second[:shared]
    llm.eval(second[shared:])  # only the new tail
    assert native.cached_tokens(llm) == second
    assert greedy(llm, second) == fresh

    assert native.keep_cached_prefix(llm, 0) == 0
    assert native.cached_tokens(llm) == []


def test_a_saved_cache_put_back_continues_as_if_never_left(llm):
    conversation = llm.tokenize(b"the water of the world is long and the people")
    fresh = greedy(llm, conversation)
    llm.reset()
    llm.eval(conversation)
    size = native.cache_state_size(llm)
    state, _ = native.save_cache(llm)
    assert size >= state.llama_state_size > 0  # the bound read before copying holds the copy
    llm.reset()
    llm.eval(llm.tokenize(b"something else entirely"))
    native.restore_cache(llm, state)
    assert native.cached_tokens(llm) == conversation
    assert greedy(llm, conversation) == fresh


# -- the vocabulary ------------------------------------------------------------------------------
def test_end_of_generation_knows_eos_and_the_template_end_token(llm):
    ends = native.end_of_generation(llm)
    im_end, *word = llm.tokenize(b"<|im_end|>water", add_bos=False, special=True)
    assert ends(llm.token_eos()) and ends(im_end)
    assert not any(ends(t) for t in word)


def test_token_text_is_the_vocabulary_spelling(llm):
    assert native.token_text(llm, llm.token_bos()) == "<s>"
    assert native.token_text(llm, llm.token_eos()) == "</s>"
    assert native.token_text(llm, -1) == ""


# -- the log callback ----------------------------------------------------------------------------
def test_llama_cpp_errors_reach_our_log(tmp_path, caplog):
    native.route_logs()
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\xff" * 64)  # llama.cpp itself refuses it
    with caplog.at_level(logging.WARNING, logger="localchat.llama_cpp"):
        with pytest.raises(ValueError):
            native.open_model(str(bogus), verbose=False)
    native_records = [r for r in caplog.records if r.name == "localchat.llama_cpp"]
    assert native_records and all(r.levelno >= logging.WARNING for r in native_records)


# -- the chat templates llama-cpp-python would compile ------------------------------------------
def test_chat_templates_are_kept_from_llama_cpp_pythons_own_jinja(tmp_path):
    from localchat.core.models.gguf import read_local
    from localchat.core.testing.tiny_model import write_tiny_gguf

    broken = "{% for message in messages %}{{ message['content'] }}"  # no endfor: does not compile
    path = write_tiny_gguf(tmp_path / "broken-template.gguf", chat_template=broken)
    llm = native.open_model(str(path), n_ctx=256, verbose=False)  # Llama.__init__ would compile it
    try:
        assert not any(key.startswith("tokenizer.chat_template") for key in llm.metadata)
        assert llm.metadata["general.architecture"] == "llama"  # the rest of the metadata is kept
        assert greedy(llm, llm.tokenize(b"hello"), 2)
    finally:
        llm.close()
    assert read_local(path).chat_template == broken  # the engine reads it from the header itself
