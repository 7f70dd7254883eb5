"""File names from the Hub are a stranger's word: a name that is not a plain ``.gguf`` file on
every system (``\\``, ``..``, a drive, a reserved Windows name) is refused wherever a Hub file is
accepted, and whatever a name says, the installed file lands inside the models folder."""

from __future__ import annotations

import json

import pytest

from localchat.core.downloads.events import JobState
from localchat.core.downloads.hub import RemoteFile, list_gguf_files
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.downloads.remote_header import read_hub
from localchat.core.errors import UnsafeFileNameError
from localchat.core.models.inventory import InstallRecord, ModelInventory, now_iso

REPO = "acme/Tiny-Chat-GGUF"
WAIT = 30  # seconds; a bound, never a delay

BAD_NAMES = {
    "backslash": "sub\\model.gguf",
    "backslash-up": "..\\..\\model.gguf",
    "dot-dot": "../model.gguf",
    "dot-dot-inside": "a/../model.gguf",
    "dot": "./model.gguf",
    "absolute": "/etc/model.gguf",
    "drive": "C:/models/model.gguf",
    "drive-relative": "C:model.gguf",
    "colon": "model:stream.gguf",
    "empty-part": "a//model.gguf",
    "nul": "model\x00.gguf",
    "newline": "model\n.gguf",
    "not-gguf": "model.bin",
    "gguf-then-more": "model.gguf.exe",
    "only-a-folder": "models/",
    "reserved-con": "CON.gguf",
    "reserved-lower": "con.Q4_K_M.gguf",
    "reserved-com1": "sub/COM1.gguf",
    "reserved-lpt9": "LPT9.gguf",
    "trailing-dot": "model.gguf.",
    "trailing-space": "model.gguf ",
    "pipe": "model|x.gguf",
    "question": "model?.gguf",
    "quote": "model\"v2\".gguf",
    "hidden": ".model.gguf",
    "too-long": "m" * 300 + ".gguf",
}
GOOD_NAMES = ["Llama-3.2-1B-Instruct-Q4_K_M.gguf", "sub/dir/model.Q8_0.gguf", "model (v2) [q4].gguf",
              "mödel 🦙.GGUF", "split-00001-of-00003.gguf", "a.b.c.gguf"]


@pytest.mark.parametrize("name", BAD_NAMES.values(), ids=BAD_NAMES.keys())
def test_a_hub_file_name_that_is_not_a_plain_gguf_file_is_refused(name):
    with pytest.raises(UnsafeFileNameError) as info:
        RemoteFile(REPO, name)
    assert info.value.message and info.value.hint
    assert "\x00" not in info.value.message and "\n" not in info.value.message  # said, not echoed raw


@pytest.mark.parametrize("name", GOOD_NAMES)
def test_ordinary_hub_file_names_are_taken(name):
    assert RemoteFile(REPO, name).basename == name.rsplit("/", 1)[-1]


@pytest.mark.parametrize("repo_id", ["..", "a/..", "../b", "a\\b/c", "a/b/c", "a", "", "a/b\x00",
                                     "-x/y", "a/" + "b" * 200])
def test_a_repository_name_that_is_not_owner_slash_name_is_refused(repo_id):
    with pytest.raises(UnsafeFileNameError, match="repository name"):
        RemoteFile(repo_id, "model.gguf")


@pytest.mark.parametrize("spec", ["owner/repo/../evil.gguf", "owner/repo/..\\evil.gguf",
                                  "owner/repo/C:\\evil.gguf", "owner/repo/readme.md", "../../x/y.gguf"])
def test_a_typed_owner_repo_file_is_checked_the_same_way(spec):
    with pytest.raises(UnsafeFileNameError):
        RemoteFile.parse(spec)


