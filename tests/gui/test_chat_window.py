"""The chat window with a real llama.cpp worker thread, offscreen."""

import pytest
from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QGuiApplication

from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.gui.chat.bubble import MessageItem
from localchat.gui.main_window import MainWindow


class Recorder:
    """Collects a GUI-thread signal's arguments."""

    def __init__(self):
        self.calls = []
        self.after = None

    def record(self, *args):
        self.calls.append(args)
        if self.after:
            self.after(len(self.calls))


@pytest.fixture
def window(qtbot, data_paths):
    w = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(w)
    w.show()
    yield w
    w.close()


def load(qtbot, window, path):
    with qtbot.waitSignal(window.model_ready, timeout=20_000) as blocker:
        window.load_model(path)
    return blocker.args[0]


def send_and_wait(qtbot, window, text, timeout=30_000) -> GenerationStats:
    with qtbot.waitSignal(window.reply_finished, timeout=timeout) as blocker:
        window.send(text)
    return blocker.args[0]


def test_reply_streams_into_the_view_and_stats_appear(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=600, seed=4)
    lengths = Recorder()
    seen_while_streaming = []

    def on_batch(_n):
        lengths.calls[-1] = (len(window.chat_view.last_bubble().item.text),)
        seen_while_streaming.append((window.composer.input.isEnabled(), window.composer.send_button.accessibleName()))

    lengths.after = on_batch
    window.reply_updated.connect(lengths.record)
    stats = send_and_wait(qtbot, window, "hello world")
    assert stats.completion_tokens == 600
    grown = [c[0] for c in lengths.calls]
    assert len(grown) >= 2, "the reply arrived in one piece instead of streaming"
    assert grown == sorted(grown) and grown[-1] > grown[0]
    assert all(not enabled and button == "Stop" for enabled, button in seen_while_streaming)
    bubbles = window.chat_view.bubbles
    assert [b.item.role for b in bubbles] == ["user", "assistant"]
    assert bubbles[1].item.text == window.messages[-1].content
    assert "tok/s" in window.stats_label.text() and "TTFT" in bubbles[1].stats_label.text()
    assert window.composer.input.isEnabled() and window.composer.send_button.accessibleName() == "Send"
    assert "tiny" in window.model_status.text() and "CPU" in window.model_status.text()
    meter = window.composer.context_label  # how much of the context the conversation fills
    used = stats.prompt_tokens + stats.completion_tokens
    assert meter.isVisibleTo(window) and meter.text() == f"{used:,} / {window.model_info.n_ctx:,} tokens"
    window.new_chat()
    assert not meter.isVisibleTo(window)


def test_stop_ends_the_reply_and_keeps_what_was_written(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=7000)
    rec = Recorder()
    rec.after = lambda n: window.stop() if n == 1 else None
    window.reply_updated.connect(rec.record)
    stats = send_and_wait(qtbot, window, "go", timeout=5_000)
    assert stats.stop_reason is StopReason.CANCELLED
    assert 0 < stats.completion_tokens < 7000
    assert window.messages[-1].role == "assistant" and window.messages[-1].content
    assert window.composer.input.isEnabled()


@pytest.mark.parametrize("content, expected", [
    (b"just some text, certainly not a model" * 40, "not a GGUF"),
    (b"", "empty"),
    (None, "truncated|incomplete"),
])
def test_bad_file_shows_an_error_and_a_good_model_works_after(qtbot, window, tiny_model, tmp_path,
                                                              content, expected):
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(tiny_model.read_bytes()[:200_000] if content is None else content)
    with qtbot.waitSignal(window.model_load_failed, timeout=10_000):
        window.load_model(bad)
    assert window.error_banner.isVisibleTo(window)
    import re
    assert re.search(expected, window.error_banner.text())
    assert not window.composer.send_button.isEnabled()
    load(qtbot, window, tiny_model)
    assert not window.error_banner.isVisibleTo(window)
    window.sampling = window.sampling.with_(max_tokens=8)
    stats = send_and_wait(qtbot, window, "still there?")
    assert stats.completion_tokens == 8 and window.chat_view.last_bubble().item.text


def test_closing_during_generation_stops_and_keeps_the_reply(qtbot, data_paths, tiny_model):
    w = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(w)
    w.show()
    load(qtbot, w, tiny_model)
    w.sampling = w.sampling.with_(max_tokens=7000)
    with qtbot.waitSignal(w.reply_updated, timeout=10_000):
        w.send("a long story")
    assert w.generating
    shown = w.chat_view.last_bubble().item.text
    w.close()
    assert not w.inference.worker.running
    assert w.inference.worker.engine.model is None  # the model was freed in its own thread

    again = MainWindow(data_paths, install_demo=False)
    qtbot.addWidget(again)
    reply = again.chat_view.last_bubble()
    assert reply.item.role == "assistant" and reply.item.text.startswith(shown) and shown
    assert "cancelled" in reply.stats_label.text()
    again.close()


