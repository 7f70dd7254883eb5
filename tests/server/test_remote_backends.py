"""localchat's API server and remote backends: a request for a backend's model is told to ask
that backend itself (its key stays with the person), and this server, with its key, serves as the
remote backend of another localchat data folder."""

import openai
import pytest

from localchat.cli.main import main
from localchat.core.backends.config import BackendConfig, BackendStore
from localchat.core.history.store import Store
from tests.server.conftest import openai_client

HELLO = [{"role": "user", "content": "hello"}]


@pytest.fixture
def data_with_a_backend(tmp_path):
    root = tmp_path / "data"
    BackendStore(root, use_keyring=False).add(BackendConfig("gpu-box", "http://192.168.1.20:8080"))
    return root


def refusal(client, model) -> str:
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model=model, messages=HELLO, max_tokens=4)
    return caught.value.body["message"]


def test_a_backends_model_is_refused_with_the_address_to_ask(serve, data_with_a_backend):
    client = openai_client(serve(backends_root=data_with_a_backend))
    said = refusal(client, "llama3:70b @ gpu-box")
    assert "'llama3:70b' is a model of the remote backend gpu-box" in said
    assert "this computer's models only" in said and "http://192.168.1.20:8080/v1" in said
    said = refusal(client, "llama3:70b")  # a bare id could be anyone's: the backends are named
    assert "The remote backends' models (gpu-box) are not served here" in said
    assert [m.id for m in client.models.list()] == ["tiny-chat"]  # only this computer's
    done = client.chat.completions.create(model="tiny-chat", messages=HELLO, max_tokens=4)
    assert done.choices[0].message.content is not None  # the local model still answers


def test_without_backends_the_refusal_says_nothing_of_them(serve, tmp_path):
    client = openai_client(serve(backends_root=tmp_path / "empty"))
    said = refusal(client, "llama3:70b @ gpu-box")
    assert said.startswith("The model 'llama3:70b @ gpu-box' is not installed here.")
    assert "backend" not in said


def test_this_server_is_the_backend_of_a_second_data_folder(capsys, serve, tmp_path):
    server = serve(api_key="k3y")
    other = tmp_path / "other"
    url = server.base_url.removesuffix("/v1")
    assert main(["--data-dir", str(other), "backends", "add", "home", url, "--api-key", "k3y"]) == 0
    assert "Models: tiny-chat" in capsys.readouterr().out
    code = main(["--data-dir", str(other), "chat", "--backend", "home", "--max-tokens", "6",
                 "--temperature", "0", "hello"])
    out, err = capsys.readouterr()
    assert code == 0, err
    with Store.open(other / "conversations.sqlite3") as store:
        (conversation,) = store.list_conversations()
        reply = store.tree(conversation.id)[-1]
    assert reply.model == "tiny-chat @ home" and reply.content.strip() == out.strip()
    assert reply.stats.completion_tokens == 6
