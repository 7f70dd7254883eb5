"""``localchat chat`` as a person runs it: one reply to a prompt, or a chat read line by line from
stdin, each reply saved in the history as the window saves it, with the real tiny model."""

from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading

import pytest

from localchat.cli.main import main
from localchat.core.chat.messages import ASSISTANT, USER, Sampling
from localchat.core.chat.stats import StopReason
from localchat.core.history.store import Store

WAIT = 120
STATS = re.compile(r"prompt (\d+) tokens, (\d+) evaluated")


def localchat(*args, data_dir, stdin: str | None = None, env: dict | None = None):
    env = {**os.environ, "LOCALCHAT_DATA_DIR": str(data_dir), **(env or {})}
    done = subprocess.run([sys.executable, "-m", "localchat", *args], capture_output=True, timeout=WAIT,
                          env=env, input=None if stdin is None else stdin.encode())
    # decoded here, not by text=True, which would turn a "\r" the model wrote into "\n"
    done.stdout, done.stderr = done.stdout.decode(), done.stderr.decode()
    return done


def prompt_counts(stderr: str) -> list[tuple[int, int]]:
    """(prompt tokens, evaluated prompt tokens) of each reply, from the --stats lines."""
    return [(int(a), int(b)) for a, b in STATS.findall(stderr)]


def lines_of(stream) -> queue.Queue:
    """The lines of a child's stream as they come, then "" at its end."""
    lines: queue.Queue = queue.Queue()

    def read():
        for line in stream:
            lines.put(line if isinstance(line, str) else line.decode())
        lines.put("")

    threading.Thread(target=read, daemon=True).start()
    return lines


def read_until(lines: queue.Queue, pattern: re.Pattern, seen: list[str]) -> None:
    while True:
        seen.append(lines.get(timeout=WAIT))
        assert seen[-1], "the command ended first:\n" + "".join(seen)
        if pattern.search(seen[-1]):
            return


def saved(data_dir):
    with Store.open(data_dir / "conversations.sqlite3") as store:
        return [(c, store.branch(c.id)) for c in store.list_conversations()]


def test_piped_lines_are_answered_in_one_chat_that_reuses_the_kv_cache(tmp_path, tiny_model):
    data = tmp_path / "data"
    out = localchat("chat", "--model", str(tiny_model), "--max-tokens", "12", "--seed", "3", "--stats",
                    "--system", "You are terse.", data_dir=data,
                    stdin="the first question, with a few words in it\n\nand a second one\n")
    assert out.returncode == 0, out.stderr
    (first_prompt, first_evaluated), (second_prompt, second_evaluated) = prompt_counts(out.stderr)
    assert first_evaluated == first_prompt
    assert second_prompt > first_prompt + 12  # the whole conversation is in the prompt …
    assert second_evaluated < second_prompt - first_prompt  # … and only the new turn is evaluated

    ((conv, branch),) = saved(data)  # one conversation; the empty line sent nothing
    assert conv.system_prompt == "You are terse." and conv.model
    assert [(m.role, m.content) for m in branch[::2]] == [
        (USER, "the first question, with a few words in it"), (USER, "and a second one")]
    replies = branch[1::2]
    assert all(m.role == ASSISTANT and not m.partial for m in replies)
    assert [m.stats.completion_tokens for m in replies] == [12, 12]
    assert out.stdout == "".join(m.content + "\n" for m in replies)  # what was shown is what is kept
    assert f"--conversation {conv.id}" in out.stderr

    listed = localchat("conversations", data_dir=data)
    assert listed.returncode == 0 and f"{conv.id}" in listed.stdout and "the first question" in listed.stdout


