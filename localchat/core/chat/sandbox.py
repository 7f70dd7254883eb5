"""Chat templates rendered in a sandbox, within a budget of time and size.

A GGUF file's chat template is Jinja code written by a stranger and run at every turn. Jinja's
``ImmutableSandboxedEnvironment`` keeps it away from Python's internals and from changing what it
is given, but not from taking time or memory: two nested loops of 99,999 steps run for hours and
``'x' * 10**10`` asks for 10 GB at once. So a render here is also bounded:

- in time (about a second): each step of every ``{% for %}`` loop and every call the template
  makes looks at the clock, and calls nest only so deep. Loops and calls are the only ways a
  template can run on (Jinja has no other), and what one step can do is bounded by the size
  checks below. (A trace function on the rendering thread would see every line, but it cost
  some 3 ms a turn on a 50-message conversation; these checks cost a tenth of that.)
- in size: every operation that can make a value larger than its operands (``*``, ``+``, ``~``,
  ``%``, string methods and filters that pad, repeat, join or replace, namespace assignments,
  macro arguments, printed values, the output) is checked before it runs against a limit of a
  few times the context window in characters, and the characters they make are counted too.

Past either, the render stops with ``ChatTemplateBudgetError``. A template gets only the helpers
chat templates use: ``raise_exception``, ``strftime_now``, ``range``, ``namespace``, ``dict``,
and the filters of ``FILTERS``.
"""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from datetime import datetime
from typing import Any, Callable

from localchat.core.errors import LocalChatError

RENDER_SECONDS = 1.0
MAX_TEMPLATE_CHARS = 200_000  # the longest real templates (tool use) are some 20,000
MAX_DEPTH = 64  # template calls (macros, blocks, recursive loops) inside one another
MADE_FACTOR = 64  # all checked operations together may make this many times the size limit
MAX_NUMBER_BITS = 4096  # integers past this only slow arithmetic down
MAX_RANGE = 100_000  # Jinja's own sandbox limit
COMPILE_CHARS = 1_000_000  # the size limit while Jinja folds constants at compile time

# Filters real chat templates use; the others (striptags, urlize, wordwrap, pprint, ...) can
# take quadratic time in one call, and the clock is only looked at between calls.
FILTERS = frozenset(
    "abs attr batch capitalize center count d default dictsort e escape first float format "
    "groupby indent int items join last length list lower map max min reject rejectattr replace "
    "reverse round safe select selectattr slice sort string sum title tojson trim truncate "
    "unique upper wordcount".split())
_TRAVERSING = frozenset("dictsort groupby join list reverse sort string tojson unique".split())
_NUMBERS = re.compile(r"\d+")
_TICKED = "localchat_ticked"  # the filter every loop's iterable goes through


class ChatTemplateError(LocalChatError):
    """A model's chat template cannot render a conversation. ``reason`` says why in a few words,
    for the note that tells what was done instead."""

    fatal = False  # the template is of no use for any conversation

    def __init__(self, message: str, hint: str | None = None, *, reason: str):
        super().__init__(message, hint)
        self.reason = reason


class ChatTemplateSyntaxError(ChatTemplateError):
    """The template does not compile: a syntax error, an unknown filter or test."""

    fatal = True


class ChatTemplateUnsafeError(ChatTemplateError):
    """The template reached for Python's internals."""

    fatal = True


class ChatTemplateBudgetError(ChatTemplateError):
    """The template ran past its time or size budget."""

    fatal = True


class _Raised(Exception):
    """What a template's ``raise_exception(message)`` raises."""


class _OverBudget(BaseException):
    """Raised inside a render. A BaseException, so that no ``except Exception`` of Jinja's
    runtime can swallow it and let the render go on unbounded."""


