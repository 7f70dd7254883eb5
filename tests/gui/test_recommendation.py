"""The first-start recommendation dialog: the best model for this machine on top, the models
that fit below it, and a click that names the one to download."""

import re

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QMessageBox

from localchat.cli.main import main
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.hardware import Hardware
from localchat.core.models.catalog import load_catalog
from localchat.core.models.fit import FitLevel, MemoryBudget
from localchat.core.models.recommend import rank_models
from localchat.core.units import GIB
from localchat.gui.download_worker import DownloadCenter
from localchat.gui.model_manager import ModelManager
from localchat.gui.recommendation import SHOWN, RecommendationDialog

CATALOG = load_catalog()


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
    assert dialog.headline.text() == best.headline
    assert dialog.headline.text().endswith("you have 12.0 GiB free")
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


def test_start_checks_this_machine_off_the_gui_thread(qtbot):
    dialog = RecommendationDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.ranking_shown, timeout=30000) as shown:
        dialog.start(CATALOG)
    assert shown.args[0] > 0  # this test machine fits some model
    assert dialog.machine.text().startswith("This computer: ") and "GiB RAM" in dialog.machine.text()


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
    qtbot.waitUntil(lambda: manager.catalog.table.rowCount() == len(CATALOG), timeout=30000)
    table = manager.catalog.table
    in_manager = {row.model_id: table.item(i, 3).text() for i, row in enumerate(manager.rows)}
    QThreadPool.globalInstance().waitForDone(30000)
    center.close()

    assert main(["models", "list"]) == 0
    columns = [re.split(r"\s{2,}", line) for line in capsys.readouterr().out.splitlines()]
    in_terminal = {c[0]: c[3] for c in columns[1:]}

    assert in_dialog[EXACT] == in_manager[EXACT] == in_terminal[EXACT] == "3.8 GiB"
    assert in_dialog[ESTIMATED] == in_manager[ESTIMATED] == in_terminal[ESTIMATED] == "~4.1 GiB"
