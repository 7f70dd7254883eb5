"""The rules of a conversation (ChatSession / Turn) through the real store and real llama.cpp
with the tiny model: what the window, the CLI and the API server all rely on. No Qt."""

from __future__ import annotations

import pytest

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message, Sampling
from localchat.core.chat.session import ChatSession, NothingToAnswerError, TurnInProgressError
from localchat.core.chat.stats import GenerationStats, StopReason
from localchat.core.errors import LocalChatError
from localchat.core.history.store import Store
from localchat.core.inference.engine import Engine


@pytest.fixture(scope="module")
def engine(tiny_model):
    e = Engine()
    e.load(tiny_model, n_ctx=1024)
    yield e
    e.close()


@pytest.fixture
def store(data_paths):
    with Store.open(data_paths.database) as s:
        yield s


def run(engine, turn, stop_after: int | None = None) -> GenerationStats:
    """Stream a turn as every client does: feed each piece, finish with the engine's stats."""
    pieces = 0
    for event in engine.stream_chat(turn.messages, turn.sampling):
        if isinstance(event, GenerationStats):
            turn.finish(event)
            return event
        turn.feed(event.text)
        pieces += 1
        if stop_after is not None and pieces >= stop_after:
            engine.cancel()
    raise AssertionError("the stream ended without its stats")


def texts(messages) -> list[tuple[str, str]]:
    return [(m.role, m.content) for m in messages]


def test_the_first_message_creates_the_conversation_and_the_reply_is_saved(engine, store):
    session = ChatSession(store, model_name="tiny", system_prompt="Be brief.",
                          sampling=Sampling(max_tokens=6, seed=1, temperature=0.3))
    assert session.conversation is None and store.count_conversations() == 0
    turn = session.send("What is the capital of France?")
    assert texts(turn.messages) == [(SYSTEM, "Be brief."), (USER, "What is the capital of France?")]
    assert turn.sampling.temperature == 0.3 and turn.sampling.max_tokens == 6
    stats = run(engine, turn)
    saved = store.branch(session.conversation_id)
    assert [m.role for m in saved] == [USER, ASSISTANT]
    assert saved[1].content == turn.text and saved[1].content
    assert not saved[1].partial and saved[1].stats.completion_tokens == stats.completion_tokens == 6
    assert saved[1].model == "tiny"
    conv = store.conversation(session.conversation_id)
    assert conv.system_prompt == "Be brief." and conv.sampling.temperature == 0.3
    assert conv.title == "What is the capital of France?"


def test_the_prompt_is_the_system_prompt_and_the_branch_so_far(engine, store):
    session = ChatSession(store, model_name="tiny", system_prompt="S", sampling=Sampling(max_tokens=3, seed=2))
    first = session.send("one")
    run(engine, first)
    second = session.send("two")
    assert texts(second.messages) == [(SYSTEM, "S"), (USER, "one"), (ASSISTANT, first.text), (USER, "two")]
    run(engine, second)
    assert [m.content for m in session.branch()] == ["one", first.text, "two", second.text]


def test_a_reply_is_saved_while_it_streams(engine, store, data_paths):
    session = ChatSession(store, model_name="tiny", sampling=Sampling(max_tokens=40, seed=3))
    turn = session.send("hello")
    turn.writer._interval_s = 0.0  # save on every piece, as a second later would
    seen_by_another_reader = []
    with Store.open(data_paths.database) as other:
        for event in engine.stream_chat(turn.messages, turn.sampling):
            if isinstance(event, GenerationStats):
                break
            turn.feed(event.text)
            seen_by_another_reader.append(other.message(turn.message_id).content)
    assert seen_by_another_reader[-1] == turn.text
    assert len(set(seen_by_another_reader)) > 1, "the reply was only saved at the end"
    assert store.message(turn.message_id).partial  # not finished: a crash would leave it marked


def test_an_interrupted_reply_keeps_its_text_and_says_so(engine, store):
    session = ChatSession(store, model_name="tiny", sampling=Sampling(max_tokens=500, seed=4))
    turn = session.send("tell me a long story")
    stats = run(engine, turn, stop_after=3)
    assert stats.stop_reason is StopReason.CANCELLED
    saved = store.message(turn.message_id)
    assert saved.content == turn.text and saved.content and not saved.partial
    assert saved.stats.stop_reason is StopReason.CANCELLED

    # a window closed in the middle of a reply: no stats from the engine, the text stays
    cut = session.send("again")
    cut.feed("half a sent")
    kept = cut.interrupt()
    assert kept.content == "half a sent" and kept.stats.stop_reason is StopReason.CANCELLED
    assert session.turn is None
    assert cut.finish(GenerationStats(StopReason.EOS)).stats.stop_reason is StopReason.CANCELLED


