"""The header reader on damaged copies of a real GGUF file: cut anywhere, bytes flipped, length
and count fields and type codes set to anything. Whatever the damage, it returns facts the rest
of the model path can use, or refuses the file with a ModelFileError; it never raises anything
else and never asks for bytes the file does not hold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from localchat.core.errors import CorruptModelError, LocalChatError, NotAGGUFError
from localchat.core.models.defaults import default_context
from localchat.core.models.facts import ModelFacts
from localchat.core.models.fit import estimate_memory
from localchat.core.models.gguf import parse_header, read_local

_SCALAR_SIZES = {0: 1, 1: 1, 2: 2, 3: 2, 4: 4, 5: 4, 6: 4, 7: 1, 10: 8, 11: 8, 12: 8}
EDGES = [0, 1, 2, 3, 4, 7, 8, 9, 12, 13, 31, 32, 64, 255, 256, 2**16, 2**31 - 1, 2**31,
         2**32 - 1, 2**32, 2**40, 2**60, 2**63 - 1, 2**63, 2**64 - 1]


def header_fields(data: bytes) -> tuple[list[tuple[int, int, str]], int]:
    """Where the length, count and type fields of a valid header are, walked on its own (not
    with the reader under test): (offset, size, kind) each, and where the header ends."""
    fields: list[tuple[int, int, str]] = []
    pos = 4

    def take(size: int, kind: str) -> int:
        nonlocal pos
        fields.append((pos, size, kind))
        value = int.from_bytes(data[pos:pos + size], "little")
        pos += size
        return value

    def string() -> None:
        nonlocal pos
        length = take(8, "length")
        pos += length

    def value(vtype: int, kind: str = "value") -> None:
        nonlocal pos
        if vtype in _SCALAR_SIZES:
            fields.append((pos, _SCALAR_SIZES[vtype], kind))
            pos += _SCALAR_SIZES[vtype]
        elif vtype == 8:
            string()
        else:
            item = take(4, "type")
            for _ in range(take(8, "count")):
                value(item)

    take(4, "version")
    n_tensors, n_kv = take(8, "count"), take(8, "count")
    for _ in range(n_kv):
        string()
        value(take(4, "type"), "setting")  # a number the header says of the model (its layers...)
    for _ in range(n_tensors):
        string()
        for _ in range(take(4, "count")):
            take(8, "dimension")
        take(4, "type")
        take(8, "offset")
    return fields, pos


@pytest.fixture(scope="module")
def original(tiny_model) -> tuple[bytes, list, int]:
    data = tiny_model.read_bytes()
    fields, end = header_fields(data)
    assert end == read_local(tiny_model).header_bytes  # the walk agrees with the reader on good bytes
    return data, fields, end


def apply(data: bytes, mutations) -> bytes:
    buf = bytearray(data)
    for kind, arg in mutations:
        if kind == "cut":
            del buf[arg:]
        elif kind == "flip":
            for i, x in arg:
                if i < len(buf):
                    buf[i] ^= x
        else:
            (offset, size, _), value = arg
            if offset + size <= len(buf):
                buf[offset:offset + size] = (value % 2 ** (8 * size)).to_bytes(size, "little")
    return bytes(buf)


def strict_parse(data: bytes) -> list[str]:
    """parse_header over ``data``; what its fetch was asked that it should not have been (past
    the end, or twice for the same bytes). A refusal is fine here."""
    asked: list[tuple[int, int]] = []
    wrong: list[str] = []

    def fetch(offset: int, n: int) -> bytes:
        if offset + n > len(data):
            wrong.append(f"asked for {n:,} bytes at {offset:,} of {len(data):,}")
        if asked and offset < asked[-1][0] + asked[-1][1]:
            wrong.append(f"asked again for bytes at {offset:,}")
        asked.append((offset, n))
        return data[offset:offset + n]

    try:
        parse_header(fetch, file_size=len(data), chunk=4096)
    except (NotAGGUFError, CorruptModelError):
        pass
    return wrong


def bounded(examples: int):
    """A few seconds in all; no example database left behind; no shrinking, as the failing
    example of a broken reader may cost gigabytes each time it is tried again."""
    return settings(max_examples=examples, deadline=timedelta(seconds=2), database=None,
                    phases=(Phase.explicit, Phase.generate),
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


VALUES = st.one_of(st.integers(0, 2**64 - 1), st.sampled_from(EDGES))


def check(damaged: bytes, tmp_path) -> None:
    """The property: facts everything on the engine's way can use, or a refusal that says why."""
    path = tmp_path / "damaged.gguf"
    path.write_bytes(damaged)
    try:
        facts = read_local(path)
    except LocalChatError as exc:
        # a refusal that says why, not the guard that catches a bug in the reader
        assert type(exc) in (NotAGGUFError, CorruptModelError), repr(exc)
        assert exc.message and exc.hint
        facts = None
    assert strict_parse(damaged) == []
    if facts is None:
        return
    # accepted: so is it by everything the engine asks of it before llama.cpp sees the file
    assert facts.expected_size <= len(damaged) == facts.file_size
    model = ModelFacts.from_gguf(facts)
    estimate_memory(facts, n_ctx=min(default_context(facts.context_length), 4096))
    assert model.n_layers >= 0 and facts.n_params >= 0
    assert facts.chat_template is None or isinstance(facts.chat_template, str)


