"""Safe by default: this computer only, a key when asked, CORS only for listed origins, bounded
bodies, and clear errors in OpenAI's shape."""

import openai
import pytest

from localchat.core.errors import LocalChatError
from localchat.server.runner import ApiServer
from tests.server.conftest import openai_client, raw, wait_until

HELLO = [{"role": "user", "content": "hello"}]
JSON = {"Content-Type": "application/json"}


def test_a_key_is_required_when_set(serve):
    server = serve(api_key="s3cret")
    with pytest.raises(openai.AuthenticationError):
        openai_client(server, api_key="wrong").models.list()
    status, _, body = raw(server, "GET", "/v1/models")
    assert status == 401 and "API key" in body["error"]["message"]
    assert [m.id for m in openai_client(server, api_key="s3cret").models.list()] == ["tiny-chat"]
    assert raw(server, "GET", "/health")[0] == 200


def test_serving_beyond_this_computer_needs_a_key(worker):
    with pytest.raises(LocalChatError, match="API key"):
        ApiServer(worker, host="0.0.0.0", port=0)


def preflight(server, origin):
    return raw(server, "OPTIONS", "/v1/chat/completions", headers={
        "Origin": origin, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type"})


def test_cors_answers_only_the_listed_origins(serve):
    server = serve(cors_origins=["http://localhost:3000"])
    status, headers, _ = preflight(server, "http://localhost:3000")
    assert status == 200
    assert headers["access-control-allow-origin"] == "http://localhost:3000"
    assert "POST" in headers["access-control-allow-methods"]
    assert "authorization" in headers["access-control-allow-headers"].lower()
    status, headers, _ = preflight(server, "http://evil.example")
    assert "access-control-allow-origin" not in headers
    _, headers, _ = raw(server, "GET", "/v1/models", headers={"Origin": "http://localhost:3000"})
    assert headers["access-control-allow-origin"] == "http://localhost:3000"


def test_without_listed_origins_there_are_no_cors_headers(serve):
    _, headers, _ = preflight(serve(), "http://localhost:3000")
    assert not [h for h in headers if h.startswith("access-control")]


def test_an_oversize_body_is_a_413(serve):
    server = serve(max_body_bytes=1024)
    status, _, body = raw(server, "POST", "/v1/chat/completions",
                          {"messages": [{"role": "user", "content": "x" * 2000}]}, JSON)
    assert status == 413 and "larger than" in body["error"]["message"]
    assert raw(server, "POST", "/v1/chat/completions", {"messages": HELLO, "max_tokens": 2}, JSON)[0] == 200


@pytest.mark.parametrize("body, words", [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "JSON object"),
    (b'{"messages": "hello"}', "messages"),
    (b'{"messages": []}', "messages"),
    (b'{"messages": [{"role": "user", "content": "hi"}], "temperature": "hot"}', "temperature"),
    (b'{"messages": [{"role": "tool", "content": "hi"}]}', "role"),
])
def test_a_malformed_body_is_a_400_with_a_message_in_openai_shape(serve, body, words):
    status, _, answer = raw(serve(), "POST", "/v1/chat/completions", body, JSON)
    assert status == 400
    error = answer["error"]
    assert set(error) == {"message", "type", "param", "code"}
    assert error["type"] == "invalid_request_error" and words in error["message"]


def test_an_unknown_path_is_a_404_in_openai_shape(serve):
    status, _, answer = raw(serve(), "GET", "/v1/nothing")
    assert status == 404 and answer["error"]["message"]


def lines(caplog):
    return [r.getMessage() for r in caplog.records if "/v1/chat/completions" in r.getMessage()]


def test_each_request_leaves_a_log_line_without_the_messages(serve, caplog):
    client = openai_client(serve())
    with caplog.at_level("INFO", logger="localchat.server"):
        client.chat.completions.create(model="tiny-chat", max_tokens=3, messages=[
            {"role": "user", "content": "my secret plan"}])
        # the line is written once the response has gone out, so it may come just after it
        wait_until(lambda: lines(caplog), "the request's log line")
    (line,) = lines(caplog)
    assert "POST /v1/chat/completions 200" in line and "completion 3 tokens" in line
    assert "secret" not in caplog.text
