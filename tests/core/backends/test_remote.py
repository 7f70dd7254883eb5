"""Replies from remote OpenAI-compatible servers, through the same jobs and events as the local
engine: llama-cpp-python's own server, localchat's API server, and servers that fail."""

import os
import stat
import threading

import pytest

from localchat.core.backends.config import BackendConfig, BackendError, BackendStore, normalise_url
from localchat.core.backends.probe import list_models, probe
from localchat.core.backends.remote import RemoteBackend
from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.chat.stats import StopReason
from localchat.core.inference.worker import ChatJob, InferenceWorker, LoadJob, ReplyDelta, ReplyFinished

WAIT = 60


class Reply:
    """A job's text and final stats, as a listener sees them."""

    def __init__(self, backend, on_delta=None):
        self.text, self.stats = "", None
        self.on_delta = on_delta
        backend.subscribe(self)

    def __call__(self, event):
        if isinstance(event, ReplyDelta):
            self.text += event.text
            if self.on_delta:
                self.on_delta(event)
        elif isinstance(event, ReplyFinished):
            self.stats = event.stats


def ask(backend, max_tokens=16, on_delta=None, text="hello"):
    reply = Reply(backend, on_delta)
    sampling = Sampling(max_tokens=max_tokens, temperature=0, seed=1)
    job = backend.submit(ChatJob([Message(USER, text)], sampling))
    assert job.done.wait(WAIT)
    return reply


# -- llama-cpp-python's own server --------------------------------------------------------------
def test_llama_cpp_server_lists_its_model_and_streams_a_reply(llama_server, backends):
    config = BackendConfig("llama", normalise_url(llama_server))
    assert list_models(config, None) == ("tiny",)
    reply = ask(backends(llama_server, model="tiny"), max_tokens=12)
    assert reply.stats.stop_reason is StopReason.LENGTH, reply.stats
    assert reply.text and reply.stats.completion_tokens == 12
    assert reply.stats.time_to_first_token_s > 0 and reply.stats.tokens_per_s > 0


def test_a_reply_from_llama_cpp_server_is_cancelled_mid_stream(llama_server, backends):
    backend = backends(llama_server, model="tiny")
    pieces = []

    def cancel_at_third(event):
        pieces.append(event.text)
        if len(pieces) == 3:
            backend.cancel(event.job)

    reply = ask(backend, max_tokens=200, on_delta=cancel_at_third)
    assert reply.stats.stop_reason is StopReason.CANCELLED
    assert reply.text == "".join(pieces) and len(pieces) == 3


def test_the_probe_says_what_llama_cpp_server_can_and_cannot_do(llama_server):
    caps = probe(BackendConfig("llama", normalise_url(llama_server)), None)
    assert caps.models == ("tiny",)
    assert caps.streaming
    assert not caps.embeddings and caps.missing["embeddings"]  # started without embeddings
    for ability, has in (("logprobs", caps.logprobs), ("json_schema", caps.json_schema)):
        assert has or caps.missing[ability]  # either it works, or we can say why not


# -- localchat's own API server as the backend of another localchat ---------------------------
@pytest.fixture
def localchat_server(tiny_model):
    from localchat.server.runner import ApiServer

    worker = InferenceWorker(batch_seconds=0).start()
    assert worker.submit(LoadJob(str(tiny_model), n_ctx=512)).done.wait(WAIT)
    server = ApiServer(worker, port=0, api_key="k3y").start()
    yield server
    server.stop()
    assert worker.stop(timeout=WAIT)


def test_another_localchat_serves_as_a_backend_with_its_key(localchat_server, backends):
    url = localchat_server.base_url
    caps = probe(BackendConfig("other", normalise_url(url), has_key=True), "k3y")
    assert caps.models == ("tiny-chat",) and caps.streaming and caps.stream_usage
    assert caps.logprobs and caps.json_schema  # both answered by localchat's server
    assert not caps.embeddings and "no models folder" in caps.missing["embeddings"]
    reply = ask(backends(url, model="tiny-chat", key="k3y"), max_tokens=10)
    assert reply.stats.stop_reason is StopReason.LENGTH and reply.stats.completion_tokens == 10
    assert reply.stats.prompt_tokens > 0  # the server's own usage, from the stream's last chunk

    refused = ask(backends(url, model="tiny-chat", key="wrong"))
    assert refused.stats.stop_reason is StopReason.ERROR
    assert "refused the request (HTTP 401): the API key is not accepted" in refused.stats.error


