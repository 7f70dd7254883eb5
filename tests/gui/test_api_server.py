"""The window serves the API from its own model and worker, as Settings → API server says."""

import socket
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest

from localchat.core.chat.stats import StopReason
from localchat.core.inference.worker import ReplyDelta, ReplyFinished
from localchat.core.settings import Settings, save_settings
from localchat.gui.main_window import MainWindow

WAIT = 30  # seconds: a bound for what takes milliseconds, never a pause
WAIT_MS = WAIT * 1000
HELLO = [{"role": "user", "content": "hello"}]


@pytest.fixture
def calls():
    """Blocking client calls run here, so the GUI thread keeps turning while they wait."""
    with ThreadPoolExecutor(4) as pool:
        yield pool


def open_window(qtbot, data_paths, **settings) -> MainWindow:
    save_settings(data_paths.settings, Settings(first_start_done=True, **settings))
    window = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def windows(qtbot, data_paths):
    opened = []

    def make(**settings):
        opened.append(open_window(qtbot, data_paths, **settings))
        return opened[-1]

    yield make
    for window in opened:
        if window.isVisible():  # one a test closed has closed for good
            window.close()


def load(qtbot, window, path):
    with qtbot.waitSignal(window.model_ready, timeout=20_000):
        window.load_model(path)


def serving(qtbot, window):
    qtbot.waitUntil(lambda: window.api_server.server is not None, timeout=WAIT_MS)
    return window.api_server.server


def client(server):
    return openai.OpenAI(base_url=server.base_url, api_key="unused", max_retries=0, timeout=WAIT)


def port_is_free(port: int) -> bool:
    sock = socket.socket()
    try:
        if sys.platform != "win32":  # as the server binds: a closed connection's TIME_WAIT is no owner
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False
    finally:
        sock.close()


class Hold:
    """Holds the worker at the first reply text of the window's next reply until ``release()``,
    and records the order replies finish in (on the worker's thread, where they end)."""

    def __init__(self, worker):
        self.job = None
        self.held = threading.Event()
        self._release = threading.Event()
        self.finished = []  # (job, stats) in the order the worker ended them
        self._unsubscribe = worker.subscribe(self)

    def __call__(self, event):
        if isinstance(event, ReplyFinished):
            self.finished.append((event.job, event.stats))
        if isinstance(event, ReplyDelta) and self.job is None:
            self.job = event.job
            self.held.set()
            assert self._release.wait(WAIT)

    def release(self):
        self._release.set()


@pytest.fixture
def hold_worker():
    """``hold_worker(worker)``: a Hold, let go at the end even when the test failed while holding."""
    holds = []

    def make(worker):
        holds.append(Hold(worker))
        return holds[-1]

    yield make
    for hold in holds:
        hold.release()


def test_with_the_setting_on_the_window_serves_its_loaded_model(qtbot, windows, tiny_model, calls):
    window = windows(api_server=True, api_port=0)
    server = serving(qtbot, window)
    load(qtbot, window, tiny_model)
    api = client(server)
    assert [m.id for m in calls.submit(api.models.list).result(WAIT).data] == ["tiny-chat"]
    reply = calls.submit(api.chat.completions.create, model="tiny-chat", messages=HELLO,
                         max_tokens=8, seed=1).result(WAIT)
    assert reply.choices[0].message.content and reply.usage.completion_tokens > 0
    assert server.base_url in window.api_server.status_label.text()
    assert window.api_server.status_label.isVisible()


def test_a_window_reply_and_an_api_request_take_turns_in_the_one_queue(qtbot, windows, tiny_model, calls,
                                                                       hold_worker):
    window = windows(api_server=True, api_port=0)
    server = serving(qtbot, window)
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=40, seed=2)
    hold = hold_worker(window.inference.worker)
    with qtbot.waitSignal(window.reply_finished, timeout=WAIT_MS) as window_reply:
        window.send("hi")
        assert hold.held.wait(WAIT)  # the window's reply holds the worker
        api_reply = calls.submit(client(server).chat.completions.create, model="tiny-chat",
                                 messages=HELLO, max_tokens=8, seed=1)
        qtbot.waitUntil(lambda: server.requests.in_flight == 1, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.api_server.status_label.text() == "1 API request waiting",
                        timeout=WAIT_MS)
        assert window.api_server.cancel_button.isVisible()
        hold.release()
    assert window_reply.args[0].stop_reason is StopReason.LENGTH, "the API request cut the window's reply"
    assert api_reply.result(WAIT).choices[0].message.content
    # the server's own subscriber may answer the client before this one hears the same event
    qtbot.waitUntil(lambda: len(hold.finished) == 2, timeout=WAIT_MS)
    assert [job for job, _ in hold.finished][0] is hold.job, "the API reply finished first"
    assert window.messages[-1].content == window.chat_view.last_bubble().item.text != ""
    qtbot.waitUntil(lambda: not window.api_server.cancel_button.isVisible(), timeout=WAIT_MS)
    assert window.api_server.status_label.text() == f"API: {server.base_url}"