@bounded(40)
@given(cut=st.data())
def test_a_file_cut_anywhere(original, tmp_path, cut):
    good, _, header_end = original
    at = cut.draw(st.one_of(st.integers(0, header_end + 64), st.integers(0, len(good))))
    check(good[:at], tmp_path)


@bounded(50)
@given(data=st.data())
def test_bytes_flipped_in_the_header(original, tmp_path, data):
    good, _, header_end = original
    flips = data.draw(st.lists(st.tuples(st.integers(0, header_end - 1), st.integers(1, 255)),
                               min_size=1, max_size=8))
    check(apply(good, [("flip", flips)]), tmp_path)


@bounded(60)
@given(data=st.data())
def test_length_count_and_type_fields_set_to_anything(original, tmp_path, data):
    good, fields, _ = original
    structural = [f for f in fields if f[2] not in ("value", "setting")]
    changes = data.draw(st.lists(st.tuples(st.sampled_from(structural), VALUES), min_size=1, max_size=3))
    check(apply(good, [("set", c) for c in changes]), tmp_path)


@bounded(40)
@given(data=st.data())
def test_the_model_s_numbers_set_to_anything(original, tmp_path, data):
    """Layers, context, heads: what the fit and the engine compute with."""
    good, fields, _ = original
    settings_ = [f for f in fields if f[2] == "setting"]
    changes = data.draw(st.lists(st.tuples(st.sampled_from(settings_), VALUES), min_size=1, max_size=2))
    check(apply(good, [("set", c) for c in changes]), tmp_path)


@bounded(40)
@given(data=st.data())
def test_several_kinds_of_damage_at_once(original, tmp_path, data):
    good, fields, header_end = original
    one = st.one_of(
        st.tuples(st.just("set"), st.tuples(st.sampled_from(fields), VALUES)),
        st.tuples(st.just("flip"), st.lists(st.tuples(st.integers(0, header_end - 1), st.integers(1, 255)),
                                            min_size=1, max_size=4)),
        st.tuples(st.just("cut"), st.integers(0, len(good))))
    check(apply(good, data.draw(st.lists(one, min_size=2, max_size=4))), tmp_path)


def test_the_walk_finds_every_kind_of_field(original):
    _, fields, _ = original
    assert {kind for _, _, kind in fields} >= {"version", "count", "length", "type", "dimension", "offset",
                                               "value", "setting"}
