"""Downloads through the real huggingface_hub code against a local server that speaks the Hub."""

from __future__ import annotations

import threading

import pytest

from localchat.core.downloads.events import (
    DownloadCancelled,
    DownloadFinished,
    DownloadPaused,
    DownloadProgress,
    DownloadRetrying,
    DownloadStarted,
    DownloadVerifying,
    JobState,
    RetryPolicy,
)
from localchat.core.downloads.hub import RemoteFile
from localchat.core.downloads.job import DISK_MARGIN
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.errors import (
    DiskFullError,
    DownloadError,
    GatedRepoError,
    OfflineError,
    RemoteNotFoundError,
    VerificationError,
)
from tests.hub_server import TOKEN, sha256_of

REPO = "acme/Tiny-Chat-GGUF"
FILE = "tiny-chat-Q4_K_M.gguf"
WAIT = 30  # seconds; a bound, never a delay


class Recorder:
    """Collects a queue's events and wakes tests waiting for one."""

    def __init__(self, queue: DownloadQueue):
        self.events = []
        self._cond = threading.Condition()
        queue.subscribe(self._on_event)

    def _on_event(self, event) -> None:
        with self._cond:
            self.events.append(event)
            self._cond.notify_all()

    def of(self, kind) -> list:
        with self._cond:
            return [e for e in self.events if isinstance(e, kind)]

    def wait_for(self, predicate, timeout: float = WAIT):
        with self._cond:
            assert self._cond.wait_for(lambda: any(predicate(e) for e in self.events), timeout), \
                f"no such event in {self.events}"
            return next(e for e in self.events if predicate(e))


def download(queue: DownloadQueue, remote: RemoteFile = RemoteFile(REPO, FILE)):
    queue.add(remote)
    return queue.wait(remote.key, timeout=WAIT)


def start_held(queue: DownloadQueue, served) -> str:
    """Start REPO/FILE with the server holding it in the middle; returns once bytes arrived."""
    served.faults.hold_at = served.size // 2
    rec = Recorder(queue)
    key = queue.add(RemoteFile(REPO, FILE)).key
    rec.wait_for(lambda e: isinstance(e, DownloadProgress) and e.downloaded > 0)
    return key


def assert_nothing_installed(data_paths):
    assert not list(data_paths.models.glob("*.gguf"))


def test_full_download_is_verified_then_installed_with_a_record(make_queue, served, data_paths, hub):
    queue = make_queue()
    rec = Recorder(queue)
    job = download(queue)

    assert job.state == JobState.FINISHED
    installed = data_paths.models / FILE
    assert job.path == installed
    assert sha256_of(installed) == served.sha256
    progress = rec.of(DownloadProgress)
    assert [p.downloaded for p in progress] == sorted(p.downloaded for p in progress)
    assert progress[-1].downloaded == progress[-1].total == served.size
    kinds = [type(e) for e in rec.events]
    assert kinds.index(DownloadStarted) < kinds.index(DownloadVerifying) < kinds.index(DownloadFinished)
    record = queue.inventory.record_for(installed)
    assert (record.repo_id, record.repo_filename, record.sha256, record.size, record.verified) == \
        (REPO, FILE, served.sha256, served.size, True)
    assert record.commit == hub.repos[REPO].commit and record.installed_at
    assert not list(data_paths.downloads.iterdir()), "partial and sidecar are gone"
    assert [r for r in hub.requests if r.server == "hub"][0].method == "HEAD"


def test_installed_file_loads_in_llama_cpp(make_queue, served):
    from localchat.core.inference.engine import Engine

    job = download(make_queue())
    engine = Engine()
    try:
        info = engine.load(job.path, n_ctx=64)
        assert info is not None
    finally:
        engine.close()


