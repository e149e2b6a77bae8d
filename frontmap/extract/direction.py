"""Compass directions as written in war reporting, with what they are relative to.

"just southwest of Bakhmut", "on the southern outskirts of X", "X's northern outskirts",
"advancing along the northern and southern flanks", "the west bank of the Dnipro", "the left bank",
"advanced southwest toward X", "attack southeast from X", "push westward", "northern Kherson Oblast",
"in the east of the region", "(5km NE of X)".

Each direction is a point of the 16-point compass with its bearing in degrees and the half-width of
the sector the words stand for: "north-northeast" names a 22.5° sector (±11.25°), "northeast" an
8-point sector (±22.5°), "north" a 4-point one (±45°). The geometry stage draws a sector of that
width, so the size of the drawn area is the uncertainty of the words.

Relations (:attr:`DirectionMatch.relation`):

``"of"``
    location relative to an anchor: "southwest of X", "to the south of X", "NE of X".
``"outskirts"``
    "on the southern outskirts of X", "X's northern outskirts", "eastern approaches".
``"flank"``
    "the northern flank"; "northern and southern flanks" gives two matches.
``"bank"``
    "the west bank of the Dnipro" (a compass point); "the left bank" (``point`` None and
    ``side`` "left"/"right": left and right banks are named looking downstream, so the compass side
    depends on the river and is left to the caller).
``"toward"``
    direction of movement: "advanced southwest toward X", "attack southeast from X",
    "push westward", "in a southwesterly direction". The bearing is the heading.
``"from"``
    the side movement came from: "attacked from the south" (the heading is the opposite bearing).
``"part"``
    a part of a place or region: "northern Kherson Oblast", "eastern Ukraine", "the western part of
    X", "in the north of X", "the eastern city of X".
``"other"``
    a lower-case compass word none of the above explains ("to the south", "moved south").

Capitalised compass words that are names rather than directions ("North Korea", "the West",
"Western partners", "the Southern Operational Command", "the Middle East") are not reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

__all__ = [
    "POINTS",
    "DirectionMatch",
    "bearing_to_point",
    "find_directions",
    "half_width_of",
    "parse_direction",
    "point_to_bearing",
]

Relation = Literal["of", "outskirts", "flank", "bank", "toward", "from", "part", "other"]

POINTS: Final = (
    "N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW",
)  # fmt: skip
_STEP: Final = 22.5
_BEARING: Final = MappingProxyType({p: i * _STEP for i, p in enumerate(POINTS)})
_WORD_OF_LETTER: Final = MappingProxyType({"N": "north", "S": "south", "E": "east", "W": "west"})
# "north-northeast" -> NNE; built from the point codes so the two can never disagree.
_POINT_OF_WORDS: Final = MappingProxyType(
    {
        (
            _WORD_OF_LETTER[p[0]] + _WORD_OF_LETTER[p[1]] + _WORD_OF_LETTER[p[2]]
            if len(p) == 3
            else "".join(_WORD_OF_LETTER[c] for c in p)
        ): p
        for p in POINTS
    }
)
# Width of the sector named by a 4-, 8- or 16-point direction, as a half-angle.
_HALF_WIDTH: Final = MappingProxyType({1: 45.0, 2: 22.5, 3: 11.25})


@dataclass(frozen=True, slots=True)
class DirectionMatch:
    """A direction found in a text.

    Attributes
    ----------
    start, end
        Offsets of the phrase: the compass words and the words that gave the relation
        ("just southwest of", "on the southern outskirts of", "southwest toward").
    text
        ``text[start:end]`` as written.
    point
        16-point compass code ("SW"), or None for a left/right bank.
    bearing_deg
        Bearing of ``point`` in degrees clockwise from north, or None.
    half_width_deg
        Half-angle of the sector the words name: 45 for "south", 22.5 for "southwest", 11.25 for
        "south-southwest"; None without a point.
    relation
        What the direction is relative to; see the module docstring.
    side
        "left" or "right" for a left/right bank, else None.
    """

    start: int
    end: int
    text: str
    point: str | None
    bearing_deg: float | None
    half_width_deg: float | None
    relation: Relation
    side: Literal["left", "right"] | None = None


# --- helpers ------------------------------------------------------------------------------------


def point_to_bearing(point: str) -> float:
    """Bearing in degrees of a 16-point compass code ("SW" -> 225.0).

    Raises
    ------
    KeyError
        If ``point`` is not one of :data:`POINTS`.
    """
    return _BEARING[point]


def bearing_to_point(deg: float) -> str:
    """The 16-point compass code nearest to a bearing in degrees (any real number)."""
    return POINTS[int((deg % 360.0) / _STEP + 0.5) % 16]


def half_width_of(point: str) -> float:
    """Half-angle in degrees of the sector a compass code names (45, 22.5 or 11.25)."""
    return _HALF_WIDTH[len(point)]


def parse_direction(word: str) -> tuple[str, float] | None:
    """Read one compass word or abbreviation.

    Accepts "southwest", "south-west", "south west", "southwestern", "southwesterly",
    "southwestwards", "north-northeast", "SW", "S-SW" (any case).

    Returns
    -------
    tuple[str, float] | None
        The compass code and its bearing, or None if ``word`` is not a direction.
    """
    point = _point_of(word.strip())
    return (point, _BEARING[point]) if point is not None else None


_SUFFIX: Final = re.compile(r"(?:ernmost|ern|erly|wardly|wards|ward)$")
_JOINERS: Final = re.compile(r"[\s\-‐–]+")


def _point_of(word: str) -> str | None:
    """The compass code of a direction word or abbreviation, or None."""
    compact = _JOINERS.sub("", word)
    upper = compact.upper()
    if upper in _BEARING:
        return upper
    low = _SUFFIX.sub("", compact.lower())
    return _POINT_OF_WORDS.get(low)


# --- patterns -----------------------------------------------------------------------------------

_BASE: Final = r"(?:north|south|east|west)"
_J: Final = r"[-‐\s]?"
# A compass word: three-part, two-part or one-part, with an optional adjective/adverb ending.
_COMPASS: Final = re.compile(
    rf"(?P<word>(?:north|south){_J}(?:north|south){_J}(?:east|west)"
    rf"|(?:east|west){_J}(?:north|south){_J}(?:east|west)"
    rf"|(?:north|south){_J}(?:east|west)"
    rf"|{_BASE})"
    r"(?P<suffix>ernmost|ern|erly|wardly|wards|ward)?"
    r"(?![^\W\d_])",
    re.IGNORECASE,
)
# Abbreviations only where they cannot be anything else: right before "of" ("5km NE of X").
# (Both are tried only where a plain substring search found " of" or "bank"/"shore": a scan for
# the rare abbreviation or "left bank" with a regex alone costs more than all the rest.)
_ABBREV: Final = re.compile(r"(?P<word>[NS]-[NS][EW]|[EW]-[NS][EW]|[NS]{1,2}[EW]|[EW][NS][EW]|[NSEW])\s+of\b")
_ABBREV_CHARS: Final = frozenset("NSEW-")
_SIDE_BANK: Final = re.compile(r"(?P<side>left|right)[-‐\s](?:bank|shore)s?\b", re.IGNORECASE)

_I = re.IGNORECASE
_R_OF: Final = re.compile(r"\s+of\b", _I)
_R_OUTSKIRTS: Final = re.compile(
    r"\s+(?:outskirts|suburbs?|edges?|approaches|periphery|fringes?|environs|entrances?)\b", _I
)
_R_FLANK: Final = re.compile(r"\s+(?:flanks?|wings?)\b", _I)
_R_BANK: Final = re.compile(r"\s+(?:banks?|shores?)\b", _I)
_R_PART: Final = re.compile(
    r"\s+(?:parts?|sides?|sections?|sectors?|districts?|neighbou?rhoods?|areas?|half|reaches|portions?"
    r"|quarters?|coast(?:line)?|tip|end)\b",
    _I,
)
_R_DIRECTION: Final = re.compile(r"\s+(?:directions?|heading|course)\b", _I)
_R_TOWARD: Final = re.compile(r"\s+(?:towards?|into|in\s+the\s+direction\s+of|to|from|through|past)\b", _I)
# "the eastern city of X", "southern Ukraine's port": a kind of place after the adjective.
_R_PLACE_NOUN: Final = re.compile(
    r"\s+(?:[\w’'-]+\s+){0,2}?(?:city|cities|town|towns|village|villages|settlements?|regions?|oblasts?"
    r"|provinces?|front|frontline|front\s+line|borders?|ports?|axis|theat(?:er|re)|countryside"
    r"|territor(?:y|ies)|steppe|hub)\b",
    _I,
)
_R_CAPITAL: Final = re.compile(r"\s+(?P<name>[A-Z][\w’'-]*)")
# Left context is read as the last few words before the compass word (a regex anchored at the end
# of a window would be tried at every character of it).
_LEFT_WORDS: Final = re.compile(r"\S+")
_MODIFIERS: Final = frozenset(
    {"just", "directly", "immediately", "due", "slightly", "further", "farther", "far", "somewhat", "mostly"}
)
_IN_WORDS: Final = frozenset({"in", "across", "throughout", "through", "on", "into", "at", "within"})
_ON_WORDS: Final = frozenset({"on", "along", "at", "to", "near", "by", "toward", "towards"})
_FROM_WORDS: Final = frozenset({"from"})
_NAME_PREFIXES: Final = frozenset({"Middle", "Far", "Near"})
_MOVE_FILLERS: Final = frozenset(
    {"further", "farther", "deeper", "slightly", "steadily", "rapidly", "quickly", "slowly", "back"}
)
_MOVE_VERB: Final = re.compile(
    r"advanc(?:e|ed|es|ing)|push(?:ed|es|ing)?|mov(?:e|ed|es|ing)|attack(?:ed|s|ing)?"
    r"|counter-?attack(?:ed|s|ing)?|assault(?:ed|s|ing)?|drive|drove|driv(?:es|ing|en)"
    r"|head(?:ed|s|ing)?|retreat(?:ed|s|ing)?|withdr(?:ew|aw|awn|aws|awing)|shift(?:ed|s|ing)?"
    r"|press(?:ed|es|ing)?|thrust(?:s|ing)?|proceed(?:ed|s|ing)?|march(?:ed|es|ing)?|fle(?:e|d|es|eing)"
    r"|expand(?:ed|s|ing)?|progress(?:ed|es|ing)?|continu(?:e|ed|es|ing)|rout(?:e|ed|ing)|roll(?:ed|ing|s)?"
    r"|spread(?:s|ing)?|extend(?:ed|s|ing)?|turn(?:ed|s|ing)?|swung|swing(?:s|ing)?|went|go(?:es|ing)?",
    re.IGNORECASE,
)
_MOVE_PARTICLES: Final = frozenset({"back", "through", "ground", "on"})  # "fell back", "broke through"
_MOVE_BEFORE_PARTICLE: Final = re.compile(
    r"fell|fall(?:s|ing)?|pull(?:ed|s|ing)?|br(?:eak|oke|eaking|eaks)|gain(?:ed|s|ing)?|push(?:ed|es|ing)?"
    r"|press(?:ed|es|ing)?|drove|driv(?:e|es|ing)|mov(?:e|ed|es|ing)",
    re.IGNORECASE,
)
_GAP_COORD: Final = re.compile(r"\s*(?:,\s*(?:and|or)?|and|or|/|&)\s*", _I)

# Words that make a capitalised compass word part of a name, not a direction.
_NAME_WORDS: Final = frozenset(
    {
        "korea", "korean", "koreans", "koreas", "africa", "african", "africans", "sudan", "sudanese",
        "ossetia", "ossetian", "ossetians", "timor", "macedonia", "carolina", "dakota", "virginia",
        "america", "american", "americans", "atlantic", "pole", "star", "stream", "wind", "germany",
        "german", "sea", "china", "asia", "asian", "side", "end", "wing", "point", "coast", "bank",
        "yorkshire", "london", "jersey", "wales", "street", "station", "gate", "slavic",
    }
)  # fmt: skip
# Capitalised nouns after a capitalised compass adjective in names of commands and units.
_ORG_WORDS: Final = frozenset(
    {
        "command", "operational", "military", "district", "fleet", "group", "grouping", "groups",
        "forces", "force", "army", "corps", "defense", "defence", "air", "naval", "headquarters",
        "front", "allies", "alliance", "partners", "nations", "countries", "powers", "leaders",
        "governments", "media", "officials", "intelligence", "border", "operations", "task",
    }
)  # fmt: skip


# --- finding ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Raw:
    """A compass word before coordination decides an open relation."""

    start: int  # of the whole phrase
    end: int
    word_start: int
    word_end: int
    point: str
    relation: Relation | None
    capitalised: bool
    weak: bool = False  # read from a movement verb only: a coordinated "of" overrides it


def find_directions(text: str) -> list[DirectionMatch]:
    """Find every direction in ``text`` with its relation.

    Parameters
    ----------
    text
        A sentence or a whole article.

    Returns
    -------
    list[DirectionMatch]
        In text order. Coordinated words share the relation of the last one ("northern and
        southern flanks", "north and northeast of X", "southeast and southwest from X").

    Examples
    --------
    >>> [(m.point, m.relation) for m in find_directions("near Klishchiivka, just southwest of Bakhmut")]
    [('SW', 'of')]
    """
    raws: list[_Raw] = []
    low = text.lower()
    last_end = 0
    for pos in _compass_hints(low):
        if pos < last_end or (pos > 0 and text[pos - 1].isalnum()):
            continue  # inside a word already read ("southwest") or another word ("least")
        m = _COMPASS.match(text, pos)
        if m is None:
            continue
        raw = _classify(text, m.start(), m.end(), m.group("word"), m.group("suffix"))
        last_end = m.end()
        if raw is not None:
            raws.append(raw)
    for m in _abbreviations(text, low):
        point = _point_of(m.group("word"))
        if point is not None:
            start = _prefix(_left_words(text, m.start()), m.start())
            raws.append(_Raw(start, m.end(), m.start(), m.end("word"), point, "of", False))
    raws.sort(key=lambda r: r.word_start)
    out = _coordinate(text, raws)
    for m in _side_banks(text, low):
        side: Literal["left", "right"] = "left" if m.group("side").lower() == "left" else "right"
        out.append(DirectionMatch(m.start(), m.end(), m.group(), None, None, None, "bank", side))
    out.sort(key=lambda d: d.start)
    return out


def _abbreviations(text: str, low: str) -> list[re.Match[str]]:
    """Compass abbreviations right before "of" ("NE of", "S-SW of")."""
    found: list[re.Match[str]] = []
    i = low.find(" of")
    while i != -1:
        j = i
        while j > 0 and i - j < 4 and text[j - 1] in _ABBREV_CHARS:
            j -= 1
        if j < i and (j == 0 or not (text[j - 1].isalnum() or text[j - 1] == "-")):
            m = _ABBREV.match(text, j)
            if m is not None:
                found.append(m)
        i = low.find(" of", i + 3)
    return found


def _side_banks(text: str, low: str) -> list[re.Match[str]]:
    """ "left bank", "right-bank", "left shore" (the compass side depends on the river)."""
    found: list[re.Match[str]] = []
    for key in ("bank", "shore"):
        i = low.find(key)
        while i != -1:
            for back in (5, 6):  # "left " / "right "
                at = i - back
                if at >= 0 and (at == 0 or not text[at - 1].isalnum()):
                    m = _SIDE_BANK.match(text, at)
                    if m is not None:
                        found.append(m)
            i = low.find(key, i + 1)
    return found


def _compass_hints(low: str) -> list[int]:
    """Offsets of "north", "south", "east", "west" in lower-cased text (plain substring search)."""
    hits: list[int] = []
    for key in ("north", "south", "east", "west"):
        i = low.find(key)
        while i != -1:
            hits.append(i)
            i = low.find(key, i + 1)
    hits.sort()
    return hits


def _left_words(text: str, start: int) -> list[tuple[str, int]]:
    """The last few words before ``start``, lower-cased, with their offsets."""
    lo = max(0, start - 48)
    words = [(m.group().lower(), m.start()) for m in _LEFT_WORDS.finditer(text, lo, start)]
    if words and words[0][1] == lo and lo > 0 and not text[lo - 1].isspace():
        words.pop(0)  # the window cut this word
    return words[-5:]


def _ends_with(words: list[tuple[str, int]], *options: frozenset[str] | str) -> int | None:
    """Offset of the first of the last ``len(options)`` words if each is one of its option, else None."""
    n = len(options)
    if len(words) < n:
        return None
    for (word, _), option in zip(words[-n:], options, strict=True):
        if word != option if isinstance(option, str) else word not in option:
            return None
    return words[-n][1]


def _prefix(words: list[tuple[str, int]], start: int) -> int:
    """Extend a phrase start back over "to the", "just", "just to the", "to the far"."""
    ws = words
    if ws and ws[-1][0] == "far":
        ws = ws[:-1]
    at = _ends_with(ws, "to", "the")
    if at is not None:
        ws = ws[:-2]
        start = at
    if ws and ws[-1][0] in _MODIFIERS:
        start = ws[-1][1]
    return start


def _after_the(words: list[tuple[str, int]], kinds: frozenset[str]) -> int | None:
    """Offset of "<kind> the" or "<kind> the far" ending the words, else None."""
    ws = words[:-1] if words and words[-1][0] == "far" else words
    return _ends_with(ws, kinds, "the")


def _moving(words: list[tuple[str, int]]) -> bool:
    """Whether the words end with a movement verb ("advanced", "pushed further", "fell back to the")."""
    ws = words
    if _ends_with(ws, "to", "the") is not None:
        ws = ws[:-2]
    if not ws:
        return False
    if ws[-1][0] in _MOVE_PARTICLES and len(ws) >= 2 and _MOVE_BEFORE_PARTICLE.fullmatch(ws[-2][0]):
        return True  # "fell back", "broke through"
    if ws[-1][0] in _MOVE_FILLERS:
        ws = ws[:-1]
    return bool(ws) and _MOVE_VERB.fullmatch(ws[-1][0]) is not None


def _classify(text: str, start: int, end: int, word: str, suffix: str | None) -> _Raw | None:
    """Read the relation of one compass word from the words around it."""
    point = _point_of(word)
    if point is None:
        return None  # "north-southeast" and other impossible combinations
    capitalised = word[0].isupper() and not word.isupper()
    words = _left_words(text, start)
    ending = (suffix or "").lower()

    def raw(relation: Relation | None, phrase_start: int = start, phrase_end: int = end) -> _Raw:
        return _Raw(phrase_start, phrase_end, start, end, point, relation, capitalised)

    if capitalised and words and text[words[-1][1] : start].strip() in _NAME_PREFIXES:
        return None  # "Middle East", "Far East"
    cap = _R_CAPITAL.match(text, end)
    if cap is not None:
        name = cap.group("name").lower()
        if capitalised and (name in _NAME_WORDS or name in _ORG_WORDS):
            return None  # "North Korea", "Southern Operational Command"
        if not capitalised and name in _NAME_WORDS and not ending:
            return None
    if not ending and (of := _R_OF.match(text, end)) is not None:
        in_the = _after_the(words, _IN_WORDS)
        if in_the is not None:
            return raw("part", in_the, of.end())  # "in the north of X"
        return raw("of", _prefix(words, start), of.end())
    relation: Relation
    for relation, pattern in (
        ("outskirts", _R_OUTSKIRTS),
        ("flank", _R_FLANK),
        ("bank", _R_BANK),
        ("part", _R_PART),
    ):
        m = pattern.match(text, end)
        if m is not None:
            on_the = _after_the(words, _ON_WORDS | _IN_WORDS)
            of = _R_OF.match(text, m.end())
            return raw(relation, on_the if on_the is not None else start, of.end() if of else m.end())
    if ending.startswith("ward"):
        return raw("toward")
    if (m := _R_DIRECTION.match(text, end)) is not None:
        return raw("toward", start, m.end())
    from_at = _after_the(words, _FROM_WORDS)
    if from_at is None and words and words[-1][0] == "from":
        from_at = words[-1][1]
    if from_at is not None and not ending:
        return raw("from", from_at, end)
    if not ending.startswith("ern") and (m := _R_TOWARD.match(text, end)) is not None:
        return raw("toward", start, m.end())
    if _moving(words):
        # "attacked north and northeast of X" is a location: let coordination override this
        return _Raw(start, end, start, end, point, "toward", capitalised, weak=True)
    if not ending and (in_the := _after_the(words, _IN_WORDS)) is not None:
        return raw("part", in_the, end)  # "fighting in the east"
    if ending.startswith("ern") and (cap is not None or _R_PLACE_NOUN.match(text, end) is not None):
        return raw("part")  # "northern Kherson Oblast", "the eastern city of X"
    if not ending and cap is not None and not capitalised:
        return raw("part")  # "east Ukraine"
    return raw(None)


def _coordinate(text: str, raws: list[_Raw]) -> list[DirectionMatch]:
    """Give open relations the relation of the next coordinated word; drop names."""
    out: list[DirectionMatch] = []
    inherited: Relation | None = None
    inherited_weak = True
    for i in range(len(raws) - 1, -1, -1):
        r = raws[i]
        relation = r.relation
        weak = r.weak
        if (relation is None or r.weak) and i + 1 < len(raws):
            nxt = raws[i + 1]
            coordinated = _GAP_COORD.fullmatch(text, r.word_end, nxt.word_start) is not None
            if coordinated and inherited is not None and (relation is None or not inherited_weak):
                relation, weak = inherited, inherited_weak
        inherited, inherited_weak = relation, weak
        if relation is None:
            if r.capitalised:
                continue  # "the West", "Western partners": a name, not a direction
            relation = "other"
        out.append(
            DirectionMatch(
                start=r.start,
                end=r.end,
                text=text[r.start : r.end],
                point=r.point,
                bearing_deg=_BEARING[r.point],
                half_width_deg=_HALF_WIDTH[len(r.point)],
                relation=relation,
            )
        )
    out.reverse()
    return out