def test_closing_during_a_load_exits_cleanly(qtbot, data_paths, tiny_model):
    w = MainWindow(data_paths, install_demo=False)
    qtbot.addWidget(w)
    w.load_model(tiny_model)
    w.close()
    assert not w.inference.worker.running and w.inference.worker.engine.model is None


class StartedLoads(QObject):
    """The paths whose load the worker began (a QObject: the relay's signals come from its thread)."""

    def __init__(self):
        super().__init__()
        self.paths = []

    @Slot(object)
    def record(self, job):
        self.paths.append(job.path)


def test_picking_another_model_during_a_load_cancels_it(qtbot, window, tiny_model, tiny_base_model):
    started = StartedLoads()
    window.inference.model_loading.connect(started.record)
    ready, failed = Recorder(), Recorder()
    window.model_ready.connect(ready.record)
    window.model_load_failed.connect(failed.record)
    window.load_model(tiny_model)
    window.load_model(tiny_base_model)  # picked while the first one loads: it never starts
    window.load_model(tiny_model)
    qtbot.waitUntil(lambda: bool(ready.calls), timeout=20_000)
    qtbot.waitUntil(lambda: not window.inference.worker.busy, timeout=20_000)
    assert str(tiny_base_model) not in started.paths and started.paths[-1] == str(tiny_model)
    assert [info.path for (info,) in ready.calls] == [str(tiny_model)]  # once: the last pick
    assert failed.calls == [] and not window.error_banner.isVisibleTo(window)
    assert window.model_picker.currentData() == str(tiny_model)


def test_enter_without_a_model_says_what_to_do_and_keeps_the_message(qtbot, window, tiny_model):
    box = window.composer.input
    qtbot.keyClicks(box, "hello there")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.error_banner.isVisibleTo(window)
    assert "No model is loaded" in window.error_banner.text()
    assert "Model Manager" in window.error_banner.text()
    assert box.toPlainText() == "hello there" and window.conversation is None
    window.load_model(tiny_model)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert "still loading" in window.error_banner.text()
    qtbot.waitUntil(lambda: window.model_info is not None, timeout=20_000)
    assert not window.error_banner.isVisibleTo(window)
    window.sampling = window.sampling.with_(max_tokens=4)
    with qtbot.waitSignal(window.reply_finished, timeout=10_000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.messages[0].content == "hello there"


def test_sending_adds_to_the_conversation_shown_without_showing_it_again(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=4)
    send_and_wait(qtbot, window, "first")
    shown = list(window.chat_view.bubbles)
    send_and_wait(qtbot, window, "second")
    bubbles = window.chat_view.bubbles
    assert len(bubbles) == 4 and all(a is b for a, b in zip(bubbles, shown))
    assert [b.item.text for b in bubbles] == [m.content for m in window.messages]
    assert bubbles[2].item.text == "second" and "tok/s" in bubbles[3].stats_label.text()


def test_enter_sends_and_shift_enter_starts_a_new_line(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=4)
    box = window.composer.input
    qtbot.keyClicks(box, "first line")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "second line")
    assert box.toPlainText() == "first line\nsecond line"
    with qtbot.waitSignal(window.reply_finished, timeout=10_000):
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.messages[0].content == "first line\nsecond line"
    assert box.toPlainText() == ""


def test_base_model_gets_a_notice(qtbot, window, tiny_base_model, tiny_model):
    load(qtbot, window, tiny_base_model)
    assert window.chat_view.notice.isVisibleTo(window)
    assert "base model" in window.chat_view.notice.text()
    load(qtbot, window, tiny_model)
    assert not window.chat_view.notice.isVisibleTo(window)


def test_code_blocks_render_monospaced_with_a_working_copy_link(qtbot, window):
    bubble = window.chat_view.append_message(
        MessageItem(0, "assistant", "Run this:\n\n```python\nprint('hi')\n```\n"))
    assert "<pre" in bubble.body.text() and "monospace" in bubble.body.text()
    bubble.body.linkActivated.emit("copy:0")
    assert QGuiApplication.clipboard().text() == "print('hi')\n"


def test_the_view_follows_a_streaming_reply_until_the_person_scrolls_up(qtbot, data_paths, tiny_model):
    # batches of 5 ms: a fast machine writes the tiny model's reply past the window in fewer of
    # the app's 30 ms batches than the view needs to show it follows
    w = MainWindow(data_paths, install_demo=False, batch_seconds=0.005)
    qtbot.addWidget(w)
    w.resize(600, 400)
    w.show()
    load(qtbot, w, tiny_model)
    w.sampling = w.sampling.with_(max_tokens=7000, seed=4)
    bar = w.chat_view.verticalScrollBar()
    before, after = [], []  # (scroll position, bottom) as each batch arrives

    def on_batch(_text):
        if not after and (not before or before[-1][1] <= 2 * bar.pageStep()):
            before.append((bar.value(), bar.maximum()))
            if bar.maximum() > 2 * bar.pageStep():
                bar.triggerAction(bar.SliderAction.SliderToMinimum)  # the person scrolls up to read
                after.append((bar.value(), bar.maximum()))
        elif after:
            after.append((bar.value(), bar.maximum()))
            if bar.maximum() > after[0][1] + 2 * bar.pageStep():
                w.stop()

    w.reply_updated.connect(on_batch)
    send_and_wait(qtbot, w, "a long story", timeout=30_000)
    assert len([b for _, b in before if b > 0]) >= 3, "the reply never grew past the window while streaming"
    assert all(at == bottom for at, bottom in before), "the view did not follow the reply down"
    assert after and all(at == 0 for at, _ in after), "the view scrolled down while the person read above"
    assert not w.chat_view.following
    assert after[-1][1] > after[0][1] + bar.pageStep()
    bar.triggerAction(bar.SliderAction.SliderToMaximum)  # back at the bottom: following again
    assert w.chat_view.following
    w.close()


