"""The window with remote backends: llama-cpp-python's own server and misbehaving servers on
local ports, the model picker's groups, replies streamed from a backend into the conversation."""

import socket

import pytest

from localchat.core.backends.config import BackendConfig, BackendStore
from localchat.core.chat.messages import FormatKind
from localchat.core.chat.stats import StopReason
from localchat.core.history.export import to_document, to_markdown
from localchat.core.history.store import Store
from localchat.gui.main_window import MainWindow
from localchat.gui.model_picker import remote_key

WAIT_MS = 60_000


def add_backend(data_paths, name, url):
    BackendStore(data_paths.root).add(BackendConfig(name, url))


@pytest.fixture
def open_window(qtbot, data_paths):
    windows = []

    def make():
        w = MainWindow(data_paths, install_demo=False, batch_seconds=0.002)
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.close()


def picker_lines(window):
    picker = window.model_picker
    return [picker.itemText(i) for i in range(picker.count())]


def wait_listed(qtbot, window, name):
    qtbot.waitUntil(lambda: name in window.remote_models.groups
                    and not window.remote_models.groups[name].asking, timeout=WAIT_MS)


def pick_remote(qtbot, window, name, model):
    """As a person picks it in the list: the item, then its activation."""
    picker = window.model_picker
    index = picker.findData(remote_key(name, model))
    assert index >= 0, picker_lines(window)
    assert picker.model().item(index).isEnabled()
    with qtbot.waitSignal(window.remote_models.chosen, timeout=WAIT_MS):
        picker.setCurrentIndex(index)
        picker.activated.emit(index)


def send(qtbot, window, text, timeout=WAIT_MS):
    with qtbot.waitSignal(window.reply_finished, timeout=timeout) as finished:
        window.send(text)
    return finished.args[0]


def test_the_picker_groups_a_backends_models_and_a_reply_streams_from_it(
        qtbot, open_window, data_paths, llama_server):
    add_backend(data_paths, "llama", llama_server)
    window = open_window()
    wait_listed(qtbot, window, "llama")
    lines = picker_lines(window)
    host = llama_server.removeprefix("http://")
    assert lines[:3] == ["This computer", f"llama — {host}", "tiny"], lines
    heading = window.model_picker.model().item(1)
    assert not heading.isEnabled() and heading.font().bold()
    pick_remote(qtbot, window, "llama", "tiny")
    assert window.model_picker.currentText() == "tiny"
    assert "tiny on llama" in window.model_status.text()

    window.sampling = window.sampling.with_(max_tokens=120, temperature=0, seed=3)
    batches = []
    window.reply_updated.connect(lambda text: batches.append(len(window.chat_view.last_bubble().item.text)))
    stats = send(qtbot, window, "hello there")
    assert stats.stop_reason in (StopReason.LENGTH, StopReason.EOS), stats
    assert len(batches) >= 2 and batches == sorted(batches), "the reply came in one piece"
    reply = window.store.tree(window.conversation.id)[-1]
    bubble = window.chat_view.last_bubble()
    assert reply.model == "tiny @ llama" and reply.content == bubble.item.text and reply.content
    assert bubble.item.model == "tiny @ llama"  # shown above the reply
    assert "tok/s" in bubble.stats_label.text()
    assert "Assistant (tiny @ llama)" in to_markdown(window.store, window.conversation.id)
    assert to_document(window.store, window.conversation.id)["messages"][-1]["model"] == "tiny @ llama"


def test_stop_mid_stream_keeps_the_partial_reply(qtbot, open_window, data_paths, llama_server):
    add_backend(data_paths, "llama", llama_server)
    window = open_window()
    wait_listed(qtbot, window, "llama")
    pick_remote(qtbot, window, "llama", "tiny")
    window.sampling = window.sampling.with_(max_tokens=400, temperature=0, seed=3)
    seen = []

    def stop_at_third(text):
        seen.append(text)
        if len(seen) == 3:
            window.stop()

    window.reply_updated.connect(stop_at_third)
    stats = send(qtbot, window, "tell me a long story")
    assert stats.stop_reason is StopReason.CANCELLED
    reply = window.store.tree(window.conversation.id)[-1]
    assert reply.content and reply.content.startswith(seen[2])  # what streamed before Stop is kept
    assert not reply.partial and reply.stats.stop_reason is StopReason.CANCELLED
    assert window.chat_view.last_bubble().item.text == reply.content
    assert window.composer.send_button.accessibleName() == "Send"


def test_an_unreachable_backend_says_so_and_a_local_model_still_works(
        qtbot, open_window, data_paths, tiny_model):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    add_backend(data_paths, "gone", f"http://127.0.0.1:{port}")
    window = open_window()
    wait_listed(qtbot, window, "gone")
    note = next(line for line in picker_lines(window) if line.startswith("unavailable:"))
    assert note.startswith(f"unavailable: Cannot reach 127.0.0.1:{port}: ") and "Check" not in note
    item = window.model_picker.model().item(picker_lines(window).index(note))
    assert not item.isEnabled()  # it cannot be picked
    assert "Check that the server runs and the address is right." in item.toolTip()

    with qtbot.waitSignal(window.model_ready, timeout=WAIT_MS):
        window.load_model(tiny_model)
    window.sampling = window.sampling.with_(max_tokens=8)
    stats = send(qtbot, window, "hello")
    assert stats.stop_reason is StopReason.LENGTH
    assert window.store.tree(window.conversation.id)[-1].model == window.model_info.name