# -- servers that fail -------------------------------------------------------------------------
def test_a_server_that_is_not_running_is_named(backends):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    reply = ask(backends(f"http://127.0.0.1:{port}"))
    assert reply.stats.stop_reason is StopReason.ERROR
    assert reply.stats.error.startswith(f"Cannot reach 127.0.0.1:{port}")
    with pytest.raises(BackendError, match=f"Cannot reach 127.0.0.1:{port}"):
        list_models(BackendConfig("x", normalise_url(f"http://127.0.0.1:{port}")), None)


@pytest.mark.parametrize("fault, message", [
    ("401", "refused the request (HTTP 401): it needs an API key. The server says: Invalid API key"),
    ("404", "does not have the model 'm' (HTTP 404). The server says: model 'm' not found"),
    ("503", "is busy (HTTP 503). Try again in 7 s. The server says: too many requests waiting"),
])
def test_an_error_answer_is_a_clear_message(faults, backends, fault, message):
    reply = ask(backends(f"{faults}/{fault}"))
    assert reply.stats.stop_reason is StopReason.ERROR and reply.text == ""
    assert message in reply.stats.error


def test_a_stream_cut_mid_reply_keeps_what_came(faults, backends):
    reply = ask(backends(f"{faults}/cut"))
    assert reply.text == "one two three "
    assert reply.stats.stop_reason is StopReason.ERROR
    assert "after 3 pieces" in reply.stats.error and "what came is kept" in reply.stats.error


def test_a_server_that_stalls_times_out_and_keeps_what_came(faults, backends):
    reply = ask(backends(f"{faults}/stall", read_timeout=1.0))
    assert reply.text == "waiting "
    assert reply.stats.stop_reason is StopReason.ERROR and "did not answer within 1 s" in reply.stats.error


def test_cancel_ends_a_stalled_stream_at_once(faults, backends):
    backend = backends(f"{faults}/stall")  # read timeout 120 s, over ask's WAIT: only the cancel ends it
    timer = []
    reply = ask(backend, on_delta=lambda event: timer.append(
        threading.Timer(0.05, backend.cancel, args=(event.job,))) or timer[-1].start())
    assert reply.stats.stop_reason is StopReason.CANCELLED and reply.text == "waiting "


def test_the_first_text_shows_at_once_while_the_rest_is_batched(faults):
    """The first piece is the person's wait: it goes to the listeners when it comes, not when a
    batch interval has passed and a second piece came (the stalling server sends no second)."""
    backend = RemoteBackend(BackendConfig("test", normalise_url(f"{faults}/stall")), model="m",
                            batch_seconds=3600).start()
    arrived = threading.Event()
    reply = Reply(backend, on_delta=lambda event: arrived.set())
    job = backend.submit(ChatJob([Message(USER, "hello")], Sampling(max_tokens=16)))
    try:
        assert arrived.wait(WAIT), "the first piece waited for a batch"
        assert reply.text == "waiting " and not job.done.is_set()
    finally:
        backend.cancel(job)
        assert job.done.wait(WAIT) and backend.stop()
    assert reply.stats.stop_reason is StopReason.CANCELLED


def test_a_whole_stream_ends_with_the_servers_finish_reason(faults, backends):
    reply = ask(backends(f"{faults}/ok"), max_tokens=50)
    assert reply.text == "all fine" and reply.stats.stop_reason is StopReason.EOS
    assert reply.stats.completion_tokens == 2  # no usage sent: counted by pieces


# -- the list of backends and their keys --------------------------------------------------------
def test_backends_are_kept_in_the_data_folder_and_their_keys_apart(tmp_path):
    store = BackendStore(tmp_path, use_keyring=False)
    store.add(BackendConfig("ollama", "http://127.0.0.1:11434"))
    store.add(BackendConfig("gpu-box", "https://gpu.example.org/v1/", model_filter="llama"), api_key="s3cret")
    assert [(c.name, c.base_url, c.has_key) for c in store.all()] == [
        ("ollama", "http://127.0.0.1:11434/v1", False), ("gpu-box", "https://gpu.example.org/v1", True)]
    assert "s3cret" not in (tmp_path / "backends.json").read_text()
    assert store.key("gpu-box") == "s3cret" and store.key("ollama") is None
    if os.name == "posix":
        assert stat.S_IMODE(store.keys_file.stat().st_mode) == 0o600
    assert store.get("gpu-box").shows("Llama-3-70B") and not store.get("gpu-box").shows("qwen")
    store.remove("gpu-box")
    assert [c.name for c in store.all()] == ["ollama"] and store.key("gpu-box") is None
    with pytest.raises(BackendError, match="no backend named 'gpu-box'"):
        store.get("gpu-box")


