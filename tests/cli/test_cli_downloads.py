"""``localchat models download | verify | rm`` in a real process, against the local Hub via HF_ENDPOINT."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading

import pytest

from localchat.core.models.inventory import ModelInventory
from tests.hub_server import TOKEN, HubServer, sha256_of

REPO, FILE = "acme/Tiny-Chat-GGUF", "tiny-chat-Q4_K_M.gguf"
WAIT = 60


@pytest.fixture
def hub(tiny_model):
    with HubServer() as server:
        server.add_file(REPO, FILE, tiny_model)
        yield server


@pytest.fixture
def env(hub, tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "LOCALCHAT_"))}
    return {**clean, "HF_ENDPOINT": hub.endpoint, "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
            "LOCALCHAT_DATA_DIR": str(tmp_path / "data")}


def localchat(env, *args, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "localchat", "models", *args], env=env, text=True,
                          capture_output=True, timeout=WAIT, **options)


def transfers(hub, served) -> list:
    """The GETs of the file's bytes, without the reads of its header that judge its fit."""
    return [g for g in hub.gets(served) if g.range is None or g.range.endswith("-")]


def test_download_a_repo_file_with_progress_then_verify_and_remove(env, hub, tmp_path):
    done = localchat(env, "download", f"{REPO}/{FILE}")
    assert done.returncode == 0, done.stderr
    installed = tmp_path / "data" / "models" / FILE
    assert done.stdout.strip() == str(installed)
    assert "100%" in done.stderr and "installed" in done.stderr
    assert sha256_of(installed) == hub.repos[REPO].files[FILE].sha256

    checked = localchat(env, "verify")
    assert checked.returncode == 0 and "ok" in checked.stdout and "matches" in checked.stdout

    data = bytearray(installed.read_bytes())
    data[len(data) // 2] ^= 0xFF
    installed.write_bytes(bytes(data))
    damaged = localchat(env, "verify", FILE)
    assert damaged.returncode == 1 and "DAMAGED" in damaged.stdout

    refused = localchat(env, "rm", FILE, stdin=subprocess.DEVNULL)
    assert refused.returncode == 1 and "--yes" in refused.stderr and installed.exists()
    removed = localchat(env, "rm", FILE, "--yes")
    assert removed.returncode == 0 and not installed.exists()
    assert localchat(env, "rm", FILE, "--yes").returncode == 1


def test_download_a_catalog_model_by_id(env, hub, tmp_path):
    served = hub.repos[REPO].files[FILE]
    catalog = tmp_path / "catalog.json"
    catalog.write_text(json.dumps({"schema": 1, "models": [{
        "id": "tiny-chat", "name": "Tiny Chat", "quant": "Q4_K_M", "kind": "chat", "params_b": 0.01,
        "license": "mit", "description": "A test model.", "homepage": f"https://huggingface.co/{REPO}",
        "file": {"repo_id": REPO, "filename": FILE, "size_bytes": served.size, "sha256": served.sha256},
        "architecture": {"family": "llama", "layers": 2, "embedding": 64, "feed_forward": 128, "heads": 4,
                         "kv_heads": 2, "head_dim": 16, "vocab": 400, "context": 2048},
        "defaults": {"context": 512, "temperature": 0.7}}]}))

    done = localchat(env, "download", "tiny-chat", "--catalog", str(catalog))
    assert done.returncode == 0, done.stderr
    inventory = ModelInventory(tmp_path / "data" / "models")
    assert inventory.find("tiny-chat").record.model_id == "tiny-chat"
    assert localchat(env, "rm", "tiny-chat", "--yes").returncode == 0

    unknown = localchat(env, "download", "no-such-model", "--catalog", str(catalog))
    assert unknown.returncode == 1 and "models list" in unknown.stderr


def test_missing_file_and_gated_repo_say_what_to_do(env, hub):
    missing = localchat(env, "download", f"{REPO}/nope.gguf")
    assert missing.returncode == 1
    assert "nope.gguf is not in" in missing.stderr

    hub.repos[REPO].gated = True
    gated = localchat(env, "download", f"{REPO}/{FILE}")
    assert gated.returncode == 1 and "gated" in gated.stderr and "HF_TOKEN" in gated.stderr
    with_token = {k: v for k, v in env.items() if k != "HF_HUB_DISABLE_IMPLICIT_TOKEN"}
    allowed = localchat({**with_token, "HF_TOKEN": TOKEN}, "download", f"{REPO}/{FILE}")
    assert allowed.returncode == 0, allowed.stderr


def test_ctrl_c_pauses_and_the_same_command_resumes(env, hub, tmp_path):
    served = hub.repos[REPO].files[FILE]
    served.faults.hold_at = served.size // 2
    # --yes: no read of the header to judge the fit first, which the held file would hold too
    child = subprocess.Popen([sys.executable, "-m", "localchat", "models", "download", f"{REPO}/{FILE}",
                              "--yes"], env=env, text=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stderr], daemon=True).start()
    seen = []
    try:
        seen.append(lines.get(timeout=WAIT))
        assert "%" in seen[0]  # the first progress line: bytes are on disk
        child.send_signal(signal.SIGINT)
        # Release the held GET only once the command has asked for the pause: released sooner,
        # the rest of the file can arrive before the pause is seen, and then it is installed.
        while "Pausing" not in seen[-1]:
            seen.append(lines.get(timeout=WAIT))
        hub.release()
        child.wait(timeout=WAIT)
    finally:
        child.kill()
    err = "".join(seen) + "".join(lines.queue)
    assert child.returncode == 130, err
    assert "run the same command to resume" in err
    partial = next((tmp_path / "data" / "downloads").glob("*.part"))
    kept = partial.stat().st_size
    assert 0 < kept < served.size and not (tmp_path / "data" / "models" / FILE).exists()

    again = localchat(env, "download", f"{REPO}/{FILE}")
    assert again.returncode == 0, again.stderr
    assert len(transfers(hub, served)) == 2
    assert hub.gets(served)[-1].range == f"bytes={kept}-"
    assert sha256_of(tmp_path / "data" / "models" / FILE) == served.sha256