def test_a_busy_backend_is_said_in_the_banner_and_what_it_lacks_is_greyed(
        qtbot, open_window, data_paths, faults):
    add_backend(data_paths, "busy", f"{faults}/503")
    window = open_window()
    wait_listed(qtbot, window, "busy")
    with qtbot.waitSignal(window.remote_models.probed, timeout=WAIT_MS):
        pick_remote(qtbot, window, "busy", "m")
    kinds = window.conversation_settings.format_kind
    schema = kinds.model().item(kinds.findData(FormatKind.JSON_SCHEMA.value))
    assert not schema.isEnabled() and "busy does not accept a JSON schema" in schema.toolTip()
    assert "HTTP 503" in schema.toolTip()  # the reason the probe was given

    stats = send(qtbot, window, "hi")
    assert stats.stop_reason is StopReason.ERROR
    assert "is busy (HTTP 503). Try again in 7 s." in window.error_banner.text()
    assert window.composer.send_button.accessibleName() == "Send"


def test_a_backend_that_ignores_formats_has_them_greyed_with_the_reason(
        qtbot, open_window, data_paths, faults):
    add_backend(data_paths, "plain", f"{faults}/ok")  # answers free text whatever the format asked
    window = open_window()
    wait_listed(qtbot, window, "plain")
    with qtbot.waitSignal(window.remote_models.probed, timeout=WAIT_MS):
        pick_remote(qtbot, window, "plain", "m")
    settings = window.conversation_settings
    kinds = settings.format_kind
    for kind, said in ((FormatKind.JSON_SCHEMA, "plain does not accept a JSON schema: the server ignores it"),
                       (FormatKind.GRAMMAR, "plain does not follow a grammar: the server ignores llama.cpp's "
                                            "grammar field")):
        item = kinds.model().item(kinds.findData(kind.value))
        assert not item.isEnabled() and said in item.toolTip()
    assert kinds.model().item(kinds.findData(FormatKind.TEXT.value)).isEnabled()
    kinds.setCurrentIndex(kinds.findData(FormatKind.GRAMMAR.value))  # a conversation that has one
    assert "plain does not follow a grammar" in settings.format_status.text()


def test_a_stream_cut_mid_reply_keeps_its_text_marked_interrupted(qtbot, open_window, data_paths, faults):
    add_backend(data_paths, "flaky", f"{faults}/cut")
    window = open_window()
    wait_listed(qtbot, window, "flaky")
    pick_remote(qtbot, window, "flaky", "m")
    stats = send(qtbot, window, "hi")
    assert stats.stop_reason is StopReason.ERROR
    said = window.error_banner.text()  # the cut is a broken connection or an early end
    assert "after 3 pieces" in said and "what came is kept" in said
    reply = window.store.tree(window.conversation.id)[-1]
    assert reply.content == "one two three " and reply.model == "m @ flaky"
    bubble = window.chat_view.last_bubble()
    assert bubble.item.text == "one two three " and bubble.stats_label.text() == "interrupted"


def test_picking_a_local_model_after_a_backend_answers_locally_again(
        qtbot, open_window, data_paths, faults, tiny_model):
    add_backend(data_paths, "busy", f"{faults}/503")
    add_backend(data_paths, "flaky", f"{faults}/formats")
    window = open_window()
    wait_listed(qtbot, window, "busy")
    wait_listed(qtbot, window, "flaky")
    kinds = window.conversation_settings.format_kind
    schema = kinds.model().item(kinds.findData(FormatKind.JSON_SCHEMA.value))
    pick_remote(qtbot, window, "busy", "m")
    assert not schema.isEnabled()
    pick_remote(qtbot, window, "flaky", "m")
    assert schema.isEnabled()  # each model's own abilities: this one took the schema
    assert send(qtbot, window, "hi").stop_reason is StopReason.EOS
    assert window.chat_view.last_bubble().item.text == "all fine"
    pick_remote(qtbot, window, "busy", "m")  # asked once: known at once the second time
    assert not schema.isEnabled()
    with qtbot.waitSignal(window.model_ready, timeout=WAIT_MS):
        window.load_model(tiny_model)
    assert window.model_picker.currentData() == str(tiny_model)
    assert schema.isEnabled() and not schema.toolTip()
    window.sampling = window.sampling.with_(max_tokens=4)
    send(qtbot, window, "and now?")
    models = [m.model for m in window.store.tree(window.conversation.id) if m.role == "assistant"]
    assert models == ["m @ flaky", window.model_info.name]
    assert window.chat_view.bubbles[1].item.model == "m @ flaky"


