"""The Model Manager window, with real downloads from the local Hub server."""

from __future__ import annotations

import json
import shutil
import threading

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QThreadPool, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from localchat.core.downloads.events import DownloadProgress, JobState, RetryPolicy
from localchat.core.downloads.hub import RemoteFile
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.hardware import Hardware
from localchat.core.models.catalog import Catalog, parse_catalog
from localchat.core.models.fit import fit_model
from localchat.core.models.gguf import read_local
from localchat.core.testing.tiny_model import ModelShape, write_tiny_gguf
from localchat.gui.download_worker import DownloadCenter, DownloadIndicator
from localchat.gui.model_manager import ModelManager
from tests.hf_home import use_hf_home
from tests.hub_server import TOKEN, HubServer, sha256_of

REPO, FILE = "acme/Tiny-Chat-GGUF", "tiny-chat-Q4_K_M.gguf"
T = 30_000  # ms: a bound for waits, never a delay


@pytest.fixture
def hub(tiny_model, tiny_base_model):
    with HubServer() as server:
        server.add_file(REPO, FILE, tiny_model, downloads=500, likes=1)
        server.add_file(REPO, "tiny-chat-Q8_0.gguf", tiny_base_model)
        server.add_file("bob/tiny-liked-GGUF", "liked-IQ4_XS.gguf", tiny_base_model, downloads=3, likes=40)
        yield server


GIB = 1024 ** 3
LAPTOP = Hardware(total_ram=16 * GIB, available_ram=12 * GIB, physical_cores=4, logical_cores=8)


def catalog_entry(entry_id: str, name: str, repo: str, filename: str, params_b: float, size: int | None,
                  sha256: str | None, layers: int, embedding: int, vocab: int) -> dict:
    return {"id": entry_id, "name": name, "quant": "Q4_K_M", "kind": "chat", "params_b": params_b,
            "license": "mit", "description": f"{name} for tests.", "homepage": f"https://huggingface.co/{repo}",
            "file": {"repo_id": repo, "filename": filename, "size_bytes": size, "sha256": sha256},
            "architecture": {"family": "llama", "layers": layers, "embedding": embedding,
                             "feed_forward": embedding * 2, "heads": 4, "kv_heads": 2, "head_dim": embedding // 4,
                             "vocab": vocab, "context": 2048},
            "defaults": {"context": 512, "temperature": 0.7}}


def catalog_for(hub) -> Catalog:
    """A real catalog: the tiny model on the local Hub, and a 70B model no laptop holds."""
    served = hub.repos[REPO].files[FILE]
    return parse_catalog(json.dumps({"schema": 1, "models": [
        catalog_entry("tiny-chat", "Tiny Chat", REPO, FILE, 0.01, served.size, served.sha256, 2, 64, 400),
        catalog_entry("huge-70b", "Huge 70B", "acme/Huge-GGUF", "huge-Q4_K_M.gguf", 70, None, None,
                      80, 8192, 32000),
    ]}))


@pytest.fixture
def center(data_paths, hub):
    queue = DownloadQueue.for_paths(data_paths, endpoint=hub.endpoint, token=False, timeout=5,
                                    retry=RetryPolicy(attempts=2, base_delay=0.01), progress_interval=0)
    center = DownloadCenter(queue)
    yield center
    center.close()


@pytest.fixture
def manager(qtbot, center, hub):
    window = ModelManager(center, catalog=catalog_for(hub), hardware=LAPTOP, endpoint=hub.endpoint)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: "tiny-chat" in window.catalog.controls, timeout=T)
    yield window
    QThreadPool.globalInstance().waitForDone(T)  # no result may land on a deleted window
    QApplication.processEvents()


def click(qtbot, controls, name: str) -> None:
    button = controls.buttons[name]
    assert not button.isHidden(), f"{name} is hidden"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def shown(button) -> bool:
    return not button.isHidden()


