"""A model that needs more memory than is free now asks before it loads: in a dialog when the
person picked it, in a bar with Load anyway when it loads by itself at start. The real window,
worker, engine and tiny models, with a fake reading of free RAM."""

from collections import namedtuple
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from localchat.core.settings import Settings, save_settings
from localchat.core.units import GIB, MIB
from localchat.gui.main_window import MainWindow

VM = namedtuple("VM", "total available")
T = 20_000  # ms: a bound for waits, never a delay


def little_free_memory(monkeypatch) -> None:
    """64 GiB in all, 1 MiB free: every model fits the computer, none the memory free now."""
    monkeypatch.setattr("psutil.virtual_memory", lambda: VM(64 * GIB, 1 * MIB))


def answer_questions(monkeypatch, reply) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a, **k: asked.append(text) or reply)
    return asked


def test_a_picked_model_asks_and_a_no_keeps_the_model_there_was(qtbot, data_paths, tiny_model,
                                                                 tiny_base_model, monkeypatch):
    w = MainWindow(data_paths, install_demo=False)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.model_ready, timeout=T):
        w.load_model(tiny_model)
    status = w.model_status.text()

    little_free_memory(monkeypatch)
    questions = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    w.load_model(tiny_base_model)
    qtbot.waitUntil(lambda: len(questions) == 1, timeout=T)
    assert questions[0].startswith(f"{tiny_base_model.name} needs ")
    assert questions[0].endswith("of memory; 1 MiB is free now. Other apps may slow down or the system "
                                 "may swap. Load anyway?")
    assert w.model_info.path == str(tiny_model), "the model there was is still the one in use"
    assert w.inference.worker.engine.model.path == str(tiny_model)
    assert w.model_status.text() == status and w.composer.send_button.isEnabled()
    assert w.model_picker.currentData() == str(tiny_model)
    with qtbot.waitSignal(w.reply_finished, timeout=T):
        w.send("still here?")

    answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(w.model_ready, timeout=T) as ready:
        w.load_model(tiny_base_model)
    assert ready.args[0].path == str(tiny_base_model)
    w.close()


def test_the_last_model_at_start_waits_in_a_bar_instead_of_a_dialog(qtbot, data_paths, tiny_model,
                                                                     monkeypatch):
    save_settings(data_paths.settings, Settings(last_model=str(tiny_model)))
    little_free_memory(monkeypatch)
    questions = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    w = MainWindow(data_paths, install_demo=False)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: not w.memory_bar.isHidden(), timeout=T)
    assert questions == [], "no dialog at someone who did not ask for a load"
    assert w.memory_bar.label.text().startswith(f"Not loaded: {Path(tiny_model).name} needs ")
    assert w.model_info is None and not w.composer.send_button.isEnabled()

    with qtbot.waitSignal(w.model_ready, timeout=T) as ready:
        qtbot.mouseClick(w.memory_bar.load_button, Qt.MouseButton.LeftButton)
    assert ready.args[0].path == str(tiny_model)
    assert w.memory_bar.isHidden() and questions == []
    w.close()