class Budget:
    """The limits of one render and what it has spent of them."""

    def __init__(self, max_chars: int, seconds: float = RENDER_SECONDS):
        self.max_chars = max_chars
        self.seconds = seconds
        self.deadline = time.perf_counter() + seconds
        self.made = 0
        self.depth = 0

    def tick(self) -> None:
        if time.perf_counter() > self.deadline:
            raise _OverBudget(f"it ran for more than {self.seconds:g} s")

    def fits(self, size: int, what: str = "a value") -> None:
        if size > self.max_chars:
            raise _OverBudget(f"it asked for {what} of {size:,} characters "
                              f"(at most {self.max_chars:,} are allowed)")

    def holds(self, value: Any, what: str = "a value") -> Any:
        """``value`` if it is within the size limit, else stop."""
        if type(value) is not str or len(value) > self.max_chars:
            self.fits(weight(value, self.max_chars), what)
        return value

    def made_value(self, value: Any) -> Any:
        """Count ``value`` as made by the template; stop once the render made too much or ran
        too long."""
        size = len(value) if type(value) is str else weight(value, self.max_chars)
        self.fits(size)
        self.made += size
        if self.made > MADE_FACTOR * self.max_chars:
            raise _OverBudget(f"it made more than {MADE_FACTOR * self.max_chars:,} characters of text")
        self.tick()
        return value


_local = threading.local()


def _budget() -> Budget:
    budget = getattr(_local, "budget", None)
    # none: the environment used outside ChatTemplate; the checks still hold, one at a time
    return budget if budget is not None else Budget(COMPILE_CHARS)


def weight(value: Any, limit: int) -> int:
    """About how many characters ``value`` makes as text, counted until past ``limit``. Shared
    items count every time they appear, as they do when printed or compared; each is looked at
    once, so a list of itself doubled sixty times costs sixty steps, not 2**60."""
    if type(value) is str:
        return len(value)
    from jinja2.runtime import Namespace

    seen: dict[int, int] = {}

    def size(item: Any, depth: int) -> int:
        if isinstance(item, str):
            return len(item)
        if isinstance(item, bool) or item is None or isinstance(item, float):
            return 5
        if isinstance(item, int):
            return item.bit_length() // 3 + 2
        if not isinstance(item, (list, tuple, set, frozenset, dict, Namespace)):
            return 16
        key = id(item)
        if key in seen:
            return seen[key]
        seen[key] = 16  # a container inside itself: Python writes it as [...]
        if isinstance(item, Namespace):
            item = object.__getattribute__(item, "_Namespace__attrs")
        total = 2 + 2 * len(item)
        if depth < 32:
            for part in ([*item.keys(), *item.values()] if isinstance(item, dict) else item):
                total += size(part, depth + 1)
                if total > limit:
                    break
        seen[key] = total
        return total

    return size(value, 0)


def _numbers_in(text: str) -> int:
    """The sum of the numbers written in a format string: the widths it pads to, at most."""
    return sum(int(n) if len(n) < 12 else 10 ** 12 for n in _NUMBERS.findall(text))


# -- checked operations ------------------------------------------------------------------------
def _product(left: Any, right: Any) -> Any:
    budget = _budget()
    if isinstance(left, int) and not isinstance(right, int):
        left, right = right, left
    if isinstance(right, int) and not isinstance(right, bool):
        if isinstance(left, int):
            if left.bit_length() + right.bit_length() > MAX_NUMBER_BITS:
                raise _OverBudget("it multiplies numbers past any use")
        elif isinstance(left, (str, list, tuple)):
            budget.fits(weight(left, budget.max_chars) * max(right, 0), "a repeated string or list")
    return budget.made_value(left * right)


def _power(left: Any, right: Any) -> Any:
    if (isinstance(left, int) and isinstance(right, int) and right > 0 and abs(left) > 1
            and left.bit_length() * right > MAX_NUMBER_BITS):
        raise _OverBudget(f"it raises a number to the power {right:,}")
    return left ** right


