"""A model whose chat template is hostile or broken never costs the person the window or the
conversation: each loads, answers, says once what was done, and a good model works after it."""

import pytest

from localchat.core.chat.stats import StopReason
from localchat.core.testing.chat_templates import (
    BROKEN,
    ESCAPES,
    RAISES,
    REAL_TEMPLATES,
    SIZE_BOMBS,
    TIME_BOMBS,
)
from localchat.core.testing.tiny_model import write_tiny_gguf
from localchat.gui.main_window import MainWindow

GEMMA2 = REAL_TEMPLATES["gemma2"]
CASES = {
    "Gemma 2 with a system prompt": (GEMMA2.source, GEMMA2.special_tokens),
    "an escape": (ESCAPES["str class mro"], ()),
    "a time bomb": (TIME_BOMBS["nested loops"], ()),
    "a size bomb": (SIZE_BOMBS["a string times 10**10"], ()),
    "a syntax error": (next(iter(BROKEN.values())), ()),
    "a template that raises": (RAISES, ()),
}


@pytest.fixture
def window(qtbot, data_paths):
    w = MainWindow(data_paths, install_demo=False, batch_seconds=0.002, welcome=False)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


@pytest.mark.parametrize("case", CASES)
def test_a_broken_template_costs_neither_the_window_nor_the_conversation(qtbot, window, tmp_path,
                                                                         tiny_model, case):
    template, special = CASES[case]
    model = write_tiny_gguf(tmp_path / "hostile.gguf", chat_template=template,
                            **({"special_tokens": special} if special else {}))
    with qtbot.waitSignal(window.model_ready, timeout=30_000):
        window.load_model(model)
    window.chat.configure(system_prompt="You are terse.")
    window.sampling = window.sampling.with_(max_tokens=6, seed=1)
    with qtbot.waitSignal(window.reply_finished, timeout=30_000) as finished:
        window.send("hello")
    stats = finished.args[0]
    assert stats.stop_reason is not StopReason.ERROR and stats.completion_tokens > 0
    assert window.chat_view.last_bubble().item.text
    notice = window.chat_view.notice
    assert notice.isVisibleTo(window) and "template" in notice.text().lower()
    assert not window.error_banner.isVisibleTo(window) or "Traceback" not in window.error_banner.text()

    with qtbot.waitSignal(window.model_ready, timeout=30_000):
        window.load_model(tiny_model)
    assert not window.chat_view.notice.isVisibleTo(window)  # the good model has nothing to say
    with qtbot.waitSignal(window.reply_finished, timeout=30_000) as again:
        window.send("still there?")
    assert again.args[0].stop_reason is not StopReason.ERROR
