"""The local Hub and the download queues the download tests share."""

from __future__ import annotations

import pytest

from localchat.core.downloads.events import RetryPolicy
from localchat.core.downloads.queue import DownloadQueue
from tests.hub_server import HubServer

REPO = "acme/Tiny-Chat-GGUF"
FILE = "tiny-chat-Q4_K_M.gguf"


@pytest.fixture
def hub():
    with HubServer() as server:
        yield server


@pytest.fixture
def served(hub, tiny_model):
    """The tiny model on the Hub as REPO/FILE."""
    return hub.add_file(REPO, FILE, tiny_model)


@pytest.fixture
def make_queue(data_paths, hub):
    queues = []

    def make(**options) -> DownloadQueue:
        options = {"endpoint": hub.endpoint, "retry": RetryPolicy(attempts=3, base_delay=0.01),
                   "timeout": 5, "progress_interval": 0, **options}
        queue = DownloadQueue.for_paths(data_paths, **options)
        queues.append(queue)
        return queue

    yield make
    for queue in queues:
        queue.close()