def test_dropped_connection_resumes_with_range_and_bytes_are_identical(make_queue, served, hub):
    served.faults.drop_after = [served.size // 2]
    queue = make_queue()
    rec = Recorder(queue)
    job = download(queue)

    assert job.state == JobState.FINISHED
    assert sha256_of(job.path) == served.sha256
    gets = hub.gets(served)
    assert len(gets) == 2 and gets[0].range is None
    assert gets[1].range == f"bytes={served.size // 2}-"
    assert rec.of(DownloadRetrying)


def test_wrong_bytes_fail_verification_and_leave_nothing(make_queue, served, data_paths):
    served.faults.corrupt = True
    job = download(make_queue())

    assert job.state == JobState.FAILED
    assert isinstance(job.error, VerificationError)
    assert "damaged" in job.error.message and "removed" in job.error.message
    assert_nothing_installed(data_paths)
    assert not list(data_paths.downloads.glob("*.part"))


def test_catalog_checksum_is_the_authority(make_queue, served, data_paths, hub):
    wrong = RemoteFile(REPO, FILE, sha256="0" * 64)
    job = download(make_queue(), wrong)

    assert job.state == JobState.FAILED
    assert "catalog" in job.error.message
    assert not hub.gets(served), "refused before any byte"
    assert_nothing_installed(data_paths)


def test_missing_file_and_repo_are_404_with_their_own_messages(make_queue, served):
    queue = make_queue()
    missing_file = download(queue, RemoteFile(REPO, "nope.gguf"))
    missing_repo = download(queue, RemoteFile("acme/does-not-exist", FILE))

    for job in (missing_file, missing_repo):
        assert job.state == JobState.FAILED
        assert isinstance(job.error, RemoteNotFoundError)
    assert "nope.gguf is not in acme/Tiny-Chat-GGUF" in missing_file.error.message
    assert "acme/does-not-exist was not found" in missing_repo.error.message


def test_gated_repo_explains_the_token_and_a_token_opens_it(make_queue, served, hub, data_paths):
    hub.repos[REPO].gated = True
    anonymous = download(make_queue(token=False))
    assert anonymous.state == JobState.FAILED
    assert isinstance(anonymous.error, GatedRepoError)
    assert "HF_TOKEN" in anonymous.error.hint
    wrong = download(make_queue(token="hf_wrong"))
    assert isinstance(wrong.error, GatedRepoError)
    assert_nothing_installed(data_paths)

    ok = download(make_queue(token=TOKEN))
    assert ok.state == JobState.FINISHED
    assert not any(r.authorized for r in hub.gets(served)), "the token never goes to the CDN"


def test_token_from_the_environment_is_used(make_queue, served, hub, monkeypatch):
    hub.repos[REPO].gated = True
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert download(make_queue()).state == JobState.FINISHED


def test_server_errors_are_retried_until_it_answers(make_queue, served):
    served.faults.head_statuses = [500, 503]
    served.faults.get_statuses = [502]
    queue = make_queue()
    rec = Recorder(queue)
    job = download(queue)

    assert job.state == JobState.FINISHED
    assert len(rec.of(DownloadRetrying)) == 3


def test_server_errors_that_do_not_end_fail_with_a_message(make_queue, served, data_paths):
    served.faults.get_statuses = [500] * 10
    job = download(make_queue(retry=RetryPolicy(attempts=2, base_delay=0.01)))

    assert job.state == JobState.FAILED
    assert "HTTP 500" in job.error.message
    assert_nothing_installed(data_paths)


def test_a_huge_error_page_is_not_read(make_queue, served, data_paths):
    """A broken or hostile server may answer with gigabytes of error page: the status decides."""
    served.faults.get_statuses = [503] * 3
    served.faults.error_body = 256 * 1024 * 1024
    job = download(make_queue(retry=RetryPolicy(attempts=2, base_delay=0.01)))

    assert job.state == JobState.FAILED and "503" in job.error.message
    assert served.bytes_sent < served.faults.error_body / 4
    assert_nothing_installed(data_paths)


def test_a_stall_times_out_and_the_download_resumes(make_queue, served, hub):
    served.faults.stall_after = [served.size // 3]
    job = download(make_queue(timeout=0.5))

    assert job.state == JobState.FINISHED
    assert sha256_of(job.path) == served.sha256
    assert hub.gets(served)[-1].range == f"bytes={served.size // 3}-"


def test_a_server_that_stays_stalled_fails_as_timed_out(make_queue, served, data_paths):
    served.faults.stall_always = True
    job = download(make_queue(timeout=0.3, retry=RetryPolicy(attempts=1, base_delay=0.01)))

    assert job.state == JobState.FAILED
    assert isinstance(job.error, OfflineError)
    assert "stopped sending data" in job.error.message
    assert_nothing_installed(data_paths)


def test_not_enough_disk_space_is_refused_before_starting(make_queue, served, hub, data_paths):
    free = served.size + DISK_MARGIN - 1
    job = download(make_queue(disk_free=lambda path: free))

    assert job.state == JobState.FAILED
    assert isinstance(job.error, DiskFullError)
    assert "Not enough disk space" in job.error.message and "Free some space" in job.error.hint
    assert not hub.gets(served)
    assert not list(data_paths.downloads.glob("*.part"))


def test_enough_disk_space_counts_the_partial_already_there(make_queue, served, hub, data_paths):
    queue = make_queue()
    key = start_held(queue, served)
    queue.pause(key)
    hub.release()
    paused = queue.wait(key, timeout=WAIT)
    assert paused.state == JobState.PAUSED and paused.downloaded > 0

    # room for the rest but not for the whole file: the resume is allowed
    resumed = download(make_queue(disk_free=lambda path: served.size - paused.downloaded + DISK_MARGIN))
    assert resumed.state == JobState.FINISHED


def test_offline_when_the_hub_cannot_be_reached(data_paths):
    queue = DownloadQueue.for_paths(data_paths, endpoint="http://127.0.0.1:9",
                                    retry=RetryPolicy(attempts=1, base_delay=0.01), timeout=2)
    job = download(queue)

    assert job.state == JobState.FAILED
    assert isinstance(job.error, OfflineError)
    assert "offline" in job.error.message


def test_offline_mode_of_huggingface_hub_is_honoured(make_queue, served, hub, monkeypatch):
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", True)
    job = download(make_queue())

    assert isinstance(job.error, OfflineError)
    assert "HF_HUB_OFFLINE" in job.error.message
    assert not hub.requests


def test_pause_keeps_the_partial_and_resume_continues_with_range(make_queue, served, hub, data_paths):
    queue = make_queue()
    rec = Recorder(queue)
    key = start_held(queue, served)
    queue.pause(key)
    hub.release()
    paused = queue.wait(key, timeout=WAIT)

    assert paused.state == JobState.PAUSED
    part = data_paths.downloads / f"{key.replace('/', '--')}.part"
    assert part.stat().st_size == paused.downloaded > 0
    assert rec.of(DownloadPaused)[-1].downloaded == paused.downloaded
    assert_nothing_installed(data_paths)

    queue.resume(key)
    done = queue.wait(key, timeout=WAIT)
    assert done.state == JobState.FINISHED
    assert hub.gets(served)[-1].range == f"bytes={paused.downloaded}-"
    assert sha256_of(done.path) == served.sha256


def test_cancel_keeps_the_partial_and_discard_deletes_it(make_queue, served, hub, data_paths):
    queue = make_queue()
    rec = Recorder(queue)
    key = start_held(queue, served)
    queue.cancel(key)
    hub.release()
    cancelled = queue.wait(key, timeout=WAIT)

    assert cancelled.state == JobState.CANCELLED and rec.of(DownloadCancelled)
    assert list(data_paths.downloads.glob("*.part"))
    assert_nothing_installed(data_paths)
    queue.discard(key)
    assert not list(data_paths.downloads.iterdir())
    assert queue.job(key) is None


def test_partials_of_an_earlier_run_come_back_paused(make_queue, served, hub, data_paths):
    first = make_queue()
    key = start_held(first, served)
    first.close(timeout=0)
    hub.release()
    stopped = first.wait(key, timeout=WAIT)

    second = make_queue()
    restored = second.job(key)
    assert restored.state == JobState.PAUSED
    assert restored.downloaded == stopped.downloaded > 0
    second.resume(key)
    assert second.wait(key, timeout=WAIT).state == JobState.FINISHED
    assert hub.gets(served)[-1].range == f"bytes={stopped.downloaded}-"


def test_a_server_that_ignores_range_restarts_cleanly(make_queue, served, hub):
    served.faults.drop_after = [served.size // 2]
    served.faults.ignore_range = True
    job = download(make_queue())

    assert job.state == JobState.FINISHED
    assert sha256_of(job.path) == served.sha256


def test_at_most_two_downloads_run_at_once(make_queue, hub, tiny_model, tmp_path):
    files = [hub.add_file(REPO, f"tiny-{i}-Q8_0.gguf", tiny_model) for i in range(3)]
    for f in files:  # the same bytes: one blob, held in the middle until released
        f.faults.hold_at = f.size // 2
    queue = make_queue()
    rec = Recorder(queue)
    keys = [queue.add(RemoteFile(REPO, f.filename)).key for f in files]
    rec.wait_for(lambda e: len(rec.of(DownloadStarted)) >= 2)

    states = [queue.job(k).state for k in keys]
    assert states == [JobState.RUNNING, JobState.RUNNING, JobState.QUEUED]
    assert queue.summary().active == 3
    hub.release()
    assert [queue.wait(k, timeout=WAIT).state for k in keys] == [JobState.FINISHED] * 3
    assert len({queue.job(k).path for k in keys}) == 3


def test_an_installed_file_is_not_downloaded_again(make_queue, served, hub):
    queue = make_queue()
    first = download(queue)
    before = len(hub.requests)
    again = download(make_queue())

    assert again.state == JobState.FINISHED and again.path == first.path
    assert len(hub.requests) == before


def test_same_name_from_another_repo_is_installed_beside_it(make_queue, served, hub, tiny_base_model):
    hub.add_file("other/Tiny-GGUF", FILE, tiny_base_model)
    queue = make_queue()
    first = download(queue)
    second = download(queue, RemoteFile("other/Tiny-GGUF", FILE))

    assert second.state == JobState.FINISHED
    assert second.path.name == f"other--Tiny-GGUF--{FILE}"
    assert sha256_of(first.path) != sha256_of(second.path)


def test_a_second_queue_cannot_write_the_same_partial(make_queue, served, hub):
    first = make_queue()
    key = start_held(first, served)

    other = download(make_queue())
    assert other.state == JobState.FAILED
    assert "another localchat" in other.error.message
    hub.release()
    assert first.wait(key, timeout=WAIT).state == JobState.FINISHED


def test_failed_download_can_be_retried(make_queue, served, data_paths):
    served.faults.get_statuses = [500] * 3
    queue = make_queue(retry=RetryPolicy(attempts=1, base_delay=0.01))
    failed = download(queue)
    assert failed.state == JobState.FAILED and isinstance(failed.error, DownloadError)

    queue.resume(failed.key)
    assert queue.wait(failed.key, timeout=WAIT).state == JobState.FINISHED


def test_remote_file_spec_parsing():
    remote = RemoteFile.parse("bartowski/Llama-GGUF/sub/Llama-Q4_K_M.gguf")
    assert (remote.repo_id, remote.filename, remote.basename) == \
        ("bartowski/Llama-GGUF", "sub/Llama-Q4_K_M.gguf", "Llama-Q4_K_M.gguf")
    with pytest.raises(RemoteNotFoundError, match="OWNER/REPO/FILE"):
        RemoteFile.parse("just-a-name")
