"""``localchat serve`` as a person runs it: the URL printed, requests answered, SIGTERM ends it."""

import os
import re
import signal
import socket
import subprocess
import sys

import pytest

from tests.server.conftest import WAIT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is not a signal there")


def serve(data, *args):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "localchat", "serve", "--data-dir", str(data), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def test_serve_prints_the_url_answers_and_stops_on_sigterm(tmp_path, tiny_model):
    import openai

    process = serve(tmp_path / "data", "--model", str(tiny_model), "--port", "0", "--ctx", "512")
    try:
        line = process.stdout.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/v1", line)
        assert url, line + process.stderr.read()
        client = openai.OpenAI(base_url=url.group(0), api_key="unused", max_retries=0, timeout=WAIT)
        assert [m.id for m in client.models.list()] == ["tiny-chat"]
        reply = client.chat.completions.create(model="tiny-chat", max_tokens=4,
                                               messages=[{"role": "user", "content": "hi"}])
        assert reply.choices[0].message.content
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_a_port_in_use_is_named_and_exits_1(tmp_path, tiny_model):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = serve(tmp_path / "data", "--model", str(tiny_model), "--port", str(port))
        out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 1
    assert f"Port {port}" in err and "already in use" in err and "Traceback" not in err
    assert out == ""


def test_a_network_address_without_a_key_is_refused(tmp_path, tiny_model):
    process = serve(tmp_path / "data", "--model", str(tiny_model), "--host", "0.0.0.0", "--port", "0")
    _, err = process.communicate(timeout=WAIT)
    assert process.returncode == 1 and "API key" in err


def test_serve_loads_an_installed_model_a_request_names_and_logs_each_request(tmp_path, tiny_model):
    import openai

    from localchat.core.testing.tiny_model import write_tiny_gguf

    data = tmp_path / "data"
    write_tiny_gguf(data / "models" / "other.gguf", seed=4)
    process = serve(data, "--model", str(tiny_model), "--port", "0", "--ctx", "512")
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/v1", process.stdout.readline())
        client = openai.OpenAI(base_url=url.group(0), api_key="unused", max_retries=0, timeout=WAIT)
        assert [m.id for m in client.models.list()] == ["tiny-chat", "other"]
        reply = client.chat.completions.create(model="other", max_tokens=4,
                                               messages=[{"role": "user", "content": "a secret"}])
        assert reply.model == "other" and reply.choices[0].message.content
        assert [m.id for m in client.models.list()][0] == "other"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=WAIT)
    finally:
        process.kill()
    assert process.returncode == 0, err
    log = (data / "logs" / "localchat.log").read_text(encoding="utf-8")
    assert "POST /v1/chat/completions 200 · other · prompt" in log
    assert "a secret" not in log  # no message contents unless asked for
