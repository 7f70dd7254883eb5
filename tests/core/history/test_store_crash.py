"""Never lose anything: a killed app, a damaged file, a read-only folder."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from localchat.core.errors import CorruptDatabaseError
from localchat.core.history.schema import needs_check_marker
from localchat.core.history.store import Store

STREAMER = textwrap.dedent("""
    import json, sys
    from localchat.core.history.store import Store

    store = Store.open(sys.argv[1])
    conv = store.create_conversation(model="tiny")
    store.add_user_message(conv.id, "Tell me a long story.")
    now = [0.0]
    writer = store.begin_reply(conv.id, model="tiny", clock=lambda: now[0])
    saves = 0
    for i in range(1000):
        now[0] += 0.3  # a token every 0.3 s: a save every fourth token
        if writer.append(f"word{i} "):
            saves += 1
            print(json.dumps({"conversation": conv.id, "message": writer.message_id,
                              "saved": writer.text}), flush=True)
            if saves == 3:
                break
    writer.append("never saved ")  # the app dies before the next save is due
    print("streaming", flush=True)
    sys.stdin.read()
""")


def test_a_reply_killed_mid_stream_keeps_the_text_up_to_the_last_save(data_paths):
    watcher = Store.open(data_paths.database)  # a second instance reading while the first writes
    proc = subprocess.Popen([sys.executable, "-c", STREAMER, str(data_paths.database)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        lines = []
        for line in proc.stdout:
            if line.strip() == "streaming":
                break
            lines.append(json.loads(line))
        last = lines[-1]
        assert len(lines) == 3
        assert watcher.message(last["message"]).content == last["saved"]
        proc.kill()  # SIGKILL: no cleanup, no checkpoint of the WAL
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    watcher.close()

    with Store.open(data_paths.database) as store:
        page = store.branch_page(last["conversation"])
        assert [m.role for m in page.messages] == ["user", "assistant"]
        assert page.messages[0].content == "Tell me a long story."
        cut = page.messages[1]
        assert cut.content == last["saved"]
        assert cut.content.startswith("word0 word1 ") and "never saved" not in cut.content
        assert cut.partial and cut.stats is None
        assert store.list_conversations()[0].title == "Tell me a long story."


def test_a_file_that_is_not_a_database_is_moved_aside_and_a_fresh_one_starts(data_paths):
    junk = b"this is not SQLite at all\n" * 200
    data_paths.database.write_bytes(junk)

    with Store.open(data_paths.database) as store:
        assert isinstance(store.recovery, CorruptDatabaseError)
        moved = list(data_paths.root.glob("conversations.sqlite3.damaged-*"))
        assert len(moved) == 1 and moved[0].read_bytes() == junk
        assert str(moved[0]) in str(store.recovery)
        conv = store.create_conversation()
        store.add_user_message(conv.id, "a new start")
    with Store.open(data_paths.database) as store:
        assert store.recovery is None
        assert [c.title for c in store.list_conversations()] == ["a new start"]


def test_a_damaged_page_is_reported_then_the_file_is_replaced_at_the_next_start(data_paths):
    with Store.open(data_paths.database) as store:
        conv = store.create_conversation(title="will be damaged")
        for i in range(400):
            store.add_user_message(conv.id, f"message {i} " + "lorem ipsum " * 30)
    conn = sqlite3.connect(data_paths.database)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'messages'").fetchone()[0]
    conn.close()
    with open(data_paths.database, "r+b") as f:  # garbage over the messages table's root page
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)

    store = Store.open(data_paths.database)  # the conversation list still reads
    assert [c.title for c in store.list_conversations()] == ["will be damaged"]
    with pytest.raises(CorruptDatabaseError, match="Restart localchat"):
        store.branch_page(conv.id)
    store.close()
    assert needs_check_marker(data_paths.database).exists()

    with Store.open(data_paths.database) as store:
        assert isinstance(store.recovery, CorruptDatabaseError)
        assert store.list_conversations() == []
    assert len(list(data_paths.root.glob("conversations.sqlite3.damaged-*"))) == 1
    assert not needs_check_marker(data_paths.database).exists()


# Root ignores file permissions; in a new user namespace root's own files are checked like
# anyone's, so the child below really meets a read-only folder.
OPEN_IN_CHILD = textwrap.dedent("""
    import ctypes, json, os, sys
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        if ctypes.CDLL(None, use_errno=True).unshare(0x10000000) != 0:  # CLONE_NEWUSER
            sys.exit(77)
    from localchat.core.history.store import Store
    from localchat.core.errors import LocalChatError
    try:
        Store.open(sys.argv[1]).close()
        print(json.dumps({"opened": True}))
    except LocalChatError as exc:
        print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
""")


def open_in_read_only_folder(folder, database) -> dict:
    if sys.platform == "win32":
        pytest.skip("a folder's write permission is not a mode bit on Windows")
    folder.chmod(0o555)
    try:
        child = subprocess.run([sys.executable, "-c", OPEN_IN_CHILD, str(database)],
                               capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)
    if child.returncode == 77:
        pytest.skip("cannot give up root's power over file permissions here")
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


def test_a_read_only_data_folder_gives_a_clear_error(data_paths):
    result = open_in_read_only_folder(data_paths.root, data_paths.database)
    assert result["error"] == "DataDirError"
    assert "read-only" in result["message"] and "--data-dir" in result["message"]
    assert not data_paths.database.exists()


def test_an_existing_history_in_a_read_only_folder_is_never_moved_aside(data_paths):
    with Store.open(data_paths.database) as store:
        store.add_user_message(store.create_conversation().id, "keep me")
    before = data_paths.database.read_bytes()

    result = open_in_read_only_folder(data_paths.root, data_paths.database)

    assert result.get("error") == "DataDirError", result
    assert data_paths.database.read_bytes() == before
    assert not list(data_paths.root.glob("*.damaged-*"))
