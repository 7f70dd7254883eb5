"""A download whose process is killed mid-way resumes in a new process from the bytes on disk."""

from __future__ import annotations

import queue
import subprocess
import sys
import threading

from localchat.core.downloads.events import JobState
from localchat.core.downloads.hub import RemoteFile
from localchat.core.downloads.queue import DownloadQueue
from tests.hub_server import HubServer, sha256_of

REPO, FILE = "acme/Tiny-Chat-GGUF", "tiny-chat-Q4_K_M.gguf"
WAIT = 60

CHILD = """
import sys
from localchat.core.downloads.events import DownloadProgress
from localchat.core.downloads.queue import DownloadQueue
from localchat.core.downloads.hub import RemoteFile
from localchat.core.paths import DataPaths

endpoint, root, repo, name = sys.argv[1:]
q = DownloadQueue.for_paths(DataPaths(__import__("pathlib").Path(root)).ensure(),
                            endpoint=endpoint, progress_interval=0)
q.subscribe(lambda e: print(e.downloaded, flush=True) if isinstance(e, DownloadProgress) else None)
remote = RemoteFile(repo, name)
q.add(remote)
q.wait(remote.key)
"""


def test_killed_process_resumes_in_a_new_one(tiny_model, data_paths):
    with HubServer() as hub:
        served = hub.add_file(REPO, FILE, tiny_model)
        served.faults.hold_at = served.size // 2  # the child never gets past this
        child = subprocess.Popen([sys.executable, "-c", CHILD, hub.endpoint, str(data_paths.root), REPO, FILE],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines: queue.Queue = queue.Queue()
        threading.Thread(target=lambda: [lines.put(line) for line in child.stdout], daemon=True).start()
        try:
            reported = 0
            while reported == 0:
                reported = int(lines.get(timeout=WAIT))
        finally:
            child.kill()
            child.wait(timeout=WAIT)
        hub.release()

        part = data_paths.downloads / f"{REPO.replace('/', '--')}--{FILE}.part"
        kept = part.stat().st_size
        assert served.size > kept >= reported > 0
        assert not list(data_paths.models.glob("*.gguf"))

        manager = DownloadQueue.for_paths(data_paths, endpoint=hub.endpoint)
        key = RemoteFile(REPO, FILE).key
        assert manager.job(key).state == JobState.PAUSED
        assert manager.job(key).downloaded == kept
        manager.resume(key)
        done = manager.wait(key, timeout=WAIT)

        assert done.state == JobState.FINISHED
        assert hub.gets(served)[-1].range == f"bytes={kept}-"
        assert sha256_of(done.path) == served.sha256
        manager.close()
