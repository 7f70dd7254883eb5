"""The window's API request log: each request listed, its contents only when kept."""

from concurrent.futures import ThreadPoolExecutor

import openai
import pytest
from PySide6.QtWidgets import QMainWindow

from localchat.core.inference.worker import InferenceWorker, LoadJob
from localchat.core.settings import ApiServerOptions
from localchat.gui.api_server import ApiServerControl

WAIT = 30


@pytest.fixture
def worker(tiny_model):
    worker = InferenceWorker(batch_seconds=0).start()
    assert worker.submit(LoadJob(str(tiny_model), n_ctx=512)).done.wait(WAIT)
    yield worker
    assert worker.stop(timeout=WAIT)


@pytest.fixture
def control(qtbot, worker):
    window = QMainWindow()
    qtbot.addWidget(window)
    control = ApiServerControl(worker, parent=window)
    control.install(window.statusBar())
    window.show()
    yield control
    control.shutdown()


def serve(qtbot, control, tmp_path, log_contents):
    control.apply(ApiServerOptions("127.0.0.1", 0, None, (), tmp_path, log_contents))
    qtbot.waitUntil(lambda: control.server is not None, timeout=WAIT * 1000)
    return openai.OpenAI(base_url=control.server.base_url, api_key="unused", max_retries=0, timeout=WAIT)


def ask(client, text):
    with ThreadPoolExecutor(1) as pool:  # the GUI thread keeps turning while the client waits
        return pool.submit(lambda: client.chat.completions.create(
            model="tiny-chat", max_tokens=6, temperature=0,
            messages=[{"role": "user", "content": text}]).choices[0].message.content)


def test_each_api_request_shows_in_the_log_without_its_contents(qtbot, control, tmp_path):
    client = serve(qtbot, control, tmp_path, log_contents=False)
    assert control.log_button.isVisibleTo(control.parent())
    ask(client, "first").result(WAIT)
    ask(client, "second").result(WAIT)
    qtbot.waitUntil(lambda: len(control.entries) == 2, timeout=WAIT * 1000)  # read by the poll timer
    dialog = control.show_log()
    table = dialog.table
    assert table.rowCount() == 2
    row = [table.item(0, c).text() for c in range(table.columnCount())]
    assert row[1:4] == ["POST /v1/chat/completions", "200", "tiny-chat"]
    assert row[4].endswith("→ 6")
    table.selectRow(0)
    assert dialog.details.toPlainText() == ""
    assert "not kept" in dialog.details.placeholderText()


def test_with_contents_kept_the_selected_request_shows_its_messages_and_reply(qtbot, control, tmp_path):
    client = serve(qtbot, control, tmp_path, log_contents=True)
    reply = ask(client, "what is in the log?").result(WAIT)
    qtbot.waitUntil(lambda: len(control.entries) == 1, timeout=WAIT * 1000)
    dialog = control.show_log()
    dialog.table.selectRow(0)
    assert dialog.details.toPlainText() == f"user: what is in the log?\n\nassistant: {reply}"


def test_the_log_outlives_a_restart_of_the_server(qtbot, control, tmp_path):
    client = serve(qtbot, control, tmp_path, log_contents=False)
    ask(client, "before").result(WAIT)
    qtbot.waitUntil(lambda: control.server.request_log.added == 1, timeout=WAIT * 1000)
    control.apply(None)
    qtbot.waitUntil(lambda: control.server is None and control.state.value == "off", timeout=WAIT * 1000)
    assert len(control.entries) == 1  # taken when the server stopped
    client = serve(qtbot, control, tmp_path, log_contents=False)
    ask(client, "after").result(WAIT)
    qtbot.waitUntil(lambda: len(control.entries) == 2, timeout=WAIT * 1000)
    assert control.show_log().table.rowCount() == 2
