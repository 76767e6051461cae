"""Pygments' RegexLexer loop, the same tokens from far fewer regex calls (issue 17: highlighting was 12 of the 26 s
that loading en-cpp-docs' standard-library articles took).

Pygments tries a state's rules one by one at each position: 19 million `re.match` calls for 800k C++ tokens. Here
the rules of a state are joined into one alternation, `(rule0)|(rule1)|…`, that finds the first rule that matches
in one call — an ordered alternation picks the first alternative that matches, as Pygments' loop does, and each
alternative matches what its rule alone would (nothing follows it in the pattern). `m.lastindex` names the rule,
as the outermost group closes last. A rule whose action needs its own groups (`bygroups`, `using`) is matched again
on its own regex. A rule that cannot be joined safely (numbered back-references, other flags, inline global flags,
group names used twice: anything `re.compile` or a warning objects to) keeps its own call, in its place, so the
order of trial is always Pygments'.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterator
from types import FunctionType, MethodType, SimpleNamespace

from pygments.lexer import ExtendedRegexLexer, Lexer, RegexLexer
from pygments.token import Error, Whitespace, _TokenType

#: A rule as Pygments keeps it: (its regex's `match`, token type or callback or None, state change or None).
Rule = tuple[Callable, object, object]
#: One call at a position: (`match` of a rule or of joined rules, the rule — or, for joined rules, a list from the
#: group number of each rule's outer group to (action, state change, the rule's own `match`)).
Segment = tuple[Callable, object]

_NUMBERED_REFERENCE = re.compile(r"\\[1-9]|\(\?\(\d")


def accelerate(lexer: Lexer) -> None:
    """Give a RegexLexer (and lexers that post-process its loop, as Pygments' C and C++ do) the joined loop; any
    other lexer stays as it is."""
    if not isinstance(lexer, RegexLexer) or isinstance(lexer, ExtendedRegexLexer):
        return
    states = {name: _segments(rules) for name, rules in lexer._tokens.items()}

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


def _segments(rules: list[Rule]) -> list[Segment]:
    """A state's rules as calls in Pygments' order: runs of joinable rules joined, the others one call each."""
    out: list[Segment] = []
    run: list[Rule] = []
    for rule in rules:
        pattern = _pattern_of(rule)
        if pattern is None or (run and not _fits(run, pattern)):
            out.extend(_joined(run))
            run = []
        if pattern is None:
            out.append((rule[0], (rule[1], rule[2], None)))
        else:
            run.append(rule)
    out.extend(_joined(run))
    return out


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


def _joined(run: list[Rule]) -> list[Segment]:
    """One call for a run of rules, or one call each where `re` refuses to join them."""
    if len(run) < 2:
        return [(rule[0], (rule[1], rule[2], None)) for rule in run]
    patterns = [rule[0].__self__ for rule in run]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            joined = re.compile("|".join(f"({p.pattern})" for p in patterns), patterns[0].flags)
    except (re.error, Warning, RecursionError, OverflowError):
        return [(rule[0], (rule[1], rule[2], None)) for rule in run]
    by_group: list[tuple | None] = [None] * (joined.groups + 1)
    group = 1
    for rule, pattern in zip(run, patterns, strict=True):
        by_group[group] = (rule[1], rule[2], rule[0])
        group += 1 + pattern.groups
    return [(joined.match, by_group)]


def _lex(lexer: Lexer, states: dict[str, list[Segment]], text: str,
         stack: tuple[str, ...]) -> Iterator[tuple[int, object, str]]:
    """`RegexLexer.get_tokens_unprocessed` (Pygments 2.x) line for line, with calls in place of rules."""
    pos = 0
    statestack = list(stack)
    segments = states[statestack[-1]]
    while 1:
        for match, rule in segments:
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