def _sum(left: Any, right: Any) -> Any:
    budget = _budget()
    if type(left) is str and type(right) is str:  # the common case, first
        budget.fits(len(left) + len(right), "a joined string")
        return budget.made_value(left + right)
    if isinstance(left, (str, list, tuple)) and isinstance(right, (str, list, tuple)):
        budget.fits(weight(left, budget.max_chars) + weight(right, budget.max_chars))
        return budget.made_value(left + right)
    return left + right


def _modulo(left: Any, right: Any) -> Any:
    if isinstance(left, str):
        budget = _budget()
        args = right if isinstance(right, (tuple, dict)) else (right,)
        budget.fits(len(left) + _numbers_in(left) + weight(args, budget.max_chars), "a formatted string")
        return budget.made_value(left % right)
    return left % right


_BINOPS = {"*": _product, "**": _power, "+": _sum, "%": _modulo}


def _check_arguments(args: tuple, kwargs: dict, *, sizes: bool) -> None:
    """No number past the size limit (a width, a count), and with ``sizes`` no value past it
    either (what a macro is given can be passed on and doubled at each call)."""
    budget = _budget()
    for value in (*args, *kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool):
            if abs(value) > budget.max_chars:
                raise _OverBudget(f"it passes {value:,} where at most {budget.max_chars:,} is allowed")
        elif sizes:
            budget.holds(value, "an argument")


def _check_string_method(text: str, name: str, args: tuple, kwargs: dict) -> tuple:
    """The size a string method would make, checked before it runs; returns the arguments to
    call it with (a generator given to ``join`` is read once, here)."""
    budget = _budget()
    if name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        times = text.count(old) if old else len(text) + 1
        if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
            times = min(times, args[2])
        budget.fits(len(text) + times * len(new), "a replaced string")
    elif name == "join" and args:
        items = list(args[0])
        budget.fits(weight(items, budget.max_chars) + len(text) * len(items), "a joined string")
        args = (items, *args[1:])
    elif name == "expandtabs":
        size = args[0] if args and isinstance(args[0], int) else kwargs.get("tabsize", 8)
        budget.fits(len(text) + text.count("\t") * max(int(size), 0), "a string")
    elif name in ("format", "format_map"):
        budget.fits(len(text) + _numbers_in(text) + weight((args, kwargs), budget.max_chars),
                    "a formatted string")
    return args


def _join(parts: tuple) -> str:
    """``~`` (Jinja's concatenation), checked before the parts are turned into text."""
    budget = _budget()
    budget.fits(weight(parts, budget.max_chars), "a joined string")
    return budget.made_value("".join(map(str, parts)))


# -- filters and helpers -------------------------------------------------------------------------
def tojson(value: Any, indent: int | None = None, separators=None, sort_keys: bool = False,
           ensure_ascii: bool = False) -> str:
    """``tojson`` as Hugging Face's transformers renders it (no HTML escapes)."""
    if indent is not None and not 0 <= int(indent) <= 16:
        raise _OverBudget(f"it indents JSON by {indent}")
    return json.dumps(value, ensure_ascii=ensure_ascii, indent=indent, separators=separators,
                      sort_keys=sort_keys)


def _guarded_filter(name: str, func: Callable) -> Callable:
    @functools.wraps(func)  # keeps Jinja's pass_context / pass_eval_ctx marks
    def checked(*args, **kwargs):
        budget = _budget()
        _check_arguments(args, kwargs, sizes=False)
        values = [a for a in args if not hasattr(a, "environment")]  # the value, then its arguments
        if name == "join" and values:
            items = list(values[0])
            sep = values[1] if len(values) > 1 else kwargs.get("d", "")
            budget.fits(weight(items, budget.max_chars) + len(str(sep)) * len(items), "a joined string")
            args = tuple(items if a is values[0] else a for a in args)
        elif name == "replace" and len(values) >= 3:
            _check_string_method(str(values[0]), "replace", tuple(values[1:]), {})
        elif name == "indent" and values:
            width = values[1] if len(values) > 1 else kwargs.get("width", 4)
            lines = str(values[0]).count("\n") + 1
            budget.fits(len(str(values[0])) + lines * (len(width) if isinstance(width, str) else int(width)),
                        "an indented string")
        elif name == "format" and values:
            _check_string_method(str(values[0]), "format", tuple(values[1:]), kwargs)
        elif name in _TRAVERSING and values:
            budget.holds(values[0], "a value")
        return budget.made_value(func(*args, **kwargs))

    return checked


