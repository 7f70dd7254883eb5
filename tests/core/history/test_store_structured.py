"""A structured reply's check is kept with the message: saved, read back, migrated into an older
history, exported and imported; the conversation's response format is kept with its sampling."""

import sqlite3
from pathlib import Path

from localchat.core.chat.messages import FormatKind, ResponseFormat, Sampling
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.chat.structured import ReplyCheck
from localchat.core.history.export import export_conversation, import_json
from localchat.core.history.store import Store

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "history"
FORMAT = ResponseFormat(FormatKind.JSON_SCHEMA, '{"type": "array"}', name="list", describe=True)
BROKEN = ReplyCheck(False, "json_schema", "Does not follow the schema: 3 is not of type 'string'.",
                    "/items/1")


def conversation_with_reply(store: Store, check: ReplyCheck | None) -> int:
    conv = store.create_conversation(sampling=Sampling(temperature=0.2, response_format=FORMAT))
    store.add_user_message(conv.id, "list")
    writer = store.begin_reply(conv.id, model="m")
    writer.append('["a", 3]')
    writer.finish(GenerationStats(StopReason.EOS, completion_tokens=5, validation=check))
    return conv.id


def test_the_check_and_the_format_are_saved_and_read_back(data_paths):
    with Store.open(data_paths.database) as store:
        cid = conversation_with_reply(store, BROKEN)
    with Store.open(data_paths.database) as store:
        reply = store.branch(cid)[-1]
        assert reply.validation == BROKEN and reply.stats.validation == BROKEN
        assert reply.stats.completion_tokens == 5
        assert store.conversation(cid).sampling.response_format == FORMAT
        # in a column of its own, not inside the stats
        raw = store._conn.execute("SELECT stats, validation FROM messages WHERE id = ?",
                                  (reply.id,)).fetchone()
        assert "validation" not in raw["stats"] and '"where": "/items/1"' in raw["validation"]


def test_a_free_text_reply_has_no_check(data_paths):
    with Store.open(data_paths.database) as store:
        cid = conversation_with_reply(store, None)
        assert store.branch(cid)[-1].validation is None


def test_an_older_history_gains_the_column_and_keeps_everything(data_paths):
    conn = sqlite3.connect(data_paths.database)
    conn.executescript((FIXTURES / "store_v1.sql").read_text(encoding="utf-8"))
    conn.close()
    with Store.open(data_paths.database) as store:
        old = [m for c in store.list_conversations() for m in store.branch(c.id)]
        assert old and all(m.validation is None for m in old)
        cid = conversation_with_reply(store, ReplyCheck(True, "json_schema"))
        assert store.branch(cid)[-1].validation.valid


def test_export_and_import_keep_the_check_and_the_format(data_paths):
    with Store.open(data_paths.database) as store:
        cid = conversation_with_reply(store, BROKEN)
        copy = import_json(store, export_conversation(store, cid, "json"))
        assert store.branch(copy.id)[-1].validation == BROKEN
        assert copy.sampling.response_format == FORMAT


def test_a_damaged_check_leaves_the_reply_and_its_stats(data_paths):
    with Store.open(data_paths.database) as store:
        cid = conversation_with_reply(store, BROKEN)
        reply = store.branch(cid)[-1]
        store._conn.execute("UPDATE messages SET validation = '{not json' WHERE id = ?", (reply.id,))
        again = store.branch(cid)[-1]
        assert again.content == '["a", 3]' and again.stats.completion_tokens == 5 and again.validation is None
