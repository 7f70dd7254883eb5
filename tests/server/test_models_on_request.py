"""A request naming another installed model gets it loaded and answered by it; the request log."""

import threading

import openai
import pytest

from localchat.core.testing.tiny_model import write_tiny_gguf
from tests.server.conftest import openai_client, wait_until

HELLO = [{"role": "user", "content": "hello"}]
GREEDY = dict(temperature=0, seed=5, max_tokens=12)


@pytest.fixture
def models_dir(tmp_path):
    folder = tmp_path / "models"
    folder.mkdir()
    write_tiny_gguf(folder / "alpha.gguf", seed=1)
    write_tiny_gguf(folder / "beta.gguf", seed=2)
    return folder


def reply(client, model):
    done = client.chat.completions.create(model=model, messages=HELLO, **GREEDY)
    return done.model, done.choices[0].message.content


def test_the_models_list_has_the_loaded_model_first_then_the_installed_ones(serve, models_dir):
    client = openai_client(serve(models_dir=models_dir))
    assert [m.id for m in client.models.list()] == ["tiny-chat", "alpha", "beta"]


def test_a_request_naming_an_installed_model_loads_it_and_it_answers(serve, worker, models_dir):
    client = openai_client(serve(models_dir=models_dir))
    model, alpha_text = reply(client, "alpha")
    assert model == "alpha"
    assert worker.engine.model.path.endswith("alpha.gguf")
    assert [m.id for m in client.models.list()][0] == "alpha"

    model, beta_text = reply(client, "beta.gguf")  # the file's name works too
    assert model == "beta" and worker.engine.model.path.endswith("beta.gguf")
    assert beta_text != alpha_text  # other weights, another reply
    assert reply(client, "alpha") == ("alpha", alpha_text)  # and back


def test_requests_for_different_models_at_once_each_get_their_own_model(serve, models_dir):
    server = serve(models_dir=models_dir)
    client = openai_client(server)
    expected = {name: reply(client, name)[1] for name in ("alpha", "beta")}
    asked = ["alpha", "beta", "alpha", "beta", "beta", "alpha"]
    got: dict[int, tuple[str, str]] = {}

    def ask(i, name):
        got[i] = reply(openai_client(server), name)

    threads = [threading.Thread(target=ask, args=(i, name)) for i, name in enumerate(asked)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == {i: (name, expected[name]) for i, name in enumerate(asked)}


def test_a_model_that_is_not_installed_is_a_404_naming_those_that_are(serve, models_dir):
    client = openai_client(serve(models_dir=models_dir))
    with pytest.raises(openai.NotFoundError) as caught:
        reply(client, "gpt-4o")
    message = caught.value.body["message"]
    assert "'gpt-4o' is not installed" in message
    assert "alpha" in message and "beta" in message and "tiny-chat" in message


def test_a_model_file_that_cannot_load_is_a_clear_error_and_the_server_goes_on(serve, models_dir):
    (models_dir / "broken.gguf").write_bytes(b"GGUF" + b"\x00" * 64)
    client = openai_client(serve(models_dir=models_dir))
    with pytest.raises(openai.APIStatusError) as caught:
        reply(client, "broken")
    assert caught.value.status_code == 503
    assert caught.value.body["message"].startswith("Could not load broken.gguf:")
    assert reply(client, "alpha")[0] == "alpha"


def test_the_request_log_keeps_each_request_without_its_contents(serve):
    server = serve()
    client = openai_client(server)
    text = reply(client, "tiny-chat")[1]
    entries, seen = server.request_log.since(0)
    assert seen == 1
    (entry,) = entries
    assert (entry.method, entry.path, entry.status, entry.model) == ("POST", "/v1/chat/completions", 200,
                                                                     "tiny-chat")
    assert entry.prompt_tokens > 0 and entry.completion_tokens == 12
    assert entry.request_text is None and entry.reply_text is None
    assert text and text not in entry.line()


def test_with_contents_on_the_request_log_keeps_the_messages_and_the_reply(serve):
    server = serve(log_contents=True)
    client = openai_client(server)
    text = reply(client, "tiny-chat")[1]
    streamed = "".join(c.choices[0].delta.content or "" for c in client.chat.completions.create(
        model="tiny-chat", messages=HELLO, stream=True, **GREEDY) if c.choices)
    wait_until(lambda: server.request_log.added == 2, "the streamed request's entry")  # once the stream ends
    entries, _ = server.request_log.since(0)
    assert [e.request_text for e in entries] == ["user: hello", "user: hello"]
    assert [e.reply_text for e in entries] == [text, streamed]
    assert entries[1].completion_tokens == 12
    assert server.request_log.since(2) == ([], 2)
