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
from localchat.core.chat.prompt import Passage
from localchat.core.chat.stats import GenerationStats
from localchat.core.errors import ConversationFileError
from localchat.core.history.export import (
    FORMAT_VERSION,
    export_conversation,
    import_json,
    to_document,
    write_export,
)
from localchat.core.history.sources import ReplySources, save_sources, sources_of
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


# -- a reply's sources ---------------------------------------------------------------------------
MANUAL = Passage(1, "/home/ada/manual.pdf", "The pump must be primed with two litres of water "
                 "before its first start, or the seal burns out within a minute.", 12, "Setup")
NOTES = Passage(2, "/home/ada/notes.txt", "Bought the pump in March; the shop is on Elm Street.")


def documents_conversation(store: Store) -> tuple[int, int, int]:
    """A conversation of two replies from documents: one cites [1] and not [2], and cites a [5]
    that points nowhere; the other found nothing relevant."""
    conv = store.create_conversation(model="tiny-chat.gguf")
    store.add_user_message(conv.id, "How do I start the pump?")
    w = store.begin_reply(conv.id, model="tiny-chat.gguf")
    w.append("Prime the pump with two litres of water first [1]. Then start it [5].")
    first = w.finish(GenerationStats("eos"))
    save_sources(store, first.id, ReplySources((MANUAL, NOTES)))
    store.add_user_message(conv.id, "What colour is it?")
    w = store.begin_reply(conv.id, model="tiny-chat.gguf")
    w.append("The documents do not say.")
    second = w.finish(GenerationStats("eos"))
    save_sources(store, second.id, ReplySources(()))
    return conv.id, first.id, second.id


def test_markdown_lists_each_replys_sources_under_it(store):
    cid, _, _ = documents_conversation(store)
    md = export_conversation(store, cid, "md")
    first, second = md.split("## Assistant")[1:]
    assert "**Sources**" in first
    manual = next(line for line in first.splitlines() if "manual.pdf" in line)
    notes = next(line for line in first.splitlines() if "notes.txt" in line)
    assert manual.startswith("- [1] [manual.pdf, page 12](<file:///home/ada/manual.pdf#page=12>)")
    assert "primed with two litres" in manual and "not cited" not in manual
    assert notes.startswith("- [2] [notes.txt]") and "*(not cited)*" in notes and "Elm Street" in notes
    assert "[5] point to no passage" in first
    assert "no passage of the documents was relevant" in second
    assert "**Sources**" not in md.split("## Assistant")[0]  # the question has none


def test_html_lists_each_replys_sources_under_it(store):
    cid, _, _ = documents_conversation(store)
    page = export_conversation(store, cid, "html")
    first, second = page.split('<article class="message assistant">')[1:]
    assert '<section class="sources">' in first
    assert '<a href="file:///home/ada/manual.pdf#page=12">manual.pdf, page 12</a><br>' in first
    assert 'notes.txt</a> <span class="notes">(not cited)</span>' in first
    assert "no passage of the documents was relevant" in second


def test_json_carries_the_sources_and_the_import_keeps_them(store):
    cid, first_id, second_id = documents_conversation(store)
    exported = export_conversation(store, cid, "json")
    doc = json.loads(exported)
    replies = [m for m in doc["messages"] if m["role"] == "assistant"]
    assert [(s["path"], s["page"], s["cited"]) for s in replies[0]["sources"]] == [
        ("/home/ada/manual.pdf", 12, True), ("/home/ada/notes.txt", None, False)]
    assert replies[0]["sources"][0]["text"] == MANUAL.text and replies[1]["sources"] == []
    assert all("sources" not in m for m in doc["messages"] if m["role"] == "user")

    copy = import_json(store, exported)
    new = [m.id for m in store.tree(copy.id) if m.role == "assistant"]
    assert sources_of(store, new) == {new[0]: ReplySources((MANUAL, NOTES)), new[1]: ReplySources(())}
    assert to_document(store, copy.id) == doc
    assert "manual.pdf, page 12" in export_conversation(store, copy.id, "md")


@pytest.mark.parametrize("sources, complaint", [
    ('"manual.pdf"', "not a list"),
    ('[{"number": "1", "path": "a.txt"}]', "numbered"),
    ('[{"number": 1}]', "path"),
    ('[{"number": 1, "path": "a.pdf", "page": "twelve"}]', "page"),
])
def test_import_refuses_sources_it_cannot_read(store, sources, complaint):
    text = ('{"format": "localchat-conversation", "version": 1, "conversation": {"created_at": 1, '
            '"updated_at": 1}, "messages": [{"id": 1, "parent": null, "role": "user", "content": "q", '
            '"created_at": 1}, {"id": 2, "parent": 1, "role": "assistant", "content": "a", '
            f'"created_at": 1, "sources": {sources}}}]}}')
    with pytest.raises(ConversationFileError, match=complaint):
        import_json(store, text, source="chat.json")
    assert store.count_conversations() == 0


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
    st.sampled_from(["ask", "reply", "cut-reply", "edit", "regenerate", "switch", "delete", "sources"]),
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
        elif op == "sources":
            if store.message(target).role == "assistant":
                passages = [Passage(n, f"/docs/{text}.pdf", text, pick % 7 or None, text[:5])
                            for n in range(1, pick % 3 + 1)]
                save_sources(store, target, ReplySources(tuple(passages)))
        else:
            store.delete_subtree(target)
    return conv.id


def shape(store: Store, cid: int):
    """The tree with ids replaced by positions: what must survive export and import."""
    messages = store.tree(cid)
    pos = {m.id: n for n, m in enumerate(messages)}
    conv = store.conversation(cid)
    sources = sources_of(store, list(pos))
    return (
        sorted((pos[mid], found) for mid, found in sources.items()),
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
