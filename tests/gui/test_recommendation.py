"""The first-start recommendation dialog: the best model for this machine on top, the models
that fit below it, and a click that names the one to download."""

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtWidgets import QMessageBox

from localchat.cli.main import main
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.hardware import GPUInfo, Hardware, detect_hardware
from localchat.core.models.calibration import (
    calibration_path,
    load_calibration,
    load_calibration_file,
)
from localchat.core.models.catalog import load_catalog
from localchat.core.models.demo import SMOLLM2
from localchat.core.models.fit import FitLevel, MemoryBudget
from localchat.core.models.recommend import SpeedPreference, rank_models
from localchat.core.units import GIB
from localchat.gui.download_worker import DownloadCenter
from localchat.gui.model_manager import ModelManager
from localchat.gui.recommendation import SHOWN, RecommendationDialog, offer_switch

CATALOG = load_catalog()
CALIBRATIONS = Path(__file__).parents[1] / "core" / "fixtures" / "calibrations"
LAPTOP = Hardware(8 * GIB, 6 * GIB, 2, 2)
RTX4090 = GPUInfo("NVIDIA GeForce RTX 4090", "nvidia", 24 * GIB, 23 * GIB, "nvml", memory_bandwidth=1008e9)
GPU_DESKTOP = Hardware(32 * GIB, 27 * GIB, 8, 16, gpus=(RTX4090,), gpu_offload=True, backend="CUDA")


def ranked_for(total_gb: float, free_gb: float):
    return rank_models(CATALOG, MemoryBudget(int(total_gb * GIB), int(free_gb * GIB)))


def texts(dialog, column: int) -> list[str]:
    return [dialog.table.item(row, column).text() for row in range(dialog.table.rowCount())]


def test_shows_the_best_model_and_what_it_needs(qtbot):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    ranking = ranked_for(16, 12)
    dialog.show_ranking("16.0 GiB RAM (12.0 GiB free), 8 cores", ranking)
    best = ranking[0]
    assert dialog.headline.text().startswith(best.headline)
    assert "you have 12.0 GiB free" in dialog.headline.text()
    assert dialog.headline.text().endswith(f"{best.entry.size_text} download")
    assert dialog.download_button.text() == f"Download {best.entry.display_name} ({best.entry.size_text})"
    assert "16.0 GiB RAM" in dialog.machine.text()
    assert texts(dialog, 0)[0] == best.entry.display_name
    assert dialog.table.rowCount() == SHOWN
    assert "Too big" not in texts(dialog, 5)
    assert dialog.selected() is best and dialog.download_button.isEnabled()


def test_download_names_the_chosen_model(qtbot):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    ranking = ranked_for(8, 6)
    dialog.show_ranking("8 GB RAM", ranking)
    dialog.table.selectRow(2)
    with qtbot.waitSignal(dialog.model_chosen, timeout=2000) as chosen:
        dialog.download_button.click()
    assert chosen.args == [ranking[2].entry.id]
    assert dialog.result() == RecommendationDialog.DialogCode.Accepted


def test_double_click_downloads_too(qtbot):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    ranking = ranked_for(8, 6)
    dialog.show_ranking("8 GB RAM", ranking)
    with qtbot.waitSignal(dialog.model_chosen, timeout=2000) as chosen:
        dialog.table.cellDoubleClicked.emit(1, 0)
    assert chosen.args == [ranking[1].entry.id]


def test_when_nothing_fits_it_says_so_and_a_download_asks_first(qtbot, monkeypatch):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    ranking = ranked_for(1, 0.4)
    assert all(r.verdict.level is FitLevel.TOO_BIG for r in ranking)
    dialog.show_ranking("1 GB RAM", ranking)
    assert "No model in the catalog fits" in dialog.headline.text()
    assert set(texts(dialog, 5)) == {"Too big"}
    dialog.table.selectRow(0)
    questions = []

    def answer(reply):
        return lambda parent, title, text, *a, **k: questions.append(text) or reply

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    with qtbot.assertNotEmitted(dialog.model_chosen):
        dialog.download_button.click()
    assert dialog.result() != RecommendationDialog.DialogCode.Accepted
    (question,) = questions
    assert question.startswith(dialog.shown[0].entry.display_name) and "GiB" in question
    assert "Download it anyway?" in question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(dialog.model_chosen, timeout=2000) as chosen:
        dialog.download_button.click()
    assert chosen.args == [dialog.shown[0].entry.id]


def test_a_model_that_fits_downloads_without_a_question(qtbot, monkeypatch):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    dialog.show_ranking("16 GB RAM", ranked_for(16, 12))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked about a model that fits"))
    with qtbot.waitSignal(dialog.model_chosen, timeout=2000):
        dialog.download_button.click()


def test_start_measures_this_machine_in_the_background_once_and_keeps_it(qtbot, data_paths):
    """The first start measures memory bandwidth and the demo models (seconds) while the window
    keeps running; the next start reads what was kept."""
    ticks = []
    timer = QTimer(interval=20)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start()
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ranking_shown, timeout=30_000) as shown:
        dialog.start(CATALOG, data_root=data_paths.root)
        assert dialog.machine.text().startswith("Checking this computer")
    assert shown.args[0] > 0  # this test machine fits some model: shown at once, speeds estimated
    assert "reads memory at" not in dialog.machine.text()
    dialog.table.selectRow(1)  # the person's choice survives the measured ranking
    chosen = dialog.selected().entry.id
    qtbot.waitUntil(lambda: "reads memory at" in dialog.machine.text(), timeout=180_000)
    timer.stop()
    assert len(ticks) >= 5, "the event loop ran while the machine was measured"
    assert dialog.selected().entry.id == chosen
    text = dialog.machine.text()
    assert text.startswith("This computer: ") and "GiB RAM" in text and "reads memory at" in text
    kept = calibration_path(data_paths.root)
    assert load_calibration(kept, detect_hardware()).measured
    runnable = [r for r in dialog.shown if r.verdict.level is not FitLevel.TOO_BIG]
    assert runnable and all(r.speed_text.endswith("tokens/s") for r in runnable)
    assert dialog.why.text() and dialog.table.item(0, 6).text().endswith("tokens/s")

    stamp = kept.stat().st_mtime_ns
    again = RecommendationDialog()
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.ranking_shown, timeout=30_000):
        again.start(CATALOG, data_root=data_paths.root)
    assert kept.stat().st_mtime_ns == stamp, "measured once, then read"


