"""The history store: the message tree, paging, search, undo, migration."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from localchat.core.chat.messages import Message, Sampling
from localchat.core.chat.stats import GenerationStats, TokenEvent
from localchat.core.errors import ConversationNotFoundError, StoreError
from localchat.core.history.queries import fts_query
from localchat.core.history.schema import SCHEMA_VERSION
from localchat.core.history.store import PURGE_AFTER_S, Store
from localchat.core.inference.engine import Engine

FIXTURES = Path(__file__).parents[1] / "fixtures" / "history"


class Clock:
    """Time that moves only when a test says so."""

    def __init__(self, now: float = 1_700_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(data_paths, clock) -> Store:
    with Store.open(data_paths.database, clock=clock) as s:
        yield s


def reply(store: Store, conversation_id: int, text: str, **kw) -> int:
    writer = store.begin_reply(conversation_id, model="tiny", **kw)
    writer.append(text)
    return writer.finish(GenerationStats("eos", completion_tokens=len(text.split()))).id


def shown(store: Store, conversation_id: int) -> list[str]:
    return [m.content for m in store.branch_page(conversation_id, count=1000).messages]


def test_a_conversation_survives_closing_and_reopening(data_paths):
    with Store.open(data_paths.database) as store:
        conv = store.create_conversation(model="tiny", system_prompt="Be brief.",
                                         sampling=Sampling(temperature=0.2, top_k=7, seed=3))
        store.add_user_message(conv.id, "  What is the capital of Portugal?\nThanks!")
        reply(store, conv.id, "Lisbon.")
    with Store.open(data_paths.database) as store:
        again = store.conversation(conv.id)
        assert again.title == "What is the capital of Portugal?"
        assert again.system_prompt == "Be brief."
        assert again.sampling == Sampling(temperature=0.2, top_k=7, seed=3)
        assert shown(store, conv.id) == ["  What is the capital of Portugal?\nThanks!", "Lisbon."]
        assert store.branch_page(conv.id).messages[1].stats.stop_reason == "eos"


def test_editing_a_message_makes_a_sibling_branch_and_keeps_the_original(store):
    conv = store.create_conversation()
    question = store.add_user_message(conv.id, "Name a red fruit.")
    reply(store, conv.id, "A cherry.")
    store.add_user_message(conv.id, "Another?")
    reply(store, conv.id, "A strawberry.")

    edited = store.edit_message(question.id, "Name a yellow fruit.")
    reply(store, conv.id, "A banana.")

    assert shown(store, conv.id) == ["Name a yellow fruit.", "A banana."]
    first = store.branch_page(conv.id).messages[0]
    assert (first.id, first.sibling_label, first.sibling_count) == (edited.id, "2/2", 2)

    assert store.switch_sibling(edited.id, -1) == question.id
    assert shown(store, conv.id) == ["Name a red fruit.", "A cherry.", "Another?", "A strawberry."]
    assert store.branch_page(conv.id).messages[0].sibling_label == "1/2"
    # the ends do not wrap around
    assert store.switch_sibling(question.id, -1) == question.id


def test_regenerating_adds_a_sibling_reply_that_does_not_see_the_old_one(store):
    conv = store.create_conversation(system_prompt="You are terse.")
    store.add_user_message(conv.id, "Say hi.")
    old = reply(store, conv.id, "Hi.")

    writer = store.regenerate(old, model="other")
    assert writer.prompt_messages() == [Message("system", "You are terse."), Message("user", "Say hi.")]
    writer.append("Hello!")
    new = writer.finish(GenerationStats("eos"))

    assert store.siblings(old) == (old, new.id)
    assert shown(store, conv.id) == ["Say hi.", "Hello!"]
    assert store.conversation(conv.id).model == "other"
    store.switch_sibling(new.id, -1)
    assert shown(store, conv.id) == ["Say hi.", "Hi."]


def test_a_greeting_that_opens_a_conversation_regenerates_beside_itself(store):
    conv = store.create_conversation()
    greeting = reply(store, conv.id, "Hello! How can I help?")
    again = store.regenerate(greeting)
    again.finish()
    assert store.siblings(greeting) == (greeting, again.message_id)
    assert store.message(again.message_id).parent_id is None


def test_switching_to_a_branch_shows_its_most_recent_continuation(store, clock):
    conv = store.create_conversation()
    root = store.add_user_message(conv.id, "Q1")
    a = reply(store, conv.id, "A1")
    store.add_user_message(conv.id, "Q2 old")
    store.regenerate(a).finish()  # second A1 branch: now current
    q2 = store.branch_page(conv.id).messages  # [Q1, A1']
    store.switch_branch(a)
    assert shown(store, conv.id) == ["Q1", "A1", "Q2 old"]
    later = store.add_user_message(conv.id, "Q2 newer")  # a branch added beside "Q2 old"
    store.switch_branch(q2[-1].id)
    assert shown(store, conv.id) == ["Q1", ""]
    store.switch_branch(root.id)
    assert store.conversation(conv.id).current_leaf_id == later.id


def test_deleting_a_subtree_removes_every_branch_below_and_falls_back(store):
    conv = store.create_conversation()
    store.add_user_message(conv.id, "Q")
    first = reply(store, conv.id, "first answer about tulips")
    store.add_user_message(conv.id, "follow-up about tulips")
    second = store.regenerate(first)
    second.append("second answer")
    second.finish()

    assert store.delete_subtree(first) == 2
    assert shown(store, conv.id) == ["Q", "second answer"]
    assert store.search("tulips") == []
    # deleting the branch being shown falls back to the latest one left at that point
    store.delete_subtree(second.message_id)
    assert shown(store, conv.id) == ["Q"]
    store.delete_subtree(store.branch_page(conv.id).messages[0].id)
    assert shown(store, conv.id) == []
    assert store.branch_page(conv.id).total == 0


def test_a_long_branch_is_paged_from_its_end_and_deletes_whole(store):
    conv = store.create_conversation()
    for i in range(1200):
        store.add_user_message(conv.id, f"message {i}")

    last = store.branch_page(conv.id, count=50)
    assert (last.start, last.total, last.has_earlier, last.has_later) == (1150, 1200, True, False)
    assert [m.content for m in last.messages] == [f"message {i}" for i in range(1150, 1200)]
    earlier = store.branch_page(conv.id, start=1100, count=50)
    assert [m.depth for m in earlier.messages] == list(range(1100, 1150))
    assert earlier.has_later
    assert store.branch_page(conv.id, start=0, count=3).messages[0].content == "message 0"

    # deeper than SQLite's 1000-level limit on cascades
    root = store.branch_page(conv.id, start=0, count=1).messages[0]
    assert store.delete_subtree(root.id) == 1200
    assert store.branch_page(conv.id).total == 0


def test_jumping_to_a_search_hit_shows_its_branch_and_page(store):
    conv = store.create_conversation()
    for i in range(200):
        store.add_user_message(conv.id, f"line {i}" + (" with a pelican" if i == 30 else ""))
    hit = store.search("pelican")[0]
    q = store.branch_page(conv.id, start=0, count=1).messages[0]
    store.edit_message(q.id, "a fresh start")
    assert shown(store, conv.id) == ["a fresh start"]

    page = store.jump_to(hit.message_id, count=20)
    assert hit.message_id in [m.id for m in page.messages]
    assert page.start == 20 and page.total == 200
    # already on the shown branch: the branch stays as it is
    store.add_user_message(conv.id, "line 200")
    store.jump_to(hit.message_id)
    assert store.branch_page(conv.id).total == 201


def test_conversation_list_is_paged_newest_first_and_hides_deleted(store, clock):
    ids = []
    for i in range(7):
        clock.advance(60)
        ids.append(store.create_conversation(title=f"chat {i}").id)
    clock.advance(60)
    store.add_user_message(ids[2], "bump")  # activity moves it to the top

    assert [c.id for c in store.list_conversations(limit=3)] == [ids[2], ids[6], ids[5]]
    assert [c.id for c in store.list_conversations(limit=3, offset=3)] == [ids[4], ids[3], ids[1]]
    store.delete_conversation(ids[6])
    assert ids[6] not in [c.id for c in store.list_conversations()]
    assert store.count_conversations() == 6
    assert store.last_conversation().id == ids[2]


def test_delete_can_be_undone_until_purged(store, data_paths, clock):
    conv = store.create_conversation(title="keep me")
    store.add_user_message(conv.id, "precious words")
    store.delete_conversation(conv.id)
    assert store.search("precious") == []
    assert store.restore_conversation(conv.id)
    assert [c.title for c in store.list_conversations()] == ["keep me"]
    assert store.search("precious")[0].conversation_id == conv.id

    store.delete_conversation(conv.id)
    store.purge_conversation(conv.id)
    assert not store.restore_conversation(conv.id)
    with pytest.raises(ConversationNotFoundError):
        store.conversation(conv.id)

    # a delete whose undo never ended (the app was closed) is purged at a later start
    other = store.create_conversation(title="gone later")
    store.delete_conversation(other.id)
    clock.advance(PURGE_AFTER_S + 1)
    with Store.open(data_paths.database, clock=clock) as reopened:
        with pytest.raises(ConversationNotFoundError):
            reopened.conversation(other.id)


def test_search_finds_words_in_every_branch_newest_first(store):
    a = store.create_conversation()
    store.add_user_message(a.id, "Où acheter des pastéis de nata à Lisbonne ?")
    first = reply(store, a.id, "Try Manteigaria near Camões.")
    store.regenerate(first).finish()
    b = store.create_conversation()
    store.add_user_message(b.id, "Nata is also a Filipino dessert.")

    hits = store.search("nata")
    assert [(h.conversation_id, h.role) for h in hits] == [(b.id, "user"), (a.id, "user")]
    assert store.search("pasteis nat")[0].message_id == hits[1].message_id  # accents, prefix
    hit = store.search("manteig")[0]  # a branch not shown is searched too
    assert (hit.message_id, hit.conversation_title) == (first, "Où acheter des pastéis de nata à Lisbonne ?")
    start, end = hit.highlights[0]
    assert hit.snippet[start:end] == "Manteigaria"
    # what people type is never an FTS5 syntax error
    for odd in ('"', "nata AND (", "NOT", "c++ -x*", "a:b", "  "):
        store.search(odd)
    assert fts_query("  ") == ""


def test_a_streamed_reply_is_saved_at_most_once_per_interval(store, data_paths):
    conv = store.create_conversation()
    store.add_user_message(conv.id, "Count.")
    ticks = Clock(0.0)
    writer = store.begin_reply(conv.id, clock=ticks)
    other = Store.open(data_paths.database)  # as a second process would see it

    def saved() -> str:
        return other.message(writer.message_id).content

    assert not writer.append("one ")
    ticks.advance(0.5)
    assert not writer.append("two ")
    assert saved() == ""
    ticks.advance(0.6)
    assert writer.append("three ")
    assert saved() == "one two three "
    assert other.message(writer.message_id).partial
    writer.append("four")
    ticks.advance(0.2)
    done = writer.finish(GenerationStats("length", prompt_tokens=9, completion_tokens=4,
                                         time_to_first_token_s=0.05, tokens_per_s=12.5))
    assert saved() == "one two three four" == done.content
    finished = other.message(writer.message_id)
    assert not finished.partial
    assert (finished.stats.prompt_tokens, finished.stats.completion_tokens,
            finished.stats.time_to_first_token_s, finished.stats.tokens_per_s,
            finished.stats.stop_reason) == (9, 4, 0.05, 12.5, "length")
    other.close()


def test_a_real_model_reply_streams_into_the_store(store, tiny_model):
    conv = store.create_conversation(model=tiny_model.name, sampling=Sampling(max_tokens=12, seed=1))
    store.add_user_message(conv.id, "Hello")
    writer = store.begin_reply(conv.id, model=tiny_model.name)
    engine = Engine()
    engine.load(tiny_model, n_ctx=256, memory_check=False)
    streamed = []
    try:
        for event in engine.stream_chat(writer.prompt_messages(), conv.sampling):
            if isinstance(event, TokenEvent):
                streamed.append(event.text)
                writer.append(event.text)
            else:
                stats = event
    finally:
        engine.close()
    saved = writer.finish(stats)
    assert saved.content == "".join(streamed)
    assert saved.stats == stats and saved.stats.prompt_tokens > 0
    assert saved.model == tiny_model.name


def test_settings_changes_are_kept_per_conversation(store):
    conv = store.create_conversation(sampling=Sampling())
    store.update_conversation(conv.id, system_prompt="Speak French.",
                              sampling=Sampling(temperature=1.3, max_tokens=64))
    other = store.create_conversation()
    assert store.conversation(conv.id).sampling.temperature == 1.3
    assert store.conversation(conv.id).system_prompt == "Speak French."
    assert store.conversation(other.id).sampling == Sampling()
    store.rename_conversation(conv.id, "  French\nlessons ")
    assert store.conversation(conv.id).title == "French lessons"
    with pytest.raises(ConversationNotFoundError):
        store.rename_conversation(9999, "nope")


def test_subscribers_hear_about_list_changes(store):
    heard = []
    unsubscribe = store.subscribe(heard.append)
    conv = store.create_conversation()
    store.add_user_message(conv.id, "hi")
    store.rename_conversation(conv.id, "x")
    store.delete_conversation(conv.id)
    store.restore_conversation(conv.id)
    unsubscribe()
    store.rename_conversation(conv.id, "y")
    assert [c.kind for c in heard] == ["created", "updated", "renamed", "deleted", "restored"]
    assert {c.conversation_id for c in heard} == {conv.id}


def test_two_writers_on_one_file_wait_for_each_other(data_paths):
    setup = Store.open(data_paths.database)
    convs = [setup.create_conversation().id for _ in range(2)]
    setup.close()
    errors = []

    def write(cid: int) -> None:
        try:
            with Store.open(data_paths.database) as s:
                for i in range(60):
                    s.add_user_message(cid, f"m{i}")
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(c,)) for c in convs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with Store.open(data_paths.database) as s:
        assert [s.branch_page(c).total for c in convs] == [60, 60]


def load_v1(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "store_v1.sql").read_text(encoding="utf-8"))
    conn.close()


def test_a_first_schema_database_is_migrated_with_everything_in_it(data_paths):
    load_v1(data_paths.database)
    with Store.open(data_paths.database) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert [c.title for c in store.list_conversations()] == ["Trip to Lisbon", "Sourdough starter"]

        bread = store.conversation(1)
        assert bread.sampling == Sampling(temperature=0.4, max_tokens=512)
        page = store.branch_page(1)
        assert [m.content for m in page.messages] == [
            "How often should a rye starter be fed?",
            "Once or twice daily; rye ferments fast, so watch it."]
        assert [m.sibling_label for m in page.messages] == ["2/2", "2/2"]
        assert page.messages[1].stats.tokens_per_s == 41.2

        trip = store.branch_page(2)
        assert trip.total == 4 and [m.depth for m in trip.messages] == [0, 1, 2, 3]
        assert trip.messages[-1].partial and trip.messages[-1].content.endswith("Manteig")

        assert store.search("ferments")[0].message_id == 5  # old messages are searchable
        store.switch_sibling(3, -1)
        assert [m.content for m in store.branch_page(1).messages][0] == "How do I feed a sourdough starter?"
        store.delete_conversation(2)
        assert store.count_conversations() == 1


def test_a_newer_schema_is_refused_and_left_untouched(data_paths):
    conn = sqlite3.connect(data_paths.database)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.execute("CREATE TABLE future (x)")
    conn.close()
    before = data_paths.database.read_bytes()
    with pytest.raises(StoreError, match="newer localchat"):
        Store.open(data_paths.database)
    assert data_paths.database.read_bytes() == before
    assert not list(data_paths.root.glob("*.damaged-*"))
