"""What the window says before the first message: what to do without a model, and example prompts."""

from localchat.gui.main_window import MainWindow


def test_without_a_model_the_window_says_what_to_do_then_offers_prompts(qtbot, data_paths, tiny_model):
    w = MainWindow(data_paths, install_demo=False, welcome=False)
    qtbot.addWidget(w)
    w.show()
    empty = w.chat_view.empty
    # once the models folder is scanned and holds nothing
    qtbot.waitUntil(lambda: empty.title.text() == "No model yet", timeout=5000)
    assert empty.isVisibleTo(w) and not any(chip.isVisibleTo(w) for chip in empty.chips)
    assert empty.models_button.isVisibleTo(w)
    with qtbot.waitSignal(w.model_ready, timeout=20_000):
        w.load_model(tiny_model)
    assert empty.title.text().startswith("Ask anything")
    chip = empty.chips[1]
    assert chip.isVisibleTo(w)
    chip.click()
    assert w.composer.input.toPlainText() == chip.text()  # ready to send or change
    with qtbot.waitSignal(w.reply_finished, timeout=30_000):
        w.composer.send_button.click()
    assert not empty.isVisibleTo(w) and w.chat_view.bubbles[0].item.text == chip.text()
    w.close()