def test_removing_the_backend_in_use_says_so_and_sending_waits_for_a_model(
        qtbot, open_window, data_paths, faults):
    add_backend(data_paths, "flaky", f"{faults}/ok")
    window = open_window()
    wait_listed(qtbot, window, "flaky")
    pick_remote(qtbot, window, "flaky", "m")
    BackendStore(data_paths.root).remove("flaky")  # as Settings → Remote backends… does
    window.remote_models.refresh()
    assert "The backend flaky was changed or removed" in window.error_banner.text()
    assert window.chat.remote is None and window.remote_models.backends == {}
    assert [line for line in picker_lines(window) if line] == ["Open GGUF file…"]  # no group left
    window.send("hello?")
    assert "No model is loaded" in window.error_banner.text() and window.conversation is None


def test_closing_the_window_mid_stream_keeps_the_backends_partial_reply(
        qtbot, open_window, data_paths, llama_server):
    add_backend(data_paths, "llama", llama_server)
    window = open_window()
    wait_listed(qtbot, window, "llama")
    pick_remote(qtbot, window, "llama", "tiny")
    window.sampling = window.sampling.with_(max_tokens=400, temperature=0, seed=3)
    with qtbot.waitSignal(window.reply_updated, timeout=WAIT_MS):
        window.send("tell me a long story")
    conversation = window.conversation.id
    window.close()
    assert window.remote_models.backends == {}
    with Store.open(data_paths.database) as store:
        reply = store.tree(conversation)[-1]
    assert reply.content and not reply.partial and reply.stats.stop_reason is StopReason.CANCELLED


def test_a_backends_token_probabilities_are_shown_and_kept_without_a_branch_from_them(
        qtbot, open_window, data_paths, llama_server):
    add_backend(data_paths, "llama", llama_server)
    window = open_window()
    wait_listed(qtbot, window, "llama")
    with qtbot.waitSignal(window.remote_models.probed, timeout=WAIT_MS):
        pick_remote(qtbot, window, "llama", "tiny")
    hood = window.under_the_hood
    assert hood.action.isEnabled()  # llama-cpp-python's server streams token probabilities
    hood.set_shown(True)
    window.sampling = window.sampling.with_(max_tokens=12, temperature=0, seed=3)
    stats = send(qtbot, window, "hello there")
    assert stats.tokens is not None and len(stats.tokens) == stats.completion_tokens == 12
    bubble = window.chat_view.last_bubble()
    view = hood.token_view(bubble)
    assert view is not None and view.isVisibleTo(window)
    # the server's tokens spell the reply (the view, as for a local reply, shows no leading space)
    assert view.text.toPlainText() == bubble.item.text.lstrip()
    kept = window.store.reply_tokens(bubble.item.key)
    assert kept == stats.tokens and kept.from_server  # stored like a local reply's
    view.show_token(2)
    header = view.panel.header.text()
    assert header.startswith("Token 3:") and "probability" in header
    assert "nats" not in header and "the server gave no probability after its sampling" in header
    assert "chosen by you" not in header
    labels = [b.text() for b in view.panel.buttons]
    assert labels and all(label.endswith("%") for label in labels)
    assert not any(b.isEnabled() for b in view.panel.buttons)  # no branch from a server's token
    why = next(b.toolTip() for b, a in zip(view.panel.buttons, stats.tokens[2].alternatives)
               if a.id != stats.tokens[2].id)
    assert "came from a remote server" in why


def test_a_backend_without_token_probabilities_greys_the_toggle_with_the_reason(
        qtbot, open_window, data_paths, faults):
    add_backend(data_paths, "plain", f"{faults}/ok")
    window = open_window()
    wait_listed(qtbot, window, "plain")
    window.under_the_hood.set_shown(True)
    with qtbot.waitSignal(window.remote_models.probed, timeout=WAIT_MS):
        pick_remote(qtbot, window, "plain", "m")
    action = window.under_the_hood.action
    assert not action.isEnabled()
    assert action.toolTip() == "plain gives no token probabilities: the server's answer did not have it"
    stats = send(qtbot, window, "hi")
    assert stats.tokens is None and "logprobs" not in faults_requests()[-1]


def faults_requests():
    from tests.remote_servers import Faults

    return Faults.requests


def test_a_json_schema_conversation_on_llama_cpp_server_gets_replies_held_to_it(
        qtbot, open_window, data_paths, llama_server):
    import json

    from localchat.core.chat.messages import ResponseFormat

    add_backend(data_paths, "llama", llama_server)
    window = open_window()
    wait_listed(qtbot, window, "llama")
    with qtbot.waitSignal(window.remote_models.probed, timeout=WAIT_MS):
        pick_remote(qtbot, window, "llama", "tiny")
    kinds = window.conversation_settings.format_kind
    assert kinds.model().item(kinds.findData(FormatKind.JSON_SCHEMA.value)).isEnabled()
    schema = '{"type": "object", "required": ["color"], "properties": {"color": {"enum": ["red", "blue"]}}}'
    window.sampling = window.sampling.with_(max_tokens=48, temperature=0, seed=3,
                                            response_format=ResponseFormat(FormatKind.JSON_SCHEMA, schema))
    stats = send(qtbot, window, "Pick a color.")
    assert stats.validation is not None and stats.validation.valid, stats
    assert json.loads(window.chat_view.last_bubble().item.text)["color"] in ("red", "blue")
