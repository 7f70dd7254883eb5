"""The engine through real llama.cpp: the tiny random model for mechanics, the demo model for
real language."""

import threading
import time

import pytest

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message, Sampling
from localchat.core.chat.stats import GenerationStats, TokenEvent
from localchat.core.errors import (
    CorruptModelError,
    LoadCancelledError,
    ModelLoadError,
    ModelNotFoundError,
    NotAGGUFError,
)
from localchat.core.inference import llama as native
from localchat.core.inference.engine import Engine
from localchat.core.inference.generate import StopFilter
from localchat.core.testing.chat_templates import (
    BROKEN,
    ESCAPES,
    RAISES,
    REAL_TEMPLATES,
    SIZE_BOMBS,
    TIME_BOMBS,
)
from localchat.core.testing.tiny_model import write_tiny_gguf


@pytest.fixture
def engine():
    e = Engine()
    yield e
    e.close()


def run(engine, messages, cancelled=None, **sampling):
    events = list(engine.stream_chat(messages, Sampling(**sampling), cancelled=cancelled))
    *tokens, stats = events
    assert all(isinstance(t, TokenEvent) for t in tokens)
    assert isinstance(stats, GenerationStats)
    return "".join(t.text for t in tokens), stats


# -- files llama.cpp must never see ---------------------------------------------------------------
def test_missing_file_is_refused(engine, tmp_path):
    with pytest.raises(ModelNotFoundError, match="does not exist"):
        engine.load(tmp_path / "nope.gguf")


def test_non_gguf_file_is_refused(engine, tmp_path):
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("these are my notes, not a model\n" * 100)
    with pytest.raises(NotAGGUFError, match="not a GGUF"):
        engine.load(bogus)


def test_empty_file_is_refused(engine, tmp_path):
    empty = tmp_path / "empty.gguf"
    empty.write_bytes(b"")
    with pytest.raises(NotAGGUFError):
        engine.load(empty)


@pytest.mark.parametrize("keep", [0.001, 0.5, 0.999])
def test_truncated_model_is_refused(engine, tiny_model, tmp_path, keep):
    data = tiny_model.read_bytes()
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(CorruptModelError, match="truncated|incomplete"):
        engine.load(cut)


def test_a_failed_load_leaves_the_engine_usable(engine, tiny_model, tmp_path):
    bogus = tmp_path / "x.gguf"
    bogus.write_bytes(b"GGUF" + b"\xff" * 64)
    with pytest.raises(CorruptModelError):
        engine.load(bogus)
    engine.load(tiny_model, n_ctx=256)
    text, stats = run(engine, [Message(USER, "hello")], max_tokens=5, seed=1)
    assert stats.completion_tokens == 5 and text


def test_a_cancelled_load_leaves_no_model_and_the_next_load_works(engine, tiny_model):
    engine.load(tiny_model, n_ctx=256)
    with pytest.raises(LoadCancelledError, match="cancelled"):
        engine.load(tiny_model, n_ctx=256, cancelled=lambda: True)
    assert engine.model is None  # the model before it was closed first, the new one never came
    with pytest.raises(ModelLoadError, match="No model"):
        run(engine, [Message(USER, "hello")])
    engine.load(tiny_model, n_ctx=256)
    _, stats = run(engine, [Message(USER, "hello")], max_tokens=5, seed=1)
    assert stats.completion_tokens == 5


def test_a_cancel_after_the_weights_are_read_still_cancels_the_load(engine, tiny_model):
    asked = []
    native.open_model(str(tiny_model), n_ctx=256, verbose=False,
                      cancelled=lambda: asked.append(1) or False).close()
    progress_steps = len(asked)
    asked.clear()
    with pytest.raises(LoadCancelledError):  # a cancel only once llama.cpp reported the load complete
        engine.load(tiny_model, n_ctx=256, cancelled=lambda: asked.append(1) or len(asked) > progress_steps)
    assert engine.model is None


def test_cancel_from_another_thread_aborts_a_load(engine, tiny_model):
    def cancel_from_another_thread() -> bool:  # asked by llama.cpp at every load step
        t = threading.Thread(target=engine.cancel)
        t.start()
        t.join()
        return False

    with pytest.raises(LoadCancelledError):
        engine.load(tiny_model, n_ctx=256, cancelled=cancel_from_another_thread)
    assert engine.model is None


