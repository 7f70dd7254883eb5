"""What a GGUF header claims is checked before it is believed: absurd lengths and counts are
refused before the bytes are asked for, values of the wrong type are refused as llama.cpp would
refuse them, and nothing a header says reaches the engine as anything but a LocalChatError."""

from __future__ import annotations

import struct

import pytest

from localchat.core.errors import CorruptModelError, LocalChatError, ModelFileError
from localchat.core.inference.engine import Engine
from localchat.core.models.facts import ModelFacts
from localchat.core.models.fit import estimate_memory
from localchat.core.models.gguf import MAX_HEADER, parse_header, read_local

U8, U32, I32, F32, BOOL, STRING, ARRAY, U64 = 0, 4, 5, 6, 7, 8, 9, 10
F32_TENSOR = 0


def u32(n: int) -> bytes:
    return struct.pack("<I", n)


def u64(n: int) -> bytes:
    return struct.pack("<Q", n)


def text(s: str) -> bytes:
    data = s.encode()
    return u64(len(data)) + data


def kv(key: str, vtype: int, payload: bytes) -> bytes:
    return text(key) + u32(vtype) + payload


def uint(key: str, n: int) -> bytes:
    return kv(key, U32, u32(n))


def array(key: str, item_type: int, items: list[bytes], count: int | None = None) -> bytes:
    return kv(key, ARRAY, u32(item_type) + u64(len(items) if count is None else count) + b"".join(items))


def tensor(name: str, shape: tuple[int, ...], ggml_type: int = F32_TENSOR, offset: int = 0) -> bytes:
    return text(name) + u32(len(shape)) + b"".join(u64(d) for d in shape) + u32(ggml_type) + u64(offset)


BASE = [kv("general.architecture", STRING, text("llama")), uint("llama.block_count", 2),
        uint("llama.context_length", 4096), uint("llama.embedding_length", 64)]


def gguf(kvs: list[bytes] = (), tensors: list[bytes] = (), *, n_kv: int | None = None,
         n_tensors: int | None = None, data: int = 0) -> bytes:
    kvs = BASE + list(kvs)
    head = (b"GGUF" + u32(3) + u64(len(tensors) if n_tensors is None else n_tensors)
            + u64(len(kvs) if n_kv is None else n_kv) + b"".join(kvs) + b"".join(tensors))
    return head + b"\0" * (-len(head) % 32) + b"\0" * data


def strict_read(data: bytes):
    """parse_header over ``data``, then a failed test if its fetch was asked past the end."""
    asked_past: list[str] = []

    def fetch(offset: int, n: int) -> bytes:
        if offset + n > len(data):
            asked_past.append(f"{n:,} bytes at {offset:,} of a {len(data):,}-byte file")
        return data[offset:offset + n]

    try:
        return parse_header(fetch, file_size=len(data), chunk=64)
    finally:
        assert not asked_past, f"asked for {asked_past}"


def refused(data: bytes, match: str, tmp_path) -> CorruptModelError:
    with pytest.raises(CorruptModelError, match=match) as info:
        strict_read(data)
    path = tmp_path / "bad.gguf"
    path.write_bytes(data)
    with pytest.raises(CorruptModelError, match=match):
        read_local(path)
    assert info.value.hint
    return info.value


def test_the_builder_makes_a_header_the_reader_takes():
    facts = strict_read(gguf([uint("llama.attention.head_count", 4)], [tensor("t", (64, 2))], data=512))
    assert facts.n_layers == 2 and facts.context_length == 4096 and facts.tensors[0].n_bytes == 512


# -- lengths and counts the file cannot hold: refused before they are read --------------------
@pytest.mark.parametrize("claim", [4 << 30, 60 << 20, 2**64 - 1])
def test_a_string_longer_than_the_file_is_not_read(claim, tmp_path):
    data = gguf([kv("general.name", STRING, u64(claim) + b"x" * 100)])
    refused(data, "truncated|damaged", tmp_path)


def test_a_key_longer_than_the_file_is_not_read(tmp_path):
    refused(gguf([u64(4 << 30) + b"general.name"]), "truncated|damaged", tmp_path)


@pytest.mark.parametrize("item_type, count", [(U8, 40_000_000), (U8, 2**60), (STRING, 2**60),
                                              (U64, 2**61), (F32, 10_000_000)])
def test_an_array_longer_than_the_file_is_not_read(item_type, count, tmp_path):
    data = gguf([array("tokenizer.ggml.scores", item_type, [], count=count) + b"\0" * 64])
    refused(data, "truncated|damaged", tmp_path)


def test_an_array_claiming_more_than_any_header_holds_says_so(tmp_path):
    err = refused(gguf([array("tokenizer.ggml.tokens", STRING, [], count=2**60)]), "damaged", tmp_path)
    assert "tokenizer.ggml.tokens" in err.message and "items" in err.message


@pytest.mark.parametrize("field", ["n_tensors", "n_kv"])
@pytest.mark.parametrize("count", [2**40, 2**63, 2**64 - 1])
def test_absurd_entry_counts_are_refused_before_reading(field, count, tmp_path):
    data = gguf(**{field: count})
    refused(data, "damaged", tmp_path)