# -- history ------------------------------------------------------------------------------------
def test_conversation_is_kept_and_reopened_after_a_restart(qtbot, data_paths, tiny_model):
    first = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(first)
    load(qtbot, first, tiny_model)
    first.sampling = first.sampling.with_(max_tokens=10)
    send_and_wait(qtbot, first, "remember me")
    before = [(m.role, m.content) for m in first.messages]
    first.close()

    second = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(second)
    assert [(m.role, m.content) for m in second.messages] == before
    assert [b.item.text for b in second.chat_view.bubbles] == [c for _, c in before]
    listed = [second.sidebar.conversation_list.item(i).text()
              for i in range(second.sidebar.conversation_list.count())]
    assert any("remember me" in text for text in listed)
    second.close()


def test_regenerate_keeps_both_replies_as_branches(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=12, temperature=1.0)
    send_and_wait(qtbot, window, "hello")
    first_reply = window.messages[-1].content
    question = window.chat_view.bubbles[0]
    with qtbot.waitSignal(window.reply_finished, timeout=10_000):
        window.chat_view.bubbles[1].regenerate_button.click()
    second_reply = window.messages[-1].content
    reply_bubble = window.chat_view.bubbles[1]
    assert reply_bubble.branch_label.text() == "2/2" and reply_bubble.prev_button.isEnabled()
    assert window.chat_view.bubbles[0] is question  # shown again from the reply on, not above it
    reply_bubble.prev_button.click()
    assert window.chat_view.bubbles[1].item.text == first_reply
    assert window.chat_view.bubbles[1].branch_label.text() == "1/2"
    window.chat_view.bubbles[1].next_button.click()
    assert window.chat_view.bubbles[1].item.text == second_reply


def test_editing_a_question_branches_and_the_original_stays_reachable(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=6)
    send_and_wait(qtbot, window, "original question")
    bubble = window.chat_view.bubbles[0]
    bubble.edit_button.click()
    bubble.editor.setPlainText("edited question")
    with qtbot.waitSignal(window.reply_finished, timeout=10_000):
        bubble.send_edit_button.click()
    assert window.messages[0].content == "edited question"
    assert window.chat_view.bubbles[0].branch_label.text() == "2/2"
    window.chat_view.bubbles[0].prev_button.click()
    assert [m.content for m in window.messages][0] == "original question"
    assert len(window.messages) == 2  # the original's own reply came back with it


def test_search_result_opens_the_conversation_at_the_message(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=4)
    send_and_wait(qtbot, window, "zebra crossing")
    window.new_chat()
    send_and_wait(qtbot, window, "something else")
    assert window.messages[0].content == "something else"
    with qtbot.waitSignal(window.sidebar.search_finished, timeout=5_000):
        window.sidebar.search_box.setText("zebra")
    hit = window.sidebar.results_list.item(0)
    window.sidebar.results_list.itemClicked.emit(hit)
    assert window.messages[0].content == "zebra crossing"
    assert window.chat_view.bubbles[0].item.text == "zebra crossing"


def test_conversation_settings_apply_to_the_next_reply_and_are_saved(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    send_and_wait_tokens = 3
    panel = window.conversation_settings
    panel.max_tokens.setValue(send_and_wait_tokens)
    panel.system_prompt.setPlainText("You are a pirate.")
    stats = send_and_wait(qtbot, window, "hi")
    assert stats.completion_tokens == 3
    saved = window.store.conversation(window.conversation.id)
    assert saved.system_prompt == "You are a pirate." and saved.sampling.max_tokens == 3


def test_settings_change_theme_font_and_reload_the_model_with_new_threads(qtbot, window, tiny_model):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    from localchat.core.settings import load_settings

    info = load(qtbot, window, tiny_model)
    assert info.n_threads >= 1
    with qtbot.waitSignal(window.model_ready, timeout=20_000) as blocker:
        window.apply_settings(window.settings.with_(theme="dark", font_size=14, n_threads=1))
    assert blocker.args[0].n_threads == 1
    app = QApplication.instance()
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 128
    assert app.font().pointSize() == 14
    saved = load_settings(window.paths.settings)
    assert (saved.theme, saved.font_size, saved.n_threads) == ("dark", 14, 1)
    window.apply_settings(window.settings.with_(theme="light", font_size=11, n_threads=0))
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 128