def test_a_saved_conversation_continues_with_its_turns_prompt_and_sampling(tmp_path, tiny_model):
    data = tmp_path / "data"
    first = localchat("chat", "--model", str(tiny_model), "--max-tokens", "6", "--seed", "4", "--stats",
                      "--system", "Keep it short.", "remember the water", data_dir=data)
    assert first.returncode == 0, first.stderr
    ((conv, _),) = saved(data)
    ((earlier_prompt, _),) = prompt_counts(first.stderr)

    later = localchat("chat", "--model", str(tiny_model), "--conversation", str(conv.id), "--stats",
                      data_dir=data, stdin="what did I say?\nand then?\n")
    assert later.returncode == 0, later.stderr
    (prompt, evaluated), (second_prompt, second_evaluated) = prompt_counts(later.stderr)
    assert prompt > earlier_prompt + 6 and evaluated == prompt  # the earlier turns, in a new process
    assert second_evaluated < second_prompt - prompt  # then the cache is reused again

    ((again, branch),) = saved(data)
    assert again.id == conv.id and len(branch) == 6
    assert all(m.stats.completion_tokens == 6 for m in branch[1::2])  # the conversation's max_tokens
    assert again.system_prompt == "Keep it short."


def test_no_save_leaves_no_trace_and_can_continue_a_conversation_without_changing_it(tmp_path, tiny_model):
    data, scratch = tmp_path / "data", tmp_path / "tmp"
    scratch.mkdir()
    first = localchat("chat", "--model", str(tiny_model), "--max-tokens", "4", "--stats", "hello",
                      data_dir=data)
    ((conv, branch),) = saved(data)
    ((earlier_prompt, _),) = prompt_counts(first.stderr)

    throwaway = localchat("chat", "--model", str(tiny_model), "--no-save", "--max-tokens", "4",
                          data_dir=data, stdin="a question nobody keeps\n", env={"TMPDIR": str(scratch)})
    assert throwaway.returncode == 0, throwaway.stderr
    assert throwaway.stdout.strip() and "--conversation" not in throwaway.stderr
    continued = localchat("chat", "--model", str(tiny_model), "--no-save", "--conversation", str(conv.id),
                          "--stats", "and this?", data_dir=data, env={"TMPDIR": str(scratch)})
    assert continued.returncode == 0, continued.stderr
    ((prompt, _),) = prompt_counts(continued.stderr)
    assert prompt > earlier_prompt + 4  # it read the saved turns

    assert [(c.id, len(b)) for c, b in saved(data)] == [(conv.id, len(branch))]
    assert list(scratch.iterdir()) == []  # the throwaway history was removed


def test_ctrl_c_stops_a_reply_keeps_its_text_and_the_chat_goes_on(tmp_path, tiny_model):
    data = tmp_path / "data"
    env = {**os.environ, "LOCALCHAT_DATA_DIR": str(data)}
    child = subprocess.Popen(
        [sys.executable, "-m", "localchat", "chat", "--model", str(tiny_model), "--ctx", "8192",
         "--max-tokens", "8000", "--stats"], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, bufsize=0)
    err, lines = lines_of(child.stderr), []
    try:
        child.stdin.write(b"tell me everything\n")
        shown = child.stdout.read(1)  # the reply is streaming: 8,000 tokens to go
        child.send_signal(signal.SIGINT)
        read_until(err, STATS, lines)
        ((_, branch),) = saved(data)
        child.stdin.write(b"and now?\n")
        while len(shown) <= len(branch[1].content.encode()) + 1:  # the first reply, its "\n", then the next
            byte = child.stdout.read(1)
            assert byte, "the command ended first:\n" + "".join(lines)
            shown += byte
        child.send_signal(signal.SIGINT)  # Ctrl+C stops this one too
        read_until(err, STATS, lines)
        child.stdin.close()  # Ctrl+D
        shown += child.stdout.read()
        child.wait(timeout=WAIT)
    finally:
        child.kill()
    stderr = "".join(lines) + "".join(err.queue)
    assert child.returncode == 0, stderr
    assert stderr.count("stopped") == 2 and "Traceback" not in stderr
    ((_, branch),) = saved(data)
    assert [m.role for m in branch] == [USER, ASSISTANT, USER, ASSISTANT]
    for stopped in branch[1::2]:
        assert stopped.stats.stop_reason is StopReason.CANCELLED and 0 < stopped.stats.completion_tokens < 8000
        assert stopped.content and not stopped.partial
    assert shown.decode() == branch[1].content + "\n" + branch[3].content + "\n"  # kept what was shown


