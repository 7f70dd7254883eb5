"""A remote reply's token probabilities: asked of the server when the sampling wants them (and
the server gives them), streamed with the text, kept with the reply like a local one's, what the
server does not say left unknown, and no branch from them."""

import math

import pytest

from localchat.core.backends.config import BackendConfig, normalise_url
from localchat.core.backends.probe import probe
from localchat.core.chat.messages import USER, Message, Sampling
from localchat.core.chat.session import ChatSession, NoTokensError
from localchat.core.chat.stats import StopReason
from localchat.core.chat.tokens import prefix_text
from localchat.core.history.store import Store
from localchat.core.inference.worker import ChatJob, ReplyDelta, ReplyFinished
from tests.core.backends.test_remote import localchat_server  # noqa: F401 - a fixture
from tests.remote_servers import Faults

WAIT = 60


def reply_of(backend, sampling, text="hello"):
    """(the text, the streamed TokenChoices, the final stats) of one reply."""
    events = []
    backend.subscribe(events.append)
    job = backend.submit(ChatJob([Message(USER, text)], sampling))
    assert job.done.wait(WAIT)
    deltas = [e for e in events if isinstance(e, ReplyDelta)]
    (finished,) = [e for e in events if isinstance(e, ReplyFinished)]
    return "".join(d.text for d in deltas), [t for d in deltas for t in d.tokens], finished.stats


def test_llama_cpp_servers_token_probabilities_come_with_the_reply(llama_server, backends):
    """llama-cpp-python's server streams ``logprobs.content[]`` in chat chunks (without bytes)."""
    backend = backends(llama_server, model="tiny")
    text, streamed, stats = reply_of(backend, Sampling(max_tokens=12, temperature=0, seed=1, logprobs=3))
    tokens = stats.tokens
    assert stats.stop_reason is StopReason.LENGTH and tokens is not None
    assert len(tokens) == stats.completion_tokens == 12 and tokens.k == 3
    assert [(t.index, t.piece, t.logprob) for t in streamed] == [
        (t.index, t.piece, pytest.approx(t.logprob, abs=2e-3)) for t in tokens]  # float16 when kept
    assert prefix_text([t.piece for t in tokens]) == text  # the tokens spell the reply
    assert tokens.from_server
    for token in streamed:
        assert token.logprob <= 0 and 1 <= len(token.alternatives) <= 3
        assert [a.logprob for a in token.alternatives] == sorted((a.logprob for a in token.alternatives),
                                                                 reverse=True)
        assert token.logprob <= token.alternatives[0].logprob + 1e-6  # the likeliest comes first
        # the same piece has the same id, so the drawn token is found among the alternatives
        assert [a.id == token.id for a in token.alternatives] == [a.piece == token.piece
                                                                  for a in token.alternatives]
        assert math.isnan(token.sampled) and math.isnan(token.entropy)  # not said, not made up
        assert not token.chosen_by_person
    assert any(a.id == t.id for t in streamed for a in t.alternatives)


def test_probabilities_are_asked_only_when_wanted_and_only_of_a_server_that_gives_them(faults, backends):
    _, streamed, stats = reply_of(backends(f"{faults}/ok"), Sampling(max_tokens=8))
    assert stats.tokens is None and not streamed
    assert "logprobs" not in Faults.requests[-1]

    asked = backends(f"{faults}/logprobs")
    reply_of(asked, Sampling(max_tokens=8, logprobs=30))
    assert Faults.requests[-1]["logprobs"] is True
    assert Faults.requests[-1]["top_logprobs"] == 20  # OpenAI's most

    _, streamed, stats = reply_of(backends(f"{faults}/logprobs", logprobs=False), Sampling(logprobs=3))
    assert "logprobs" not in Faults.requests[-1] and stats.tokens is None and not streamed

    _, streamed, stats = reply_of(backends(f"{faults}/ok"), Sampling(max_tokens=8, logprobs=3))
    assert stats.tokens is None and not streamed  # asked, and the server ignored it: nothing invented


def test_a_character_split_over_tokens_is_kept_by_its_bytes(faults, backends):
    text, streamed, stats = reply_of(backends(f"{faults}/logprobs"), Sampling(max_tokens=8, logprobs=2))
    assert text == "Café!" and stats.stop_reason is StopReason.EOS
    tokens = stats.tokens
    assert [t.piece for t in tokens] == [b"Caf", b"\xc3", b"\xa9", b"!"]
    assert tokens.text() == "Café!"
    cafe, half, _, bang = tokens
    assert [(a.piece, round(a.logprob, 2)) for a in cafe.alternatives] == [(b"Caf", -0.1), (b"Tea", -2.5)]
    assert cafe.alternatives[0].id == cafe.id  # one piece, one id, in the alternatives too
    assert [a.piece for a in bang.alternatives] == [b"!", b"."]  # most likely first, k of them
    assert bang.alternatives[0].id == bang.id and half.alternatives[1].piece == b"e"


def test_a_remote_replys_tokens_are_stored_and_a_branch_from_them_is_refused(faults, backends, tmp_path):
    backend = backends(f"{faults}/logprobs")
    with Store.open(tmp_path / "history.sqlite3") as store:
        session = ChatSession(store, model_name="m @ test", sampling=Sampling(max_tokens=8, logprobs=2))
        turn = session.send("say it")
        text, _, stats = reply_of(backend, turn.sampling, "say it")
        turn.feed(text)
        message = turn.finish(stats)
        assert message.has_tokens
        kept = store.reply_tokens(message.id)
        assert kept.from_server and kept.text() == "Café!" and kept == stats.tokens
        assert all(math.isnan(t.entropy) and math.isnan(t.sampled) for t in kept)
        with pytest.raises(NoTokensError, match="named its tokens by their text"):
            session.branch_from_token(message.id, 0, kept[0].alternatives[1].id)


def test_the_probe_finds_whether_streamed_probabilities_come(llama_server, faults):
    assert probe(BackendConfig("llama", normalise_url(llama_server)), None).logprobs
    caps = probe(BackendConfig("plain", normalise_url(f"{faults}/ok")), None)
    assert not caps.logprobs and caps.missing["logprobs"] == "the server's answer did not have it"


def test_another_localchats_probabilities_come_with_its_reply(localchat_server, backends):  # noqa: F811
    backend = backends(localchat_server.base_url, model="tiny-chat", key="k3y")
    text, streamed, stats = reply_of(backend, Sampling(max_tokens=10, temperature=0, seed=1, logprobs=4))
    assert len(stats.tokens) == stats.completion_tokens == 10 and stats.tokens.k == 4
    assert prefix_text([t.piece for t in streamed]).lstrip() == text  # its reply shown without the space
    assert all(len(t.alternatives) == 4 and t.alternatives[0].id == t.id for t in streamed)
