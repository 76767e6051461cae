"""Pygments' RegexLexer loop, the same tokens from far fewer regex calls (issue 17: highlighting was 12 of the 26 s
that loading en-cpp-docs' standard-library articles took).

Pygments tries a state's rules one by one at each position: 19 million `re.match` calls for 800k C++ tokens. Here
a state's rules are joined into one alternation, `(?:rule0)()|(?:rule1)()|…`, that finds the first rule that
matches in one call: an ordered alternation picks the first alternative that matches, as Pygments' loop does, and
each alternative matches what its rule alone would (nothing follows it but an empty group). That empty group closes
last, so `m.lastindex` names the rule. And only the rules that can start with the character at the position join
(`firstchars`): a C++ state has 106 rules, an identifier's first letter leaves a handful. A rule whose action needs
its own groups (`bygroups`, `using`) is matched again on its own regex. A rule that cannot be joined safely
(numbered back-references, other flags, inline global flags, group names used twice: anything `re.compile` or a
warning objects to) keeps its own call, in its place, so the order of trial is always Pygments'. The patterns are
made as the lexer meets states and characters, and only for a language that has much code (`ACCELERATE_AFTER`).
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from functools import lru_cache
from types import FunctionType, MethodType, SimpleNamespace
from weakref import WeakKeyDictionary

from pygments.lexer import ExtendedRegexLexer, Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

from kbgen.markdown.firstchars import first_chars

#: A rule as Pygments keeps it: (its regex's `match`, token type or callback or None, state change or None).
Rule = tuple[Callable, object, object]
#: One call at a position: (`match` of a rule or of joined rules, what to do with its match: the rule's (action,
#: state change, None) — or, for joined rules, a list from each rule's group number to (action, state change, the
#: rule's own `match`)).
Call = tuple[Callable, object]

_NUMBERED_REFERENCE = re.compile(r"\\[1-9]|\(\?\(\d")
_NEVER: Call = (re.compile("(?!)").match, None)


#: How much code (characters) a lexer reads Pygments' way before it gets the joined loop. Making the joined
#: patterns costs 0.1-0.5 s per language and process, which only a site with much code in that language wins back
#: (en-cpp-docs: 5 MB of C++, 8 s saved); a help centre with a few examples never pays it.
ACCELERATE_AFTER = 256_000

_read: WeakKeyDictionary[Lexer, int] = WeakKeyDictionary()


def read(lexer: Lexer, chars: int) -> None:
    """Count `chars` more characters given to `lexer`; it gets the joined loop once they pass ACCELERATE_AFTER."""
    before = _read.get(lexer, 0)
    _read[lexer] = before + chars
    if before <= ACCELERATE_AFTER < before + chars:
        accelerate(lexer)


def accelerate(lexer: Lexer) -> None:
    """Give a RegexLexer (and lexers that post-process its loop, as Pygments' C and C++ do) the joined loop; any
    other lexer stays as it is."""
    if not isinstance(lexer, RegexLexer) or isinstance(lexer, ExtendedRegexLexer):
        return
    states = _States(lexer._tokens)

    def fast(text: str, stack: tuple[str, ...] = ("root",)) -> Iterator[tuple[int, object, str]]:
        return _lex(lexer, states, text, stack)

    own = type(lexer).get_tokens_unprocessed
    if own is RegexLexer.get_tokens_unprocessed:
        lexer.get_tokens_unprocessed = fast  # type: ignore[method-assign]
    elif isinstance(own, FunctionType) and "RegexLexer" in own.__code__.co_names:
        # The lexer's own method, with `RegexLexer.get_tokens_unprocessed(self, …)` inside it calling `fast`.
        base = SimpleNamespace(get_tokens_unprocessed=lambda _self, text, stack=("root",): fast(text, stack))
        names = {**own.__globals__, "RegexLexer": base}
        method = FunctionType(own.__code__, names, own.__name__, own.__defaults__, own.__closure__)
        lexer.get_tokens_unprocessed = MethodType(method, lexer)  # type: ignore[method-assign]


class _States(dict):
    """A lexer's states as segments, each made when the lexer first enters it (C++ has 19 states, a block uses a
    few): unknown states raise KeyError, as in Pygments."""

    def __init__(self, rules: dict[str, list[Rule]]) -> None:
        super().__init__()
        self.rules = rules

    def __missing__(self, name: str) -> list[_Segment]:
        segments = self[name] = _segments(self.rules[name])
        return segments


def _segments(rules: list[Rule]) -> list[_Segment]:
    """A state's rules as segments in Pygments' order: runs of rules that join, each other rule alone."""
    out: list[_Segment] = []
    run: list[Rule] = []
    for rule in rules:
        pattern = _pattern_of(rule)
        if run and (pattern is None or not _fits(run, pattern)):
            out.extend(_run_segments(run))
            run = []
        if pattern is None:
            out.append(_Segment([rule]))
        else:
            run.append(rule)
    out.extend(_run_segments(run))
    return out


def _run_segments(run: list[Rule]) -> list[_Segment]:
    """A run as one segment, or a segment per rule where `re` refuses to join them."""
    if len(run) > 1 and _joined(tuple(rule[0].__self__ for rule in run)) is None:
        return [_Segment([rule]) for rule in run]
    return [_Segment(run)] if run else []


def _pattern_of(rule: Rule) -> re.Pattern | None:
    """The compiled regex of a rule that may join others, else None."""
    pattern = getattr(rule[0], "__self__", None)
    if not isinstance(pattern, re.Pattern) or getattr(rule[0], "__name__", "") != "match":
        return None
    if not isinstance(pattern.pattern, str) or pattern.flags & re.VERBOSE or _NUMBERED_REFERENCE.search(
            pattern.pattern):
        return None
    return pattern


def _fits(run: list[Rule], pattern: re.Pattern) -> bool:
    first = run[0][0].__self__
    names = {name for rule in run for name in rule[0].__self__.groupindex}
    return pattern.flags == first.flags and not names & pattern.groupindex.keys()


class _Segment(dict):
    """Rules tried together, as a map from the character at a position ("" at the end of the text) to the call
    that tries those of them that can start with it; each call is made when its character is first met."""

    def __init__(self, rules: list[Rule]) -> None:
        super().__init__()
        self.rules = [(rule, _starts(rule)) for rule in rules]

    def __missing__(self, char: str) -> Call:
        call = self[char] = _call([rule for rule, starts in self.rules
                                   if starts is None or char not in _ASCII or char in starts])
        return call


_ASCII = frozenset(map(chr, range(128)))


def _starts(rule: Rule) -> frozenset[str] | None:
    pattern = getattr(rule[0], "__self__", None)
    return first_chars(pattern) if isinstance(pattern, re.Pattern) and isinstance(pattern.pattern, str) else None


def _call(rules: list[Rule]) -> Call:
    """One call for `rules`, which `_segments` has made sure join."""
    if not rules:
        return _NEVER
    if len(rules) == 1:
        return rules[0][0], (rules[0][1], rules[0][2], None)
    joined = _joined(tuple(rule[0].__self__ for rule in rules))
    assert joined is not None  # a part of an alternation that compiles
    by_group: list[tuple | None] = [None] * (joined.groups + 1)
    group = 0
    for rule in rules:
        group += rule[0].__self__.groups + 1
        by_group[group] = (rule[1], rule[2], rule[0])
    return joined.match, by_group


@lru_cache(maxsize=4096)
def _joined(patterns: tuple[re.Pattern, ...]) -> re.Pattern | None:
    """The alternation of `patterns`, or None where `re` refuses it. Cached: states share rules (`include`)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return re.compile("|".join(f"(?:{p.pattern})()" for p in patterns), patterns[0].flags)
    except (re.error, Warning, RecursionError, OverflowError):
        return None


