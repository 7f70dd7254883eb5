"""Chat templates written to do harm, or broken, rendered in the sandbox: each comes back within
its budget with a ChatTemplateError that says why, without reaching Python or eating memory."""

from __future__ import annotations

import threading
import tracemalloc

import pytest

from localchat.core.chat.sandbox import (
    ChatTemplate,
    ChatTemplateBudgetError,
    ChatTemplateError,
    ChatTemplateSyntaxError,
    ChatTemplateUnsafeError,
)
from localchat.core.errors import LocalChatError
from localchat.core.testing import chat_templates as corpus
from localchat.core.testing.chat_templates import REAL_TEMPLATES

LIMIT = 200_000  # characters: 16 × a 8,192-token context, about
SECONDS = 0.25  # the engine gives a second; a quarter keeps these tests short
MESSAGES = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2 + 2?"},
            {"role": "assistant", "content": "4."}, {"role": "user", "content": "And 3 + 3?"}]


def render_guarded(source: str, *, messages=MESSAGES, seconds: float = SECONDS):
    """Compile and render ``source`` on a thread of its own, as the inference thread would;
    returns (text or the error, peak memory in bytes). A render that never comes back fails the
    test instead of hanging the suite."""
    outcome: list = []

    def render() -> None:
        try:
            outcome.append(ChatTemplate(source).render(LIMIT, seconds, messages=messages,
                                                       add_generation_prompt=True, bos_token="<s>"))
        except BaseException as exc:  # noqa: BLE001 - the test looks at whatever came out
            outcome.append(exc)

    tracemalloc.start()
    try:
        thread = threading.Thread(target=render, daemon=True)
        thread.start()
        thread.join(timeout=20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert not thread.is_alive(), "the render did not come back"
    return outcome[0], peak


def expect_error(source: str, kind: type, reason: str, **kwargs) -> ChatTemplateError:
    result, peak = render_guarded(source, **kwargs)
    assert isinstance(result, kind), f"{result!r:.300}"
    assert isinstance(result, LocalChatError) and result.message and result.hint
    assert reason in result.reason, result.reason
    assert peak < 64 * 2**20, f"the render took {peak / 2**20:.0f} MiB"
    return result


@pytest.mark.parametrize("name", corpus.ESCAPES)
def test_a_template_cannot_reach_python_internals(name, capfd):
    expect_error(corpus.ESCAPES[name], ChatTemplateUnsafeError, "Python's internals")
    assert "escaped" not in capfd.readouterr().out


@pytest.mark.parametrize("name", corpus.TIME_BOMBS)
def test_a_template_that_runs_on_is_stopped_at_its_time_budget(name):
    expect_error(corpus.TIME_BOMBS[name], ChatTemplateBudgetError, f"ran for more than {SECONDS:g} s")


@pytest.mark.parametrize("name", corpus.DEPTH_BOMBS)
def test_a_template_that_calls_itself_without_end_is_stopped(name):
    expect_error(corpus.DEPTH_BOMBS[name], ChatTemplateBudgetError, "calls itself more than")


@pytest.mark.parametrize("name", corpus.SIZE_BOMBS)
def test_a_template_that_asks_for_huge_values_is_stopped_before_it_makes_them(name):
    error = expect_error(corpus.SIZE_BOMBS[name], ChatTemplateBudgetError, "", seconds=1.0)
    assert any(word in error.reason for word in ("characters", "allowed", "power", "too long")), error.reason


@pytest.mark.parametrize("name", corpus.BROKEN)
def test_a_template_that_does_not_compile_is_refused_when_compiled(name):
    with pytest.raises(ChatTemplateSyntaxError if name != "an unknown test" else ChatTemplateError) as caught:
        ChatTemplate(corpus.BROKEN[name]).render(LIMIT, SECONDS, messages=MESSAGES)
    assert caught.value.reason
    if name in ("a syntax error", "an unknown filter", "a deep nesting"):
        with pytest.raises(ChatTemplateSyntaxError):
            ChatTemplate(corpus.BROKEN[name])  # before any render


def test_a_template_that_raises_says_its_own_words_and_is_not_fatal():
    error = expect_error(corpus.RAISES, ChatTemplateError, "refuses every conversation")
    assert not error.fatal
    error = expect_error(corpus.PYTHON_ERROR, ChatTemplateError, "")
    assert not error.fatal and "str" in error.reason


def test_a_render_within_the_budget_is_what_jinja_writes():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    plain = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True)
    plain.globals["raise_exception"] = lambda message: None
    for name in ("llama3", "llama3.1", "phi3", "qwen2.5"):
        source = REAL_TEMPLATES[name].source
        context = dict(messages=MESSAGES, add_generation_prompt=True, bos_token="<s>", eos_token="</s>")
        assert ChatTemplate(source).render(LIMIT, **context) == plain.from_string(source).render(**context)


def test_real_helpers_work_inside_the_sandbox():
    source = ("{% set ns = namespace(n=0) %}{% for m in messages %}{% set ns.n = ns.n + 1 %}{% endfor %}"
              "{{ ns.n }} {{ strftime_now('%Y')|length }} {{ {'a': 'é'}|tojson }} "
              "{{ messages|selectattr('role', 'equalto', 'user')|map(attribute='content')|join(' / ') }}"
              "{% for m in messages %}{% if loop.last %} last={{ m.content|trim }}{% break %}{% endif %}{% endfor %}"
              "{% generation %} reply{% endgeneration %}")
    text = ChatTemplate(source).render(LIMIT, messages=MESSAGES)
    assert text == '4 4 {"a": "é"} What is 2 + 2? / And 3 + 3? last=And 3 + 3? reply'


def test_the_budget_does_not_stop_a_real_template_on_a_long_conversation():
    long = [{"role": "user" if i % 2 == 0 else "assistant", "content": "the water of the world " * 40}
            for i in range(201)]
    text = ChatTemplate(REAL_TEMPLATES["llama3.1"].source).render(
        16 * 8192 + 4 * sum(len(m["content"]) for m in long), messages=long, add_generation_prompt=True)
    assert text.count("<|eot_id|>") == 202
