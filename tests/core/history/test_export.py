"""Export as Markdown, JSON and HTML; the JSON imports back as the same tree."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from localchat.core.chat.messages import Sampling
from localchat.core.chat.stats import GenerationStats
from localchat.core.errors import ConversationFileError
from localchat.core.history.export import (
    FORMAT_VERSION,
    export_conversation,
    import_json,
    to_document,
    write_export,
)
from localchat.core.history.store import Store


@pytest.fixture
def store(data_paths):
    with Store.open(data_paths.database) as s:
        yield s


def sample_conversation(store: Store) -> int:
    conv = store.create_conversation(model="tiny-chat.gguf", system_prompt="Answer in English.",
                                     sampling=Sampling(temperature=0.3))
    store.add_user_message(conv.id, "Show me a Python function, and <script>alert(1)</script>.")
    w = store.begin_reply(conv.id, model="tiny-chat.gguf")
    w.append("Here:\n\n```python\ndef greet(name):\n    return f'hi {name}'\n```\n\n"
             "![a cat](https://example.com/cat.png)")
    first = w.finish(GenerationStats("eos", prompt_tokens=20, completion_tokens=18,
                                     time_to_first_token_s=0.12, tokens_per_s=33.3))
    other = store.regenerate(first.id, model="tiny-chat.gguf")
    other.append("An older answer nobody chose.")
    other.finish(GenerationStats("eos"))
    store.switch_sibling(other.message_id, -1)
    return conv.id


def test_markdown_holds_the_current_branch_with_its_stats(store):
    cid = sample_conversation(store)
    md = export_conversation(store, cid, "md")
    assert md.startswith("# Show me a Python function")
    assert "> Answer in English." in md
    assert "## You" in md and "## Assistant (tiny-chat.gguf)" in md
    assert "```python\ndef greet(name):" in md
    assert "33.3 tok/s" in md
    assert "nobody chose" not in md  # another branch


def test_html_is_one_self_contained_page_with_highlighted_code(store):
    cid = sample_conversation(store)
    page = export_conversation(store, cid, "html")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script|<link|<img|<iframe|@import|src=", page, re.IGNORECASE)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<div class="highlight">' in page and '<span class="k">def</span>' in page
    assert ".highlight .k {" in page  # the colours travel inside the page
    assert 'href="https://example.com/cat.png"' in page  # an image is a link, never fetched
    assert "nobody chose" not in page


def test_export_writes_the_file_and_leaves_no_partial_one(store, tmp_path):
    cid = sample_conversation(store)
    target = write_export(store, cid, "json", tmp_path / "chat.json")
    assert json.loads(target.read_text(encoding="utf-8"))["version"] == FORMAT_VERSION
    with pytest.raises(ConversationFileError, match="could not be written"):
        write_export(store, cid, "md", tmp_path / "missing-folder" / "chat.md")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chat.json", "data"]


@pytest.mark.parametrize("text, complaint", [
    ("not json", "not JSON"),
    ('{"format": "something-else", "version": 1}', "not a localchat conversation"),
    ('{"format": "localchat-conversation", "version": 99}', "newer localchat"),
    ('{"format": "localchat-conversation", "version": 1, "conversation": {}, "messages": []}',
     "missing or wrong"),
    ('{"format": "localchat-conversation", "version": 1, "conversation": {"created_at": 1, '
     '"updated_at": 1}, "messages": [{"id": 2, "parent": 1, "role": "user", "content": "x", '
     '"created_at": 1}]}', "before its parent"),
])
def test_import_refuses_what_localchat_did_not_write(store, text, complaint):
    with pytest.raises(ConversationFileError, match=complaint):
        import_json(store, text, source="chat.json")
    assert store.count_conversations() == 0


# -- the round trip, over trees hypothesis builds -----------------------------------------------
texts = st.text(max_size=40)
stats = st.none() | st.builds(
    GenerationStats, stop_reason=st.sampled_from(["eos", "length", "cancelled", "error"]),
    prompt_tokens=st.integers(0, 5000), completion_tokens=st.integers(0, 5000),
    time_to_first_token_s=st.floats(0, 100, allow_nan=False), tokens_per_s=st.floats(0, 1000),
    error=st.none() | texts)
steps = st.lists(st.tuples(
    st.sampled_from(["ask", "reply", "cut-reply", "edit", "regenerate", "switch", "delete"]),
    st.integers(0, 1000), texts, stats), max_size=25)


def build(store: Store, plan) -> int:
    conv = store.create_conversation(title="", model="m.gguf", system_prompt="sys ✓",
                                     sampling=Sampling(temperature=0.9, top_k=12, seed=7))
    for op, pick, text, stat in plan:
        ids = [m.id for m in store.tree(conv.id)]
        target = ids[pick % len(ids)] if ids else None
        if op == "ask" or target is None:
            store.add_user_message(conv.id, text)
        elif op in ("reply", "cut-reply"):
            writer = store.begin_reply(conv.id, model="m.gguf")
            writer.append(text)
            if op == "reply":
                writer.finish(stat)
            else:
                writer.save()
        elif op == "edit":
            store.edit_message(target, text)
        elif op == "regenerate":
            store.regenerate(target).finish(stat)
        elif op == "switch":
            store.switch_branch(target)
        else:
            store.delete_subtree(target)
    return conv.id


def shape(store: Store, cid: int):
    """The tree with ids replaced by positions: what must survive export and import."""
    messages = store.tree(cid)
    pos = {m.id: n for n, m in enumerate(messages)}
    conv = store.conversation(cid)
    return (
        [(pos.get(m.parent_id), m.role, m.content, m.created_at, m.model, m.stats, m.partial)
         for m in messages],
        [(m.content, m.sibling_label) for m in store.branch(cid)],
        (conv.title, conv.model, conv.system_prompt, conv.sampling, conv.created_at,
         conv.updated_at, pos.get(conv.current_leaf_id)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plan=steps)
def test_json_export_then_import_keeps_the_whole_tree(plan):
    with tempfile.TemporaryDirectory() as folder:
        with Store.open(Path(folder) / "history.sqlite3") as store:
            cid = build(store, plan)
            exported = export_conversation(store, cid, "json")
            copy = import_json(store, exported)

            assert copy.id != cid
            assert shape(store, copy.id) == shape(store, cid)
            assert to_document(store, copy.id) == json.loads(exported)
