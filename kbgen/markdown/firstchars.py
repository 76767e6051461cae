"""Which ASCII characters a regex's match can start with, so a lexer state tries at a position only the rules
that can match there (`fastlex`).

Read from the parse tree of Python's own `re` (`re._parser`), and always a superset: zero-width parts (anchors,
look-arounds) are stepped over, and anything not understood here (case-insensitive parts, back-references, `.`,
negated classes, a pattern that can match nothing at all) counts as "any character".
"""

from __future__ import annotations

import re
import re._constants as sre  # type: ignore[import-not-found]
import re._parser as sre_parse  # type: ignore[import-not-found]

ASCII = frozenset(map(chr, range(128)))


class _Any(Exception):
    """The pattern may start with any character (or match the empty string)."""


def first_chars(pattern: re.Pattern) -> frozenset[str] | None:
    """The ASCII characters `pattern` can start a match with (a non-ASCII character may start any match), or
    None when that cannot be narrowed down."""
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        chars, nullable = _sequence(list(parsed))
    except (_Any, RecursionError, re.error):
        return None
    return None if nullable else frozenset(chars)


def _sequence(items: list) -> tuple[set[str], bool]:
    """(first characters, can it match the empty string) of a sequence of parsed items."""
    chars: set[str] = set()
    for op, av in items:
        first, nullable = _item(op, av)
        chars |= first
        if not nullable:
            return chars, False
    return chars, True


def _item(op, av) -> tuple[set[str], bool]:
    if op is sre.LITERAL:
        return {chr(av)} & ASCII, False
    if op is sre.IN:
        return _class(av), False
    if op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
        return set(), True  # zero-width: the next item starts the match
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, items = av
        if add_flags & re.IGNORECASE:
            raise _Any
        return _sequence(list(items))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(av))
    if op is sre.BRANCH:
        branches = [_sequence(list(items)) for items in av[1]]
        return set().union(*(chars for chars, _ in branches)), any(nullable for _, nullable in branches)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _most, items = av
        chars, nullable = _sequence(list(items))
        return chars, nullable or least == 0
    raise _Any  # `.`, NOT_LITERAL, back-references, conditionals


def _class(items: list) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            chars.add(chr(av))
        elif op is sre.RANGE:
            chars.update(map(chr, range(av[0], min(av[1], 127) + 1)))
        elif op is sre.CATEGORY and av in _CATEGORIES:
            chars |= _CATEGORIES[av]
        else:
            raise _Any  # NEGATE, other categories
    return chars & ASCII


def _members(cls: str) -> frozenset[str]:
    """The ASCII characters of a class as `re` itself matches them (`\\s` takes \\x1c-\\x1f too)."""
    one = re.compile(cls)
    return frozenset(c for c in ASCII if one.fullmatch(c))


_CATEGORIES = {
    sre.CATEGORY_DIGIT: _members(r"\d"), sre.CATEGORY_NOT_DIGIT: _members(r"\D"),
    sre.CATEGORY_SPACE: _members(r"\s"), sre.CATEGORY_NOT_SPACE: _members(r"\S"),
    sre.CATEGORY_WORD: _members(r"\w"), sre.CATEGORY_NOT_WORD: _members(r"\W"),
}
