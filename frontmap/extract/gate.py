"""A first-character gate for word-list patterns, so that scanning a clause costs less.

Trigger and reporting-verb patterns are long alternations behind a ``\\b`` ("\\b(?:repel\\w*|
repuls\\w*|fended off|...)"). Python's regex engine cannot see past the ``\\b`` to skip positions
whose first character starts no alternative, so it tries every alternative at every word start.
:func:`gated` adds a lookahead for the characters a match can begin with: the engine then rejects
most word starts in one step. The set comes from the pattern's own parse tree, and any construct
this walk does not know gives no gate, so the gated pattern matches exactly what the pattern does.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType
from typing import Any


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ImportError:  # pragma: no cover - other Python implementations
        return None


# CPython's own regex parser (3.11+); without it patterns are used as written.
_sre_parse = _module("re._parser")
_sre: Any = _module("re._constants")

#: Above this many distinct first characters a gate rejects too little to pay for itself.
_MAX_GATE_CHARS = 40


def first_characters(pattern: str, flags: int = 0) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with (as written: case folding is the
    engine's business), or None when that cannot be told: an empty match is possible, or the
    pattern starts with a wildcard, a negated set or a construct this walk does not know."""
    if _sre_parse is None or _sre is None:
        return None
    try:
        tree = _sre_parse.parse(pattern, flags)
    except (re.error, AttributeError, TypeError):
        return None
    try:
        chars, nullable = _firsts(list(tree))
    except _UnknownStartError:
        return None
    return None if nullable else frozenset(chars)


class _UnknownStartError(Exception):
    """A construct whose first characters the walk does not enumerate."""


def _firsts(items: list[tuple[Any, Any]]) -> tuple[set[str], bool]:
    """First characters of a sequence of parse items, and whether it can match empty."""
    found: set[str] = set()
    for op, av in items:
        if op in (_sre.AT, _sre.ASSERT, _sre.ASSERT_NOT):
            continue  # zero-width: the next item supplies the first character
        if op is _sre.LITERAL:
            found.add(chr(av))
            return found, False
        if op is _sre.IN:
            found |= _set_chars(av)
            return found, False
        if op is _sre.SUBPATTERN:
            chars, nullable = _firsts(list(av[-1]))
        elif op is _sre.ATOMIC_GROUP:
            chars, nullable = _firsts(list(av))
        elif op is _sre.BRANCH:
            chars, nullable = set(), False
            for alternative in av[1]:
                alt_chars, alt_nullable = _firsts(list(alternative))
                chars |= alt_chars
                nullable = nullable or alt_nullable
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT):
            low, _high, body = av
            chars, nullable = _firsts(list(body))
            nullable = nullable or low == 0
        else:
            raise _UnknownStartError(str(op))
        found |= chars
        if not nullable:
            return found, False
    return found, True


def _set_chars(items: list[tuple[Any, Any]]) -> set[str]:
    chars: set[str] = set()
    for op, av in items:
        if op is _sre.LITERAL:
            chars.add(chr(av))
        elif op is _sre.RANGE and av[1] - av[0] < 64:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:  # NEGATE, CATEGORY (\w), wide ranges: anything may start here
            raise _UnknownStartError(str(op))
    return chars


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)`` with a lookahead for its first characters in front, when
    they can be told and are few; the same matches, found faster."""
    chars = first_characters(pattern, flags)
    if chars is None or len(chars) > _MAX_GATE_CHARS:
        return re.compile(pattern, flags)
    charset = "".join(sorted(re.escape(c) for c in chars))  # (with IGNORECASE the engine folds it)
    return re.compile(f"(?=[{charset}])(?:{pattern})", flags)
