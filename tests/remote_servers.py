"""Real servers on local ports for the remote-backend tests: llama-cpp-python's own
OpenAI-compatible server with the tiny model, and a small HTTP server that answers as a
misbehaving one would."""

import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

WAIT = 60  # seconds: a bound for a server start, never a pause


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers(port: int) -> bool:
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        conn.request("GET", "/v1/models")
        return conn.getresponse().status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def llama_server(tiny_model, tmp_path_factory):
    """``python -m llama_cpp.server`` serving the tiny model: its base URL. Its log goes to a file:
    llama.cpp writes timings and tracebacks for every request, and a pipe nobody reads fills up
    after a few hundred of them and stops the server mid-write."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    with open(log_path, "wb") as log_file:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", str(tiny_model), "--model_alias", "tiny",
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "512", "--n_threads", "1"],
            stdout=subprocess.DEVNULL, stderr=log_file)
    deadline = time.monotonic() + WAIT
    while not answers(port):
        if process.poll() is not None:
            pytest.fail("llama_cpp.server did not start: " + log_path.read_text(errors="replace")[-2000:])
        assert time.monotonic() < deadline, "llama_cpp.server did not answer in time"
        time.sleep(0.1)
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()


def chunk(text=None, finish=None, logprobs=None) -> bytes:
    delta = {} if text is None else {"content": text}
    choice = {"index": 0, "delta": delta, "finish_reason": finish}
    if logprobs is not None:
        choice["logprobs"] = {"content": logprobs}
    body = {"id": "c", "object": "chat.completion.chunk", "created": 0, "model": "m", "choices": [choice]}
    return b"data: " + json.dumps(body).encode() + b"\n\n"


# ``logprobs``' stream: "Café!" in three tokens, the "é" split over two of them (its UTF-8 bytes
# given apart: the token text of half a character is no help), alternatives not in order
LOGPROBS_STREAM = [
    ("Caf", [{"token": "Caf", "logprob": -0.1, "bytes": [67, 97, 102], "top_logprobs": [
        {"token": "Tea", "logprob": -2.5, "bytes": [84, 101, 97]},
        {"token": "Caf", "logprob": -0.1, "bytes": [67, 97, 102]}]}]),
    ("é", [{"token": "\\xc3", "logprob": -0.5, "bytes": [0xC3], "top_logprobs": [
        {"token": "\\xc3", "logprob": -0.5, "bytes": [0xC3]},
        {"token": "e", "logprob": -1.2, "bytes": [101]}]},
           {"token": "\\xa9", "logprob": -0.01, "bytes": [0xA9], "top_logprobs": [
        {"token": "\\xa9", "logprob": -0.01, "bytes": [0xA9]}]}]),
    ("!", [{"token": "!", "logprob": -0.7, "top_logprobs": [  # no bytes: the text's
        {"token": ".", "logprob": -0.9}, {"token": "!", "logprob": -0.7},
        {"token": "Caf", "logprob": -4.0}]}]),
]


class Faults(BaseHTTPRequestHandler):
    """``/<fault>/v1/...``: ``401``, ``404``, ``503`` (Retry-After: 7), ``cut`` (three pieces of a
    stream, then the connection closes), ``stall`` (one piece, then nothing until released),
    ``ok`` (a whole short stream, or answer, that ignores any format asked), ``formats`` (the same,
    but a whole answer follows the JSON schema or grammar asked), ``logprobs`` (``LOGPROBS_STREAM``,
    each piece with its tokens' probabilities). ``requests`` keeps the body of each POST."""

    release = threading.Event()
    requests: list[dict] = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path.endswith("/v1/models"):
            return self.json(200, {"object": "list", "data": [{"id": "m", "object": "model"}]})
        self.json(404, {"error": {"message": "no such path"}})

    def do_POST(self):
        length = int(self.headers.get("content-length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        Faults.requests.append(body)
        fault = self.path.split("/")[1]
        if fault == "401":
            return self.json(401, {"error": {"message": "Invalid API key", "type": "auth"}})
        if fault == "404":
            return self.json(404, {"error": {"message": "model 'm' not found"}})
        if fault == "503":
            return self.json(503, {"error": {"message": "too many requests waiting"}}, {"Retry-After": "7"})
        if fault in ("ok", "logprobs", "formats") and not body.get("stream"):
            content = "all fine"  # whatever the format asked: a field it does not know is ignored
            if fault == "formats" and body.get("response_format"):
                content = '{"ok": true}'
            elif fault == "formats" and body.get("grammar"):
                content = "yes"
            return self.json(200, {"id": "c", "object": "chat.completion", "created": 0, "model": "m",
                                   "choices": [{"index": 0, "finish_reason": "stop",
                                                "message": {"role": "assistant", "content": content}}]})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if fault == "cut":
            for piece in ("one ", "two ", "three "):
                self.wfile.write(chunk(piece))
                self.wfile.flush()
            self.wfile.write(b"data: {\"choi")  # half a chunk, then the connection is gone
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault == "stall":
            self.wfile.write(chunk("waiting "))
            self.wfile.flush()
            Faults.release.wait(WAIT)
            return
        if fault == "logprobs":
            for piece, logprobs in LOGPROBS_STREAM:
                self.wfile.write(chunk(piece, logprobs=logprobs))
            self.wfile.write(chunk(None, "stop"))
            self.wfile.write(b"data: [DONE]\n\n")
            return
        for piece in ("all ", "fine"):
            self.wfile.write(chunk(piece))
        self.wfile.write(chunk(None, "stop"))
        self.wfile.write(b"data: [DONE]\n\n")

    def json(self, status, body, headers=None):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def faults():
    """The misbehaving server's address: ``f"{faults}/503"`` is a backend that answers 503."""
    Faults.release.clear()
    Faults.requests.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Faults)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    Faults.release.set()
    server.shutdown()
    server.server_close()