def test_catalog_tabs_show_each_model_as_a_card(manager):
    cards = manager.catalog.cards
    tiny, huge = cards["tiny-chat"], cards["huge-70b"]
    assert tiny.title.text() == "Tiny Chat" and tiny.badge.text() == "Fits"
    assert tiny.description.text() == "Tiny Chat for tests."
    facts = tiny.facts.text()
    for part in ("0.01B parameters", "Q4_K_M", "mit", "download", "needs ", "at 512 tokens", "tokens/s"):
        assert part in facts, part
    assert huge.badge.text() == "Too big" and "GiB" in huge.badge.toolTip(), "the reason is on hover"
    assert "tokens/s" not in huge.facts.text(), "no speed for a model that cannot run here"
    assert shown(tiny.controls.buttons["Download"]) and not shown(tiny.controls.buttons["Load"])
    assert list(manager.recommended.cards) == ["tiny-chat"]
    assert "This computer: 16.0 GiB RAM" in manager.machine_line.text()


def test_cards_filter_and_sort(manager):
    tab = manager.catalog
    assert list(tab.cards) == ["tiny-chat", "huge-70b"]  # quality: what fits first
    tab.filter.setCurrentText("Fits this computer")
    assert list(tab.cards) == ["tiny-chat"]
    tab.filter.setCurrentText("Embedding")
    assert list(tab.cards) == []
    tab.filter.setCurrentText("All models")
    tab.sort.setCurrentText("Size")
    assert list(tab.cards) == ["tiny-chat", "huge-70b"]
    tab.sort.setCurrentText("Speed")
    assert list(tab.cards)[0] == "tiny-chat"
    assert [r.model_id for r in tab.shown_rows()] == list(tab.cards)


def test_an_installed_card_loads_its_model(qtbot, manager, center, data_paths):
    controls = manager.catalog.controls["tiny-chat"]
    with qtbot.waitSignal(center.installed, timeout=T):
        click(qtbot, controls, "Download")
    qtbot.waitUntil(lambda: shown(controls.buttons["Load"]), timeout=T)
    with qtbot.waitSignal(manager.load_requested, timeout=T) as asked:
        click(qtbot, controls, "Load")
    assert asked.args == [data_paths.models / FILE]


def test_pause_and_resume_through_the_window(qtbot, manager, center, hub, data_paths):
    served = hub.repos[REPO].files[FILE]
    served.faults.hold_at = served.size // 2
    manager.show()
    controls = manager.recommended.controls["tiny-chat"]
    assert shown(controls.buttons["Download"])

    click(qtbot, controls, "Download")
    key = RemoteFile(REPO, FILE).key
    qtbot.waitUntil(lambda: (center.job(key).downloaded > 0
                             and shown(controls.buttons["Pause"])), timeout=T)
    click(qtbot, controls, "Pause")
    hub.release()
    qtbot.waitUntil(lambda: controls.state == JobState.PAUSED, timeout=T)
    assert controls.status.text().startswith("Paused (")
    assert shown(controls.buttons["Resume"]) and not shown(controls.buttons["Pause"])
    assert not (data_paths.models / FILE).exists()

    with qtbot.waitSignal(center.installed, timeout=T) as installed:
        click(qtbot, controls, "Resume")
    assert installed.args[0] == data_paths.models / FILE
    assert sha256_of(data_paths.models / FILE) == served.sha256
    assert hub.gets(served)[-1].range.startswith("bytes=")
    qtbot.waitUntil(lambda: controls.status.text() == "Installed", timeout=T)
    assert manager.catalog.controls["tiny-chat"].status.text() == "Installed"
    qtbot.waitUntil(lambda: [m.path.name for m in manager.installed.models] == [FILE], timeout=T)