def test_editing_a_question_answers_it_on_a_new_branch_and_keeps_the_old_one(engine, store):
    session = ChatSession(store, model_name="tiny", sampling=Sampling(max_tokens=3, seed=5))
    run(engine, session.send("first question"))
    original = session.branch()
    question_id = store.branch(session.conversation_id)[0].id
    turn = session.edit(question_id, "better question")
    assert texts(turn.messages) == [(USER, "better question")]
    run(engine, turn)
    now = store.branch(session.conversation_id)
    assert [m.content for m in now][0] == "better question" and now[0].sibling_count == 2
    session.switch_branch(now[0].id, -1)
    assert session.branch() == original


def test_regenerating_adds_a_sibling_reply_to_the_same_question(engine, store):
    session = ChatSession(store, model_name="tiny", sampling=Sampling(max_tokens=4, seed=6))
    run(engine, session.send("q"))
    first_reply = store.branch(session.conversation_id)[-1]
    session.configure(sampling=session.sampling.with_(seed=7))
    turn = session.regenerate(first_reply.id)
    assert texts(turn.messages) == [(USER, "q")]
    assert turn.sampling.seed == 7  # the conversation kept the changed setting
    run(engine, turn)
    reply = store.branch(session.conversation_id)[-1]
    assert reply.id != first_reply.id and reply.sibling_count == 2
    assert {m.id for m in store.tree(session.conversation_id)} >= {first_reply.id, reply.id}
    with pytest.raises(NothingToAnswerError):
        session.regenerate(store.branch(session.conversation_id)[0].id)  # a question, not a reply


def test_continue_answers_a_question_left_without_a_reply(engine, store):
    conv = store.create_conversation(model="tiny", sampling=Sampling(max_tokens=3, seed=8))
    store.add_user_message(conv.id, "left unanswered when the app closed")
    session = ChatSession(store, model_name="tiny")
    session.open(conv.id)
    assert session.sampling.seed == 8  # the conversation's own settings
    turn = session.continue_branch()
    assert texts(turn.messages) == [(USER, "left unanswered when the app closed")]
    run(engine, turn)
    assert [m.role for m in session.branch()] == [USER, ASSISTANT]
    with pytest.raises(NothingToAnswerError):
        session.continue_branch()


def test_one_reply_at_a_time(engine, store):
    session = ChatSession(store, model_name="tiny", sampling=Sampling(max_tokens=2, seed=9))
    turn = session.send("a")
    with pytest.raises(TurnInProgressError):
        session.send("b")
    with pytest.raises(TurnInProgressError):
        session.new()
    run(engine, turn)
    run(engine, session.send("b"))
    assert [m.content for m in session.branch()][::2] == ["a", "b"]


def test_an_empty_message_is_refused_with_a_message(store):
    session = ChatSession(store)
    with pytest.raises(LocalChatError, match="nothing to send"):
        session.send("   \n")
    assert store.count_conversations() == 0


def test_a_later_turn_reuses_the_kv_cache(engine, store):
    session = ChatSession(store, model_name="tiny", system_prompt="You are terse.",
                          sampling=Sampling(max_tokens=8, seed=10))
    first = run(engine, session.send("the first question, with a few words in it"))
    second = run(engine, session.send("and a second one"))
    assert second.prompt_tokens > first.prompt_tokens + first.completion_tokens
    assert second.evaluated_prompt_tokens < second.prompt_tokens - first.prompt_tokens


def test_a_saved_conversation_continues_from_another_session(engine, store, data_paths):
    session = ChatSession(store, model_name="tiny", system_prompt="Keep it short.",
                          sampling=Sampling(max_tokens=3, seed=11))
    run(engine, session.send("remember this"))
    cid = session.conversation_id
    with Store.open(data_paths.database) as again:
        later = ChatSession(again, model_name="tiny")
        later.open(cid)
        turn = later.send("what did I say?")
        assert texts(turn.messages)[:2] == [(SYSTEM, "Keep it short."), (USER, "remember this")]
        assert turn.messages[-1] == Message(USER, "what did I say?")
        run(engine, turn)
    assert len(store.branch(cid)) == 4
