"""The catalog status widget and the background refresh, in a real offscreen window: the catalog
is shown at once while the server has not answered, a newer signed catalog shows its date and
"N new models", a refused one its reason, with the catalog in use kept."""

import copy
import json
import threading

import pytest
from PySide6.QtWidgets import QVBoxLayout, QWidget

from localchat.core.models import catalog_update as cu
from localchat.core.models.catalog import load_catalog, shipped_catalog_text
from localchat.core.models.catalog_update import CatalogOrigin, UpdateOutcome
from localchat.gui.catalog_status import CatalogRefresher, CatalogStatus, mark_looked, new_since_last_look
from tests.catalog_server import SIGNER, Signer, catalog_bytes

RAW = json.loads(shipped_catalog_text())["models"]
WAIT = 30_000

pytestmark = pytest.mark.usefixtures("trust_the_test_key")


@pytest.fixture
def server(catalog_server):
    return catalog_server


def with_new_models(*ids: str) -> list[dict]:
    models = copy.deepcopy(RAW)
    for entry_id in ids:
        added = copy.deepcopy(RAW[0])
        added.update(id=entry_id, name=entry_id.title())
        added["file"].update(filename=f"{entry_id}.gguf", sha256="ab" * 32)
        models.append(added)
    return models


def publish(server, models, signer=SIGNER, published="2030-01-01T00:00:00+00:00"):
    data = catalog_bytes(models, published)
    server.publish(data, signer.sign(data))


class Window(QWidget):
    """What the Model Manager does with the two: show the catalog now, refresh behind it."""

    def __init__(self, paths, url):
        super().__init__()
        self.status = CatalogStatus()
        QVBoxLayout(self).addWidget(self.status)
        self.refresher = CatalogRefresher(paths, self, url=url)
        self.state = self.refresher.current()
        self.status.show_state(self.state)
        self.refresher.updated.connect(self.status.show_update)
        self.status.check_requested.connect(lambda: self.refresher.start(force=True))
        self.refresher.start()


def test_the_catalog_shows_at_once_while_the_server_has_not_answered(qtbot, server, data_paths):
    publish(server, with_new_models("brand-new-one"))
    server.hold()
    window = Window(data_paths, server.url())
    qtbot.addWidget(window)
    window.show()
    try:
        assert server.arrived.wait(30)  # the refresh is waiting on the server, and yet:
        assert window.isVisible() and window.refresher.running
        # the check waits in a thread of its own, still unanswered, while the window shows the catalog
        assert any(t.name == "catalog-refresh" and t.is_alive() for t in threading.enumerate())
        assert window.state.origin is CatalogOrigin.SHIPPED and len(window.state.catalog) == len(RAW)
        assert window.status.date.text() == f"Catalog of {load_catalog().published_text}, shipped with localchat"
        assert window.status.new.isHidden()
    finally:
        server.release()
    with qtbot.waitSignal(window.refresher.updated, timeout=WAIT) as done:
        pass
    assert done.args[0].outcome is UpdateOutcome.ADOPTED
    assert window.status.date.text() == "Catalog of 1 January 2030, downloaded"
    assert window.status.new.text() == "1 new model" and window.status.new.isVisible()
    assert "Brand-New-One" in window.status.new.toolTip()


def test_the_server_down_at_start_shows_the_catalog_and_says_the_check_failed(qtbot, data_paths):
    window = Window(data_paths, "http://127.0.0.1:9/models.json")
    qtbot.addWidget(window)
    window.show()
    assert len(window.state.catalog) == len(RAW)  # never an empty list
    qtbot.waitUntil(lambda: window.status.note.isVisible(), timeout=WAIT)
    assert "Could not check for a newer catalog" in window.status.note.text()
    assert window.status.problem.isHidden()


def test_a_refused_download_shows_why_and_keeps_the_catalog(qtbot, server, data_paths):
    publish(server, with_new_models("first-new"))
    assert cu.update_catalog(data_paths, server.url()).outcome is UpdateOutcome.ADOPTED
    publish(server, with_new_models("first-new", "forged"), signer=Signer(seed=9),
            published="2031-01-01T00:00:00+00:00")
    window = Window(data_paths, server.url())
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.refresher.updated, timeout=WAIT) as first:
        pass
    assert first.args[0].outcome is UpdateOutcome.FRESH  # checked a moment ago: the server is not asked
    with qtbot.waitSignal(window.refresher.updated, timeout=WAIT) as second:
        window.status.check.click()  # the button forces the check
    assert second.args[0].outcome is UpdateOutcome.REJECTED
    assert window.status.problem.isVisible()
    assert "refused: The catalog's signature does not match it" in window.status.problem.text()
    assert window.status.date.text() == "Catalog of 1 January 2030, downloaded"
    state = window.refresher.current()
    assert state.catalog.get("forged") is None and state.catalog.get("first-new") is not None


def test_new_models_are_marked_until_the_person_has_looked(qtbot, server, data_paths):
    publish(server, with_new_models("new-a", "new-b"))
    assert cu.update_catalog(data_paths, server.url()).outcome is UpdateOutcome.ADOPTED
    status = CatalogStatus()
    qtbot.addWidget(status)
    state = cu.current_catalog(data_paths)
    assert new_since_last_look(state) == {"new-a", "new-b"}
    status.show_state(state)
    assert status.new.text() == "2 new models"
    mark_looked(data_paths, state)
    state = cu.current_catalog(data_paths)
    assert new_since_last_look(state) == frozenset()
    status.show_state(state)
    assert status.new.isHidden()