def test_cancel_through_the_window_keeps_the_partial_and_discard_drops_it(qtbot, manager, center, hub, data_paths):
    served = hub.repos[REPO].files[FILE]
    served.faults.hold_at = served.size // 2
    manager.show()
    manager.tabs.setCurrentWidget(manager.catalog)
    controls = manager.catalog.controls["tiny-chat"]
    click(qtbot, controls, "Download")
    key = RemoteFile(REPO, FILE).key
    qtbot.waitUntil(lambda: center.job(key).downloaded > 0 and shown(controls.buttons["Cancel"]), timeout=T)
    click(qtbot, controls, "Cancel")
    hub.release()

    qtbot.waitUntil(lambda: controls.state == JobState.CANCELLED, timeout=T)
    assert controls.status.text().startswith("Cancelled (")
    assert list(data_paths.downloads.glob("*.part"))
    assert not manager.downloads.isHidden() and key in manager.downloads.rows
    click(qtbot, controls, "Delete")
    qtbot.waitUntil(lambda: shown(controls.buttons["Download"]), timeout=T)
    assert not list(data_paths.downloads.glob("*.part"))
    assert not list(data_paths.models.glob("*.gguf"))


def test_closing_the_window_keeps_the_download_running(qtbot, manager, center, hub, data_paths):
    served = hub.repos[REPO].files[FILE]
    served.faults.hold_at = served.size // 2
    indicator = DownloadIndicator(center)
    qtbot.addWidget(indicator)
    manager.show()
    click(qtbot, manager.catalog.controls["tiny-chat"], "Download")
    qtbot.waitUntil(lambda: not indicator.isHidden(), timeout=T)
    assert indicator.label.text().startswith("1 download")

    manager.close()
    with qtbot.waitSignal(center.installed, timeout=T):
        hub.release()
    assert (data_paths.models / FILE).is_file()
    qtbot.waitUntil(indicator.isHidden, timeout=T)


def test_search_shows_gguf_repos_sorted_by_downloads_or_likes(qtbot, manager):
    tab = manager.search
    tab.query.setText("tiny")
    with qtbot.waitSignal(tab.results_shown, timeout=T):
        qtbot.mouseClick(tab.search_button, Qt.MouseButton.LeftButton)
    assert tab.result_repos() == [REPO, "bob/tiny-liked-GGUF"]

    with qtbot.waitSignal(tab.results_shown, timeout=T):
        tab.sort.setCurrentText("Most liked")
    assert tab.result_repos() == ["bob/tiny-liked-GGUF", REPO]


def test_a_repo_lists_its_files_and_one_downloads_from_there(qtbot, manager, center, data_paths, hub):
    tab = manager.search
    with qtbot.waitSignal(tab.files_shown, timeout=T) as shown:
        tab.open_repo(REPO)
    assert shown.args == [REPO, 2]
    rows = {tab.files.item(r, 0).text(): (tab.files.item(r, 1).text(), tab.files.item(r, 2).text())
            for r in range(tab.files.rowCount())}
    assert rows[FILE][0] == "Q4_K_M" and rows["tiny-chat-Q8_0.gguf"][0] == "Q8_0"
    assert rows[FILE][1].endswith("KiB") or rows[FILE][1].endswith("MiB")

    with qtbot.waitSignal(center.installed, timeout=T):
        click(qtbot, tab.controls["tiny-chat-Q8_0.gguf"], "Download")
    assert sha256_of(data_paths.models / "tiny-chat-Q8_0.gguf") == \
        hub.repos[REPO].files["tiny-chat-Q8_0.gguf"].sha256


