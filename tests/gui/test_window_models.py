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