def test_a_repo_listing_leaves_out_files_it_could_not_install(hub, tiny_model):
    for name in ("good-Q4_K_M.gguf", "..\\evil-Q4_K_M.gguf", "CON.gguf", "dir/../up-Q8_0.gguf",
                 "odd:name.gguf", "weights.bin"):
        hub.add_file(REPO, name, tiny_model)
    files = list_gguf_files(REPO, endpoint=hub.endpoint, token=False)
    assert [f.filename for f in files] == ["good-Q4_K_M.gguf"]


def test_the_fit_check_of_a_bad_name_asks_nothing_of_the_hub(hub, tiny_model):
    hub.add_file(REPO, "..\\evil.gguf", tiny_model)
    with pytest.raises(UnsafeFileNameError):
        read_hub(REPO, "..\\evil.gguf", endpoint=hub.endpoint, token=False)
    assert hub.requests == []


def test_a_download_record_with_a_bad_name_is_skipped_when_the_queue_starts(data_paths):
    data_paths.downloads.mkdir(parents=True, exist_ok=True)
    for stem, name in (("evil", "..\\..\\evil.gguf"), ("good", "good.gguf")):
        (data_paths.downloads / f"{stem}.json").write_text(json.dumps(
            {"repo_id": REPO, "filename": name, "revision": "main", "size": 10}), encoding="utf-8")
    queue = DownloadQueue.for_paths(data_paths)
    try:
        assert [j.remote.filename for j in queue.jobs()] == ["good.gguf"]
    finally:
        queue.close()


# -- the models folder: the last guard --------------------------------------------------------------
def record(name: str) -> InstallRecord:
    return InstallRecord(name, 4, None, now_iso(), repo_id=REPO, repo_filename=name)


@pytest.mark.parametrize("name", ["../escaped.gguf", "..\\escaped.gguf", "sub/escaped.gguf", "CON.gguf",
                                  "escaped.gguf.", "escaped.exe"])
def test_a_download_target_outside_the_folder_or_unsafe_is_refused(tmp_path, name):
    inventory = ModelInventory(tmp_path / "models")
    with pytest.raises(UnsafeFileNameError):
        inventory.target_for(name, REPO)


@pytest.mark.parametrize("target", ["../escaped.gguf", "sub/escaped.gguf", "/tmp/escaped.gguf"])
def test_install_moves_nothing_outside_the_models_folder(tmp_path, target):
    models = tmp_path / "models"
    inventory = ModelInventory(models)
    partial = tmp_path / "x.part"
    partial.write_bytes(b"GGUF")
    aimed = models / target if not target.startswith("/") else tmp_path / target.lstrip("/")
    with pytest.raises(UnsafeFileNameError):
        inventory.install(partial, aimed, record(aimed.name))
    assert partial.exists() and not aimed.exists()
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["x.part"]


def test_a_taken_name_from_a_long_repo_still_lands_inside_the_folder(tmp_path):
    inventory = ModelInventory(tmp_path / "models")
    (tmp_path / "models").mkdir()
    name = "m" * 190 + ".gguf"
    (tmp_path / "models" / name).write_bytes(b"taken")
    target = inventory.target_for(name, "o" * 96 + "/" + "r" * 96)
    assert target.parent == inventory.models_dir and target.name.endswith(name)
    assert len(target.name.encode()) < 250


def test_a_deep_hub_path_downloads_to_its_own_name(make_queue, hub, tiny_model, data_paths):
    """The partial's name stays short enough for the disk however deep the repo path is."""
    name = "a" * 180 + "/" + "b" * 180 + "/deep-Q4_K_M.gguf"
    hub.add_file(REPO, name, tiny_model)
    queue = make_queue()
    remote = RemoteFile(REPO, name)
    queue.add(remote)
    snap = queue.wait(remote.key, timeout=WAIT)
    assert snap.state is JobState.FINISHED, snap.error
    assert snap.path == data_paths.models / "deep-Q4_K_M.gguf"
    assert snap.path.read_bytes() == tiny_model.read_bytes()