def test_each_file_of_a_repo_gets_a_fit_verdict_from_its_header(qtbot, center, hub, tiny_model, tmp_path,
                                                                monkeypatch):
    bigger = write_tiny_gguf(tmp_path / "bigger.gguf", ModelShape(n_layer=2, n_embd=256, n_ff=512))
    hub.add_file("acme/Two-Sizes-GGUF", "two-Q4_K_M.gguf", tiny_model)
    hub.add_file("acme/Two-Sizes-GGUF", "two-F32.gguf", bigger)
    # a machine whose memory limit lies between what the two need: one is tight, one too big
    small, large = (fit_model(read_local(p), LAPTOP).estimate.ram_bytes for p in (tiny_model, bigger))
    total = int((small + large) / 2 / 0.85)
    machine = Hardware(total_ram=total, available_ram=total, physical_cores=2, logical_cores=2)
    window = ModelManager(center, hardware=machine, endpoint=hub.endpoint)
    qtbot.addWidget(window)
    verdicts = {}
    window.search.verdict_shown.connect(lambda name, badge: verdicts.__setitem__(name, badge))

    window.search.open_repo("acme/Two-Sizes-GGUF")
    qtbot.waitUntil(lambda: len(verdicts) == 2, timeout=T)
    table = window.search.files
    cells = {table.item(r, 0).text(): (table.item(r, 3).text(), table.item(r, 3).toolTip())
             for r in range(table.rowCount())}
    assert cells["two-Q4_K_M.gguf"][0] == "Tight" and cells["two-F32.gguf"][0] == "Too big"
    assert cells["two-F32.gguf"][1], "the reason shows on hover"
    speeds = {table.item(r, 0).text(): table.item(r, 4) for r in range(table.rowCount())}
    assert speeds["two-Q4_K_M.gguf"].text().endswith(" tokens/s"), "each quantization: its speed here"
    assert "for a 1,000-token prompt" in speeds["two-Q4_K_M.gguf"].toolTip()
    assert speeds["two-F32.gguf"].text() == ""

    questions = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    click(qtbot, window.search.controls["two-F32.gguf"], "Download")
    assert len(questions) == 1 and questions[0].startswith("two-F32.gguf: Too big for this computer")
    assert center.job(RemoteFile("acme/Two-Sizes-GGUF", "two-F32.gguf").key) is None
    with qtbot.waitSignal(center.installed, timeout=T):  # a tight one is not asked about
        click(qtbot, window.search.controls["two-Q4_K_M.gguf"], "Download")
    assert len(questions) == 1
    QThreadPool.globalInstance().waitForDone(T)


def answer_questions(monkeypatch, reply) -> list[str]:
    """Answer every QMessageBox.question with ``reply``; returns the texts asked."""
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda parent, title, text, *a, **k: asked.append(text) or reply)
    return asked