@pytest.mark.parametrize("data, match", [
    (gguf([array("tokenizer.ggml.token_type", U8, [], count=MAX_HEADER + 1)]), "claims 134,217,729 items"),
    (gguf([kv("general.name", STRING, u64(64 * 2**20 + 1))]), "claims 67,108,865 bytes"),
    (gguf(n_kv=10_000_000, n_tensors=1_000_000), "more than 128 MiB"),  # each possible, not both
], ids=["array", "string", "entries"])
def test_a_header_of_unknown_size_stops_at_the_bound_without_reading_past_it(data, match):
    """As on the Hub, where the file's size is not known yet: a source that never ends."""
    asked_past = []

    def endless(offset: int, n: int) -> bytes:
        if offset + n > len(data):
            asked_past.append(n)
        return data[offset:offset + n].ljust(n, b"\0")

    with pytest.raises(CorruptModelError, match=match):
        parse_header(endless, chunk=64)
    assert sum(asked_past) < 4096


# -- values llama.cpp would refuse -------------------------------------------------------------
def test_an_array_of_arrays_is_refused_at_any_depth(tmp_path):
    inner = u32(U32) + u64(1) + u32(7)
    nested = u32(ARRAY) + u64(1)
    deep = nested * 5000 + inner  # deeper than Python's recursion limit
    refused(gguf([kv("x.nested", ARRAY, deep)]), "array of arrays", tmp_path)


@pytest.mark.parametrize("payload, match", [
    (array("x.odd", 77, []), "unknown type 77"),
    (kv("x.odd", 13, b""), "unknown value type 13"),
    (kv("x.odd", 2**31, b""), "unknown value type"),
], ids=["array-item-77", "value-13", "value-2^31"])
def test_unknown_types_are_refused_even_in_an_empty_array(payload, match, tmp_path):
    refused(gguf([payload]), match, tmp_path)


def test_a_key_that_appears_twice_is_refused(tmp_path):
    refused(gguf([uint("llama.block_count", 3)]), "appears twice", tmp_path)


@pytest.mark.parametrize("entry, match", [
    (kv("llama.feed_forward_length", STRING, text("lots")), "feed_forward_length is 'lots'"),
    (kv("llama.attention.head_count", F32, struct.pack("<f", float("nan"))), "head_count is nan"),
    (kv("llama.attention.head_count_kv", I32, struct.pack("<i", -8)), "not a count"),
    (kv("llama.attention.key_length", BOOL, b"\1"), "not a count"),
    (array("llama.attention.head_count_kv", STRING, [text("x")] * 3), "not a count"),
], ids=["string", "nan", "negative", "bool", "array-of-strings"])
def test_hyperparameters_that_are_not_counts_are_refused(entry, match, tmp_path):
    refused(gguf([entry]), match, tmp_path)


def test_an_absurd_layer_count_is_refused(tmp_path):
    data = gguf()
    data = data.replace(text("llama.block_count") + u32(U32) + u32(2),
                        text("llama.block_count") + u32(U32) + u32(2**31))
    refused(data, "2,147,483,648 layers", tmp_path)


def test_a_context_length_given_as_a_list_is_refused(tmp_path):
    data = gguf().replace(uint("llama.context_length", 4096),
                          array("llama.context_length", U32, [u32(4096)]))
    refused(data, "context_length is \\[4096\\]", tmp_path)


@pytest.mark.parametrize("alignment", [0, 3, 48])
def test_an_alignment_that_is_not_a_power_of_two_is_refused(alignment, tmp_path):
    refused(gguf([uint("general.alignment", alignment)]), "alignment", tmp_path)


def test_an_alignment_that_is_not_a_number_is_refused(tmp_path):
    refused(gguf([kv("general.alignment", STRING, text("wide"))]), "alignment", tmp_path)


@pytest.mark.parametrize("t, match", [
    (tensor("t", (1, 1, 1, 1, 1)), "5 dimensions"),
    (tensor("t", (2**40, 2**40)), "shape"),
    (tensor("t" * 64, (32,)), "tensor name claims 64 bytes"),
    (tensor("t", (64,), ggml_type=4), "unknown type 4"),
    (tensor("t", (33,), ggml_type=2), "whole blocks"),  # Q4_0: rows of 32
    (tensor("t", (8,), offset=7), "not aligned"),
], ids=["5-dims", "overflow", "long-name", "removed-type", "partial-block", "unaligned"])
def test_tensor_entries_llama_cpp_would_refuse_are_refused(t, match, tmp_path):
    refused(gguf(tensors=[t], data=4096), match, tmp_path)


def test_a_tensor_that_appears_twice_is_refused(tmp_path):
    refused(gguf(tensors=[tensor("t", (8,)), tensor("t", (8,), offset=32)], data=4096), "appears twice",
            tmp_path)


# -- what the reader takes, the rest of the model path takes too -------------------------------
def test_per_layer_counts_of_a_deep_model_are_kept_for_the_fit(tmp_path):
    """80 layers each with their own KV head count (as DeciLM files have): the fit reads them."""
    data = gguf([array("llama.attention.head_count_kv", U32, [u32(8)] * 79 + [u32(2)]),
                 uint("llama.attention.head_count", 8)]).replace(uint("llama.block_count", 2),
                                                                 uint("llama.block_count", 80))
    facts = strict_read(data)
    assert facts.arch_value("attention.head_count_kv")[-1] == 2
    model = ModelFacts.from_gguf(facts)
    assert model.n_layers == 80 and model.n_head_kv == 8
    assert estimate_memory(facts, n_ctx=512).ram_bytes > 0


def test_a_damaged_header_reaches_the_engine_as_a_sentence(tmp_path):
    path = tmp_path / "words.gguf"
    path.write_bytes(gguf([kv("llama.attention.head_count", STRING, text("eight"))]))
    engine = Engine()
    with pytest.raises(LocalChatError) as info:
        engine.load(path, n_ctx=256)
    assert isinstance(info.value, ModelFileError) and "head_count" in info.value.message
    assert engine.model is None
