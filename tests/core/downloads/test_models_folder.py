"""A change of the models folder reaches the download queue at once: new, queued and running
downloads all land in the new folder, with their install records."""

from __future__ import annotations

import pytest

from localchat.core.downloads.events import DownloadFinished, JobState
from localchat.core.downloads.hub import RemoteFile
from localchat.core.models.inventory import ModelInventory
from tests.core.downloads.test_downloads import FILE, REPO, WAIT, Recorder, download, start_held
from tests.hub_server import sha256_of


@pytest.fixture
def new_folder(tmp_path):
    return tmp_path / "elsewhere" / "models"


def test_a_download_after_the_change_lands_in_the_new_folder(make_queue, served, data_paths, new_folder):
    queue = make_queue()
    queue.set_models_dir(new_folder)
    job = download(queue)

    assert job.state == JobState.FINISHED and job.path == new_folder / FILE
    assert not list(data_paths.models.glob("*.gguf"))
    record = ModelInventory(new_folder).record_for(job.path)
    assert record is not None and record.repo_id == REPO and record.sha256 == served.sha256
    assert [m.path for m in queue.inventory.scan()] == [job.path]


def test_a_running_download_is_redirected_to_the_new_folder(make_queue, served, hub, data_paths, new_folder):
    queue = make_queue()
    rec = Recorder(queue)
    key = start_held(queue, served)
    queue.set_models_dir(new_folder)
    hub.release()
    done = queue.wait(key, timeout=WAIT)

    assert done.state == JobState.FINISHED
    assert rec.of(DownloadFinished)[-1].path == done.path == new_folder / FILE
    assert sha256_of(done.path) == served.sha256
    assert len(hub.gets(served)) == 1  # moved, not downloaded again
    assert not list(data_paths.models.glob("*.gguf"))
    assert ModelInventory(new_folder).record_for(done.path).sha256 == served.sha256


def test_a_paused_download_resumes_into_the_new_folder(make_queue, served, hub, new_folder):
    queue = make_queue()
    key = start_held(queue, served)
    queue.pause(key)
    hub.release()
    paused = queue.wait(key, timeout=WAIT)
    queue.set_models_dir(new_folder)
    queue.resume(key)
    done = queue.wait(key, timeout=WAIT)

    assert done.state == JobState.FINISHED and done.path == new_folder / FILE
    assert hub.gets(served)[-1].range == f"bytes={paused.downloaded}-"  # the partial was kept


def test_a_model_of_the_old_folder_is_downloaded_again_into_the_new_one(make_queue, served, hub, data_paths,
                                                                        new_folder):
    queue = make_queue()
    assert download(queue).path == data_paths.models / FILE
    queue.set_models_dir(new_folder)
    queue.discard(RemoteFile(REPO, FILE).key)
    again = download(queue)

    assert again.path == new_folder / FILE and len(hub.gets(served)) == 2
    assert (data_paths.models / FILE).is_file()  # the old folder keeps what it had