def test_a_catalog_model_too_big_for_this_computer_downloads_only_after_a_yes(qtbot, manager, center,
                                                                              monkeypatch):
    huge = manager.catalog.controls["huge-70b"]
    key = RemoteFile("acme/Huge-GGUF", "huge-Q4_K_M.gguf").key
    questions = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    click(qtbot, huge, "Download")
    (question,) = questions
    assert question.startswith("Huge 70B: Too big for this computer") and "16.0 GiB in all" in question
    assert question.endswith("Download it anyway?")
    assert center.job(key) is None and shown(huge.buttons["Download"])

    questions = answer_questions(monkeypatch, QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(center.failed, timeout=T):  # it starts (the test Hub has no such file)
        click(qtbot, huge, "Download")
    assert len(questions) == 1 and center.job(key) is not None

    questions = answer_questions(monkeypatch, QMessageBox.StandardButton.No)
    with qtbot.waitSignal(center.installed, timeout=T):
        click(qtbot, manager.recommended.controls["tiny-chat"], "Download")
    assert questions == [], "a model that fits downloads at once"


def test_a_gated_model_says_how_to_add_a_token_and_then_downloads(qtbot, manager, center, hub, data_paths,
                                                                   tmp_path, monkeypatch):
    token_file = use_hf_home(monkeypatch, tmp_path / "hf")
    hub.repos[REPO].gated = True
    controls = manager.catalog.controls["tiny-chat"]
    with qtbot.waitSignal(center.failed, timeout=T) as failed:
        click(qtbot, controls, "Download")
    assert "gated" in failed.args[1] and "HF_TOKEN" in failed.args[1]
    qtbot.waitUntil(lambda: controls.state == JobState.FAILED, timeout=T)
    assert "gated" in controls.status.text() and "HF_TOKEN" in controls.status.toolTip()
    assert controls.buttons["Resume"].text() == "Retry"

    with qtbot.waitSignal(manager.token_changed, timeout=T):
        manager.set_token(TOKEN)
    assert token_file.read_text() == TOKEN, "kept where `hf auth login` keeps it"
    assert TOKEN not in (data_paths.settings.read_text() if data_paths.settings.exists() else "")
    with qtbot.waitSignal(center.installed, timeout=T):
        click(qtbot, controls, "Resume")
    assert (data_paths.models / FILE).is_file()


def test_the_token_field_shows_the_saved_token_and_empty_forgets_it(qtbot, manager, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QInputDialog

    token_file = use_hf_home(monkeypatch, tmp_path / "hf")
    token_file.parent.mkdir()
    token_file.write_text("hf_from_hf_auth_login\n")  # as `hf auth login` leaves it
    asked = []

    def answer(parent, title, label, echo, text):
        asked.append((label, text))
        return "", True

    monkeypatch.setattr(QInputDialog, "getText", answer)
    manager.ask_token()
    assert asked[0][1] == "hf_from_hf_auth_login" and "hf auth login" in asked[0][0]
    assert not token_file.exists(), "an empty field forgets the token"

    monkeypatch.setenv("HF_TOKEN", "hf_env")
    manager.ask_token()
    assert "HF_TOKEN is set" in asked[1][0] and asked[1][1] == "", "HF_TOKEN is never shown or kept"
    assert not token_file.exists()


def test_not_enough_disk_space_is_shown_in_the_row(qtbot, manager, center):
    center.queue.disk_free = lambda path: 1
    controls = manager.catalog.controls["tiny-chat"]
    with qtbot.waitSignal(center.failed, timeout=T):
        click(qtbot, controls, "Download")
    qtbot.waitUntil(lambda: "Not enough disk space" in controls.status.text(), timeout=T)


def test_installed_tab_lists_sideloaded_files_and_deletes_after_asking(qtbot, manager, center, data_paths,
                                                                      tiny_model, monkeypatch):
    shutil.copyfile(tiny_model, data_paths.models / "by-hand.gguf")
    tab = manager.installed
    with qtbot.waitSignal(tab.refreshed, timeout=T):
        tab.refresh()
    assert [m.name for m in tab.models] == ["by-hand"]
    assert "sideloaded" in tab.table.item(0, 2).text()

    tab.table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    tab.delete_selected()
    assert (data_paths.models / "by-hand.gguf").exists()

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(tab.refreshed, timeout=T) as refreshed:
        tab.delete_selected()
    assert refreshed.args == [0]
    assert not (data_paths.models / "by-hand.gguf").exists()


def test_dropping_a_gguf_file_adds_it(qtbot, manager, data_paths, tiny_model, tmp_path):
    source = tmp_path / "dropped.gguf"
    shutil.copyfile(tiny_model, source)
    tab = manager.installed
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(source))])
    event = QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(tab.refreshed, timeout=T):
        tab.dropEvent(event)
    assert [m.name for m in tab.models] == ["dropped"]
    assert tab.table.item(0, 2).text() == "local file"


def test_dropping_something_that_is_not_a_model_says_why(qtbot, manager, data_paths, tmp_path):
    bogus = tmp_path / "fake.gguf"
    bogus.write_bytes(b"not a model")
    tab = manager.installed
    with qtbot.waitSignal(tab.message_shown, timeout=T,
                          check_params_cb=lambda text: "not a GGUF" in text):
        tab.import_files([bogus])
    assert not list(data_paths.models.glob("*.gguf"))


def test_deleting_from_the_catalog_row_asks_then_removes_the_file(qtbot, manager, center, data_paths, monkeypatch):
    controls = manager.catalog.controls["tiny-chat"]
    with qtbot.waitSignal(center.installed, timeout=T):
        click(qtbot, controls, "Download")
    qtbot.waitUntil(lambda: shown(controls.buttons["Delete"]), timeout=T)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    click(qtbot, controls, "Delete")

    qtbot.waitUntil(lambda: shown(controls.buttons["Download"]), timeout=T)
    assert not (data_paths.models / FILE).exists()


