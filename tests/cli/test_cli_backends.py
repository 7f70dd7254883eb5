"""``localchat backends`` and ``localchat chat --backend`` as a person runs them, against real
servers on local ports."""

import json

from localchat.cli.main import main


def run(capsys, data, *args):
    code = main(["--data-dir", str(data), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_add_asks_the_server_then_list_and_rm(capsys, tmp_path, llama_server):
    data = tmp_path / "data"
    code, out, err = run(capsys, data, "backends", "add", "llama", llama_server)
    assert code == 0, err
    assert f"Added llama: {llama_server}/v1" in out
    assert "Models: tiny" in out and "streaming" in out.split("Can do:")[1]
    assert "no embeddings:" in err  # what it cannot do, and why
    saved = json.loads((data / "backends.json").read_text())
    assert [b["name"] for b in saved["backends"]] == ["llama"]

    code, out, _ = run(capsys, data, "backends", "list")
    assert code == 0 and f"llama  {llama_server}/v1" in out and "models: tiny" in out

    code, _, err = run(capsys, data, "backends", "rm", "llama")
    assert code == 0 and "Removed llama." in err
    assert run(capsys, data, "backends", "list")[2].startswith("No backends yet.")


def test_a_server_that_cannot_be_reached_is_not_added(capsys, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    code, out, err = run(capsys, tmp_path / "data", "backends", "add", "gone", f"http://127.0.0.1:{port}")
    assert code == 1 and out == ""
    assert f"Cannot reach 127.0.0.1:{port}" in err and "Traceback" not in err
    assert not (tmp_path / "data" / "backends.json").exists()


def test_a_server_that_needs_a_key_says_so_and_the_key_is_not_in_the_list(capsys, tmp_path, faults):
    data = tmp_path / "data"
    code, _, err = run(capsys, data, "backends", "add", "locked", f"{faults}/401", "--api-key", "s3cret")
    assert code == 0, err  # /v1/models answers; the chat probes are refused, each saying why
    assert "no streaming: " in err and "HTTP 401" in err
    assert "s3cret" not in (data / "backends.json").read_text()
    assert "key kept" in run(capsys, data, "backends", "list", "--offline")[1]


def test_a_bad_address_or_name_is_one_line(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path / "data", "backends", "add", "x", "ftp://host")
    assert code == 1 and "is not a server address" in err
    code, _, err = run(capsys, tmp_path / "data", "backends", "add", "../x", "http://127.0.0.1:1")
    assert code == 1 and "cannot name a backend" in err
    code, _, err = run(capsys, tmp_path / "data", "backends", "rm", "nothing")
    assert code == 1 and "no backend named 'nothing'" in err


def test_chat_through_a_backend_streams_and_saves_the_reply_marked_with_backend_and_model(
        capsys, tmp_path, llama_server):
    from localchat.core.history.store import Store

    data = tmp_path / "data"
    assert run(capsys, data, "backends", "add", "llama", llama_server)[0] == 0
    code, out, err = run(capsys, data, "chat", "--backend", "llama", "--max-tokens", "8", "--temperature", "0",
                         "hello there")
    assert code == 0, err
    assert out.strip() and "Saved as conversation" in err
    with Store.open(data / "conversations.sqlite3") as store:
        (conversation,) = store.list_conversations()
        reply = store.tree(conversation.id)[-1]
    assert reply.content.strip() == out.strip()
    assert reply.model == "tiny @ llama"  # the only model: chosen without --model


def test_chat_through_a_backend_that_fails_says_why_and_keeps_the_question(capsys, tmp_path, faults):
    data = tmp_path / "data"
    assert run(capsys, data, "backends", "add", "busy", f"{faults}/503")[0] == 0
    code, _, err = run(capsys, data, "chat", "--backend", "busy", "--model", "nope", "hi")
    assert code == 1 and "busy has no model 'nope'" in err and "Its models: m" in err
    code, _, err = run(capsys, data, "chat", "--backend", "busy", "hi")
    assert code == 1 and "is busy (HTTP 503). Try again in 7 s." in err and "Traceback" not in err


def test_chat_through_a_backend_writes_the_servers_token_probabilities(
        capsys, tmp_path, llama_server, faults):
    data = tmp_path / "data"
    assert run(capsys, data, "backends", "add", "llama", llama_server)[0] == 0
    code, out, err = run(capsys, data, "chat", "--backend", "llama", "--max-tokens", "6",
                         "--temperature", "0", "--top-logprobs", "2", "--jsonl", "hello there")
    assert code == 0, err
    lines = [json.loads(line) for line in out.splitlines()]
    assert len(lines) == 6 and [t["index"] for t in lines] == list(range(6))
    for token in lines:
        assert token["logprob"] <= 0 and 1 <= len(token["top_logprobs"]) <= 2
        assert token["entropy"] is None and token["sampled_probability"] is None  # the server says neither
        assert token["id"] is None and bytes(token["bytes"]).decode() == token["text"]

    assert run(capsys, data, "backends", "add", "plain", f"{faults}/ok")[0] == 0
    code, out, err = run(capsys, data, "chat", "--backend", "plain", "--top-logprobs", "2", "hi")
    assert code == 0, err
    assert out.strip() == "all fine" and "the server gave no token probabilities" in err


def test_chat_through_llama_cpp_server_with_a_json_schema_gets_a_reply_held_to_it(
        capsys, tmp_path, llama_server):
    data = tmp_path / "data"
    schema = tmp_path / "color.json"
    schema.write_text('{"type": "object", "required": ["color"], '
                      '"properties": {"color": {"enum": ["red", "blue"]}}}')
    assert run(capsys, data, "backends", "add", "llama", llama_server)[0] == 0
    code, out, err = run(capsys, data, "chat", "--backend", "llama", "--max-tokens", "48",
                         "--temperature", "0", "--json-schema", str(schema), "Pick a color.")
    assert code == 0, err  # llama-cpp-python's server refuses OpenAI's json_schema type: llama.cpp's form
    assert json.loads(out)["color"] in ("red", "blue")