def _guarded_sum(iterable, attribute=None, start=0):
    from jinja2.filters import make_attrgetter

    items = iterable if attribute is None else map(make_attrgetter(_environment(), attribute), iterable)
    total = start
    for item in items:
        total = _sum(total, item)
    return total


def _ticked(context, iterable):
    """What a ``{% for %}`` loop iterates, each step looking at the clock."""
    budget = _budget()
    for item in iterable:
        budget.tick()
        yield item


def _range(*args: int) -> range:
    numbers = range(*args)
    if len(numbers) > MAX_RANGE:
        raise _OverBudget(f"it asks for a range of {len(numbers):,} numbers (at most {MAX_RANGE:,})")
    return numbers


def raise_exception(message: str) -> None:
    raise _Raised(str(message))


def strftime_now(fmt: str) -> str:
    budget = _budget()
    budget.fits(len(fmt) * 8, "a date")
    return datetime.now().strftime(fmt)


@functools.cache
def _environment():
    """The one sandbox every chat template is compiled in."""
    from jinja2 import ext, nodes, pass_context
    from jinja2.compiler import CodeGenerator
    from jinja2.runtime import Namespace
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class CheckedCodeGenerator(CodeGenerator):
        def visit_Concat(self, node: nodes.Concat, frame) -> None:
            self.write("environment.checked_join((")
            for arg in node.nodes:
                self.visit(arg, frame)
                self.write(", ")
            self.write("))")

    class CheckedNamespace(Namespace):
        def __setitem__(self, name: str, value: Any) -> None:
            super().__setitem__(name, _budget().holds(value, "a namespace value"))

    class GenerationTags(ext.Extension):
        """Hugging Face's ``{% generation %}`` marks the assistant's part; it renders as is."""

        tags = {"generation"}

        def parse(self, parser):
            parser.stream.skip(1)
            return parser.parse_statements(("name:endgeneration",), drop_needle=True)

    class ChatTemplateEnvironment(ImmutableSandboxedEnvironment):
        code_generator_class = CheckedCodeGenerator
        intercepted_binops = frozenset(_BINOPS)

        def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
            return _BINOPS[operator](left, right)

        def call(__self, __context, __obj, *args, **kwargs):  # Jinja's own signature
            budget = _budget()
            _check_arguments(args, kwargs, sizes=True)
            method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
            owner = getattr(method, "__self__", None)
            if isinstance(owner, str):
                args = _check_string_method(owner, getattr(method, "__name__", ""), args, kwargs)
            budget.depth += 1  # macros, self.block(), loop(...) and caller() all come through here
            if budget.depth > MAX_DEPTH:
                raise _OverBudget(f"it calls itself more than {MAX_DEPTH} deep")
            try:
                result = super().call(__context, __obj, *args, **kwargs)
            finally:
                budget.depth -= 1
            return budget.made_value(result)

        def checked_join(self, parts: tuple) -> str:
            return _join(parts)

        def concat(self, pieces) -> str:  # {% set %} blocks, macros and filter blocks
            pieces = list(pieces)
            _budget().fits(sum(map(len, pieces)), "a block of text")
            return "".join(pieces)

    env = ChatTemplateEnvironment(
        trim_blocks=True, lstrip_blocks=True, extensions=[ext.loopcontrols, GenerationTags],
        finalize=lambda value: _budget().holds(value, "a printed value"))
    kept = {name: env.filters[name] for name in FILTERS if name in env.filters}
    kept["tojson"] = tojson
    env.filters = {name: _guarded_filter(name, func) for name, func in kept.items()}
    env.filters["sum"] = _guarded_sum
    env.filters[_TICKED] = pass_context(_ticked)  # taking the context: never folded at compile time
    env.globals = {"range": _range, "dict": dict, "namespace": CheckedNamespace,
                   "raise_exception": raise_exception, "strftime_now": strftime_now}
    return env