def _lex(lexer: Lexer, states: _States, text: str,
         stack: tuple[str, ...]) -> Iterator[tuple[int, object, str]]:
    """`RegexLexer.get_tokens_unprocessed` (Pygments 2.x) line for line, with calls in place of rules."""
    pos = 0
    statestack = list(stack)
    segments = states[statestack[-1]]
    while 1:
        char = text[pos:pos + 1]
        for segment in segments:
            match, rule = segment[char]
            m = match(text, pos)
            if m:
                action, new_state, own_match = rule if rule.__class__ is tuple else rule[m.lastindex]
                if action is not None:
                    if type(action) is _TokenType:
                        yield pos, action, m.group()
                    else:
                        yield from action(lexer, own_match(text, pos) if own_match else m)
                pos = m.end()
                if new_state is not None:
                    if isinstance(new_state, tuple):
                        for state in new_state:
                            if state == "#pop":
                                if len(statestack) > 1:
                                    statestack.pop()
                            elif state == "#push":
                                statestack.append(statestack[-1])
                            else:
                                statestack.append(state)
                    elif isinstance(new_state, int):
                        if abs(new_state) >= len(statestack):
                            del statestack[1:]
                        else:
                            del statestack[new_state:]
                    elif new_state == "#push":
                        statestack.append(statestack[-1])
                    segments = states[statestack[-1]]
                break
        else:
            try:
                if text[pos] == "\n":
                    statestack = ["root"]
                    segments = states["root"]
                    yield pos, Whitespace, "\n"
                    pos += 1
                    continue
                yield pos, Error, text[pos]
                pos += 1
            except IndexError:
                break