def test_the_status_bar_counts_the_api_requests_running_and_waiting(qtbot, windows, tiny_model, calls,
                                                                    hold_worker):
    window = windows(api_server=True, api_port=0)
    server = serving(qtbot, window)
    load(qtbot, window, tiny_model)
    hold = hold_worker(window.inference.worker)
    api = client(server)
    replies = [calls.submit(api.chat.completions.create, model="tiny-chat", messages=HELLO, max_tokens=8,
                            seed=1)]
    assert hold.held.wait(WAIT)  # the first request holds the worker
    replies += [calls.submit(api.chat.completions.create, model="tiny-chat", messages=HELLO, max_tokens=8,
                             seed=1) for _ in range(2)]
    qtbot.waitUntil(lambda: window.api_server.status_label.text() == "API request running · 2 waiting",
                    timeout=WAIT_MS)
    hold.release()
    assert all(reply.result(WAIT).choices[0].message.content for reply in replies)
    qtbot.waitUntil(lambda: window.api_server.status_label.text() == f"API: {server.base_url}",
                    timeout=WAIT_MS)


def test_cancel_ends_the_api_requests_and_leaves_the_window_reply(qtbot, windows, tiny_model, calls,
                                                                  hold_worker):
    window = windows(api_server=True, api_port=0)
    server = serving(qtbot, window)
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=40, seed=2)
    hold = hold_worker(window.inference.worker)
    api = client(server)
    with qtbot.waitSignal(window.reply_finished, timeout=WAIT_MS) as window_reply:
        window.send("hi")
        assert hold.held.wait(WAIT)
        api_replies = [calls.submit(api.chat.completions.create, model="tiny-chat", messages=HELLO,
                                    max_tokens=400, seed=1) for _ in range(2)]
        qtbot.waitUntil(lambda: server.requests.in_flight == 2, timeout=WAIT_MS)
        qtbot.waitUntil(window.api_server.cancel_button.isVisible, timeout=WAIT_MS)
        window.api_server.cancel_button.click()
        hold.release()
    assert window_reply.args[0].stop_reason is StopReason.LENGTH
    for reply in api_replies:
        assert reply.result(WAIT).usage.completion_tokens == 0  # cancelled before they began
    api_ends = [stats.stop_reason for job, stats in hold.finished if job is not hold.job]
    assert api_ends == [StopReason.CANCELLED] * 2
    qtbot.waitUntil(lambda: server.requests.in_flight == 0, timeout=WAIT_MS)


def test_a_port_in_use_is_named_in_the_banner_and_the_window_still_chats(qtbot, windows, tiny_model):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        window = windows(api_server=True, api_port=port)
        qtbot.waitUntil(window.banner.isVisible, timeout=WAIT_MS)
        assert f"Port {port}" in window.error_banner.text() and "already in use" in window.error_banner.text()
        assert window.api_server.server is None and not window.api_server.status_label.isVisible()
        load(qtbot, window, tiny_model)
        window.sampling = window.sampling.with_(max_tokens=8)
        with qtbot.waitSignal(window.reply_finished, timeout=WAIT_MS) as blocker:
            window.send("hi")
        assert blocker.args[0].completion_tokens == 8
    finally:
        taken.close()


def a_free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_turning_the_setting_on_serves_another_port_moves_and_off_frees_the_port(qtbot, windows):
    window = windows()
    assert window.api_server.server is None
    window.apply_settings(window.settings.with_(api_server=True, api_port=0))
    first = serving(qtbot, window).port
    port = a_free_port()
    window.apply_settings(window.settings.with_(api_port=port))
    qtbot.waitUntil(lambda: window.api_server.server is not None and window.api_server.server.port == port,
                    timeout=WAIT_MS)
    assert port_is_free(first) and not port_is_free(port)
    assert window.api_server.status_label.text() == f"API: http://127.0.0.1:{port}/v1"
    window.apply_settings(window.settings.with_(api_server=False))
    qtbot.waitUntil(lambda: port_is_free(port), timeout=WAIT_MS)
    assert window.api_server.server is None and not window.api_server.status_label.isVisible()


def test_closing_the_window_stops_the_server(qtbot, windows):
    window = windows(api_server=True, api_port=0)
    port = serving(qtbot, window).port
    assert not port_is_free(port)
    window.close()
    assert port_is_free(port)


