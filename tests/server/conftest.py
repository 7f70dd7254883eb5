"""A real API server on a free local port over a real inference worker and the tiny model."""

import http.client
import json
import threading
import time

import pytest

from localchat.core.inference.worker import InferenceWorker, LoadJob, ReplyDelta, ReplyFinished
from localchat.server.runner import ApiServer

WAIT = 30  # seconds: a bound for what takes milliseconds, never a pause


@pytest.fixture
def worker(tiny_model):
    worker = InferenceWorker(batch_seconds=0).start()
    load = worker.submit(LoadJob(str(tiny_model), n_ctx=512))
    assert load.done.wait(WAIT)
    yield worker
    assert worker.stop(timeout=WAIT)


@pytest.fixture
def serve(worker):
    """``serve(**options)``: an ApiServer over the worker, on a free port, stopped afterwards."""
    started = []

    def start(**options):
        server = ApiServer(worker, port=0, **options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def openai_client(server, api_key="unused", **options):
    import openai

    return openai.OpenAI(base_url=server.base_url, api_key=api_key, max_retries=0, timeout=WAIT, **options)


def raw(server, method, path, body=None, headers=None):
    """(status, headers, parsed JSON or text) of one plain HTTP request."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=WAIT)
    try:
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        conn.request(method, path, body=data, headers=headers or {})
        response = conn.getresponse()
        text = response.read().decode()
        try:
            payload = json.loads(text)
        except ValueError:
            payload = text
        return response.status, {k.lower(): v for k, v in response.getheaders()}, payload
    finally:
        conn.close()


class Hold:
    """Holds the inference worker inside a reply: its listener blocks the worker's thread at the
    first reply text of the next job to write one, until ``release()``. Subscribed after the
    server, so the server has already passed that text on."""

    def __init__(self, worker):
        self.job = None
        self.held = threading.Event()
        self._release = threading.Event()
        self.finished = {}
        worker.subscribe(self)  # only the first reply is held; the rest are recorded

    def __call__(self, event):
        if isinstance(event, ReplyFinished):
            self.finished[event.job] = event.stats
        if isinstance(event, ReplyDelta) and self.job is None:
            self.job = event.job
            self.held.set()
            assert self._release.wait(WAIT)

    def release(self):
        self._release.set()


def wait_until(condition, what):
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.005)
