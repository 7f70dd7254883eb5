"""Settings → Backends: add after the server answered, test, remove; failures said in the page."""

import socket

import pytest

from localchat.core.backends.config import BackendStore
from localchat.gui.backends import BackendsPage

WAIT_MS = 60_000


@pytest.fixture
def page(qtbot, tmp_path):
    page = BackendsPage(tmp_path, store=BackendStore(tmp_path, use_keyring=False))
    qtbot.addWidget(page)
    page.show()
    return page


def fill(page, name, url, key="", model_filter=""):
    page.name.setText(name)
    page.url.setText(url)
    page.key.setText(key)
    page.filter.setText(model_filter)


def test_a_server_is_added_once_it_answered_and_shows_what_it_can_do(qtbot, page, llama_server):
    fill(page, "llama", llama_server)
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as answer:
        page.add_button.click()
    text = answer.args[0]
    assert text.startswith("Added llama.") and "Models: tiny" in text and "✓ Streaming" in text
    assert "✗ Documents (embeddings):" in text  # with the reason after the colon
    assert [page.list.item(i).text() for i in range(page.list.count())] == [f"llama — {llama_server}/v1"]
    assert page.name.text() == "" and page.add_button.isEnabled()

    page.list.setCurrentRow(0)
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as answer:
        page.test_button.click()
    assert "✓ Streaming" in answer.args[0]

    with qtbot.waitSignal(page.changed):
        page.remove_button.click()
    assert page.list.count() == 0 and page.store.all() == []


def test_a_server_that_cannot_be_reached_is_not_added_and_the_page_says_why(qtbot, page):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    fill(page, "gone", f"http://127.0.0.1:{port}")
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as answer:
        page.add_button.click()
    assert f"Cannot reach 127.0.0.1:{port}" in answer.args[0]
    assert page.result.text() == answer.args[0]
    assert page.list.count() == 0 and page.store.all() == []
    assert page.add_button.isEnabled()


def test_a_wrong_address_or_name_is_said_at_once(qtbot, page):
    fill(page, "x", "ftp://host")
    with qtbot.waitSignal(page.checked, timeout=1000) as answer:
        page.add_button.click()
    assert "is not a server address" in answer.args[0]
    fill(page, "../x", "http://127.0.0.1:1")
    with qtbot.waitSignal(page.checked, timeout=1000) as answer:
        page.add_button.click()
    assert "cannot name a backend" in answer.args[0]


def test_a_key_is_kept_apart_and_the_list_shows_it_is_kept(qtbot, page, faults, tmp_path):
    fill(page, "locked", f"{faults}/401", key="s3cret")
    with qtbot.waitSignal(page.checked, timeout=WAIT_MS) as answer:
        page.add_button.click()
    assert "✗ Streaming:" in answer.args[0] and "HTTP 401" in answer.args[0]
    assert page.list.item(0).text().endswith("· key kept")
    assert "s3cret" not in (tmp_path / "backends.json").read_text()
    assert page.store.key("locked") == "s3cret"
