"""Chat with your documents: collections of folders and files, indexed for hybrid search.

parse (files to text, per page and heading) → chunk (by the embedding model's tokens) →
embed (llama.cpp, in the inference worker) → store (SQLite: FTS5 and sqlite-vec) →
retrieve (BM25 and vectors fused by reciprocal rank) → pack (numbered passages in a token
budget, citations checked). ``indexer`` drives the first four, incrementally, from a persisted
queue; ``context`` hands a conversation its passages.
"""