def test_a_download_interrupted_in_an_earlier_session_shows_up_and_resumes(qtbot, data_paths, hub):
    served = hub.repos[REPO].files[FILE]
    served.faults.hold_at = served.size // 2
    earlier = DownloadQueue.for_paths(data_paths, endpoint=hub.endpoint, token=False, progress_interval=0)
    key = RemoteFile(REPO, FILE).key
    started = threading.Event()
    earlier.subscribe(lambda e: started.set() if isinstance(e, DownloadProgress) else None)
    earlier.add(RemoteFile(REPO, FILE))
    assert started.wait(T / 1000)
    earlier.close(timeout=0)  # the app quits mid-download
    hub.release()
    earlier.wait(key, timeout=T / 1000)

    center = DownloadCenter(DownloadQueue.for_paths(data_paths, endpoint=hub.endpoint, token=False))
    window = ModelManager(center, endpoint=hub.endpoint)
    qtbot.addWidget(window)
    row = window.downloads.rows[key]
    assert not window.downloads.isHidden()
    assert row.status.text().startswith("Paused (") and shown(row.buttons["Resume"])
    with qtbot.waitSignal(center.installed, timeout=T):
        click(qtbot, row, "Resume")
    assert sha256_of(data_paths.models / FILE) == served.sha256
    assert hub.gets(served)[-1].range not in (None, "bytes=0-")
    QThreadPool.globalInstance().waitForDone(T)
    center.close()


def test_search_when_the_hub_cannot_be_reached_says_so(qtbot, center, monkeypatch):
    from types import SimpleNamespace

    from huggingface_hub.utils import _http

    monkeypatch.setattr(_http, "time", SimpleNamespace(sleep=lambda seconds: None))  # its retry pauses
    window = ModelManager(center, endpoint="http://127.0.0.1:9")
    qtbot.addWidget(window)
    window.search.query.setText("llama")
    with qtbot.waitSignal(window.search.failed, timeout=T) as failed:
        window.search.search()
    assert "offline" in failed.args[0]
    assert window.search.message.text() == failed.args[0]
    assert window.search.search_button.isEnabled(), "one can try again"
    QThreadPool.globalInstance().waitForDone(T)


def test_verify_in_the_installed_tab_reports_intact_or_damaged(qtbot, manager, center, data_paths):
    with qtbot.waitSignal(center.installed, timeout=T):
        click(qtbot, manager.catalog.controls["tiny-chat"], "Download")
    tab = manager.installed
    qtbot.waitUntil(lambda: len(tab.models) == 1, timeout=T)
    tab.table.selectRow(0)
    with qtbot.waitSignal(tab.message_shown, timeout=T, check_params_cb=lambda text: "intact" in text):
        tab.verify_selected()

    path = data_paths.models / FILE
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with qtbot.waitSignal(tab.message_shown, timeout=T, check_params_cb=lambda text: "damaged" in text):
        tab.verify_selected()


def test_a_new_models_folder_shows_at_once_and_takes_the_next_download(qtbot, manager, center, data_paths,
                                                                       tmp_path, tiny_model):
    """What Settings does when the models folder changes: the Installed tab lists the new
    folder, and a download lands there."""
    new = tmp_path / "other-models"
    new.mkdir()
    shutil.copyfile(tiny_model, new / "already-there.gguf")
    tab, before = manager.installed, manager.catalog.controls["tiny-chat"]
    with qtbot.waitSignal(tab.refreshed, timeout=T):
        center.set_models_dir(new)
    assert [m.name for m in tab.models] == ["already-there"]

    qtbot.waitUntil(lambda: manager.catalog.controls["tiny-chat"] is not before, timeout=T)
    with qtbot.waitSignal(center.installed, timeout=T) as installed:
        click(qtbot, manager.catalog.controls["tiny-chat"], "Download")
    assert installed.args == [new / FILE] and not (data_paths.models / FILE).exists()
    qtbot.waitUntil(lambda: sorted(m.name for m in tab.models) == ["already-there", FILE[:-5]], timeout=T)
