"""Distances as written in war reporting, converted to kilometres with the bounds they imply.

"advanced more than a kilometre", "penetrated up to 500 metres", "(about 58km northeast of X)",
"a few kilometres", "2-3 km", "15 kilometers (nine miles)", "a 40km-deep salient".

Each distance becomes a :class:`~frontmap.records.Distance` whose ``min_km``/``max_km`` carry what the
qualifier says, so that the geometry stage can draw an area whose size is the uncertainty:

=================================================  ==========  ===========  ============
qualifier (normalised name)                         ``km``      ``min_km``   ``max_km``
=================================================  ==========  ===========  ============
none ("5 km")                                       v           v            v
"more than" (over, upwards of, in excess of, ...)   v           v            None
"at least" (no less than, "... or more")            v           v            None
"up to" (as much as, as far as, no more than, ...)  v           0            v
"less than" (under, below, fewer than)              v           0            v
"within"                                            v           0            v
"about" (approximately, around, roughly, some, ~)   v           0.85 v       1.15 v
"nearly" (almost, close to, just short of)          v           0.85 v       v
=================================================  ==========  ===========  ============

"About" is read as plus or minus 15 %: reporters round to the nearest 5 or 10 km at the distances
they give, which is about that much. A range ("2-3 km", "two to three kilometres") gives
``km`` = the midpoint and the range as bounds; vague amounts do the same with a conventional range:
"a few" 2-5, "several" 3-7, "a couple of" 2-3, "dozens of" 24-96, "tens of" 20-90, "hundreds of"
200-900 (times the unit, so "a few hundred metres" is 0.2-0.5 km). A qualifier then widens or opens
those bounds ("more than a few kilometres": min 2, max None).

A restatement in another unit in brackets right after a distance ("one kilometre (0.62 mile)",
"15 kilometers (nine miles)") is the same distance: it is not reported separately but attached to
the primary match as :attr:`DistanceMatch.alt`.

Not distances: counts ("25 tanks"), money and millions ("$3 m", "3m people"), speeds ("10 km/h",
"50 km per hour"), areas ("2 square km", "30 km²"). The abbreviations "m" and "mi" are read only after
digits and only in lower case, so "M" and words such as "mines" never match.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from frontmap.records import Distance

__all__ = ["DistanceMatch", "find_distances", "parse_distance"]


@dataclass(frozen=True, slots=True)
class DistanceMatch:
    """A distance found in a text.

    Attributes
    ----------
    start, end
        Offsets of the phrase, qualifier included ("more than a kilometre").
    distance
        What the phrase says, in kilometres.
    alt
        The same distance restated in another unit in brackets right after it, if any
        ("(0.62 mile)"); its offsets point at the restatement, brackets excluded.
    """

    start: int
    end: int
    distance: Distance
    alt: DistanceMatch | None = None


# --- vocabulary ---------------------------------------------------------------------------------

_ONES: Final = MappingProxyType(
    {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}
)
_TEENS: Final = MappingProxyType(
    {
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
        "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    }
)  # fmt: skip
_TENS: Final = MappingProxyType(
    {
        "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
        "eighty": 80, "ninety": 90,
    }
)  # fmt: skip
# Fractions and articles that stand for a number before a unit word ("half a kilometre", "a mile").
_FRACTIONS: Final = MappingProxyType(
    {
        "a": 1.0, "an": 1.0, "one": 1.0, "half a": 0.5, "a half": 0.5, "half": 0.5,
        "a quarter": 0.25, "a quarter of a": 0.25, "quarter of a": 0.25, "quarter": 0.25,
        "three quarters of a": 0.75, "three-quarters of a": 0.75, "one and a half": 1.5,
    }
)  # fmt: skip
# Vague amounts as (low, high); see the module docstring.
_VAGUE: Final = MappingProxyType(
    {
        "a few": (2.0, 5.0), "few": (2.0, 5.0), "several": (3.0, 7.0),
        "a couple": (2.0, 3.0), "a couple of": (2.0, 3.0), "couple of": (2.0, 3.0),
        "a dozen": (12.0, 12.0), "half a dozen": (6.0, 6.0), "dozens of": (24.0, 96.0),
        "a few dozen": (24.0, 60.0), "several dozen": (36.0, 84.0), "tens of": (20.0, 90.0),
        "hundreds of": (200.0, 900.0), "thousands of": (2000.0, 9000.0),
    }
)  # fmt: skip
_MULTIPLIERS: Final = MappingProxyType({"hundred": 100.0, "thousand": 1000.0})

_UNIT_KM: Final = MappingProxyType(
    {"km": 1.0, "m": 0.001, "mile": 1.609344, "nautical mile": 1.852, "yard": 0.0009144}
)

# Qualifier words -> normalised qualifier.
_QUALIFIERS: Final = MappingProxyType(
    {
        "more than": "more than", "over": "more than", "upwards of": "more than",
        "in excess of": "more than", "greater than": "more than", "beyond": "more than",
        "just over": "more than", "a little over": "more than", "slightly over": "more than",
        "well over": "more than", "just more than": "more than", "a little more than": "more than",
        "slightly more than": "more than", "well more than": "more than",
        "at least": "at least", "no less than": "at least", "not less than": "at least",
        "up to": "up to", "as much as": "up to", "as far as": "up to", "as many as": "up to",
        "no more than": "up to", "not more than": "up to", "at most": "up to", "a maximum of": "up to",
        "less than": "less than", "under": "less than", "fewer than": "less than", "below": "less than",
        "just under": "less than", "just less than": "less than", "slightly less than": "less than",
        "a little less than": "less than", "well under": "less than", "well less than": "less than",
        "within": "within",
        "about": "about", "approximately": "about", "approx.": "about", "approx": "about",
        "around": "about", "roughly": "about", "some": "about", "circa": "about", "ca.": "about",
        "an estimated": "about", "estimated": "about", "~": "about", "or so": "about",
        "nearly": "nearly", "almost": "nearly", "close to": "nearly", "just short of": "nearly",
        "or more": "at least", "or less": "up to", "or fewer": "up to",
    }
)  # fmt: skip
_OPEN_ABOVE: Final = frozenset({"more than", "at least"})
_FROM_ZERO: Final = frozenset({"up to", "less than", "within"})
_ABOUT_FRACTION: Final = 0.15


def _alternation(words: Iterable[str]) -> str:
    """A regex alternation of phrases, longest first, spaces matching any run of white space."""
    phrases = sorted(set(words), key=len, reverse=True)
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)


_SMALL: Final = (
    rf"(?:(?:{_alternation(_TENS)})(?:[-\s](?:{_alternation(_ONES)}))?"
    rf"|{_alternation(_TEENS)}|{_alternation(_ONES)})"
)
_DIGITS: Final = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+|,\d{1,2}(?!\d))?|\.\d+)"
_ONE_NUMBER: Final = rf"(?:{_DIGITS}|{_SMALL})"
_WORD_NUMBER: Final = (
    # "two hundred", "a few hundred", "one hundred and fifty"
    rf"(?:(?:a\s+few|several|a|one|{_alternation(_ONES)})\s+)?(?:hundred|thousand)"
    rf"(?:\s+(?:and\s+)?{_SMALL})?"
    rf"|{_SMALL}\s+and\s+a\s+half"
    rf"|{_alternation(_VAGUE)}"
    rf"|{_alternation(_FRACTIONS)}"
    rf"|{_SMALL}"
)
_RANGE: Final = (
    rf"(?:between\s+{_ONE_NUMBER}\s+and\s+{_ONE_NUMBER}"
    rf"|(?:from\s+)?{_ONE_NUMBER}\s*(?:-|–|—|to|or)\s*{_ONE_NUMBER})"
)
_UNIT: Final = (
    r"(?:kilomet(?:re|er)s?|kms?|klicks?"
    r"|nautical\s+miles?|nmi"
    r"|miles?|(?-i:mi)"
    r"|met(?:re|er)s?|(?-i:m)"
    r"|yards?|yds?)"
)

# One distance phrase. The qualifier and the number are optional parts of one pattern so that the
# longest reading wins; the tail rejects speeds ("km/h", "km per hour") and areas ("km²", "km2").
_PHRASE_SRC: Final = rf"""
    (?:(?P<qual>~|\b(?:{_alternation(k for k in _QUALIFIERS if not k.startswith(("or ", "~")))})(?![\w]))\s*)?
    (?<![\w.,])(?<!\w-)
    (?P<num>{_RANGE}|{_DIGITS}|{_WORD_NUMBER})
    (?P<sep>\s*[-‐]\s*|\s*)
    (?P<unit>{_UNIT})
    (?![^\W\d_])
    (?![²³]|2(?!\d)|\s*/\s*h|\s*(?:per|an|a)\s+hour)
    (?P<half>\s+and\s+a\s+half)?
    (?P<post>\s+or\s+(?:more|so|less|fewer)\b)?
