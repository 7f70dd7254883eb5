"""How a conversation becomes a prompt when the model's own template fails: the system prompt
merged into the first message, then the built-in format the model's special tokens name, then a
plain transcript; each decided once per model and shape of conversation, and told in one line."""

from __future__ import annotations

import pytest

from localchat.core.chat import sandbox
from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message
from localchat.core.chat.prompt import PromptFormat, Strategy
from localchat.core.testing import chat_templates as corpus
from localchat.core.testing.chat_templates import REAL_TEMPLATES

WITH_SYSTEM = [Message(SYSTEM, "Be brief."), Message(USER, "hi")]
WITHOUT = [Message(USER, "hi")]
LONGER = [Message(SYSTEM, "Be brief."), Message(USER, "hi"), Message(ASSISTANT, "Hello."), Message(USER, "bye")]
NO_SYSTEM_ROLE = "This model's template has no system role: the system prompt was put in the first message."


def fmt_for(source: str | None, special: tuple[str, ...] = (), **kwargs) -> PromptFormat:
    return PromptFormat(source, "<s>", "</s>", special_tokens=set(special).__contains__, **kwargs)


@pytest.fixture
def renders(monkeypatch) -> list[int]:
    """How many times a model's template is rendered."""
    calls: list[int] = []
    real = sandbox.ChatTemplate.render

    def counted(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(sandbox.ChatTemplate, "render", counted)
    return calls


# -- real templates ------------------------------------------------------------------------------
EXPECTED = {
    "gemma2": ("<s><start_of_turn>user\nBe brief.\n\nhi<end_of_turn>\n<start_of_turn>model\n",
               "<s><start_of_turn>user\nhi<end_of_turn>\n<start_of_turn>model\n"),
    "llama3": ("<s><|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>user"
               "<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
               "<s><|start_header_id|>user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant"
               "<|end_header_id|>\n\n"),
    "mistral": ("<s>[INST] Be brief.\n\nhi [/INST]", "<s>[INST] hi [/INST]"),
    "phi3": ("<|system|>\nBe brief.<|end|>\n<|user|>\nhi<|end|>\n<|assistant|>\n",
             "<|user|>\nhi<|end|>\n<|assistant|>\n"),
    "phi3-first": ("<s><|user|>\nBe brief.\n\nhi<|end|>\n<|assistant|>\n", "<s><|user|>\nhi<|end|>\n<|assistant|>\n"),
    "qwen2.5": ("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n",
                "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant."
                "<|im_end|>\n<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n"),
}


@pytest.mark.parametrize("name", EXPECTED)
def test_real_templates_with_and_without_a_system_prompt(name):
    real = REAL_TEMPLATES[name]
    fmt = fmt_for(real.source, real.special_tokens)
    note = fmt.check()
    assert note == (None if real.system_role else NO_SYSTEM_ROLE)
    with_system, without = EXPECTED[name]
    assert fmt.render(WITH_SYSTEM) == with_system
    assert fmt.render(WITHOUT) == without
    assert fmt.prompt(LONGER).strategy is (Strategy.TEMPLATE if real.system_role else Strategy.SYSTEM_MERGED)
    assert fmt.take_note() is None  # told once, at load


def test_llama_31_renders_its_system_block_and_the_conversation():
    fmt = fmt_for(REAL_TEMPLATES["llama3.1"].source, REAL_TEMPLATES["llama3.1"].special_tokens)
    assert fmt.check() is None
    text = fmt.render(LONGER)
    assert text.startswith("<s><|start_header_id|>system<|end_header_id|>\n\nCutting Knowledge Date")
    assert "Be brief.<|eot_id|>" in text and text.endswith("<|start_header_id|>assistant<|end_header_id|>\n\n")


# -- the order of the fallbacks -----------------------------------------------------------------
def test_a_failing_template_falls_back_to_the_format_its_special_tokens_name():
    fmt = fmt_for(corpus.RAISES, ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"))
    note = fmt.check()
    assert note == ("This model's chat template cannot be used (This template refuses every conversation): "
                    "its prompts are written in the Llama 3 format its special tokens name.")
    prompt = fmt.prompt(WITH_SYSTEM)
    assert prompt.strategy is Strategy.BUILTIN
    assert prompt.text == ("<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|><|start_header_id|>"
                           "user<|end_header_id|>\n\nhi<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n")
    assert "<|eot_id|>" in prompt.stop


@pytest.mark.parametrize("special, start", [
    (("<|im_start|>", "<|im_end|>"), "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nhi"),
    (("<start_of_turn>", "<end_of_turn>"), "<start_of_turn>user\nBe brief.\n\nhi<end_of_turn>\n"),
    (("[INST]", "[/INST]"), "[INST] Be brief.\n\nhi [/INST]"),
    (("<|user|>", "<|assistant|>", "<|end|>"), "<|system|>\nBe brief.<|end|>\n<|user|>\nhi<|end|>\n"),
])
def test_each_built_in_format_is_picked_by_its_tokens(special, start):
    fmt = fmt_for(corpus.BROKEN["a syntax error"], special)
    fmt.check()
    assert fmt.render(WITH_SYSTEM).startswith(start)


def test_without_known_special_tokens_the_prompt_is_a_plain_transcript():
    fmt = fmt_for(corpus.BROKEN["an unknown filter"])
    note = fmt.check()
    assert note.startswith("This model's chat template cannot be used (line 1: No filter named 'shout'.)")
    assert "plain transcript" in note
    prompt = fmt.prompt(WITH_SYSTEM)
    assert prompt.text == "Be brief.\nUser: hi\nAssistant:"
    assert "\nUser:" in prompt.stop


@pytest.mark.parametrize("source, reason", [
    (corpus.RENDERS_NOTHING, "it writes an empty prompt"),
    (corpus.IGNORES_MESSAGES, "it leaves out the messages"),
    (corpus.PYTHON_ERROR, "can only concatenate str"),
    (corpus.BROKEN["an unknown test"], "No test named 'shiny'"),
    (corpus.TIME_BOMBS["nested loops"], "it ran for more than 0.2 s"),
    (corpus.SIZE_BOMBS["a string times 10**10"], "characters"),
    (corpus.ESCAPES["cycler globals"], "Python's internals"),
])
def test_a_template_found_unusable_at_load_is_never_rendered_again(source, reason, renders):
    fmt = fmt_for(source, ("<|im_start|>", "<|im_end|>"), seconds=0.2)
    note = fmt.check()
    assert reason in note and "ChatML format" in note
    tried = len(renders)
    for messages in (WITH_SYSTEM, WITHOUT, LONGER):
        assert fmt.prompt(messages).strategy is Strategy.BUILTIN
    assert len(renders) == tried
    assert fmt.take_note() is None


def test_a_template_without_a_system_role_is_asked_once_per_conversation(renders):
    fmt = fmt_for(REAL_TEMPLATES["gemma2"].source, REAL_TEMPLATES["gemma2"].special_tokens)
    fmt.check()
    renders.clear()
    for i in range(4):
        fmt.prompt([*WITH_SYSTEM, Message(ASSISTANT, "ok"), Message(USER, f"question {i}")])
    assert len(renders) == 4  # merged at once: the plain attempt that raises is not made again


def test_the_budget_count_and_the_stream_share_one_render(renders):
    fmt = fmt_for(REAL_TEMPLATES["llama3"].source)
    fmt.check()
    renders.clear()
    conversation = tuple(LONGER)
    assert fmt.render(conversation) == fmt.render(conversation)
    assert len(renders) == 1


# -- failures met later than the load ------------------------------------------------------------
def test_a_template_failing_on_a_later_conversation_falls_back_then_and_says_so_once():
    source = ("{% for m in messages %}{% if 'boom' in m.content %}{{ raise_exception('no boom here') }}"
              "{% endif %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}"
              "<|im_start|>assistant\n")
    fmt = fmt_for(source, ("<|im_start|>", "<|im_end|>"))
    assert fmt.check() is None
    assert fmt.prompt([Message(USER, "boom")]).strategy is Strategy.BUILTIN
    note = fmt.take_note()
    assert note == ("This model's template fails on conversations without a system prompt (no boom here): "
                    "those are from now on written in the ChatML format its special tokens name.")
    assert fmt.prompt([Message(USER, "calm")]).strategy is Strategy.BUILTIN  # decided once
    assert fmt.prompt(WITH_SYSTEM).strategy is Strategy.TEMPLATE  # the other shape still works
    assert fmt.take_note() is None


def test_a_template_over_budget_on_a_long_conversation_is_refused_for_every_conversation():
    # quadratic in a message's length: nothing at load, far past the budget on a long message
    source = ("{% for m in messages %}{% for a in m.content %}{% for b in m.content %}{% endfor %}"
              "{% endfor %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}")
    fmt = fmt_for(source, ("<|im_start|>", "<|im_end|>"), seconds=0.2)
    assert fmt.check() is None
    assert fmt.prompt([Message(USER, "long " * 4000)]).strategy is Strategy.BUILTIN
    assert "ran for more than 0.2 s" in fmt.take_note()
    assert fmt.prompt(WITH_SYSTEM).strategy is Strategy.BUILTIN
    assert fmt.take_note() is None  # the same cause is not told twice


def test_a_base_model_gets_a_transcript_and_no_note():
    fmt = fmt_for(None, ("<|im_start|>", "<|im_end|>"))
    assert fmt.is_base_model and fmt.check() is None
    assert fmt.render(WITH_SYSTEM) == "Be brief.\nUser: hi\nAssistant:"
