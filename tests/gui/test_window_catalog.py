"""The window's catalog: shown at once from the disk while the catalog server has not answered;
a newer signed catalog reaches the window once it is adopted in the background."""

import copy
import json
import threading

import pytest

from localchat.core.models import catalog_update as cu
from localchat.core.models.catalog import shipped_catalog_text
from localchat.core.models.catalog_update import CatalogOrigin, UpdateOutcome
from localchat.gui.main_window import MainWindow
from tests.catalog_server import CatalogServer, Signer, catalog_bytes

SIGNER = Signer()


@pytest.fixture
def server(monkeypatch):
    monkeypatch.setattr(cu, "TRUSTED_KEYS", (SIGNER.public,))
    s = CatalogServer()
    monkeypatch.setenv(cu.ENV_CATALOG_URL, s.url())
    yield s
    s.stop()


def test_the_window_shows_before_the_catalog_server_answers(qtbot, server, data_paths):
    models = json.loads(shipped_catalog_text())["models"]
    added = copy.deepcopy(models[0])
    added.update(id="brand-new-q4_0")
    added["file"].update(filename="brand-new.gguf", sha256="ab" * 32)
    data = catalog_bytes([*models, added])
    server.publish(data, SIGNER.sign(data))
    server.hold()
    w = MainWindow(data_paths, install_demo=False, welcome=False)
    qtbot.addWidget(w)
    w.show()
    try:
        # the check starts once the window is up, and waits on the server while the window works
        qtbot.waitUntil(server.arrived.is_set, timeout=30_000)
        assert any(t.name == "catalog-refresh" and t.is_alive() for t in threading.enumerate())
        assert w.isVisible() and w.catalog_state.origin is CatalogOrigin.SHIPPED
        assert w.catalog.get("brand-new-q4_0") is None and len(w.catalog) == len(models)
    finally:
        server.release()
    with qtbot.waitSignal(w.catalog_refresher.updated, timeout=30_000) as done:
        pass
    assert done.args[0].outcome is UpdateOutcome.ADOPTED
    assert w.catalog.get("brand-new-q4_0") is not None
    w.close()


def test_the_model_manager_shows_the_catalog_in_use_and_marks_its_new_models_until_seen(qtbot, server,
                                                                                       data_paths):
    models = json.loads(shipped_catalog_text())["models"]
    added = copy.deepcopy(models[0])
    added.update(id="brand-new-q4_0", name="Brand New")
    added["file"].update(filename="brand-new.gguf", sha256="ab" * 32)
    data = catalog_bytes([*models, added])
    server.publish(data, SIGNER.sign(data))
    w = MainWindow(data_paths, install_demo=False, welcome=False)
    qtbot.addWidget(w)
    w.show()
    try:
        with qtbot.waitSignal(w.catalog_refresher.updated, timeout=30_000):
            pass
        manager = w.open_model_manager()
        status = manager.catalog_status
        assert status.date.text().endswith(", downloaded")
        assert status.new.isVisible() and status.new.text() == "1 new model"
        # the cards come once this machine is measured (seconds; longer on a busy machine)
        qtbot.waitUntil(lambda: "brand-new-q4_0" in manager.catalog.cards, timeout=120_000)
        assert not manager.catalog.cards["brand-new-q4_0"].new_label.isHidden()  # on its card, marked
        assert manager.catalog.cards[models[0]["id"]].new_label.isHidden()
        manager.close()  # seen: no longer new
        qtbot.waitUntil(lambda: not cu.current_catalog(data_paths).new_ids, timeout=30_000)
    finally:
        w.close()