"""
_PHRASE: Final = re.compile(_PHRASE_SRC, re.IGNORECASE | re.VERBOSE)
# A bracketed restatement right after a distance: " (0.62 mile)", " (about nine miles)".
_ALT_OPEN: Final = re.compile(r"\s*\(\s*(?:or\s+)?")
_ALT_CLOSE: Final = re.compile(r"\s*\)")
# Words that may follow a metre figure written "m"; anything else ("3m people", "5m in aid" after a
# currency sign) reads as millions.
_M_FOLLOW: Final = re.compile(
    r"\s*(?:\Z|[^\w\s$€£]|(?:away|from|of|to|into|in|inside|on|off|behind|beyond|ahead|deep|wide|long"
    r"|high|further|farther|forward|forwards|back|north\w*|south\w*|east\w*|west\w*|\w+wards?|along"
    r"|across|toward|towards|short|closer|nearer|past|through|at|by|before|below|above|under|over"
    r"|deeper|and|or|the|radius|zone|strip|stretch|line|mark)\b)",
    re.IGNORECASE,
)
_MONEY_BEFORE: Final = re.compile(r"(?:[$€£₴¥]|\b(?:usd|eur|gbp|uah|rub|us\$))\s*\Z", re.IGNORECASE)
_SPACES: Final = re.compile(r"\s+")
# Substrings that start every unit word but the bare abbreviations, which _BARE_UNIT finds.
_UNIT_KEYS: Final = ("km", "kilomet", "klick", "mile", "metre", "meter", "yard", "yd", "nmi")
_BARE_UNIT: Final = re.compile(r"[0-9][ \u00a0\u202f]?(mi?)(?![^\W\d_])")
# How far before a unit a distance phrase may start ("a little more than one hundred and fifty").
_WINDOW: Final = 64
_TOKEN: Final = re.compile(r"~|[^\W_][\w.,'’-]*")
_DIGIT_START: Final = frozenset("0123456789.~")
_FIRST_WORDS: Final = frozenset(
    phrase.split()[0].partition("-")[0]
    for table in (_QUALIFIERS, _ONES, _TEENS, _TENS, _FRACTIONS, _VAGUE, _MULTIPLIERS)
    for phrase in table
) | {"between", "from"}
_RANGE_PREFIX: Final = re.compile(r"^(?:between|from)\s+")
_RANGE_SEP: Final = re.compile(r"\s*(?:-|–|—|\bto\b|\bor\b|\band\b)\s*")
_THOUSANDS: Final = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_HUNDREDS: Final = re.compile(r"^(?:(.+?)\s+)?(hundred|thousand)(?:\s+(?:and\s+)?(.+))?$")


# --- API ----------------------------------------------------------------------------------------


def find_distances(text: str) -> list[DistanceMatch]:
    """Find every distance phrase in ``text``.

    Parameters
    ----------
    text
        A sentence or a whole article.

    Returns
    -------
    list[DistanceMatch]
        In text order; a bracketed restatement in another unit is attached to the distance it
        restates (``alt``) instead of being listed.

    Examples
    --------
    >>> [m.distance.km for m in find_distances("pushed 2-3 km, then about 500 metres more")]
    [2.5, 0.5]
    """
    out: list[DistanceMatch] = []
    hints = _unit_hints(text)
    pos = 0
    while (found := _next_match(text, pos, hints)) is not None:
        match, end = found
        restated = _restatement(text, end)
        if restated is not None:
            alt, end = restated
            match = DistanceMatch(match.start, match.end, match.distance, alt)
        out.append(match)
        pos = end
    return out


def parse_distance(phrase: str) -> Distance | None:
    """Read one distance phrase ("more than a kilometre", "2-3 km", "about 58km").

    Parameters
    ----------
    phrase
        A short phrase; words around the distance are ignored.

    Returns
    -------
    Distance | None
        The first distance in ``phrase``, or None if it holds none.
    """
    found = _next_match(phrase, 0, _unit_hints(phrase))
    return found[0].distance if found is not None else None


# --- internals ----------------------------------------------------------------------------------


def _next_match(text: str, pos: int, hints: list[tuple[int, int]]) -> tuple[DistanceMatch, int] | None:
    """The first acceptable distance at or after ``pos`` and the offset where scanning resumes.

    Matching the full phrase pattern at every character is slow (it is a large alternation), so
    the scan is driven by unit words found with plain substring search: for each unit, the
    pattern is tried only at the few word starts just before it that can open a distance phrase.
    """
    while hints and hints[0][0] < pos:
        hints.pop(0)  # consumed; hints are few, so popping from the front is cheap
    for unit_start, _unit_end in hints:
        lo = max(pos, unit_start - _WINDOW)
        for tok in _TOKEN.finditer(text, lo, unit_start):
            start = tok.start()
            first = text[start]
            if first not in _DIGIT_START:
                if tok.group().lower().partition("-")[0] not in _FIRST_WORDS:
                    continue
                if start == lo and lo > 0 and text[lo - 1].isalnum():
                    continue  # the window cut a word in two
            m = _PHRASE.match(text, start)
            if m is None or not m.start("unit") <= unit_start < m.end("unit"):
                continue
            distance = _build(text, m)
            if distance is not None:
                return DistanceMatch(m.start(), m.end(), distance), m.end()
    return None


def _unit_hints(text: str) -> list[tuple[int, int]]:
    """Offsets of what may be unit words, in order, overlaps dropped."""
    low = text.lower()
    found: list[tuple[int, int]] = []
    for key in _UNIT_KEYS:
        i = low.find(key)
        while i != -1:
            found.append((i, i + len(key)))
            i = low.find(key, i + 1)
    found.extend(m.span(1) for m in _BARE_UNIT.finditer(text))
    found.sort()
    hints: list[tuple[int, int]] = []
    last_end = -1
    for start, end in found:
        if start >= last_end:  # "metre" inside "kilometre" is the same unit
            hints.append((start, end))
            last_end = end
    return hints


def _restatement(text: str, end: int) -> tuple[DistanceMatch, int] | None:
    """A bracketed distance right after ``end`` ("(0.62 mile)") and the offset past its bracket."""
    opening = _ALT_OPEN.match(text, end)
    if opening is None:
        return None
    m = _PHRASE.match(text, opening.end())
    if m is None:
        return None
    closing = _ALT_CLOSE.match(text, m.end())
    distance = _build(text, m) if closing is not None else None
    if closing is None or distance is None:
        return None
    return DistanceMatch(m.start(), m.end(), distance), closing.end()


def _build(text: str, m: re.Match[str]) -> Distance | None:
    """The Distance of a phrase match, or None when the match is not a distance after all."""
    num = m.group("num")
    written_unit = m.group("unit")
    unit = _unit_key(written_unit)
    if written_unit in ("m", "mi"):
        # Bare abbreviations only after digits; "m" must not be money or millions.
        if not num[0].isdigit() and num[0] != ".":
            return None
        if written_unit == "m" and (
            _MONEY_BEFORE.search(text, max(0, m.start("num") - 6), m.start("num")) is not None
            or _M_FOLLOW.match(text, m.end("unit")) is None
        ):
            return None
    if written_unit[0].isupper() and not written_unit.isupper() and not num[0].isdigit():
        return None  # a name such as "Three Mile Island", not a distance
    parsed = _number(num)
    if parsed is None:
        return None
    value, low, high = parsed
    if m.group("half"):
        value, low, high = value + 0.5, low + 0.5, high + 0.5
    factor = _UNIT_KM[unit]
    qual_text = m.group("qual")
    post = m.group("post")
    qualifier = _QUALIFIERS.get(_norm(qual_text)) if qual_text else None
    if qualifier is None and post:
        qualifier = _QUALIFIERS.get(_norm(post))
    km, min_km, max_km = _bounds(value * factor, low * factor, high * factor, qualifier)
    return Distance(
        text=m.group(),
        km=_round(km),
        min_km=_round(min_km),
        max_km=_round(max_km),
        qualifier=qualifier,
    )


def _bounds(
    value: float, low: float, high: float, qualifier: str | None
) -> tuple[float, float | None, float | None]:
    """Apply a qualifier to a value and its own bounds (see the table in the module docstring)."""
    if qualifier in _OPEN_ABOVE:
        return value, low, None
    if qualifier in _FROM_ZERO:
        return value, 0.0, high
    if qualifier == "about":
        return value, low * (1 - _ABOUT_FRACTION), high * (1 + _ABOUT_FRACTION)
    if qualifier == "nearly":
        return value, low * (1 - _ABOUT_FRACTION), high
    return value, low, high


def _round(x: float | None) -> float | None:
    # Unit conversions leave float noise (0.30000000000000004); six decimals is 1 mm.
    return None if x is None else round(x, 6)


def _norm(s: str) -> str:
    return _SPACES.sub(" ", s.strip().lower())


def _unit_key(unit: str) -> str:
    u = _norm(unit)
    if u.startswith(("kilo", "km", "klick")):
        return "km"
    if u.startswith("nautical") or u == "nmi":
        return "nautical mile"
    if u.startswith("mi"):
        return "mile"
    if u.startswith(("yard", "yd")):
        return "yard"
    return "m"


def _number(s: str) -> tuple[float, float, float] | None:
    """Value and bounds of a number phrase: digits, words, ranges, fractions, vague amounts."""
    s = _norm(s).replace("‐", "-")
    single = _single(s)
    if single is not None:
        return single
    body = _RANGE_PREFIX.sub("", s)
    # Try every separator: "twenty-five to thirty" must not split at the hyphen.
    for sep in _RANGE_SEP.finditer(body):
        a, b = _single(body[: sep.start()]), _single(body[sep.end() :])
        if a is not None and b is not None:
            lo, hi = min(a[1], b[1]), max(a[2], b[2])
            return (lo + hi) / 2, lo, hi
    return None


def _single(s: str) -> tuple[float, float, float] | None:
    """Value and bounds of one number (no range)."""
    if s and (s[0].isdigit() or s[0] == "."):
        if "," in s:
            # "1,200" is twelve hundred; "1,5" is a decimal comma (one and a half)
            s = s.replace(",", "") if _THOUSANDS.fullmatch(s) else s.replace(",", ".")
        try:
            v = float(s)
        except ValueError:
            return None
        return v, v, v
    if s in _VAGUE:
        lo, hi = _VAGUE[s]
        return (lo + hi) / 2, lo, hi
    if s in _FRACTIONS:
        v = _FRACTIONS[s]
        return v, v, v
    if s.endswith(" and a half"):
        base = _small(s.removesuffix(" and a half"))
        return None if base is None else (base + 0.5, base + 0.5, base + 0.5)
    small = _small(s)
    if small is not None:
        return small, small, small
    hundreds = _HUNDREDS.match(s)
    if hundreds is not None:
        head, mult_word, tail = hundreds.groups()
        mult = _MULTIPLIERS[mult_word]
        if head is None or head in ("a", "one"):
            lo = hi = 1.0
        elif head in _VAGUE:
            lo, hi = _VAGUE[head]
        else:
            h = _small(head)
            if h is None:
                return None
            lo = hi = h
        extra = _small(tail) if tail else 0.0
        if extra is None:
            return None
        lo, hi = lo * mult + extra, hi * mult + extra
        return (lo + hi) / 2, lo, hi
    return None


def _small(s: str) -> float | None:
    """A number word from one to ninety-nine."""
    if s in _ONES:
        return float(_ONES[s])
    if s in _TEENS:
        return float(_TEENS[s])
    if s in _TENS:
        return float(_TENS[s])
    tens, _, ones = s.replace(" ", "-").partition("-")
    if tens in _TENS and ones in _ONES:
        return float(_TENS[tens] + _ONES[ones])
    return None
