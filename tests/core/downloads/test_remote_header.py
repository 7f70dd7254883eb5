"""A GGUF header read from the Hub before a download, through the download's own HTTP client,
against the local Hub server (redirect to a CDN, Range, faults, a proxy): the same requests
and, when they fail, the same messages as a download of the same file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from localchat.core.downloads.events import JobState, RetryPolicy
from localchat.core.downloads.hub import RemoteFile
from localchat.core.downloads.remote_header import read_hub
from localchat.core.errors import (
    CorruptModelError,
    DownloadError,
    GatedRepoError,
    NotAGGUFError,
    OfflineError,
    RemoteNotFoundError,
)
from localchat.core.models.gguf import read_local
from tests.hub_server import TOKEN, ForwardProxy

REPO = "acme/Tiny-Chat-GGUF"  # what the ``served`` fixture serves
FILE = "tiny-chat-Q4_K_M.gguf"
ONCE = RetryPolicy(attempts=1, base_delay=0.01)
WAIT = 30  # seconds; a bound, never a delay


def same_facts(a, b) -> bool:
    return (a.metadata.keys() == b.metadata.keys() and a.tensors == b.tensors
            and a.data_offset == b.data_offset and a.version == b.version)


def header_error(repo: str = REPO, filename: str = FILE, **options) -> Exception:
    with pytest.raises(DownloadError) as caught:
        read_hub(repo, filename, retry=ONCE, **options)
    return caught.value


def download_error(queue, repo: str = REPO, filename: str = FILE) -> Exception:
    remote = RemoteFile(repo, filename)
    queue.add(remote)
    job = queue.wait(remote.key, timeout=WAIT)
    assert job.state == JobState.FAILED
    return job.error


def said(error) -> tuple:
    return type(error), error.message, error.hint


# -- the header, not the file ---------------------------------------------------------------------
def test_remote_header_matches_the_local_file(hub, served, tiny_model):
    remote = read_hub(REPO, FILE, endpoint=hub.endpoint)
    assert same_facts(remote, read_local(tiny_model))
    assert remote.file_size == tiny_model.stat().st_size
    assert remote.extras["range_ignored"] is False
    # one HEAD to the Hub, as a download starts; the bytes from the CDN, by Range
    assert [r.method for r in hub.requests if r.server == "hub"] == ["HEAD"]
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
    assert len([r for r in hub.requests if r.server == "hub"]) == 1  # then the CDN directly


def test_a_server_that_ignores_range_is_read_from_the_start_and_cut(hub, served, tiny_model):
    served.faults.ignore_range = True
    remote = read_hub(REPO, FILE, endpoint=hub.endpoint)
    assert same_facts(remote, read_local(tiny_model))
    assert remote.extras["range_ignored"] is True


def test_a_large_file_whose_server_ignores_range_is_not_downloaded(hub, tiny_model, tmp_path):
    big = tmp_path / "big.gguf"
    big.write_bytes(tiny_model.read_bytes())
    with big.open("r+b") as fh:
        fh.truncate(256 * 1024 * 1024)  # sparse: weights nobody needs for a header
    hub_file = hub.add_file(REPO, "big.gguf", big)
    hub_file.faults.ignore_range = True

    remote = read_hub(REPO, "big.gguf", endpoint=hub.endpoint)
    assert remote.n_layers == 2 and remote.file_size == hub_file.size
    assert remote.extras["bytes_read"] < 4 * 1024 * 1024
    # what the server could push into the socket buffers before the reader hung up; not the file
    assert hub_file.bytes_sent < hub_file.size / 4


def test_a_truncated_header_on_the_server_is_refused(hub, tiny_model, tmp_path):
    cut = tmp_path / "cut.gguf"
    cut.write_bytes(tiny_model.read_bytes()[:3000])  # inside the vocabulary
    hub.add_file(REPO, "cut.gguf", cut)
    with pytest.raises(CorruptModelError, match="on the server is truncated"):
        read_hub(REPO, "cut.gguf", endpoint=hub.endpoint)


def test_a_file_shorter_than_its_tensors_is_refused(hub, tiny_model, tmp_path):
    facts = read_local(tiny_model)
    cut = tmp_path / "half.gguf"
    cut.write_bytes(tiny_model.read_bytes()[: facts.data_offset + 100])  # header whole, weights not
    hub.add_file(REPO, "half.gguf", cut)
    with pytest.raises(CorruptModelError, match="on the server is incomplete"):
        read_hub(REPO, "half.gguf", endpoint=hub.endpoint)


def test_a_remote_file_that_is_not_gguf(hub, tmp_path):
    page = tmp_path / "page.gguf"
    page.write_text("<html>not a model</html>")
    hub.add_file(REPO, "page.gguf", page)
    with pytest.raises(NotAGGUFError):
        read_hub(REPO, "page.gguf", endpoint=hub.endpoint)


# -- the same messages as a download ----------------------------------------------------------------
def test_a_missing_file_and_repo_say_what_a_download_says(hub, served, make_queue):
    queue = make_queue()
    for repo, filename in ((REPO, "other.gguf"), ("nobody/nothing", "x.gguf")):
        header = header_error(repo, filename, endpoint=hub.endpoint)
        assert isinstance(header, RemoteNotFoundError)
        assert said(header) == said(download_error(queue, repo, filename))
    assert "other.gguf is not in acme/Tiny-Chat-GGUF" in header_error(
        REPO, "other.gguf", endpoint=hub.endpoint).message


def test_a_gated_repo_says_what_a_download_says_and_the_token_stays_off_the_cdn(
        hub, served, make_queue, monkeypatch):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    hub.repos[REPO].gated = True
    for token in (False, "hf_wrong"):
        header = header_error(endpoint=hub.endpoint, token=token)
        assert isinstance(header, GatedRepoError) and "HF_TOKEN" in header.hint
        assert said(header) == said(download_error(make_queue(token=token)))

    hub.requests.clear()
    assert read_hub(REPO, FILE, endpoint=hub.endpoint, token=TOKEN).n_layers == 2
    hub_asks = [r for r in hub.requests if r.server == "hub"]
    cdn_asks = [r for r in hub.requests if r.server == "cdn"]
    assert all(r.authorized for r in hub_asks) and cdn_asks and not any(r.authorized for r in cdn_asks)

    monkeypatch.setenv("HF_TOKEN", TOKEN)  # as a download, the token of the environment
    assert read_hub(REPO, FILE, endpoint=hub.endpoint).n_layers == 2


def test_offline_mode_is_honoured_with_the_download_s_message(hub, served, make_queue, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    header = header_error(endpoint=hub.endpoint)
    assert isinstance(header, OfflineError) and "HF_HUB_OFFLINE" in header.message
    assert said(header) == said(download_error(make_queue()))
    assert not hub.requests


def test_an_unreachable_hub_is_offline_in_the_download_s_words(make_queue):
    dead = "http://127.0.0.1:9"
    header = header_error(endpoint=dead, timeout=2)
    download = download_error(make_queue(endpoint=dead, retry=ONCE, timeout=2))
    assert isinstance(header, OfflineError) and "offline" in header.message
    assert (type(header), header.message) == (type(download), download.message)
    assert "resumes" in download.hint and "resumes" not in header.hint  # nothing to resume here


def test_a_server_error_is_retried_then_reported_as_a_download_reports_it(hub, served, make_queue):
    served.faults.get_statuses = [503]
    assert read_hub(REPO, FILE, endpoint=hub.endpoint, retry=ONCE).n_layers == 2

    served.faults.get_statuses = [503] * 10
    header = header_error(endpoint=hub.endpoint)
    assert "HTTP 503" in header.message
    assert header.message == download_error(make_queue()).message


def test_a_huge_error_page_is_not_read(hub, served):
    served.faults.get_statuses = [503] * 2
    served.faults.error_body = 256 * 1024 * 1024
    assert "HTTP 503" in header_error(endpoint=hub.endpoint).message
    assert served.bytes_sent < served.faults.error_body / 4


# -- the same client: proxies, a configured client, HF_ENDPOINT ---------------------------------------
@pytest.fixture
def fresh_session():
    """huggingface_hub builds its client once; these tests change what it is built from."""
    from huggingface_hub import set_client_factory
    from huggingface_hub.utils import close_session
    from huggingface_hub.utils._http import default_client_factory

    close_session()
    yield set_client_factory
    set_client_factory(default_client_factory)  # also closes the client the test made


def through(proxy: ForwardProxy, hub) -> set[tuple[str, str]]:
    """What went through ``proxy``: (method, which server) pairs."""
    servers = {hub.endpoint: "hub", hub.cdn_url: "cdn"}
    return {(method, next(s for base, s in servers.items() if url.startswith(base)))
            for method, url in proxy.requests}


def test_the_proxy_of_the_environment_carries_the_header_read_and_the_download(
        hub, served, make_queue, fresh_session, monkeypatch):
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "NO_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        assert read_hub(REPO, FILE, endpoint=hub.endpoint).n_layers == 2
        assert through(proxy, hub) == {("HEAD", "hub"), ("GET", "cdn")}
        proxy.requests.clear()
        queue = make_queue()
        queue.add(RemoteFile(REPO, FILE))
        assert queue.wait(f"{REPO}/{FILE}", timeout=WAIT).state == JobState.FINISHED
        assert through(proxy, hub) == {("HEAD", "hub"), ("GET", "cdn")}
    assert len(hub.requests) == 4  # each read: its HEAD, then GETs (one each: the file is tiny)


def test_a_client_set_for_huggingface_hub_serves_the_header_read(hub, served, fresh_session):
    import httpx2
    from huggingface_hub.utils._http import hf_request_event_hook

    with ForwardProxy() as proxy:
        fresh_session(lambda: httpx2.Client(proxy=proxy.url, follow_redirects=True, timeout=None,
                                            event_hooks={"request": [hf_request_event_hook]}))
        assert read_hub(REPO, FILE, endpoint=hub.endpoint).n_layers == 2
        assert through(proxy, hub) == {("HEAD", "hub"), ("GET", "cdn")}
        assert len(proxy.requests) == len(hub.requests)  # nothing went around it


def test_hf_endpoint_points_the_header_read_and_the_download_at_a_mirror(hub, served, data_paths):
    script = (
        "from localchat.core.downloads.hub import RemoteFile\n"
        "from localchat.core.downloads.queue import DownloadQueue\n"
        "from localchat.core.downloads.remote_header import read_hub\n"
        "from localchat.core.paths import DataPaths\n"
        "import sys\n"
        "from pathlib import Path\n"
        f"facts = read_hub({REPO!r}, {FILE!r}, token=False)\n"
        "queue = DownloadQueue.for_paths(DataPaths(Path(sys.argv[1])), token=False, timeout=5)\n"
        f"queue.add(RemoteFile({REPO!r}, {FILE!r}))\n"
        f"job = queue.wait({REPO + '/' + FILE!r}, timeout=30)\n"
        "queue.close()\n"
        "print(facts.n_layers, job.state.name, job.error)\n"
    )
    env = {**os.environ, "HF_ENDPOINT": hub.endpoint}
    done = subprocess.run([sys.executable, "-c", script, str(data_paths.root)], env=env,
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[3])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == ["2", "FINISHED"]
    heads = [r for r in hub.requests if r.server == "hub" and r.method == "HEAD"]
    assert [r.path for r in heads] == [f"/{REPO}/resolve/main/{FILE}"] * 2  # the read, the download