# -- streaming ------------------------------------------------------------------------------------
def test_stream_yields_text_then_one_stats_record(engine, tiny_model):
    info = engine.load(tiny_model, n_ctx=512, n_threads=1)
    assert info.n_threads == 1 and info.n_ctx == 512 and not info.is_base_model
    text, stats = run(engine, [Message(USER, "hello world")], max_tokens=32, seed=3, temperature=0.8)
    assert text.strip()
    assert stats.stop_reason == "length"
    assert stats.completion_tokens == 32
    assert stats.prompt_tokens > 0 and stats.evaluated_prompt_tokens == stats.prompt_tokens
    assert stats.time_to_first_token_s > 0 and stats.tokens_per_s > 0
    assert stats.error is None


def test_same_seed_same_reply(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    a, _ = run(engine, [Message(USER, "hi")], max_tokens=20, seed=7, temperature=1.0)
    b, _ = run(engine, [Message(USER, "hi")], max_tokens=20, seed=7, temperature=1.0)
    c, _ = run(engine, [Message(USER, "hi")], max_tokens=20, seed=8, temperature=1.0)
    assert a == b
    assert a != c


def test_chat_template_from_the_gguf_is_used(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    prompt = engine.prompt_format.render([Message(SYSTEM, "Be brief."), Message(USER, "hi")])
    assert prompt == "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"


def test_cancel_from_another_thread_stops_within_one_token(engine, tiny_model):
    engine.load(tiny_model, n_ctx=4096)
    received = 0
    stats = None
    for event in engine.stream_chat([Message(USER, "go on")], Sampling(max_tokens=4000, seed=1)):
        if isinstance(event, GenerationStats):
            stats = event
            break
        received += 1
        if received == 5:
            t = threading.Thread(target=engine.cancel)
            t.start()
            t.join()
    assert stats.stop_reason == "cancelled"
    assert stats.completion_tokens <= 6  # the token being computed when the flag went up


def test_a_cancel_asked_for_before_the_stream_starts_is_kept(engine, tiny_model):
    engine.load(tiny_model, n_ctx=1024)
    text, stats = run(engine, [Message(USER, "a")], cancelled=lambda: True)
    assert stats.stop_reason == "cancelled"
    assert (text, stats.completion_tokens, stats.evaluated_prompt_tokens) == ("", 0, 0)


def test_next_generation_after_cancel_runs_normally(engine, tiny_model):
    engine.load(tiny_model, n_ctx=1024)
    gen = engine.stream_chat([Message(USER, "a")], Sampling(max_tokens=500))
    next(gen)
    engine.cancel()
    *_, stats = list(gen)
    assert stats.stop_reason == "cancelled"
    _, stats = run(engine, [Message(USER, "b")], max_tokens=10)
    assert stats.stop_reason == "length" and stats.completion_tokens == 10


# -- context window -------------------------------------------------------------------------------
def test_kv_cache_is_reused_across_turns(engine, tiny_model):
    engine.load(tiny_model, n_ctx=2048)
    history = [Message(SYSTEM, "You are terse."), Message(USER, "tell me about the water and the world")]
    reply, first = run(engine, history, max_tokens=40, seed=1)
    assert first.evaluated_prompt_tokens == first.prompt_tokens
    # Random text read back does not tokenize to the tokens that were generated (a real model's
    # replies mostly do), so a cache matched token by token would evaluate the reply again.
    as_text = (engine.count_tokens(history + [Message(ASSISTANT, reply)])
               - engine.count_tokens(history + [Message(ASSISTANT, "")]))
    assert as_text != first.completion_tokens
    history += [Message(ASSISTANT, reply), Message(USER, "and what about people")]
    _, second = run(engine, history, max_tokens=10, seed=1)
    # Only the new turn is evaluated: the end of the reply's message and the new question, and the
    # reply's last token, which was sampled but never fed back. Not the history, not the reply.
    new_turn = second.prompt_tokens - first.prompt_tokens - first.completion_tokens
    assert 0 < second.evaluated_prompt_tokens <= new_turn + 1


def test_a_conversation_that_does_not_continue_the_last_reply_is_tokenized_afresh(engine, tiny_model):
    engine.load(tiny_model, n_ctx=2048)
    question = [Message(USER, "tell me about the water and the world")]
    reply, first = run(engine, question, max_tokens=40, seed=1)
    # the reply as stored differs from the one generated (edited, or another branch's)
    history = question + [Message(ASSISTANT, reply[:-3] + "xyz"), Message(USER, "and what about people")]
    _, second = run(engine, history, max_tokens=4, seed=1)
    assert second.prompt_tokens == engine.count_tokens(history)
    regenerated, third = run(engine, question, max_tokens=40, seed=1)
    assert regenerated == reply
    assert third.prompt_tokens == first.prompt_tokens


def test_oldest_turns_are_dropped_when_the_window_is_full(engine, tiny_model):
    engine.load(tiny_model, n_ctx=256)
    long = "the water of the world is long " * 8
    history = [Message(SYSTEM, "SYSTEM RULES")]
    for i in range(8):
        history += [Message(USER, f"{long} {i}"), Message(ASSISTANT, long)]
    history.append(Message(USER, "last question"))
    text, stats = run(engine, history, max_tokens=16)
    assert stats.error is None
    assert stats.dropped_messages > 0 and stats.dropped_messages % 2 == 0
    assert stats.prompt_tokens + 16 <= 256
    assert stats.completion_tokens == 16


def test_a_message_longer_than_the_window_gets_a_clear_error(engine, tiny_model):
    engine.load(tiny_model, n_ctx=128)
    text, stats = run(engine, [Message(USER, "word " * 400)], max_tokens=8)
    assert text == ""
    assert stats.stop_reason == "error"
    assert "too long" in stats.error and "context" in stats.error


# -- base models ----------------------------------------------------------------------------------
def test_model_without_template_is_a_base_model_with_a_transcript(engine, tiny_base_model):
    info = engine.load(tiny_base_model, n_ctx=512)
    assert info.is_base_model
    prompt = engine.prompt_format.render([Message(USER, "Hi"), Message(ASSISTANT, "Hello"), Message(USER, "Bye")])
    assert prompt == "User: Hi\nAssistant: Hello\nUser: Bye\nAssistant:"
    text, stats = run(engine, [Message(USER, "Hi")], max_tokens=12, seed=2)
    assert stats.completion_tokens > 0 and not text.startswith(" ")


def test_stop_strings_are_never_shown_even_when_split_across_tokens():
    f = StopFilter(["\nUser:"])
    shown = []
    for piece in ["Paris", " is", " nice.\n", "Us", "er: next"]:
        text, hit = f.feed(piece)
        shown.append(text)
        if hit:
            break
    assert "".join(shown) == "Paris is nice."
    g = StopFilter(["\nUser:"])
    assert g.feed("a\nU")[0] == "a"
    assert g.flush() == "\nU"  # a held partial match is released when the reply ends


def test_a_stop_string_of_the_sampling_ends_the_reply_before_it(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    whole, full = run(engine, [Message(USER, "hello")], max_tokens=40, temperature=0, seed=5)
    words = whole.split()
    stop = words[len(words) // 2]
    text, stats = run(engine, [Message(USER, "hello")], max_tokens=40, temperature=0, seed=5, stop=(stop,))
    assert text == whole[:whole.index(stop)] and stop not in text
    assert stats.stop_reason == "eos"  # the reply ended as the model ending its turn would
    assert stats.completion_tokens < full.completion_tokens  # generation ended there, not only the text


def test_a_frequency_or_presence_penalty_changes_the_tokens_chosen(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    greedy = dict(max_tokens=40, temperature=0, seed=5, repeat_penalty=1.0)
    plain, _ = run(engine, [Message(USER, "hello")], **greedy)
    assert run(engine, [Message(USER, "hello")], **greedy)[0] == plain
    frequency, _ = run(engine, [Message(USER, "hello")], frequency_penalty=1.5, **greedy)
    presence, _ = run(engine, [Message(USER, "hello")], presence_penalty=1.5, **greedy)
    assert frequency != plain and presence != plain
    # a greedy reply repeats itself; penalised, it uses more distinct words
    assert len(set(frequency.split())) > len(set(plain.split()))


def test_a_raw_prompt_is_continued_without_the_chat_template(engine, tiny_model):
    engine.load(tiny_model, n_ctx=512)
    prompt = "The water and the world"
    *tokens, stats = engine.stream_text(prompt, Sampling(max_tokens=12, temperature=0, seed=2))
    text = "".join(t.text for t in tokens)
    assert stats.prompt_tokens == len(engine._replies.tokenize(prompt))  # nothing of a template added
    assert stats.prompt_tokens < engine.count_tokens([Message(USER, prompt)])
    assert stats.completion_tokens == 12 and stats.stop_reason == "length"
    assert text.startswith(" ")  # the space that follows the prompt is the text's, not cut as a chat's
    *again, _ = engine.stream_text(prompt, Sampling(max_tokens=12, temperature=0, seed=2))
    assert "".join(t.text for t in again) == text
    stop = text.split()[len(text.split()) // 2]
    *cut, stopped = engine.stream_text(prompt, Sampling(max_tokens=12, temperature=0, seed=2, stop=(stop,)))
    assert "".join(t.text for t in cut) == text[:text.index(stop)] and stopped.stop_reason == "eos"


def test_a_conversation_keeps_its_cache_across_an_unrelated_request(engine, tiny_model):
    engine.load(tiny_model, n_ctx=2048)
    history = [Message(SYSTEM, "You are terse."), Message(USER, "tell me about the water and the world")]
    reply, first = run(engine, history, max_tokens=60, seed=1)
    # another program's request between two turns: nothing in common with the conversation
    *_, other = engine.stream_chat([Message(USER, "a different question about rivers " * 6)],
                                   Sampling(max_tokens=8, seed=2), keep_cache=False)
    assert other.evaluated_prompt_tokens >= other.prompt_tokens - 2
    history += [Message(ASSISTANT, reply), Message(USER, "and what about people")]
    _, second = run(engine, history, max_tokens=10, seed=1)
    new_turn = second.prompt_tokens - first.prompt_tokens - first.completion_tokens
    assert 0 < second.evaluated_prompt_tokens <= new_turn + 1
    # the request's own cache was not kept: asked again, it is evaluated whole
    *_, again = engine.stream_chat([Message(USER, "a different question about rivers " * 6)],
                                   Sampling(max_tokens=8, seed=2), keep_cache=False)
    assert again.evaluated_prompt_tokens >= again.prompt_tokens - 2


def test_the_sampling_and_its_stop_strings_come_back_from_json():
    from localchat.core.history.records import sampling_from_json, sampling_to_json

    sampling = Sampling(temperature=0.2, stop=("\nUser:", "END"), presence_penalty=0.5, frequency_penalty=-1)
    assert sampling_from_json(sampling_to_json(sampling)) == sampling
    assert sampling_from_json('{"temperature": 0.3}') == Sampling(temperature=0.3)  # older records
    assert Sampling(stop="END").stop == ("END",)


# -- chat templates from strangers ---------------------------------------------------------------
def template_model(tmp_path, template: str | None, special=("<|im_start|>", "<|im_end|>")):
    return write_tiny_gguf(tmp_path / "templated.gguf", chat_template=template, special_tokens=special)


@pytest.mark.parametrize("name", ["gemma2", "llama3", "llama3.1", "mistral", "phi3", "qwen2.5"])
@pytest.mark.parametrize("system", [True, False], ids=["system prompt", "no system prompt"])
def test_models_with_real_templates_chat_with_and_without_a_system_prompt(engine, tmp_path, name, system):
    real = REAL_TEMPLATES[name]
    info = engine.load(template_model(tmp_path, real.source, real.special_tokens), n_ctx=512)
    assert info.template_note == (None if real.system_role else
                                  "This model's template has no system role: the system prompt was put "
                                  "in the first message.")
    messages = ([Message(SYSTEM, "Be brief.")] if system else []) + [Message(USER, "hi")]
    text, stats = run(engine, messages, max_tokens=4, seed=1)
    assert stats.error is None and stats.completion_tokens == 4 and stats.template_note is None
    prompt = engine.prompt_format.render(messages)
    assert ("Be brief." in prompt) == system and "hi" in prompt


@pytest.mark.parametrize("template, reason", [
    (BROKEN["a syntax error"], "Unexpected end of template"),
    (BROKEN["an unknown filter"], "No filter named 'shout'"),
    (RAISES, "refuses every conversation"),
    (SIZE_BOMBS["a string times 10**10"], "characters"),
    (ESCAPES["str class mro"], "Python's internals"),
])
def test_a_broken_template_is_found_at_load_and_the_model_chats_in_its_tokens_format(
        engine, tmp_path, template, reason):
    special = ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>")
    info = engine.load(template_model(tmp_path, template, special), n_ctx=512)
    assert reason in info.template_note and "Llama 3 format" in info.template_note
    assert not info.is_base_model
    text, stats = run(engine, [Message(SYSTEM, "Be brief."), Message(USER, "hi")], max_tokens=4, seed=1)
    assert stats.error is None and stats.completion_tokens == 4
    assert engine.prompt_format.render([Message(USER, "hi")]).startswith("<|start_header_id|>user")


def test_a_template_that_runs_on_is_refused_at_load_within_its_budget(engine, tmp_path):
    started = time.perf_counter()
    info = engine.load(template_model(tmp_path, TIME_BOMBS["three nested loops of 9,999"], special=()), n_ctx=512)
    assert time.perf_counter() - started < 10  # its second, not the hours its loops would take
    assert "ran for more than 1 s" in info.template_note and "plain transcript" in info.template_note
    text, stats = run(engine, [Message(USER, "hi")], max_tokens=4, seed=1)
    assert stats.error is None and stats.completion_tokens == 4
    assert engine.prompt_format.render([Message(USER, "hi")]) == "User: hi\nAssistant:"


def test_a_template_failing_on_a_later_conversation_says_so_on_that_reply(engine, tmp_path):
    template = ("{% for m in messages %}{% if 'boom' in m.content %}{{ raise_exception('no boom') }}"
                "{% endif %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
                "<|im_start|>assistant\n")
    info = engine.load(template_model(tmp_path, template), n_ctx=512)
    assert info.template_note is None
    _, first = run(engine, [Message(USER, "boom")], max_tokens=4, seed=1)
    assert first.error is None and first.completion_tokens == 4
    assert "(no boom)" in first.template_note and "ChatML format" in first.template_note
    _, second = run(engine, [Message(USER, "boom again")], max_tokens=4, seed=1)
    assert second.error is None and second.template_note is None


# -- the real demo model --------------------------------------------------------------------------
@pytest.mark.demo
def test_demo_model_answers_paris_and_reuses_the_cache(engine, demo_model):
    info = engine.load(demo_model, n_ctx=2048)
    assert info.is_base_model
    history = [Message(USER, "What is the capital of France?")]
    reply, first = run(engine, history, temperature=0, max_tokens=48)
    assert "Paris" in reply
    assert first.stop_reason == "eos"
    assert "User:" not in reply
    history += [Message(ASSISTANT, reply), Message(USER, "What is the capital of Germany?")]
    reply2, second = run(engine, history, temperature=0, max_tokens=48)
    assert "Berlin" in reply2
    assert second.evaluated_prompt_tokens <= second.prompt_tokens - first.prompt_tokens


def test_a_q8_0_kv_cache_loads_and_generates(engine, tmp_path):
    import llama_cpp

    from localchat.core.testing.tiny_model import ModelShape, write_tiny_gguf

    # q8_0 blocks are 32 values: heads of 32 (real models have 64 to 256)
    model = write_tiny_gguf(tmp_path / "heads32.gguf", ModelShape(n_embd=128, n_ff=256, n_head=4, n_head_kv=2))
    engine.load(model, n_ctx=256, cache_type="q8_0")
    assert engine._llm.context_params.type_k == llama_cpp.GGML_TYPE_Q8_0
    assert engine._llm.context_params.type_v == llama_cpp.GGML_TYPE_Q8_0
    reply, stats = run(engine, [Message(USER, "hello")], max_tokens=8, seed=1)
    assert stats.completion_tokens == 8 and reply.strip()


def test_an_unknown_kv_cache_type_is_refused(engine, tiny_model):
    with pytest.raises(ValueError, match="KV cache type"):
        engine.load(tiny_model, cache_type="q2_k")