def test_ctrl_c_at_the_prompt_ends_the_chat_without_a_traceback(tmp_path, tiny_model):
    data = tmp_path / "data"
    env = {**os.environ, "LOCALCHAT_DATA_DIR": str(data)}
    child = subprocess.Popen(
        [sys.executable, "-m", "localchat", "chat", "--model", str(tiny_model), "--max-tokens", "3",
         "--stats"], env=env, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True)
    err, lines = lines_of(child.stderr), []
    try:
        child.stdin.write("hi\n")
        child.stdin.flush()
        read_until(err, STATS, lines)  # the reply is done: it waits for the next line
        child.send_signal(signal.SIGINT)
        child.wait(timeout=WAIT)
    finally:
        child.kill()
    stderr = "".join(lines) + "".join(err.queue)
    assert child.returncode == 130
    assert "Traceback" not in stderr
    assert len(saved(data)[0][1]) == 2


# -- which model, loaded how ---------------------------------------------------------------------
@pytest.fixture
def in_process(tmp_path, monkeypatch, capsys):
    """``localchat ARGS`` in this process, with ``stdin`` as its input."""
    import io

    data = tmp_path / "data"
    monkeypatch.setenv("LOCALCHAT_DATA_DIR", str(data))

    def call(*args, stdin=""):
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    call.data = data
    return call


def write_settings(data_dir, **values):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.json").write_text(json.dumps(values))


def test_the_model_by_its_installed_name_and_loaded_as_the_settings_say(in_process, tmp_path, tiny_model):
    folder = tmp_path / "my models"
    folder.mkdir()
    (folder / "tiny-chat.gguf").write_bytes(tiny_model.read_bytes())
    write_settings(in_process.data, models_dir=str(folder), n_threads=1, context_length=512)

    code, out, err = in_process("chat", "--model", "tiny-chat", "--max-tokens", "2", "--stats", "hi")
    assert code == 0, err
    assert "1 threads · context 512" in err and out.strip()

    code, _, err = in_process("chat", "--model", "tiny-chat", "--threads", "2", "--ctx", "256",
                              "--gpu", "cpu", "--max-tokens", "2", "--stats", "hi")
    assert code == 0, err
    assert "CPU · 2 threads · context 256" in err  # the flags win over the settings


def test_a_catalog_model_starts_a_chat_as_in_the_window(in_process, tmp_path, tiny_model):
    """Its entry's context and sampling, unless the person set others."""
    from localchat.core.models.catalog import load_catalog
    from localchat.core.models.inventory import InstallRecord, ModelInventory, now_iso

    entry = next(e for e in load_catalog() if e.kind == "chat" and e.sampling.given().get("temperature")
                 and e.default_context <= 8192)
    models = in_process.data / "models"
    models.mkdir(parents=True)
    (models / "catalog-model.gguf").write_bytes(tiny_model.read_bytes())
    ModelInventory(models).save_record(InstallRecord("catalog-model.gguf", tiny_model.stat().st_size, None,
                                                     now_iso(), model_id=entry.id))
    code, _, err = in_process("chat", "--model", entry.id, "--max-tokens", "2", "--stats", "hi")
    assert code == 0, err
    assert f"context {entry.default_context} " in err
    ((conv, _),) = saved(in_process.data)
    assert conv.sampling.temperature == entry.sampling.given()["temperature"] != Sampling().temperature
    assert conv.sampling.max_tokens == 2


def test_without_model_the_last_one_used_is_loaded(in_process, tiny_model):
    write_settings(in_process.data, last_model=str(tiny_model))
    code, out, err = in_process("chat", "--max-tokens", "2", stdin="hi\n")
    assert code == 0, err
    assert out.strip()
    ((conv, _),) = saved(in_process.data)
    assert conv.model and conv.title


@pytest.mark.parametrize("model, says", [
    ("no-such-model", 'No model called "no-such-model" is installed'),
    ("missing/file.gguf", "There is no model file"),
    (None, "none was given and none was used before"),
])
def test_a_missing_model_is_one_line_that_says_what_to_do(in_process, model, says):
    code, out, err = in_process("chat", *(["--model", model] if model else []), stdin="hi\n")
    assert code == 1 and out == ""
    assert says in err and "localchat models" in err
    assert err.count("\n") == 1 and "Traceback" not in err


