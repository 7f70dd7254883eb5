"""Hybrid retrieval through the real index: words quoted safely, RRF, the relevance floor,
neighbours joined; packing into a budget; citations checked."""

from __future__ import annotations

import pytest

from localchat.core.chat.messages import USER, Message
from localchat.core.chat.prompt import Passage, check_citations, with_passages
from localchat.core.documents.indexer import Indexer
from localchat.core.documents.pack import pack, prompt_budget
from localchat.core.documents.retrieve import Retriever, SearchMode, fts_query, rrf
from localchat.core.documents.store import DocumentStore

FACTS = {
    "quokka.txt": "The quokka is a small marsupial that lives on Rottnest Island near Perth.",
    "tower.txt": "The Eiffel Tower in Paris was finished in 1889 for the World's Fair.",
    "etna.txt": "Mount Etna on Sicily is one of the most active volcanoes in the world.",
    "code.txt": "Error XK-4411 means the flux capacitor is misaligned; recalibrate it.",
}


@pytest.fixture
def indexed(tmp_path, minilm, counting):
    folder = tmp_path / "facts"
    folder.mkdir()
    for name, text in FACTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    with DocumentStore.open(tmp_path / "documents.sqlite3") as store:
        collection = store.add_collection("facts", [folder])
        indexer = Indexer(store, minilm, counting)
        indexer.reconcile(collection)
        indexer.run(collection)
        yield store, collection, Retriever(store, minilm.key, counting.query), folder


def names(hits):
    return [h.path.rsplit("/", 1)[-1] for h in hits]


def test_the_user_words_are_quoted_so_fts5_syntax_is_only_words():
    assert fts_query('quokka AND "island" NEAR(x) * -') == '"quokka" OR "island" OR "near" OR "x"'
    assert fts_query("?!") is None
    assert fts_query("to be or not") == '"not"'  # common words left out, unless nothing else is left
    assert fts_query("to be or") == '"to" OR "be" OR "or"'


def test_rrf_rewards_what_both_lists_rank_high():
    scores = rrf([[1, 2, 3], [3, 1, 4]])
    assert max(scores, key=scores.get) == 1
    assert scores[3] > scores[2] and scores[3] > scores[4]


def test_query_syntax_in_a_question_is_searched_as_words(indexed):
    store, collection, retriever, _ = indexed
    hits = retriever.search([collection.id], 'quokka" OR * NEAR( AND', mode=SearchMode.KEYWORD, floor=False)
    assert names(hits)[0] == "quokka.txt"


def test_vectors_find_a_paraphrase_and_keywords_find_an_exact_code(indexed):
    store, collection, retriever, _ = indexed
    paraphrase = "Which mountain in Italy often erupts?"
    assert names(retriever.search([collection.id], paraphrase, mode=SearchMode.VECTOR))[0] == "etna.txt"
    exact = retriever.search([collection.id], "XK-4411", mode=SearchMode.KEYWORD, floor=False)
    assert names(exact)[0] == "code.txt"
    for question, expected in ((paraphrase, "etna.txt"), ("what does XK-4411 mean", "code.txt"),
                               ("When was the Eiffel Tower built?", "tower.txt")):
        assert names(retriever.search([collection.id], question))[0] == expected


def test_a_question_the_documents_do_not_answer_gets_nothing_not_padding(indexed):
    store, collection, retriever, _ = indexed
    assert retriever.search([collection.id], "How do I bake sourdough bread?") == []
    assert retriever.search([collection.id], "How do I bake sourdough bread?", floor=False)  # there is text


def test_neighbouring_passages_of_one_document_are_joined_with_their_overlap_once(tmp_path, minilm, counting):
    folder = tmp_path / "long"
    folder.mkdir()
    sentences = [f"Fact {i}: the quokka colony number {i} lives on Rottnest Island and eats leaves."
                 for i in range(60)]
    (folder / "long.txt").write_text(" ".join(sentences), encoding="utf-8")
    with DocumentStore.open(tmp_path / "documents.sqlite3") as store:
        collection = store.add_collection("long", [folder])
        indexer = Indexer(store, minilm, counting)
        indexer.reconcile(collection)
        indexer.run(collection)
        chunks = store.document_chunks(store.documents(collection.id)[str(folder / "long.txt")].id)
        assert len(chunks) >= 3
        assert chunks[1].start < chunks[0].end  # they overlap
        hits = Retriever(store, minilm.key, counting.query).search([collection.id], "quokka colony Rottnest",
                                                                    limit=10)
        joined = [h for h in hits if len(h.chunks) > 1]
        assert joined, "neighbours were not joined"
        text = (folder / "long.txt").read_text()
        for hit in joined:
            assert hit.text == text[hit.chunks[0].start:hit.chunks[-1].end]