def test_ctrl_c_as_the_download_finishes_says_it_is_installed(env, hub, tmp_path, monkeypatch, capsys):
    """The pause is seen between two blocks; when the last block came first, the file is
    installed, and the command says so instead of asking to resume a finished download."""
    from localchat.cli.main import main
    from localchat.core.downloads.queue import DownloadQueue

    installed = localchat(env, "download", f"{REPO}/{FILE}")
    assert installed.returncode == 0, installed.stderr
    real_wait = DownloadQueue.wait
    interrupted = []

    def wait_then_ctrl_c(queue, key, timeout=None):
        job = real_wait(queue, key, timeout)
        if not interrupted:  # as if Ctrl+C landed as the job ended
            interrupted.append(key)
            raise KeyboardInterrupt
        return job

    monkeypatch.setattr(DownloadQueue, "wait", wait_then_ctrl_c)
    monkeypatch.setenv("LOCALCHAT_DATA_DIR", env["LOCALCHAT_DATA_DIR"])
    assert main(["models", "download", f"{REPO}/{FILE}"]) == 0
    out = capsys.readouterr()
    assert interrupted and "installed" in out.err and "resume" not in out.err
    assert out.out.strip() == str(tmp_path / "data" / "models" / FILE)


def test_a_download_lands_in_the_models_folder_of_the_settings(env, hub, tmp_path):
    folder = tmp_path / "my models"
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"models_dir": str(folder)}))
    done = localchat(env, "download", f"{REPO}/{FILE}")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(folder / FILE) and not (data / "models" / FILE).exists()
    assert ModelInventory(folder).find(FILE).record.repo_id == REPO
    checked = localchat(env, "verify", FILE)
    assert checked.returncode == 0 and "ok" in checked.stdout