@pytest.mark.parametrize("kind, says", [("a pipe", "named pipe"), ("a folder", "is a folder")])
def test_a_path_that_is_not_a_file_is_named_for_what_it_is(in_process, tmp_path, kind, says):
    path = tmp_path / "x.gguf"
    os.mkfifo(path) if kind == "a pipe" else path.mkdir()
    code, out, err = in_process("chat", "--model", str(path), "hi")  # a pipe must not block it
    assert code == 1 and out == ""
    assert says in err and "not a model file" in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_a_conversation_that_does_not_exist_says_so(in_process, tiny_model):
    code, _, err = in_process("chat", "--model", str(tiny_model), "--conversation", "42", "hi")
    assert code == 1 and "There is no conversation 42" in err and "localchat conversations" in err


def test_a_system_prompt_given_to_a_continued_conversation_is_kept(in_process, tiny_model):
    code, _, err = in_process("chat", "--model", str(tiny_model), "--max-tokens", "2", "hi")
    assert code == 0, err
    ((conv, _),) = saved(in_process.data)
    code, _, err = in_process("chat", "--model", str(tiny_model), "--conversation", str(conv.id),
                              "--system", "Be brief.", "--temperature", "0.2", "again")
    assert code == 0, err
    ((conv, branch),) = saved(in_process.data)
    assert conv.system_prompt == "Be brief." and conv.sampling.temperature == 0.2
    assert conv.sampling.max_tokens == 2 and len(branch) == 4
    assert [m.role for m in branch] == [USER, ASSISTANT, USER, ASSISTANT]


# -- models whose chat template fails ------------------------------------------------------------
def template_model(tmp_path, template, special):
    from localchat.core.testing.tiny_model import write_tiny_gguf

    return write_tiny_gguf(tmp_path / "model with a template.gguf", chat_template=template,
                           special_tokens=special)


def test_gemma_2_with_a_system_prompt_replies_and_says_once_what_was_done(tmp_path):
    from localchat.core.testing.chat_templates import REAL_TEMPLATES

    gemma = REAL_TEMPLATES["gemma2"]
    model = template_model(tmp_path, gemma.source, gemma.special_tokens)
    out = localchat("chat", "--model", str(model), "--system", "Be brief.", "--max-tokens", "4", "--no-save",
                    data_dir=tmp_path / "data", stdin="hi\nand again\n")
    assert out.returncode == 0, out.stderr
    assert len(out.stdout.strip().splitlines()) == 2  # both messages answered
    assert out.stderr.splitlines() == [
        "note: This model's template has no system role: the system prompt was put in the first message."]


@pytest.mark.parametrize("kind", ["a syntax error", "an unknown filter", "raises", "a time bomb",
                                  "an output bomb"])
def test_a_model_whose_template_fails_chats_with_one_line_of_note_and_no_traceback(tmp_path, kind):
    from localchat.core.testing import chat_templates as corpus

    template = {"raises": corpus.RAISES, "a time bomb": corpus.TIME_BOMBS["three nested loops of 9,999"],
                "an output bomb": corpus.SIZE_BOMBS["a string times 10**10"]}.get(kind) or corpus.BROKEN[kind]
    model = template_model(tmp_path, template, ("<|im_start|>", "<|im_end|>"))
    out = localchat("chat", "--model", str(model), "--max-tokens", "4", "--no-save", "hi",
                    data_dir=tmp_path / "data")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip()
    (note,) = out.stderr.splitlines()
    assert note.startswith("note: This model's chat template cannot be used (")
    assert note.endswith("its prompts are written in the ChatML format its special tokens name.")
    assert "Traceback" not in out.stderr


# -- the real demo model -------------------------------------------------------------------------
@pytest.mark.demo
def test_a_question_piped_to_the_demo_model_is_answered_and_listed(tmp_path, demo_model):
    data = tmp_path / "data"
    out = localchat("chat", "--model", str(demo_model), "--temperature", "0", "--max-tokens", "48",
                    data_dir=data, stdin="What is the capital of France?\n")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() and "Paris" in out.stdout
    listed = localchat("conversations", data_dir=data)
    assert listed.returncode == 0 and "What is the capital of France?" in listed.stdout
