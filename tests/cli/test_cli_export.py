"""``localchat conversations / export / import`` as a person runs them: a real process."""

import json
import os
import subprocess
import sys

import pytest

from localchat.core.chat.stats import GenerationStats
from localchat.core.history.store import Store
from localchat.core.paths import DataPaths


def localchat(*args, data_dir, timeout=120):
    env = {**os.environ, "LOCALCHAT_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "localchat", *args], capture_output=True,
                          text=True, timeout=timeout, env=env, encoding="utf-8")


@pytest.fixture
def history(tmp_path):
    paths = DataPaths(tmp_path / "data").ensure()
    with Store.open(paths.database) as store:
        conv = store.create_conversation(model="tiny.gguf")
        store.add_user_message(conv.id, "How do I boil an egg?")
        writer = store.begin_reply(conv.id)
        writer.append("Put it in boiling water for **9 minutes**.")
        reply = writer.finish(GenerationStats("eos", completion_tokens=11))
        store.regenerate(reply.id).finish(GenerationStats("eos"))
        store.switch_branch(reply.id)
    return paths.root, conv.id


def test_conversations_lists_ids_and_titles(history):
    root, cid = history
    out = localchat("conversations", data_dir=root)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[0] == str(cid)
    assert "How do I boil an egg?" in out.stdout
    found = localchat("conversations", "--search", "minut", data_dir=root)
    assert "9 minutes" in found.stdout


def test_export_writes_the_file_in_each_format(history, tmp_path):
    root, cid = history
    for fmt, check in (("md", "## You"), ("html", "<!DOCTYPE html>"), ("json", '"format"')):
        target = tmp_path / f"egg.{fmt}"
        out = localchat("export", str(cid), "--format", fmt, "-o", str(target), data_dir=root)
        assert out.returncode == 0, out.stderr
        assert check in target.read_text(encoding="utf-8")
    # the format follows the file name when --format is not given; no file: standard output
    assert localchat("export", str(cid), "-o", str(tmp_path / "x.html"), data_dir=root).returncode == 0
    assert (tmp_path / "x.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert "9 minutes" in localchat("export", str(cid), data_dir=root).stdout


def test_an_exported_conversation_imports_with_all_its_branches(history, tmp_path):
    root, cid = history
    target = tmp_path / "egg.json"
    localchat("export", str(cid), "--format", "json", "-o", str(target), data_dir=root)
    out = localchat("import", str(target), data_dir=tmp_path / "elsewhere")
    assert out.returncode == 0, out.stderr
    assert "imported as conversation 1" in out.stdout
    with Store.open(tmp_path / "elsewhere" / "conversations.sqlite3") as store:
        assert len(store.tree(1)) == 3
        assert json.loads(target.read_text(encoding="utf-8"))["messages"][1]["content"] == \
            "Put it in boiling water for **9 minutes**."


def test_a_missing_conversation_or_file_says_what_to_do(history, tmp_path):
    root, _ = history
    out = localchat("export", "999", data_dir=root)
    assert out.returncode == 1
    assert "no conversation 999" in out.stderr and "localchat conversations" in out.stderr
    out = localchat("import", str(tmp_path / "nope.json"), data_dir=root)
    assert out.returncode == 1 and "cannot be read" in out.stderr