# -- a model too big for this machine --------------------------------------------------------------
def write_catalog(path, served, **entry) -> str:
    path.write_text(json.dumps({"schema": 1, "models": [{
        "id": "tiny-chat", "name": "Tiny Chat", "quant": "Q4_K_M", "kind": "chat", "params_b": 0.01,
        "license": "mit", "description": "A test model.", "homepage": f"https://huggingface.co/{REPO}",
        "file": {"repo_id": REPO, "filename": FILE, "size_bytes": served.size, "sha256": served.sha256},
        "architecture": {"family": "llama", "layers": 2, "embedding": 64, "feed_forward": 128, "heads": 4,
                         "kv_heads": 2, "head_dim": 16, "vocab": 400, "context": 2048},
        "defaults": {"context": 512, "temperature": 0.7}, **entry}]}))
    return str(path)


def test_a_catalog_model_too_big_for_any_machine_needs_yes(env, hub, tmp_path):
    served = hub.repos[REPO].files[FILE]
    # 5,000 billion parameters: more memory than any machine running these tests has
    catalog = write_catalog(tmp_path / "catalog.json", served, name="Colossal", params_b=5000,
                            file={"repo_id": REPO, "filename": FILE, "size_bytes": None, "sha256": None})
    refused = localchat(env, "download", "tiny-chat", "--catalog", catalog, stdin=subprocess.DEVNULL)
    assert refused.returncode == 1
    (line,) = refused.stderr.splitlines()
    assert line.startswith("localchat: Colossal Q4_K_M: Too big for this computer: it needs ")
    assert "GiB in all" in line and line.endswith("Add --yes to download it anyway.")
    assert hub.gets(served) == [] and not (tmp_path / "data" / "models" / FILE).exists()

    agreed = localchat(env, "download", "tiny-chat", "--catalog", catalog, "--yes")
    assert agreed.returncode == 0, agreed.stderr
    assert (tmp_path / "data" / "models" / FILE).is_file()


def test_a_hub_file_too_big_for_this_machine_is_judged_from_its_header(hub, tmp_path, monkeypatch, capsys):
    """In this process, to fake a machine with 2 MiB of memory; the header comes from the Hub."""
    import io
    from collections import namedtuple

    from huggingface_hub import constants

    from localchat.cli.main import main

    monkeypatch.setattr(constants, "ENDPOINT", hub.endpoint)
    monkeypatch.setattr(constants, "HUGGINGFACE_CO_URL_TEMPLATE",
                        hub.endpoint + "/{repo_id}/resolve/{revision}/{filename}")
    monkeypatch.setenv("LOCALCHAT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PATH", str(tmp_path))  # no GPU tool to ask
    machine = namedtuple("VM", "total available")(2 << 20, 1 << 20)
    monkeypatch.setattr("psutil.virtual_memory", lambda: machine)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["models", "download", f"{REPO}/{FILE}"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith(f"localchat: {FILE}: Too big for this computer: it needs ")
    assert "2 MiB in all" in line and "--yes" in line
    served = hub.repos[REPO].files[FILE]
    assert hub.gets(served) and transfers(hub, served) == [], "only its header was read"


# -- the token ---------------------------------------------------------------------------------------
def test_the_token_hf_auth_login_saved_opens_a_gated_repo(env, hub, tmp_path):
    hub.repos[REPO].gated = True
    login = tmp_path / "hf" / "token"
    login.parent.mkdir()
    login.write_text(TOKEN)
    with_login = {k: v for k, v in env.items() if k != "HF_HUB_DISABLE_IMPLICIT_TOKEN"}
    done = localchat({**with_login, "HF_HOME": str(login.parent)}, "download", f"{REPO}/{FILE}")
    assert done.returncode == 0, done.stderr


def test_a_token_in_an_old_settings_file_moves_to_the_login_and_still_works(env, hub, tmp_path):
    hub.repos[REPO].gated = True
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.json").write_text(json.dumps({"hf_token": TOKEN, "font_size": 13}))
    home = tmp_path / "hf"
    with_login = {k: v for k, v in env.items() if k != "HF_HUB_DISABLE_IMPLICIT_TOKEN"}
    done = localchat({**with_login, "HF_HOME": str(home)}, "download", f"{REPO}/{FILE}")
    assert done.returncode == 0, done.stderr
    assert (home / "token").read_text() == TOKEN
    assert json.loads((data / "settings.json").read_text()) == {"font_size": 13}
