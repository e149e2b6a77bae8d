"""The first-character gate finds exactly what the ungated pattern finds."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from frontmap.extract import claims
from frontmap.extract.gate import first_characters, gated

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "articles"


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b(?:ab|cd)", {"a", "c"}),
    (r"\b(?:(?<=x )cd|e?f)", {"c", "e", "f"}),  # lookbehinds are zero-width; an optional item lets the next one start
    (r"(?:[a-c]x|(?-i:Will))", {"a", "b", "c", "W"}),
    (r"(?>ab|c)+", {"a", "c"}),
])
def test_first_characters_of_word_lists(pattern: str, expected: set[str]) -> None:
    assert first_characters(pattern) == expected


@pytest.mark.parametrize("pattern", [
    r"\b\w+ed",  # any word character can start it
    r"(?:ab)?",  # may match empty
    r"[^a]b",  # a negated set
    r".x",
])
def test_no_gate_when_the_start_cannot_be_told(pattern: str) -> None:
    assert first_characters(pattern) is None
    assert gated(pattern).pattern == pattern


def _texts() -> list[str]:
    texts = [path.read_text(encoding="utf-8") for path in sorted(EXAMPLES.iterdir()) if path.is_file()]
    rng = random.Random(7)
    words = re.findall(r"[\w’'-]+|[^\w\s]", " ".join(texts))
    # Shuffled words of the examples: the same vocabulary in orders no writer would use.
    texts += [" ".join(rng.choices(words, k=400)) for _ in range(50)]
    texts += ["".join(rng.choices("aAbdeEfhiklmnoprRstTuwy ,.'-\u0130\u212a", k=600)) for _ in range(50)]
    return texts


@pytest.mark.parametrize("name", ["_REPORTING_VERB", "_DENIAL", "_NEGATED_ACTION", "_UNVERIFIED", "_MODAL"])
def test_gated_claim_patterns_match_exactly_what_the_plain_ones_do(name: str) -> None:
    fast = getattr(claims, name)
    plain = re.compile(fast.pattern.split("(?:", 1)[1][:-1] if fast.pattern.startswith("(?=[") else fast.pattern,
                       fast.flags)
    assert fast.pattern != plain.pattern, f"{name} has no gate"
    for text in _texts():
        assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_gated_trigger_patterns_match_exactly_what_the_plain_ones_do() -> None:
    gates = 0
    for (action, fast), (_same, pattern) in zip(claims._ACTIONS, claims._ACTION_PATTERNS, strict=True):
        plain = re.compile(rf"\b(?:{pattern})", re.I)
        gates += fast.pattern != plain.pattern
        for text in _texts():
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], action
    assert gates >= 6  # most trigger lists start with a few letters only