def test_passages_are_packed_within_the_budget_whole_documents_when_they_fit(indexed):
    store, collection, retriever, folder = indexed
    hits = retriever.search([collection.id], "quokka island volcano tower", floor=False, limit=4)
    passages = pack(hits, 10_000, store)
    assert [p.number for p in passages] == list(range(1, len(passages) + 1))
    assert {p.text for p in passages} <= set(FACTS.values())
    assert len(pack(hits, 40, store)) == 1  # room for one short passage
    assert pack(hits, 5, store) == []
    long_history = prompt_budget([Message(USER, "x" * 4000)], 2048, 512)
    assert long_history < prompt_budget([Message(USER, "x")], 2048, 512)


def test_the_prompt_carries_numbered_passages_and_the_question_and_citations_are_checked():
    passages = [Passage(1, "/d/quokka.txt", "Quokkas live on Rottnest."),
                Passage(2, "/d/report.pdf", "Etna erupts.", page=3)]
    messages = with_passages([Message(USER, "Where do quokkas live?")], passages)
    prompt = messages[-1].content
    assert "[1] quokka.txt\nQuokkas live on Rottnest." in prompt
    assert "[2] report.pdf, page 3" in prompt
    assert prompt.endswith("Where do quokkas live?")
    nothing = with_passages([Message(USER, "Where do quokkas live?")], [])[-1].content
    assert "No passage" in nothing

    assert passages[1].url == "file:///d/report.pdf#page=3" and passages[0].url == "file:///d/quokka.txt"

    citations = check_citations("On Rottnest [1]. Etna too [2, 7]. And [9].", passages)
    assert citations.cited == (1, 2)
    assert citations.unknown == (7, 9)
    assert citations.marked("Etna too [2, 7]. And [9].") == "Etna too [2, 7?]. And [9?]."
    assert citations.unsupported == ()
    off = check_citations("Quokkas live on Rottnest [1]. Bananas are yellow [2].", passages)
    assert off.cited == (1, 2) and off.unsupported == (2,)


def test_a_question_is_embedded_on_one_thread_and_passages_on_all(embedder):
    """llama.cpp's threads wait for each other at every step: on a busy machine a question on
    two threads took a second now and then, on one thread milliseconds."""
    from localchat.core.inference import llama as native

    configured = embedder._threads
    embedder.embed(["Which island has quokkas?"])
    assert native.thread_counts(embedder._llm) == (1, 1)
    embedder.embed([f"Passage {i} about marsupials of Rottnest Island and their ways." for i in range(16)])
    assert native.thread_counts(embedder._llm) == configured


def test_the_keywords_are_searched_while_the_worker_embeds_the_question(tmp_path, minilm):
    """Through the inference worker: the question goes to the embedding model before FTS5
    searches (the vector is waited for and ranked on another thread meanwhile)."""
    from localchat.core.documents.context import WorkerQueryEmbed
    from localchat.core.documents.indexer import worker_embed
    from localchat.core.inference.worker import InferenceWorker

    folder = tmp_path / "facts"
    folder.mkdir()
    for name, text in FACTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    worker = InferenceWorker().start()
    order: list[str] = []

    class Recorded(WorkerQueryEmbed):
        def start(self, question):
            order.append("asked")
            wait = super().start(question)
            return lambda: (order.append("waited"), wait())[1]

    try:
        with DocumentStore.open(tmp_path / "documents.sqlite3") as store:
            collection = store.add_collection("facts", [folder])
            indexer = Indexer(store, minilm, worker_embed(worker, minilm))
            indexer.reconcile(collection)
            indexer.run(collection)
            searched = store.keyword_search
            store.keyword_search = lambda *a, **k: (order.append("keywords"), searched(*a, **k))[1]
            hits = Retriever(store, minilm.key, Recorded(worker, minilm)).search(
                [collection.id], "Which island do quokkas live on?")
    finally:
        worker.stop()
    assert sorted(order) == ["asked", "keywords", "waited"] and order[0] == "asked"
    assert names(hits)[0] == "quokka.txt"