def test_addresses_and_names_are_checked_and_plain_http_off_this_computer_is_flagged():
    with pytest.raises(BackendError, match="not a server address"):
        normalise_url("ftp://example.org")
    with pytest.raises(BackendError, match="cannot name a backend"):
        BackendStore("/nonexistent", use_keyring=False).add(BackendConfig("../evil", "http://x"))
    assert BackendConfig("a", "http://127.0.0.1:8080/v1").warning is None
    assert BackendConfig("a", "https://10.0.0.5/v1", has_key=True).warning is None
    warning = BackendConfig("a", "http://10.0.0.5:8080/v1", has_key=True).warning
    assert "plain HTTP" in warning and "API key" in warning


# -- structured replies -------------------------------------------------------------------------
SCHEMA = ('{"type": "object", "additionalProperties": false, "required": ["color"], '
          '"properties": {"color": {"enum": ["red", "green", "blue"]}}}')


def ask_structured(backend, fmt, max_tokens=48):
    reply = Reply(backend)
    sampling = Sampling(max_tokens=max_tokens, temperature=0, seed=1, response_format=fmt)
    assert backend.submit(ChatJob([Message(USER, "Pick a color.")], sampling)).done.wait(WAIT)
    return reply


def test_a_json_schema_goes_to_the_server_and_the_reply_is_checked(localchat_server, backends):
    import json

    from localchat.core.chat.messages import FormatKind, ResponseFormat

    backend = backends(localchat_server.base_url, model="tiny-chat", key="k3y")
    reply = ask_structured(backend, ResponseFormat(FormatKind.JSON_SCHEMA, SCHEMA, name="pick"))
    assert json.loads(reply.text)["color"] in ("red", "green", "blue")  # the server held it to the schema
    assert reply.stats.validation.valid and reply.stats.stop_reason is StopReason.EOS


def test_a_server_that_ignores_the_format_gets_its_reply_marked_invalid(faults, backends):
    from localchat.core.chat.messages import FormatKind, ResponseFormat

    reply = ask_structured(backends(f"{faults}/ok"), ResponseFormat(FormatKind.JSON))
    assert reply.text == "all fine"
    assert not reply.stats.validation.valid and "Not valid JSON" in reply.stats.validation.error


# -- structured output probed -------------------------------------------------------------------
def test_the_probe_finds_which_structured_output_a_server_holds_replies_to(llama_server, localchat_server,
                                                                           faults):
    llama = probe(BackendConfig("llama", normalise_url(llama_server)), None)
    assert llama.grammar  # llama-cpp-python's server reads llama.cpp's grammar field
    # it refuses OpenAI's json_schema type, and holds a reply to llama.cpp's json_object + schema
    assert llama.json_schema and llama.schema_form == "json_object"

    other = probe(BackendConfig("other", normalise_url(localchat_server.base_url), has_key=True), "k3y")
    assert other.json_schema and other.schema_form == "json_schema"
    assert not other.grammar and "ignores llama.cpp's grammar field" in other.missing["grammar"]

    plain = probe(BackendConfig("plain", normalise_url(f"{faults}/ok")), None)
    assert not plain.json_schema and not plain.grammar  # accepted, and ignored: found out, not assumed
    assert plain.missing["json_schema"] == ("the server ignores it: asked for JSON with a schema, it "
                                            "answered 'all fine'")
    assert "answered 'all fine'" in plain.missing["grammar"]
    held = probe(BackendConfig("held", normalise_url(f"{faults}/formats")), None)
    assert held.json_schema and held.grammar and "GBNF grammars" in held.summary()


def test_a_json_schema_reaches_llama_cpp_server_in_the_form_it_takes(llama_server, backends):
    import json

    from localchat.core.chat.messages import FormatKind, ResponseFormat

    caps = probe(BackendConfig("llama", normalise_url(llama_server)), None)
    backend = backends(llama_server, model="tiny", schema_form=caps.schema_form)
    reply = ask_structured(backend, ResponseFormat(FormatKind.JSON_SCHEMA, SCHEMA, name="pick"))
    assert json.loads(reply.text)["color"] in ("red", "green", "blue")  # held to the schema there
    assert reply.stats.validation.valid and reply.stats.stop_reason is StopReason.EOS
