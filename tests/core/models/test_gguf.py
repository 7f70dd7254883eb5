"""GGUF facts from a local file and from a remote file's header over HTTP Range, through the
local Hub server (redirect to a CDN, Range, faults)."""

from __future__ import annotations

import socket

import pytest

from localchat.core.errors import (
    CorruptModelError,
    DownloadError,
    GatedRepoError,
    NotAGGUFError,
    OfflineError,
    RemoteNotFoundError,
)
from localchat.core.models.gguf import read_hub, read_local, read_remote
from tests.hub_server import TOKEN, HubServer

REPO = "someone/tiny-GGUF"


def resolve_url(hub: HubServer, filename: str, repo: str = REPO) -> str:
    return f"{hub.endpoint}/{repo}/resolve/main/{filename}"


def same_facts(a, b) -> bool:
    return (a.metadata.keys() == b.metadata.keys() and a.tensors == b.tensors
            and a.data_offset == b.data_offset and a.version == b.version)


# -- local -------------------------------------------------------------------------------------------
def test_local_file_facts(tiny_model):
    facts = read_local(tiny_model)
    assert facts.architecture == "llama" and facts.n_layers == 2
    assert facts.file_size == tiny_model.stat().st_size == facts.expected_size
    assert facts.tensor_bytes > 0 and facts.chat_template


@pytest.mark.demo
def test_local_header_only_of_a_real_model(demo_model):
    facts = read_local(demo_model)
    assert facts.architecture == "gemma3" and facts.context_length == 32768
    assert facts.header_bytes < facts.file_size / 20  # the header, not the weights


# -- remote ------------------------------------------------------------------------------------------
@pytest.fixture
def hub():
    with HubServer() as server:
        yield server


def test_remote_header_matches_the_local_file(hub, tiny_model):
    hub.add_file(REPO, "tiny.gguf", tiny_model)
    remote = read_remote(resolve_url(hub, "tiny.gguf"))
    assert same_facts(remote, read_local(tiny_model))
    assert remote.file_size == tiny_model.stat().st_size
    assert remote.extras["range_ignored"] is False
    ranges = [r.range for r in hub.requests if r.server == "cdn"]
    assert ranges and all(r.startswith("bytes=") for r in ranges)


@pytest.mark.demo
def test_remote_read_takes_the_header_not_the_file(hub, demo_model):
    hub.add_file("google/gemma-3-270m-GGUF", "gemma.gguf", demo_model)
    remote = read_hub("google/gemma-3-270m-GGUF", "gemma.gguf", endpoint=hub.endpoint)
    local = read_local(demo_model)
    assert same_facts(remote, local) and remote.context_length == 32768
    size = demo_model.stat().st_size
    assert remote.extras["bytes_read"] < size / 10  # a 262k-token vocabulary, but no weights
    assert remote.extras["requests"] <= 8
    # after the first redirect the CDN is asked directly
    assert len([r for r in hub.requests if r.server == "hub"]) == 1


def test_a_server_that_ignores_range_is_read_from_the_start_and_cut(hub, tiny_model):
    hub_file = hub.add_file(REPO, "tiny.gguf", tiny_model)
    hub_file.faults.ignore_range = True
    remote = read_remote(resolve_url(hub, "tiny.gguf"))
    assert same_facts(remote, read_local(tiny_model))
    assert remote.extras["range_ignored"] is True


def test_a_truncated_header_on_the_server_is_refused(hub, tiny_model, tmp_path):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(tiny_model.read_bytes()[:3000])  # inside the vocabulary
    hub.add_file(REPO, "cut.gguf", cut)
    with pytest.raises(CorruptModelError, match="on the server is truncated"):
        read_remote(resolve_url(hub, "cut.gguf"))


def test_a_file_shorter_than_its_tensors_is_refused(hub, tiny_model, tmp_path):
    facts = read_local(tiny_model)
    cut = tmp_path / "half.gguf"
    cut.write_bytes(tiny_model.read_bytes()[: facts.data_offset + 100])  # header whole, weights not
    hub.add_file(REPO, "half.gguf", cut)
    with pytest.raises(CorruptModelError, match="on the server is incomplete"):
        read_remote(resolve_url(hub, "half.gguf"))


def test_a_remote_file_that_is_not_gguf(hub, tmp_path):
    page = tmp_path / "page.gguf"
    page.write_text("<html>not a model</html>")
    hub.add_file(REPO, "page.gguf", page)
    with pytest.raises(NotAGGUFError):
        read_remote(resolve_url(hub, "page.gguf"))


def test_a_missing_file_and_repo(hub, tiny_model):
    hub.add_file(REPO, "tiny.gguf", tiny_model)
    with pytest.raises(RemoteNotFoundError):
        read_remote(resolve_url(hub, "other.gguf"))
    with pytest.raises(RemoteNotFoundError):
        read_hub("nobody/nothing", "x.gguf", endpoint=hub.endpoint)


def test_a_gated_repo_needs_a_token_that_stays_off_the_cdn(hub, tiny_model, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    monkeypatch.setenv("HF_HUB_DISABLE_IMPLICIT_TOKEN", "1")
    hub.add_file("org/gated-GGUF", "tiny.gguf", tiny_model, gated=True)
    with pytest.raises(GatedRepoError, match="gated"):
        read_hub("org/gated-GGUF", "tiny.gguf", endpoint=hub.endpoint)
    facts = read_hub("org/gated-GGUF", "tiny.gguf", endpoint=hub.endpoint, token=TOKEN)
    assert facts.n_layers == 2
    hub_asks = [r for r in hub.requests if r.server == "hub"]
    cdn_asks = [r for r in hub.requests if r.server == "cdn"]
    assert hub_asks[-1].authorized and cdn_asks and not any(r.authorized for r in cdn_asks)


def test_an_unreachable_server_is_offline():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(OfflineError, match="cannot read the model file's header"):
        read_remote(f"http://127.0.0.1:{port}/x.gguf", timeout=5)


def test_a_server_error_is_reported(hub, tiny_model):
    hub_file = hub.add_file(REPO, "tiny.gguf", tiny_model)
    hub_file.faults.get_statuses = [503]
    with pytest.raises(DownloadError, match="HTTP 503"):
        read_remote(resolve_url(hub, "tiny.gguf"))
