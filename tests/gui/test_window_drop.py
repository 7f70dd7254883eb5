"""Models by drag and drop onto the window, and a models folder that is watched."""

import shutil

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from localchat.gui.main_window import MainWindow


def make_window(qtbot, data_paths) -> MainWindow:
    w = MainWindow(data_paths, install_demo=False, welcome=False)
    qtbot.addWidget(w)
    w.show()
    return w


def drop(window, *paths) -> bool:
    """Drag ``paths`` over the window and drop them; whether the window took the drag."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(window.width() / 2, window.height() / 2)
    enter = QDragEnterEvent(point.toPoint(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, enter)
    if not enter.isAccepted():
        return False
    event = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(window, event)
    return True


def test_a_dropped_gguf_is_added_to_the_models_folder_and_loaded(qtbot, data_paths, tiny_model, tmp_path):
    outside = tmp_path / "elsewhere" / "dropped-model.gguf"
    outside.parent.mkdir()
    shutil.copy(tiny_model, outside)
    w = make_window(qtbot, data_paths)
    with qtbot.waitSignal(w.model_ready, timeout=30_000) as ready:
        assert drop(w, outside)
    installed = w.models_dir / "dropped-model.gguf"
    assert ready.args[0].path == str(installed) and installed.is_file() and outside.is_file()
    assert w.model_picker.currentData() == str(installed)
    w.close()


def test_a_file_that_is_not_a_model_is_refused_with_a_message(qtbot, data_paths, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("not a model")
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"this is not GGUF" * 100)
    w = make_window(qtbot, data_paths)
    assert drop(w, notes)
    qtbot.waitUntil(lambda: w.error_banner.isVisibleTo(w), timeout=5000)
    assert "notes.txt is not a GGUF model file" in w.error_banner.text()
    w.show_error(None)
    drop(w, fake)
    qtbot.waitUntil(lambda: w.error_banner.isVisibleTo(w), timeout=10_000)
    assert "fake.gguf" in w.error_banner.text() and "Traceback" not in w.error_banner.text()
    assert not (w.models_dir / "fake.gguf").exists() and w.model_info is None
    w.close()


def test_a_model_copied_into_the_models_folder_appears_in_the_picker(qtbot, data_paths, tiny_model):
    w = make_window(qtbot, data_paths)
    qtbot.waitUntil(lambda: w.model_picker.count() > 0, timeout=5000)
    target = w.models_dir / "copied-by-hand.gguf"
    shutil.copy(tiny_model, target)
    qtbot.waitUntil(lambda: w.model_picker.findData(str(target)) >= 0, timeout=10_000)
    w.close()


def test_the_picker_shows_a_load_under_way_then_ready_or_failed(qtbot, data_paths, tiny_model, tmp_path):
    from localchat.gui.model_picker import ModelState

    w = make_window(qtbot, data_paths)
    picker = w.model_picker
    with qtbot.waitSignal(w.model_ready, timeout=30_000):
        w.load_model(tiny_model)
        assert picker.state is ModelState.LOADING and picker.progress.isVisibleTo(w)
    assert picker.state is ModelState.READY and not picker.progress.isVisibleTo(w)
    assert not picker.itemIcon(picker.currentIndex()).isNull() and "tiny" in picker.toolTip()
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(b"GGUF" + b"\0" * 64)
    with qtbot.waitSignal(w.model_load_failed, timeout=30_000):
        w.load_model(broken)
    assert picker.state is ModelState.FAILED and "broken.gguf" in picker.toolTip()
    assert picker.currentData() == str(broken) and not picker.itemIcon(picker.currentIndex()).isNull()
    w.close()


def test_an_embedding_model_in_the_folder_is_not_offered_for_chat(qtbot, data_paths, tiny_model):
    w = make_window(qtbot, data_paths)
    qtbot.waitUntil(lambda: w.model_picker.count() > 0, timeout=5000)
    embedder = w.models_dir / "all-minilm-l6-v2-f16.gguf"  # as the documents' demo embedder is named
    chat = w.models_dir / "another-chat-model.gguf"
    shutil.copy(tiny_model, embedder)
    shutil.copy(tiny_model, chat)
    qtbot.waitUntil(lambda: w.model_picker.findData(str(chat)) >= 0, timeout=10_000)
    assert w.model_picker.findData(str(embedder)) < 0
    w.close()
