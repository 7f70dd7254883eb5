"""``/v1/embeddings`` with the demo's all-MiniLM-L6-v2, through the official client."""

import math

import openai
import pytest

from tests.server.conftest import openai_client, raw

pytest.importorskip("all_minilm_l6_v2", reason="the demo extra brings the embedding model")

MINILM = "all-minilm-l6-v2-f16"


@pytest.fixture(scope="module")
def models_dir(tmp_path_factory):
    from localchat.core.documents.embed import default_embedding_model

    folder = tmp_path_factory.mktemp("models")
    default_embedding_model(folder)  # converted once for the module
    return folder


def cosine(a, b):
    return sum(x * y for x, y in zip(a, b))


def test_embeddings_place_like_sentences_together(serve, models_dir):
    client = openai_client(serve(models_dir=models_dir))
    reply = client.embeddings.create(model=MINILM, input=[
        "A cat sleeps on the mat.", "A kitten is napping on a rug.", "The stock market fell sharply today."])
    cat, kitten, stocks = (d.embedding for d in reply.data)
    assert [d.index for d in reply.data] == [0, 1, 2] and reply.model == MINILM
    assert len(cat) == 384 and math.isclose(math.sqrt(cosine(cat, cat)), 1.0, rel_tol=1e-3)
    assert cosine(cat, kitten) > cosine(cat, stocks) + 0.2


def test_float_and_base64_give_the_same_vectors(serve, models_dir):
    server = serve(models_dir=models_dir)
    status, _, body = raw(server, "POST", "/v1/embeddings",
                          {"input": "hello world", "model": MINILM, "encoding_format": "float"},
                          {"Content-Type": "application/json"})
    assert status == 200
    as_floats = body["data"][0]["embedding"]
    as_base64 = openai_client(server).embeddings.create(model=MINILM, input="hello world").data[0].embedding
    assert len(as_floats) == len(as_base64) == 384
    assert max(abs(a - b) for a, b in zip(as_floats, as_base64)) < 1e-6


def test_a_chat_model_or_an_unknown_name_is_a_404_naming_the_embedding_models(serve, models_dir):
    client = openai_client(serve(models_dir=models_dir))
    with pytest.raises(openai.NotFoundError) as caught:
        client.embeddings.create(model="text-embedding-3-small", input="hi")
    assert "'text-embedding-3-small' is not an embedding model here" in caught.value.body["message"]
    assert MINILM in caught.value.body["message"]


@pytest.mark.parametrize("body, message", [
    ({"input": [[1, 2, 3]]}, "not token arrays"),
    ({"input": []}, "non-empty list"),
    ({"input": "hi", "encoding_format": "int8"}, "encoding_format"),
])
def test_input_that_cannot_be_embedded_is_a_400(serve, models_dir, body, message):
    status, _, reply = raw(serve(models_dir=models_dir), "POST", "/v1/embeddings", body,
                           {"Content-Type": "application/json"})
    assert status == 400 and message in reply["error"]["message"]


def test_without_a_models_folder_embeddings_are_a_404(serve):
    status, _, body = raw(serve(), "POST", "/v1/embeddings", {"input": "hello"},
                          {"Content-Type": "application/json"})
    assert status == 404 and "no models folder" in body["error"]["message"]
