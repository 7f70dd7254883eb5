"""Search and file listings through HfApi against the local Hub."""

from __future__ import annotations

import pytest

from localchat.core.downloads.hub import (
    RemoteFile,
    fit_of_hub_file,
    list_gguf_files,
    quant_of,
    search_models,
    split_part,
)
from localchat.core.errors import OfflineError, RemoteNotFoundError
from tests.hub_server import HubServer


@pytest.fixture
def hub(tiny_model, tiny_base_model):
    with HubServer() as server:
        server.add_file("acme/Llama-Tiny-GGUF", "llama-tiny-Q4_K_M.gguf", tiny_model, downloads=900, likes=3)
        server.add_file("acme/Llama-Tiny-GGUF", "llama-tiny-Q8_0.gguf", tiny_base_model)
        server.add_file("acme/Llama-Tiny-GGUF", "README.md", tiny_model)
        for part in (1, 2):
            server.add_file("acme/Llama-Tiny-GGUF", f"f16/llama-tiny-F16-0000{part}-of-00002.gguf", tiny_model)
        server.add_file("bob/llama-liked-GGUF", "liked.IQ4_XS.gguf", tiny_model, downloads=10, likes=50)
        server.add_repo("carol/mistral-GGUF", downloads=5000)
        server.add_repo("dave/llama-safetensors", downloads=99999, tags=["safetensors"])
        yield server


def test_search_finds_gguf_repos_by_text_sorted_by_downloads_or_likes(hub):
    by_downloads = search_models("llama", endpoint=hub.endpoint, token=False)
    assert [m.repo_id for m in by_downloads] == ["acme/Llama-Tiny-GGUF", "bob/llama-liked-GGUF"]
    assert by_downloads[0].downloads == 900

    by_likes = search_models("llama", sort="likes", endpoint=hub.endpoint, token=False)
    assert [m.repo_id for m in by_likes] == ["bob/llama-liked-GGUF", "acme/Llama-Tiny-GGUF"]


def test_repo_listing_groups_split_files_with_sizes_and_checksums(hub, tiny_model):
    files = {f.filename: f for f in list_gguf_files("acme/Llama-Tiny-GGUF", endpoint=hub.endpoint, token=False)}

    assert set(files) == {"llama-tiny-Q4_K_M.gguf", "llama-tiny-Q8_0.gguf",
                          "f16/llama-tiny-F16-00001-of-00002.gguf"}
    split = files["f16/llama-tiny-F16-00001-of-00002.gguf"]
    assert split.parts == ("f16/llama-tiny-F16-00001-of-00002.gguf", "f16/llama-tiny-F16-00002-of-00002.gguf")
    assert split.size == 2 * tiny_model.stat().st_size and split.quant == "F16"
    single = files["llama-tiny-Q4_K_M.gguf"]
    assert single.size == tiny_model.stat().st_size and single.sha256s[0]
    assert [r.filename for r in split.remote_files()] == list(split.parts)


def test_listing_a_missing_repo_says_so(hub):
    with pytest.raises(RemoteNotFoundError, match="nobody/nothing"):
        list_gguf_files("nobody/nothing", endpoint=hub.endpoint, token=False)


def test_search_when_offline_says_so(monkeypatch):
    from types import SimpleNamespace

    from huggingface_hub.utils import _http

    monkeypatch.setattr(_http, "time", SimpleNamespace(sleep=lambda seconds: None))  # its retry pauses
    with pytest.raises(OfflineError, match="offline"):
        search_models("llama", endpoint="http://127.0.0.1:9", token=False)


@pytest.mark.parametrize("name, quant", [
    ("Llama-3.2-1B-Instruct-Q4_K_M.gguf", "Q4_K_M"),
    ("qwen2.5-coder-7b-instruct-q4_0.gguf", "Q4_0"),
    ("Nous-Hermes-2-Mistral-7B-DPO.Q4_0.gguf", "Q4_0"),
    ("model-IQ3_XXS.gguf", "IQ3_XXS"),
    ("gemma-3-270m-f16.gguf", "F16"),
    ("big-Q8_0-00001-of-00003.gguf", "Q8_0"),
    ("mystery.gguf", None),
])
def test_quant_is_read_from_the_file_name(name, quant):
    assert quant_of(name) == quant


def test_split_part_names():
    assert split_part("a-b-00002-of-00005.gguf") == ("a-b", 2, 5)
    assert split_part("a-b.gguf") is None


def test_fit_of_a_hub_file_reads_its_header_and_every_part_of_a_split(hub, tiny_model):
    from localchat.core.hardware import Hardware
    from localchat.core.models.fit import fit_model
    from localchat.core.models.gguf import read_local

    machine = Hardware(total_ram=16 * 1024 ** 3, available_ram=12 * 1024 ** 3, physical_cores=4, logical_cores=8)
    files = {f.filename: f for f in list_gguf_files("acme/Llama-Tiny-GGUF", endpoint=hub.endpoint, token=False)}
    single = fit_of_hub_file(files["llama-tiny-Q4_K_M.gguf"], machine, endpoint=hub.endpoint, token=False)
    split = fit_of_hub_file(files["f16/llama-tiny-F16-00001-of-00002.gguf"], machine,
                            endpoint=hub.endpoint, token=False)

    local = fit_model(read_local(tiny_model), machine)
    assert single.estimate == local.estimate and single.badge.text == "Fits"
    assert split.estimate.weights_bytes == 2 * local.estimate.weights_bytes


def test_a_split_file_brings_all_its_parts():
    part2 = RemoteFile("acme/Big-GGUF", "q8/big-Q8_0-00002-of-00003.gguf", sha256="a" * 64)
    parts = part2.all_parts()
    assert [p.filename for p in parts] == [f"q8/big-Q8_0-0000{i}-of-00003.gguf" for i in (1, 2, 3)]
    assert parts[1] is part2
    single = RemoteFile("acme/Small-GGUF", "small-Q4_0.gguf")
    assert single.all_parts() == [single]
