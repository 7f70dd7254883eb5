"""``localchat chat --top-logprobs N``: each token with its probability, as JSON lines, as plain
lines into a pipe, coloured on a terminal; the reply is saved with its probabilities."""

from __future__ import annotations

import json
import math
import os
import pty
import subprocess
import sys

from localchat.core.history.store import Store
from tests.cli.test_cli_chat import WAIT, localchat


def saved_reply(data_dir):
    with Store.open(data_dir / "conversations.sqlite3") as store:
        (conversation,) = store.list_conversations()
        reply = store.branch(conversation.id)[-1]
        return reply, store.reply_tokens(reply.id)


def test_jsonl_is_one_line_per_token_with_its_alternatives(tmp_path, tiny_model):
    data = tmp_path / "data"
    out = localchat("chat", "--model", str(tiny_model), "--max-tokens", "10", "--temperature", "0",
                    "--top-logprobs", "3", "--jsonl", "tell me about the water", data_dir=data)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 10
    for n, token in enumerate(lines):
        assert token["index"] == n and bytes(token["bytes"]).decode("utf-8", "replace") == token["text"]
        assert len(token["top_logprobs"]) == 3 and token["logprob"] <= 0
        assert token["top_logprobs"][0]["id"] == token["id"]  # temperature 0: the most likely one
        assert token["probability"] == math.exp(token["logprob"])
        assert token["entropy"] >= 0 and token["sampled_probability"] == 1.0
    reply, tokens = saved_reply(data)
    assert [t["id"] for t in lines] == tokens.ids.tolist()
    assert "".join(t["text"] for t in lines).lstrip() == reply.content


def test_into_a_pipe_each_token_is_a_plain_line(tmp_path, tiny_model):
    out = localchat("chat", "--model", str(tiny_model), "--max-tokens", "8", "--seed", "2",
                    "--top-logprobs", "2", "--no-save", "hello", data_dir=tmp_path / "data")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert len(lines) == 8 and "\x1b[" not in out.stdout
    for line in lines:
        probability, token, _alternatives = line.split("\t")
        assert probability.strip().endswith("%") and 0 <= float(probability.strip()[:-1]) <= 100
        json.loads(token)


def test_on_a_terminal_tokens_are_coloured_by_probability(tmp_path, tiny_model):
    env = {**os.environ, "LOCALCHAT_DATA_DIR": str(tmp_path / "data")}
    env.pop("NO_COLOR", None)
    leader, follower = pty.openpty()
    child = subprocess.Popen([sys.executable, "-m", "localchat", "chat", "--model", str(tiny_model),
                              "--max-tokens", "8", "--top-logprobs", "2", "--no-save", "hello"],
                             stdout=follower, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert child.wait(WAIT) == 0, child.stderr.read().decode()
    os.close(leader)
    shown = b"".join(chunks).decode()
    assert shown.count("\x1b[48;5;") >= 7  # a colour per token (an empty one shows nothing)
    assert "token probability" in child.stderr.read().decode()  # the legend


def test_jsonl_alone_says_what_it_needs(tmp_path, tiny_model):
    out = localchat("chat", "--model", str(tiny_model), "--jsonl", "hello", data_dir=tmp_path / "data")
    assert out.returncode != 0 and "--top-logprobs" in out.stderr and "Traceback" not in out.stderr
    out = localchat("chat", "--model", str(tiny_model), "--top-logprobs", "50", "hello",
                    data_dir=tmp_path / "data")
    assert out.returncode != 0 and "0 to 20" in out.stderr
