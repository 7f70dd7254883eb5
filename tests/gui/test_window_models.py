"""The main window with the model side: first-start recommendation, Model Manager, a model
downloaded from a (local) Hub loaded into the chat."""

from localchat.core.downloads.hub import RemoteFile
from localchat.gui.main_window import MainWindow
from tests.hub_server import HubServer, sha256_of

REPO, FILE = "localchat-test/tiny-chat-GGUF", "tiny-chat-Q4_0.gguf"


def test_first_start_recommends_models_once(qtbot, data_paths):
    w = MainWindow(data_paths, install_demo=False, welcome=True)
    qtbot.addWidget(w)
    qtbot.waitUntil(lambda: getattr(w, "welcome_dialog", None) is not None, timeout=5_000)
    # the ranking may arrive while waiting above: wait on its result, not on its signal
    qtbot.waitUntil(lambda: w.welcome_dialog.table.rowCount() > 0, timeout=30_000)
    assert w.welcome_dialog.isVisible() and w.welcome_dialog.headline.text()
    w.close()
    again = MainWindow(data_paths, install_demo=False, welcome=True)
    qtbot.addWidget(again)
    assert again.settings.first_start_done
    assert getattr(again, "welcome_dialog", None) is None
    again.close()


def test_a_downloaded_model_is_listed_and_loaded(qtbot, data_paths, tiny_model):
    with HubServer() as hub:
        hub.add_file(REPO, FILE, tiny_model)
        w = MainWindow(data_paths, install_demo=False, hub_endpoint=hub.endpoint)
        qtbot.addWidget(w)
        assert w.model_info is None
        manager = w.open_model_manager()
        assert manager.isVisible()
        with qtbot.waitSignal(w.model_ready, timeout=60_000) as ready:
            w.downloads.download([RemoteFile(REPO, FILE, "main", sha256_of(tiny_model), tiny_model.stat().st_size)])
        installed = data_paths.models / FILE
        assert installed.read_bytes() == tiny_model.read_bytes()
        assert ready.args[0].path == str(installed)
        qtbot.waitUntil(lambda: w.model_picker.findData(str(installed)) >= 0, timeout=5_000)
        w.close()


def test_a_catalog_model_starts_a_new_chat_with_its_authors_settings(qtbot, data_paths, tiny_model):
    """Loaded in the window, a catalog model is at the context it was recommended at, a new chat
    samples as its catalog entry says, and "Reset to the model's defaults" goes back there."""
    import shutil

    from PySide6.QtCore import Qt

    w = MainWindow(data_paths, install_demo=False)
    qtbot.addWidget(w)
    entry = next(e for e in w.catalog if e.kind == "chat" and e.sampling.given().get("temperature"))
    model = data_paths.models / entry.file.filename  # added by hand: known by its file name
    shutil.copy(tiny_model, model)
    with qtbot.waitSignal(w.model_ready, timeout=20_000) as ready:
        w.load_model(model)
    info = ready.args[0]
    wanted = entry.sampling.given()
    assert info.n_ctx == min(entry.default_context, info.n_ctx_train or entry.default_context)
    assert w.sampling.temperature == wanted["temperature"] != 0.7
    assert w.conversation_settings.temperature.value() == wanted["temperature"]
    w.sampling = w.sampling.with_(temperature=1.5, max_tokens=3)
    with qtbot.waitSignal(w.conversation_settings.changed, timeout=2_000):
        qtbot.mouseClick(w.conversation_settings.reset_button, Qt.MouseButton.LeftButton)
    assert w.sampling.temperature == wanted["temperature"]
    with qtbot.waitSignal(w.reply_finished, timeout=20_000):
        w.send("hello")
    assert w.store.conversation(w.conversation.id).sampling.temperature == wanted["temperature"]
    w.close()


def test_a_new_models_folder_gets_the_next_downloads(qtbot, data_paths, tmp_path, tiny_model):
    w = MainWindow(data_paths, install_demo=False)
    qtbot.addWidget(w)
    moved = tmp_path / "elsewhere"
    w.apply_settings(w.settings.with_(models_dir=str(moved)))
    assert w.downloads.queue.models_dir == moved
    with HubServer() as hub:
        hub.add_file(REPO, FILE, tiny_model)
        w.downloads.queue.endpoint = hub.endpoint
        with qtbot.waitSignal(w.model_ready, timeout=60_000) as ready:
            w.downloads.download([RemoteFile(REPO, FILE, "main", sha256_of(tiny_model), tiny_model.stat().st_size)])
    assert ready.args[0].path == str(moved / FILE) and (moved / FILE).exists()
    assert not (data_paths.models / FILE).exists()
    w.close()