def test_the_settings_dialog_asks_for_a_key_before_serving_beyond_this_computer(qtbot):
    from PySide6.QtWidgets import QDialogButtonBox

    from localchat.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), "/models", 4, False)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not dialog.api_server.isChecked(), "off by default"
    dialog.api_server.setChecked(True)
    dialog.api_host.setText("0.0.0.0")
    assert not ok.isEnabled() and "API key" in dialog.api_problem.text() and dialog.api_problem.isVisible()
    dialog.accept()
    assert dialog.isVisible(), "accepted without a key"
    dialog.api_key.setText("secret")
    dialog.api_cors.setText("http://a.test, http://b.test  http://c.test")
    assert ok.isEnabled() and not dialog.api_problem.isVisible()
    ok.click()
    assert not dialog.isVisible()
    chosen = dialog.result_settings()
    assert (chosen.api_server, chosen.api_host, chosen.api_port, chosen.api_key) == (
        True, "0.0.0.0", 4891, "secret")
    assert chosen.api_cors_origins == ("http://a.test", "http://b.test", "http://c.test")
    assert chosen.api_log_contents is False


def test_the_settings_keep_the_request_logs_contents_only_when_asked_and_open_the_backends(qtbot, tmp_path):
    from localchat.gui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(Settings(), "/models", 4, False, data_root=tmp_path)
    qtbot.addWidget(dialog)
    assert not dialog.api_log_contents.isChecked()
    dialog.api_log_contents.setChecked(True)
    assert dialog.result_settings().api_log_contents is True
    page = dialog.show_backends().findChild(type(dialog.backends_page))
    assert page is dialog.backends_page and page.store.file == tmp_path / "backends.json"


def test_the_window_next_turn_reuses_its_kv_cache_after_an_api_request(qtbot, windows, tiny_model, calls):
    window = windows(api_server=True, api_port=0)
    server = serving(qtbot, window)
    load(qtbot, window, tiny_model)
    window.sampling = window.sampling.with_(max_tokens=8, seed=2)
    with qtbot.waitSignal(window.reply_finished, timeout=WAIT_MS) as first:
        window.send("a first question for the model, long enough to be worth keeping in the cache")
    api = client(server)
    calls.submit(api.chat.completions.create, model="tiny-chat", max_tokens=8, seed=1,
                 messages=[{"role": "user", "content": "an unrelated request from another program"}]
                 ).result(WAIT)
    with qtbot.waitSignal(window.reply_finished, timeout=WAIT_MS) as second:
        window.send("next")
    before, after = first.args[0], second.args[0]
    assert after.prompt_tokens > before.prompt_tokens + before.completion_tokens
    # only the new turn is read: the conversation so far comes back from the kept cache
    assert after.evaluated_prompt_tokens <= after.prompt_tokens - before.prompt_tokens


def test_an_api_request_naming_another_installed_model_loads_it_and_the_window_shows_it(
        qtbot, windows, data_paths, calls):
    from localchat.core.testing.tiny_model import write_tiny_gguf

    first = write_tiny_gguf(data_paths.models / "first.gguf", seed=1)
    write_tiny_gguf(data_paths.models / "second.gguf", seed=2)
    window = windows(api_server=True, api_port=0)
    server = serving(qtbot, window)
    load(qtbot, window, first)
    with qtbot.waitSignal(window.model_ready, timeout=WAIT_MS) as ready:
        reply = calls.submit(client(server).chat.completions.create, model="second", messages=HELLO,
                             max_tokens=4, seed=1)
    assert ready.args[0].path.endswith("second.gguf")
    assert reply.result(WAIT).model == "second"
    assert window.model_info.path.endswith("second.gguf")
    assert window.model_status.text().endswith("loaded for an API request")
    assert window.settings.last_model.endswith("first.gguf")  # the person's choice for the next start
    with qtbot.waitSignal(window.reply_finished, timeout=WAIT_MS) as finished:
        window.send("hi")  # the window chats with the model now loaded
    assert finished.args[0].completion_tokens > 0


def test_an_api_request_for_a_model_that_cannot_load_says_so_in_the_window(qtbot, windows, data_paths, calls,
                                                                          tiny_model):
    (data_paths.models / "broken.gguf").write_bytes(b"GGUF" + b"\0" * 64)
    window = windows(api_server=True, api_port=0)
    server = serving(qtbot, window)
    load(qtbot, window, tiny_model)
    attempt = calls.submit(client(server).chat.completions.create, model="broken", messages=HELLO, max_tokens=4)
    with pytest.raises(openai.APIStatusError) as caught:
        attempt.result(WAIT)
    assert caught.value.status_code == 503
    qtbot.waitUntil(lambda: "An API request asked for broken.gguf, which could not load" in
                    window.error_banner.text(), timeout=WAIT_MS)
    assert "The model loaded before stays." in window.error_banner.text()  # the file failed its check
    assert window.model_info.path == str(tiny_model) and not window.load_progress.isVisible()
    with qtbot.waitSignal(window.reply_finished, timeout=WAIT_MS) as finished:
        window.send("hi")
    assert finished.args[0].completion_tokens > 0
