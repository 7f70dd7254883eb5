"""A llama.cpp GBNF grammar read as llama.cpp's own parser reads it, so that every problem is
named with its line and column before llama.cpp sees the grammar (its parser hangs on some
grammars and refuses others without saying where). ``Problem`` is what every check of a response
format (this one, and ``grammar``'s of JSON schemas) reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_REPEAT = 1000  # llama.cpp writes out a repetition {m,n} as n rules


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a grammar or a schema: ``where`` ("line 3, column 9" or a JSON
    pointer such as "/properties/age"), ``what`` in a sentence."""

    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: {self.what}" if self.where else self.what


# -- GBNF, read as llama.cpp's grammar parser reads it -----------------------------------------
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")
_ESCAPES = {"x": 2, "u": 4, "U": 8}
_SIMPLE_ESCAPES = set('trn\\"[]')


class _Stop(Exception):
    def __init__(self, what: str, pos: int):
        self.what, self.pos = what, pos


@dataclass
class _Item:
    kind: str  # "lit", "class", "any", "ref", "group"
    value: Any = None  # the literal, the rule name, the group's alternatives
    min: int = 1

    @property
    def may_be_empty_alone(self) -> bool:
        return self.min == 0 or (self.kind == "lit" and self.value == "")


class _GbnfReader:
    def __init__(self, text: str):
        self.src, self.pos = text, 0
        self.rules: dict[str, list[list[_Item]]] = {}
        self.defined_at: dict[str, int] = {}
        self.refs: list[tuple[str, int]] = []
        self.problems: list[Problem] = []

    def where(self, pos: int) -> str:
        line = self.src.count("\n", 0, pos) + 1
        return f"line {line}, column {pos - (self.src.rfind(chr(10), 0, pos) + 1) + 1}"

    def peek(self, n: int = 1) -> str:
        return self.src[self.pos:self.pos + n]

    def space(self, newline_ok: bool) -> None:
        src, n = self.src, len(self.src)
        while self.pos < n:
            c = src[self.pos]
            if c in " \t":
                self.pos += 1
            elif c == "#":
                while self.pos < n and src[self.pos] not in "\r\n":
                    self.pos += 1
            elif newline_ok and c in "\r\n":
                self.pos += 1
            else:
                break

    def name(self) -> str:
        start = self.pos
        while self.pos < len(self.src) and self.src[self.pos] in _WORD:
            self.pos += 1
        if self.pos == start:
            raise _Stop("expecting a rule name", start)
        return self.src[start:self.pos]

    def char(self) -> str:
        if self.pos >= len(self.src):
            raise _Stop("unexpected end of the grammar", self.pos)
        c = self.src[self.pos]
        if c != "\\":
            self.pos += 1
            return c
        kind = self.src[self.pos + 1:self.pos + 2]
        if kind in _ESCAPES:
            digits = self.src[self.pos + 2:self.pos + 2 + _ESCAPES[kind]]
            if len(digits) != _ESCAPES[kind] or any(d not in "0123456789abcdefABCDEF" for d in digits):
                raise _Stop(f"\\{kind} needs {_ESCAPES[kind]} hexadecimal digits", self.pos)
            self.pos += 2 + len(digits)
            return chr(min(int(digits, 16), 0x10FFFF))
        if kind in _SIMPLE_ESCAPES:
            self.pos += 2
            return kind
        raise _Stop(f"unknown escape \\{kind}" if kind else "unexpected end of the grammar", self.pos)

    def number(self) -> int:
        start = self.pos
        while self.peek().isdigit():
            self.pos += 1
        if self.pos == start:
            raise _Stop("expecting a number", start)
        return int(self.src[start:self.pos])

    def read(self) -> None:
        self.space(True)
        while self.pos < len(self.src):
            self.rule()

    def rule(self) -> None:
        start = self.pos
        name = self.name()
        self.space(False)
        if self.peek(3) != "::=":
            raise _Stop(f"expecting ::= after the rule name {name!r}", self.pos)
        self.pos += 3
        self.space(True)
        alternatives = self.alternatives(nested=False)
        if self.peek() == "\r":
            self.pos += 2 if self.peek(2) == "\r\n" else 1
        elif self.peek() == "\n":
            self.pos += 1
        elif self.pos < len(self.src):
            raise _Stop(f"unexpected {self.peek()!r}: expecting the end of the line", self.pos)
        self.space(True)
        if name in self.rules:
            self.problems.append(Problem(self.where(start), f"the rule {name!r} is defined twice "
                                         f"(first at {self.where(self.defined_at[name])})"))
        self.rules[name] = alternatives
        self.defined_at.setdefault(name, start)

    def alternatives(self, nested: bool) -> list[list[_Item]]:
        found = [self.sequence(nested)]
        while self.peek() == "|":
            self.pos += 1
            self.space(True)
            found.append(self.sequence(nested))
        return found

    def sequence(self, nested: bool) -> list[_Item]:
        items: list[_Item] = []
        while self.pos < len(self.src):
            start, c = self.pos, self.src[self.pos]
            if c == '"':
                self.pos += 1
                text = []
                while self.peek() != '"':
                    if self.pos >= len(self.src):
                        raise _Stop("this literal has no closing quote", start)
                    text.append(self.char())
                self.pos += 1
                items.append(_Item("lit", "".join(text)))
            elif c == "[":
                self.pos += 1
                if self.peek() == "^":
                    self.pos += 1
                while self.peek() != "]":
                    if self.pos >= len(self.src):
                        raise _Stop("this character class has no closing ]", start)
                    low = self.char()
                    if self.peek() == "-" and self.src[self.pos + 1:self.pos + 2] not in ("]", ""):
                        self.pos += 1
                        high_at = self.pos
                        if self.char() < low:
                            raise _Stop("this range ends before it starts", high_at)
                self.pos += 1
                items.append(_Item("class"))
            elif c in _WORD:
                name = self.name()
                self.refs.append((name, start))
                items.append(_Item("ref", name))
            elif c == "(":
                self.pos += 1
                self.space(True)
                group = self.alternatives(nested=True)
                if self.peek() != ")":
                    raise _Stop("expecting ) to close the ( at " + self.where(start), self.pos)
                self.pos += 1
                items.append(_Item("group", group))
            elif c == ".":
                self.pos += 1
                items.append(_Item("any"))
            elif c in "*+?":
                if not items:
                    raise _Stop(f"{c} needs an item before it", start)
                self.pos += 1
                items[-1] = self.repeated(items[-1], 1 if c == "+" else 0, None if c != "?" else 1)
            elif c == "{":
                if not items:
                    raise _Stop("{…} needs an item before it", start)
                self.pos += 1
                self.space(nested)
                low = self.number()
                self.space(nested)
                high: int | None = low
                if self.peek() == ",":
                    self.pos += 1
                    self.space(nested)
                    high = self.number() if self.peek().isdigit() else None
                    self.space(nested)
                if self.peek() != "}":
                    raise _Stop("expecting } to close the repetition", self.pos)
                self.pos += 1
                if high is not None and high < low:
                    raise _Stop(f"the repetition {{{low},{high}}} has its maximum below its minimum", start)
                if max(low, high or 0) > MAX_REPEAT:
                    raise _Stop(f"a repetition above {MAX_REPEAT} is too large for llama.cpp", start)
                items[-1] = self.repeated(items[-1], low, high)
            else:
                break
            self.space(nested)
        return items

    @staticmethod
    def repeated(item: _Item, low: int, high: int | None) -> _Item:
        return _Item("group", [[item]], min=0 if low == 0 else item.min)

    # -- whole-grammar checks --
    def check_names(self) -> None:
        if "root" not in self.rules:
            self.problems.append(Problem("", "the grammar has no rule named root (where the reply starts)"))
        for name, at in self.refs:
            if name not in self.rules:
                self.problems.append(Problem(self.where(at), f"the rule {name!r} is used but never defined"))

    def check_left_recursion(self) -> None:
        """llama.cpp refuses a rule that can reach itself before reading a character."""
        empty: dict[str, bool] = {name: False for name in self.rules}

        def seq_empty(seq: list[_Item]) -> bool:
            return all(item_empty(i) for i in seq)

        def item_empty(item: _Item) -> bool:
            if item.may_be_empty_alone:
                return True
            if item.kind == "ref":
                return empty.get(item.value, False)
            if item.kind == "group":
                return any(seq_empty(s) for s in item.value)
            return False

        changed = True
        while changed:
            changed = False
            for name, alts in self.rules.items():
                if not empty[name] and any(seq_empty(a) for a in alts):
                    empty[name] = changed = True

        def leftmost(alts: list[list[_Item]]) -> set[str]:
            found: set[str] = set()
            for seq in alts:
                for item in seq:
                    if item.kind == "ref":
                        found.add(item.value)
                    elif item.kind == "group":
                        found |= leftmost(item.value)
                    if not item_empty(item):
                        break
            return found

        edges = {name: leftmost(alts) & self.rules.keys() for name, alts in self.rules.items()}
        state: dict[str, int] = {}

        def visit(name: str, path: list[str]) -> list[str] | None:
            state[name] = 1
            for nxt in sorted(edges[name]):
                if state.get(nxt) == 1:
                    return [*path[path.index(nxt):], nxt] if nxt in path else [name, nxt]
                if nxt not in state:
                    cycle = visit(nxt, [*path, nxt])
                    if cycle:
                        return cycle
            state[name] = 2
            return None

        for name in self.rules:
            if name not in state:
                cycle = visit(name, [name])
                if cycle:
                    self.problems.append(Problem(
                        self.where(self.defined_at[cycle[0]]),
                        f"the rule {cycle[0]!r} is left-recursive ({' → '.join(cycle)}), which "
                        "llama.cpp cannot use: put something before the recursion"))
                    return


def gbnf_problems(text: str) -> tuple[Problem, ...]:
    """Everything wrong with a GBNF grammar, as llama.cpp's parser would find it; () when it is
    good. Pure Python: the window calls it as the person types."""
    if not text.strip():
        return (Problem("", "the grammar is empty"),)
    reader = _GbnfReader(text)
    try:
        reader.read()
    except _Stop as stop:
        return (*reader.problems, Problem(reader.where(stop.pos), stop.what))
    reader.check_names()
    if not reader.problems:
        reader.check_left_recursion()
    return tuple(reader.problems)