def _compile(source: str):
    """The template, each ``{% for %}`` loop's iterable put through the ticking filter."""
    from jinja2 import nodes

    env = _environment()
    tree = env.parse(source)
    for loop in tree.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, _TICKED, [], [], None, None, lineno=loop.lineno)
    return env.from_string(tree)


class _Render:
    """The budget of one render, for the checks made on this thread."""

    def __init__(self, budget: Budget):
        self.budget = budget

    def __enter__(self) -> Budget:
        self._outer = getattr(_local, "budget", None)
        _local.budget = self.budget
        return self.budget

    def __exit__(self, *exc) -> None:
        _local.budget = self._outer


def _failure(exc: BaseException) -> ChatTemplateError:
    """The error a person is told of, for whatever stopped a template."""
    from jinja2.exceptions import SecurityError, TemplateSyntaxError

    hint = "localchat writes this model's prompts another way, so it still chats."
    if isinstance(exc, _OverBudget):
        return ChatTemplateBudgetError(f"This model's chat template was stopped: {exc}.", hint,
                                       reason=str(exc))
    if isinstance(exc, MemoryError):
        return ChatTemplateBudgetError("This model's chat template ran out of memory.", hint,
                                       reason="it ran out of memory")
    if isinstance(exc, SecurityError):
        return ChatTemplateUnsafeError(f"This model's chat template tried to leave its sandbox ({exc})",
                                       hint, reason="it tried to reach Python's internals")
    if isinstance(exc, TemplateSyntaxError):
        where = f"line {exc.lineno}: " if exc.lineno else ""
        return ChatTemplateSyntaxError(f"This model's chat template has an error ({where}{exc.message}).",
                                       hint, reason=f"{where}{exc.message}")
    if isinstance(exc, RecursionError):
        return ChatTemplateBudgetError("This model's chat template nests too deep.", hint,
                                       reason="it nests too deep")
    if isinstance(exc, _Raised):
        return ChatTemplateError(f"This model's chat template refused the conversation: {exc}", hint,
                                 reason=str(exc)[:200])
    text = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return ChatTemplateError(f"This model's chat template failed: {text}", hint, reason=text)


class ChatTemplate:
    """A compiled chat template. ``render`` never runs past its budget."""

    def __init__(self, source: str):
        if len(source) > MAX_TEMPLATE_CHARS:
            raise ChatTemplateBudgetError(
                f"This model's chat template is {len(source):,} characters long "
                f"(at most {MAX_TEMPLATE_CHARS:,} are read).",
                "localchat writes this model's prompts another way, so it still chats.",
                reason="it is too long")
        self.source = source
        try:
            with _Render(Budget(COMPILE_CHARS)):
                self._template = _compile(source)
        except (Exception, _OverBudget) as exc:
            error = _failure(exc)
            if not error.fatal or isinstance(exc, RecursionError):  # of no use at all
                error = ChatTemplateSyntaxError(f"This model's chat template does not compile ({error.reason}).",
                                                error.hint, reason=error.reason)
            raise error from None

    def render(self, max_chars: int, seconds: float = RENDER_SECONDS, **context: Any) -> str:
        """The template's text for ``context``, or a ChatTemplateError saying why not."""
        budget = Budget(max_chars, seconds)
        pieces: list[str] = []
        size = 0
        try:
            with _Render(budget):
                for piece in self._template.generate(**context):
                    size += len(piece)
                    budget.fits(size, "a prompt")
                    pieces.append(piece)
        except (Exception, _OverBudget) as exc:
            raise _failure(exc) from None
        return "".join(pieces)
