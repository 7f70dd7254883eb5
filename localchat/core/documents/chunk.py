"""Passages cut by the embedding model's own tokens, with ~15% overlap.

``semantic-text-splitter`` cuts at the largest semantic unit that fits (sections, paragraphs,
sentences, words; Markdown by its structure) and counts with the model's ``tokenizer.json``
(the demo MiniLM keeps one beside its GGUF). Without one, it counts characters, four to a token.
Each passage keeps its file's page, character offsets and heading path.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from localchat.core.documents.parse import ParsedFile
from localchat.core.documents.store import ChunkDraft

CHARS_PER_TOKEN = 4  # for a budget where the model's tokenizer is not at hand
OVERLAP = 0.15


def estimate_tokens(text: str) -> int:
    return max(1, round(len(text) / CHARS_PER_TOKEN))


@dataclass(frozen=True)
class ChunkShape:
    max_tokens: int = 256
    min_tokens: int = 160  # a chunk is "full" between min and max: fewer, larger passages

    @property
    def overlap(self) -> int:
        return int(self.max_tokens * OVERLAP)


class Chunker:
    def __init__(self, tokenizer_json: Path | None = None, shape: ChunkShape = ChunkShape()):
        from semantic_text_splitter import MarkdownSplitter, TextSplitter

        self.shape = shape
        capacity = (shape.min_tokens, shape.max_tokens)
        if tokenizer_json is not None and Path(tokenizer_json).is_file():
            config = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))
            config["truncation"] = None  # a truncating tokenizer would count every chunk as short
            config["padding"] = None
            text = json.dumps(config)
            self._text = TextSplitter.from_huggingface_tokenizer_str(text, capacity, overlap=shape.overlap)
            self._markdown = MarkdownSplitter.from_huggingface_tokenizer_str(text, capacity,
                                                                             overlap=shape.overlap)
        else:
            chars = (shape.min_tokens * CHARS_PER_TOKEN, shape.max_tokens * CHARS_PER_TOKEN)
            self._text = TextSplitter(chars, overlap=shape.overlap * CHARS_PER_TOKEN)
            self._markdown = MarkdownSplitter(chars, overlap=shape.overlap * CHARS_PER_TOKEN)

    def chunks(self, parsed: ParsedFile) -> list[ChunkDraft]:
        splitter = self._markdown if parsed.kind == "markdown" else self._text
        drafts = []
        for section in parsed.sections:
            for offset, text in splitter.chunk_indices(section.text):
                if not text.strip():
                    continue
                start = section.start + offset
                drafts.append(ChunkDraft(text, section.heading, section.page, start, start + len(text),
                                         estimate_tokens(text)))
        return drafts