def machine_ranking(name: str, hardware: Hardware):
    calibration = load_calibration_file(CALIBRATIONS / f"{name}.json")
    return rank_models(CATALOG, hardware, calibration=calibration)


def test_a_slow_machine_gets_a_model_that_writes_at_reading_speed_and_the_reason(qtbot):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    dialog.show_ranking("8.0 GiB RAM (6.0 GiB free), 2 cores", machine_ranking("laptop-2-cores", LAPTOP))
    best = dialog.best
    assert 3 <= best.entry.params_b < 4 and best.speed.decode_tps >= 8
    assert best.speed_text in dialog.headline.text() and best.entry.size_text in dialog.headline.text()
    assert dialog.why.text() == best.why and "larger models fit but would run under" in best.why
    assert dialog.selected().entry.id == best.entry.id and texts(dialog, 6)[0] == best.speed_text
    assert "for a 1,000-token prompt" in dialog.reason.text()

    dialog.preference.setCurrentIndex(dialog.preference.findData(SpeedPreference.QUALITY))
    assert dialog.best.entry.params_b > best.entry.params_b, "preferring quality moves the bar"
    assert dialog.selected().entry.id == dialog.best.entry.id


def test_a_gpu_machine_gets_the_most_capable_model_and_speed_did_not_decide(qtbot):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    dialog.show_ranking("32.0 GiB RAM, 8 cores, NVIDIA GeForce RTX 4090 24.0 GiB",
                        machine_ranking("desktop-rtx4090", GPU_DESKTOP))
    best = dialog.best
    assert best.entry.params_b >= 13 and best.verdict.runs_on == "GPU"
    assert "the most capable model that fits" in dialog.why.text()
    assert best.speed.decode_tps > 30


def test_chat_with_the_demo_model_now(qtbot):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    dialog.show_ranking("16.0 GiB RAM", ranked_for(16, 12))
    with qtbot.waitSignal(dialog.demo_chosen, timeout=2000), qtbot.assertNotEmitted(dialog.model_chosen):
        dialog.demo_button.click()
    assert dialog.result() == RecommendationDialog.DialogCode.Rejected


def test_a_finished_download_offers_to_switch_from_the_demo_model(monkeypatch):
    asked = []

    def answer(reply):
        return lambda parent, title, text, *a, **k: asked.append(text) or reply

    demo = f"/m/{SMOLLM2.filename}"
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    assert offer_switch(None, "/m/Llama-3.2-3B-Instruct-Q4_0.gguf", demo, "~14 tokens/s")
    assert asked[-1].startswith("Llama-3.2-3B-Instruct-Q4_0 is downloaded. It should write ~14 tokens/s")
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    assert not offer_switch(None, "/m/Llama-3.2-3B-Instruct-Q4_0.gguf", demo)
    assert len(asked) == 2
    assert not offer_switch(None, "/m/new.gguf", "/m/my-own-model.gguf"), "the person's own model stays"
    assert offer_switch(None, "/m/new.gguf", None), "nothing loaded: load it"
    assert len(asked) == 2


# -- one size, every view ------------------------------------------------------------------------------
EXACT, ESTIMATED = "nous-hermes-2-mistral-7b-dpo-q4_0", "mistral-7b-instruct-v0.2-q4_k_m"


def test_a_file_shows_the_same_size_here_in_the_model_manager_and_in_the_terminal(qtbot, data_paths, capsys):
    """4,108,928,000 bytes read "3.8 GiB" in every view; an estimated size is marked "~"."""
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    dialog.show_ranking("64.0 GiB RAM", rank_models([CATALOG.get(EXACT), CATALOG.get(ESTIMATED)],
                                                     MemoryBudget(64 * GIB, 64 * GIB)))
    in_dialog = {r.entry.id: dialog.table.item(row, 1).text() for row, r in enumerate(dialog.shown)}

    center = DownloadCenter(DownloadQueue.for_paths(data_paths, endpoint="http://127.0.0.1:9"))
    manager = ModelManager(center, catalog=CATALOG, hardware=Hardware(64 * GIB, 64 * GIB, 8, 8))
    qtbot.addWidget(manager)
    qtbot.waitUntil(lambda: len(manager.catalog.cards) == len(CATALOG), timeout=30000)
    cards = manager.catalog.cards
    download = re.compile(r"(~?[\d.]+ [GM]iB) download")
    in_manager = {i: download.search(c.facts.text()).group(1) for i, c in cards.items()}
    QThreadPool.globalInstance().waitForDone(30000)
    center.close()

    assert main(["models", "list"]) == 0
    columns = [re.split(r"\s{2,}", line) for line in capsys.readouterr().out.splitlines()]
    in_terminal = {c[0]: c[3] for c in columns[1:]}

    assert in_dialog[EXACT] == in_manager[EXACT] == in_terminal[EXACT] == "3.8 GiB"
    assert in_dialog[ESTIMATED] == in_manager[ESTIMATED] == in_terminal[ESTIMATED] == "~4.1 GiB"
